"""Syntax errors explained: text the parsers reject, turned into the diagnostic a person
needs (E001-E006, E009, E010), where the problem really is.

Loaded only when a parse fails. First a scan of the lexer's bracket tokens matches
brackets, so that an unclosed ``(`` is reported where it was opened (an LALR parser only
notices at the end of the input), and the nesting depth is bounded (E009) so a hostile
``td(td(td(...)))`` cannot exhaust the recursion of later stages. Then Lark's own parser,
whose exception says exactly what went wrong, is turned into our words. A file of
statements that parses but is a chain missing a ``->`` is caught too (`missing_arrow`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import ast, lexer
from .diagnostics import Diagnostic, Severity, Span, index_for
from .lalr import MAX_DEPTH
from .lark_tables import lark_parser

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput


def explain(text: str) -> Diagnostic:
    """The first syntax error of ``text``, which the table parser rejected."""
    problem = _scan_brackets(text)
    if problem is not None:
        return problem
    from lark.exceptions import UnexpectedInput

    try:
        lark_parser().parse(text)
    except UnexpectedInput as error:
        return _syntax_diagnostic(text, error)
    raise AssertionError(f"the fast parser rejected text Lark accepts: {text[:200]!r}")


def missing_arrow(program: ast.Program) -> Diagnostic | None:
    """A call alone at the start of a statement that is not the first, such as
    ``input(20, 1)`` then ``lstm(32)`` on the next line, is a chain missing its ``->``
    (``input(...)`` and ``model(...)`` may start a statement; a layer cannot)."""
    statements = program.statements
    for before, statement in zip(statements, statements[1:]):
        source = statement.flow.source
        if statement.targets or type(source) is not ast.Call:
            continue
        if source.name.lower() in ("input", "model"):
            continue
        span = source.name_span
        if span.line == before.span.end_line:
            message, help = f"expected `->` before `{source.name}`", "join stages with `->`"
        else:
            message = f"`{source.name}` starts a new stage, but nothing joins it to the one before"
            help = "join stages with `->` at the end of a line or the start of the next"
        return Diagnostic("E006", Severity.ERROR, span, message, help=help)
    return None


_CLOSERS = {"LPAR": ("RPAR", ")"), "LSQB": ("RSQB", "]")}
"""Each opening bracket's closing kind and text."""
BRACKETS = {*_CLOSERS, *(kind for kind, _ in _CLOSERS.values()), lexer.UNCLOSED_STRING}


def diagnostic(text: str, code: str, start: int, end: int, message: str, help: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, Span.at(text, start, end), message, help=help)


def _scan_brackets(text: str) -> Diagnostic | None:
    """Match brackets outside strings and comments; the first problem found, if any."""
    stack: list[lexer.Token] = []
    for token in lexer.scan(text, BRACKETS):
        i, kind, ch = token.start, token.kind, token.text
        if kind == lexer.UNCLOSED_STRING:
            help = 'close the string with `"` on the same line'
            return diagnostic(text, "E010", i, token.end, "unterminated string", help)
        if kind in _CLOSERS:
            stack.append(token)
            if len(stack) > MAX_DEPTH:
                message = f"brackets nested more than {MAX_DEPTH} deep"
                help = "a model needs only a few levels, e.g. `td(dense(1))`"
                return diagnostic(text, "E009", i, i + 1, message, help)
        elif not stack:
            help = "remove it, or add the matching `(` before it"
            return diagnostic(text, "E005", i, i + 1, f"`{ch}` closes nothing", help)
        elif _CLOSERS[stack[-1].kind][0] != kind:
            opener = stack[-1]
            message = f"`{opener.text}` is closed by `{ch}`"
            help = f"close it with `{_CLOSERS[opener.kind][1]}`"
            return diagnostic(text, "E003", opener.start, opener.end, message, help)
        else:
            stack.pop()
    if stack:
        opener = stack[-1]
        message = f"`{opener.text}` is never closed"
        help = f"add `{_CLOSERS[opener.kind][1]}` where the arguments end"
        return diagnostic(text, "E003", opener.start, opener.end, message, help)
    return None


_TERMINALS = {
    "ARROW": "`->`",
    "COLON": "`:`",
    "EQUALS": "`=`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "_COMMA": "`,`",
    "COMMA": "`,`",
    "NAME": "a name",
    "INT": "an integer",
    "FLOAT": "a number",
    "STRING": "a string",
    "$END": "the end of the file",
}


def _expected(names: set[str] | frozenset[str]) -> str:
    if set(names) == {"NAME"}:
        return "a layer name"
    words = sorted({_TERMINALS.get(n, n) for n in names})
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _show(token: str) -> str:
    return token if len(token) <= 30 else token[:27] + "..."


def _token_span(text: str, token: Token) -> Span:
    return Span.at(text, token.start_pos, token.end_pos)


def _syntax_diagnostic(text: str, error: UnexpectedInput) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream
        ch = text[pos]
        shown = ch if ch.isprintable() else repr(ch)[1:-1]
        return Diagnostic(
            "E001",
            Severity.ERROR,
            Span.at(text, pos, pos + 1),
            f"unexpected character `{shown}`",
            help=_char_help(ch),
        )
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        end = len(text.rstrip())
        expected = _expected(set(error.expected))
        return Diagnostic(
            "E004",
            Severity.ERROR,
            Span.at(text, max(0, end - 1), end),
            "the file ends in the middle of the chain",
            help=f"expected {expected}" if expected else None,
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.expected)
    span = _token_span(text, token)
    if token.type == "NAME" and "ARROW" in expected:
        if span.line != _prev_line(text, span.start):
            return Diagnostic(
                "E006",
                Severity.ERROR,
                span,
                f"`{_show(token)}` starts a new stage, but nothing joins it to the one before",
                help="join stages with `->` at the end of a line or the start of the next",
            )
        return Diagnostic(
            "E006",
            Severity.ERROR,
            span,
            f"expected `->` before `{_show(token)}`",
            help="join stages with `->`",
        )
    return Diagnostic(
        "E002",
        Severity.ERROR,
        span,
        f"unexpected `{_show(token)}`, expected {_expected(expected)}",
        help=_token_help(token, expected),
    )


def _prev_line(text: str, start: int) -> int:
    """Line of the last token of code (not space, not comment) before ``start``; the line
    of ``start`` when there is none."""
    last = start
    for token in lexer.scan(text[:start], frozenset(lexer.kinds()) - lexer.ignored()):
        last = token.start
    return index_for(text).line_col(last)[0]


def _char_help(ch: str) -> str | None:
    if ch == "'":
        return 'strings use double quotes: `"tanh"`'
    if ch in "{}":
        return "tuples use parentheses: `(3, 3)`"
    if ch == "\0":
        return "the file holds a NUL byte; is it a text file?"
    if ch == ">":
        return "stages are joined with `->`"
    return None


def _token_help(token: Token, expected: set[str]) -> str | None:
    if token.type == "ARROW" and "NAME" in expected:
        return "write a layer between the arrows, or remove one `->`"
    if token.type == "EQUALS":
        return "keyword arguments are written `name=value`"
    if "ARROW" in expected and token.type in {"INT", "FLOAT", "STRING", "LPAR"}:
        return "a shape assertion is written `: (20, 64)` after a stage"
    return None
