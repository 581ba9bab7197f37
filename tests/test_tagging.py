"""The tagging example end to end (`--quick`): a many-to-many Bi-LSTM compiled from
pulses.arch tags every step, better than thresholding each step on its own."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl import check

TAGGING = EXAMPLES / "tagging"


def test_the_tagger_spec_is_many_to_many():
    result = check((TAGGING / "pulses.arch").read_text())
    assert result.ok, result.diagnostics
    assert [s.layer.keras_class for s in result.stages] == ["Bidirectional", "TimeDistributed"]
    assert result.stages[-1].shapes == ((None, 100, 1),)


@pytest.mark.keras
def test_quick_run_tags_better_than_a_threshold(tmp_path):
    out = tmp_path / "tags.png"
    proc = subprocess.run(
        [sys.executable, str(TAGGING / "tagging.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    scores = dict(re.findall(r"^  (\S.*?)\s{2,}([0-9.]+)$", proc.stdout, re.MULTILINE))
    model = float(scores["bi-lstm tagger"])
    background = float(scores["all background"])
    threshold = float(scores["threshold x > 0.5"])
    assert 0.5 < background < 0.95 and 0.5 < threshold < 0.95  # the task is not trivial
    assert model > max(background, threshold) + 0.03, proc.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
