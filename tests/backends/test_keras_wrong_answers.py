"""Specs Keras builds but that fail when the model runs: each is written twice, as `.arch` and
as hand-written Keras, and Keras must really fail (or compute another shape than it declared)
on a CPU, while the checker must reject the spec with the code given. The oracle is Keras: a
case whose hand-written model runs is a wrong test, and this file says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from bilstm_dsl import check

pytestmark = pytest.mark.keras


def _run(keras: Any, shape: tuple, make: Callable[[Any], list], dtype: str = "float32") -> str:
    """Build the hand-written model, then call it as training and as `predict` (a graph, so
    TensorFlow's name scopes apply); return how it failed, or "" when all of it worked."""
    keras.backend.clear_session()
    inputs = keras.Input(shape, dtype=dtype)
    x = inputs
    for layer in make(keras.layers):
        x = layer(x)
    model = keras.Model(inputs, x)
    data = np.random.default_rng(0).standard_normal((2, *shape)).astype(dtype)
    try:
        out = model(data, training=True)
        model.predict(data, verbose=0)
    except Exception as exc:  # noqa: BLE001 - a failure is the outcome
        return f"{type(exc).__name__}: {exc}"
    declared = tuple(x.shape)[1:]
    if tuple(out.shape)[1:] != declared:
        return f"declared {declared}, computed {tuple(out.shape)[1:]}"
    return ""


CASES = [
    (
        "glu",
        "input(5, 3) -> dense(4, activation=glu) -> dense(1)",
        (5, 3),
        lambda L: [L.Dense(4, activation="glu")],
        "E122",
    ),
    (
        "threshold",
        "input(5, 3) -> lstm(4, activation=threshold)",
        (5, 3),
        lambda L: [L.LSTM(4, activation="threshold")],
        "E122",
    ),
    (
        "backward_units",
        "input(5, 3) -> bidirectional(lstm(8), backward_layer=lstm(4, go_backwards=true)) "
        "-> dense(1)",
        (5, 3),
        lambda L: [
            L.Bidirectional(L.LSTM(8), backward_layer=L.LSTM(4, go_backwards=True)),
            L.Dense(1),
        ],
        "E119",
    ),
    (
        "layernorm_duplicate_axis",
        "input(5, 3) -> layernormalization(axis=(-1, 2))",
        (5, 3),
        lambda L: [L.LayerNormalization(axis=(-1, 2))],
        "E210",
    ),
    (
        "noise_shape",
        "input(5, 3) -> dropout(0.5, noise_shape=(none, 4, 1))",
        (5, 3),
        lambda L: [L.Dropout(0.5, noise_shape=(None, 4, 1))],
        "E211",
    ),
    (
        "noise_shape_rank",
        "input(5, 3) -> dropout(0.5, noise_shape=(none, 1))",
        (5, 3),
        lambda L: [L.Dropout(0.5, noise_shape=(None, 1))],
        "E211",
    ),
    (
        "name_with_space",
        'input(5, 3) -> lstm(4, name="my lstm")',
        (5, 3),
        lambda L: [L.LSTM(4, name="my lstm")],
        "E104",
    ),
    (
        "name_non_ascii",
        'input(5, 3) -> lstm(4, name="é")',
        (5, 3),
        lambda L: [L.LSTM(4, name="é")],
        "E104",
    ),
    (
        "use_cudnn_relu",
        "input(5, 3) -> lstm(4, activation=relu, use_cudnn=true)",
        (5, 3),
        lambda L: [L.LSTM(4, activation="relu", use_cudnn=True)],
        "E123",
    ),
    (
        "reshape_no_length",
        "input(none, 3) -> reshape((7, 4))",
        (None, 3),
        lambda L: [L.Reshape((7, 4))],
        "E208",
    ),
    (
        "bool_into_maxpooling",
        'input(6, 3, dtype="bool") -> maxpooling1d()',
        (6, 3),
        lambda L: [L.MaxPooling1D()],
        "E209",
    ),
    (
        "given_name_keras_also_gives",
        'input(5, 3) -> lstm(8, seq) -> lstm(8, seq, name="lstm_1") -> lstm(8)',
        (5, 3),
        lambda L: [
            L.LSTM(8, return_sequences=True),
            L.LSTM(8, return_sequences=True, name="lstm_1"),
            L.LSTM(8),
        ],
        "E118",
    ),
    (
        "seed_past_int64",
        "input(5, 3) -> dropout(0.5, seed=9223372036854775808)",
        (5, 3),
        lambda L: [L.Dropout(0.5, seed=2**63)],
        "E104",
    ),
    (
        "input_layer_name",
        'input(5, 3) -> dense(2, name="input_layer")',
        (5, 3),
        lambda L: [L.Dense(2, name="input_layer")],
        "E118",
    ),
]


def _keras_fails(keras: Any, shape: tuple, make: Callable[[Any], list], dtype: str) -> str:
    try:
        return _run(keras, tuple(8 if d is None else d for d in shape), make, dtype)
    except Exception as exc:  # noqa: BLE001 - failing to build is failing too
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize(
    ("arch", "shape", "make", "code"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_keras_fails_and_the_checker_says_so(keras, arch, shape, make, code):
    dtype = "bool" if 'dtype="bool"' in arch else "float32"
    failure = _keras_fails(keras, shape, make, dtype)
    assert failure, f"the hand-written model runs in Keras, so {arch!r} is not a wrong answer"
    codes = [d.code for d in check(arch).errors]
    assert codes and codes[0] == code, f"{arch}: checker {codes}, Keras: {failure[:200]}"


def test_use_cudnn_true_fails_on_a_cpu(keras):
    """W302's claim, on this machine's CPU (pinned: no GPU is visible to the test run)."""
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        pytest.skip("a GPU is visible: use_cudnn=true may run here")
    failure = _keras_fails(keras, (5, 3), lambda L: [L.LSTM(4, use_cudnn=True)], "float32")
    assert "use_cudnn=True" in failure
    assert [d.code for d in check("input(5, 3) -> lstm(4, use_cudnn=true)").diagnostics] == ["W302"]


def test_names_after_a_wrapper_match_keras(keras):
    """Keras counts the layer inside a wrapper when it names the next one."""
    keras.backend.clear_session()
    inputs = keras.Input((5, 3))
    x = keras.layers.Bidirectional(keras.layers.LSTM(8, return_sequences=True))(inputs)
    x = keras.layers.LSTM(8)(x)
    model = keras.Model(inputs, x)
    summary = check("input(5, 3) -> bilstm(8, seq) -> lstm(8)").summary
    assert [layer["name"] for layer in summary["layers"]] == [
        layer.name for layer in model.layers[1:]
    ]
