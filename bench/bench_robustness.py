"""The front end on hostile input: N random byte strings, token soups and mutations of the
examples through `check_bytes` and the renderer. Prints uncaught exceptions (the goal is
zero), the slowest input, and the throughput.

Run: python bench/bench_robustness.py [--inputs 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bilstm_dsl import check_bytes, render  # noqa: E402
from tests.fuzz.inputs import random_inputs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures: list[tuple[bytes, str]] = []
    slowest = (0.0, b"", "")
    codes: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for kind, data in random_inputs(rng, args.inputs):
        t = time.perf_counter()
        try:
            result = check_bytes(data, "fuzz.arch")
            for diag in result.diagnostics:
                render(diag, result.source, "fuzz.arch")
            codes[result.diagnostics[0].code if result.diagnostics else "clean"] += 1
        except Exception:  # noqa: BLE001 - counting them is the point
            failures.append((data, traceback.format_exc()))
        dt = time.perf_counter() - t
        if dt > slowest[0]:
            slowest = (dt, data, kind)
    elapsed = time.perf_counter() - start
    print(f"inputs: {args.inputs:,} in {elapsed:.1f} s ({args.inputs / elapsed:,.0f}/s)")
    print(f"uncaught exceptions: {len(failures)}")
    print(
        f"slowest: {slowest[0] * 1000:.1f} ms ({slowest[2]}, {len(slowest[1])} bytes): "
        f"{slowest[1][:80]!r}"
    )
    print("first diagnostic:", ", ".join(f"{c} {n}" for c, n in codes.most_common(12)))
    for data, trace in failures[:5]:
        print(f"--- {data[:200]!r}\n{trace}")


if __name__ == "__main__":
    main()
