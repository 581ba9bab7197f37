"""`bilstm-dsl fmt`: one canonical layout that never changes what a spec means."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from bilstm_dsl import check
from bilstm_dsl.cli import main
from bilstm_dsl.fmt import format_source

try:
    from tests.parity.corpus import CASES
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus import CASES  # type: ignore[no-redef]

SOURCES = {str(p.relative_to(EXAMPLES)): p.read_text() for p in sorted(EXAMPLES.rglob("*.arch"))}
SOURCES.update({f"corpus/{c.id}": c.arch for c in CASES})


def meaning(source: str) -> tuple:
    """What the checker makes of a spec, without positions: codes, stages, summary."""
    result = check(source)
    return (
        [(d.code, d.severity.value, d.stage, d.message) for d in result.diagnostics],
        result.summary,
    )


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_formatting_keeps_the_meaning_and_is_idempotent(name):
    source = SOURCES[name]
    first = format_source(source)
    if first.text is None:  # a syntax error: nothing to format, and we say why
        assert first.diagnostics and not check(source).ok
        return
    assert meaning(first.text) == meaning(source)
    assert format_source(first.text).text == first.text


def test_comments_survive_formatting():
    source = (
        "# header\n\ninput(20,1)   # in\n# about the lstm\n->   lstm( 32 , seq )  # trailing\n"
        "  -> dense(1):(1,)   # end\n\n# footer\n"
    )
    text = format_source(source).text
    assert text == (
        "# header\n\ninput(20, 1)  # in\n  # about the lstm\n  -> lstm(32, seq)  # trailing\n"
        "  -> dense(1) : (1,)  # end\n\n# footer\n"
    )


def test_one_line_chain_stays_on_one_line_and_long_one_is_split():
    assert format_source("input(20,1)->lstm(32,seq)->dense(1)").text == (
        "input(20, 1) -> lstm(32, seq) -> dense(1)\n"
    )
    long = "input(20, 1) -> " + " -> ".join(["dense(123456)"] * 10)
    assert format_source(long).text.count("\n  -> ") == 10


def test_short_forms_and_spellings_are_kept():
    source = "INPUT(20, 1)->BiLSTM(32, concat, seq)->td(Dense(1, activation=relu))"
    assert format_source(source).text == (
        "INPUT(20, 1) -> BiLSTM(32, concat, seq) -> td(Dense(1, activation=relu))\n"
    )


def test_a_comment_inside_a_call_keeps_the_stage_verbatim():
    source = "input(20, 1)\n  -> lstm(32,  # units\n      seq)\n  -> dense(1)\n"
    assert format_source(source).text == source


def test_check_mode_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.arch"
    good.write_text("input(20, 1) -> lstm(32, seq) -> dense(1)\n")
    messy = tmp_path / "messy.arch"
    messy.write_text("input(20,1)->lstm(32,seq)->dense(1)\n")
    assert main(["fmt", "--check", str(good)]) == 0
    assert main(["fmt", "--check", str(good), str(messy)]) == 1
    assert f"would reformat {messy}" in capsys.readouterr().out
    assert messy.read_text() == "input(20,1)->lstm(32,seq)->dense(1)\n"


def test_diff_mode_writes_nothing(tmp_path, capsys):
    messy = tmp_path / "messy.arch"
    messy.write_text("input(20,1)->dense(1)\n")
    assert main(["fmt", "--diff", str(messy)]) == 1
    out = capsys.readouterr().out
    assert "-input(20,1)->dense(1)" in out and "+input(20, 1) -> dense(1)" in out
    assert messy.read_text() == "input(20,1)->dense(1)\n"


def test_fmt_rewrites_in_place_and_a_second_run_changes_nothing(tmp_path, capsys):
    messy = tmp_path / "messy.arch"
    messy.write_text("input(20,1)->dense(1)\n")
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text() == "input(20, 1) -> dense(1)\n"
    assert main(["fmt", "--check", str(messy)]) == 0


def test_syntax_error_is_reported_and_the_file_untouched(tmp_path, capsys):
    broken = tmp_path / "broken.arch"
    broken.write_text("input(20, 1 -> dense(1)\n")
    assert main(["fmt", str(broken)]) == 1
    assert "error[E003]" in capsys.readouterr().err
    assert broken.read_text() == "input(20, 1 -> dense(1)\n"
