"""The grammar file: strict under Lark, and the shipped tables in step with it."""

from __future__ import annotations

import json

import pytest
from lark import Lark
from lark.exceptions import UnexpectedInput

from bilstm_dsl import parser
from bilstm_dsl.parser import TABLES, _Builder, _grammar_key, grammar_path

SAMPLES = [
    "input(20, 1) -> lstm(32, seq) -> bilstm(32, concat) -> td(dense(1)) : (20, 1)",
    'input(shape=(none, 3), dtype="int32") -> x(a=-1e-3, b=[(1, 2)], c=(1,), d="q\\"")',
    "input(20, 1)\n  -> lstm(32)  # c\n  -> dense(1)",
    "input(20, 1) -> -> dense(1)",
    "input(20, 1) lstm(3)",
    "input(20, 1) -> dense(1) : ",
    "x(=1)",
]


def test_grammar_is_lalr_and_strict():
    # strict=True makes Lark reject shift/reduce conflicts and colliding terminals.
    Lark(grammar_path().read_text(), parser="lalr", strict=True)


def test_shipped_tables_match_the_grammar():
    text = grammar_path().read_text(encoding="utf-8")
    shipped = json.loads(TABLES.read_text(encoding="utf-8"))
    assert shipped["grammar_sha256"] == _grammar_key(text)["grammar_sha256"], (
        "grammar/arch.lark changed: run `python scripts/update_grammar_tables.py`"
    )


def _outcome(lark: Lark, text: str) -> object:
    try:
        return lark.parse(text)
    except UnexpectedInput as error:
        return (type(error).__name__, error.pos_in_stream, sorted(getattr(error, "expected", ())))


@pytest.mark.parametrize("text", SAMPLES)
def test_tables_parse_exactly_like_the_grammar(text):
    parser._lark.cache_clear()
    loaded = parser._lark()
    built = Lark(grammar_path().read_text(), **parser._OPTIONS, transformer=_Builder())
    assert _outcome(loaded, text) == _outcome(built, text)


def test_tables_are_used_when_current(monkeypatch):
    import lark as lark_module

    shipped = json.loads(TABLES.read_text(encoding="utf-8"))
    if shipped["lark"] != lark_module.__version__:
        pytest.skip(f"tables made with lark {shipped['lark']}, running {lark_module.__version__}")

    def no_build(*args, **kwargs):
        raise AssertionError("built the parser from the grammar instead of loading the tables")

    parser._lark.cache_clear()
    monkeypatch.setattr(
        parser,
        "Lark",
        type("L", (), {"__init__": no_build, "_load_from_dict": Lark._load_from_dict}),
    )
    try:
        assert parser._lark().parse("input(1) -> dense(1)") is not None
    finally:
        parser._lark.cache_clear()
