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
from .kept import TEXT_AT_MOST, Kept
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
    plain = _from_kept(text) if _calls else None
    if plain is not None:
        return ParseResult(plain, ())
    plain = read_chain(text)
    if plain is not None:
        _keep(text, plain)
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


# -- calls kept by their text
#
# A plain chain's calls are read again and again: the same layers in every spec of a
# project, every line but the one edited in an editor. A call's nodes follow from its
# text alone, wherever it stands (it starts and ends on a token boundary, and reading it
# depends on nothing outside it), so the chain reader's calls are kept as templates, their
# spans relative to the call, keyed by the call's text; a text that is nothing but kept
# calls joined by ``->`` (and whitespace) is then built from them: the same nodes, new
# objects, spans into the new text, without tokenizing it. A text holding a string, a
# comment or an assertion (``"``, ``#``, ``:``, which could hide or add an arrow) is
# always read. `tests/test_speed_recipes.py` checks both ways give the same tree.

KEPT_PER_TEXT = 256
"""New calls one text keeps at most: a long file of calls all new pays for keeping a few
hundred of them, not for each (the next reads keep more)."""

_calls = Kept()
"""A call's text -> its template (`_template`), kept as `kept` says."""
_WS = " \t\x0c\r\n"
"""The grammar's whitespace (``WS``), which may stand around an arrow."""


def _from_kept(text: str) -> ast.Chain | None:
    """``text`` built from kept calls, as `read_chain` would read it; None unless the text
    is calls joined by arrows, all kept but a few (an edit), which are read on their own
    and kept."""
    if '"' in text or "#" in text or ":" in text:
        return None
    pieces = text.split("->")
    new = -1  # new calls still allowed, counted at the first: none, nearly always
    index = LineIndex(text)
    stages = []
    start = 0
    for at, piece in enumerate(pieces):
        written = piece.strip(_WS)
        template = _calls.get(written)
        if template is None:  # a call reads alike alone: it starts and ends a token
            if new < 0:  # more new calls than 1 in 8: reading the text whole is faster
                calls = _calls
                left = sum(1 for rest in pieces[at:] if rest.strip(_WS) not in calls)
                new = 1 + len(pieces) // 8 - left
                if new < 0:
                    return None
            if len(written) > TEXT_AT_MOST:
                return None
            alone = read_chain(written)
            if alone is None or len(alone.stages) != 1:
                return None
            template = _keep_call(written, alone.stages[0].call, 0)
        call = KeptCall(template, start + piece.index(written), index)
        stages.append(ast.Stage(call, None, call.span))
        start += len(piece) + 2
    return ast.Chain(tuple(stages), stages[0].span.cover(stages[-1].span))


def _keep(text: str, chain: ast.Chain) -> None:
    """Keep the calls of ``chain`` (just read from ``text``) read once before and not kept
    yet, at most `KEPT_PER_TEXT` of them."""
    room = KEPT_PER_TEXT
    for stage in chain.stages:
        span = stage.call.span
        written = text[span.start : span.end]
        if written in _calls or not _keepable(written):
            continue
        if _calls.met_before(written):
            _calls.keep(written, _template(stage.call, span.start))
            room -= 1
            if not room:
                return


def _keepable(written: str) -> bool:
    """Whether a call of this text is kept: short, and nothing `_from_kept` never builds."""
    return len(written) <= TEXT_AT_MOST and not ('"' in written or "#" in written or ":" in written)


def _keep_call(written: str, call: ast.Call, base: int) -> tuple:
    """``call``'s template (its offsets less ``base``), kept if `_keepable`."""
    template = _template(call, base)
    if _keepable(written):
        _calls.keep(written, template)
    return template


def _template(node: ast.Call, base: int) -> tuple:
    """``node`` as plain data, its offsets less ``base``: what `_call` makes it from."""
    args = []
    for arg in node.args:
        value = _value_template(arg.value, base)
        if arg.key is None:
            args.append((None, 0, 0, value))
        else:
            args.append((arg.key, arg.key_span.start - base, arg.key_span.end - base, value))
    name, span = node.name_span, node.span
    return (node.name, name.start - base, name.end - base, tuple(args), span.end - base)


def _value_template(value: ast.Value, base: int) -> tuple:
    kind = type(value)
    if kind is ast.Call:
        return ("call", _template(value, base), 0, 0)  # type: ignore[arg-type]
    span = value.span
    if kind is ast.Tuple or kind is ast.List:
        items = tuple(_value_template(item, base) for item in value.items)  # type: ignore[union-attr]
        return (kind, items, span.start - base, span.end - base)
    if kind is ast.Ref:
        return (kind, (value.name, value.index), span.start - base, span.end - base)  # type: ignore[union-attr]
    return (kind, value.value, span.start - base, span.end - base)  # type: ignore[union-attr]


def _call(template: tuple, base: int, index: LineIndex) -> ast.Call:
    """The call ``template`` was made from, standing at ``base`` in the text of
    ``index``: its spans shared as `read_chain` shares them."""
    name, name_start, name_end, arg_templates, end = template
    start = base + name_start
    return ast.Call(
        name,
        Span(start, base + name_end, index),
        _args(arg_templates, base, index),
        Span(start, base + end, index),
    )


def _args(arg_templates: tuple, base: int, index: LineIndex) -> tuple[ast.Arg, ...]:
    """The arguments of a call's template, standing at ``base`` in the text of ``index``."""
    args = []
    for key, key_start, key_end, value_template in arg_templates:
        kind, payload, value_start, value_end = value_template
        if kind in _SCALARS:  # `_value`, written out for what nearly every argument is
            value = kind(payload, Span(base + value_start, base + value_end, index))
        else:
            value = _value(value_template, base, index)
        if key is None:
            args.append(ast.Arg(None, None, value, value.span))
        else:
            key_span = Span(base + key_start, base + key_end, index)
            args.append(ast.Arg(key, key_span, value, key_span.cover(value.span)))
    return tuple(args)


_ARGS = ast.Call.__dict__["args"]
_NAME_SPAN = ast.Call.__dict__["name_span"]
"""`Call`'s own slots, which `KeptCall` fills when first read."""


class KeptCall(ast.Call):
    """A chain's call made from a kept template (`_from_kept`), equal to the `ast.Call`
    reading it gives. Its name and span are made at once, as every check reads them; its
    arguments and the span of its name when first read, which checking a clean chain
    does not (binding makes a kept call's layer from its recipe, `recipes._remake`, and
    the layer's spans are made from the arguments only when read, `model.Layer.spans`).
    A stage's call is the only one made so: a wrapped call, an argument, is an `ast.Call`
    when its arguments are made."""

    __slots__ = ("_template", "_base")

    def __init__(self, template: tuple, base: int, index: LineIndex) -> None:
        self.name = template[0]
        self.span = Span(base + template[1], base + template[4], index)
        self._template = template
        self._base = base

    @property  # type: ignore[override]
    def args(self) -> tuple[ast.Arg, ...]:
        try:
            return _ARGS.__get__(self)
        except AttributeError:
            args = _args(self._template[3], self._base, self.span._index)
            _ARGS.__set__(self, args)
            return args

    @property  # type: ignore[override]
    def name_span(self) -> Span:
        try:
            return _NAME_SPAN.__get__(self)
        except AttributeError:
            _, start, end, _, _ = self._template
            span = Span(self._base + start, self._base + end, self.span._index)
            _NAME_SPAN.__set__(self, span)
            return span

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ast.Call):
            return NotImplemented
        return (
            self.name == other.name
            and self.name_span == other.name_span
            and self.args == other.args
            and self.span == other.span
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Call(name={self.name!r}, name_span={self.name_span!r}, args={self.args!r}, "
            f"span={self.span!r})"
        )


_SCALARS = frozenset((ast.Int, ast.Float, ast.Word, ast.String))


def _value(template: tuple, base: int, index: LineIndex) -> ast.Value:
    kind = template[0]
    if kind == "call":
        return _call(template[1], base, index)
    _, value, start, end = template
    span = Span(base + start, base + end, index)
    if kind is ast.Tuple or kind is ast.List:
        return kind(tuple(_value(item, base, index) for item in value), span)
    if kind is ast.Ref:
        return ast.Ref(value[0], value[1], span)
    return kind(value, span)


# -- the chain reader


class _Decline(Exception):
    """Not a plain chain the reader builds, or not valid: the tables decide."""


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NUMBER_START = frozenset("0123456789-.")
_CLOSE = {"(": ")", "[": "]"}
_ARG_END = frozenset((",", ")"))
"""What follows an argument that is one token: `call` makes an Int or Word of it at
once, as `value` would (an all-digit token is an ``INT``, a name not indexed a ``NAME``)."""


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
                elif toks[j + 1] in _ARG_END and key[0] in _NAME_START and key[-1] != "]":
                    item = ast.Word(key, Span(starts[j], stops[j], index))  # a flag, `seq`
                    args.append(ast.Arg(None, None, item, item.span))
                    j += 1
                elif toks[j + 1] in _ARG_END and key.isdigit() and len(key) <= MAX_DIGITS:
                    item = ast.Int(int(key), Span(starts[j], stops[j], index))  # a size
                    args.append(ast.Arg(None, None, item, item.span))
                    j += 1
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
