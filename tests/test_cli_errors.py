"""User-side problems never show a traceback: one clear line on stderr and exit code 2.
Only a genuine bug shows a traceback, with a line asking for a report."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

import bilstm_dsl.cli

GOOD = EXAMPLES / "bilstm_many_to_one.arch"


def cli(*argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bilstm_dsl", *map(str, argv)],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


def one_clean_line(proc: subprocess.CompletedProcess, expected: str) -> None:
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("bilstm-dsl: error: ") and expected in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_missing_file_ends_a_one_file_command():
    one_clean_line(cli("summary", "nope.arch"), "nope.arch: cannot read: No such file")


def test_directory_ends_a_one_file_command(tmp_path):
    one_clean_line(cli("summary", tmp_path), "is a directory")


def one_diagnostic(proc: subprocess.CompletedProcess, code: str, status: int) -> str:
    """The one diagnostic a single-file `check` reported (its first line), after checking
    the exit status and that nothing went to stderr."""
    assert proc.returncode == status, proc
    assert proc.stderr == "" and "Traceback" not in proc.stdout
    first = proc.stdout.splitlines()[0]
    assert f"error[{code}]" in first, proc.stdout
    assert proc.stdout.rstrip().endswith("found 1 error in 1 file")
    return first


def test_missing_file_is_a_diagnostic_of_check(tmp_path):
    first = one_diagnostic(cli("check", tmp_path / "nope.arch"), "E013", 2)
    assert first == (
        f"{tmp_path / 'nope.arch'}:1:1: error[E013]: cannot read the file: "
        "No such file or directory"
    )


def test_directory_is_a_diagnostic_of_check(tmp_path):
    first = one_diagnostic(cli("check", tmp_path), "E013", 2)
    assert first.endswith("cannot read the file: it is a directory, not an .arch file")


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"PK\x03\x04\x14\x00\x08\x08\xff\xfe binary", "E007"), (b"\x00\x01\x02", "E001")],
)
def test_binary_file_is_a_diagnostic(tmp_path, content, code):
    spec = tmp_path / "model.arch"  # (a file named .keras is read as a saved model)
    spec.write_bytes(content)
    first = one_diagnostic(cli("check", spec), code, 1)
    assert first.startswith(f"{spec}:1:")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_holds_no_model(tmp_path, content):
    spec = tmp_path / "empty.arch"
    spec.write_bytes(content)
    first = one_diagnostic(cli("check", spec), "E008", 1)
    assert first == f"{spec}:1:1: error[E008]: the file holds no model"
    proc = cli("summary", spec)
    assert proc.returncode == 1 and "error[E008]" in proc.stderr and proc.stdout == ""


def test_unreadable_file(tmp_path):
    spec = tmp_path / "locked.arch"
    spec.write_text("input(1) -> dense(1)")
    spec.chmod(0)
    if os.access(spec, os.R_OK):
        pytest.skip("running as a user who can read any file (root)")
    one_diagnostic(cli("check", spec), "E013", 2)
    one_clean_line(cli("summary", spec), "Permission denied")


def test_closed_standard_input():
    proc = cli("check", "-", stdin=None, preexec_fn=lambda: os.close(0))
    first = one_diagnostic(proc, "E013", 2)
    assert first == "<stdin>:1:1: error[E013]: cannot read the file: it is closed"
    proc = cli("summary", "-", stdin=None, preexec_fn=lambda: os.close(0))
    one_clean_line(proc, "standard input: cannot read: it is closed")


def test_empty_standard_input():
    one_diagnostic(cli("check", "-", input=""), "E008", 1)


def test_output_in_a_missing_directory(tmp_path):
    proc = cli("compile", GOOD, "--emit", "python", "-o", tmp_path / "missing" / "m.py")
    one_clean_line(proc, "does not exist")


def test_output_is_the_input(tmp_path):
    spec = tmp_path / "spec.arch"
    spec.write_bytes(GOOD.read_bytes())
    one_clean_line(cli("compile", spec, "--emit", "python", "-o", spec), "is the input file")
    assert spec.read_bytes() == GOOD.read_bytes()


def test_unknown_command_is_a_usage_error():
    proc = cli("frobnicate")
    assert proc.returncode == 2 and "usage:" in proc.stderr and "Traceback" not in proc.stderr


def test_a_genuine_bug_shows_a_traceback_and_asks_for_a_report(monkeypatch, capsys):
    def boom(path):
        raise RuntimeError("internal invariant broken")

    from bilstm_dsl import check_command

    monkeypatch.setattr(check_command, "check_file", boom)
    assert bilstm_dsl.cli.main(["check", str(GOOD)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: internal invariant broken" in err
    assert err.strip().splitlines()[-1].startswith("bilstm-dsl: internal error:")
    assert "please report it" in err


FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_METHODS = {"import_module", "loads"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}


def test_nothing_from_a_spec_is_ever_executed():
    """The package never evaluates text: no eval/exec/compile/__import__, no pickle-like
    modules, and no Keras Lambda layers (a spec's values are parsed, never run)."""
    for path in sorted((ROOT / "bilstm_dsl").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name):
                    assert func.id not in FORBIDDEN_BUILTINS, f"{path.name}:{node.lineno}"
                elif isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_METHODS:
                    # json.loads of our own shipped tables is the one loads allowed, and
                    # import_module only of a module named in the code, never from a spec,
                    # but in the Keras backend: a plugin's class (installing the package
                    # was the consent) or an opaque layer's, once `--allow-import` named
                    # its module (tests/test_plugins.py: refused without it)
                    owner = func.value.id if isinstance(func.value, ast.Name) else ""
                    fixed = [type(a) for a in node.args] == [ast.Constant]
                    backend = path.relative_to(ROOT).as_posix() == "bilstm_dsl/backends/keras.py"
                    allowed = owner == "json" or (
                        func.attr == "import_module" and (fixed or backend)
                    )
                    assert allowed, f"{path.name}:{node.lineno} calls {func.attr}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {n.split(".")[0] for n in names} & FORBIDDEN_MODULES, path
            if isinstance(node, ast.Attribute) and node.attr == "Lambda":
                raise AssertionError(f"{path.name}:{node.lineno} uses a Lambda layer")
    assert "Lambda" not in {spec.keras_class for spec in _layers()}


def _layers():
    from bilstm_dsl.layers import LAYERS

    return LAYERS.values()


def test_keras_classes_come_from_the_registry_not_the_spec():
    from bilstm_dsl import check
    from bilstm_dsl.backends.plan import plan
    from bilstm_dsl.files import model_name

    # A layer name that is a Keras class but not in the registry is refused by the checker,
    # so nothing the user writes can reach getattr(keras.layers, ...).
    result = check("input(20, 1) -> lambda(1)")
    assert [d.code for d in result.diagnostics] == ["E101"]
    ok = check("input(20, 1) -> lstm(4)")
    calls = [step.call.cls for step in plan(ok, model_name("x.arch")).steps]
    assert calls == ["LSTM"]
