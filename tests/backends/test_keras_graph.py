"""Graphs through the backend: `compile` builds the functional model a careful person
would write by hand. Each case is written as `.arch` and as hand-written Keras; the compiled
model's config (layers, names, arguments, connections) must equal the hand-written one's,
the emitted Python must build the same config, and the `.keras` file must reload and
predict like the model in memory."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import bilstm_dsl

pytestmark = pytest.mark.keras


def _seq2seq(keras):
    L = keras.layers
    enc_in = keras.Input((None, 71), name="input_layer")
    _, h, c = L.LSTM(256, return_state=True, name="lstm")(enc_in)
    dec_in = keras.Input((None, 93), name="input_layer_1")
    dec = L.LSTM(256, return_sequences=True, return_state=True, name="lstm_1")(
        dec_in, initial_state=[h, c]
    )
    out = L.Dense(93, activation="softmax", name="dense")(dec[0])
    return keras.Model([enc_in, dec_in], out, name="m")


SEQ2SEQ = """\
enc_in = input(none, 71)
_, h, c = enc_in -> lstm(256, state)
dec_in = input(none, 93)
dec = dec_in -> lstm(256, seq, state, initial_state=[h, c])
out = dec[0] -> dense(93, activation=softmax)
model(inputs=[enc_in, dec_in], outputs=out)
"""


def _siamese_attention(keras):
    L = keras.layers
    q = keras.Input((10, 16), name="input_layer")
    v = keras.Input((12, 16), name="input_layer_1")
    att, scores = L.Attention(name="attention")([q, v], return_attention_scores=True)
    m = L.MultiHeadAttention(2, 8, name="multi_head_attention")(q, v)
    both = L.Concatenate(name="concatenate")([att, m])
    shared = L.Dense(4, name="dense")
    a, b = shared(both), shared(both)
    out = L.Average(name="average")([a, b])
    return keras.Model([q, v], [out, scores], name="m")


SIAMESE_ATTENTION = """\
q = input(10, 16)
v = input(12, 16)
att, scores = [q, v] -> attention(return_attention_scores=true)
m = [q, v] -> multiheadattention(2, 8)
both = [att, m] -> concatenate()
shared = dense(4)
a = both -> shared
b = both -> shared
out = [a, b] -> average()
model(inputs=[q, v], outputs=[out, scores])
"""


def _two_inputs(keras):
    L = keras.layers
    seq = keras.Input((30,), dtype="int32", name="input_layer")
    meta = keras.Input((5,), name="input_layer_1")
    x = L.Embedding(1000, 16, mask_zero=True, name="embedding")(seq)
    x = L.Bidirectional(L.GRU(8, name="gru"), name="bidirectional")(x)
    both = L.Concatenate(name="concatenate")([x, meta])
    out = L.Dense(1, activation="sigmoid", name="dense")(both)
    return keras.Model([seq, meta], out, name="m")


TWO_INPUTS = """\
seq = input(30, dtype="int32")
meta = input(5)
x = seq -> embedding(1000, 16, mask_zero=true) -> bigru(8)
out = [x, meta] -> concatenate() -> dense(1, activation=sigmoid)
"""


def _inputs_in_flows(keras):
    L = keras.layers
    x = keras.Input((5, 3), name="input_layer")
    a = L.LSTM(4, return_sequences=True, name="lstm")(x)
    a = L.LSTM(4, name="lstm_1")(a)
    m = keras.Input((2,), name="input_layer_1")
    b = L.Dense(4, name="dense")(m)
    out = L.Dense(1, name="dense_1")(L.Multiply(name="multiply")([a, b]))
    return keras.Model([x, m], out, name="m")


# Regression: an input made inside a flow got the flow's own variable, which the next step
# overwrote, so the model was built from an inner tensor (its first layers lost).
INPUTS_IN_FLOWS = """\
a = input(5, 3) -> lstm(4, seq) -> lstm(4)
b = input(2) -> dense(4)
out = [a, b] -> multiply() -> dense(1)
"""


def _masked_concatenate(keras):  # names left to Keras, as a careful person writes it
    L = keras.layers
    a = keras.Input((None,), dtype="int32")
    ea = L.Embedding(1000, 4, mask_zero=True)(a)
    b = keras.Input((None,), dtype="int32")
    eb = L.Embedding(1000, 4, mask_zero=True)(b)
    out = L.LSTM(3)(L.Concatenate()([ea, eb]))
    return keras.Model([a, b], out, name="m")


# Regression: Keras names the operation that concatenates the two masks `concatenate`; the
# layer named `concatenate` by hand clashed with it and the model could not be built.
MASKED_CONCATENATE = """\
a = input(none, dtype="int32")
ea = a -> embedding(1000, 4, mask_zero)
b = input(none, dtype="int32")
eb = b -> embedding(1000, 4, mask_zero)
out = [ea, eb] -> concatenate() -> lstm(3)
"""


def _masked_concatenates(keras):  # names left to Keras, as a careful person writes it
    L = keras.layers
    a = keras.Input((None,), dtype="int32")
    e = L.Embedding(1000, 4, mask_zero=True)(a)
    x = L.LSTM(3, return_sequences=True)(e)
    y = L.LSTM(3, return_sequences=True)(e)
    c = L.Concatenate()([x, y])
    d = L.Concatenate()([c, x])
    plain = L.Dense(2)(L.GlobalAveragePooling1D()(d))
    out = L.Concatenate()([plain, L.Dense(2)(plain)])
    return keras.Model(a, out, name="m")


# Keras names the operation that concatenates a layer's masks as it names layers: after a
# masked `concatenate`, the next Concatenate layer is `concatenate_2`, and after a second
# one `concatenate_4` (an unmasked one makes no operation).
MASKED_CONCATENATES = """\
a = input(none, dtype="int32")
e = a -> embedding(1000, 4, mask_zero)
x = e -> lstm(3, seq)
y = e -> lstm(3, seq)
c = [x, y] -> concatenate()
d = [c, x] -> concatenate()
plain = d -> globalaveragepooling1d() -> dense(2)
more = plain -> dense(2)
out = [plain, more] -> concatenate()
"""


def _concatenate_named_by_hand(keras):
    L = keras.layers
    a, b = keras.Input((5, 3)), keras.Input((5, 3))
    out = L.LSTM(2)(L.Concatenate(name="concatenate_5")([a, b]))
    return keras.Model([a, b], out, name="m")


# Regression: a name written in the spec that reads like one Keras gives was left out of
# the emitted Python, so Keras named the layer `concatenate` instead.
CONCATENATE_NAMED_BY_HAND = """\
a = input(5, 3)
b = input(5, 3)
out = [a, b] -> concatenate(name="concatenate_5") -> lstm(2)
"""

CASES = [
    (SEQ2SEQ, _seq2seq),
    (SIAMESE_ATTENTION, _siamese_attention),
    (TWO_INPUTS, _two_inputs),
    (INPUTS_IN_FLOWS, _inputs_in_flows),
    (MASKED_CONCATENATE, _masked_concatenate),
    (MASKED_CONCATENATES, _masked_concatenates),
    (CONCATENATE_NAMED_BY_HAND, _concatenate_named_by_hand),
]
IDS = [
    "seq2seq",
    "siamese_attention",
    "two_inputs",
    "inputs_in_flows",
    "masked_concatenate",
    "masked_concatenates",
    "concatenate_named_by_hand",
]


def _config(model) -> dict:
    config = model.get_config()
    config.pop("name", None)
    return config


@pytest.mark.parametrize(("spec", "by_hand"), CASES, ids=IDS)
def test_compiled_graph_is_the_hand_written_model(spec, by_hand, keras):
    keras.backend.clear_session()
    built = bilstm_dsl.build(spec, name="m")
    keras.backend.clear_session()
    expected = by_hand(keras)
    assert _config(built) == _config(expected)
    assert built.count_params() == expected.count_params()
    summary = bilstm_dsl.check(spec).summary
    assert summary is not None
    assert summary["total_params"] == expected.count_params()
    assert [row["name"] for row in summary["layers"]] == [layer.name for layer in expected.layers]


@pytest.mark.parametrize(("spec", "by_hand"), CASES, ids=IDS)
def test_emitted_python_builds_the_same_model(spec, by_hand, keras, tmp_path):
    source = bilstm_dsl.to_python(spec, name="m")
    script = tmp_path / "model.py"
    script.write_text(source + "\nimport json\nprint(json.dumps(model.get_config()))\n")
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow", "PATH": ""},
        check=True,
    )
    config = json.loads(run.stdout.strip().splitlines()[-1])
    config.pop("name", None)
    keras.backend.clear_session()
    expected = json.loads(json.dumps(_config(by_hand(keras))))
    assert config == expected


@pytest.mark.parametrize(("spec", "by_hand"), CASES, ids=IDS)
def test_keras_file_reloads_and_predicts_alike(spec, by_hand, keras, tmp_path):
    keras.backend.clear_session()
    model = bilstm_dsl.build(spec, name="m")
    path = tmp_path / "m.keras"
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    rng = np.random.default_rng(0)
    data = [
        rng.integers(0, 1000, (2, *[d or 7 for d in x.shape[1:]])).astype(x.dtype)
        if "int" in str(x.dtype)
        else rng.standard_normal((2, *[d or 7 for d in x.shape[1:]])).astype("float32")
        for x in model.inputs
    ]
    first, second = model.predict(data, verbose=0), again.predict(data, verbose=0)
    if not isinstance(first, list):
        first, second = [first], [second]
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_allclose(a, b, rtol=1e-6)
