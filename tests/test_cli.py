"""The command line: exit codes, output formats, I/O problems."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from conftest import EXAMPLES

from bilstm_dsl.cli import main

GOOD = EXAMPLES / "stacked_lstm_bilstm.arch"
BROKEN = EXAMPLES / "broken" / "missing_seq.arch"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_file_exits_0(capsys):
    code, out, _ = run(capsys, "check", str(GOOD))
    assert code == 0 and "no problems" in out


def test_check_broken_file_exits_1_with_compiler_style_text(capsys):
    code, out, _ = run(capsys, "check", str(BROKEN))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{BROKEN}:3:6: error[E201]: ")
    assert "^^^^^^^^" in out and "help: return every step: `lstm(32, seq)`" in out


def test_check_several_files_exits_1_if_any_has_errors(capsys):
    code, out, _ = run(capsys, "check", str(GOOD), str(BROKEN))
    assert code == 1 and "in 2 files" in out


def test_warnings_alone_exit_0(tmp_path, capsys):
    spec = tmp_path / "w.arch"
    spec.write_text("input(20, 1) -> lstm(8, activation=relu) -> dense(1)\n")
    code, out, _ = run(capsys, "check", str(spec))
    assert code == 0 and "warning[W301]" in out


def test_check_json_format(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", str(BROKEN), str(GOOD))
    assert code == 1
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert set(row) == {
        "path", "line", "column", "end_line", "end_column", "code", "severity", "message", "help",
    }  # fmt: skip
    assert (row["path"], row["line"], row["column"], row["end_line"], row["end_column"]) == (
        str(BROKEN), 3, 6, 3, 14,
    )  # fmt: skip
    assert (row["code"], row["severity"]) == ("E201", "error")
    assert row["help"] == "return every step: `lstm(32, seq)`"


def test_check_json_clean_is_empty_array(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", str(GOOD))
    assert code == 0 and json.loads(out) == []


def test_check_reads_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"input(20) -> lstm(8)\n")))
    code, out, _ = run(capsys, "check", "-")
    assert code == 1 and out.startswith("<stdin>:1:1: error[E203]")


def test_missing_file_exits_2(tmp_path, capsys):
    code, out, err = run(capsys, "check", str(tmp_path / "nope.arch"))
    assert code == 2 and out == ""
    assert (
        err.strip()
        == f"bilstm-dsl: error: {tmp_path / 'nope.arch'}: cannot read: No such file or directory"
    )


def test_directory_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and "is a directory" in err


def test_unreadable_file_exits_2(tmp_path, capsys):
    spec = tmp_path / "secret.arch"
    spec.write_text("input(1) -> dense(1)")
    spec.chmod(0)
    try:
        with open(spec, "rb"):
            pytest.skip("running as a user who can read anything")
    except PermissionError:
        pass
    code, _, err = run(capsys, "check", str(spec))
    assert code == 2 and "Permission denied" in err


def test_invalid_utf8_is_a_diagnostic(tmp_path, capsys):
    spec = tmp_path / "latin1.arch"
    spec.write_bytes("input(20, 1) -> dense(1)  # caf\xe9\n".encode("latin-1"))
    code, out, _ = run(capsys, "check", str(spec))
    assert code == 1 and ":1:32: error[E007]" in out


def test_usage_error_exits_2(capsys):
    code, _, err = run(capsys, "check")
    assert code == 2 and "usage:" in err
    code, _, err = run(capsys, "check", "--format", "xml", str(GOOD))
    assert code == 2


def test_summary_text_matches_keras_layout(capsys):
    code, out, _ = run(capsys, "summary", str(GOOD))
    assert code == 0
    assert out.startswith('Model: "stacked_lstm_bilstm"')
    assert "│ lstm (LSTM)" in out and "│ bidirectional (Bidirectional)" in out
    assert "Total params:" in out and "Non-trainable params: 0 (0.00 B)" in out


def test_summary_json(capsys):
    code, out, _ = run(capsys, "summary", "--format", "json", str(GOOD))
    assert code == 0
    summary = json.loads(out)
    assert set(summary) == {
        "layers", "output_shape", "total_params", "trainable_params", "non_trainable_params",
    }  # fmt: skip
    assert [set(layer) for layer in summary["layers"]] == [
        {"name", "type", "output_shape", "params"}
    ] * 3
    assert summary["output_shape"] == [None, 1]


def test_summary_of_broken_file_prints_diagnostics_to_stderr(capsys):
    code, out, err = run(capsys, "summary", "--format", "json", str(BROKEN))
    assert code == 1 and out == "" and "error[E201]" in err


def test_console_script_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "bilstm_dsl", "check", str(BROKEN)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "error[E201]" in proc.stdout and proc.stderr == ""


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("bilstm-dsl ")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_only(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check", str(BROKEN)]) == 1
    painted = terminal.getvalue()
    assert "\x1b[1;31merror[E201]\x1b[0m" in painted
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stdout", plain)
    main(["check", str(BROKEN)])
    assert "\x1b[" not in plain.getvalue()
    # Without the escape codes, the coloured text is the plain text.
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", painted) == plain.getvalue()


def test_no_color_turns_colour_off(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["check", str(BROKEN)])
    assert "\x1b[" not in terminal.getvalue()
