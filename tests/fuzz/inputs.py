"""Hostile and random text for the front end: random bytes, token soups, and mutations of
the real examples (characters deleted, duplicated, swapped, replaced)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TOKENS = [
    "input", "lstm", "bilstm", "gru", "td", "dense", "dropout", "conv1d", "embedding",
    "bidirectional", "timedistributed", "reshape", "(", ")", "[", "]", ",", "->", ":", "=",
    "1", "20", "-3", "0.5", "1e-3", '"relu"', '"', "none", "true", "seq", "concat", "_",
    " ", "\n", "# comment\n", "\t", "\r\n", "-", ">", ".", "'", "\\", "\0", "é", "\u2028",
]  # fmt: skip


def examples() -> list[bytes]:
    return [p.read_bytes() for p in sorted(EXAMPLES.rglob("*.arch"))]


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            break
        i = rng.randrange(len(out))
        op = rng.randrange(4)
        if op == 0:
            del out[i]
        elif op == 1:
            out.insert(i, out[i])
        elif op == 2:
            j = rng.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        else:
            out[i] = rng.randrange(256)
    return bytes(out)


def random_inputs(rng: random.Random, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` inputs, each labelled with how it was made."""
    seeds = examples()
    for _ in range(count):
        kind = rng.randrange(3)
        if kind == 0:
            yield "bytes", bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        elif kind == 1:
            soup = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))
            yield "tokens", soup.encode("utf-8")
        else:
            yield "mutation", mutate(rng, rng.choice(seeds))
