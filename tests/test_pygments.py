"""The Pygments lexer for `.arch`: every example highlights cleanly, tokens get the right
types, and Pygments finds the lexer through the package's entry point."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from conftest import EXAMPLES

pygments = pytest.importorskip("pygments")

from pygments.token import (  # noqa: E402
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
)

from bilstm_dsl.layers import ALIASES, LAYERS  # noqa: E402
from bilstm_dsl.pygments_lexer import FLAG_NAMES, LAYER_NAMES, ArchLexer  # noqa: E402

ARCH_FILES = sorted(EXAMPLES.rglob("*.arch"))
ENTRY_POINT = "bilstm_dsl.pygments_lexer:ArchLexer"


def tokens(text: str) -> list[tuple[object, str]]:
    """(type, text) of every non-blank token."""
    return [(t, v) for t, v in ArchLexer().get_tokens(text) if v.strip()]


def kind(text: str, word: str) -> object:
    """The token type of the first token spelled ``word``."""
    for t, v in tokens(text):
        if v == word:
            return t
    raise AssertionError(f"no token {word!r} in {tokens(text)}")


def test_there_are_examples_including_broken_ones():
    assert len(ARCH_FILES) > 15
    assert any(p.parent.name == "broken" for p in ARCH_FILES)


@pytest.mark.parametrize("path", ARCH_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_highlights_without_error_tokens(path):
    text = path.read_text(encoding="utf-8")
    stream = list(ArchLexer().get_tokens(text))
    errors = [v for t, v in stream if t in Error]
    assert not errors, f"{path}: {errors}"
    assert "".join(v for _, v in stream).rstrip("\n") == text.rstrip("\n")  # nothing lost


def test_token_types():
    spec = (
        "# c\n"
        "input(20, 1, batch_size=32)\n"
        "  -> lstm(32, return_sequences=true, dropout=0.2, seq) : (20, 32)\n"
        '  -> bilstm(16, concat, activation="tanh", stateful)\n'
        "  -> td(dense(1)) : (_, 1)\n"
        "  -> lstn(8, go_backwards=false, recurrent_dropout=1e-3) : [(none, 8)]\n"
    )
    assert tokens("# c\n")[0] == (Comment.Single, "# c")
    assert kind(spec, "input") in Name.Builtin
    assert kind(spec, "lstm") in Name.Builtin
    assert kind(spec, "bilstm") in Name.Builtin
    assert kind(spec, "td") in Name.Builtin
    assert kind(spec, "dense") in Name.Builtin
    assert kind(spec, "lstn") in Name.Function  # not a layer: the checker reports E101
    assert kind(spec, "return_sequences") in Name.Attribute
    assert kind(spec, "batch_size") in Name.Attribute
    assert kind(spec, "->") in Operator
    assert kind(spec, ":") in Operator
    assert kind(spec, "=") in Operator
    assert kind(spec, "(") in Punctuation and kind(spec, "[") in Punctuation
    assert kind(spec, ",") in Punctuation
    assert kind(spec, "true") in Keyword.Constant
    assert kind(spec, "false") in Keyword.Constant
    assert kind(spec, "none") in Keyword.Constant
    assert kind(spec, "_") in Keyword.Pseudo
    assert kind(spec, "seq") in Keyword.Pseudo
    assert kind(spec, "stateful") in Keyword.Pseudo
    assert kind(spec, "concat") in Name
    assert kind(spec, "tanh") in String
    assert kind(spec, "20") in Number.Integer
    assert kind(spec, "0.2") in Number.Float and kind(spec, "1e-3") in Number.Float


def test_names_are_case_insensitive_and_may_be_spaced_from_their_brackets():
    assert kind("input(20, 1) -> LSTM (32)", "LSTM") in Name.Builtin
    assert kind("input(20, 1) -> lstm(units\n  = 32)", "units") in Name.Attribute
    assert kind("input(20, 1) -> lstm(32, Return_Sequences=True)", "True") in Keyword.Constant


def test_strings_escapes_and_unterminated_strings():
    assert kind(r'input(20, name="a\"b")', '\\"') in String.Escape
    # an unterminated string (E010) ends at the end of its line, without an error token
    stream = tokens('input(20, 1) -> dense(1, activation="relu)\n  -> dense(1)')
    assert not [v for t, v in stream if t in Error]
    assert (Name.Builtin, "dense") == stream[-4]


def test_unknown_characters_are_errors():
    assert (Error, "$") in tokens("input(20, 1) -> lstm(32) $")


def test_every_registry_name_and_alias_is_a_builtin():
    assert set(LAYERS) | set(ALIASES) | {"input"} <= LAYER_NAMES
    for name in sorted(LAYER_NAMES):
        assert kind(f"input(1) -> {name}(1)", name) in Name.Builtin, name
    assert {"seq", "state", "backwards", "return_sequences", "mask_zero"} <= FLAG_NAMES


def test_the_checker_does_not_import_pygments():
    script = (
        "import sys\n"
        "from bilstm_dsl.cli import main\n"
        f"main(['check', {str(EXAMPLES / 'stacked_lstm_bilstm.arch')!r}])\n"
        "print('PYGMENTS:', 'pygments' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "PYGMENTS: False"


def entry_point_installed() -> bool:
    return any(
        ep.name == "arch" and ep.value == ENTRY_POINT
        for ep in entry_points(group="pygments.lexers")
    )


@pytest.mark.skipif(
    not entry_point_installed(),
    reason="the `pygments.lexers` entry point `arch` is not installed yet: add it to "
    "pyproject.toml and reinstall (pip install -e .)",
)
def test_pygments_finds_the_lexer_by_name_and_by_filename():
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("arch"), ArchLexer)
    assert isinstance(get_lexer_by_name("bilstm-dsl"), ArchLexer)
    assert isinstance(get_lexer_for_filename("model.arch"), ArchLexer)


def test_every_kind_of_token_the_language_has_a_colour():
    from bilstm_dsl import lexer
    from bilstm_dsl.pygments_lexer import TOKEN_TYPES

    coloured_apart = {"NAME", "STRING", lexer.UNCLOSED_STRING}  # by context, and in parts
    assert set(lexer.kinds()) - coloured_apart == set(TOKEN_TYPES)


def test_the_highlighters_tokens_are_the_languages():
    # Numbers as the grammar reads them, `#` inside a string, and a comment that ends at
    # a lone carriage return (get_tokens_unprocessed: Pygments' own get_tokens turns every
    # line end into \n before lexing).
    text = 'input(20, name="a#b") -> dense(-1, 1e3, .5)  # c\r-> lstm(2)'
    stream = [(t, v) for _, t, v in ArchLexer().get_tokens_unprocessed(text) if v.strip()]
    assert (String.Double, "a#b") in stream
    assert (Number.Integer, "-1") in stream
    assert (Number.Float, "1e3") in stream and (Number.Float, ".5") in stream
    assert (Comment.Single, "# c") in stream
    assert stream[-4:] == [(Name.Builtin, "lstm"), (Punctuation, "("), (Number.Integer, "2"),
                           (Punctuation, ")")]  # fmt: skip
    assert "".join(v for _, _, v in ArchLexer().get_tokens_unprocessed(text)) == text
