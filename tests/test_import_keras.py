"""`import` against real Keras models: every round trip gives Keras the same model back.

For every valid parity case and every example: `.arch` -> the model `compile` builds ->
its config -> `import` -> `.arch` -> the model built again must have the identical
``get_config()`` (layer names included), and importing that model gives the same text (a
fixed point). The bulk goes through ``model.to_json()``, the text a `.keras` archive's
config.json holds; the examples and the hand-written models also go through real `.keras`
files written by ``model.save``. Names are those of a fresh process (``reset_uids``), as
`bilstm-dsl compile` has them in its own process and a user's script has them.
"""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES
from keras2_fixtures import KERAS_22_CUDNN, TF_KERAS_FUNCTIONAL, TF_KERAS_SEQUENTIAL

from bilstm_dsl import check
from bilstm_dsl.arch_text import ImportProblem
from bilstm_dsl.importer import import_model
from bilstm_dsl.layers import snake_case
from bilstm_dsl.saved import read_model

try:
    from tests.parity.corpus import CASES
    from tests.parity.corpus_graphs import CASES as GRAPH_CASES
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus import CASES  # type: ignore[no-redef]
    from parity.corpus_graphs import CASES as GRAPH_CASES  # type: ignore[no-redef]

pytestmark = pytest.mark.keras


def _valid(text: str):  # noqa: ANN202
    """A spec that compiles as written (an open input needs its shape given first)."""
    result = check(text)
    return result if result.ok and not result.open_input else None


VALID_CASES = [case for case in CASES if _valid(case.arch)]
COMPILE_FAILS: dict[str, str] = {}
"""Graph cases the checker accepts but `compile` cannot build (backend bugs, not import's);
strict xfails, so that a fix shows here."""
VALID_GRAPHS = [
    pytest.param(
        case,
        id=case.id,
        marks=[pytest.mark.xfail(strict=True, reason=COMPILE_FAILS[case.id])]
        if case.id in COMPILE_FAILS
        else [],
    )
    for case in GRAPH_CASES
    if _valid(case.arch)
]
_CHECKED = {
    path: _valid(path.read_text(encoding="utf-8"))
    for path in sorted(EXAMPLES.rglob("*.arch"))
    if "broken" not in path.parts
}
VALID_EXAMPLES = [path for path, result in _CHECKED.items() if result]
GRAPH_EXAMPLES = [path for path, result in _CHECKED.items() if result and result.graph]


@pytest.fixture(scope="module")
def fresh(keras):
    """``fresh()`` starts Keras's layer-name counters over, as a new process has them."""
    from keras.src.utils.naming import reset_uids

    return reset_uids


@pytest.fixture(scope="module")
def compile_arch(fresh):
    """The model `bilstm-dsl compile` builds from `.arch` text, in a fresh process."""
    from bilstm_dsl.backends.keras import build_model

    def build(text: str, name: str = "model"):
        result = check(text)
        assert result.ok, [(d.code, d.message) for d in result.diagnostics]
        fresh()
        return build_model(result, name)

    return build


def _round_trip(compile_arch, model) -> str:
    """Import ``model``, compile the result, and check both claims; the imported text."""
    imported = import_model(json.loads(model.to_json()))
    again = compile_arch(imported.text, model.name)
    if type(model).__name__ == "Sequential":  # compile builds functional models
        assert _configs(again) == _configs(model), imported.text
    else:
        assert again.get_config() == model.get_config(), imported.text
    assert import_model(json.loads(again.to_json())).text == imported.text
    return imported.text


def test_the_corpus_has_valid_cases():
    assert len(VALID_CASES) > 150 and len(VALID_EXAMPLES) >= 15
    assert len(VALID_GRAPHS) > 70 and GRAPH_EXAMPLES


@pytest.mark.parametrize("case", VALID_GRAPHS)
def test_graph_corpus_round_trip(compile_arch, case):
    """Every graph the checker accepts: several inputs and outputs, merges, attention,
    shared layers, initial states, one output of a `return_state` layer kept."""
    _round_trip(compile_arch, compile_arch(case.arch))


def test_a_chain_written_as_a_graph_comes_back_as_a_chain(compile_arch):
    text = "x = input(20, 1)\ny = x -> lstm(8, seq) -> gru(8) -> dense(1)\n"
    assert _round_trip(compile_arch, compile_arch(text)) == (
        "input(20, 1)\n  -> lstm(8, seq)\n  -> gru(8)\n  -> dense(1)\n"
    )


@pytest.mark.parametrize("case", VALID_CASES, ids=[c.id for c in VALID_CASES])
def test_corpus_round_trip(compile_arch, case):
    _round_trip(compile_arch, compile_arch(case.arch))


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_round_trip_through_keras_files(compile_arch, path, tmp_path):
    model = compile_arch(path.read_text(encoding="utf-8"), path.stem)
    saved = tmp_path / f"{path.stem}.keras"
    model.save(saved)
    imported = import_model(read_model(str(saved)).config)
    again = compile_arch(imported.text, path.stem)
    assert again.get_config() == model.get_config(), imported.text
    again.save(tmp_path / "again.keras")
    assert import_model(read_model(str(tmp_path / "again.keras")).config).text == imported.text


def test_short_forms_come_back(compile_arch):
    """What a person writes comes back as they would write it."""
    for text in (
        "input(20, 1)\n  -> bilstm(50, seq)\n  -> td(dense(1))\n",
        "input(none, dtype=int32)\n  -> embedding(10000, 100, mask_zero)\n"
        "  -> bilstm(128, seq)\n  -> td(dense(17, softmax))\n",
        "input(100, 6)\n  -> conv1d(64, 5, padding=same, activation=relu)\n  -> maxpool1d()\n"
        "  -> gru(32, dropout=0.2)\n  -> dense(5, softmax)\n",
        "input(10, 1, batch_size=32)\n  -> lstm(50, seq, stateful)\n  -> lstm(8)\n  -> dense(1)\n",
    ):
        assert _round_trip(compile_arch, compile_arch(text)) == text


# -- models written by hand in Keras


def _sequential(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input((30, 4)),
            L.LSTM(16, return_sequences=True, recurrent_dropout=0.1),
            L.Bidirectional(L.GRU(8, return_sequences=True), merge_mode="ave"),
            L.TimeDistributed(L.Dense(4, activation="relu", kernel_initializer="he_normal")),
            L.Conv1D(6, 3, strides=2, padding="causal", use_bias=False),
            L.MaxPooling1D(3, strides=1),
            L.LayerNormalization(),
            L.SimpleRNN(5, go_backwards=True, kernel_regularizer="l2"),
            L.Dropout(0.25),
            L.Dense(3, activation="softmax", name="scores"),
        ],
        name="hand_sequential",
    )


def _functional(keras):
    L = keras.layers
    inputs = keras.Input((None,), dtype="int32", name="tokens")
    x = L.Embedding(500, 8, mask_zero=True)(inputs)
    x = L.Bidirectional(
        L.LSTM(6, return_sequences=True),
        backward_layer=L.LSTM(6, return_sequences=True, go_backwards=True, dropout=0.1),
    )(x)
    x = L.GlobalAveragePooling1D()(x)
    x = L.BatchNormalization(momentum=0.9)(x)
    x = L.RepeatVector(3)(x)
    x = L.GRU(4, return_state=True, reset_after=False)(x)
    return keras.Model(inputs, x, name="hand_functional")


def _stateful(keras):
    L = keras.layers
    inputs = keras.Input((12, 2), batch_size=16)
    x = L.LSTM(8, stateful=True, return_sequences=True, unit_forget_bias=False)(inputs)
    x = L.Flatten()(x)
    x = L.Reshape((12, 8))(x)
    x = L.GaussianNoise(0.1)(x)
    x = L.SpatialDropout1D(0.2)(x)
    x = L.GlobalMaxPooling1D(keepdims=True)(x)
    return keras.Model(inputs, L.Dense(2, use_bias=False)(x), name="hand_stateful")


def _masked(keras):
    L = keras.layers
    inputs = keras.Input((None, 3))
    x = L.Masking(-1.0)(inputs)
    x = L.GRU(4, return_sequences=True)(x)
    x = L.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, L.Activation("gelu")(x), name="hand_masked")


def _argument_objects(keras):
    """Regularizers, initializers and constraints with arguments, as papers' code writes
    them: imported as calls (``l2(0.0001)``), with the factors Keras keeps in float32."""
    L, R, Init, C = keras.layers, keras.regularizers, keras.initializers, keras.constraints
    inputs = keras.Input((20, 8))
    x = L.LSTM(
        16,
        return_sequences=True,
        kernel_regularizer=R.L2(1e-4),
        recurrent_regularizer=R.L1L2(l2=0.001),
        kernel_initializer=Init.GlorotUniform(seed=42),
        recurrent_initializer=Init.Orthogonal(gain=0.5),
        kernel_constraint=C.MaxNorm(3),
    )(inputs)
    x = L.Dense(
        4,
        kernel_initializer=Init.RandomNormal(stddev=0.01),
        bias_initializer=Init.Constant(0.1),
        bias_regularizer=R.L1(0.02),
        activity_regularizer=R.L2(0.005),
        kernel_constraint=C.MinMaxNorm(0.1, 2.0, axis=[0, 1]),
    )(x)
    x = L.Dense(3, kernel_regularizer=R.OrthogonalRegularizer(0.1, mode="columns"))(x)
    return keras.Model(inputs, x, name="hand_objects")


HAND_WRITTEN = [_sequential, _functional, _stateful, _masked, _argument_objects]


def _configs(model) -> list[dict]:
    """The input's config, then each layer's, whether the model is Sequential or not."""
    layers = [layer.get_config() for layer in model.layers]
    if type(model).__name__ != "Sequential":
        layers = layers[1:]  # a functional model lists its input among its layers
    return [model.get_config()["layers"][0]["config"], *layers]


@pytest.mark.parametrize("make", HAND_WRITTEN, ids=lambda f: f.__name__.strip("_"))
def test_hand_written_keras_round_trip(keras, fresh, compile_arch, make, tmp_path):
    fresh()
    model = make(keras)
    model.save(tmp_path / "model.keras")
    imported = import_model(read_model(str(tmp_path / "model.keras")).config)
    again = compile_arch(imported.text, model.name)
    assert _configs(again) == _configs(model), imported.text
    assert [w.shape for w in again.weights] == [w.shape for w in model.weights]
    assert import_model(json.loads(again.to_json())).text == imported.text


def _sequence_and_metadata(keras):
    """Two inputs joined by a concatenate, two outputs."""
    L = keras.layers
    words = keras.Input((None,), dtype="int32", name="words")
    meta = keras.Input((5,), name="meta")
    x = L.Embedding(1000, 16, mask_zero=True)(words)
    x = L.Bidirectional(L.LSTM(8))(x)
    m = L.Dense(8, activation="relu")(meta)
    both = L.Concatenate()([x, m])
    label = L.Dense(3, activation="softmax", name="label")(both)
    score = L.Dense(1, name="score")(both)
    return keras.Model([words, meta], [label, score], name="hand_two_inputs")


def _encoder_decoder(keras):
    """keras-io's lstm_seq2seq: the encoder's states start the decoder."""
    L = keras.layers
    encoder_inputs = keras.Input((None, 12))
    _, state_h, state_c = L.LSTM(32, return_state=True)(encoder_inputs)
    decoder_inputs = keras.Input((None, 14))
    decoded, _, _ = L.LSTM(32, return_sequences=True, return_state=True)(
        decoder_inputs, initial_state=[state_h, state_c]
    )
    outputs = L.Dense(14, activation="softmax")(decoded)
    return keras.Model([encoder_inputs, decoder_inputs], outputs, name="hand_seq2seq")


def _siamese(keras):
    """One LSTM applied to two inputs: shared weights."""
    L = keras.layers
    left, right = keras.Input((10, 4)), keras.Input((10, 4))
    encoder = L.LSTM(16, name="encoder")
    distance = L.Subtract()([encoder(left), encoder(right)])
    return keras.Model([left, right], L.Dense(1, activation="sigmoid")(distance))


def _masked_concatenates(keras):
    """Three Concatenates left to Keras to name, two of them on masks: Keras names them
    `concatenate`, `concatenate_2` and `concatenate_4` (each masked call makes an operation
    of that name), and one named by hand in that pattern."""
    L = keras.layers
    tokens = keras.Input((None,), dtype="int32")
    embedded = L.Embedding(100, 4, mask_zero=True)(tokens)
    x = L.LSTM(3, return_sequences=True)(embedded)
    y = L.LSTM(3, return_sequences=True)(embedded)
    both = L.Concatenate()([x, y])
    again = L.Concatenate()([both, x])
    pooled = L.GlobalAveragePooling1D()(again)
    plain = L.Concatenate()([pooled, L.Dense(2)(pooled)])
    named = L.Concatenate(name="concatenate_9")([plain, pooled])
    return keras.Model(tokens, named)


HAND_WRITTEN_GRAPHS = [_sequence_and_metadata, _encoder_decoder, _siamese, _masked_concatenates]


@pytest.mark.parametrize("make", HAND_WRITTEN_GRAPHS, ids=lambda f: f.__name__.strip("_"))
def test_hand_written_functional_graphs_round_trip(keras, fresh, compile_arch, make, tmp_path):
    fresh()
    model = make(keras)
    model.save(tmp_path / "model.keras")
    imported = import_model(read_model(str(tmp_path / "model.keras")).config)
    assert imported.result.ok, imported.text
    again = compile_arch(imported.text, model.name)
    assert again.get_config() == model.get_config(), imported.text
    assert [w.shape for w in again.weights] == [w.shape for w in model.weights]
    again.save(tmp_path / "again.keras")
    assert import_model(read_model(str(tmp_path / "again.keras")).config).text == imported.text


def test_an_encoder_decoder_reads_as_written(keras, fresh):
    fresh()
    text = import_model(json.loads(_encoder_decoder(keras).to_json())).text
    assert text.splitlines() == [
        "input_layer = input(none, 12)",
        "_, lstm_h, lstm_c = input_layer -> lstm(32, state)",
        "input_layer_1 = input(none, 14)",
        "lstm_1, _, _ = input_layer_1 -> lstm(32, seq, state, initial_state=[lstm_h, lstm_c])",
        "dense = lstm_1 -> dense(14, softmax)",
    ]


def test_names_keras_gives_after_a_masked_concatenate_are_left_to_it(keras, fresh):
    fresh()
    model = _masked_concatenates(keras)
    names = [layer.name for layer in model.layers if layer.__class__.__name__ == "Concatenate"]
    assert names == ["concatenate", "concatenate_2", "concatenate_4", "concatenate_9"]
    text = import_model(json.loads(model.to_json())).text
    assert text.count("concatenate()") == 3, text
    assert 'concatenate(name="concatenate_9")' in text


def test_a_shared_layer_is_named_once_and_applied_by_name(keras, fresh):
    fresh()
    text = import_model(json.loads(_siamese(keras).to_json())).text
    assert text.splitlines() == [
        "input_layer = input(10, 4)",
        'encoder = lstm(16, name="encoder")',
        "encoder_input_layer = input_layer -> encoder",
        "input_layer_1 = input(10, 4)",
        "encoder_input_layer_1 = input_layer_1 -> encoder",
        "dense = [encoder_input_layer, encoder_input_layer_1] -> subtract() -> dense(1, sigmoid)",
    ]


def test_hand_written_sequential_reads_as_written(keras, fresh):
    fresh()
    text = import_model(json.loads(_sequential(keras).to_json())).text
    assert text.splitlines() == [
        "input(30, 4)",
        "  -> lstm(16, seq, recurrent_dropout=0.1)",
        "  -> bigru(8, ave, seq)",
        "  -> td(dense(4, relu, kernel_initializer=he_normal))",
        "  -> conv1d(6, 3, strides=2, padding=causal, use_bias=false)",
        "  -> maxpool1d(3, strides=1)",
        "  -> layernormalization()",
        "  -> simplernn(5, backwards, kernel_regularizer=l2)",
        "  -> dropout(0.25)",
        '  -> dense(3, softmax, name="scores")',
    ]


def test_names_from_a_busy_session_are_kept(keras, fresh, compile_arch):
    """A model made after others carries `lstm_3`-style names; they come back as given."""
    fresh()
    _sequential(keras)
    model = _sequential(keras)
    text = _round_trip(compile_arch, model)
    assert 'name="lstm_1"' in text and 'name="input_layer_1"' in text


def test_keras3_legacy_h5_reads_as_the_keras_file(keras, fresh, tmp_path):
    fresh()
    model = _sequential(keras)
    model.save(tmp_path / "m.keras")
    model.save(tmp_path / "m.h5")
    h5 = import_model(read_model(str(tmp_path / "m.h5")).config)
    assert h5.text == import_model(read_model(str(tmp_path / "m.keras")).config).text


@pytest.mark.parametrize("fixture", [TF_KERAS_SEQUENTIAL, KERAS_22_CUDNN, TF_KERAS_FUNCTIONAL])
def test_keras2_configs_build_in_keras3(compile_arch, fixture):
    imported = import_model(fixture)
    model = compile_arch(imported.text)
    saved = {layer["config"]["name"]: layer["class_name"] for layer in fixture["config"]["layers"]}
    for layer in model.layers[1:]:
        assert layer.name in saved  # every Keras 2 name is kept
    assert _round_trip(compile_arch, model) == imported.text.split("\n", len(imported.notes))[-1]


# -- models import cannot express, from real Keras


def _problem(keras, build) -> ImportProblem:
    model = build(keras, keras.layers)
    with pytest.raises(ImportProblem) as info:
        import_model(json.loads(model.to_json()))
    return info.value


def _two_inputs(keras, L):
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    return keras.Model([a, b], L.Add(name="sum")([a, b]))


def _merge(keras, L):
    x = keras.Input((20, 3))
    y = L.Concatenate(name="join")([L.LSTM(4)(x), L.GRU(4)(x)])
    return keras.Model(x, y)


def _shared(keras, L):
    x = keras.Input((3,))
    dense = L.Dense(3, name="twice")
    return keras.Model(x, dense(dense(x)))


def _branch(keras, L):
    x = keras.Input((3,))
    h = L.Dense(4, name="trunk")(x)
    return keras.Model(x, [L.Dense(1)(h), L.Dense(2)(h)])


def _nested(keras, L):
    inner = keras.Sequential([keras.Input((3,)), L.Dense(2)], name="inner")
    x = keras.Input((3,))
    return keras.Model(x, inner(x))


def _first_output_only(keras, L):
    x = keras.Input((20, 3))
    out, h, c = L.LSTM(4, return_state=True, name="stateful_lstm")(x)
    return keras.Model(x, out)


def _state_into_next(keras, L):
    x = keras.Input((20, 3))
    out, h, c = L.LSTM(4, return_state=True)(x)
    return keras.Model(x, L.Dense(1, name="head")(h))


def _initial_state(keras, L):
    x = keras.Input((20, 3))
    seq, h, c = L.LSTM(4, return_sequences=True, return_state=True)(x)
    return keras.Model(x, L.LSTM(4, name="decoder")(seq, initial_state=[h, c]))


def _lambda(keras, L):
    x = keras.Input((3,))
    return keras.Model(x, L.Lambda(lambda t: t * 2, name="double")(x))


def _operation(keras, L):
    x = keras.Input((3,))
    return keras.Model(x, L.Dense(2, name="after")(keras.ops.exp(x)))


def _mixed_precision(keras, L):
    return keras.Sequential([keras.Input((3,)), L.Dense(2, dtype="mixed_float16", name="half")])


def _custom_regularizer(keras, L):
    @keras.saving.register_keras_serializable("bilstm_dsl_tests")
    class Smooth(keras.regularizers.Regularizer):
        def __call__(self, x):
            return keras.ops.sum(keras.ops.square(x[1:] - x[:-1]))

        def get_config(self):
            return {}

    return keras.Sequential([keras.Input((3,)), L.Dense(2, kernel_regularizer=Smooth())])


def _unbuilt(keras, L):
    return keras.Sequential([L.Dense(2)])


def _shared_with_states(keras, L):
    x, y = keras.Input((20, 3)), keras.Input((20, 3))
    _, h, c = L.LSTM(4, return_state=True)(x)
    twice = L.LSTM(4, name="twice")
    return keras.Model([x, y], [twice(x, initial_state=[h, c]), twice(y)])


def _masked_by_hand(keras, L):
    x, m = keras.Input((20, 3)), keras.Input((20,), dtype="bool")
    return keras.Model([x, m], L.LSTM(4, name="told")(x, mask=m))


PROBLEMS = [
    (_nested, "I103", "inner", "nested model"),
    (_shared_with_states, "I103", "twice", "initial_state"),
    (_masked_by_hand, "I103", "told", "`mask=`"),
    (_lambda, "I101", "double", "`Lambda` has no .arch form"),
    (_operation, "I101", "exp", "keras.ops.exp"),
    (_mixed_precision, "I102", "half", "`mixed_float16`"),
    (_custom_regularizer, "I102", "dense", "the custom regularizer `bilstm_dsl_tests>Smooth`"),
    (_unbuilt, "I104", None, "before it was built"),
]


GRAPHS_BY_HAND = [
    _two_inputs,
    _merge,
    _shared,
    _branch,
    _first_output_only,
    _state_into_next,
    _initial_state,
]
"""Graphs import once stopped at (I103), now written as graphs."""


@pytest.mark.parametrize("build", GRAPHS_BY_HAND, ids=lambda f: f.__name__.strip("_"))
def test_graphs_once_refused_round_trip(keras, fresh, compile_arch, build):
    fresh()
    _round_trip(compile_arch, build(keras, keras.layers))


@pytest.mark.parametrize(
    ("build", "code", "layer", "says"), PROBLEMS, ids=[p[0].__name__.strip("_") for p in PROBLEMS]
)
def test_problems_name_the_construct_and_the_layer(keras, fresh, build, code, layer, says):
    fresh()
    problem = _problem(keras, build)
    assert problem.code == code
    assert (problem.layer.name if problem.layer else None) == layer
    assert says in problem.message, problem.message


# -- the config vocabulary against the installed Keras


def test_initializer_regularizer_and_constraint_tables(keras):
    from bilstm_dsl import keras_config as kc
    from bilstm_dsl import values

    for name in values.INITIALIZERS:
        saved = keras.initializers.serialize(keras.initializers.get(name))
        assert saved["class_name"] == kc.INITIALIZER_CLASSES[name]
        assert kc.initializer(saved) in (name, snake_case(saved["class_name"]))
        assert kc.same_initializer(kc.initializer(saved), name)
    for name in values.REGULARIZERS:
        saved = keras.regularizers.serialize(keras.regularizers.get(name))
        assert kc.regularizer(saved) == name
    for name in values.CONSTRAINTS:
        saved = keras.constraints.serialize(keras.constraints.get(name))
        assert kc.constraint(saved) == name


def test_every_config_key_is_an_argument_or_known(keras):
    """Each registry layer a chain can hold, made with Keras's defaults: every key of its
    config is either an argument the registry lists or a `CONFIG_ONLY` key at its default,
    so import reads a default layer as the bare call."""
    from bilstm_dsl.layers import LAYERS

    required = {"units": 2, "rate": 0.5, "activation": "relu", "input_dim": 4,
                "output_dim": 2, "stddev": 0.1, "n": 2, "filters": 2, "kernel_size": 3,
                "pool_size": 2, "target_shape": (2,)}  # fmt: skip
    for spec in LAYERS.values():
        if spec.family == "wrapper" or any(p.name not in required for p in spec.required):
            continue
        if getattr(spec, "inputs", "one") != "one":  # merges are never in a chain
            continue
        # CategoryEncoding's num_tokens is optional in its signature, needed when it is made
        needed = {"categoryencoding": {"num_tokens": 4}}.get(spec.name, {})
        layer = getattr(keras.layers, spec.keras_class)(
            **{p.name: required[p.name] for p in spec.required}, **needed
        )
        config = {"class_name": spec.keras_class, "config": layer.get_config()}
        from bilstm_dsl.arch_text import translate

        call = translate(config)
        assert set(call.args) <= {p.name for p in spec.required} | set(needed), (
            spec.name,
            call.args,
        )


def test_the_readme_model_is_what_its_code_saves(fresh):
    """examples/keras/sentiment.keras, which the README imports and checks, is the model
    examples/keras/sentiment.py writes in plain Keras."""
    import runpy

    from bilstm_dsl.keras_config import same

    fresh()
    model = runpy.run_path(str(EXAMPLES / "keras" / "sentiment.py"))["model"]
    saved = read_model(str(EXAMPLES / "keras" / "sentiment.keras")).config
    # the same layers, whatever `shared_object_id` saving gave objects saved twice
    assert same(saved["config"]["layers"], json.loads(model.to_json())["config"]["layers"])


def test_check_of_a_saved_graph_points_at_layer_names(keras, fresh, tmp_path):
    """`check MODEL.keras` on a functional graph: each finding at the saved layer's name."""
    from bilstm_dsl.saved_check import check_saved, located

    fresh()
    L = keras.layers
    a, b = keras.Input((None, 3), name="a"), keras.Input((None, 3), name="b")
    slow = L.LSTM(8, return_sequences=True, recurrent_dropout=0.2, name="slow")(a)
    joined = L.Concatenate(name="join")([slow, L.LSTM(8, return_sequences=True)(b)])
    keras.Model([a, b], L.Dense(1, name="head")(joined)).save(tmp_path / "two.keras")
    found = [(d.code, layer.name) for d, layer in located(check_saved(str(tmp_path / "two.keras")))]
    assert ("W301", "slow") in found and ("N401", "head") in found


def test_an_adapted_text_vectorization_is_not_imported_without_its_vocabulary():
    """Its vocabulary is data in the model's assets; `.arch` would rebuild an empty one."""
    from bilstm_dsl.arch_text import ImportProblem, translate

    base = {"name": "text_vectorization", "max_tokens": None, "output_mode": "int"}
    written = translate(
        {
            "class_name": "TextVectorization",
            "config": {**base, "vocabulary": ["a", "b"], "vocabulary_size": 4},
        }
    )
    assert list(written.args["vocabulary"]) == ["a", "b"]
    with pytest.raises(ImportProblem) as raised:
        translate({"class_name": "TextVectorization", "config": {**base, "vocabulary_size": 1002}})
    assert raised.value.code == "I102" and "1002 tokens" in str(raised.value)
