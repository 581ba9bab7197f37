"""Text -> AST, with Lark's LALR tables; syntax errors become our diagnostics.

The grammar file is the single source of truth for the syntax. It lives in the
repository's top-level ``grammar/`` folder and is copied into the wheel as
``bilstm_dsl/grammar/``; `grammar_path` finds whichever is present.

Lark compiles the grammar: its LALR tables, its terminals, and which children of each
rule a tree keeps. `build_tables` exports exactly that as plain JSON data, shipped in the
package (`TABLES`), and `_Machine` runs it: one regular expression for the lexer (the
grammar's terminals, in the order Lark's lexer tries them), tuples for tokens, and the
`_Builder` callbacks, with the children filtered and inlined as Lark's tree builder would.
Lark's general runtime spent ~8 us per token on bookkeeping this language does not need,
and importing Lark is a third of a `bilstm-dsl check` process, so successful parses do not
import it at all. Text the machine rejects goes to Lark's own parser, whose exception says
exactly what went wrong. `tests/test_grammar.py` checks the machine against Lark's runtime
on samples and on thousands of random token soups.

Before explaining an error, a linear scan matches brackets, so that an unclosed ``(`` is
reported where it was opened (an LALR parser only notices at the end of the input). The
nesting depth is bounded (E009) so a hostile ``td(td(td(...)))`` cannot exhaust the
recursion of later stages.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import ast
from .diagnostics import Diagnostic, LineIndex, Severity, Span

if TYPE_CHECKING:
    from lark import Lark, Token
    from lark.exceptions import UnexpectedInput

MAX_DEPTH = 64
"""Deepest bracket nesting accepted (E009); real specs nest two or three levels."""

MAX_DIGITS = 100
"""Longest integer literal accepted (E009); Keras sizes have a handful of digits."""

MAX_STAGES = 100_000
"""Longest chain accepted (E012): checking takes ~25 us and ~1.5 kB per stage."""


def grammar_path() -> Path:
    """The grammar file inside the installed package, else the repository's copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "arch.lark", here.parent / "grammar" / "arch.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("grammar/arch.lark is missing from the bilstm_dsl installation")


# A token, as the fast loop makes it: (type, text, start, end, line index).
Tok = tuple[str, str, int, int, LineIndex]


def _span(first: Tok, last: Tok | None = None) -> Span:
    return Span(first[2], (first if last is None else last)[3], first[4])


class _Limit(Exception):
    """A literal beyond a documented limit; carries its diagnostic."""

    def __init__(self, diag: Diagnostic) -> None:
        self.diag = diag


class _Builder:
    """One method per grammar rule (or alias): each gets the children of the rule that
    Lark's tree builder would keep (tokens as `Tok` tuples) and returns an `ast` node."""

    def start(self, children: list) -> ast.Chain | None:
        return children[0] if children else None

    def chain(self, children: list) -> ast.Chain:
        stages = tuple(c for c in children if type(c) is ast.Stage)
        return ast.Chain(stages, stages[0].span.cover(stages[-1].span))

    def stage(self, children: list) -> ast.Stage:
        call = children[0]
        assertion = children[1] if len(children) > 1 else None
        span = call.span if assertion is None else call.span.cover(assertion.span)
        return ast.Stage(call, assertion, span)

    def assertion(self, children: list) -> ast.Value:
        return children[1]

    def call(self, children: list) -> ast.Call:
        name, rpar = children[0], children[-1]
        args = children[2] if len(children) == 4 else ()
        index = name[4]
        return ast.Call(name[1], Span(name[2], name[3], index), args, Span(name[2], rpar[3], index))

    def arguments(self, children: list) -> tuple[ast.Arg, ...]:
        return tuple(children)

    def argument(self, children: list) -> ast.Arg:
        value = children[0]
        return ast.Arg(None, None, value, value.span)

    def keyword(self, children: list) -> ast.Arg:
        name, _, value = children
        key_span = Span(name[2], name[3], name[4])
        return ast.Arg(name[1], key_span, value, key_span.cover(value.span))

    def int(self, children: list) -> ast.Int:
        (token,) = children
        text = token[1]
        if len(text) > MAX_DIGITS and (digits := len(text) - text.startswith("-")) > MAX_DIGITS:
            raise _Limit(
                Diagnostic(
                    "E009",
                    Severity.ERROR,
                    _span(token),
                    f"integer literal has {digits} digits, more than the limit of {MAX_DIGITS}",
                    help="write a size Keras can allocate, such as `32` or `256`",
                )
            )
        return ast.Int(int(text), Span(token[2], token[3], token[4]))

    def float(self, children: list) -> ast.Float:
        (token,) = children
        return ast.Float(float(token[1]), _span(token))

    def string(self, children: list) -> ast.String:
        (token,) = children
        return ast.String(_unescape(token[1][1:-1]), _span(token))

    def word(self, children: list) -> ast.Word:
        (token,) = children
        return ast.Word(token[1], Span(token[2], token[3], token[4]))

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
"""The parser tables for the grammar, precomputed from Lark's compilation of it: building
them takes ~45 ms plus ~40 ms to import Lark, a bad start for a command that should answer
in a tenth of a second. They are derived data, keyed by the grammar's hash; when the
grammar differs they are rebuilt from it, so stale tables can slow startup but never change
what parses. Regenerate with ``python scripts/update_grammar_tables.py``; a test fails
while they are stale."""

TABLES_FORMAT = 2


def _grammar_sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def build_tables(text: str) -> dict[str, object]:
    """Compile grammar ``text`` with Lark and export what `_Machine` needs, as JSON data:

    - ``terminals``: ``[name, regex]`` in the order Lark's lexer tries them;
    - ``states``: per state, per terminal or rule name, a shift target (an int >= 0) or a
      reduction (``-1 - rule``);
    - ``rules``: ``[origin, size, callback, plan]``; ``callback`` names the `_Builder`
      method (None for Lark's internal ``_`` rules, whose children the parent inlines) and
      ``plan`` has a letter per child: ``k`` keep, ``d`` drop (punctuation Lark filters
      out), ``i`` inline.

    Lark's own serialised parser rides along (``lark``) so that explaining a syntax error
    does not rebuild it either.
    """
    import lark
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef
    from lark.parsers.lalr_analysis import Shift

    parser = Lark(text, **_OPTIONS)
    table = parser.parser.parser._parse_table
    rules: list[list[object]] = []
    number: dict[object, int] = {}
    for rule in parser.rules:
        if rule.options.expand1 or rule.options.keep_all_tokens:
            raise ValueError(f"rule {rule.origin.name}: `?` and `!` rules are not supported")
        plan = "".join(
            ("d" if sym.filter_out or sym.name.startswith("_") else "k")
            if sym.is_term
            else ("i" if sym.name.startswith("_") else "k")
            for sym in rule.expansion
        )
        inline = rule.origin.name.startswith("_")
        callback = None if inline else (rule.alias or rule.origin.name)
        if callback is not None and not callable(getattr(_Builder, callback, None)):
            raise ValueError(f"_Builder has no method for rule {callback!r}")
        number[rule] = len(rules)
        rules.append([rule.origin.name, len(rule.expansion), callback, plan])
    states = {
        state: {
            kind: (arg if action is Shift else -1 - number[arg])
            for kind, (action, arg) in actions.items()
        }
        for state, actions in table.states.items()
    }
    terminals = sorted(
        parser.terminals,
        # the order of Lark's own lexer (lark/lexer.py, BasicLexer)
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    return {
        "format": TABLES_FORMAT,
        "grammar_sha256": _grammar_sha(text),
        "terminals": [[t.name, t.pattern.to_regexp()] for t in terminals],
        "ignore": sorted(parser.lexer_conf.ignore),
        "start": table.start_states["start"],
        "end": table.end_states["start"],
        "states": states,
        "rules": rules,
        "lark": {"version": lark.__version__, "data": data, "memo": memo},
    }


def _int_keys(pairs: list[tuple[str, object]]) -> dict[object, object]:
    # JSON keys are strings; the tables index states (and Lark's memo) by integer.
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


@functools.cache
def _tables() -> dict:
    """The shipped tables when they match the grammar, else tables built from it."""
    text = grammar_path().read_text(encoding="utf-8")
    try:
        tables = json.loads(TABLES.read_text(encoding="utf-8"), object_pairs_hook=_int_keys)
    except (OSError, ValueError):
        tables = None
    current = (TABLES_FORMAT, _grammar_sha(text))
    if tables is None or (tables.get("format"), tables.get("grammar_sha256")) != current:
        tables = json.loads(json.dumps(build_tables(text)), object_pairs_hook=_int_keys)
    return tables


@functools.cache
def _lark() -> Lark:
    """Lark's own parser (plain trees), to explain syntax errors: loaded from the tables
    when they were made by this Lark version, else compiled from the grammar."""
    import lark
    from lark import Lark

    saved = _tables()["lark"]
    if saved["version"] == lark.__version__:
        return Lark._load_from_dict(saved["data"], saved["memo"])
    return Lark(grammar_path().read_text(encoding="utf-8"), **_OPTIONS)


class _Reject(Exception):
    """The fast loop met something it does not accept; Lark will say what."""


class _Machine:
    """Runs the exported tables: a loop specialised to this grammar that only ever
    accepts; anything else raises `_Reject`."""

    def __init__(self, tables: dict, builder: _Builder) -> None:
        reductions = []
        for origin, size, callback, plan in tables["rules"]:
            method = getattr(builder, callback) if callback else None
            reductions.append((size, origin, method, None if set(plan) <= {"k"} else plan))
        # Each action becomes (shift target, None) or (None, reduction).
        self.states = {
            state: {
                kind: (target, None) if target >= 0 else (None, reductions[-1 - target])
                for kind, target in actions.items()
            }
            for state, actions in tables["states"].items()
        }
        self.start, self.end = tables["start"], tables["end"]
        ignore = set(tables["ignore"])
        terminals = [(name, regex) for name, regex in tables["terminals"] if name not in ignore]
        skipped = "|".join(regex for name, regex in tables["terminals"] if name in ignore)
        # One match per token: ignored text (whitespace, comments) is skipped by the same
        # expression, then the terminals are tried in Lark's order; at the end nothing
        # but ignored text remains and no group matches.
        self.lexer = re.compile(
            f"(?>(?:{skipped})*)(?:"
            + "|".join(f"(?P<{name}>{regex})" for name, regex in terminals)
            + r"|\Z)"
        ).match

    def parse(self, text: str) -> ast.Chain | None:
        index = LineIndex(text)
        states, match, end_state = self.states, self.lexer, self.end
        state_stack = [self.start]
        value_stack: list = []
        push_state, push_value = state_stack.append, value_stack.append
        pos, depth = 0, 0
        opening, closing = ("LPAR", "LSQB"), ("RPAR", "RSQB")
        while True:
            m = match(text, pos)
            if m is None:
                raise _Reject
            kind = m.lastgroup
            if kind is None:  # only ignored text was left
                kind, token = "$END", None
            else:
                if kind in opening:
                    depth += 1
                    if depth > MAX_DEPTH:  # the bracket scan reports it (E009)
                        raise _Reject
                elif kind in closing:
                    depth -= 1
                start, pos = m.span(kind)
                token = (kind, text[start:pos], start, pos, index)
            while True:
                action = states[state_stack[-1]].get(kind)
                if action is None:
                    raise _Reject
                shift, reduce = action
                if shift is not None:
                    if token is None:
                        raise _Reject
                    push_state(shift)
                    push_value(token)
                    break
                n, origin, method, plan = reduce
                if n:
                    children = value_stack[-n:]
                    del state_stack[-n:]
                    del value_stack[-n:]
                    if plan is not None:
                        children = _filter(children, plan)
                else:
                    children = []
                goto = states[state_stack[-1]][origin][0]
                push_state(goto)
                push_value(children if method is None else method(children))
                if token is None and goto == end_state:
                    return value_stack[-1]


def _filter(children: list, plan: str) -> list:
    """Keep, drop or inline each child as Lark's tree builder does. A rule's first child
    is the left recursion of a ``*`` repetition: its list is extended in place, as Lark's
    ``ChildFilterLALR`` does, so a chain of n stages is built in O(n), not O(n^2)."""
    if plan[0] == "i":
        kept = children[0]
        start = 1
    else:
        kept = []
        start = 0
    for i in range(start, len(plan)):
        mode = plan[i]
        if mode == "k":
            kept.append(children[i])
        elif mode == "i":
            kept.extend(children[i])
    return kept


@functools.cache
def _machine() -> _Machine:
    return _Machine(_tables(), _Builder())


@dataclass(frozen=True, slots=True)
class ParseResult:
    chain: ast.Chain | None
    diagnostics: tuple[Diagnostic, ...]


def parse(text: str) -> ParseResult:
    """Parse ``text``; a syntax error gives diagnostics and ``chain=None``, never an
    exception."""
    if text.count("->") >= MAX_STAGES:
        arrow = -1
        for _ in range(MAX_STAGES):
            arrow = text.find("->", arrow + 1)
        message = f"the chain has more than {MAX_STAGES:,} stages"
        help = "a model is a chain of a few layers; is this the right file?"
        return ParseResult(None, (_error(text, "E012", arrow, arrow + 2, message, help),))
    try:
        return ParseResult(_machine().parse(text), ())
    except _Limit as limit:
        return ParseResult(None, (limit.diag,))
    except _Reject:
        pass
    # The slow path, for text with an error: brackets first, then Lark's own verdict.
    problem = _scan_brackets(text)
    if problem is not None:
        return ParseResult(None, (problem,))
    from lark.exceptions import UnexpectedInput

    try:
        _lark().parse(text)
    except UnexpectedInput as error:
        return ParseResult(None, (_syntax_diagnostic(text, error),))
    raise AssertionError(f"the fast parser rejected text Lark accepts: {text[:200]!r}")


_OPEN = {"(": ")", "[": "]"}
_CLOSE = {")": "(", "]": "["}
_INTERESTING = re.compile(r'[#"()\[\]]')


def _error(text: str, code: str, start: int, end: int, message: str, help: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, Span.at(text, start, end), message, help=help)


def _scan_brackets(text: str) -> Diagnostic | None:
    """Match brackets outside strings and comments; the first problem found, if any."""
    stack: list[int] = []
    search, n = _INTERESTING.search, len(text)
    m = search(text)
    while m is not None:
        i = m.start()
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            if nl < 0:
                break
            m = search(text, nl)
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            if j >= n or text[j] != '"':
                help = 'close the string with `"` on the same line'
                return _error(text, "E010", i, min(j, n), "unterminated string", help)
            m = search(text, j + 1)
            continue
        if ch in _OPEN:
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                message = f"brackets nested more than {MAX_DEPTH} deep"
                help = "a model needs only a few levels, e.g. `td(dense(1))`"
                return _error(text, "E009", i, i + 1, message, help)
        elif not stack:
            help = "remove it, or add the matching `(` before it"
            return _error(text, "E005", i, i + 1, f"`{ch}` closes nothing", help)
        elif text[stack[-1]] != _CLOSE[ch]:
            opener = stack[-1]
            message = f"`{text[opener]}` is closed by `{ch}`"
            help = f"close it with `{_OPEN[text[opener]]}`"
            return _error(text, "E003", opener, opener + 1, message, help)
        else:
            stack.pop()
        m = search(text, i + 1)
    if stack:
        opener = stack[-1]
        message = f"`{text[opener]}` is never closed"
        help = f"add `{_OPEN[text[opener]]}` where the arguments end"
        return _error(text, "E003", opener, opener + 1, message, help)
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
        if token.line != _prev_line(text, span.start):
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
    """Line of the last character of code (not space, not comment) before ``start``."""
    i = start - 1
    while i >= 0:
        line_start = text.rfind("\n", 0, i + 1) + 1
        code = text[line_start : i + 1].split("#", 1)[0].rstrip()
        if code:
            return text.count("\n", 0, line_start) + 1
        i = line_start - 2
    return text.count("\n", 0, start) + 1


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
