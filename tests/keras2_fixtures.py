"""Keras 2 model configs, written by hand in the form Keras 2 saved them.

Where the shapes come from (no Keras 2 is installed here, so these were written from its
source, key by key):

- `TF_KERAS_SEQUENTIAL`: TF-Keras 2.x (2.4 to 2.15) ``model.to_json()`` of a Sequential
  built with ``input_shape=`` on its first layer: ``Sequential.get_config`` lists the
  ``InputLayer`` it made (named ``<first layer>_input``, ``batch_input_shape``), and the
  first layer keeps ``batch_input_shape`` too; ``LSTM.get_config`` adds ``time_major``
  (``tf_keras/src/layers/rnn/base_rnn.py``) and ``implementation``
  (``lstm.py``); dtypes are plain strings; initializers serialize as
  ``{"class_name", "config"}`` without ``module``; ``to_json`` adds ``keras_version`` and
  ``backend`` around the config.
- `KERAS_22_CUDNN`: standalone Keras 2.2.4 ``to_json()`` (also the ``model_config``
  attribute of its ``.h5`` files): a Sequential's config is ``{"name", "layers"}`` with no
  InputLayer, the first layer holding ``batch_input_shape``; ``CuDNNLSTM.get_config``
  (``keras/layers/cudnn_recurrent.py``) has no activation arguments; automatic names count
  from 1 (``cu_dnnlstm_1``, ``dense_1``); ``glorot_uniform`` was a ``VarianceScaling``
  preset (``keras/initializers.py``) and serialized as one.
- `TF_KERAS_FUNCTIONAL`: TF-Keras 2.x ``Functional.get_config`` (``get_network_config``
  in ``tf_keras/src/engine/functional.py``): each layer carries ``name`` and
  ``inbound_nodes`` as lists of ``[layer, node, tensor, kwargs]``, and ``input_layers`` /
  ``output_layers`` are lists of ``[layer, node, tensor]``; ``Embedding.get_config`` keeps
  ``input_length``; ``Bidirectional.get_config`` holds the wrapped layer as it was given
  (``Wrapper.get_config``), not Keras 3's ``forward_`` copy, and no ``backward_layer``.
"""

from __future__ import annotations

GLOROT_22 = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None},
}
ORTHOGONAL = {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}
GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}

_NO_REGULARIZERS = {
    "kernel_regularizer": None,
    "bias_regularizer": None,
    "activity_regularizer": None,
    "kernel_constraint": None,
    "bias_constraint": None,
}


def _tf_lstm(name: str, units: int, return_sequences: bool, **extra: object) -> dict:
    return {
        "class_name": "LSTM",
        "config": {
            "name": name,
            "trainable": True,
            **extra,
            "dtype": "float32",
            "return_sequences": return_sequences,
            "return_state": False,
            "go_backwards": False,
            "stateful": False,
            "unroll": False,
            "time_major": False,
            "units": units,
            "activation": "tanh",
            "recurrent_activation": "sigmoid",
            "use_bias": True,
            "kernel_initializer": GLOROT,
            "recurrent_initializer": ORTHOGONAL,
            "bias_initializer": ZEROS,
            "unit_forget_bias": True,
            "recurrent_regularizer": None,
            "recurrent_constraint": None,
            **_NO_REGULARIZERS,
            "dropout": 0.0,
            "recurrent_dropout": 0.0,
            "implementation": 2,
        },
    }


def _tf_dense(name: str, units: int, activation: str = "linear") -> dict:
    return {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": GLOROT,
            "bias_initializer": ZEROS,
            **_NO_REGULARIZERS,
        },
    }


TF_KERAS_SEQUENTIAL = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential",
        "layers": [
            {
                "class_name": "InputLayer",
                "config": {
                    "batch_input_shape": [None, 20, 1],
                    "dtype": "float32",
                    "sparse": False,
                    "ragged": False,
                    "name": "lstm_input",
                },
            },
            _tf_lstm("lstm", 50, True, batch_input_shape=[None, 20, 1]),
            _tf_lstm("lstm_1", 50, False),
            _tf_dense("dense", 1),
        ],
    },
    "keras_version": "2.10.0",
    "backend": "tensorflow",
}

KERAS_22_CUDNN = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential_1",
        "layers": [
            {
                "class_name": "CuDNNLSTM",
                "config": {
                    "name": "cu_dnnlstm_1",
                    "trainable": True,
                    "batch_input_shape": [None, 20, 1],
                    "dtype": "float32",
                    "return_sequences": True,
                    "return_state": False,
                    "go_backwards": False,
                    "stateful": False,
                    "units": 32,
                    "kernel_initializer": GLOROT_22,
                    "recurrent_initializer": ORTHOGONAL,
                    "bias_initializer": ZEROS,
                    "unit_forget_bias": True,
                    "recurrent_regularizer": None,
                    "recurrent_constraint": None,
                    **_NO_REGULARIZERS,
                },
            },
            {
                "class_name": "CuDNNGRU",
                "config": {
                    "name": "cu_dnngru_1",
                    "trainable": True,
                    "return_sequences": False,
                    "return_state": False,
                    "go_backwards": False,
                    "stateful": False,
                    "units": 16,
                    "kernel_initializer": GLOROT_22,
                    "recurrent_initializer": ORTHOGONAL,
                    "bias_initializer": ZEROS,
                    "recurrent_regularizer": None,
                    "recurrent_constraint": None,
                    **_NO_REGULARIZERS,
                },
            },
            {
                "class_name": "Dense",
                "config": {
                    **_tf_dense("dense_1", 1, "sigmoid")["config"],
                    "kernel_initializer": GLOROT_22,
                },
            },
        ],
    },
    "keras_version": "2.2.4",
    "backend": "tensorflow",
}

_EMBEDDING = {
    "class_name": "Embedding",
    "config": {
        "name": "embedding",
        "trainable": True,
        "batch_input_shape": [None, 50],
        "dtype": "float32",
        "input_dim": 1000,
        "output_dim": 16,
        "embeddings_initializer": {
            "class_name": "RandomUniform",
            "config": {"minval": -0.05, "maxval": 0.05, "seed": None},
        },
        "embeddings_regularizer": None,
        "activity_regularizer": None,
        "embeddings_constraint": None,
        "mask_zero": True,
        "input_length": 50,
    },
    "name": "embedding",
    "inbound_nodes": [[["tokens", 0, 0, {}]]],
}

TF_KERAS_FUNCTIONAL = {
    "class_name": "Functional",
    "config": {
        "name": "model",
        "layers": [
            {
                "class_name": "InputLayer",
                "config": {
                    "batch_input_shape": [None, 50],
                    "dtype": "int32",
                    "sparse": False,
                    "ragged": False,
                    "name": "tokens",
                },
                "name": "tokens",
                "inbound_nodes": [],
            },
            _EMBEDDING,
            {
                "class_name": "Bidirectional",
                "config": {
                    "name": "bidirectional",
                    "trainable": True,
                    "dtype": "float32",
                    "layer": _tf_lstm("lstm", 8, False),
                    "merge_mode": "sum",
                },
                "name": "bidirectional",
                "inbound_nodes": [[["embedding", 0, 0, {}]]],
            },
            {
                **_tf_dense("dense", 1, "sigmoid"),
                "name": "dense",
                "inbound_nodes": [[["bidirectional", 0, 0, {}]]],
            },
        ],
        "input_layers": [["tokens", 0, 0]],
        "output_layers": [["dense", 0, 0]],
    },
    "keras_version": "2.10.0",
    "backend": "tensorflow",
}
