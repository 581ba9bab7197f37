"""The front end on hostile input, and what the largest inputs cost.

1. N random byte strings, token soups and mutations of the examples through `check_bytes`
   and the renderer: uncaught exceptions (the goal is zero), the slowest input, throughput.
2. The resource cases of issue 11, each a whole `bilstm-dsl` process at the documented
   limits (2 MiB, 100,000 stages): wall time and peak memory (the child's own VmHWM),
   against 2 s and 300 MB. Prints a table; exits 1 when a case misses a limit or does
   not exit as expected.

Run: python bench/bench_robustness.py [--inputs 100000] [--seed 7] [--repeat 3]
(``--inputs 0`` runs only the resource cases). Machines here are shared: a time is the
median of ``--repeat`` runs, and worth rerunning before it is believed.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bilstm_dsl import check_bytes, render  # noqa: E402
from bilstm_dsl.model import MAX_SOURCE_BYTES  # noqa: E402
from bilstm_dsl.parser import MAX_STAGES  # noqa: E402
from tests.fuzz.inputs import random_inputs  # noqa: E402

TIME_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs per resource case")
    args = parser.parse_args()
    if args.inputs:
        hostile_inputs(args.inputs, args.seed)
    sys.exit(0 if resource_cases(args.repeat) else 1)


def hostile_inputs(count: int, seed: int) -> None:
    """Part 1: uncaught exceptions, the slowest input and the throughput."""
    rng = random.Random(seed)
    failures: list[tuple[bytes, str]] = []
    slowest = (0.0, b"", "")
    codes: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for kind, data in random_inputs(rng, count):
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
    print(f"inputs: {count:,} in {elapsed:.1f} s ({count / elapsed:,.0f}/s)")
    print(f"uncaught exceptions: {len(failures)}")
    print(
        f"slowest: {slowest[0] * 1000:.1f} ms ({slowest[2]}, {len(slowest[1])} bytes): "
        f"{slowest[1][:80]!r}"
    )
    print("first diagnostic:", ", ".join(f"{c} {n}" for c, n in codes.most_common(12)))
    for data, trace in failures[:5]:
        print(f"--- {data[:200]!r}\n{trace}")


# -- part 2: the resource cases of issue 11


def _many_diagnostics() -> str:
    """The largest chain, every layer with an invalid argument: one error per stage."""
    return "input(1)" + " -> dense(0)" * (MAX_STAGES - 1) + "\n"


def _many_diagnostics_2mib() -> str:
    """As `_many_diagnostics`, each stage on its own line with a comment, to 2 MiB."""
    head, stage = "input(1)\n", "  -> dense(0)  # "
    room = MAX_SOURCE_BYTES - len(head) - 1024
    pad = room // (MAX_STAGES - 1) - len(stage) - 1
    return head + "".join(stage + "x" * pad + "\n" for _ in range(MAX_STAGES - 1))


def _comments_2mib() -> str:
    """A small model under ~2 MiB of comment lines, for `fmt`."""
    line = "#   a comment that fmt must carry through as it was written, x = 1\n"
    model = "input(20, 1)\n  -> lstm(8)   # trailing\n  -> dense(1)\n"
    return model + line * ((MAX_SOURCE_BYTES - len(model) - 1024) // len(line))


def _draw_16kb() -> str:
    """The chain of issue 11's slow `draw`: Bi-LSTMs returning sequences, to 16 KB."""
    text, stage = "input(20, 1)\n", "  -> bilstm(1, seq)\n"
    while len(text) + len(stage) <= 16 * 1024:
        text += stage
    return text


def _largest_chain() -> str:
    return "input(1)" + " -> dense(1)" * (MAX_STAGES - 1) + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    spec: Callable[[], str]
    argv: tuple[str, ...]
    """`bilstm-dsl` arguments; SPEC and OUT stand for the spec's and an output's path."""
    exit_code: int
    shows: str = ""
    """Text the output must hold (a sign the work was really done)."""


CASES = (
    Case(
        "a: 100k diagnostics as text",
        _many_diagnostics,
        ("check", "SPEC"),
        1,
        f"found {MAX_STAGES - 1} errors",
    ),
    Case(
        "b: 2 MiB spec, check --format json",
        _many_diagnostics_2mib,
        ("check", "--format", "json", "SPEC"),
        1,
        '"code": "E104"',
    ),
    Case("c: fmt of 2 MiB of comments", _comments_2mib, ("fmt", "SPEC"), 0),
    Case("d: draw of a 16 KB spec (svg)", _draw_16kb, ("draw", "SPEC", "-o", "OUT.svg"), 0),
    Case("d: draw of a 16 KB spec (png)", _draw_16kb, ("draw", "SPEC", "-o", "OUT.png"), 0),
    Case(
        f"e: check of the largest chain ({MAX_STAGES:,} stages)",
        _largest_chain,
        ("check", "SPEC"),
        0,
        "no problems found",
    ),
)


# The child runs the CLI and leaves its own peak resident memory (VmHWM) in a file: its
# ru_maxrss would also count this process's memory, which Linux carries over at exec.
CHILD = """
import atexit, os, sys

def _peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
                    out.write(line.split()[1])

if os.path.exists("/proc/self/status"):
    atexit.register(_peak)
from bilstm_dsl.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_once(argv: list[str], workdir: Path) -> tuple[float, float, int, str]:
    """One `bilstm-dsl` process: wall seconds, peak resident MB (the child's VmHWM; its
    ru_maxrss where there is no /proc), exit code, and its output (stdout then stderr)."""
    out_path, err_path, peak_path = workdir / "stdout", workdir / "stderr", workdir / "peak"
    peak_path.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_PEAK_FILE": str(peak_path)}
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, *argv], stdout=out, stderr=err, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = int(peak_path.read_text()) if peak_path.exists() else usage.ru_maxrss
    text = out_path.read_text(errors="replace") + err_path.read_text(errors="replace")
    return elapsed, peak_kb / 1024, proc.returncode, text


def resource_cases(repeat: int) -> bool:
    """Part 2: run every case ``repeat`` times; print the table; True when all are met."""
    print(f"\nresource cases: median wall time of {repeat} runs, peak resident memory")
    header = f"{'case':<46} {'spec':>9} {'exit':>4} {'time s':>7} {'peak MB':>8}  verdict"
    print(header)
    print("-" * len(header))
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for case in CASES:
            spec_text = case.spec()
            times, peaks, problems = [], [], []
            for _ in range(repeat):
                spec = workdir / "spec.arch"
                spec.write_text(spec_text)  # fmt rewrites it: every run starts the same
                argv = [
                    str(spec) if a == "SPEC" else str(workdir / a) if a.startswith("OUT") else a
                    for a in case.argv
                ]
                elapsed, peak, code, output = run_once(argv, workdir)
                times.append(elapsed)
                peaks.append(peak)
                if code != case.exit_code:
                    problems.append(f"exit {code}, expected {case.exit_code}: {output[-300:]!r}")
                elif case.shows and case.shows not in output:
                    problems.append(f"output lacks {case.shows!r}")
            wall, peak = statistics.median(times), max(peaks)
            misses = [f"> {TIME_LIMIT_S:g} s"] * (wall > TIME_LIMIT_S)
            misses += [f"> {MEMORY_LIMIT_MB:g} MB"] * (peak > MEMORY_LIMIT_MB)
            misses += problems[:1]
            ok = ok and not misses
            size = len(spec_text.encode())
            shown = f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 2**20:.2f} MB"
            verdict = "ok" if not misses else "MISS: " + "; ".join(misses)
            print(f"{case.name:<46} {shown:>9} {code:>4} {wall:>7.2f} {peak:>8.0f}  {verdict}")
    print(
        f"limits: {TIME_LIMIT_S:g} s and {MEMORY_LIMIT_MB:g} MB per case; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    return ok


if __name__ == "__main__":
    main()
