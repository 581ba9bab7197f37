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


def test_docs_write_regenerates_both_files_through_the_atomic_writer(tmp_path, capsys):
    """`python -m bilstm_dsl.docs --write` writes as every output is written: a symlinked
    README is followed and keeps its mode; a place it cannot write to is exit 2 and a
    message, the files there left as they were."""
    from bilstm_dsl.docs import README_END, README_START, diagnostics_markdown, write

    (tmp_path / "docs").mkdir()
    real = tmp_path / "real_readme.md"
    real.write_text(f"# top\n{README_START}\nold\n{README_END}\ntail\n", encoding="utf-8")
    real.chmod(0o640)
    (tmp_path / "README.md").symlink_to(real.name)
    assert write(tmp_path) == 0
    assert (tmp_path / "README.md").is_symlink()
    text = real.read_text(encoding="utf-8")
    assert text.startswith("# top\n") and text.endswith("tail\n") and "\nold\n" not in text
    assert "[E201](docs/diagnostics.md#" in text
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)
    written = (tmp_path / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert written == diagnostics_markdown()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "docs").write_text("a file where the directory should be\n")
    (elsewhere / "README.md").write_text(text, encoding="utf-8")
    assert write(elsewhere) == 2
    error = capsys.readouterr().err
    assert error.startswith("bilstm_dsl.docs: ") and "Traceback" not in error
    assert (elsewhere / "docs").read_text() == "a file where the directory should be\n"
    assert (elsewhere / "README.md").read_text(encoding="utf-8") == text
