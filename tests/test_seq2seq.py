"""The seq2seq example end to end (`--quick`): the graph in train.arch, compiled, trains to
reverse strings of digits, and greedy decoding with its trained layers beats guessing."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl import check

SEQ2SEQ = EXAMPLES / "seq2seq"


def test_the_training_model_is_an_encoder_decoder_graph():
    result = check((SEQ2SEQ / "train.arch").read_text())
    assert result.ok, result.diagnostics
    graph = result.graph
    assert graph is not None and len(graph.inputs) == 2 and len(graph.outputs) == 1
    decoder = next(s for s in result.stages if s.name == "lstm_1")
    encoder = next(s for s in result.stages if s.name == "lstm")
    assert graph.initial[decoder.index] == ((encoder.index, 1), (encoder.index, 2))


@pytest.mark.keras
def test_quick_run_learns_to_reverse():
    proc = subprocess.run(
        [sys.executable, str(SEQ2SEQ / "seq2seq.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    scores = dict(re.findall(r"^  (\S.*?)\s{2,}([0-9.]+)$", proc.stdout, re.MULTILINE))
    chance = float(scores["guessing a digit"])
    assert float(scores["per-character accuracy"]) > chance + 0.5, proc.stdout
