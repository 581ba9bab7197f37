"""Differential fuzzing against Keras: N random chains, each checked and built by Keras
(and called in inference and training mode); prints how they agreed, every disagreement,
and the time taken. Figures for issue 5's closing note.

Run: python bench/bench_fuzz.py [--chains 2000] [--seed 1] [--workers 2]
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def run(args: tuple[int, int, int]) -> list[tuple[str, bool, str, str]]:
    seed, start, count = args
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import random
    import warnings

    warnings.simplefilter("ignore")
    from bilstm_dsl import check
    from tests.fuzz.chains import judge, random_case
    from tests.parity.harness import keras_truth

    rng = random.Random(seed)
    out = []
    for i in range(start, start + count):
        case = random_case(rng, i)
        verdict = judge(case, check(case.arch), keras_truth(case))
        out.append((verdict.kind, verdict.agree, verdict.detail, case.arch))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    share = -(-args.chains // args.workers)
    jobs = [
        (args.seed * 1000 + w, w * share, min(share, args.chains - w * share))
        for w in range(args.workers)
    ]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        results = [r for part in pool.map(run, jobs) for r in part]
    elapsed = time.perf_counter() - start
    kinds = collections.Counter(kind for kind, _, _, _ in results)
    bad = [r for r in results if not r[1]]
    print(f"chains: {len(results)} in {elapsed:.0f} s ({args.workers} workers, seed {args.seed})")
    for kind, n in kinds.most_common():
        print(f"  {kind:42s} {n:6d}")
    print(f"disagreements: {len(bad)}")
    for kind, _, detail, arch in bad:
        print(f"--- {kind}: {detail[:300]}\n{arch}")


if __name__ == "__main__":
    main()
