"""Graph files: every graph diagnostic's code, span and stage, and the `model.Graph` the
checker hands on (inputs, outputs, inbound tensors, initial states, shared layers).

Shapes and parameter counts are compared with Keras in test_parity_graphs.py; here nothing
imports Keras.
"""

from __future__ import annotations

import pytest

from bilstm_dsl import check


def found(source: str) -> list[tuple[str, str, int | None]]:
    """(code, the text under the span, stage) of every diagnostic, in order."""
    return [(d.code, source[d.span.start : d.span.end], d.stage) for d in check(source).diagnostics]


def only(source: str, code: str) -> object:
    """The one diagnostic of ``source``, which must have ``code``."""
    diagnostics = check(source).diagnostics
    assert [d.code for d in diagnostics] == [code], diagnostics
    return diagnostics[0]


SEQ2SEQ = """\
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> lstm(8, seq, initial_state=[h, c])
out = dec -> td(dense(9, softmax))
model(inputs=[enc_in, dec_in], outputs=out)
"""


# -- names: E124 unknown, E125 twice, E126 before definition or in a cycle


@pytest.mark.parametrize(
    ("source", "span", "help"),
    [
        ("x = input(20, 3)\ny = xx -> lstm(8)\n", "xx", "did you mean `x`?"),
        (
            "x = input(20, 3)\ny = x -> lstm(8)\nmodel(inputs=x, outputs=[yy])\n",
            "yy",
            "did you mean `y`?",
        ),
        (
            "x = input(20, 3)\nencoder = lstm(8)\ny = x -> encodr\n",
            "encodr",
            "did you mean `encoder`?",
        ),
        ("x = input(20, 3)\ny = x -> flatten\n", "flatten", "call it, `flatten(...)`"),
        ("x = input(20, 3)\ny = x -> qwerty\n", "qwerty", "`qwerty = dense(8)`"),
        ("x = input(20, 3)\ny = z -> lstm(8)\n", "z", "`z = input(20, 1)`"),
    ],
)
def test_e124_unknown_name(source: str, span: str, help: str) -> None:
    d = only(source, "E124")
    assert source[d.span.start : d.span.end] == span and help in d.help


def test_e125_name_defined_twice_points_at_the_second() -> None:
    source = "x = input(20, 3)\nx = input(20, 3)\ny = x -> lstm(8)\n"
    d = only(source, "E125")
    assert (d.span.line, d.span.column) == (2, 1) and "line 1" in d.message


@pytest.mark.parametrize(
    ("source", "span", "words"),
    [
        ("y = x -> lstm(8)\nx = input(20, 3)\n", (1, 5), "before line 2"),
        ("x = input(20, 3)\ny = [x, y] -> add()\n", (2, 9), "on the line that defines it"),
        ("x = input(5)\na = b -> dense(5)\nb = a -> dense(5)\n", (2, 5), "a cycle"),
    ],
)
def test_e126_used_before_its_definition(source: str, span: tuple, words: str) -> None:
    d = only(source, "E126")
    assert (d.span.line, d.span.column) == span and words in d.message


# -- E127 unpacking, E128 indexing


def test_e127_unpacking_covers_the_names() -> None:
    assert found("x = input(20, 3)\nout, h = x -> lstm(8, state)\n") == [("E127", "out, h", None)]


def test_e127_unpacking_a_single_tensor() -> None:
    d = only("x = input(20, 3)\na, b = x -> lstm(8)\n", "E127")
    assert "2 names for the 1 tensor" in d.message


@pytest.mark.parametrize(
    ("picked", "help"),
    [("s[3]", "index from 0 to 2"), ("s[-4]", "index from 0 to 2")],
)
def test_e128_index_past_the_tensors(picked: str, help: str) -> None:
    source = f"x = input(20, 3)\ns = x -> lstm(8, state)\ny = {picked} -> dense(1)\n"
    assert found(source) == [("E128", picked, None)]
    assert check(source).diagnostics[0].help == help


def test_indexing_picks_one_of_the_states() -> None:
    source = "x = input(20, 3)\ns = x -> lstm(8, state)\ny = s[-1] -> dense(1)\n"
    result = check(source)
    assert result.ok
    assert result.graph.inbound[2] == ((1, 2),)


# -- E129: the model(...) line


@pytest.mark.parametrize(
    ("line", "span", "words"),
    [
        ("model(outputs=y)", "model(outputs=y)", "needs `inputs=`"),
        ("model(inputs=x)", "model(inputs=x)", "needs `outputs=`"),
        ("model(inputs=x, outputs=y, name=m)", "name", "takes `inputs=` and `outputs=`"),
    ],
)
def test_e129_model_arguments(line: str, span: str, words: str) -> None:
    source = f"x = input(20, 3)\ny = x -> lstm(8)\n{line}\n"
    d = only(source, "E129")
    assert source[d.span.start : d.span.end] == span and words in d.message


def test_e129_an_inner_tensor_as_input() -> None:
    source = "x = input(20, 3)\ny = x -> lstm(8)\nz = y -> dense(1)\nmodel(inputs=[y], outputs=z)\n"
    assert found(source) == [("E129", "y", None)]


def test_e129_an_input_the_outputs_need_but_inputs_leaves_out() -> None:
    source = (
        "a = input(5, 4)\nb = input(5, 4)\nout = [a, b] -> add()\nmodel(inputs=[a], outputs=out)\n"
    )
    d = only(source, "E129")
    assert source[d.span.start : d.span.end] == "inputs=[a]"
    assert "`b` on line 2" in d.message and d.help == "list it: `inputs=[..., b]`"


def test_e129_an_unnamed_input_the_outputs_need() -> None:
    source = (
        "a = input(5)\nout = input(5) -> dense(5)\nm = [a, out] -> add()\n"
        "model(inputs=[a], outputs=m)\n"
    )
    d = only(source, "E129")
    assert "the input on line 2" in d.message and "name the `input(...)` on line 2" in d.help


def test_every_input_listed_is_no_error() -> None:
    source = (
        "a = input(5, 4)\nb = input(5, 4)\nout = [a, b] -> add()\n"
        "model(inputs=[b, a], outputs=out)\n"
    )
    result = check(source)
    assert result.ok and result.graph.inputs == (1, 0)


# -- E130: a layer where a tensor is meant and the other way round


@pytest.mark.parametrize(
    ("source", "span", "stage"),
    [
        ("x = input(20, 3)\nshared = lstm(8)\ny = shared -> dense(1)\n", "shared", None),
        ("x = input(20, 3)\ny = x -> x\n", "x", None),
        ("x = input(20, 3)\ny = lstm(8) -> dense(1)\n", "lstm", 1),
    ],
)
def test_e130_layer_and_tensor_mixed_up(source: str, span: str, stage: int | None) -> None:
    assert found(source)[0] == ("E130", span, stage)


def test_e131_initial_state_in_a_chain() -> None:
    source = "input(20, 3) -> lstm(8, initial_state=[h, c])"
    assert found(source) == [("E131", "initial_state=[h, c]", 1)]


def test_e111_input_cannot_take_a_tensor() -> None:
    assert found("x = input(20, 3)\ny = x -> input(3)\n")[0] == ("E111", "input", 1)


# -- E202: several tensors where one is meant


def test_e202_states_into_a_one_tensor_layer_blame_return_state() -> None:
    source = "x = input(10, 3)\ns = x -> lstm(8, state)\ny = s -> dense(1)\n"
    assert found(source) == [("E202", "state", 1)]


def test_e202_a_name_holding_states_inside_a_merge_list() -> None:
    # Keras: Concatenate()([[out, h, c], meta]) fails; the checker used to merge `out`.
    source = (
        "x = input(10, 3)\nmeta = input(8)\ns = x -> lstm(8, state)\n"
        "y = [s, meta] -> concatenate()\n"
    )
    assert found(source) == [("E202", "s", 3)]
    assert "s[0]" in check(source).diagnostics[0].help


def test_an_index_inside_a_merge_list_is_one_tensor() -> None:
    source = (
        "x = input(10, 3)\nmeta = input(8)\ns = x -> lstm(8, state)\n"
        "y = [s[1], meta] -> concatenate()\n"
    )
    result = check(source)
    assert result.ok and result.graph.inbound[3] == ((2, 1), (1, 0))


# -- E212: merges and attention


@pytest.mark.parametrize(
    ("merge", "words"),
    [
        ("add()", "axis 2 is 3 in (None, 20, 3) and 4 in (None, 20, 4) (tensor 2)"),
        ("concatenate(axis=1)", "axis 2 is 3 in (None, 20, 3) and 4 in (None, 20, 4)"),
        ("dot(axes=2)", "axis 2 of (None, 20, 3) (3) and axis 2 of (None, 20, 4) (4)"),
        ("attention()", "the query has 3 features (None, 20, 3) and the key 4"),
    ],
)
def test_e212_says_which_axis_and_which_shapes(merge: str, words: str) -> None:
    source = f"a = input(20, 3)\nb = input(20, 4)\nc = [a, b] -> {merge}\n"
    d = only(source, "E212")
    assert source[d.span.start : d.span.end] == merge and words in d.message and d.stage == 2


# -- E213: initial states


@pytest.mark.parametrize(
    ("layer", "states", "words"),
    [
        ("lstm(8", "[h]", "keeps 2 state tensors, but `initial_state` gives 1"),
        ("gru(8", "[h, h]", "keeps 1 state tensor, but `initial_state` gives 2"),
        ("bilstm(8", "[h, h]", "keeps 4 state tensors, but `initial_state` gives 2"),
        (
            "lstm(4",
            "[h, h]",
            "state 1 of `lstm` is (batch, 4), but `initial_state` gives (None, 8)",
        ),
        ("lstm(8", "[s, s]", "state 1 of `lstm` is (batch, 8), but `initial_state` gives"),
    ],
)
def test_e213_initial_states(layer: str, states: str, words: str) -> None:
    source = (
        f"x = input(20, 3)\nh = input(8)\ns = x -> lstm(8, seq)\n"
        f"y = x -> {layer}, initial_state={states})\n"
    )
    d = only(source, "E213")
    assert source[d.span.start : d.span.end] == f"initial_state={states}"
    assert words in d.message and d.stage == 3


def test_initial_states_are_inbound_tensors_after_the_input() -> None:
    result = check(SEQ2SEQ)
    assert result.ok
    graph = result.graph
    assert graph.inputs == (0, 2) and graph.outputs == ((4, 0),)
    assert graph.inbound == {1: ((0, 0),), 3: ((2, 0),), 4: ((3, 0),)}
    assert graph.initial == {3: ((1, 1), (1, 2))}
    assert [s.name for s in result.stages] == [
        "input_layer",
        "lstm",
        "input_layer_1",
        "lstm_1",
        "time_distributed",
    ]


# -- shared layers and E215


SIAMESE = """\
a = input(6, 3)
b = input(6, 3)
encoder = lstm(8)
ea = a -> encoder
eb = b -> encoder
d = [ea, eb] -> subtract()
"""


def test_a_shared_layer_is_counted_once_and_called_twice() -> None:
    result = check(SIAMESE)
    assert result.ok
    graph = result.graph
    assert graph.shared == {3: 2, 4: 2}
    assert graph.calls()[4] == 1
    params = {s.index: s.params for s in result.stages}
    assert params[3] > 0 and params[4] == 0
    assert [s.name for s in result.stages if s.index in (3, 4)] == ["lstm", "lstm"]


@pytest.mark.parametrize(
    ("first", "second", "layer"),
    [
        ("(6, 3)", "(6, 4)", "lstm(8)"),
        ("(4)", "(5)", "dense(3)"),
        ("(6, 3)", "(6, 4)", "bigru(4)"),
        ("(6, 3)", "(6, 4)", "td(dense(2))"),
    ],
)
def test_e215_shared_weights_that_do_not_fit(first: str, second: str, layer: str) -> None:
    source = (
        f"a = input{first}\nb = input{second}\nencoder = {layer}\n"
        "ea = a -> encoder\neb = b -> encoder\n"
    )
    assert found(source) == [("E215", "encoder", 4)]
    assert "line 4" in check(source).diagnostics[0].message


@pytest.mark.parametrize(
    ("first", "second", "layer"),
    [
        ("(6, 3)", "(9, 3)", "lstm(8)"),
        ("(none, 3)", "(6, 3)", "gru(8)"),
        ('(none, dtype="int32")', '(5, dtype="int32")', "embedding(10, 4)"),
        ("(6, 3)", "(2, 6, 3)", "dense(4)"),
    ],
)
def test_shared_weights_that_fit_other_lengths(first: str, second: str, layer: str) -> None:
    source = (
        f"a = input{first}\nb = input{second}\nencoder = {layer}\n"
        "ea = a -> encoder\neb = b -> encoder\n"
    )
    assert check(source).ok, found(source)


# -- W505: what nothing uses


def test_w505_an_input_the_outputs_do_not_need() -> None:
    source = "x = input(20, 3)\nm = input(5)\ny = x -> lstm(8)\n"
    assert found(source) == [("W505", "input(5)", 1)]
    result = check(source)
    assert result.ok and result.graph.inputs == (0, 1)  # Keras keeps it as an input


def test_w505_a_name_never_used() -> None:
    source = "x = input(20, 3)\ny = x -> lstm(8)\nz = x -> lstm(2)\nmodel(inputs=x, outputs=y)\n"
    assert found(source) == [("W505", "z", None)]


def test_w505_leaves_names_starting_with_an_underscore_alone() -> None:
    source = "x = input(20, 3)\n_, h, _c = x -> lstm(8, state)\ny = h -> dense(1)\n"
    assert found(source) == []


def test_w505_is_quiet_after_an_error() -> None:
    # `meta` leads nowhere only because the line that used it failed.
    source = (
        "x = input(10, 3)\nmeta = input(8)\ns = x -> lstm(8, state)\n"
        "y = [s, meta] -> concatenate()\n"
    )
    assert [code for code, _, _ in found(source)] == ["E202"]


# -- the model's outputs when no model(...) line names them


def test_default_outputs_are_the_tensors_nothing_consumes() -> None:
    source = "x = input(6, 3)\ncode = x -> lstm(8)\nr = code -> dense(3)\nf = code -> dense(2)\n"
    result = check(source)
    assert result.ok and result.graph.outputs == ((2, 0), (3, 0))


def test_a_bare_flow_is_an_output() -> None:
    result = check("x = input(6, 3)\nx -> lstm(4)\n")
    assert result.ok and result.graph.outputs == ((1, 0),)
