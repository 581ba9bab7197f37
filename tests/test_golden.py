"""Golden files: the rendered `check` output for every broken example, byte for byte.

Rewording a message touches only the goldens: regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl.cli import main

GOLDEN = Path(__file__).parent / "golden"
BROKEN = sorted((EXAMPLES / "broken").glob("*.arch"))


@pytest.mark.parametrize("spec", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_example_output(spec, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["check", str(spec.relative_to(ROOT))])
    out = capsys.readouterr().out
    assert code == 1
    golden = GOLDEN / f"{spec.stem}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_every_golden_has_an_example():
    assert {g.stem for g in GOLDEN.glob("*.txt")} == {p.stem for p in BROKEN}
