"""Text -> AST; syntax errors become our diagnostics.

Three readers, fastest first, each handing what it declines to the next:

1. the chain reader here, for the file that is one plain chain of calls (nearly every
   file): a recursive descent over `lexer.texts`'s pairs, which the regular expression
   engine makes in one pass; it builds exactly the nodes `lalr.Builder` would, at a
   fraction of the cost, and declines anything else, errors included, without a word;
2. `lalr`, Lark's LALR tables for the whole grammar run without Lark: graph files;
3. `syntax_errors`, for text the tables reject: brackets matched first, then Lark's own
   parser says exactly what went wrong, in our words.

The grammar file stays the single source of truth: the tables are made from it, and
`tests/test_grammar.py` checks both readers against Lark's runtime, the chain reader also
against the tables on random token soups (it may decline what they accept, never accept
what they reject or build another tree).
"""

from __future__ import annotations

from itertools import accumulate, chain

from . import ast, lexer
from .diagnostics import Diagnostic, LineIndex, Span
from .lexer import MAX_DEPTH, MAX_DIGITS, unescape
from .records import Record

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_STAGES", "ParseResult", "parse"]

MAX_STAGES = 100_000
"""Longest chain accepted (E012): checking takes ~25 us and ~1.5 kB per stage."""


class ParseResult(Record):
    """What `parse` gives: ``chain``, the file as one plain chain; ``diagnostics``, its
    syntax errors; ``program``, the file as statements (a graph), when it is not one plain
    chain. Written out rather than a dataclass (`records` says why)."""

    __slots__ = ("chain", "diagnostics", "program")

    def __init__(
        self,
        chain: ast.Chain | None,
        diagnostics: tuple[Diagnostic, ...],
        program: ast.Program | None = None,
    ) -> None:
        self.chain = chain
        self.diagnostics = diagnostics
        self.program = program


_last: tuple[str, ParseResult] | None = None

KEEP_AT_MOST = 100_000
"""Longest text whose parse is kept for the next call (a few thousand lines)."""


def parse(text: str) -> ParseResult:
    """Parse ``text``; a syntax error gives diagnostics and ``chain=None``, never an
    exception. The result for the last text parsed is kept: the language server parses
    the string it has just checked again to find the stage under the cursor, and that
    costs an identity test instead of a parse. Not for a text past `KEEP_AT_MOST`: its
    tree, a million objects for the longest chain, would stay alive for nothing but the
    garbage collector to walk, at every full collection and at exit (a second)."""
    global _last
    if _last is not None and _last[0] is text:
        return _last[1]
    result = _parse(text)
    _last = (text, result) if len(text) <= KEEP_AT_MOST else None
    return result


def _parse(text: str) -> ParseResult:
    if text.count("->") >= MAX_STAGES:
        from .syntax_errors import diagnostic

        arrow = -1
        for _ in range(MAX_STAGES):
            arrow = text.find("->", arrow + 1)
        message = f"the chain has more than {MAX_STAGES:,} stages"
        help = "a model is a chain of a few layers; is this the right file?"
        return ParseResult(None, (diagnostic(text, "E012", arrow, arrow + 2, message, help),))
    plain = read_chain(text)
    if plain is not None:
        return ParseResult(plain, ())
    # The tables, for whatever the chain reader declines: not loaded for a plain chain.
    from .lalr import Limit, Reject, machine

    try:
        tree = machine().parse(text)
    except Limit as limit:
        return ParseResult(None, (limit.diag,))
    except Reject:
        from .syntax_errors import explain

        return ParseResult(None, (explain(text),))
    if type(tree) is ast.Program:
        from .syntax_errors import missing_arrow

        problem = missing_arrow(tree)
        if problem is not None:
            return ParseResult(None, (problem,))
        return ParseResult(None, (), tree)
    return ParseResult(tree, ())


# -- the chain reader


class _Decline(Exception):
    """Not a plain chain the reader builds, or not valid: the tables decide."""


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NUMBER_START = frozenset("0123456789-.")
_CLOSE = {"(": ")", "[": "]"}


def read_chain(text: str) -> ast.Chain | None:
    """``text`` as a plain chain, ``call (-> call)*`` with optional assertions, built as
    `lalr.Builder` builds it; None for anything else (a graph, an error, a literal or a
    nesting beyond a limit), which the tables then parse or reject.

    A token's kind follows from its text as the grammar's terminals make it: a name
    (``NAME``) starts with a letter or ``_``, and ends with ``]`` only when indexed
    (``INDEXED``, ``dec[0]``); a number starts with a digit, ``-`` or ``.`` (``->`` aside),
    and is a ``FLOAT`` when it holds ``.``, ``e`` or ``E``; a ``STRING`` starts with ``"``;
    the rest is punctuation, its own text. The empty token ends the text."""
    pairs = lexer.texts().findall(text)
    ends = list(accumulate(map(len, chain.from_iterable(pairs))))
    if ends[-1] != len(text):  # a character no terminal matches was skipped
        return None
    try:
        return _descend([token for _, token in pairs], ends[0::2], ends[1::2], LineIndex(text))
    except (_Decline, IndexError):  # IndexError: a token missing after the last
        return None


def _descend(toks: list[str], starts: list[int], stops: list[int], index: LineIndex) -> ast.Chain:
    """The recursive descent over the tokens (token ``i`` spans ``starts[i]`` to
    ``stops[i]``): each function takes the index of its first token and returns the index
    after its last, with the node built."""

    def call(i: int, depth: int) -> tuple[int, ast.Call]:
        """``NAME ( arguments? )``; ``toks[i]`` must be the name."""
        name = toks[i]
        if name[0] not in _NAME_START or name[-1] == "]" or toks[i + 1] != "(":
            raise _Decline
        depth += 1
        if depth > MAX_DEPTH:
            raise _Decline
        args = []
        j = i + 2
        if toks[j] != ")":
            while True:
                key = toks[j]
                if toks[j + 1] == "=" and key[0] in _NAME_START and key[-1] != "]":
                    key_span = Span(starts[j], stops[j], index)
                    j, item = value(j + 2, depth)
                    args.append(ast.Arg(key, key_span, item, key_span.cover(item.span)))
                else:
                    j, item = value(j, depth)
                    args.append(ast.Arg(None, None, item, item.span))
                tok = toks[j]
                if tok == ",":
                    j += 1
                    if toks[j] == ")":
                        break
                elif tok == ")":
                    break
                else:
                    raise _Decline
        start = starts[i]
        span = Span(start, stops[i], index)
        return j + 1, ast.Call(name, span, tuple(args), Span(start, stops[j], index))

    def value(i: int, depth: int) -> tuple[int, ast.Value]:
        tok = toks[i]
        first = tok[0]
        if first in _NUMBER_START and tok != "->":
            if "." in tok or "e" in tok or "E" in tok:
                return i + 1, ast.Float(float(tok), Span(starts[i], stops[i], index))
            if len(tok) > MAX_DIGITS:  # maybe past the limit: the tables say so (E009)
                raise _Decline
            return i + 1, ast.Int(int(tok), Span(starts[i], stops[i], index))
        if first in _NAME_START:
            if toks[i + 1] == "(":
                return call(i, depth)
            if tok[-1] == "]":  # INDEXED: one of a layer's outputs, `dec[0]`
                name, _, at = tok[:-1].partition("[")
                return i + 1, ast.Ref(name, int(at), Span(starts[i], stops[i], index))
            return i + 1, ast.Word(tok, Span(starts[i], stops[i], index))
        if first == '"':
            return i + 1, ast.String(unescape(tok[1:-1]), Span(starts[i], stops[i], index))
        close = _CLOSE.get(first)
        if close is None:
            raise _Decline
        # a tuple `( values )` or a list `[ values ]`
        depth += 1
        if depth > MAX_DEPTH:
            raise _Decline
        items = []
        j = i + 1
        if toks[j] != close:
            while True:
                j, item = value(j, depth)
                items.append(item)
                tok = toks[j]
                if tok == ",":
                    j += 1
                    if toks[j] == close:
                        break
                elif tok == close:
                    break
                else:
                    raise _Decline
        node = ast.Tuple if close == ")" else ast.List
        return j + 1, node(tuple(items), Span(starts[i], stops[j], index))

    stages = []
    i = 0
    while True:
        i, head = call(i, 0)
        if toks[i] == ":":
            i, assertion = value(i + 1, 0)
            stages.append(ast.Stage(head, assertion, head.span.cover(assertion.span)))
        else:
            stages.append(ast.Stage(head, None, head.span))
        tok = toks[i]
        if tok == "->":
            i += 1
        elif tok:
            raise _Decline
        else:
            return ast.Chain(tuple(stages), stages[0].span.cover(stages[-1].span))
