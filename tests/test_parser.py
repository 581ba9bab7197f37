"""The parser: what parses, and where syntax errors are reported."""

from __future__ import annotations

import pytest

from bilstm_dsl import ast, check
from bilstm_dsl.parser import MAX_DEPTH, parse


def stages(text: str) -> list[str]:
    result = parse(text)
    assert not result.diagnostics, result.diagnostics
    assert result.chain is not None
    return [s.call.name for s in result.chain.stages]


def only(text: str):
    result = parse(text)
    assert result.chain is None and len(result.diagnostics) == 1, result
    return result.diagnostics[0]


def test_chain_on_one_line():
    assert stages("input(20, 1) -> lstm(32, seq) -> dense(1)") == ["input", "lstm", "dense"]


@pytest.mark.parametrize(
    "text",
    [
        "input(20, 1) ->\n  lstm(32) ->\n  dense(1)\n",
        "input(20, 1)\n  -> lstm(32)\n  -> dense(1)\n",
        "# header\n\ninput(20, 1)   # the input\n\n  -> lstm(32)  # comment\n  -> dense(1)\n# end",
    ],
)
def test_chain_split_across_lines_with_comments(text):
    assert stages(text) == ["input", "lstm", "dense"]


def test_values_of_every_kind():
    chain = parse(
        'input(20, 1) -> x(1, -2, 0.5, 1e-3, -2.5E+2, .5, "a\\"b", relu, true, none, (3, 3), (1,), '
        "[(1, 2)], td(dense(1)), key=value)"
    ).chain
    assert chain is not None
    args = chain.stages[1].call.args
    kinds = [type(a.value).__name__ for a in args]
    assert kinds == [
        "Int", "Int", "Float", "Float", "Float", "Float", "String", "Word", "Word", "Word",
        "Tuple", "Tuple", "List", "Call", "Word",
    ]  # fmt: skip
    assert [a.value.value for a in args[:7]] == [1, -2, 0.5, 1e-3, -250.0, 0.5, 'a"b']
    assert args[-1].key == "key"
    assert isinstance(args[13].value, ast.Call) and args[13].value.args[0].value.name == "dense"


def test_spans_are_one_based_and_exclusive_at_the_end():
    chain = parse("input(20, 1)\n  -> lstm(32, seq)").chain
    assert chain is not None
    call = chain.stages[1].call
    assert (call.span.line, call.span.column, call.span.end_line, call.span.end_column) == (
        2,
        6,
        2,
        19,
    )
    assert (call.name_span.column, call.name_span.end_column) == (6, 10)


def test_unclosed_paren_is_reported_where_it_was_opened():
    d = only("input(20, 1)\n  -> lstm(32, seq\n  -> dense(1)\n")
    assert (d.code, d.span.line, d.span.column) == ("E003", 2, 10)


def test_mismatched_bracket():
    d = only("input(20, 1] -> dense(1)")
    assert (d.code, d.span.column) == ("E003", 6)


def test_stray_closing_paren():
    d = only("input(20, 1)) -> dense(1)")
    assert (d.code, d.span.column) == ("E005", 13)


def test_end_of_input_has_a_position():
    d = only("input(20, 1) ->\n")
    assert d.code == "E004" and d.span.line == 1 and d.span.column >= 14


def test_missing_arrow_between_lines():
    d = only("input(20, 1)\nlstm(32)")
    assert (d.code, d.span.line, d.span.column) == ("E006", 2, 1)


def test_double_arrow():
    d = only("input(20, 1) -> -> dense(1)")
    assert (d.code, d.span.column) == ("E002", 17)


def test_unexpected_character():
    d = only("input(20, 1) -> lstm(32) $")
    assert (d.code, d.span.column) == ("E001", 26)


def test_single_quotes_get_a_hint():
    d = only("input(20, 1) -> dense(1, activation='relu')")
    assert d.code == "E001" and d.help and "double quotes" in d.help


def test_unterminated_string():
    d = only('input(20, 1) -> dense(1, activation="relu)\n')
    assert (d.code, d.span.column) == ("E010", 37)


def test_nesting_depth_is_bounded():
    text = "input(2, 3, 4) -> " + "td(" * (MAX_DEPTH + 5) + "dense(1)" + ")" * (MAX_DEPTH + 5)
    d = only(text)
    assert d.code == "E009"


def test_huge_integer_is_a_diagnostic():
    d = only("input(20, 1) -> dense(" + "9" * 500 + ")")
    assert d.code == "E009"


def test_empty_text_parses_to_nothing():
    result = parse("# nothing here\n\n")
    assert result.chain is None and not result.diagnostics


@pytest.mark.parametrize("junk", ["\0", "\x00\x01\x02", "input(\0)", "->", ")(", '"', "::"])
def test_junk_never_raises(junk):
    result = parse(junk)
    assert result.chain is None and result.diagnostics


@pytest.mark.parametrize("filler", [" " * 50_000, "# c\n" * 20_000, " \n\t# x\n" * 10_000])
def test_long_ignored_runs_before_junk_do_not_backtrack(filler):
    # A lexer that skips whitespace with a nested quantifier backtracks exponentially
    # when the next character matches no terminal; this must stay linear.
    import time

    start = time.process_time()
    d = only("input(1) -> dense(1)" + filler + "$")
    assert d.code == "E001"
    assert time.process_time() - start < 2.0  # exponential backtracking would take hours


# -- line ends: "\n", "\r\n" and a lone "\r" (old Mac files) end a line everywhere -----------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_comment_ends_at_any_line_end(newline):
    text = newline.join(["# a model", "input(20, 1)  # in", "  -> lstm(32, seq)", "  -> dense(1)"])
    assert stages(text) == ["input", "lstm", "dense"]


def test_a_cr_only_file_is_checked_whole():
    # Once, a comment ran to the end of a CR-only file: `check` passed a model that had lost
    # every layer after the first comment.
    text = "input(20, 1)  # the input\r  -> lstm(32)\r  -> lstm(16)\r"
    (diag,) = check(text).diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("E201", 2, 6)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_positions_count_lines_at_any_line_end(newline):
    d = only(f"input(20, 1){newline}lstm(32)")
    assert (d.code, d.span.line, d.span.column) == ("E006", 2, 1)
    assert "starts a new stage" in d.message
    d = only(f'input(20, 1){newline}  -> dense(1, activation="relu{newline}  -> dense(1)')
    assert (d.code, d.span.line, d.span.column, d.span.end_line) == ("E010", 2, 26, 2)
