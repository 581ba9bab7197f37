"""Parity cases for argument objects (``l2(0.001)``, ``orthogonal(gain=1.0, seed=1)``,
``max_norm(3)``) and the Keras 2 arguments Keras 3 still takes (``implementation``,
``input_length``, ``input_shape``).

The Keras side writes each object as ``R.L2(l2=0.001)`` (``R``, ``Init``, ``C``: regularizers,
initializers, constraints), keywords only: the harness
gives Keras its config (a dict, which Keras's ``get`` reads), so an object Keras refuses
fails inside its layer's stage; `make` builds the real object, as hand-written code does,
for the config comparisons in tests/test_parity_objects.py.
"""

from __future__ import annotations

from typing import Any

from .harness import Case, Deferred


class Obj(dict):
    """``keras.<module>.<cls>(**kwargs)`` written down, and its config as Keras reads it."""

    def __init__(self, module: str, cls: str, kwargs: dict[str, Any]) -> None:
        super().__init__(class_name=cls, config=dict(kwargs))
        self.module, self.cls, self.kwargs = module, cls, kwargs

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"keras.{self.module}.{self.cls}({shown})"


class _Module:
    def __init__(self, module: str) -> None:
        self.module = module

    def __getattr__(self, cls: str) -> Any:
        if cls.startswith("_"):
            raise AttributeError(cls)
        return lambda **kwargs: Obj(self.module, cls, kwargs)


class _Objects:
    regularizers = _Module("regularizers")
    initializers = _Module("initializers")
    constraints = _Module("constraints")


OBJECTS = _Objects()
R, Init, C = OBJECTS.regularizers, OBJECTS.initializers, OBJECTS.constraints


def make(value: Any, keras: Any) -> Any:
    """``value`` with every `Deferred` layer and `Obj` built for real, by hand."""
    if isinstance(value, Obj):
        return getattr(getattr(keras, value.module), value.cls)(**value.kwargs)
    if isinstance(value, Deferred):
        args = [make(a, keras) for a in value.args]
        kwargs = {k: make(v, keras) for k, v in value.kwargs.items()}
        return getattr(keras.layers, value.name)(*args, **kwargs)
    if isinstance(value, list):
        return [make(v, keras) for v in value]
    return value


S20_3 = {"shape": (20, 3)}
I50 = {"shape": (50,), "dtype": "int32"}
LEGACY = "Keras 3 ignores it; the checker warns (W506)"

CASES_OBJECTS: list[Case] = [
    # -- regularizers
    Case(
        "obj_lstm_l2_positional",
        "input(20, 3) -> lstm(8, kernel_regularizer=l2(0.001))",
        S20_3,
        lambda L: [L.LSTM(8, kernel_regularizer=R.L2(l2=0.001))],
    ),
    Case(
        "obj_lstm_l1_keyword",
        "input(20, 3) -> lstm(8, recurrent_regularizer=l1(l1=0.02))",
        S20_3,
        lambda L: [L.LSTM(8, recurrent_regularizer=R.L1(l1=0.02))],
    ),
    Case(
        "obj_gru_l1l2",
        "input(20, 3) -> gru(8, kernel_regularizer=l1l2(l1=0.01, l2=0.0))",
        S20_3,
        lambda L: [L.GRU(8, kernel_regularizer=R.L1L2(l1=0.01, l2=0.0))],
    ),
    Case(
        "obj_dense_l1l2_positional",
        "input(20, 3) -> dense(4, bias_regularizer=l1l2(0.01, 0.02))",
        S20_3,
        lambda L: [L.Dense(4, bias_regularizer=R.L1L2(l1=0.01, l2=0.02))],
    ),
    Case(
        "obj_dense_orthogonal_regularizer",
        "input(20, 3) -> flatten() -> dense(4, kernel_regularizer="
        "orthogonal_regularizer(factor=0.1, mode=columns))",
        S20_3,
        lambda L: [
            L.Flatten(),
            L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(factor=0.1, mode="columns")),
        ],
    ),
    Case(
        "obj_simplernn_activity_l2",
        "input(20, 3) -> simplernn(8, activity_regularizer=l2(0.0001))",
        S20_3,
        lambda L: [L.SimpleRNN(8, activity_regularizer=R.L2(l2=0.0001))],
    ),
    Case(
        "obj_embedding_regularizer_and_constraint",
        'input(50, dtype="int32") -> embedding(100, 8, embeddings_regularizer=l2(0.001), '
        "embeddings_constraint=unit_norm(axis=1)) -> lstm(4)",
        I50,
        lambda L: [
            L.Embedding(
                100,
                8,
                embeddings_regularizer=R.L2(l2=0.001),
                embeddings_constraint=C.UnitNorm(axis=1),
            ),
            L.LSTM(4),
        ],
    ),
    Case(
        "obj_bilstm_sugar_regularizer",
        "input(20, 3) -> bilstm(8, kernel_regularizer=l2(0.001), seq) -> dense(1)",
        S20_3,
        lambda L: [
            L.Bidirectional(L.LSTM(8, kernel_regularizer=R.L2(l2=0.001), return_sequences=True)),
            L.Dense(1),
        ],
    ),
    Case(
        "obj_class_names",
        "input(20, 3) -> lstm(8, kernel_regularizer=L2(0.001), "
        "kernel_initializer=RandomNormal(stddev=0.01), kernel_constraint=MaxNorm(3))",
        S20_3,
        lambda L: [
            L.LSTM(
                8,
                kernel_regularizer=R.L2(l2=0.001),
                kernel_initializer=Init.RandomNormal(stddev=0.01),
                kernel_constraint=C.MaxNorm(max_value=3),
            )
        ],
    ),
    Case(
        "obj_plain_names_still_work",
        'input(20, 3) -> lstm(8, kernel_regularizer="l2", kernel_initializer=he_normal, '
        'bias_constraint="non_neg")',
        S20_3,
        lambda L: [
            L.LSTM(
                8,
                kernel_regularizer="l2",
                kernel_initializer="he_normal",
                bias_constraint="non_neg",
            )
        ],
    ),
    # -- initializers
    Case(
        "obj_lstm_random_normal",
        "input(20, 3) -> lstm(8, kernel_initializer=random_normal(stddev=0.001))",
        S20_3,
        lambda L: [L.LSTM(8, kernel_initializer=Init.RandomNormal(stddev=0.001))],
    ),
    Case(
        "obj_dense_random_uniform",
        "input(20, 3) -> dense(4, kernel_initializer=random_uniform(minval=-0.1, maxval=0.1, "
        "seed=3))",
        S20_3,
        lambda L: [
            L.Dense(4, kernel_initializer=Init.RandomUniform(minval=-0.1, maxval=0.1, seed=3))
        ],
    ),
    Case(
        "obj_dense_truncated_normal",
        "input(20, 3) -> dense(4, kernel_initializer=truncated_normal(mean=0.0, stddev=0.02))",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.TruncatedNormal(mean=0.0, stddev=0.02))],
    ),
    Case(
        "obj_gru_glorot_uniform_seed",
        "input(20, 3) -> gru(8, kernel_initializer=glorot_uniform(seed=1))",
        S20_3,
        lambda L: [L.GRU(8, kernel_initializer=Init.GlorotUniform(seed=1))],
    ),
    Case(
        "obj_dense_glorot_normal_no_args",
        "input(20, 3) -> dense(4, kernel_initializer=glorot_normal())",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.GlorotNormal())],
    ),
    Case(
        "obj_conv1d_he_normal",
        "input(20, 3) -> conv1d(8, 3, kernel_initializer=he_normal(seed=7)) -> lstm(4)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, kernel_initializer=Init.HeNormal(seed=7)), L.LSTM(4)],
    ),
    Case(
        "obj_dense_he_uniform_lecun",
        "input(20, 3) -> dense(4, kernel_initializer=he_uniform(seed=2)) -> "
        "dense(2, kernel_initializer=lecun_normal(seed=2)) -> "
        "dense(1, kernel_initializer=lecun_uniform())",
        S20_3,
        lambda L: [
            L.Dense(4, kernel_initializer=Init.HeUniform(seed=2)),
            L.Dense(2, kernel_initializer=Init.LecunNormal(seed=2)),
            L.Dense(1, kernel_initializer=Init.LecunUniform()),
        ],
    ),
    Case(
        "obj_lstm_orthogonal_gain_seed",
        "input(20, 3) -> lstm(8, recurrent_initializer=orthogonal(gain=1.0, seed=1))",
        S20_3,
        lambda L: [L.LSTM(8, recurrent_initializer=Init.Orthogonal(gain=1.0, seed=1))],
    ),
    Case(
        "obj_simplernn_identity",
        "input(20, 3) -> simplernn(8, recurrent_initializer=identity(gain=1.0))",
        S20_3,
        lambda L: [L.SimpleRNN(8, recurrent_initializer=Init.Identity(gain=1.0))],
    ),
    Case(
        "obj_lstm_identity_non_square",
        "input(20, 3) -> lstm(8, recurrent_initializer=identity(0.5))",
        S20_3,
        lambda L: [L.LSTM(8, recurrent_initializer=Init.Identity(gain=0.5))],
    ),
    Case(
        "obj_dense_constant_bias",
        "input(20, 3) -> dense(4, bias_initializer=constant(0.5))",
        S20_3,
        lambda L: [L.Dense(4, bias_initializer=Init.Constant(value=0.5))],
    ),
    Case(
        "obj_dense_zeros_ones",
        "input(20, 3) -> dense(4, kernel_initializer=zeros(), bias_initializer=ones())",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.Zeros(), bias_initializer=Init.Ones())],
    ),
    Case(
        "obj_variance_scaling",
        "input(20, 3) -> dense(4, kernel_initializer=variance_scaling(scale=2.0, "
        "mode=fan_out, distribution=uniform, seed=4))",
        S20_3,
        lambda L: [
            L.Dense(
                4,
                kernel_initializer=Init.VarianceScaling(
                    scale=2.0, mode="fan_out", distribution="uniform", seed=4
                ),
            )
        ],
    ),
    Case(
        "obj_variance_scaling_normal_alias",
        "input(20, 3) -> dense(4, kernel_initializer=variance_scaling(distribution=normal))",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.VarianceScaling(distribution="normal"))],
    ),
    Case(
        "obj_glorot_fan_axes",
        "input(20, 3) -> dense(4, kernel_initializer=glorot_uniform(seed=1, input_axes=[0], "
        "output_axes=[1]))",
        S20_3,
        lambda L: [
            L.Dense(
                4, kernel_initializer=Init.GlorotUniform(seed=1, input_axes=[0], output_axes=[1])
            )
        ],
    ),
    Case(
        "obj_td_dense_he_normal",
        "input(20, 3) -> td(dense(4, kernel_initializer=he_normal(seed=1)))",
        S20_3,
        lambda L: [L.TimeDistributed(L.Dense(4, kernel_initializer=Init.HeNormal(seed=1)))],
    ),
    Case(
        "obj_batchnorm_initializers",
        "input(20, 3) -> batchnormalization(moving_variance_initializer=constant(2.0), "
        "gamma_constraint=max_norm(1.0), beta_regularizer=l1(0.001))",
        S20_3,
        lambda L: [
            L.BatchNormalization(
                moving_variance_initializer=Init.Constant(value=2.0),
                gamma_constraint=C.MaxNorm(max_value=1.0),
                beta_regularizer=R.L1(l1=0.001),
            )
        ],
    ),
    Case(
        "obj_layernorm_objects",
        "input(20, 3) -> layernormalization(gamma_regularizer=l2(0.01), "
        "beta_constraint=non_neg(), gamma_initializer=random_normal(mean=1.0, stddev=0.02))",
        S20_3,
        lambda L: [
            L.LayerNormalization(
                gamma_regularizer=R.L2(l2=0.01),
                beta_constraint=C.NonNeg(),
                gamma_initializer=Init.RandomNormal(mean=1.0, stddev=0.02),
            )
        ],
    ),
    # -- constraints
    Case(
        "obj_lstm_max_norm",
        "input(20, 3) -> lstm(8, kernel_constraint=max_norm(3))",
        S20_3,
        lambda L: [L.LSTM(8, kernel_constraint=C.MaxNorm(max_value=3))],
    ),
    Case(
        "obj_conv1d_max_norm_axes",
        "input(20, 3) -> conv1d(8, 3, kernel_constraint=max_norm(max_value=2.5, axis=[0, 1]))",
        S20_3,
        lambda L: [L.Conv1D(8, 3, kernel_constraint=C.MaxNorm(max_value=2.5, axis=[0, 1]))],
    ),
    Case(
        "obj_gru_unit_norm_non_neg",
        "input(20, 3) -> gru(8, recurrent_constraint=unit_norm(), bias_constraint=non_neg())",
        S20_3,
        lambda L: [L.GRU(8, recurrent_constraint=C.UnitNorm(), bias_constraint=C.NonNeg())],
    ),
    Case(
        "obj_dense_min_max_norm",
        "input(20, 3) -> dense(4, kernel_constraint=min_max_norm(0.1, max_value=2, rate=0.5))",
        S20_3,
        lambda L: [
            L.Dense(4, kernel_constraint=C.MinMaxNorm(min_value=0.1, max_value=2, rate=0.5))
        ],
    ),
    # -- objects Keras refuses
    Case(
        "obj_negative_l2",
        "input(20, 3) -> lstm(8, kernel_regularizer=l2(-0.001))",
        S20_3,
        lambda L: [L.LSTM(8, kernel_regularizer=R.L2(l2=-0.001))],
    ),
    Case(
        "obj_negative_l1",
        "input(20, 3) -> dense(4, kernel_regularizer=l1(-1))",
        S20_3,
        lambda L: [L.Dense(4, kernel_regularizer=R.L1(l1=-1))],
    ),
    Case(
        "obj_negative_l1l2",
        "input(20, 3) -> dense(4, kernel_regularizer=l1l2(l1=-0.01))",
        S20_3,
        lambda L: [L.Dense(4, kernel_regularizer=R.L1L2(l1=-0.01))],
    ),
    Case(
        "obj_orthogonal_regularizer_bad_mode",
        "input(20, 3) -> dense(4, kernel_regularizer=orthogonal_regularizer(mode=diagonal))",
        S20_3,
        lambda L: [L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(mode="diagonal"))],
    ),
    Case(
        "obj_orthogonal_regularizer_negative",
        "input(20, 3) -> dense(4, kernel_regularizer=orthogonal_regularizer(-0.1))",
        S20_3,
        lambda L: [L.Dense(4, kernel_regularizer=R.OrthogonalRegularizer(factor=-0.1))],
    ),
    Case(
        "obj_variance_scaling_zero_scale",
        "input(20, 3) -> dense(4, kernel_initializer=variance_scaling(scale=0))",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.VarianceScaling(scale=0))],
    ),
    Case(
        "obj_variance_scaling_bad_mode",
        "input(20, 3) -> dense(4, kernel_initializer=variance_scaling(mode=fan))",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.VarianceScaling(mode="fan"))],
    ),
    Case(
        "obj_variance_scaling_bad_distribution",
        "input(20, 3) -> dense(4, kernel_initializer=variance_scaling(distribution=gaussian))",
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.VarianceScaling(distribution="gaussian"))],
    ),
    Case(
        "obj_unknown_argument",
        "input(20, 3) -> dense(4, kernel_regularizer=l2(factor=0.1))",
        S20_3,
        lambda L: [L.Dense(4, kernel_regularizer=R.L2(factor=0.1))],
    ),
    Case(
        "obj_unknown_constraint_argument",
        "input(20, 3) -> lstm(8, kernel_constraint=max_norm(max=3))",
        S20_3,
        lambda L: [L.LSTM(8, kernel_constraint=C.MaxNorm(max=3))],
    ),
    Case(
        "obj_seed_not_an_integer",
        'input(20, 3) -> dense(4, kernel_initializer=glorot_uniform(seed="one"))',
        S20_3,
        lambda L: [L.Dense(4, kernel_initializer=Init.GlorotUniform(seed="one"))],
    ),
    Case(
        "obj_zeros_takes_no_arguments",
        "input(20, 3) -> dense(4, bias_initializer=zeros(value=1))",
        S20_3,
        lambda L: [L.Dense(4, bias_initializer=Init.Zeros(value=1))],
    ),
    # -- initializers and regularizers that need a matrix (E133)
    Case(
        "obj_dense_bias_identity",
        "input(20, 3) -> dense(4, bias_initializer=identity())",
        S20_3,
        lambda L: [L.Dense(4, bias_initializer=Init.Identity())],
    ),
    Case(
        "obj_lstm_bias_orthogonal_by_name",
        'input(20, 3) -> lstm(8, bias_initializer="orthogonal")',
        S20_3,
        lambda L: [L.LSTM(8, bias_initializer="orthogonal")],
    ),
    Case(
        "obj_conv1d_kernel_identity",
        "input(20, 3) -> conv1d(4, 3, kernel_initializer=identity(gain=2.0))",
        S20_3,
        lambda L: [L.Conv1D(4, 3, kernel_initializer=Init.Identity(gain=2.0))],
    ),
    Case(
        "obj_conv1d_kernel_orthogonal",
        "input(20, 3) -> conv1d(4, 3, kernel_initializer=orthogonal(seed=1))",
        S20_3,
        lambda L: [L.Conv1D(4, 3, kernel_initializer=Init.Orthogonal(seed=1))],
    ),
    Case(
        "obj_layernorm_gamma_identity",
        "input(20, 3) -> layernormalization(gamma_initializer=identity())",
        S20_3,
        lambda L: [L.LayerNormalization(gamma_initializer=Init.Identity())],
    ),
    Case(
        "obj_batchnorm_moving_mean_identity",
        "input(20, 3) -> lstm(8, seq) -> batchnormalization(moving_mean_initializer=identity)",
        S20_3,
        lambda L: [
            L.LSTM(8, return_sequences=True),
            L.BatchNormalization(moving_mean_initializer="identity"),
        ],
    ),
    Case(
        "obj_embedding_identity",
        'input(50, dtype="int32") -> embedding(10, 4, embeddings_initializer=identity())',
        I50,
        lambda L: [L.Embedding(10, 4, embeddings_initializer=Init.Identity())],
    ),
    Case(
        "obj_conv1d_orthogonal_regularizer",
        "input(20, 3) -> conv1d(4, 3, kernel_regularizer=orthogonal_regularizer(0.1))",
        S20_3,
        lambda L: [L.Conv1D(4, 3, kernel_regularizer=R.OrthogonalRegularizer(factor=0.1))],
        stricter="Keras builds it, then fails when training computes the loss "
        "(OrthogonalRegularizer needs a rank-2 weight)",
    ),
    Case(
        "obj_dense_bias_orthogonal_regularizer",
        'input(20, 3) -> dense(4, bias_regularizer="orthogonal_regularizer")',
        S20_3,
        lambda L: [L.Dense(4, bias_regularizer="orthogonal_regularizer")],
        stricter="Keras builds it, then fails when training computes the loss "
        "(OrthogonalRegularizer needs a rank-2 weight)",
    ),
    # -- Keras 2 arguments Keras 3 still takes
    Case(
        "legacy_lstm_implementation_1",
        "input(20, 3) -> lstm(8, implementation=1)",
        S20_3,
        lambda L: [L.LSTM(8, implementation=1)],
    ),
    Case(
        "legacy_gru_implementation_2_bidirectional",
        "input(20, 3) -> bigru(8, implementation=1, seq) -> gru(4, implementation=2)",
        S20_3,
        lambda L: [
            L.Bidirectional(L.GRU(8, implementation=1, return_sequences=True)),
            L.GRU(4, implementation=2),
        ],
    ),
    Case(
        "legacy_implementation_3",
        "input(20, 3) -> lstm(8, implementation=3)",
        S20_3,
        lambda L: [L.LSTM(8, implementation=3)],
        stricter="Keras runs any implementation but 1 as 2",
    ),
    Case(
        "legacy_simplernn_has_no_implementation",
        "input(20, 3) -> simplernn(8, implementation=1)",
        S20_3,
        lambda L: [L.SimpleRNN(8, implementation=1)],
    ),
    Case(
        "legacy_embedding_input_length",
        'input(50, dtype="int32") -> embedding(1000, 16, input_length=50) -> lstm(8)',
        I50,
        lambda L: [L.Embedding(1000, 16, input_length=50), L.LSTM(8)],
    ),
    Case(
        "legacy_embedding_input_length_other_value",
        'input(50, dtype="int32") -> embedding(1000, 16, input_length=7) -> lstm(8)',
        I50,
        lambda L: [L.Embedding(1000, 16, input_length=7), L.LSTM(8)],
    ),
    Case(
        "legacy_lstm_input_shape",
        "input(20, 3) -> lstm(8, input_shape=(20, 3)) -> dense(1, input_dim=8)",
        S20_3,
        lambda L: [L.LSTM(8, input_shape=(20, 3)), L.Dense(1, input_dim=8)],
    ),
    Case(
        "legacy_spatial_dropout_refuses_input_shape",
        "input(20, 3) -> spatialdropout1d(0.1, input_shape=(20, 3))",
        S20_3,
        lambda L: [L.SpatialDropout1D(0.1, input_shape=(20, 3))],
    ),
]
