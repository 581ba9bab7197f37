"""The grammar file: strict under Lark, and the shipped tables in step with it."""

from __future__ import annotations

import json
import random

import pytest
from lark import Lark, Transformer
from lark.exceptions import UnexpectedInput

from bilstm_dsl import parser
from bilstm_dsl.diagnostics import LineIndex
from bilstm_dsl.parser import TABLES, TABLES_FORMAT, _Builder, _grammar_sha, grammar_path

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
    assert (shipped["format"], shipped["grammar_sha256"]) == (TABLES_FORMAT, _grammar_sha(text)), (
        "grammar/arch.lark changed: run `python scripts/update_grammar_tables.py`"
    )


def test_checking_valid_text_does_not_import_lark():
    import subprocess
    import sys

    script = (
        "import sys; from bilstm_dsl import check; "
        "assert check('input(20, 1) -> lstm(8, seq) -> dense(1)').ok; "
        "print('lark' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class _FromTree(Transformer, _Builder):
    """The same AST builder, run over the tree Lark's own runtime makes."""

    def __init__(self, text: str) -> None:
        Transformer.__init__(self, visit_tokens=True)
        self.index = LineIndex(text)

    def __default_token__(self, token):
        return (token.type, str(token), token.start_pos, token.end_pos, self.index)


def _reference(text: str) -> object:
    """What Lark's own parser makes of ``text``: the AST, or where it fails."""
    lark = Lark(grammar_path().read_text(), **parser._OPTIONS)
    try:
        tree = lark.parse(text)
    except UnexpectedInput as error:
        return ("rejected", type(error).__name__, error.pos_in_stream)
    return _FromTree(text).transform(tree)


def _fast(text: str) -> object:
    try:
        return parser._machine().parse(text)
    except parser._Reject:
        return "rejected"


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_loop_parses_exactly_like_lark(text):
    reference = _reference(text)
    fast = _fast(text)
    if isinstance(reference, tuple) and reference[0] == "rejected":
        assert fast == "rejected"
    else:
        assert fast == reference


_ALPHABET = ["input", "lstm", "(", ")", "[", "]", ",", "->", ":", "=", "1", "-2", "0.5", "1e3",
             '"s"', "none", "seq", " ", "\n", "# c\n", "x", "_", "-", ">", ".", "'"]  # fmt: skip


def test_fast_loop_agrees_with_lark_on_token_soup():
    rng = random.Random(20261127)
    lark = Lark(grammar_path().read_text(), **parser._OPTIONS)
    disagreements = []
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.5:
            text = "input(1) -> " + text
        try:
            lark.parse(text)
            accepted = True
        except UnexpectedInput:
            accepted = False
        if accepted != (_fast(text) != "rejected"):
            disagreements.append(text)
    assert not disagreements, disagreements[:10]


def test_tables_are_used_when_current(monkeypatch):
    def no_build(*args, **kwargs):
        raise AssertionError("built the tables from the grammar instead of loading them")

    parser._tables.cache_clear()
    monkeypatch.setattr(parser, "build_tables", no_build)
    try:
        assert parser._tables()["grammar_sha256"]
    finally:
        parser._tables.cache_clear()


def test_tables_rebuilt_when_stale(monkeypatch, tmp_path):
    stale = tmp_path / "tables.json"
    stale.write_text(json.dumps({"format": TABLES_FORMAT, "grammar_sha256": "0" * 64}))
    parser._tables.cache_clear()
    parser._machine.cache_clear()
    monkeypatch.setattr(parser, "TABLES", stale)
    try:
        assert parser._machine().parse("input(1) -> dense(1)") is not None
    finally:
        parser._tables.cache_clear()
        parser._machine.cache_clear()


def test_long_chain_is_built_in_linear_time():
    import time

    def seconds(n: int) -> float:
        text = "input(8)" + " -> dense(8)" * n
        start = time.process_time()  # CPU time: other processes on the machine do not count
        chain = parser._machine().parse(text)
        assert len(chain.stages) == n + 1
        return time.process_time() - start

    seconds(1000)
    small, large = min(seconds(5000) for _ in range(3)), min(seconds(40000) for _ in range(3))
    assert large / small < 8 * 3, (small, large)  # 8x the input; quadratic would be 64x
