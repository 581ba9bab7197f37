"""Tag every step of a noisy signal as "in a pulse" or "background": the many-to-many form,
with the model compiled from pulses.arch (a Bi-LSTM returning every step, then the same
sigmoid unit on each step through `td(dense(1, sigmoid))`).

Each synthetic sequence is background noise with one to three rectangular pulses of random
position, width and height. A single noisy step says little (the noise is as large as half
a pulse), so a per-step threshold often errs; the Bi-LSTM sees the steps on both sides and
tags far better. It prints the per-step accuracy of the model next to two baselines
(everything "background"; a threshold at half the mean pulse height), and with `--out`
plots a few test sequences with their tags.

    python examples/tagging/tagging.py              # about a minute on a 2-core CPU
    python examples/tagging/tagging.py --quick      # seconds (tests)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    train: int
    test: int
    epochs: int
    learning_rate: float = 3e-3
    noise: float = 0.5
    batch_size: int = 32
    seed: int = 11


NORMAL = Settings(train=2000, test=500, epochs=8)
QUICK = Settings(train=512, test=128, epochs=4, learning_rate=1e-2)


def pulses(count: int, steps: int, noise: float, rng: np.random.Generator):
    """``count`` sequences of ``steps`` values, shaped (count, steps, 1), and their per-step
    labels (1 inside a pulse). Pulses are 4-15 steps wide and 0.8-1.2 high."""
    x = np.zeros((count, steps), dtype="float32")
    y = np.zeros((count, steps), dtype="float32")
    for i in range(count):
        for _ in range(rng.integers(1, 4)):
            width = int(rng.integers(4, 16))
            start = int(rng.integers(0, steps - width))
            y[i, start : start + width] = 1.0
            x[i, start : start + width] = rng.uniform(0.8, 1.2)
    x += rng.normal(0.0, noise, x.shape).astype("float32")
    return x[..., None], y[..., None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, 4 epochs (for tests)")
    parser.add_argument("--out", type=Path, help="also plot a few test sequences to this PNG")
    args = parser.parse_args(argv)
    s = QUICK if args.quick else NORMAL
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    import bilstm_dsl

    keras.utils.set_random_seed(s.seed)
    model = bilstm_dsl.build(HERE / "pulses.arch")
    steps = model.input_shape[1]
    rng = np.random.default_rng(s.seed)
    x_train, y_train = pulses(s.train, steps, s.noise, rng)
    x_test, y_test = pulses(s.test, steps, s.noise, rng)
    model.compile(optimizer=keras.optimizers.Adam(s.learning_rate), loss="binary_crossentropy",
                  metrics=["binary_accuracy"])  # fmt: skip
    start = time.perf_counter()
    model.fit(
        x_train,
        y_train,
        epochs=s.epochs,
        batch_size=s.batch_size,
        validation_split=0.1,
        verbose=2 if args.quick else 1,
    )
    seconds = time.perf_counter() - start
    tags = model.predict(x_test, verbose=0) > 0.5
    truth = y_test > 0.5
    accuracy = float(np.mean(tags == truth))
    recall_pulse = float(np.mean(tags[truth]))
    recall_background = float(np.mean(~tags[~truth]))
    background = float(np.mean(~truth))
    threshold = float(np.mean((x_test > 0.5) == truth))
    print(f"\nper-step accuracy on {s.test} test sequences of {steps} steps:")
    print(f"  bi-lstm tagger          {accuracy:.4f}")
    print(f"  all background          {background:.4f}")
    print(f"  threshold x > 0.5       {threshold:.4f}")
    print(f"  pulse steps found       {recall_pulse:.4f}")
    print(f"  background steps kept   {recall_background:.4f}")
    print(f"trained {s.epochs} epochs in {seconds:.1f} s")
    if args.out:
        plot(x_test[:3], y_test[:3], model.predict(x_test[:3], verbose=0), args.out)
        print(f"wrote {args.out}")
    return 0


def plot(x: np.ndarray, y: np.ndarray, p: np.ndarray, out: Path) -> None:
    """A few test sequences: the signal, the true pulses and the predicted probability."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 6), layout="constrained")
    axes = fig.subplots(len(x), 1, sharex=True)
    for ax, xi, yi, pi in zip(axes, x[..., 0], y[..., 0], p[..., 0]):
        ax.plot(xi, color="#777777", lw=0.8, label="signal")
        ax.fill_between(np.arange(len(yi)), 0, yi, color="#2b8a3e", alpha=0.2, label="pulse")
        ax.plot(pi, color="#d9480f", lw=1.2, label="P(pulse)")
    axes[0].legend(loc="upper right", fontsize=8, ncol=3)
    axes[-1].set_xlabel("time step")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100, metadata={"Software": None})


if __name__ == "__main__":
    sys.exit(main())
