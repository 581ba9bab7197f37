"""What the spec says survives the trip to Keras: names reach the model (and the emitted
Python) exactly as written or not at all, and arguments Keras leaves out of its own config
(``use_cudnn``, SimpleRNN's ``seed``) still reach the `.keras` file and ``--emit json``.
Keras is the oracle: hand-written layers are built next to the compiled ones."""

from __future__ import annotations

import ast
import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import bilstm_dsl
from bilstm_dsl import check
from bilstm_dsl.backends.plan import Call, Plan, Step
from bilstm_dsl.backends.python import emit_python
from bilstm_dsl.cli import main
from bilstm_dsl.files import model_name

# -- names


def test_a_layer_named_like_the_unnamed_input_is_refused_as_keras_refuses_it(
    keras, tmp_path, capsys
):
    spec = tmp_path / "clash.arch"
    spec.write_text('input(5, 3) -> dense(2, name="input_layer")\n')
    out = tmp_path / "clash.keras"
    assert main(["compile", str(spec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "error[E118]" in err and "Traceback" not in err
    assert not out.exists()
    # The oracle: in a fresh session the unnamed Input is `input_layer`, and Keras refuses
    # a second layer of that name.
    keras.backend.clear_session()
    inputs = keras.Input((5, 3))
    with pytest.raises(ValueError, match='"input_layer" is used 2 times'):
        keras.Model(inputs, keras.layers.Dense(2, name="input_layer")(inputs))


def test_the_name_input_layer_compiles_once_the_input_has_another(keras, tmp_path):
    model = bilstm_dsl.build('input(5, 3, name="x") -> dense(2, name="input_layer")')
    assert [layer.name for layer in model.layers] == ["x", "input_layer"]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert [layer.name for layer in loaded.layers] == ["x", "input_layer"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("specs/my-model.arch", "my_model"),
        ("_private.arch", "private"),
        ("modèle.arch", "mod_le"),
        ("😀.arch", "model"),
        ("<stdin>", "model"),
    ],
)
def test_a_model_named_after_its_file_trains(path, expected, keras):
    """TensorFlow takes the model's name as a root name scope (ASCII, not `_` first): a name
    taken straight from the file name (`_private`, `modèle`) fails in `predict` and `fit`."""
    name = model_name(path)
    assert name == expected
    model = bilstm_dsl.build("input(3, 2) -> lstm(2) -> dense(1)", name=name)
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((2, 3, 2), "float32")
    model.fit(x, np.zeros((2, 1), "float32"), epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (2, 1)


def test_a_raw_file_name_would_not_train(keras):
    """Why the names above are cleaned, and `build(name=...)` refuses such a name: the raw
    `_private` fails as soon as Keras runs."""
    keras.backend.clear_session()
    inputs = keras.Input((3, 2))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs), name="_private")
    with pytest.raises(ValueError, match="root scope"):
        model.predict(np.zeros((2, 3, 2), "float32"), verbose=0)
    with pytest.raises(ValueError, match="may not start with `_`"):
        bilstm_dsl.build("input(3, 2) -> dense(1)", name="_private")


# Every character the checker allows in a layer name but `>` (tested on its own below);
# names the checker accepts must build, run as a graph and come back from the emitted
# Python unchanged.
NAME_CHARS = "abcXYZ019_.-"


@settings(max_examples=25, deadline=None)
@given(first=st.text(NAME_CHARS, min_size=1, max_size=8), second=st.text(NAME_CHARS, max_size=8))
def test_names_the_checker_accepts_build_run_and_emit_unchanged(first, second, keras):
    spec = f'input(3, 2) -> lstm(2, seq, name="{first}") -> dense(1, name="{first}{second}z")'
    result = check(spec)
    assume(result.ok)
    names = [first, f"{first}{second}z"]
    model = bilstm_dsl.build(spec)
    assert [layer.name for layer in model.layers[1:]] == names
    assert model.predict(np.zeros((2, 3, 2), "float32"), verbose=0).shape == (2, 3, 1)
    namespace: dict = {}
    exec(bilstm_dsl.to_python(spec), namespace)  # noqa: S102 - our own generated code
    assert [layer.name for layer in namespace["model"].layers[1:]] == names


@pytest.mark.parametrize("name", ["a>", "a>_b", "a>-b", "a>>b"])
def test_names_with_a_bare_angle_bracket_fail_and_are_refused(name, keras):
    spec = f'input(3, 2) -> dense(1, name="{name}")'
    assert [d.code for d in check(spec).diagnostics] == ["E104"]
    keras.backend.clear_session()
    inputs = keras.Input((3, 2))
    model = keras.Model(inputs, keras.layers.Dense(1, name=name)(inputs))
    with pytest.raises(Exception, match="[Ii]nvalid"):
        model.predict(np.zeros((2, 3, 2), "float32"), verbose=0)


@pytest.mark.parametrize("name", ["a>b", "a>.b", "x.y-z"])
def test_names_the_checker_accepts_with_punctuation_run(name, keras):
    spec = f'input(3, 2) -> dense(1, name="{name}")'
    assert check(spec).ok
    keras.backend.clear_session()
    bilstm_dsl.build(spec).predict(np.zeros((2, 3, 2), "float32"), verbose=0)


# -- the emitted Python, for any string


def _call_keywords(source: str, func: str) -> list[dict[str, object]]:
    """The keyword arguments of every call of ``...<func>(...)`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(func):
            found.append({k.arg: ast.literal_eval(k.value) for k in node.keywords})
    return found


def _emitted(name: str, layer_name: str, header: str = "", source: str = "dense(2)") -> str:
    steps = (Step(Call("Dense", (2,), {"name": layer_name}), 1, source),)
    plan = Plan(name, {"shape": (5, 3), "name": "input_layer"}, steps, header)
    return emit_python(plan, f"{name}.arch")


@settings(max_examples=300, deadline=None)
@given(name=st.text(), layer_name=st.text(), header=st.text(), source=st.text())
def test_emitted_python_is_valid_and_reproduces_every_string(name, layer_name, header, source):
    """JSON's escapes are not Python's: `json.dumps` wrote an emoji as a surrogate pair,
    which Python reads back as two lone surrogates. Any string, control characters and lone
    surrogates included, must come back exactly, from a file that is valid UTF-8."""
    text = _emitted(name, layer_name, header, source)
    text.encode("utf-8")  # no lone surrogate reached a comment or the docstring
    tree = ast.parse(text)
    # Spec text reaches comments and the docstring only: the code is ours, statement by
    # statement, whatever the strings hold.
    assert [type(node).__name__ for node in tree.body] == [
        "Expr",
        "Import",
        "Assign",
        "Assign",
        "Assign",
        "If",
    ]
    assert _call_keywords(text, "Model")[0]["name"] == name
    assert _call_keywords(text, "layers.Dense")[0]["name"] == layer_name


@settings(max_examples=200, deadline=None)
@given(header=st.text(), trailing=st.text())
def test_any_comment_the_checker_accepts_leaves_the_emitted_python_valid(header, trailing):
    """Comments reach the docstring and the per-line comments of the generated code."""
    spec = f"# {header}\ninput(3, 2)\n  -> dense(1)  # {trailing}\n"
    assume(check(spec).ok)
    text = bilstm_dsl.to_python(spec)
    text.encode("utf-8")
    body = [type(node).__name__ for node in ast.parse(text).body]
    assert body == ["Expr", "Import", "Assign", "Assign", "Assign", "If"]


def test_an_emoji_name_is_written_as_one_escape(keras):
    text = _emitted("m😀", "a😀b")
    assert 'name="a\\U0001f600b"' in text and 'name="m\\U0001f600"' in text
    namespace: dict = {}
    exec(text, namespace)  # noqa: S102 - our own generated code
    assert namespace["model"].layers[1].name == "a😀b"
    assert namespace["model"].name == "m😀"


# -- arguments Keras leaves out of its config


def _seed(layer):
    return layer.cell.seed


def _use_cudnn(layer):
    return layer.use_cudnn


# (written, hand-written Keras layer, what the config must carry, how to read it back)
LEFT_OUT = {
    "lstm_use_cudnn": (
        "lstm(4, use_cudnn=false)",
        lambda L: L.LSTM(4, use_cudnn=False, name="lstm"),
        {"use_cudnn": False},
        _use_cudnn,
    ),
    "gru_use_cudnn": (
        "gru(4, seed=3, use_cudnn=false)",
        lambda L: L.GRU(4, seed=3, use_cudnn=False, name="gru"),
        {"use_cudnn": False},
        _use_cudnn,
    ),
    "simplernn_seed": (
        "simplernn(4, dropout=0.5, seed=7)",
        lambda L: L.SimpleRNN(4, dropout=0.5, seed=7, name="simple_rnn"),
        {"seed": 7},
        _seed,
    ),
}


@pytest.mark.parametrize("case", sorted(LEFT_OUT))
def test_arguments_keras_leaves_out_of_its_config_survive_saving(case, keras, tmp_path, capsys):
    written, by_hand, carried, read = LEFT_OUT[case]
    spec = f"input(5, 3) -> {written}"
    hand = by_hand(keras.layers)
    model = bilstm_dsl.build(spec)
    compiled = model.layers[1]
    # The layer is the hand-written one, and its config says what the spec says.
    assert read(compiled) == read(hand)
    assert compiled.get_config() == {**carried, **hand.get_config()}
    # A .keras file reloads it in safe mode with the value written.
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True).layers[1]
    assert read(loaded) == read(hand)
    assert loaded.get_config() == hand.get_config()
    # So does `compile --emit json`.
    path = tmp_path / "m.arch"
    path.write_text(spec + "\n")
    assert main(["compile", str(path), "--emit", "json"]) == 0
    config = json.loads(capsys.readouterr().out)
    assert carried.items() <= config["config"]["layers"][1]["config"].items()
    from_json = keras.models.model_from_json(json.dumps(config))
    assert read(from_json.layers[1]) == read(hand)


def test_bidirectional_copies_keep_the_arguments_keras_leaves_out(keras, tmp_path):
    """`Bidirectional` rebuilds both directions from the wrapped layer's config: by hand,
    SimpleRNN's seed is lost there; compiled, both directions keep it, and the file says so."""
    spec = "input(5, 3) -> bilstm(4, seq, use_cudnn=false) -> bidirectional(simplernn(2, seed=7))"
    model = bilstm_dsl.build(spec)
    lstm, rnn = model.layers[1:]
    L = keras.layers
    hand_lstm = L.Bidirectional(L.LSTM(4, return_sequences=True, use_cudnn=False))
    assert [d.use_cudnn for d in (lstm.forward_layer, lstm.backward_layer)] == [
        d.use_cudnn for d in (hand_lstm.forward_layer, hand_lstm.backward_layer)
    ]
    assert [d.cell.seed for d in (rnn.forward_layer, rnn.backward_layer)] == [7, 7]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    lstm = loaded.layers[1]
    assert [d.use_cudnn for d in (lstm.forward_layer, lstm.backward_layer)] == [False, False]
    rnn_config = json.loads(model.to_json())["config"]["layers"][2]["config"]
    assert rnn_config["layer"]["config"]["seed"] == 7
    assert rnn_config["backward_layer"]["config"]["seed"] == 7
