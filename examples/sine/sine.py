"""Forecast a noisy sine wave with a Bi-LSTM, once per merge mode: the seed tutorial's
experiment, with every model compiled from an `.arch` file in merge_modes/.

A sine wave with a little Gaussian noise is cut into windows of n_step values (n_step is
read from the models' input shape, so the `.arch` files are the one place it is set); each
window's next value is the target. Every model is trained on the first part of the series,
then

- scored one step ahead on the held-out windows (each prediction sees the true history:
  "test MSE"), and
- asked to forecast the next `--horizon` values recursively, each prediction fed back as
  the newest input ("forecast RMSE", against the observed values).

It prints one table row per merge mode and writes a PNG with one panel per mode (history,
truth, forecast). Everything is seeded, so two runs print the same numbers.

    python examples/sine/sine.py                 # about 90 s on a 2-core CPU
    python examples/sine/sine.py --quick         # seconds: tiny data, 2 epochs (tests)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MODES = ("concat", "sum", "mul", "ave")


@dataclass(frozen=True)
class Settings:
    points: int
    """Length of the whole series, in samples (0.1 rad apart: a period is ~63 samples)."""
    epochs: int
    horizon: int
    noise: float = 0.1
    test_fraction: float = 0.2
    batch_size: int = 32
    seed: int = 7


NORMAL = Settings(points=1500, epochs=25, horizon=20)
QUICK = Settings(points=300, epochs=2, horizon=20)


@dataclass(frozen=True)
class Outcome:
    mode: str
    params: int
    train_mse: float
    test_mse: float
    forecast_rmse: float
    seconds: float
    forecast: np.ndarray


def sine_series(points: int, noise: float, seed: int) -> np.ndarray:
    """sin(0.1 t) plus Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    t = np.arange(points) * 0.1
    return (np.sin(t) + rng.normal(0.0, noise, points)).astype("float32")


def windows(series: np.ndarray, n_step: int) -> tuple[np.ndarray, np.ndarray]:
    """Every run of ``n_step`` values (shaped (n, n_step, 1)) and the value after it."""
    x = np.lib.stride_tricks.sliding_window_view(series[:-1], n_step)
    return x[..., None].copy(), series[n_step:].copy()


def forecast(model, history: np.ndarray, horizon: int) -> np.ndarray:  # noqa: ANN001
    """Predict ``horizon`` values, feeding each prediction back as the newest input."""
    window = list(history)
    out = []
    for _ in range(horizon):
        x = np.asarray(window[-len(history) :], dtype="float32")[None, :, None]
        value = float(np.asarray(model.predict_on_batch(x)).reshape(-1)[0])
        out.append(value)
        window.append(value)
    return np.asarray(out, dtype="float32")


def run_mode(mode: str, series: np.ndarray, split: int, s: Settings, verbose: int) -> Outcome:
    """Build the model from merge_modes/<mode>.arch, train it, score it, forecast."""
    import keras

    import bilstm_dsl

    keras.utils.set_random_seed(s.seed)  # same initial weights and batch order for every mode
    model = bilstm_dsl.build(HERE / "merge_modes" / f"{mode}.arch", name=f"sine_{mode}")
    n_step = model.input_shape[1]
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    x_train, y_train = windows(series[:split], n_step)
    x_test, y_test = windows(series[split - n_step :], n_step)
    start = time.perf_counter()
    print(f"\n== merge_mode={mode}: {model.count_params():,} params, {len(x_train)} windows")
    model.fit(
        x_train, y_train, epochs=s.epochs, batch_size=s.batch_size, shuffle=True, verbose=verbose
    )
    seconds = time.perf_counter() - start
    train_mse = float(model.evaluate(x_train, y_train, verbose=0))
    test_mse = float(model.evaluate(x_test, y_test, verbose=0))
    predicted = forecast(model, series[split - n_step : split], s.horizon)
    truth = series[split : split + s.horizon]
    rmse = float(np.sqrt(np.mean((predicted - truth) ** 2)))
    return Outcome(mode, model.count_params(), train_mse, test_mse, rmse, seconds, predicted)


def table(outcomes: list[Outcome], horizon: int) -> str:
    """The results, one row per merge mode (the test reads the numbers back)."""
    head = (
        f"{'merge':<7} {'params':>7} {'train MSE':>10} {'test MSE':>10} "
        f"{f'RMSE {horizon}-step':>13} {'train s':>8}"
    )
    rows = [head, "-" * len(head)]
    for o in outcomes:
        rows.append(
            f"{o.mode:<7} {o.params:>7,} {o.train_mse:>10.5f} {o.test_mse:>10.5f} "
            f"{o.forecast_rmse:>13.5f} {o.seconds:>8.1f}"
        )
    return "\n".join(rows)


def plot(outcomes: list[Outcome], series: np.ndarray, split: int, s: Settings, out: Path) -> None:
    """One panel per merge mode: recent history, the observed future, the forecast."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 6.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True, sharey=True).ravel()
    shown = min(split, 4 * s.horizon)
    t_hist = np.arange(split - shown, split)
    t_future = np.arange(split, split + s.horizon)
    for ax, o in zip(axes, outcomes):
        ax.plot(t_hist, series[split - shown : split], color="#777777", lw=1, label="history")
        ax.plot(t_future, series[split : split + s.horizon], "o-", color="#2b8a3e", ms=3,
                lw=1, label="truth")  # fmt: skip
        ax.plot(t_future, o.forecast, "s--", color="#d9480f", ms=3, lw=1.2, label="forecast")
        ax.axvline(split - 0.5, color="#bbbbbb", lw=0.8, ls=":")
        ax.set_title(
            f"merge_mode={o.mode}: RMSE {o.forecast_rmse:.3f}, test MSE {o.test_mse:.4f}",
            fontsize=10,
        )
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=9)
    for ax in axes[2:]:
        ax.set_xlabel("time step")
    fig.suptitle(
        f"Bi-LSTM forecasts of a noisy sine wave, {s.horizon} steps fed back recursively "
        f"({s.epochs} epochs)"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100, metadata={"Software": None})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny data, 2 epochs (for tests)")
    parser.add_argument("--out", type=Path, default=Path("sine_merge_modes.png"))
    parser.add_argument("--epochs", type=int, help="override the number of epochs")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args(argv)
    s = QUICK if args.quick else NORMAL
    if args.epochs:
        s = Settings(s.points, args.epochs, s.horizon)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    series = sine_series(s.points, s.noise, s.seed)
    split = int(len(series) * (1 - s.test_fraction))
    start = time.perf_counter()
    outcomes = [run_mode(m, series, split, s, 2 if args.quick else 1) for m in args.modes]
    plot(outcomes, series, split, s, args.out)
    print()
    print(table(outcomes, s.horizon))
    print(f"\nwrote {args.out}; total {time.perf_counter() - start:.0f} s")
    bad = [o.mode for o in outcomes if not all(map(math.isfinite, (o.test_mse, o.forecast_rmse)))]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
