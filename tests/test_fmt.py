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


@pytest.mark.parametrize(
    "source",
    [
        "input(20, 1) -> dense(1)# note\n",
        "input(20, 1)\n  -> dense(1)# note\n",
        "input(20, 1)# in\n  -> lstm(8)# glued\n  -> dense(1)# note",
    ],
)
def test_a_comment_written_against_the_chain_is_kept(source):
    text = format_source(source).text
    comments = [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]
    assert [line.split("  #", 1)[1] for line in text.splitlines() if "#" in line] == comments
    assert format_source(text).text == text


def test_comment_glued_to_the_end_of_the_chain():
    assert format_source("input(20,1)->dense(1)# note").text == (
        "input(20, 1) -> dense(1)  # note\n"
    )


def test_formatting_time_is_linear_in_the_number_of_comments():
    import time

    def seconds(n: int) -> float:
        source = "input(20, 1)  # in\n  -> dense(1)\n" + "# a comment\n\n" * n
        start = time.process_time()  # CPU time: other processes on the machine do not count
        assert format_source(source).text.count("#") == n + 1
        return time.process_time() - start

    seconds(1000)
    small, large = min(seconds(10_000) for _ in range(3)), min(seconds(80_000) for _ in range(3))
    assert large / small < 8 * 3, (small, large)  # 8x the comments; quadratic would be 64x


def test_two_mebibytes_of_comments_format_in_under_two_seconds():
    import time

    line = "# a comment line, as a person writes them, explaining the model\n"
    source = "input(20, 1)\n  -> lstm(32)\n" + line * ((2 * 1024 * 1024 - 40) // len(line))
    start = time.process_time()
    text = format_source(source).text
    assert time.process_time() - start < 2.0
    assert text == source  # already in the canonical layout


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_files_line_ends_are_kept(newline):
    source = newline.join(
        ["# model", "input(20,1)  # in", "->lstm(32, seq)", "", "", "-> dense(1)"]
    )
    text = format_source(source).text
    assert text == newline.join(
        ["# model", "input(20, 1)  # in", "  -> lstm(32, seq)", "  -> dense(1)", ""]
    )
    assert meaning(text) == meaning(source)


def test_mixed_line_ends_become_the_first_ones():
    source = "input(20, 1)\r\n  -> lstm(32,  # units\r    seq)\n  -> dense(1)\n"
    assert format_source(source).text == (
        "input(20, 1)\r\n  -> lstm(32,  # units\r\n    seq)\r\n  -> dense(1)\r\n"
    )


def test_a_byte_order_mark_is_accepted_and_kept(tmp_path):
    source = "\ufeffinput(20,1)->dense(1)\n"
    assert format_source(source).text == "\ufeffinput(20, 1) -> dense(1)\n"
    (diag,) = format_source("\ufeffinput(20, 1 -> dense(1)\n").diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("E003", 1, 6)  # as `check` says
    spec = tmp_path / "bom.arch"
    spec.write_bytes(b"\xef\xbb\xbfinput(20, 1) -> dense(1)\n")
    assert main(["fmt", "--check", str(spec)]) == 0


def test_code_that_is_not_a_chain_is_left_as_written(monkeypatch):
    # A syntax the layout does not know (say, named tensors) must never lose its code.
    from bilstm_dsl import fmt
    from bilstm_dsl.parser import ParseResult

    monkeypatch.setattr(fmt, "parse", lambda text: ParseResult(None, ()))
    source = "# a graph\nx = input(20, 3)\ny = x -> lstm(8)\n"
    assert fmt.format_source(source).text == source
    assert fmt.format_source("# only\n\n\n# comments").text == "# only\n\n# comments\n"


GRAPH = (
    "# seq2seq\nenc_in=input(none,71)   # encoder\n_,h,c=enc_in->lstm(256,state)\n\n\n"
    "dec= input(none,93)\n  ->lstm(256,seq,initial_state=[h,c]) # decoder\n"
    "   -> dense(93 , softmax):(none,93)\n[dec,dec]:[(none,93),(none,93)]->add()\n"
)


def test_a_graph_is_laid_out_statement_by_statement():
    from bilstm_dsl.fmt import format_source

    assert format_source(GRAPH).text == (
        "# seq2seq\n"
        "enc_in = input(none, 71)  # encoder\n"
        "_, h, c = enc_in -> lstm(256, state)\n"
        "\n"
        "dec = input(none, 93)\n"
        "  -> lstm(256, seq, initial_state=[h, c])  # decoder\n"
        "  -> dense(93, softmax) : (none, 93)\n"
        "[dec, dec] : [(none, 93), (none, 93)] -> add()\n"
    )


def test_formatting_a_graph_keeps_its_meaning_and_is_idempotent():
    from bilstm_dsl import check
    from bilstm_dsl.fmt import format_source

    for path in sorted(EXAMPLES.rglob("*.arch")) + [None]:
        source = GRAPH if path is None else path.read_text(encoding="utf-8")
        formatted = format_source(source).text
        if formatted is None:  # a broken example with a syntax error: left alone
            assert check(source).diagnostics[0].code.startswith("E0")
            continue
        assert format_source(formatted).text == formatted
        before, after = check(source), check(formatted)
        assert [d.code for d in before.diagnostics] == [d.code for d in after.diagnostics]
        assert before.summary == after.summary
