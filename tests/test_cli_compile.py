"""`bilstm-dsl compile`: outputs are written atomically, errors write nothing, and the
exit codes are the documented ones."""

from __future__ import annotations

import ast as python_ast
import json
import os
import zipfile

import pytest
from conftest import EXAMPLES

import bilstm_dsl.files
from bilstm_dsl.cli import main

GOOD = EXAMPLES / "bilstm_many_to_one.arch"
BROKEN = EXAMPLES / "broken" / "missing_seq.arch"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_emit_python_to_stdout_is_valid_python(capsys):
    code, out, _ = run(capsys, "compile", GOOD, "--emit", "python")
    assert code == 0
    tree = python_ast.parse(out)
    assert python_ast.get_docstring(tree).startswith("bilstm_many_to_one: a Keras model")
    assert "import keras" in out and 'name="bilstm_many_to_one"' in out
    assert "# line 4: bilstm(50, concat)" in out


def test_emit_python_to_a_file(tmp_path, capsys):
    target = tmp_path / "model.py"
    code, out, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", target)
    assert code == 0 and out == "" and f"wrote {target}" in err
    python_ast.parse(target.read_text())
    assert leftovers(tmp_path) == []


def test_spec_with_errors_writes_nothing_and_leaves_the_old_file(tmp_path, capsys):
    target = tmp_path / "model.py"
    target.write_text("precious\n")
    code, out, err = run(capsys, "compile", BROKEN, "--emit", "python", "-o", target)
    assert code == 1 and out == ""
    assert err.startswith(f"{BROKEN}:3:6: error[E201]")
    assert target.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_diagnostics_are_printed_exactly_as_check_prints_them(capsys):
    _, check_out, _ = run(capsys, "check", BROKEN)
    code, _, err = run(capsys, "compile", BROKEN, "--emit", "python")
    assert code == 1
    assert err == check_out.rsplit("found ", 1)[0]


def test_output_directory_that_does_not_exist(tmp_path, capsys):
    code, _, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", tmp_path / "no" / "m.py")
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_unwritable_output_directory(capsys):
    # /proc refuses new files even to root, so this holds wherever the tests run.
    code, _, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", "/proc/model.py")
    assert code == 2 and err.startswith("bilstm-dsl: error: /proc/model.py")


def test_output_that_is_the_input_is_refused(tmp_path, capsys):
    spec = tmp_path / "spec.arch"
    spec.write_text(GOOD.read_text())
    code, _, err = run(capsys, "compile", spec, "--emit", "python", "-o", spec)
    assert code == 2 and "is the input file" in err
    assert spec.read_text() == GOOD.read_text()


def test_output_that_is_a_directory_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", tmp_path)
    assert code == 2 and "is a directory" in err


def test_failure_between_write_and_rename_keeps_the_old_file(tmp_path, capsys, monkeypatch):
    target = tmp_path / "model.py"
    target.write_text("precious\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(bilstm_dsl.files.os, "replace", interrupted)
    code, _, _ = run(capsys, "compile", GOOD, "--emit", "python", "-o", target)
    assert code == 130
    assert target.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_keras_output_needs_a_keras_suffix(tmp_path, capsys):
    code, _, err = run(capsys, "compile", GOOD, "--emit", "keras", "-o", tmp_path / "m.h5")
    assert code == 2 and "must end in `.keras`" in err
    code, _, err = run(capsys, "compile", GOOD)
    assert code == 2 and "-o OUT.keras" in err


def test_atomic_write_keeps_the_permissions_of_the_replaced_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    bilstm_dsl.files.write_text(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640


@pytest.mark.keras
def test_compile_to_a_keras_file(tmp_path, capsys, keras):
    target = tmp_path / "model.keras"
    target.write_text("old")
    code, _, err = run(capsys, "compile", GOOD, "-o", target)
    assert code == 0 and f"wrote {target}" in err
    assert zipfile.is_zipfile(target)
    model = keras.saving.load_model(target, safe_mode=True)
    assert model.name == "bilstm_many_to_one"
    assert leftovers(tmp_path) == []


@pytest.mark.keras
def test_keras_save_failure_leaves_the_old_file(tmp_path, capsys, monkeypatch):
    import bilstm_dsl.backends.keras as backend

    target = tmp_path / "model.keras"
    target.write_text("old")

    def broken_save(model, path):
        open(path, "wb").write(b"half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backend, "save_model", broken_save)
    code, _, err = run(capsys, "compile", GOOD, "-o", target)
    assert code == 2 and "No space left on device" in err
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


@pytest.mark.keras
def test_emit_json_is_the_keras_config(capsys, keras):
    code, out, _ = run(capsys, "compile", GOOD, "--emit", "json", "--name", "m1")
    assert code == 0
    config = json.loads(out)
    assert config["class_name"] == "Functional" and config["config"]["name"] == "m1"
    model = keras.models.model_from_json(out)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer",
        "Bidirectional",
        "Dense",
    ]
