"""The sine example end to end (`--quick`): four models compiled from .arch files, trained,
a real PNG written and a finite error printed for every merge mode."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl import check

SINE = EXAMPLES / "sine"
MODES = ("concat", "sum", "mul", "ave")


def test_the_merge_mode_specs_check_and_differ_only_in_the_merge():
    for mode in MODES:
        result = check((SINE / "merge_modes" / f"{mode}.arch").read_text())
        assert result.ok, result.diagnostics
        (bi, dense) = result.stages
        assert bi.layer.get("merge_mode") == mode
        assert bi.shapes == ((None, 64 if mode == "concat" else 32),)
        assert dense.shapes == ((None, 1),)


@pytest.mark.keras
def test_quick_run_trains_every_mode_and_writes_a_png(tmp_path):
    out = tmp_path / "sine.png"
    proc = subprocess.run(
        [sys.executable, str(SINE / "sine.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = {
        line.split()[0]: line.split()[1:]
        for line in proc.stdout.splitlines()
        if line.split() and line.split()[0] in MODES and len(line.split()) == 6
    }
    assert sorted(rows) == sorted(MODES), proc.stdout
    for mode, (params, train_mse, test_mse, rmse, seconds) in rows.items():
        assert int(params.replace(",", "")) == (8_769 if mode == "concat" else 8_737)
        errors = [float(train_mse), float(test_mse), float(rmse)]
        assert all(math.isfinite(e) and e > 0 for e in errors), (mode, errors)
        assert float(seconds) > 0
