"""The one lexer for `.arch` text, made from the grammar's own terminals.

The terminals are those of ``grammar/arch.lark``, exported with the parser tables
(`lark_tables`) in the order Lark's lexer tries them, so a token here is exactly a token to
the parser. Unlike the parser, the lexer also yields what the grammar ignores (``WS``,
``COMMENT``: `fmt` keeps comments, a highlighter colours them), and it never stops: text the
grammar rejects becomes one of two kinds that exist only here,

- ``UNCLOSED_STRING``: a ``"`` whose string does not close on its line, up to the line's end
  (strings cannot span lines), which the parser reports as E010;
- ``ERROR``: a run of characters no terminal matches.

Every tool that looks at tokens goes through this module: the parser's chain reader
(`texts`), its tables (`significant`) and its error recovery (bracket matching, `scan`),
`fmt` (the COMMENT
terminal's `pattern` between stages, `scan` inside one), the Pygments lexer and the
language server's completion context (`tokens`).

A scan that keeps only some kinds (`scan`) is one regular expression per match: the tokens
it does not keep are skipped by an atomic group, inside the regular expression engine,
before the next kept token is matched. That is how the parser skips whitespace and
comments for free, and its error recovery sees only brackets and strings. It relies on
a property of this grammar, checked by ``tests/test_grammar.py`` for the scans the package
makes: where the token is of a kept kind, no skipped kind matches too (they start with
different characters), so skipping cannot change where a kept token starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

UNCLOSED_STRING = "UNCLOSED_STRING"
ERROR = "ERROR"

MAX_DEPTH = 64
"""Deepest bracket nesting accepted (E009); real specs nest two or three levels."""

MAX_DIGITS = 100
"""Longest integer literal accepted (E009); Keras sizes have a handful of digits."""


def unescape(body: str) -> str:
    """A ``STRING`` token's text between its quotes, its escapes resolved."""
    if "\\" not in body:
        return body
    out, chars = [], iter(body)
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


class Token:
    """One token: ``kind`` is a terminal's name in the grammar (``NAME``, ``INT``,
    ``ARROW``, ``_COMMA``, ``WS``, ``COMMENT``, ...), `UNCLOSED_STRING` or `ERROR`; its
    ``text`` spans ``start`` to ``end``. Compares and unpacks as the tuple of the four.
    (Written out rather than a ``typing.NamedTuple``: importing typing costs every start.)"""

    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def _tuple(self) -> tuple[str, str, int, int]:
        return (self.kind, self.text, self.start, self.end)

    def __iter__(self) -> Iterator[object]:
        return iter(self._tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token):
            return self._tuple() == other._tuple()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return f"Token(kind={self.kind!r}, text={self.text!r}, start={self.start}, end={self.end})"


@functools.cache
def _terminals() -> tuple[tuple[str, str], ...]:
    from . import lark_tables  # not for the chain reader, which reads `texts`'s constant

    return tuple((name, regex) for name, regex in lark_tables.load()["terminals"])


@functools.cache
def _recovery() -> tuple[tuple[str, str], ...]:
    """Kinds for text the grammar rejects, each matching only where no terminal does (an
    ``ERROR`` run is built in `_scanner`): a ``"`` that starts no STRING runs to the end of
    its line."""
    return ((UNCLOSED_STRING, f'(?!{dict(_terminals())["STRING"]})"[^\r\n]*'),)


@functools.cache
def ignored() -> frozenset[str]:
    """The kinds the grammar ignores between tokens: whitespace and comments."""
    from . import lark_tables

    return frozenset(lark_tables.load()["ignore"])


@functools.cache
def pattern(kind: str) -> re.Pattern:
    """The compiled pattern of one terminal of the grammar."""
    return re.compile(dict(_terminals())[kind])


@functools.cache
def kinds() -> tuple[str, ...]:
    """Every kind `tokens` yields, in the order they are tried."""
    return tuple(name for name, _ in _terminals() + _recovery()) + (ERROR,)


@functools.cache
def _scanner(keep: frozenset[str], tolerant: bool) -> Callable[[str, int], re.Match | None]:
    """A ``match(text, pos)`` that skips every token not in ``keep``, then matches one token
    of a kept kind (its group named after the kind) or the end of the text.

    ``tolerant``: characters no terminal matches are a token of kind `ERROR`, and an
    unclosed string one of kind `UNCLOSED_STRING`; otherwise they stop the scan (the match
    fails), which is what the parser wants."""
    alternatives = list(_terminals() + _recovery() if tolerant else _terminals())
    skipped = [regex for name, regex in alternatives if name not in keep]
    kept = [f"(?P<{name}>{regex})" for name, regex in alternatives if name in keep]
    if tolerant and ERROR in keep:
        any_token = "|".join(regex for _, regex in alternatives)
        kept.append(f"(?P<{ERROR}>(?:(?!{any_token})(?s:.))+)")
    elif tolerant:  # one character that starts no kept token, once no terminal matched
        starts_kept = "|".join(regex for name, regex in alternatives if name in keep)
        skipped.append(f"(?!{starts_kept or '(?!)'})(?s:.)")
    skip = f"(?>(?:{'|'.join(skipped)})*)" if skipped else ""
    return re.compile(skip + "(?:" + "|".join(kept + [r"\Z"]) + ")").match


def significant() -> Callable[[str, int], re.Match | None]:
    """For the parser: skip whitespace and comments, then match one token the grammar
    uses (its kind is ``match.lastgroup``), or the end (``lastgroup`` is None); the match
    fails on a character no terminal matches."""
    keep = frozenset(name for name, _ in _terminals()) - ignored()
    return _scanner(keep, False)


@functools.cache
def texts() -> re.Pattern:
    """For the parser's chain reader: ``findall`` gives a pair (the whitespace and comments
    skipped, the token's text) per token the grammar uses, and an empty token at the end.
    No kinds and no match objects, so the scan runs in the regular expression engine; a
    token's kind follows from its text (`parser` says how). A character no terminal
    matches also ends a pair with an empty token, and is itself left out of every pair,
    which the reader notices: the pairs then fall short of the text's length. (An empty
    token rather than no match: after a failed match ``findall`` would try again one
    character on, rescanning the whitespace before it, quadratic in its length.)

    The pattern is `TEXTS`, `texts_pattern` written out: building it reads the tables,
    which a plain chain does not otherwise need."""
    return re.compile(TEXTS)


def texts_pattern() -> str:
    """The pattern of `texts`, from the grammar's terminals: `significant`'s alternatives,
    in its order, with their groups made non-capturing."""
    keep = [regex for name, regex in _terminals() if name not in ignored()]
    skipped = [regex for name, regex in _terminals() if name in ignored()]
    alternatives = _NON_CAPTURING.sub("(?:", "|".join(keep))
    pattern = f"((?>(?:{'|'.join(skipped)})*))({alternatives}|)"
    assert re.compile(pattern).groups == 2, pattern
    return pattern


_NON_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")
"""An opening group bracket that captures: not escaped, not followed by ``?``."""

# `texts_pattern` as the grammar gives it; tests/test_grammar.py fails while it is not.
# -- generated by scripts/update_grammar_tables.py from grammar/arch.lark: do not edit
TEXTS = (
    "((?>(?:[ \t\x0c\r\n]+|#[^\r\n]*)*))([A-Za-z_][A-Za-z0-9_]*\\[-?\\d+\\]|"
    "(?:-?\\d+[eE][-+]?\\d+|-?(?:\\d+\\.\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)|"
    '"[^"\\\\\r\n]*(?:\\\\[^\r\n][^"\\\\\r\n]*)*"|[A-Za-z_][A-Za-z0-9_]*|-?\\d'
    "+|\\->|:|=|\\(|\\[|\\)|\\]|,|)"
)
# -- end of generated


def scan(text: str, keep: Iterable[str]) -> Iterator[Token]:
    """The tokens of ``text`` whose kind is in ``keep``, in order; the others (errors
    included) are skipped without being made into tokens."""
    match = _scanner(frozenset(keep), True)
    pos, end = 0, len(text)
    while pos < end:
        m = match(text, pos)
        kind = m.lastgroup if m is not None else None
        if kind is None:  # only skipped text was left
            return
        start, pos = m.span(kind)
        yield Token(kind, text[start:pos], start, pos)


def tokens(text: str) -> Iterator[Token]:
    """Every token of ``text``, whitespace, comments and errors included: together they
    cover the text exactly."""
    return scan(text, kinds())
