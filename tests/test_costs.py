"""`costs`: multiply-adds, activation memory and weight memory, against counts made here.

Multiply-adds are counted by running each layer's forward pass in plain Python loops over
the real model's weights, one ``count += 1`` per multiplication by a weight, and the loop's
output is compared with Keras's own: the count is of the computation Keras does, not of a
formula. Activation and weight memory are the bytes of the arrays Keras returns and holds.
"""

from __future__ import annotations

import math

import pytest

from bilstm_dsl import check
from bilstm_dsl.costs import CostError, costs


def _costs(text: str, batch: int | None = None, steps: int | None = None):
    result = check(text)
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    return costs(result, batch, steps)


def test_variable_length_needs_steps():
    with pytest.raises(CostError, match="--steps"):
        _costs("input(none, 3) -> lstm(4)", 2)


def test_a_fixed_batch_size_is_the_batch():
    assert _costs("input(5, 1, batch_size=8) -> lstm(2, stateful)").batch_size == 8
    with pytest.raises(CostError, match="fixed at 8"):
        _costs("input(5, 1, batch_size=8) -> lstm(2, stateful)", 4)


def test_steps_too_short_for_a_layer_is_an_error():
    with pytest.raises(CostError, match="with --steps 2"):
        _costs("input(none, 3) -> conv1d(4, 5)", 1, 2)


def test_a_layer_without_a_known_count_is_unknown_not_zero():
    text = (
        "a = input(4, 8)\nb = input(4, 8)\nz = [a, b] -> dot(axes=2)\n"
        "model(inputs=[a, b], outputs=z)\n"
    )
    found = _costs(text, 1)
    assert found.stages[-1].macs is None and found.macs is None


# -- forward passes in loops, counting multiplications by weights


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def dot(self, x, w) -> list[float]:
        """``x @ w`` for a vector and a matrix, one count per multiplication."""
        rows, cols = w.shape
        out = [0.0] * cols
        for j in range(cols):
            for i in range(rows):
                out[j] += float(x[i]) * float(w[i, j])
                self.n += 1
        return out


def _sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def _dense(c: Counter, x, weights, activation=lambda v: v):
    kernel, bias = weights
    return [[activation(v + b) for v, b in zip(c.dot(row, kernel), bias)] for row in x]


def _lstm(c: Counter, seq, weights, reverse=False, sequences=False):
    kernel, recurrent, bias = weights
    u = recurrent.shape[0]
    h, cell = [0.0] * u, [0.0] * u
    every = []
    for x in reversed(seq) if reverse else seq:
        z = [a + b + d for a, b, d in zip(c.dot(x, kernel), c.dot(h, recurrent), bias)]
        i, f = [_sig(v) for v in z[:u]], [_sig(v) for v in z[u : 2 * u]]
        g, o = [math.tanh(v) for v in z[2 * u : 3 * u]], [_sig(v) for v in z[3 * u :]]
        cell = [fv * cv + iv * gv for fv, cv, iv, gv in zip(f, cell, i, g)]
        h = [ov * math.tanh(cv) for ov, cv in zip(o, cell)]
        every.append(h)
    return every if sequences else h


def _gru(c: Counter, seq, weights, reset_after: bool):
    kernel, recurrent, bias = weights
    u = recurrent.shape[0]
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, [0.0] * 3 * u)
    h = [0.0] * u
    for x in seq:
        xs = [a + b for a, b in zip(c.dot(x, kernel), b_in)]
        if reset_after:
            rs = [a + b for a, b in zip(c.dot(h, recurrent), b_rec)]
            z = [_sig(xs[k] + rs[k]) for k in range(u)]
            r = [_sig(xs[u + k] + rs[u + k]) for k in range(u)]
            hh = [math.tanh(xs[2 * u + k] + r[k] * rs[2 * u + k]) for k in range(u)]
        else:
            rs = c.dot(h, recurrent[:, : 2 * u])
            z = [_sig(xs[k] + rs[k]) for k in range(u)]
            r = [_sig(xs[u + k] + rs[u + k]) for k in range(u)]
            rh = c.dot([r[k] * h[k] for k in range(u)], recurrent[:, 2 * u :])
            hh = [math.tanh(xs[2 * u + k] + rh[k]) for k in range(u)]
        h = [z[k] * h[k] + (1 - z[k]) * hh[k] for k in range(u)]
    return h


def _simple_rnn(c: Counter, seq, weights):
    kernel, recurrent, bias = weights
    h = [0.0] * recurrent.shape[0]
    for x in seq:
        h = [math.tanh(a + b + d) for a, b, d in zip(c.dot(x, kernel), c.dot(h, recurrent), bias)]
    return h


def _conv1d(c: Counter, seq, weights, strides, padding, dilation, groups):
    kernel, bias = weights
    size, per_group, filters = kernel.shape
    span = dilation * (size - 1) + 1
    steps = len(seq)
    if padding == "valid":
        left, length = 0, (steps - span) // strides + 1
    elif padding == "causal":
        left, length = span - 1, (steps - 1) // strides + 1
    else:  # same
        length = (steps - 1) // strides + 1
        left = max(0, (length - 1) * strides + span - steps) // 2
    out = []
    for t in range(length):
        row = []
        for f in range(filters):
            group = f // (filters // groups)
            total = float(bias[f])
            for k in range(size):
                at = t * strides + k * dilation - left
                for ch in range(per_group):
                    value = seq[at][group * per_group + ch] if 0 <= at < steps else 0.0
                    total += float(value) * float(kernel[k, ch, f])
                    c.n += 1
            row.append(total)
        out.append(row)
    return out


FORWARDS = [
    ("input(6, 3) -> dense(4)", lambda c, x, w: _dense(c, x, w[0])),
    ("input(6, 3) -> lstm(4)", lambda c, x, w: _lstm(c, x, w[0])),
    ("input(6, 3) -> gru(4)", lambda c, x, w: _gru(c, x, w[0], True)),
    ("input(6, 3) -> gru(4, reset_after=false)", lambda c, x, w: _gru(c, x, w[0], False)),
    ("input(6, 3) -> simplernn(5)", lambda c, x, w: _simple_rnn(c, x, w[0])),
    (
        "input(6, 3) -> bilstm(2, sum)",
        lambda c, x, w: [
            a + b for a, b in zip(_lstm(c, x, w[0][:3]), _lstm(c, x, w[0][3:], reverse=True))
        ],
    ),
    ("input(6, 3) -> td(dense(2))", lambda c, x, w: _dense(c, x, w[0])),
    ("input(9, 4) -> conv1d(6, 3)", lambda c, x, w: _conv1d(c, x, w[0], 1, "valid", 1, 1)),
    (
        "input(9, 4) -> conv1d(6, 3, strides=2, padding=same)",
        lambda c, x, w: _conv1d(c, x, w[0], 2, "same", 1, 1),
    ),
    (
        "input(9, 4) -> conv1d(4, 2, padding=causal, dilation_rate=2, groups=2)",
        lambda c, x, w: _conv1d(c, x, w[0], 1, "causal", 2, 2),
    ),
    (
        'input(5, dtype="int32") -> embedding(7, 3)',
        lambda c, x, w: [[float(v) for v in w[0][0][int(i)]] for i in x],
    ),
]


@pytest.mark.keras
@pytest.mark.parametrize(("text", "forward"), FORWARDS, ids=[f[0] for f in FORWARDS])
def test_multiply_adds_are_the_multiplications_of_the_forward_pass(keras, text, forward):
    import numpy as np

    import bilstm_dsl

    model = bilstm_dsl.build(text)
    rng = np.random.default_rng(0)
    shape = model.inputs[0].shape[1:]
    if model.inputs[0].dtype == "int32":
        x = rng.integers(0, 7, size=(1, *shape)).astype("int32")
    else:
        x = rng.normal(size=(1, *shape)).astype("float32")
    weights = [[w.numpy() for w in layer.weights] for layer in model.layers[1:]]
    counter = Counter()
    ours = np.array(forward(counter, x[0], weights), dtype="float32")
    theirs = model.predict(x, verbose=0)[0]
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert _costs(text).stages[-1].macs == counter.n


@pytest.mark.keras
def test_two_layers_add_up(keras):
    import numpy as np

    import bilstm_dsl

    text = "input(6, 3) -> lstm(4, seq) -> dense(2)"
    model = bilstm_dsl.build(text)
    lstm_w = [w.numpy() for w in model.layers[1].weights]
    dense_w = [w.numpy() for w in model.layers[2].weights]
    x = np.random.default_rng(1).normal(size=(1, 6, 3)).astype("float32")
    c = Counter()
    states = _lstm(c, x[0], lstm_w, sequences=True)
    after_lstm = c.n
    ours = np.array(_dense(c, states, dense_w), dtype="float32")
    np.testing.assert_allclose(ours, model.predict(x, verbose=0)[0], rtol=1e-4, atol=1e-5)
    found = _costs(text)
    assert (found.stages[1].macs, found.stages[2].macs) == (after_lstm, c.n - after_lstm)
    assert found.macs == c.n


# -- memory: the bytes of what Keras returns and holds

MEMORY = [
    ("input(20, 1) -> lstm(8, seq) -> bilstm(4) -> dense(1)", 32, None),
    ("input(none, 6) -> conv1d(8, 3, padding=same) -> maxpool1d() -> td(dense(2))", 3, 10),
    ('input(5, dtype="int32") -> flatten() -> embedding(10, 3) -> flatten()', 4, None),
    ("input(12, 4) -> lstm(6, seq, state)", 2, None),
    ("input(none, 4) -> masking() -> gru(3, seq) -> globalaveragepooling1d()", 5, 7),
]


@pytest.mark.keras
@pytest.mark.parametrize(("text", "batch", "steps"), MEMORY, ids=[m[0] for m in MEMORY])
def test_activation_and_weight_memory_are_keras_arrays(keras, text, batch, steps):
    import numpy as np

    import bilstm_dsl

    model = bilstm_dsl.build(text)
    shape = tuple(steps if d is None else d for d in model.inputs[0].shape[1:])
    x = np.ones((batch, *shape), dtype=model.inputs[0].dtype)
    layers = model.layers[1:]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    outputs = probe.predict(x, verbose=0)
    if len(layers) == 1:
        outputs = [outputs]
    found = _costs(text, batch, steps)
    assert found.stages[0].activation_bytes == x.nbytes
    for layer, out, stage in zip(layers, outputs, found.stages[1:]):
        arrays = out if isinstance(out, list | tuple) else [out]
        assert stage.activation_bytes == sum(np.asarray(a).nbytes for a in arrays), layer.name
        assert stage.weight_bytes == sum(w.numpy().nbytes for w in layer.weights), layer.name
    assert found.activation_bytes == x.nbytes + sum(
        sum(np.asarray(a).nbytes for a in (o if isinstance(o, list | tuple) else [o]))
        for o in outputs
    )
    assert found.weight_bytes == sum(w.numpy().nbytes for w in model.weights)
