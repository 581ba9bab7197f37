"""A Pygments lexer for `.arch` files, for documentation and any Pygments-based highlighter.

Registered under the ``pygments.lexers`` entry point, so ``pygmentize -l arch`` and
Markdown/Sphinx code blocks fenced as ``arch`` find it once the package is installed.
This module imports Pygments at the top and is never imported by the checking path
(`bilstm-dsl check` needs nothing but lark).

The tokens are the language's own (`bilstm_dsl.lexer`, made from the grammar's terminals);
this module only gives each a colour. Layer names, aliases and flags come from the registry
(`bilstm_dsl.layers`), so a layer added there is highlighted as one without touching this
file.
"""

from __future__ import annotations

from collections.abc import Iterator

from pygments.lexer import Lexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from . import lexer
from .layers import FLAGS, KNOWN_NAMES, LAYERS

__all__ = ["ArchLexer", "LAYER_NAMES", "FLAG_NAMES"]

LAYER_NAMES: frozenset[str] = frozenset(KNOWN_NAMES)
"""Every layer name and alias the language knows (``lstm``, ``bilstm``, ``td``, ...)."""

FLAG_NAMES: frozenset[str] = frozenset(FLAGS) | frozenset(
    flag for spec in LAYERS.values() for flag in spec.flags
)
"""Bare words that switch a boolean argument on (``seq``, ``state``, ``stateful``, ...)."""

TOKEN_TYPES: dict[str, _TokenType] = {
    "ARROW": Operator,
    "COLON": Operator,  # a shape assertion follows
    "EQUALS": Operator,
    "LPAR": Punctuation,
    "RPAR": Punctuation,
    "LSQB": Punctuation,
    "RSQB": Punctuation,
    "_COMMA": Punctuation,
    "INDEXED": Name.Variable,  # `dec[0]`: one output of a graph's layer
    "INT": Number.Integer,
    "FLOAT": Number.Float,
    "COMMENT": Comment.Single,
    "WS": Whitespace,
    lexer.ERROR: Error,
}
"""The Pygments type of each kind of token, but names and strings (see `ArchLexer`)."""

_WORDS = {"true": Keyword.Constant, "false": Keyword.Constant, "none": Keyword.Constant}
_WORDS["_"] = Keyword.Pseudo  # "any size" in a shape assertion


class ArchLexer(Lexer):
    """Lexer for bilstm-dsl `.arch` model specs (``input(20, 1) -> lstm(32, seq) -> ...``)."""

    name = "arch"
    aliases = ["arch", "bilstm-dsl"]
    filenames = ["*.arch"]
    mimetypes = ["text/x-arch"]
    url = "https://pypi.org/project/bilstm-dsl/"

    def get_tokens_unprocessed(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        tokens = list(lexer.tokens(text))
        for i, token in enumerate(tokens):
            if token.kind == "NAME":
                yield token.start, _name_type(token.text, _next_kind(tokens, i)), token.text
            elif token.kind in ("STRING", lexer.UNCLOSED_STRING):
                yield from _string_parts(token)
            else:
                yield token.start, TOKEN_TYPES.get(token.kind, Text), token.text


def _next_kind(tokens: list[lexer.Token], i: int) -> str | None:
    """The kind of the token after ``tokens[i]``, whitespace skipped (not comments); a run
    of whitespace is one token, so it is one of the next two."""
    for token in tokens[i + 1 : i + 3]:
        if token.kind != "WS":
            return token.kind
    return None


def _name_type(word: str, following: str | None) -> _TokenType:
    """Names are case-insensitive in the language (`LSTM(32)`)."""
    if following == "EQUALS":  # a keyword argument: `return_sequences=true`
        return Name.Attribute
    lower = word.lower()
    if following == "LPAR":  # a call: a layer the registry knows, or not (E101)
        return Name.Builtin if lower in LAYER_NAMES else Name.Function
    if lower in _WORDS:
        return _WORDS[lower]
    if lower in FLAG_NAMES:
        return Keyword.Pseudo
    return Name  # a bare word where a string is meant: `relu`, `concat`


def _string_parts(token: lexer.Token) -> Iterator[tuple[int, _TokenType, str]]:
    """A string's quotes and text as String.Double, its escapes (``\\"``) as
    String.Escape; an unclosed string (E010) simply stops at the end of its line."""
    text, at = token.text, token.start
    yield at, String.Double, '"'
    closed = token.kind == "STRING"
    body_end = len(text) - 1 if closed else len(text)
    i = 1
    while i < body_end:
        escape = text.find("\\", i, body_end)
        if escape < 0:
            escape = body_end
        if escape > i:
            yield at + i, String.Double, text[i:escape]
        if escape < body_end:
            yield at + escape, String.Escape, text[escape : escape + 2]
        i = escape + 2
    if closed:
        yield at + body_end, String.Double, '"'
