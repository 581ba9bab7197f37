"""The built wheel carries the grammar: `pip install .` (not only `-e`) must work."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and installed into its own directory."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    (wheel,) = dist.glob("bilstm_dsl-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return wheel, target


@pytest.mark.slow
def test_wheel_contains_the_grammar(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "bilstm_dsl/grammar/arch.lark" in names
    assert "bilstm_dsl/_grammar_tables.json" in names
    assert (ROOT / "grammar" / "arch.lark").read_bytes() == zipfile.ZipFile(wheel).read(
        "bilstm_dsl/grammar/arch.lark"
    )


@pytest.mark.slow
def test_installed_console_script_checks_from_another_directory(installed, tmp_path):
    _, target = installed
    spec = tmp_path / "spec.arch"
    spec.write_text((EXAMPLES / "broken" / "missing_seq.arch").read_text())
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import bilstm_dsl.lark_tables as t; print(t.grammar_path())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(target)), where.stdout
    script = target / "bin" / "bilstm-dsl"
    proc = subprocess.run(
        [sys.executable, str(script), "check", "spec.arch"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("spec.arch:3:6: error[E201]")
