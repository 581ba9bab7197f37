"""What the checker keeps from one call's text to the next (`recipes._recipes` and
`_input_recipes`, `infer._outputs`) changes nothing a caller can see: a spec checked with
everything kept gives what a checker that keeps nothing gives, in new objects, with spans
into its own text; and what is kept stays bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilstm_dsl import check, infer, recipes
from bilstm_dsl.model import Layer

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.arch"))

SPECS = [
    "input(20, 1) -> lstm(32, seq) -> bilstm(16) -> dropout(0.2) -> dense(1)",
    "input(20, 8, batch_size=4) -> gru(8, seq, stateful) -> bilstm(4, concat, seq) -> dense(2)",
    "input(T, 8) -> lstm(16) -> dense(3)",
    "lstm(16, seq) -> dense(1)",
    'input(20, 8) -> lstm(8, name="a") -> dense(4, name="a")',
    "input(20, 8) -> dense(4) -> dense(4) -> input(20, 8)",
    "input(20, 8) -> lstm(8, recurrent_dropout=0.1, use_cudnn=true) -> dense(1)",
    "input(20, 8) -> embedding(10, 4) -> dense(1)",
    'input(20, dtype="int32") -> embedding(100, 8, mask_zero=true) -> lstm(8) -> dense(1)',
    "input(20, 8) -> dense(4) : (20, 4) -> dense(2) : (9, 9)",
    "input(20, 8) -> bidirectional(lstm(8), merge_mode=sum) -> dense(1)",
    "input(20, 8) -> td(dense(3)) -> lstm(2)",
    "input(20, 8) -> lstm(8, unroll=true) -> dense(1, kernel_regularizer=l2(0.01))",
    "input(20, 8) -> dense(99999999999999999999) -> dense(1)",
    "input(20, 8)\n  -> dense(4)  # four\n  -> dense( 4 )\n  -> dense(4,)",
]


def _forget() -> None:
    recipes._recipes.forget()
    recipes._input_recipes.forget()
    infer._outputs.forget()


def _seen(result) -> tuple:  # noqa: ANN001
    """Everything a caller can observe of a result, as plain data."""

    def layer(lay) -> tuple | None:  # noqa: ANN001
        if lay is None:
            return None
        spans = [(k, s.start, s.end, s.line, s.column) for k, s in lay.spans.items()]
        args = [(k, layer(v) if isinstance(v, Layer) else repr(v)) for k, v in lay.args.items()]
        return (lay.spec.name, lay.written, lay.call.span.start, args, spans, layer(lay.inner))

    diags = [
        (d.code, d.severity, d.span.start, d.span.end, d.span.line, d.message, d.help, d.stage)
        for d in result.diagnostics
    ]
    stages = [
        (s.index, s.name, s.shapes, s.trainable, s.non_trainable, s.span.start, layer(s.layer))
        for s in result.inferred
    ]
    return diags, stages, layer(result.input), result.summary, result.ok


@pytest.mark.parametrize("spec", SPECS + [p.read_text() for p in EXAMPLES])
def test_kept_or_not_the_result_is_the_same(spec, monkeypatch):
    _forget()
    with monkeypatch.context() as keeping_nothing:
        keeping_nothing.setattr(recipes, "_recipe", lambda layer: None)
        cold = _seen(check(spec))
    assert not recipes._recipes and not infer._outputs
    first = check(" " + spec)  # shifted by one: every span moves
    again = check(" " + spec)  # everything the first one kept now used
    assert _seen(first) == _seen(again)
    shifted = _seen(check(spec))
    assert shifted == cold


def test_kept_layers_are_new_objects_with_spans_into_the_new_text():
    text = "input(20, 1) -> lstm(32, seq) -> bilstm(16, concat) -> dense(1)"
    first, second = check(text), check("  " + text)
    assert recipes._recipes and infer._outputs
    for a, b in zip(first.stages, second.stages, strict=True):
        assert a.layer is not b.layer and a.layer.args is not b.layer.args
        assert a.layer.spans is not b.layer.spans
        assert b.layer.call is b.layer.inner.call if b.layer.inner else True
        for name, span in b.layer.spans.items():
            assert span.start == a.layer.spans[name].start + 2
            assert span.line == 1 and span.column == span.start + 1
    assert second.stages[1].layer.args["layer"] is second.stages[1].layer.inner
    second.stages[0].layer.args["units"] = 7  # a caller changing its result changes no other
    assert check(text).stages[0].layer.get("units") == 32


def test_an_input_kept_from_the_first_stage_is_not_taken_later():
    check("input(20, 8) -> dense(1)")
    result = check("input(20, 8) -> input(20, 8)")
    assert [d.code for d in result.diagnostics] == ["E111"]


def test_what_is_kept_is_bounded():
    _forget()
    for i in range(recipes._recipes.most + 50):
        check(f"input({i + 1}, 2) -> dense({i + 1})")
    assert len(recipes._recipes) <= recipes._recipes.most
    assert len(recipes._input_recipes) <= recipes._input_recipes.most
    assert len(infer._outputs) <= infer._outputs.most
    assert check("input(3, 2) -> dense(4)").stages[0].params == 12


def _tree(node, shared: dict) -> object:  # noqa: ANN001
    """A node as plain data: types, fields, spans as (start, end), and which spans are one
    object (numbered in the order met), so two trees compare in every respect."""
    from bilstm_dsl import ast
    from bilstm_dsl.diagnostics import Span

    if isinstance(node, Span):
        return ("span", node.start, node.end, shared.setdefault(id(node), len(shared)))
    if isinstance(node, tuple):
        return tuple(_tree(item, shared) for item in node)
    if isinstance(node, ast._Node):  # a `parser.KeptCall` reads as the `ast.Call` it is
        kind = ast.Call if isinstance(node, ast.Call) else type(node)
        return (kind.__name__,) + tuple(_tree(getattr(node, f), shared) for f in kind.__slots__)
    return (type(node).__name__, node)


CHAINS = [
    "input(20, 1) -> lstm(32, seq) -> bilstm(16, merge_mode=concat) -> dense(1)",
    "input(20,1)->dense(1)",
    "\n\t input(shape=(20, 1), batch_size=4)\r\n  -> dense(1, use_bias=false, name=d)\n",
    "input(20, 1) -> conv1d(4, (3,), padding=same) -> reshape([-1, 2]) -> dense(1.5e3)",
    "input(20, 1) -> td(dense(3, activation=relu)) -> stackedrnncells([lstmcell(2)])",
    "input(20, 1) -> dense(-1) -> dense(.5) -> x(dec[0], y=[(1, 2), [3]])",
    "input(20, 1) -> td( dense ( 3 ) ,)",
]


@pytest.mark.parametrize("text", CHAINS + [p.read_text() for p in EXAMPLES])
def test_a_chain_of_kept_calls_is_the_tree_the_reader_reads(text):
    from bilstm_dsl import parser

    read = parser.read_chain(text)
    if read is None:
        return  # a graph, or an assertion: the reader's own business
    parser._calls.clear()
    parser._keep(text, read)
    parser._keep(text, read)  # kept the second time a call is read
    for moved in (text, " " + text, text.replace("->", "\n  ->  ", 1), "x(1) -> " + text):
        if "#" in moved or '"' in moved or ":" in moved:
            assert parser._from_kept(moved) is None
            continue
        kept = parser._from_kept(moved)  # `x(1)`, never read, is read alone
        assert kept is not None
        assert _tree(kept, {}) == _tree(parser.read_chain(moved), {})
        assert kept.span._index.text is moved


def test_a_kept_call_equals_and_reads_as_the_call_read():
    """A kept call makes its arguments when first read; before and after, it is equal to
    the call the reader reads, both ways round, and prints as that call."""
    from bilstm_dsl import ast, parser

    text = "input(20, 1) -> lstm(32, seq, dropout=0.1) -> bidirectional(gru(4))"
    parser._calls.clear()
    for _ in range(2):
        parser._keep(text, parser.read_chain(text))
    kept = parser._from_kept(text).stages
    read = parser.read_chain(text).stages
    assert all(type(stage.call) is parser.KeptCall for stage in kept)
    assert [s.call.span for s in kept] == [s.call.span for s in read]
    assert all(a.call == b.call and b.call == a.call for a, b in zip(kept, read))
    assert [repr(s) for s in kept] == [repr(s) for s in read]
    assert kept[2].call.args[0].value.args[0].value.value == 4
    assert type(kept[2].call.args[0].value) is ast.Call  # only a stage's call is kept so
    assert kept[1].call != read[2].call and read[2].call != kept[1].call


@pytest.mark.parametrize(
    "text",
    [
        "input(20, 1) -> dense(1) dense(2)",
        "input(20, 1) -> -> dense(1)",
        "input(20, 1) ->",
        "input(20, 1) - -> dense(1)",
        "input(20, 1) -> dense(1)\u00a0",
        "input(20, 1) -> dense(1)\v",
        "",
        "  ",
        "input(20, 1) -> dense(3) -> dense(4)",  # mostly new: read whole
        "input(20, 1) -> dense(1) -> dense(x y)",
    ],
)
def test_a_text_that_is_not_kept_calls_is_read(text):
    from bilstm_dsl import parser

    kept = "input(20, 1) -> dense(1) -> dense(2)"
    for _ in range(2):  # kept the second time a call is read
        parser._keep(kept, parser.read_chain(kept))
    assert parser._from_kept(text) is None
