"""A Pygments lexer for `.arch` files, for documentation and any Pygments-based highlighter.

Registered under the ``pygments.lexers`` entry point, so ``pygmentize -l arch`` and
Markdown/Sphinx code blocks fenced as ``arch`` find it once the package is installed.
This module imports Pygments at the top and is never imported by the checking path
(`bilstm-dsl check` needs nothing but lark).

Layer names, aliases and flags come from the registry (`bilstm_dsl.layers`), so a layer
added there is highlighted as one without touching this file.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, default, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from .layers import FLAGS, KNOWN_NAMES, LAYERS

__all__ = ["ArchLexer", "LAYER_NAMES", "FLAG_NAMES"]

LAYER_NAMES: frozenset[str] = frozenset(KNOWN_NAMES)
"""Every layer name and alias the language knows (``lstm``, ``bilstm``, ``td``, ...)."""

FLAG_NAMES: frozenset[str] = frozenset(FLAGS) | frozenset(
    flag for spec in LAYERS.values() for flag in spec.flags
)
"""Bare words that switch a boolean argument on (``seq``, ``state``, ``stateful``, ...)."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"


class ArchLexer(RegexLexer):
    """Lexer for bilstm-dsl `.arch` model specs (``input(20, 1) -> lstm(32, seq) -> ...``)."""

    name = "arch"
    aliases = ["arch", "bilstm-dsl"]
    filenames = ["*.arch"]
    mimetypes = ["text/x-arch"]
    url = "https://pypi.org/project/bilstm-dsl/"

    # Layer and argument names are case-insensitive in the language (`LSTM(32)`).
    flags = re.MULTILINE | re.IGNORECASE

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r"->", Operator),
            (r":", Operator),  # a shape assertion follows
            (r"=", Operator),
            (r"[()\[\]]", Punctuation),
            (r",", Punctuation),
            (r'"', String.Double, "string"),
            (r"-?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?", Number.Float),
            (r"-?\d+[eE][-+]?\d+", Number.Float),
            (r"-?\d+", Number.Integer),
            # a keyword argument: `return_sequences=true`
            (rf"{_NAME}(?=\s*=)", Name.Attribute),
            # a call: a layer the registry knows, or a name it does not (an error to check)
            (words(sorted(LAYER_NAMES), suffix=r"\b(?=\s*\()"), Name.Builtin),
            (rf"{_NAME}(?=\s*\()", Name.Function),
            (words(("true", "false", "none"), suffix=r"\b"), Keyword.Constant),
            (r"_\b", Keyword.Pseudo),  # "any size" in a shape assertion
            (words(sorted(FLAG_NAMES), suffix=r"\b"), Keyword.Pseudo),
            (_NAME, Name),  # a bare word where a string is meant: `relu`, `concat`
            (r".", Error),
        ],
        "string": [
            (r"\\.", String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            default("#pop"),  # unterminated at the end of the line: the checker says E010
        ],
    }
