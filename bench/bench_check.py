"""How fast is `check`? Figures for issue 2's targets, measured side by side.

1. Whole process: `bilstm-dsl check` on a 5-stage file with the classic missing-`seq`
   mistake, against `python -c "import keras; <build the same model>"` finding the same
   error. Medians over repeated runs, and their ratio. `bilstm-dsl` runs from a fresh
   virtual environment made with `pip install .`, as a user has it (byte-compiled, without
   the test extras); Keras runs from the current interpreter.
2. In one process: distinct 5-stage specs checked per second.
3. In one process: chains of 2,500 to 20,000 stages, to show time grows linearly.

Run: python bench/bench_check.py [--runs N]. Machines here are shared and noisy: read the
medians and ratios, not single times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bilstm_dsl import check

BROKEN = """# 5 stages; the lstm should return sequences
input(20, 1)
  -> lstm(32)
  -> bilstm(32)
  -> dropout(0.2)
  -> dense(1)
"""

KERAS_SCRIPT = """
import keras
inputs = keras.Input((20, 1))
try:
    x = keras.layers.LSTM(32)(inputs)
    x = keras.layers.Bidirectional(keras.layers.LSTM(32))(x)
    x = keras.layers.Dropout(0.2)(x)
    x = keras.layers.Dense(1)(x)
    keras.Model(inputs, x)
except ValueError as error:
    print("keras:", str(error).splitlines()[0])
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, proc.stdout + proc.stderr


def user_install(where: Path) -> Path:
    """A fresh virtual environment with the project installed as the README says."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = [str(where / "bin" / "python"), "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", str(root)], check=True)
    return where / "bin" / "bilstm-dsl"


def whole_process(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = user_install(Path(tmp) / "venv")
        spec = Path(tmp) / "broken.arch"
        spec.write_text(BROKEN)
        timed([str(script), "check", str(spec)])  # warm the file cache
        ours = [timed([str(script), "check", str(spec)]) for _ in range(runs)]
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        keras_runs = max(3, runs // 4)
        theirs = [timed([sys.executable, "-c", KERAS_SCRIPT], env) for _ in range(keras_runs)]
    assert "error[E201]" in ours[0][1], ours[0][1]
    assert "keras:" in theirs[0][1], theirs[0][1]
    ours_med = statistics.median(t for t, _ in ours)
    theirs_med = statistics.median(t for t, _ in theirs)
    print("1. whole process, 5-stage file with a missing `seq`")
    print(f"   bilstm-dsl check        median {ours_med * 1000:7.1f} ms over {runs} runs")
    print(
        f"   python -c 'import keras; build'  median {theirs_med * 1000:7.1f} ms "
        f"over {keras_runs} runs"
    )
    print(f"   ratio                   {theirs_med / ours_med:7.1f}x faster")
    print(f"   keras said: {theirs[0][1].strip()[7:100]}")


def throughput(runs: int) -> None:
    specs = [
        f"input({10 + i % 50}, {1 + i % 7}) -> lstm({8 + i % 64}, seq) -> bilstm({4 + i % 32}) "
        f"-> dropout(0.{1 + i % 8}) -> dense({1 + i % 5})"
        for i in range(5000)
    ]
    assert check(specs[0]).ok
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for spec in specs:
            check(spec)
        rates.append(len(specs) / (time.perf_counter() - start))
    print("2. in one process, 5,000 distinct 5-stage specs")
    print(
        f"   median {statistics.median(rates):,.0f} specs/s over {runs} runs "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f})"
    )


def long_chains(runs: int) -> None:
    print("3. in one process, one long chain (input -> dense(8) x N)")
    per_stage = []
    for n in (2500, 5000, 10000, 20000):
        text = "input(8)\n" + "".join("  -> dense(8)\n" for _ in range(n))
        times = []
        for _ in range(max(3, runs // 4)):
            start = time.perf_counter()
            result = check(text)
            times.append(time.perf_counter() - start)
        assert result.ok and len(result.stages) == n
        med = statistics.median(times)
        per_stage.append(med / n)
        print(f"   {n:6,} stages: median {med * 1000:7.1f} ms ({med / n * 1e6:5.1f} us/stage)")
    print(f"   us/stage, largest over smallest: {per_stage[-1] / per_stage[0]:.2f} (1.00 = linear)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    whole_process(args.runs)
    throughput(max(3, args.runs // 4))
    long_chains(args.runs)


if __name__ == "__main__":
    main()
