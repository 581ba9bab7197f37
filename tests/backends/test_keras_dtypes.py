"""The registry's dtype tables (LayerSpec.dtype/dtype_bool/dtype_string, ACTIVATION_INT,
ACTIVATION_BOOL) against Keras: each layer is called on int32, bool and string data; it must
fail exactly where the checker's `dtype_mode` says "fail", and return the input's dtype
exactly where it says "keep"."""

from __future__ import annotations

import numpy as np
import pytest

from bilstm_dsl.infer import dtype_mode
from bilstm_dsl.layers import ACTIVATION_INT, LAYERS
from bilstm_dsl.values import ACTIVATIONS

pytestmark = pytest.mark.keras

# One plain instance per layer, with the input rank it takes.
SAMPLES = {
    "lstm": ("LSTM", (2,), 3), "gru": ("GRU", (2,), 3), "simplernn": ("SimpleRNN", (2,), 3),
    "dense": ("Dense", (2,), 3), "dropout": ("Dropout", (0.5,), 3),
    "embedding": ("Embedding", (10, 2), 2), "masking": ("Masking", (), 3),
    "spatialdropout1d": ("SpatialDropout1D", (0.5,), 3),
    "gaussiannoise": ("GaussianNoise", (0.5,), 3), "repeatvector": ("RepeatVector", (2,), 2),
    "conv1d": ("Conv1D", (2, 2), 3), "maxpooling1d": ("MaxPooling1D", (2,), 3),
    "averagepooling1d": ("AveragePooling1D", (2,), 3),
    "globalmaxpooling1d": ("GlobalMaxPooling1D", (), 3),
    "globalaveragepooling1d": ("GlobalAveragePooling1D", (), 3),
    "flatten": ("Flatten", (), 3), "reshape": ("Reshape", ((-1,),), 3),
    "layernormalization": ("LayerNormalization", (), 3),
    "batchnormalization": ("BatchNormalization", (), 3),
    "upsampling1d": ("UpSampling1D", (), 3), "cropping1d": ("Cropping1D", (), 3),
    "zeropadding1d": ("ZeroPadding1D", (), 3),
    "conv2d": ("Conv2D", (2, 2), 4), "conv3d": ("Conv3D", (2, 2), 5),
    "convlstm1d": ("ConvLSTM1D", (2, 2), 4), "convlstm2d": ("ConvLSTM2D", (2, 2), 5),
    "convlstm3d": ("ConvLSTM3D", (2, 2), 6),
    "maxpooling2d": ("MaxPooling2D", (), 4), "averagepooling2d": ("AveragePooling2D", (2,), 4),
    "globalmaxpooling2d": ("GlobalMaxPooling2D", (), 4),
    "globalaveragepooling2d": ("GlobalAveragePooling2D", (), 4),
    "relu": ("ReLU", (), 3), "leakyrelu": ("LeakyReLU", (), 3), "prelu": ("PReLU", (), 3),
    "elu": ("ELU", (), 3), "softmax": ("Softmax", (), 3),
    "categoryencoding": ("CategoryEncoding", (4,), 2),
    # strings in, one per sample; a vocabulary, without which calling it always fails
    "textvectorization": (
        "TextVectorization",
        (None, "lower_and_strip_punctuation", "whitespace", None, "int", None, False, ["a"]),
        1,
    ),
}  # fmt: skip


def _shape(rank: int) -> tuple[int, ...]:
    """Data of ``rank`` axes, the batch first: (2,), (2, 3), (2, 3, 3), ..."""
    return (2,) if rank == 1 else (2, 3) if rank == 2 else (2,) + (3,) * (rank - 2) + (3,)


# A cell runs only inside `rnn(...)`, and `rnn` only around a cell: sampled as one.
CELLS = {"rnn", "lstmcell", "grucell", "simplernncell", "stackedrnncells"}


def _outcome(keras, layer, rank: int) -> str:
    data = np.ones(_shape(rank), "int32")
    try:
        out = layer(data, training=True)
    except Exception:  # noqa: BLE001 - a failure is the outcome being measured
        return "fail"
    return "keep" if "int" in str(out.dtype) else "float"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_layer_integer_behaviour_matches_the_registry(name, keras):
    cls, args, rank = SAMPLES[name]
    outcome = _outcome(keras, getattr(keras.layers, cls)(*args), rank)
    assert outcome == LAYERS[name].dtype, f"{name}: Keras {outcome}, registry {LAYERS[name].dtype}"


# Layers that take several tensors: class, arguments; called on two copies of the data.
SEVERAL = {
    "add": ("Add", ()), "subtract": ("Subtract", ()), "multiply": ("Multiply", ()),
    "average": ("Average", ()), "maximum": ("Maximum", ()), "minimum": ("Minimum", ()),
    "concatenate": ("Concatenate", ()), "dot": ("Dot", (-1,)),
    "attention": ("Attention", ()), "additiveattention": ("AdditiveAttention", ()),
    "multiheadattention": ("MultiHeadAttention", (2, 4)),
}  # fmt: skip


def test_every_plain_layer_is_sampled():
    wrappers_and_activation = {"bidirectional", "timedistributed", "activation"}
    plain = set(LAYERS) - wrappers_and_activation - CELLS
    assert plain == set(SAMPLES) | set(SEVERAL)


@pytest.mark.parametrize("cell", ["LSTMCell", "GRUCell", "SimpleRNNCell"])
def test_rnn_over_a_cell_has_the_integer_behaviour_of_its_cell(cell, keras):
    layer = keras.layers.RNN(getattr(keras.layers, cell)(2))
    outcome = _outcome(keras, layer, 3)
    for name in ("rnn", cell.lower()):
        assert outcome == LAYERS[name].dtype, (
            f"{name}: Keras {outcome}, registry {LAYERS[name].dtype}"
        )


@pytest.mark.parametrize("dtype", ["int32", "bool", "string"])
@pytest.mark.parametrize("name", sorted(SEVERAL))
def test_several_input_layers_dtype_behaviour_matches_the_checker(name, dtype, keras):
    cls, args = SEVERAL[name]
    layer = getattr(keras.layers, cls)(*args)
    data = np.full((2, 6, 3), "a") if dtype == "string" else np.ones((2, 6, 3), dtype)
    try:
        out = layer(data, data) if LAYERS[name].inputs == "separate" else layer([data, data])
    except Exception:  # noqa: BLE001 - a failure is the outcome being measured
        outcome = "fail"
    else:
        got = str(getattr(out.dtype, "name", out.dtype)).removeprefix("<dtype: '").rstrip("'>")
        outcome = "keep" if got == dtype else "float"
    assert outcome == dtype_mode(_Bound(name), dtype), f"{name} on {dtype}"


@pytest.mark.parametrize("function", sorted(ACTIVATIONS))
def test_activation_integer_behaviour_matches_the_registry(function, keras):
    outcome = _outcome(keras, keras.layers.Activation(function), 3)
    assert outcome == ACTIVATION_INT.get(function, "fail"), function


def _outcome_for(layer, rank: int, dtype: str) -> str:
    shape = (2, 6, 3) if rank == 3 else _shape(rank)
    data = np.full(shape, "a") if dtype == "string" else np.ones(shape, dtype)
    try:
        out = layer(data, training=True)
    except Exception:  # noqa: BLE001 - a failure is the outcome being measured
        return "fail"
    got = str(getattr(out.dtype, "name", out.dtype)).removeprefix("<dtype: '").rstrip("'>")
    if got == dtype:
        return "keep"
    # an integer result is the checker's "int32" (TextVectorization's int64 included: the
    # layers after it treat both alike)
    return "int32" if got in ("int32", "int64") else "float"


class _Bound:
    """The smallest stand-in for a bound layer that `dtype_mode` reads."""

    def __init__(self, name: str, activation: str | None = None) -> None:
        self.spec = LAYERS[name]
        self.activation = activation

    def get(self, arg: str) -> object:
        return self.activation if arg == "activation" else self.spec.defaults.get(arg)


@pytest.mark.parametrize("dtype", ["bool", "string"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_layer_bool_and_string_behaviour_matches_the_checker(name, dtype, keras):
    cls, args, rank = SAMPLES[name]
    outcome = _outcome_for(getattr(keras.layers, cls)(*args), rank, dtype)
    expected = dtype_mode(_Bound(name), dtype)  # type: ignore[arg-type]
    assert outcome == expected, f"{name} on {dtype}: Keras {outcome}, checker {expected}"


@pytest.mark.parametrize("dtype", ["bool", "string"])
@pytest.mark.parametrize("function", sorted(ACTIVATIONS))
def test_activation_bool_and_string_behaviour_matches_the_checker(function, dtype, keras):
    outcome = _outcome_for(keras.layers.Activation(function), 3, dtype)
    expected = dtype_mode(_Bound("activation", function), dtype)  # type: ignore[arg-type]
    assert outcome == expected, f"{function} on {dtype}: Keras {outcome}, checker {expected}"
