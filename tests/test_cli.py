"""The command line: exit codes, output formats, I/O problems."""

from __future__ import annotations

import io
import json
import os
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


def test_missing_file_is_reported_and_exits_2(tmp_path, capsys):
    code, out, err = run(capsys, "check", str(tmp_path / "nope.arch"))
    assert code == 2 and err == ""
    assert out.splitlines()[0] == (
        f"{tmp_path / 'nope.arch'}:1:1: error[E013]: cannot read the file: "
        "No such file or directory"
    )


def test_directory_is_reported_and_exits_2(tmp_path, capsys):
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 2 and "error[E013]: cannot read the file: it is a directory" in out


def test_unreadable_file_exits_2(tmp_path, capsys):
    spec = tmp_path / "secret.arch"
    spec.write_text("input(1) -> dense(1)")
    spec.chmod(0)
    try:
        with open(spec, "rb"):
            pytest.skip("running as a user who can read anything")
    except PermissionError:
        pass
    code, out, _ = run(capsys, "check", str(spec))
    assert code == 2 and "error[E013]: cannot read the file: Permission denied" in out


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


def test_term_dumb_turns_colour_off(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["check", str(BROKEN)]) == 1
    assert "error[E201]" in terminal.getvalue() and "\x1b[" not in terminal.getvalue()


# -- ordinary faults of a command line: never a traceback, never a wrong exit code


def cli(*argv, **kwargs) -> subprocess.CompletedProcess:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run(
        [sys.executable, "-m", "bilstm_dsl", *map(str, argv)],
        check=False,
        **{**streams, **kwargs},
    )


MANY_ERRORS = "input(20, 1)" + " -> lstn(1)" * 2_000 + "\n"  # ~400 KB of text output


def test_a_reader_that_leaves_early_keeps_the_exit_code(tmp_path):
    """`bilstm-dsl check bad.arch | head -1`: the pipe closes while output is still being
    written; the status is still 1 (errors found), and nothing is said about the pipe."""
    spec = tmp_path / "bad.arch"
    spec.write_text(MANY_ERRORS)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bilstm_dsl", "check", str(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # like head -1: more than a pipe buffer is still unwritten
    assert proc.wait(timeout=60) == 1
    assert first.startswith(f"{spec}:1:17: error[E101]".encode())
    assert proc.stderr.read() == b""


@pytest.mark.parametrize("form", ["text", "json", "sarif", "github"])
def test_a_full_disk_on_standard_output_is_a_one_line_error(form):
    with open("/dev/full", "wb") as full:
        proc = cli("check", "--format", form, BROKEN, stdout=full)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "bilstm-dsl: error: cannot write to standard output: No space left on device\n"
    )


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_on_a_full_disk_is_an_error_too(option):
    """argparse drops write errors; the help that was asked for and lost is not exit 0."""
    with open("/dev/full", "wb") as full:
        proc = cli(option, stdout=full)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "bilstm-dsl: error: cannot write to standard output: No space left on device\n"
    )


def test_closed_standard_output_is_a_one_line_error():
    proc = cli("check", BROKEN, stdout=None, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "bilstm-dsl: error: cannot write to standard output: it is closed\n"
    )


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_a_narrow_terminal_encoding_gets_escapes_not_a_crash(encoding, tmp_path):
    spec = tmp_path / "naïve_模型.arch"
    spec.write_text("input(20, 1) -> lstm(8)  # café ≠ 模型\n  -> dense(1) : (2,)\n")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    proc = cli("check", spec, env=env)
    assert proc.returncode == 1 and proc.stderr == b""
    text = proc.stdout.decode(encoding)
    assert "error[E205]" in text and "\\u6a21\\u578b" in text
    proc = cli("summary", GOOD, env=env)
    assert proc.returncode == 0 and proc.stderr == b""
    assert "Total params: 50,901" in proc.stdout.decode(encoding)


def test_escape_sequences_from_a_spec_never_reach_the_terminal(tmp_path, capsys):
    spec = tmp_path / "evil\x1b]0;title\x07.arch"
    spec.write_text('input(20, 1) -> dense(1, name="\x1b[2J\u202e") -> lstm(8)\n')
    code, out, _ = run(capsys, "check", str(spec))
    assert code == 1
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert out.startswith(f"{tmp_path}/evil\\x1b]0;title\\x07.arch:1:31: error[E104]: ")
    lines = out.splitlines()
    assert lines[2] == '1 | input(20, 1) -> dense(1, name="\\x1b[2J\\u202e") -> lstm(8)'
    assert lines[3] == "  |" + " " * 31 + "^" * 15  # under the string, as it is shown


def test_tabs_in_a_source_line_keep_the_carets_in_place(tmp_path, capsys):
    spec = tmp_path / "tabs.arch"
    spec.write_text("input(20, 1)\t->\tlstn(8)\n")
    code, out, _ = run(capsys, "check", str(spec))
    lines = out.splitlines()
    assert code == 1 and lines[2] == "1 | input(20, 1)\t->\tlstn(8)"
    assert lines[3] == "  |             \t  \t^^^^"


NINES = "9" * 99


@pytest.mark.parametrize("form", ["text", "json"])
def test_summary_of_sizes_past_int64(form, tmp_path, capsys):
    """Hundred-digit sizes are refused by the checker (E104 for the input, E214 past it),
    so no number too long to print ever reaches a table."""
    spec = tmp_path / "huge.arch"
    spec.write_text(f"input(20, {NINES}) -> flatten() -> dense({NINES})\n")
    code, out, err = run(capsys, "summary", "--format", form, str(spec))
    assert code == 1 and "error[E104]" in out + err
    spec.write_text(f"input(20, 3) -> flatten() -> dense({NINES})\n")
    code, out, err = run(capsys, "summary", "--format", form, str(spec))
    assert code == 1 and "error[E214]" in out + err


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0.00 B"),
        (1023, "1023.00 B"),
        (203_604, "198.83 KB"),
        (4 * 10**9, "3.73 GB"),
        (1024**5, "1.00 PB"),
        (16_000_000_032_000_000_000, "14,210.85 PB"),
        (10**400, "8.88e+384 PB"),
    ],
)
def test_readable_size(size, shown):
    from bilstm_dsl.memory import readable_size

    assert readable_size(size) == shown


# -- fmt over a batch


def test_fmt_visits_every_file_and_exits_with_the_worst(tmp_path, capsys):
    messy = tmp_path / "messy.arch"
    messy.write_text("input(20,1)->lstm(8)\n")
    bad = tmp_path / "bad.arch"
    bad.write_text("input(20, 1) -> -> lstm(8)\n")
    missing = tmp_path / "missing.arch"
    code, _, err = run(capsys, "fmt", str(missing), str(bad), str(messy))
    assert code == 2
    assert messy.read_text() == "input(20, 1) -> lstm(8)\n"
    assert f"{missing}:1:1: error[E013]: cannot read the file" in err
    assert f"{bad}:1:17: error[E002]" in err and f"reformatted {messy}" in err


def test_fmt_refuses_a_file_over_the_limit_and_leaves_it_alone(tmp_path, capsys):
    """It used to format the first 2 MiB, write them back and say "reformatted"."""
    spec = tmp_path / "big.arch"
    data = b"input(20,1)->lstm(8)\n" + b"# " + b"x" * (3 * 1024 * 1024) + b"\n"
    spec.write_bytes(data)
    before = spec.stat()
    code, out, err = run(capsys, "fmt", str(spec))
    assert code == 1 and out == ""
    assert err.startswith(f"{spec}:1:1: error[E011]: the spec is ")
    assert "reformatted" not in err
    assert spec.read_bytes() == data and spec.stat().st_mtime_ns == before.st_mtime_ns


# -- the shape of the package


def _imports(module: str) -> set[str]:
    """The bilstm_dsl modules ``module`` imports at its top level."""
    import ast

    from conftest import ROOT

    tree = ast.parse((ROOT / "bilstm_dsl" / (module.replace(".", "/") + ".py")).read_text())
    package = module.rsplit(".", 1)[0] if "." in module else ""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package if node.level == 1 else package.rsplit(".", 1)[0]
            if node.module:
                found.add(f"{base}.{node.module}".strip("."))
            else:
                found |= {f"{base}.{alias.name}".strip(".") for alias in node.names}
    return found


def test_nothing_imports_the_cli_and_the_modules_have_no_import_cycle():
    import ast

    from conftest import ROOT

    modules = {
        str(p.relative_to(ROOT / "bilstm_dsl").with_suffix("")).replace("/", ".")
        for p in (ROOT / "bilstm_dsl").rglob("*.py")
    }
    for path in (ROOT / "bilstm_dsl").rglob("*.py"):
        if path.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = {node.module or ""} | {a.name for a in node.names}
                assert "cli" not in {n.rsplit(".", 1)[-1] for n in names}, path.name
    graph = {m: {i for i in _imports(m) if i in modules} for m in modules}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join((*trail, module))
        if module not in done:
            for dependency in graph[module]:
                visit(dependency, (*trail, module))
            done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_a_parser_holds_the_arguments_of_the_command_run_and_lists_the_others():
    from bilstm_dsl.cli import COMMANDS, build_parser

    def commands(parser):
        return parser._subparsers._group_actions[0].choices

    listed = commands(build_parser())
    assert list(listed) == list(COMMANDS)
    help_lines = {
        c.dest: c.help for c in build_parser()._subparsers._group_actions[0]._choices_actions
    }
    assert help_lines == {name: line for name, (line, _) in COMMANDS.items()}
    for name in COMMANDS:
        assert not hasattr(listed[name], "_actions")  # listed only: no parser made
        built = commands(build_parser(name))[name]
        assert len(built._actions) > 1 and built.get_default("run") is not None, name


def test_the_help_lists_every_command_with_its_line_at_any_width(monkeypatch, capsys):
    from bilstm_dsl.cli import COMMANDS, USAGE, build_parser, main

    assert build_parser().format_usage() == USAGE + "\n"  # the usage argparse writes
    for columns in (30, 52, 80, 133, 400):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert main(["--help"]) == 0
        text = capsys.readouterr().out
        assert main(["-h", "check"]) == 0  # argparse's own --help action says the same
        assert capsys.readouterr().out == text
        lines = text.splitlines()
        assert lines[0] == USAGE and lines[-1].endswith("arguments.")
        too_long = [line for line in lines[1:] if len(line) > columns - 2 and " " in line.strip()]
        assert not too_long, too_long
        flat = " ".join(text.split())
        for name, (line, _) in COMMANDS.items():
            assert f" {name} {line} " in flat
    wide = text.splitlines()
    for name, (line, _) in COMMANDS.items():
        assert any(row.split() == [name, *line.split()] for row in wide), name
