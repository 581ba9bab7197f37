"""Open inputs and named sizes (issue 12, item 3): a chain written without `input(...)`
checks with a symbolic input, weight counts that depend on it are formulas, `compile`
asks for the shape, and `input(T, 8)` names a size that assertions can reuse.

The oracle is Keras: each open chain is built by Keras with concrete inputs (through
`bilstm_dsl.build(..., input_shape=...)`, whose layers Keras sizes itself), and every
layer's weight count and output shape must be what the formula gives at that size."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from bilstm_dsl import build, check, to_python
from bilstm_dsl.lsp_analysis import Analysis, hover_at
from bilstm_dsl.summary import summary_table
from bilstm_dsl.symbolic import Deciding, Sym, Undecided

F = Sym.named("F")
T = Sym.named("T")

# -- the polynomial


def test_arithmetic_gives_formulas_and_ints_back():
    lstm = 4 * 32 * (F + 32) + 4 * 32
    assert isinstance(lstm, Sym)
    assert format(lstm, ",") == "128*F + 4,224"
    assert str(2 * F * T + F - 3) == "2*F*T + F - 3"
    assert (F + 1) - F == 1 and type((F + 1) - F) is int
    assert (4 * F + 8) // 4 == F + 2
    assert (F * F).at({"F": 3}) == 9
    assert (128 * F + 4224).at({"F": 1}) == 4352


def test_questions_a_formula_cannot_answer():
    for question in (lambda: F // 2, lambda: F % 3, lambda: F < 4, lambda: bool(F - 2)):
        with pytest.raises(Undecided):
            question()
    Deciding.on = True
    try:
        with pytest.raises(Undecided):
            _ = F == 8
        assert F == F and (F + 1 == F) is False
    finally:
        Deciding.on = False
    assert (F == 8) is False  # outside a check, a name is not a number
    assert F != None  # noqa: E711


# -- checking


PROJECT = "lstm(32, seq) -> bilstm(32, concat) -> dense(1)"


def test_the_projects_one_line_spec_checks():
    result = check(PROJECT)
    assert result.ok and result.diagnostics == ()
    assert result.open_input
    assert result.input_shape == (None, None, F)
    lstm, bilstm, dense = result.stages
    assert format(lstm.params, ",") == "128*F + 4,224"
    assert (bilstm.params, dense.params) == (16640, 65)


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("lstm(32) -> lstm(8)", "E201"),  # the missing `seq`, as with a written input
        ("dense(8) -> lstm(4)", "E203"),
        ("lstm(8, state) -> dense(1)", "E202"),
        ("bilstm(8, none) -> dense(1)", "E202"),
    ],
)
def test_rank_errors_are_caught_as_with_a_written_input(source, code):
    result = check(source)
    assert [d.code for d in result.diagnostics] == [code]
    dims = ["3" if isinstance(d, Sym) else "none" for d in result.input.get("shape")]
    prefix = f"input({', '.join(dims)}) -> "  # the same rank, written out
    written = check(prefix + source)
    assert [(d.code, d.span.start - len(prefix), d.message) for d in written.diagnostics] == [
        (d.code, d.span.start, d.message) for d in result.diagnostics
    ]


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        ("categoryencoding(4) -> dense(2)", (None,)),
        ('textvectorization(vocabulary=["a"]) -> embedding(4, 2)', (1,)),
        ("dense(4)", (F,)),
        ("dropout(0.1) -> dense(2)", (F,)),
        ("lstm(4)", (None, F)),
        ("conv1d(8, 3) -> lstm(4)", (None, F)),
        ("td(dense(4)) -> lstm(2)", (None, F)),
        ("embedding(50, 8) -> lstm(4)", (None,)),
    ],
)
def test_the_open_input_has_the_fewest_axes_the_first_layer_takes(source, shape):
    result = check(source)
    assert result.ok, result.diagnostics
    assert tuple(result.input.get("shape")) == shape
    dtype = {"embedding": "int32", "categoryencoding": "int32", "textvectorization": "string"}
    assert result.input.get("dtype") == dtype.get(source.split("(")[0], "float32")


def test_named_sizes_flow_into_shapes_formulas_and_assertions():
    source = "input(T, 8) -> lstm(16, seq) : (T, 16) -> flatten() : (16*T,) -> dense(2)"
    result = check(source.replace(" : (16*T,)", ""))
    assert result.ok, result.diagnostics
    assert [s.shapes[0] for s in result.stages] == [(None, T, 16), (None, 16 * T), (None, 2)]
    assert result.stages[-1].params == 32 * T + 2
    wrong = check("input(T, 8) -> lstm(16, seq) : (16, T)")
    assert [d.code for d in wrong.diagnostics] == ["E205"]
    assert "produces (T, 16)" in wrong.diagnostics[0].message
    # `none` still matches a size Keras will not know when it builds the model
    assert check("input(T, 8) -> lstm(16, seq) : (none, 16)").ok
    # a name the input does not have is not a size
    assert [d.code for d in check("input(T, 8) -> lstm(4, seq) : (X, 4)").diagnostics] == ["E206"]


def test_a_rule_that_depends_on_the_size_stops_with_a_note():
    source = "input(T, 8) -> conv1d(4, 3, strides=2) -> lstm(4)"
    result = check(source)
    assert [d.code for d in result.diagnostics] == ["N403"]
    note = result.diagnostics[0]
    assert note.span.start == source.index("conv1d")
    assert "(T - 3) // 2" in note.message and "`T`" in note.message
    assert result.ok and result.stages == ()  # nothing past it is claimed as checked
    # with the size given, it checks through
    given = check(source, input_shape=(20, 8))
    assert given.ok and given.diagnostics == ()
    assert given.stages[-1].shapes == ((None, 4),)


def test_input_shape_replaces_the_written_dims_and_must_fit():
    assert check("lstm(4) -> dense(1)", input_shape=(20, 3)).input_shape == (None, 20, 3)
    named = check("input(T, 8) -> lstm(4, seq) : (T, 4)", input_shape=(12, 8))
    assert named.ok and named.stages[0].shapes == ((None, 12, 4),)
    bad = check("input(20, 8) -> lstm(4)", input_shape=(8,))
    assert [d.code for d in bad.diagnostics] == ["E216"]
    assert bad.diagnostics[0].span.start == 0 and bad.diagnostics[0].span.end == 12  # the input
    assert "--input-shape has 1 dims, but the spec's input has 2" in bad.diagnostics[0].message


# -- what the tools show


def test_summary_shows_symbols_and_formulas():
    result = check(PROJECT, "project.arch")
    table = summary_table(result, "project")
    assert "(None, None, F)" in table
    assert "128*F + 4,224" in table
    assert " Total params: 128*F + 20,929" in table
    assert " F: the number of features of the open input" in table
    data = json.loads(json.dumps(result.summary))
    assert data["layers"][0]["params"] == "128*F + 4224"
    assert data["total_params"] == "128*F + 20929"
    assert data["layers"][1]["params"] == 16640


def test_hover_on_an_open_chain_shows_the_stage_under_the_cursor():
    analysis = Analysis.of(PROJECT + "\n")
    lstm = hover_at(analysis, PROJECT.index("lstm"))
    dense = hover_at(analysis, PROJECT.index("dense"))
    assert lstm is not None and dense is not None
    assert "Params: 128*F + 4,224" in lstm.plain and "(None, None, 32)" in lstm.plain
    assert "Layer name: dense" in dense.plain and "Params: 65" in dense.plain


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bilstm_dsl", *args],
        capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip


def test_compile_asks_for_the_shape(tmp_path):
    spec = tmp_path / "open.arch"
    spec.write_text(PROJECT + "\n")
    proc = _cli("compile", str(spec), "--emit", "python")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--input-shape 20,1" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("compile", str(spec), "--emit", "python", "--input-shape", "20,1")
    assert proc.returncode == 0, proc.stderr
    assert 'keras.Input(shape=(20, 1), name="input_layer")' in proc.stdout
    bad = _cli("compile", str(spec), "--emit", "python", "--input-shape", "20,x")
    assert bad.returncode == 2 and "each dim is a positive integer or `none`" in bad.stderr
    named = tmp_path / "named.arch"
    named.write_text("input(T, 8) -> lstm(16, seq) -> flatten() -> dense(2)\n")
    proc = _cli("compile", str(named), "--emit", "python")
    assert proc.returncode == 2
    assert "the weights of `dense` (line 1) depend on `T`" in proc.stderr
    with pytest.raises(ValueError, match="input_shape="):
        to_python(PROJECT)


def test_a_named_time_axis_compiles_as_none_when_nothing_needs_it():
    source = to_python("input(T, 8) -> lstm(16, seq) : (T, 16) -> lstm(4)")
    assert 'keras.Input(shape=(None, 8), name="input_layer")' in source


# -- Keras as the oracle


OPEN_CHAINS = [
    PROJECT,
    "lstm(8) -> dense(3)",
    "gru(6, seq) -> gru(4)",
    "simplernn(5, seq) -> bilstm(3, sum) -> dense(1)",
    "bigru(4, seq, ave) -> td(dense(2))",
    'conv1d(6, 3, padding="same") -> maxpooling1d(2) -> lstm(4)',
    "dense(7) -> dropout(0.1) -> dense(1)",
    "layernormalization() -> dense(3)",
    "batchnormalization() -> dense(2)",
    "td(dense(5)) -> lstm(3)",
    "embedding(40, 6, mask_zero=true) -> bilstm(4) -> dense(1)",
    "dense(4, use_bias=false) -> reshape((2, 2)) -> lstm(3)",
    "categoryencoding(4) -> dense(2)",
    'textvectorization(vocabulary=["a", "b"], output_sequence_length=5) -> embedding(9, 3)',
]


@pytest.mark.keras
@pytest.mark.parametrize("source", OPEN_CHAINS)
@pytest.mark.parametrize("features", [1, 5])
def test_formulas_are_what_keras_builds(keras, source, features):
    result = check(source)
    assert result.ok, result.diagnostics
    # the open shape made concrete: F features, and a length of 6 where it is open
    shape = tuple(features if isinstance(d, Sym) else 6 if d is None else d
                  for d in result.input.get("shape"))  # fmt: skip
    model = build(source, input_shape=shape)
    values = {"F": features}
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    assert len(layers) == len(result.stages)
    concrete = check(source, input_shape=shape)
    for stage, fixed, layer in zip(result.stages, concrete.stages, layers):
        params = stage.params.at(values) if isinstance(stage.params, Sym) else stage.params
        assert params == layer.count_params() == fixed.params, (stage.name, params)
        assert stage.name == layer.name
        assert list(fixed.shapes[0]) == list(layer.output.shape)
        # the open shape is the concrete one with the sizes put back as unknown or F
        for open_dim, dim in zip(stage.shapes[0], fixed.shapes[0]):
            if isinstance(open_dim, Sym):
                assert open_dim.at(values) == dim
            elif open_dim is not None:
                assert open_dim == dim


@pytest.mark.keras
def test_an_open_chain_keras_refuses_for_every_size_is_refused(keras):
    source = "lstm(8) -> lstm(4)"
    assert [d.code for d in check(source).diagnostics] == ["E201"]
    for features in (1, 3):
        inputs = keras.Input((5, features))
        with pytest.raises(ValueError, match="ndim"):
            keras.layers.LSTM(4)(keras.layers.LSTM(8)(inputs))


def test_the_checking_path_still_imports_no_keras():
    code = (
        "import sys; from bilstm_dsl import check; check('lstm(4) -> dense(1)'); "
        "print(sorted(m for m in ('keras', 'tensorflow', 'numpy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "[]", proc.stderr


def test_unroll_needs_a_time_axis_keras_knows_when_it_builds():
    # a named time axis is None to Keras until a size is given for it
    named = check("input(T, 8) -> lstm(4, unroll=true)")
    assert [d.code for d in named.diagnostics] == ["E115"]
    assert "the time axis is `T`" in named.diagnostics[0].message
    given = check("input(T, 8) -> lstm(4, unroll=true)", input_shape=(5, 8))
    assert [d.code for d in given.diagnostics] == ["W301"]  # unrolled: off cuDNN, nothing else
