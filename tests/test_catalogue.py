"""The catalogue of codes: each example triggers its code, the docs are generated from it,
and the checker emits no code the catalogue does not list."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from bilstm_dsl import CATALOGUE
from bilstm_dsl.docs import diagnostics_markdown, example_result


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_example_triggers_its_code(code):
    info = CATALOGUE[code]
    result = example_result(code)  # E013 reads a path; E216 is given an input shape
    found = [d for d in result.diagnostics if d.code == code]
    assert found, f"{code} example gave {[d.code for d in result.diagnostics]}"
    assert all(d.severity == info.severity for d in found)


def test_codes_are_well_formed_and_grouped():
    for code, info in CATALOGUE.items():
        assert re.fullmatch(r"[EWN]\d{3}", code)
        assert code[0] == {"error": "E", "warning": "W", "note": "N"}[info.severity.value]


def test_docs_are_generated_from_the_catalogue():
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert doc == diagnostics_markdown(), "run `python -m bilstm_dsl.docs > docs/diagnostics.md`"


def test_every_code_in_the_source_is_catalogued():
    emitted = set()
    for path in (ROOT / "bilstm_dsl").rglob("*.py"):
        emitted |= set(re.findall(r'"([EWN]\d{3})"', path.read_text(encoding="utf-8")))
    assert emitted <= set(CATALOGUE), emitted - set(CATALOGUE)


def test_readme_table_is_generated_from_the_catalogue():
    from bilstm_dsl.docs import with_readme_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == with_readme_table(readme), "run `python -m bilstm_dsl.docs --write`"
    for code in CATALOGUE:
        assert f"[{code}](docs/diagnostics.md#" in readme
