"""Memory: the bytes a model's weights take, the memory there is to hold them (W504, and
`compile`'s refusal), and sizes in bytes written as Keras's summary writes them."""

from __future__ import annotations

import functools
import os

from .model import StageInfo

DTYPE_BYTES = {"float16": 2, "bfloat16": 2, "float32": 4, "float64": 8}


def weights_bytes(stages: tuple[StageInfo, ...] | list[StageInfo], dtype: str = "float32") -> int:
    """Bytes the model's weights take in memory: every parameter (trainable or not) as one
    value of ``dtype`` (Keras's default float32: 4 bytes)."""
    params = sum([s.trainable + s.non_trainable for s in stages])  # one pass, at every check
    return params * DTYPE_BYTES.get(dtype, 4)


MEMORY_VARIABLE = "BILSTM_DSL_MEMORY"
"""Bytes of memory to check weights against (W504, and `compile`'s refusal) instead of this
machine's: to check for the machine that will train the model."""


def memory_bytes() -> int | None:
    """The memory to check weights against: `MEMORY_VARIABLE` when set to a number of
    bytes, else this machine's physical memory; None where neither is known."""
    given = os.environ.get(MEMORY_VARIABLE)
    if given is not None and given.strip().isdigit():
        return int(given)
    return _physical_memory()


@functools.cache
def _physical_memory() -> int | None:
    """This machine's memory, asked once (W504 asks at every check)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def readable_size(size: int) -> str:
    """Bytes as Keras's summary writes them (``readable_memory_size`` in
    keras/src/utils/summary_utils.py): two decimals in B, KB, MB, GB, TB or PB, in powers
    of 1024. Past 1024 PB, which no machine holds, still PB (Keras would divide once more
    and still say PB), with thousands separators, then with a power of ten once the
    number outgrows a float (1e308)."""
    if size < 1024 ** len(_UNITS):
        value = float(size)
        for unit in _UNITS[:-1]:
            if value < 1024:
                return f"{value:.2f} {unit}"
            value /= 1024
        return f"{value:.2f} {_UNITS[-1]}"
    import math

    shift = max(0, size.bit_length() - 64)
    log = math.log10(size >> shift) + shift * math.log10(2) - 5 * math.log10(1024)
    if log < 15:
        return f"{size / 1024**5:,.2f} PB"
    exponent = math.floor(log)
    mantissa = round(10 ** (log - exponent), 2)
    if mantissa >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.2f}e+{exponent} PB"
