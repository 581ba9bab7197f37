"""Building a model through bilstm-dsl against the same model written in Keras by hand.

In one process, after `import keras`: median time of N builds each way, interleaved so that
drift on a noisy machine hits both sides alike, and their ratio (issue 3's target: at most
1.10). The bilstm-dsl side starts from the spec text, so it includes parsing and checking.

Run: python bench/bench_build.py [--builds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

import bilstm_dsl  # noqa: E402

SPEC = """input(20, 1)
  -> lstm(50, seq)
  -> bilstm(50, seq)
  -> dropout(0.2)
  -> td(dense(1))
"""


def by_hand() -> keras.Model:
    L = keras.layers
    inputs = keras.Input((20, 1))
    x = L.LSTM(50, return_sequences=True)(inputs)
    x = L.Bidirectional(L.LSTM(50, return_sequences=True))(x)
    x = L.Dropout(0.2)(x)
    x = L.TimeDistributed(L.Dense(1))(x)
    return keras.Model(inputs, x)


def through_package() -> keras.Model:
    return bilstm_dsl.build(SPEC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=20)
    args = parser.parse_args()
    assert through_package().count_params() == by_hand().count_params()
    ours, theirs = [], []
    for _ in range(args.builds):
        for build, times in ((through_package, ours), (by_hand, theirs)):
            start = time.perf_counter()
            build()
            times.append(time.perf_counter() - start)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"model: {' '.join(SPEC.split())}")
    print(f"bilstm_dsl.build   median {a * 1000:7.1f} ms over {args.builds} builds")
    print(f"hand-written Keras median {b * 1000:7.1f} ms over {args.builds} builds")
    print(f"ratio              {a / b:7.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
