"""`check` and `summary` must not import TensorFlow or Keras: that is the point."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES

SCRIPT = """
import sys
from bilstm_dsl.cli import main
for argv in (
    ["check", {good!r}, {bad!r}],
    ["summary", {good!r}],
    ["summary", "--format", "json", {good!r}],
):
    main(argv)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "numpy"))
print("HEAVY:", heavy)
"""


def test_check_and_summary_import_only_lark_and_the_standard_library():
    script = SCRIPT.format(
        good=str(EXAMPLES / "stacked_lstm_bilstm.arch"),
        bad=str(EXAMPLES / "broken" / "missing_seq.arch"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY: []"
