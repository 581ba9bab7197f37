"""`bilstm-dsl compile`: outputs are written atomically, errors write nothing, and the
exit codes are the documented ones."""

from __future__ import annotations

import ast as python_ast
import json
import os
import stat
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
    bilstm_dsl.writes.write_text(target, "new")
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


# -- --name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/b", "--name a/b: Keras model names cannot contain `/`"),
        ("", "--name: the model's name is empty"),
        ("red\x1b[31m", "--name red\\x1b[31m: a model name must be printable UTF-8 text"),
        (os.fsdecode(b"caf\xe9"), "--name caf\\xe9: a model name must be printable UTF-8 text"),
    ],
)
def test_a_name_keras_cannot_take_is_refused(name, expected, tmp_path, capsys):
    target = tmp_path / "model.py"
    code, out, err = run(capsys, "compile", GOOD, "--emit", "python", "--name", name, "-o", target)
    assert code == 2 and out == "" and not target.exists()
    assert err.startswith(f"bilstm-dsl: error: {expected}") and len(err.splitlines()) == 1


def test_a_name_tensorflow_cannot_scope_is_refused_with_a_fix(capsys):
    # TensorFlow uses the model's name as a root name scope when it fits or predicts
    # (tests/backends/test_keras_round_trip.py shows `_private` failing there).
    code, out, err = run(capsys, "compile", GOOD, "--emit", "python", "--name", "modèle 1")
    assert code == 2 and out == "" and "--name mod_le_1" in err
    code, out, err = run(capsys, "compile", GOOD, "--emit", "python", "--name", "_private")
    assert code == 2 and "may not start with `_`" in err


def test_a_name_tensorflow_accepts_is_kept(capsys):
    code, out, _ = run(capsys, "compile", GOOD, "--emit", "python", "--name", "model-1.v2")
    assert code == 0 and out.startswith('"""model-1.v2: a Keras model')


# -- memory


def test_a_model_too_big_for_memory_is_refused_before_keras_is_imported(tmp_path):
    """`lstm(10**9)` used to import Keras, allocate for 45 s and die."""
    import subprocess
    import sys
    import time

    spec = tmp_path / "big.arch"
    spec.write_text("input(20, 1) -> lstm(1000000000)\n")
    driver = (
        "import sys\n"
        "from bilstm_dsl.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print('keras' in sys.modules, 'tensorflow' in sys.modules)\n"
        "sys.exit(code)\n"
    )
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", driver, "compile", spec, "-o", tmp_path / "big.keras"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert time.monotonic() - start < 30
    assert proc.returncode == 2 and proc.stdout == "False False\n"
    error = proc.stderr.splitlines()[-1]
    assert error.startswith(
        f"bilstm-dsl: error: {spec}: the model's weights need 14,210.85 PB "
        "(16,000,000,032,000,000,000 bytes) of memory, more than the "
    )
    assert error.endswith(" available here; make the layers smaller")
    assert leftovers(tmp_path) == [] and not (tmp_path / "big.keras").exists()


def test_memory_limit_shows_both_sizes(capsys, monkeypatch):
    """BILSTM_DSL_MEMORY sets the limit, for the machine that will train the model."""
    monkeypatch.setenv("BILSTM_DSL_MEMORY", "50000")
    code, _, err = run(capsys, "compile", GOOD, "--emit", "json")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"bilstm-dsl: error: {GOOD}: the model's weights need 81.64 KB (83,604 bytes) of "
        "memory, more than the 48.83 KB available here; make the layers smaller"
    )


def test_available_memory_is_a_real_positive_number():
    from bilstm_dsl.cli import available_memory

    have = available_memory()
    assert have is None or 0 < have < 1 << 60


# -- outputs that are streams


def test_dash_and_dev_stdout_write_to_standard_output(tmp_path, capfd):
    for target in ("-", "/dev/stdout"):
        code = main(["compile", str(GOOD), "--emit", "python", "-o", target])
        out, err = capfd.readouterr()
        assert code == 0 and out.startswith('"""bilstm_many_to_one: a Keras model')
        assert "wrote -" not in err
    assert not os.path.exists("-")


def test_dev_null_stays_a_device(capsys):
    code, _, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", "/dev/null")
    assert code == 0 and err == "wrote /dev/null\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_as_output_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "compile", GOOD, "--emit", "python", "-o", "/dev/full")
    assert code == 2 and out == ""
    assert err == "bilstm-dsl: error: /dev/full: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
