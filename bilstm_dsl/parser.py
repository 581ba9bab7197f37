"""Text -> AST. Lark's LALR parser does the parsing; this module turns its errors into
our diagnostics and its tokens into `ast` nodes with spans.

The grammar file is the single source of truth for the syntax. It lives in the
repository's top-level ``grammar/`` folder and is copied into the wheel as
``bilstm_dsl/grammar/``; `grammar_path` finds whichever is present.

Before Lark sees the text, a linear scan matches brackets. That lets an unclosed ``(`` be
reported where it was opened (an LALR parser only notices at the end of the input) and
bounds nesting depth, so a hostile ``td(td(td(...)))`` cannot exhaust the recursion of
later stages.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import lark
from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule
from lark.lexer import TerminalDef

from . import ast
from .diagnostics import Diagnostic, Severity, Span

MAX_DEPTH = 64
"""Deepest bracket nesting accepted (E009); real specs nest two or three levels."""

MAX_DIGITS = 100
"""Longest integer literal accepted (E009); Keras sizes have a handful of digits."""


def grammar_path() -> Path:
    """The grammar file inside the installed package, else the repository's copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "arch.lark", here.parent / "grammar" / "arch.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("grammar/arch.lark is missing from the bilstm_dsl installation")


def _span(first: Token, last: Token | None = None) -> Span:
    last = first if last is None else last
    return Span(
        first.start_pos, last.end_pos, first.line, first.column, last.end_line, last.end_column
    )


def _span_of(node: object) -> Span:
    return node.span if not isinstance(node, Token) else _span(node)  # type: ignore[attr-defined]


class _Limit(Exception):
    """A literal beyond a documented limit; carries its diagnostic."""

    def __init__(self, diag: Diagnostic) -> None:
        self.diag = diag


class _Builder(Transformer):
    """Runs inside the LALR parser: each callback gets the children of one rule, with
    every token keeping its position, and returns an `ast` node."""

    def start(self, children: list) -> ast.Chain | None:
        return children[0] if children else None

    def chain(self, children: list) -> ast.Chain:
        stages = tuple(c for c in children if isinstance(c, ast.Stage))
        return ast.Chain(stages, stages[0].span.cover(stages[-1].span))

    def stage(self, children: list) -> ast.Stage:
        call = children[0]
        assertion = children[1] if len(children) > 1 else None
        span = call.span if assertion is None else call.span.cover(assertion.span)
        return ast.Stage(call, assertion, span)

    def assertion(self, children: list) -> ast.Value:
        return children[1]

    def call(self, children: list) -> ast.Call:
        name, args, rpar = children[0], (), children[-1]
        if len(children) == 4:
            args = children[2]
        return ast.Call(str(name), _span(name), args, _span(name, rpar))

    def arguments(self, children: list) -> tuple[ast.Arg, ...]:
        return tuple(children)

    def argument(self, children: list) -> ast.Arg:
        value = children[0]
        return ast.Arg(None, None, value, value.span)

    def keyword(self, children: list) -> ast.Arg:
        name, _, value = children
        return ast.Arg(str(name), _span(name), value, _span(name).cover(value.span))

    def int(self, children: list) -> ast.Int:
        (token,) = children
        digits = token.lstrip("-")
        if len(digits) > MAX_DIGITS:
            raise _Limit(
                Diagnostic(
                    "E009",
                    Severity.ERROR,
                    _span(token),
                    f"integer literal has {len(digits)} digits, more than the limit of "
                    f"{MAX_DIGITS}",
                    help="write a size Keras can allocate, such as `32` or `256`",
                )
            )
        return ast.Int(int(token), _span(token))

    def float(self, children: list) -> ast.Float:
        (token,) = children
        return ast.Float(float(token), _span(token))

    def string(self, children: list) -> ast.String:
        (token,) = children
        return ast.String(_unescape(token[1:-1]), _span(token))

    def word(self, children: list) -> ast.Word:
        (token,) = children
        return ast.Word(str(token), _span(token))

    def tuple(self, children: list) -> ast.Tuple:
        return ast.Tuple(tuple(children[1:-1]), _span(children[0], children[-1]))

    def list(self, children: list) -> ast.List:
        return ast.List(tuple(children[1:-1]), _span(children[0], children[-1]))

    def value(self, children: list) -> ast.Value:
        return children[0]


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    out, chars = [], iter(body)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


_OPTIONS = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}

TABLES = Path(__file__).resolve().parent / "_grammar_tables.json"
"""Lark's LALR tables for the grammar, precomputed: building them takes ~45 ms, loading
~3 ms, which matters for a command that should answer in a tenth of a second. They are
derived data, keyed by the grammar's hash and Lark's version; when either differs the
parser is built from the grammar instead, so stale tables can slow startup but never change
what parses. Regenerate with ``python scripts/update_grammar_tables.py``; a test fails while
they are stale."""


def _grammar_key(text: str) -> dict[str, str]:
    return {"grammar_sha256": hashlib.sha256(text.encode()).hexdigest(), "lark": lark.__version__}


def build_tables(text: str) -> dict[str, object]:
    """The serialised LALR tables for grammar ``text`` (plain JSON data, no pickle)."""
    data, memo = Lark(text, **_OPTIONS).memo_serialize([TerminalDef, Rule])
    return {**_grammar_key(text), "data": data, "memo": memo}


def _int_keys(pairs: list[tuple[str, object]]) -> dict[object, object]:
    # JSON keys are strings; Lark's tables index states and memo entries by integer.
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


@functools.cache
def _lark() -> Lark:
    text = grammar_path().read_text(encoding="utf-8")
    try:
        tables = json.loads(TABLES.read_text(encoding="utf-8"), object_pairs_hook=_int_keys)
    except (OSError, ValueError):
        tables = None
    if tables is not None and all(tables.get(k) == v for k, v in _grammar_key(text).items()):
        return Lark._load_from_dict(tables["data"], tables["memo"], transformer=_Builder())
    return Lark(text, **_OPTIONS, transformer=_Builder())


@dataclass(frozen=True, slots=True)
class ParseResult:
    chain: ast.Chain | None
    diagnostics: tuple[Diagnostic, ...]


def parse(text: str) -> ParseResult:
    """Parse ``text``; a syntax error gives diagnostics and ``chain=None``, never an
    exception."""
    problems = _scan_brackets(text)
    if problems:
        return ParseResult(None, tuple(problems))
    try:
        chain = _lark().parse(text)
    except _Limit as limit:
        return ParseResult(None, (limit.diag,))
    except UnexpectedInput as error:
        return ParseResult(None, (_syntax_diagnostic(text, error),))
    return ParseResult(chain, ())


_OPEN = {"(": ")", "[": "]"}
_CLOSE = {")": "(", "]": "["}


def _scan_brackets(text: str) -> list[Diagnostic]:
    """Match brackets outside strings and comments; report the first problem found."""
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            if j >= n or text[j] != '"':
                return [
                    Diagnostic(
                        "E010",
                        Severity.ERROR,
                        Span.at(text, i, min(j, n)),
                        "unterminated string",
                        help='close the string with `"` on the same line',
                    )
                ]
            i = j + 1
            continue
        if ch in _OPEN:
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                return [
                    Diagnostic(
                        "E009",
                        Severity.ERROR,
                        Span.at(text, i, i + 1),
                        f"brackets nested more than {MAX_DEPTH} deep",
                        help="a model needs only a few levels, e.g. `td(dense(1))`",
                    )
                ]
        elif ch in _CLOSE:
            if not stack or text[stack[-1]] != _CLOSE[ch]:
                if stack:
                    opener = stack[-1]
                    return [
                        Diagnostic(
                            "E003",
                            Severity.ERROR,
                            Span.at(text, opener, opener + 1),
                            f"`{text[opener]}` is closed by `{ch}`",
                            help=f"close it with `{_OPEN[text[opener]]}`",
                        )
                    ]
                return [
                    Diagnostic(
                        "E005",
                        Severity.ERROR,
                        Span.at(text, i, i + 1),
                        f"`{ch}` closes nothing",
                        help="remove it, or add the matching `(` before it",
                    )
                ]
            stack.pop()
        i += 1
    if stack:
        opener = stack[-1]
        return [
            Diagnostic(
                "E003",
                Severity.ERROR,
                Span.at(text, opener, opener + 1),
                f"`{text[opener]}` is never closed",
                help=f"add `{_OPEN[text[opener]]}` where the arguments end",
            )
        ]
    return []


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


def _syntax_diagnostic(text: str, error: UnexpectedInput) -> Diagnostic:
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
            Span.at(text, max(0, end - 1), end) if end else Span.at(text, 0, 0),
            "the file ends in the middle of the chain",
            help=f"expected {expected}" if expected else None,
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = set(error.expected)
    span = _span(token)
    prev = getattr(error, "token_history", None)
    if token.type == "NAME" and "ARROW" in expected and token.line != _prev_line(text, span):
        return Diagnostic(
            "E006",
            Severity.ERROR,
            span,
            f"`{_show(token)}` starts a new stage, but nothing joins it to the one before",
            help="join stages with `->` at the end of a line or the start of the next",
        )
    if token.type == "NAME" and "ARROW" in expected:
        return Diagnostic(
            "E006",
            Severity.ERROR,
            span,
            f"expected `->` before `{_show(token)}`",
            help="join stages with `->`",
        )
    del prev
    return Diagnostic(
        "E002",
        Severity.ERROR,
        span,
        f"unexpected `{_show(token)}`, expected {_expected(expected)}",
        help=_token_help(token, expected),
    )


def _prev_line(text: str, span: Span) -> int:
    """Line of the last non-space, non-comment character before ``span``."""
    i = span.start - 1
    while i >= 0:
        line_start = text.rfind("\n", 0, i + 1) + 1
        line = text[line_start : i + 1]
        code = line.split("#", 1)[0].rstrip()
        if code:
            return text.count("\n", 0, line_start) + 1
        i = line_start - 2
    return span.line


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
