"""Every file in examples/ agrees with the same model written by hand in Keras: verdict,
per-layer output shapes and parameter counts (Keras builds the truth here)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from bilstm_dsl import check

try:
    from tests.parity.harness import Case, keras_truth
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.harness import Case, keras_truth  # type: ignore[no-redef]

S20_1 = {"shape": (20, 1)}


def _bilstm(merge_mode: str):
    return lambda L: [L.Bidirectional(L.LSTM(50), merge_mode=merge_mode), L.Dense(1)]


HAND_WRITTEN = {
    "bilstm_many_to_one": (S20_1, _bilstm("concat")),
    "bilstm_many_to_many": (
        S20_1,
        lambda L: [
            L.Bidirectional(L.LSTM(50, return_sequences=True), merge_mode="concat"),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    "stacked_lstm_bilstm": (
        S20_1,
        lambda L: [L.LSTM(50, return_sequences=True), L.Bidirectional(L.LSTM(50)), L.Dense(1)],
    ),
    "stacked_lstm_bilstm_seq": (
        S20_1,
        lambda L: [
            L.LSTM(50, return_sequences=True),
            L.Bidirectional(L.LSTM(50, return_sequences=True)),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    "merge_modes/concat": (S20_1, _bilstm("concat")),
    "merge_modes/sum": (S20_1, _bilstm("sum")),
    "merge_modes/mul": (S20_1, _bilstm("mul")),
    "merge_modes/ave": (S20_1, _bilstm("ave")),
    "applications/text_classifier": (
        {"shape": (200,), "dtype": "int32"},
        lambda L: [
            L.Embedding(20000, 128),
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.Bidirectional(L.LSTM(64)),
            L.Dense(1, activation="sigmoid"),
        ],
    ),
    "applications/sequence_tagger": (
        {"shape": (None,), "dtype": "int32"},
        lambda L: [
            L.Embedding(10000, 100, mask_zero=True),
            L.Bidirectional(L.LSTM(128, return_sequences=True)),
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.TimeDistributed(L.Dense(17, activation="softmax")),
        ],
    ),
    "applications/lstm_autoencoder": (
        {"shape": (30, 4)},
        lambda L: [
            L.LSTM(64),
            L.RepeatVector(30),
            L.LSTM(64, return_sequences=True),
            L.TimeDistributed(L.Dense(4)),
        ],
    ),
    "applications/cnn_lstm": (
        {"shape": (100, 6)},
        lambda L: [
            L.Conv1D(64, 5, activation="relu", padding="same"),
            L.MaxPooling1D(2),
            L.Conv1D(64, 3, activation="relu", padding="same"),
            L.MaxPooling1D(2),
            L.Bidirectional(L.LSTM(64)),
            L.Dropout(0.3),
            L.Dense(5, activation="softmax"),
        ],
    ),
    "applications/pooled_encoder": (
        {"shape": (None, 16)},
        lambda L: [
            L.LayerNormalization(),
            L.Bidirectional(L.GRU(64, return_sequences=True)),
            L.GlobalMaxPooling1D(),
            L.Dense(32, activation="relu"),
            L.Dense(1),
        ],
    ),
    "applications/stateful_forecaster": (
        {"shape": (10, 1), "batch_size": 32},
        lambda L: [
            L.LSTM(50, return_sequences=True, stateful=True),
            L.LSTM(50, stateful=True),
            L.Dense(1),
        ],
    ),
    # examples/sine/ and examples/tagging/: the models the two training demos compile.
    **{
        f"sine/merge_modes/{mode}": (
            S20_1,
            lambda L, mode=mode: [L.Bidirectional(L.LSTM(32), merge_mode=mode), L.Dense(1)],
        )
        for mode in ("concat", "sum", "mul", "ave")
    },
    "tagging/pulses": (
        {"shape": (100, 1)},
        lambda L: [
            L.Bidirectional(L.LSTM(16, return_sequences=True), merge_mode="concat"),
            L.TimeDistributed(L.Dense(1, activation="sigmoid")),
        ],
    ),
    # The broken examples: Keras must reject them too (or be knowingly more lenient).
    "broken/missing_seq": (
        S20_1,
        lambda L: [L.LSTM(32), L.Bidirectional(L.LSTM(32), merge_mode="concat"), L.Dense(1)],
    ),
    "broken/two_tensors": (
        S20_1,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode=None), L.Dense(1)],
    ),
    "broken/wrong_rank": ({"shape": (20,)}, lambda L: [L.LSTM(16), L.Dense(1)]),
    "broken/stateful": (S20_1, lambda L: [L.LSTM(32, stateful=True), L.Dense(1)]),
    "broken/wrappers": (
        S20_1,
        lambda L: [
            L.Bidirectional(L.LSTM(32, return_sequences=True, go_backwards=True)),
            L.Bidirectional(L.Dense(8)),
        ],
    ),
}
# Not expressible as Keras calls: typos.arch (unknown names), unclosed.arch (syntax),
# bad_values.arch (Keras rejects units=0 first), assertion.arch (assertions are ours).
NOT_KERAS = {"broken/typos", "broken/unclosed", "broken/bad_values", "broken/assertion"}

ALL = sorted(str(p.relative_to(EXAMPLES).with_suffix("")) for p in EXAMPLES.rglob("*.arch"))


def _seq2seq_train(keras):
    """examples/seq2seq/train.arch, written by hand as the keras-io example does."""
    L = keras.layers
    encoder_inputs = keras.Input((None, 12))
    _, state_h, state_c = L.LSTM(64, return_state=True)(encoder_inputs)
    decoder_inputs = keras.Input((None, 12))
    decoded, _, _ = L.LSTM(64, return_sequences=True, return_state=True)(
        decoder_inputs, initial_state=[state_h, state_c]
    )
    outputs = L.Dense(12, activation="softmax")(decoded)
    return keras.Model([encoder_inputs, decoder_inputs], outputs)


# Graph examples: the functional model written by hand (a builder, not a list of layers).
HAND_WRITTEN_GRAPHS = {"seq2seq/train": _seq2seq_train}

# Open examples (no `input(...)`): checked with the input given as --input-shape would.
OPEN = {
    "open/project": (
        S20_1,
        lambda L: [
            L.LSTM(32, return_sequences=True),
            L.Bidirectional(L.LSTM(32), merge_mode="concat"),
            L.Dense(1),
        ],
    ),
}


def test_every_example_is_covered():
    covered = set(HAND_WRITTEN) | set(HAND_WRITTEN_GRAPHS) | set(OPEN) | NOT_KERAS
    assert set(ALL) == covered


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(OPEN))
def test_open_example_agrees_with_hand_written_keras_at_any_size(name, keras):
    """The formulas at the size given equal what Keras builds; so do the shapes."""
    inputs, layers = OPEN[name]
    source = (EXAMPLES / f"{name}.arch").read_text()
    for features in (1, 3):
        shape = inputs["shape"][:-1] + (features,)
        truth = keras_truth(Case(name, "input(...)", {"shape": shape}, layers))
        assert truth.ok
        given = check(source, name, input_shape=shape).summary
        open_ = check(source, name)
        assert given is not None and open_.ok and open_.open_input
        assert [row["params"] for row in given["layers"]] == [t.params for t in truth.layers]
        assert [row["output_shape"] for row in given["layers"]] == [
            list(t.output_shape) for t in truth.layers
        ]
        formulas = [stage.params for stage in open_.stages]
        at = [p.at({"F": features}) if hasattr(p, "at") else p for p in formulas]
        assert at == [t.params for t in truth.layers]


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN_GRAPHS))
def test_graph_example_agrees_with_hand_written_keras(name, keras):
    keras.backend.clear_session()
    model = HAND_WRITTEN_GRAPHS[name](keras)
    summary = check((EXAMPLES / f"{name}.arch").read_text(), name).summary
    assert summary is not None
    rows = summary["layers"]
    assert [layer.name for layer in model.layers] == [row["name"] for row in rows]
    assert [layer.count_params() for layer in model.layers] == [row["params"] for row in rows]
    assert model.count_params() == summary["total_params"]


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_example_agrees_with_hand_written_keras(name, keras):
    inputs, layers = HAND_WRITTEN[name]
    source = (EXAMPLES / f"{name}.arch").read_text()
    truth = keras_truth(Case(name, source, inputs, layers))
    result = check(source, name)
    assert result.ok == truth.ok, (result.diagnostics, truth.error)
    if not truth.ok:
        first = result.errors[0]
        assert first.stage is not None and first.stage <= truth.fail_stage
        return
    summary = result.summary
    assert [layer["type"] for layer in summary["layers"]] == [t.type for t in truth.layers]
    assert [layer["output_shape"] for layer in summary["layers"]] == [
        list(t.output_shape) for t in truth.layers
    ]
    assert [layer["params"] for layer in summary["layers"]] == [t.params for t in truth.layers]
    assert summary["total_params"] == truth.total_params
    assert summary["trainable_params"] == truth.trainable_params
    assert summary["non_trainable_params"] == truth.non_trainable_params
