"""How fast is `check`? Every figure of issue 15, each beside its target, measured side by
side with its floor or peer in the same run.

1. Cold processes, from a fresh virtual environment made with ``pip install .`` (as a user
   has it: byte-compiled, no test extras), against ``python -c pass`` from that same
   environment: `check` of a 5-stage file with a mistake, `check --format json`, `summary`,
   `--version` and `--help`. Runs are interleaved (one of each, then again), so a busy
   spell on a shared machine hits every command alike; medians and their ratio to the
   floor are printed, with each process's peak resident memory (its own ``ru_maxrss``).
   Keras finding the same mistake is shown for scale (``--keras-runs``; no target).
2. In one process: distinct six-stage specs checked per second, each checked twice before
   (what a call's text decides is kept the second time it is met); then new specs of the
   same calls, whose shapes are new to the process.
3. In one process, the work an editor waits for: a 500-line spec changed by one character,
   checked again, and a hover answered on it (`lsp_analysis`: the server's handler without
   the pipe).
4. In one process, growth: a chain of 1,250 to 10,000 stages, a graph of 125 to 1,000 nodes
   (`bench_graph.ladder`) and 12,500 to 100,000 diagnostics rendered as text. Each prints
   microseconds per unit over the 1:8 range; the largest over the smallest must stay under
   1.3 (linear), and the largest size must meet its time.

The checker keeps what a call's text alone decides (its nodes, its layer, its shape rule's
output for the shapes it received: `parser._calls`, `recipes._recipes`, `infer._outputs`),
so a call written before costs less; 2, 3 and 4 each also print their figure with every
call's text new to the checker, where nothing kept is used (rows without a target).
5. `compile`: `bilstm_dsl.build` against hand-written Keras code building the same model,
   in one process once Keras is imported, alternating, 40 pairs or more; the ratio is the
   median of each pair's (skipped with ``--no-keras``).

Prints a table of every figure, its target and a verdict; exits 1 when one misses. Run:
python bench/bench_check.py [--runs N] [--no-keras]. Machines here are shared and noisy:
quote the medians and ratios, and rerun before believing a change of a few percent.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_graph import ladder  # noqa: E402

from bilstm_dsl import check, render  # noqa: E402

BROKEN = """# 5 stages; the lstm should return sequences
input(20, 1)
  -> lstm(32)
  -> bilstm(32)
  -> dropout(0.2)
  -> dense(1)
"""

OK_SPEC = BROKEN.replace("lstm(32)\n", "lstm(32, seq)\n", 1)

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

LINEAR = 1.3


class Table:
    """The figures, each with its target; `missed` says whether any failed."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool | None]] = []

    def add(self, figure: str, measured: str, target: str, ok: bool | None) -> None:
        self.rows.append((figure, measured, target, ok))
        verdict = "" if ok is None else "ok" if ok else "MISS"
        print(f"   {figure:<44} {measured:>24}   {target:<18} {verdict}", flush=True)

    @property
    def missed(self) -> list[str]:
        return [figure for figure, _, _, ok in self.rows if ok is False]


# -- 1. cold processes


def user_install(where: Path) -> Path:
    """A fresh virtual environment with the project installed as a user installs it."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = [str(where / "bin" / "python"), "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", str(ROOT)], check=True)
    return where / "bin"


def run_once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """One process: wall seconds, its own peak resident MiB (``ru_maxrss`` from wait4),
    and what it printed."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, _, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode(errors="replace")
    return elapsed, usage.ru_maxrss / 1024, text


def cold(table: Table, runs: int, keras_runs: int) -> None:
    print("1. cold processes (medians; ratio to `python -c pass` from the same environment)")
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = user_install(Path(tmp) / "venv")
        python, script = str(bin_dir / "python"), str(bin_dir / "bilstm-dsl")
        broken, ok = Path(tmp) / "broken.arch", Path(tmp) / "ok.arch"
        broken.write_text(BROKEN)
        ok.write_text(OK_SPEC)
        commands: dict[str, tuple[list[str], str]] = {
            "floor": ([python, "-c", "pass"], ""),
            "check": ([script, "check", str(broken)], "error[E201]"),
            "check --format json": ([script, "check", "--format", "json", str(broken)], "E201"),
            "summary": ([script, "summary", str(ok)], "Total params"),
            "--version": ([script, "--version"], "bilstm-dsl"),
            "--help": ([script, "--help"], "usage:"),
        }
        for argv, _ in commands.values():  # warm the file cache and the bytecode
            run_once(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
        for _ in range(runs):
            for name, (argv, shows) in commands.items():
                elapsed, peak, text = run_once(argv)
                assert shows in text, f"{name}: {text[:300]!r}"
                times[name].append(elapsed)
                peaks[name] = max(peaks[name], peak)
        keras = []
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        for _ in range(keras_runs):
            elapsed, peak, text = run_once([sys.executable, "-c", KERAS_SCRIPT], env)
            keras.append((elapsed, peak, text))
    floor = statistics.median(times["floor"])
    table.add("python -c pass (the floor)", f"{floor * 1000:.1f} ms", "", None)
    for name, limit in (
        ("check", 4.0),
        ("check --format json", 4.0),
        ("summary", 4.0),
        ("--version", 2.0),
        ("--help", 2.0),
    ):
        med = statistics.median(times[name])
        ratio = med / floor
        table.add(
            f"{name}: time", f"{med * 1000:.1f} ms = {ratio:.1f}x", f"<= {limit:g}x", ratio <= limit
        )
        if name.startswith(("check", "summary")):
            table.add(
                f"{name}: peak memory", f"{peaks[name]:.1f} MiB", "<= 25 MiB", peaks[name] <= 25
            )
    if keras:
        med = statistics.median(t for t, _, _ in keras)
        peak = max(p for _, p, _ in keras)
        ours = statistics.median(times["check"])
        table.add(
            "keras finding the same mistake (scale)",
            f"{med * 1000:.0f} ms, {peak:.0f} MiB",
            f"{med / ours:.0f}x our check",
            None,
        )
        said = [line for line in keras[0][2].splitlines() if line.startswith("keras:")]
        print(f"   keras said: {said[0][7:100] if said else keras[0][2].strip()[-100:]}")


# -- 2. and 3. in one process


def median_time(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def six_stages(i: int, spread: int = 0, shift: int = 0) -> str:
    """Spec ``i`` of the throughput runs. With ``spread`` 0 its calls repeat across specs
    (``lstm(8 + i % 64, seq)``: 64 texts), as a project's files repeat layers; otherwise
    every call's text is its own (``lstm(8 + i, seq)``), so nothing the checker keeps from
    one call's text (`recipes.bind_stages`, `infer.apply`) is ever used again.

    An odd ``shift`` pairs the same call texts otherwise (``lstm(8 + (i + shift) % 64)``
    after the input spec ``i`` has): the input's ``i % 350`` and the lstm's ``i % 64``
    are then of different parity, a pair no spec of ``shift`` 0 has, so the shapes the
    lstm and the layers after it receive are new to a process that checked those."""
    if not spread:
        return (
            f"input({10 + i % 50}, {1 + i % 7}) -> lstm({8 + (i + shift) % 64}, seq) "
            f"-> bilstm({4 + i % 32}) -> dropout(0.{1 + i % 8}) -> dense({1 + i % 5}) "
            f"-> dense({1 + i % 3})"
        )
    n = i + spread
    return (
        f"input({10 + i % 50}, {1 + i % 7}) -> lstm({8 + n}, seq) -> bilstm({4 + n}) "
        f"-> dropout(0.{1 + n}) -> dense({1 + 2 * n}) -> dense({2 + 2 * n})"
    )


def throughput(table: Table, runs: int) -> None:
    print("2. in one process: distinct six-stage specs")
    specs = [six_stages(i) for i in range(5000)]
    assert check(specs[0]).ok and len(specs) == len(set(specs))

    def all_specs() -> None:
        for spec in specs:
            check(spec)

    # Two passes first: what a call's text decides is kept the second time it is met
    # (`kept.Kept`), so every run timed then checks the same way, whatever their number.
    all_specs()
    all_specs()
    rate = len(specs) / median_time(all_specs, runs)
    table.add("six-stage specs per second", f"{rate:,.0f}/s", ">= 20,000/s", rate >= 20_000)
    # New specs of the same calls: each spec's shapes are new to the process, its calls'
    # texts are not (no target). Each run gets pairs no run before it checked twice.
    batches = iter(range(1, runs + 1))

    def new_specs() -> None:
        shift = 2 * next(batches) - 1
        for i in range(5000):
            check(six_stages(i, shift=shift))

    rate = 5000 / median_time(new_specs, runs)
    table.add("six-stage specs per second, each spec new", f"{rate:,.0f}/s", "", None)
    # The same, every call's text new: what checking costs when nothing is kept (no
    # target). Each run gets texts no run before it used.
    batches = iter(range(1, runs + 1))

    def all_new() -> None:
        spread = next(batches) * 1_000_000
        for i in range(5000):
            check(six_stages(i, spread))

    rate = 5000 / median_time(all_new, runs)
    table.add("six-stage specs per second, every text new", f"{rate:,.0f}/s", "", None)


def editor(table: Table, runs: int) -> None:
    print("3. in one process: a 500-line spec changed, checked again and hovered")
    from bilstm_dsl.lsp_analysis import Analysis, hover_at

    lines = ["input(20, 8)"] + [f"  -> dense({8 + i % 5})" for i in range(499)]
    texts = []
    for i in range(runs):  # each run a different edit, as typing makes them
        edited = list(lines)
        edited[250] = f"  -> dense({20 + i})"
        texts.append("\n".join(edited) + "\n")
    offset = texts[0].index("dense(20")
    times = []
    for text in texts:
        start = time.perf_counter()
        analysis = Analysis.of(text, "file:///bench.arch")
        analysis.line_map("utf-16")
        found = hover_at(analysis, offset + 1)
        times.append(time.perf_counter() - start)
        assert found is not None
    med = statistics.median(times)
    table.add("hover after a change, 500 lines", f"{med * 1000:.2f} ms", "< 5 ms", med < 0.005)
    # The same with every line's text new to the checker (no target): the first check of
    # a file, before anything of it is kept.
    times = []
    for run in range(runs):
        base = 1_000 + run * 1_000
        text = "input(20, 8)\n" + "".join(f"  -> dense({base + i})\n" for i in range(499))
        start = time.perf_counter()
        analysis = Analysis.of(text, "file:///bench.arch")
        analysis.line_map("utf-16")
        found = hover_at(analysis, text.index("dense(") + 1)
        times.append(time.perf_counter() - start)
        assert found is not None
    med = statistics.median(times)
    table.add("hover, 500 lines all new", f"{med * 1000:.2f} ms", "", None)


# -- 4. growth


def growth(
    table: Table,
    what: str,
    unit: str,
    sizes: tuple[int, ...],
    make: Callable[[int], tuple[Callable[[], object], int]],
    limit_s: float,
    runs: int,
) -> None:
    """Median time at each size; µs per unit; the largest size against ``limit_s`` and
    the ratio of the largest to the smallest per-unit cost against `LINEAR`."""
    per_unit = []
    med = 0.0
    for size in sizes:
        work, units = make(size)
        gc.collect()
        med = median_time(work, runs)
        per_unit.append(med / units)
        cost = med / units * 1e6
        print(f"   {what}: {units:>7,} {unit}s  {med * 1000:8.1f} ms  {cost:6.2f} us/{unit}")
    ratio = per_unit[-1] / per_unit[0]
    table.add(
        f"{what}: {sizes[-1]:,} {unit}s",
        f"{med * 1000:.0f} ms",
        f"<= {limit_s * 1000:g} ms",
        med <= limit_s,
    )
    table.add(f"{what}: per {unit}, 1:8", f"{ratio:.2f}", f"<= {LINEAR}", ratio <= LINEAR)


def fresh(text: str) -> str:
    """The same text as a new string: the parser keeps its last result for the very same
    string object (for the LSP), which a benchmark must not measure."""
    return text[:1] + text[1:]


def chain_of(n: int) -> tuple[Callable[[], object], int]:
    text = "input(8)\n" + "".join("  -> dense(8)\n" for _ in range(n))

    def work() -> None:
        result = check(fresh(text))
        assert result.ok and len(result.stages) == n

    return work, n


def chain_all_new(table: Table, n: int, runs: int) -> None:
    """A chain of ``n`` stages whose every call's text is new to the checker, each run:
    the chain figure when nothing the checker keeps from a call's text is used (no
    target)."""
    texts = [
        "input(8)\n" + "".join(f"  -> dense({run * 10 * n + i})\n" for i in range(n))
        for run in range(1, runs + 1)
    ]
    times = []
    for text in texts:
        gc.collect()
        start = time.perf_counter()
        result = check(text)
        times.append(time.perf_counter() - start)
        assert result.ok and len(result.stages) == n
    med = statistics.median(times)
    table.add(f"chain: {n:,} stages, every text new", f"{med * 1000:.0f} ms", "", None)


FIRST_CHECK = """
import sys, time
from bilstm_dsl import check
text = "input(8)\\n" + "".join("  -> dense(8)\\n" for _ in range(int(sys.argv[1])))
start = time.perf_counter()
result = check(text)
elapsed = time.perf_counter() - start
assert result.ok
print(elapsed)
"""


def chain_first(table: Table, n: int, runs: int) -> None:
    """The chain of `chain_of` checked once in a new process, as `bilstm-dsl check` does:
    nothing kept before it, its calls kept as it meets them again (no target)."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_CHECK, str(n)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(done.stdout))
    med = statistics.median(times)
    table.add(f"chain: {n:,} stages, first in a new process", f"{med * 1000:.0f} ms", "", None)


def graph_of(n: int) -> tuple[Callable[[], object], int]:
    text, nodes = ladder(n)

    def work() -> None:
        assert check(fresh(text)).ok

    return work, nodes


def diagnostics_of(n: int) -> tuple[Callable[[], object], int]:
    text = "input(1)" + " -> dense(0)" * n + "\n"

    def work() -> None:
        result = check(fresh(text), "many.arch")
        rendered = "\n".join(render(d, result.source, result.path) for d in result.diagnostics)
        assert rendered.count("error[E104]") == n

    return work, n


# -- 5. compile


def hand_written():  # noqa: ANN201
    """examples/stacked_lstm_bilstm_seq.arch as a careful person writes it in Keras."""
    import keras

    inputs = keras.Input(shape=(20, 1), name="input_layer")
    x = keras.layers.LSTM(50, return_sequences=True, name="lstm")(inputs)
    x = keras.layers.Bidirectional(
        keras.layers.LSTM(50, return_sequences=True), name="bidirectional"
    )(x)
    outputs = keras.layers.TimeDistributed(keras.layers.Dense(1), name="time_distributed")(x)
    return keras.Model(inputs, outputs, name="stacked_lstm_bilstm_seq")


def compile_cost(table: Table, runs: int) -> None:
    print("5. compile against hand-written Keras (same model, alternating, Keras imported)")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from bilstm_dsl import build

    spec = ROOT / "examples" / "stacked_lstm_bilstm_seq.arch"
    models = []
    for make in (lambda: build(spec), hand_written):
        keras.backend.clear_session()  # the same names from both
        models.append(make().get_config())
    assert models[0] == models[1], "the compiled model is not the hand-written one"
    ours, theirs = [], []
    for _ in range(runs):
        for work, into in ((lambda: build(spec), ours), (hand_written, theirs)):
            keras.backend.clear_session()
            start = time.perf_counter()
            work()
            into.append(time.perf_counter() - start)
    mine, peer = statistics.median(ours), statistics.median(theirs)
    # The ratio of each pair run back to back, then their median: a busy spell slows both
    # of a pair alike, where the two medians of a few runs may come from different spells.
    ratio = statistics.median(a / b for a, b in zip(ours, theirs))
    table.add(
        "compile / hand-written Keras",
        f"{mine * 1000:.1f} / {peer * 1000:.1f} ms = {ratio:.3f}",
        "<= 1.05",
        ratio <= 1.05,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per cold command")
    parser.add_argument("--keras-runs", type=int, default=3)
    parser.add_argument("--no-keras", action="store_true", help="skip what needs Keras")
    args = parser.parse_args()
    table = Table()
    inner = max(5, args.runs // 2)
    cold(table, args.runs, 0 if args.no_keras else args.keras_runs)
    throughput(table, max(5, inner // 2))
    editor(table, max(20, inner))
    print("4. growth in one process (medians)")
    growth(table, "chain", "stage", (1250, 2500, 5000, 10000), chain_of, 0.100, inner)
    chain_all_new(table, 10000, inner)
    chain_first(table, 10000, inner)
    growth(table, "graph", "node", (125, 250, 500, 1000), graph_of, 0.100, inner)
    growth(  # 99,999 stages after the input: the longest chain a spec may hold
        table, "diagnostics", "diagnostic", (12500, 25000, 50000, 99_999), diagnostics_of, 2.0, 3
    )
    if not args.no_keras:
        compile_cost(table, max(40, inner))  # a build varies by 10%: many pairs
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    targets = sum(ok is not None for _, _, _, ok in table.rows)
    print(f"\nload average {load}; {len(table.missed)} of {targets} targets missed")
    for figure in table.missed:
        print(f"   MISS: {figure}")
    sys.exit(1 if table.missed else 0)


if __name__ == "__main__":
    main()
