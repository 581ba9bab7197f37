"""Text -> AST, with Lark's LALR tables; syntax errors become our diagnostics.

The grammar file is the single source of truth for the syntax. Lark compiles it once, and
`lark_tables` exports the result as plain JSON data shipped in the package: the LALR
tables, the terminals (which the `lexer` turns into one regular expression) and which
children of each rule a tree keeps. `_Machine` runs it: tuples for tokens, and the
`_Builder` callbacks, with the children filtered and inlined as Lark's tree builder would.
Lark's general runtime spent ~8 us per token on bookkeeping this language does not need,
and importing Lark is a third of a `bilstm-dsl check` process, so successful parses do not
import it at all. Text the machine rejects goes to Lark's own parser, whose exception says
exactly what went wrong. `tests/test_grammar.py` checks the machine against Lark's runtime
on samples and on thousands of random token soups.

Before explaining an error, a scan of the lexer's bracket tokens matches brackets, so that
an unclosed ``(`` is reported where it was opened (an LALR parser only notices at the end
of the input). The nesting depth is bounded (E009) so a hostile ``td(td(td(...)))`` cannot
exhaust the recursion of later stages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ast, lexer
from .diagnostics import Diagnostic, LineIndex, Severity, Span, index_for
from .lark_tables import grammar_path, lark_parser, load

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_STAGES", "ParseResult", "grammar_path", "parse"]

MAX_DEPTH = 64
"""Deepest bracket nesting accepted (E009); real specs nest two or three levels."""

MAX_DIGITS = 100
"""Longest integer literal accepted (E009); Keras sizes have a handful of digits."""

MAX_STAGES = 100_000
"""Longest chain accepted (E012): checking takes ~25 us and ~1.5 kB per stage."""


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

    def start(self, children: list) -> ast.Chain | ast.Program | None:
        """The file: nothing, one plain chain (checked as chains always were), or a
        program of statements (a graph)."""
        if not children:
            return None
        first = children[0]
        if len(children) == 1 and not first.targets and type(first.flow.source) is ast.Call:
            steps = first.flow.steps
            if all(type(step.layer) is ast.Call for step in steps):
                source = first.flow.source
                head = ast.Stage(source, first.flow.source_assertion, _stage_span(first.flow))
                stages = (head,) + tuple(ast.Stage(s.layer, s.assertion, s.span) for s in steps)
                return ast.Chain(stages, first.span)
        return ast.Program(tuple(children), first.span.cover(children[-1].span))

    def assignment(self, children: list) -> ast.Statement:
        targets, _, flow = children
        return ast.Statement(targets, flow, targets[0].span.cover(flow.span))

    def bare(self, children: list) -> ast.Statement:
        (flow,) = children
        return ast.Statement((), flow, flow.span)

    def targets(self, children: list) -> tuple[ast.Target, ...]:
        return tuple(children)

    def target(self, children: list) -> ast.Target:
        (name,) = children
        return ast.Target(name[1], _span(name))

    def call_flow(self, children: list) -> ast.Flow:
        stage = children[0]
        steps = tuple(c for c in children[1:] if type(c) is ast.Step)
        end = steps[-1].span if steps else stage.span
        return ast.Flow(stage.call, stage.assertion, steps, stage.span.cover(end))

    def ref_flow(self, children: list) -> ast.Flow:
        return self._flow(children)

    def merge_flow(self, children: list) -> ast.Flow:
        return self._flow(children)

    def _flow(self, children: list) -> ast.Flow:
        source = children[0]
        assertion = None
        # children: the source, its assertion if any, then `->` tokens and steps
        if len(children) > 1 and type(children[1]) not in (ast.Step, tuple):
            assertion = children[1]
        steps = tuple(c for c in children if type(c) is ast.Step)
        end = steps[-1].span if steps else (assertion.span if assertion else source.span)
        return ast.Flow(source, assertion, steps, source.span.cover(end))

    def call_step(self, children: list) -> ast.Step:
        call = children[0]
        assertion = children[1] if len(children) > 1 else None
        span = call.span if assertion is None else call.span.cover(assertion.span)
        return ast.Step(call, assertion, span)

    def use_step(self, children: list) -> ast.Step:
        name = children[0]
        assertion = children[1] if len(children) > 1 else None
        use = ast.Use(name[1], _span(name))
        span = use.span if assertion is None else use.span.cover(assertion.span)
        return ast.Step(use, assertion, span)

    def ref(self, children: list) -> ast.Ref:
        (token,) = children
        return _ref(token)

    def merge(self, children: list) -> ast.Merge:
        refs = tuple(c for c in children if type(c) is ast.Ref)
        return ast.Merge(refs, _span(children[0], children[-1]))

    def source_assertion(self, children: list) -> ast.Value:
        return children[1]

    def indexed(self, children: list) -> ast.Ref:
        (token,) = children
        return _ref(token)

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


def _ref(token: Tok) -> ast.Ref:
    """``h`` or ``dec[0]`` (one token: the index is written without spaces)."""
    text = token[1]
    if text.endswith("]"):
        name, _, index = text[:-1].partition("[")
        return ast.Ref(name, int(index), _span(token))
    return ast.Ref(text, None, _span(token))


def _stage_span(flow: ast.Flow) -> Span:
    source = flow.source
    assertion = flow.source_assertion
    return source.span if assertion is None else source.span.cover(assertion.span)


def _missing_arrow(program: ast.Program) -> Diagnostic | None:
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


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body
    out, chars = [], iter(body)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


class _Reject(Exception):
    """The fast loop met something it does not accept; Lark will say what."""


class _Machine:
    """Runs the exported tables: a loop specialised to this grammar that only ever
    accepts; anything else raises `_Reject`."""

    def __init__(self, tables: dict, builder: _Builder) -> None:
        reductions = []
        for origin, size, callback, plan in tables["rules"]:
            method = getattr(builder, callback, None) if callback else None
            if callback and not callable(method):
                raise ValueError(f"_Builder has no method for rule {callback!r}")
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
        # One match per token: whitespace and comments are skipped inside the expression.
        self.lexer = lexer.significant()

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
    return _Machine(load(), _Builder())


@dataclass(frozen=True, slots=True)
class ParseResult:
    chain: ast.Chain | None
    """The file as one plain chain."""
    diagnostics: tuple[Diagnostic, ...]
    program: ast.Program | None = None
    """The file as statements (a graph), when it is not one plain chain."""


_last: tuple[str, ParseResult] | None = None


def parse(text: str) -> ParseResult:
    """Parse ``text``; a syntax error gives diagnostics and ``chain=None``, never an
    exception. The result for the last text parsed is kept: the language server parses
    the string it has just checked again to find the stage under the cursor, and that
    costs an identity test instead of a parse."""
    global _last
    if _last is not None and _last[0] is text:
        return _last[1]
    result = _parse(text)
    _last = (text, result)
    return result


def _parse(text: str) -> ParseResult:
    if text.count("->") >= MAX_STAGES:
        arrow = -1
        for _ in range(MAX_STAGES):
            arrow = text.find("->", arrow + 1)
        message = f"the chain has more than {MAX_STAGES:,} stages"
        help = "a model is a chain of a few layers; is this the right file?"
        return ParseResult(None, (_error(text, "E012", arrow, arrow + 2, message, help),))
    try:
        tree = _machine().parse(text)
        if type(tree) is ast.Program:
            problem = _missing_arrow(tree)
            if problem is not None:
                return ParseResult(None, (problem,))
            return ParseResult(None, (), tree)
        return ParseResult(tree, ())
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
        lark_parser().parse(text)
    except UnexpectedInput as error:
        return ParseResult(None, (_syntax_diagnostic(text, error),))
    raise AssertionError(f"the fast parser rejected text Lark accepts: {text[:200]!r}")


_CLOSERS = {"LPAR": ("RPAR", ")"), "LSQB": ("RSQB", "]")}
"""Each opening bracket's closing kind and text."""
_BRACKETS = {*_CLOSERS, *(kind for kind, _ in _CLOSERS.values()), lexer.UNCLOSED_STRING}


def _error(text: str, code: str, start: int, end: int, message: str, help: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, Span.at(text, start, end), message, help=help)


def _scan_brackets(text: str) -> Diagnostic | None:
    """Match brackets outside strings and comments; the first problem found, if any."""
    stack: list[lexer.Token] = []
    for token in lexer.scan(text, _BRACKETS):
        i, kind, ch = token.start, token.kind, token.text
        if kind == lexer.UNCLOSED_STRING:
            help = 'close the string with `"` on the same line'
            return _error(text, "E010", i, token.end, "unterminated string", help)
        if kind in _CLOSERS:
            stack.append(token)
            if len(stack) > MAX_DEPTH:
                message = f"brackets nested more than {MAX_DEPTH} deep"
                help = "a model needs only a few levels, e.g. `td(dense(1))`"
                return _error(text, "E009", i, i + 1, message, help)
        elif not stack:
            help = "remove it, or add the matching `(` before it"
            return _error(text, "E005", i, i + 1, f"`{ch}` closes nothing", help)
        elif _CLOSERS[stack[-1].kind][0] != kind:
            opener = stack[-1]
            message = f"`{opener.text}` is closed by `{ch}`"
            help = f"close it with `{_CLOSERS[opener.kind][1]}`"
            return _error(text, "E003", opener.start, opener.end, message, help)
        else:
            stack.pop()
    if stack:
        opener = stack[-1]
        message = f"`{opener.text}` is never closed"
        help = f"add `{_CLOSERS[opener.kind][1]}` where the arguments end"
        return _error(text, "E003", opener.start, opener.end, message, help)
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
