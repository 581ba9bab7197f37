"""Argument types of the image, activation and preprocessing layers (issue 13): sizes per
spatial axis, ``(before, after)`` pairs, lists of strings; the same contract as `values`."""

from __future__ import annotations

from collections.abc import Callable

from . import ast
from .values import ArgError, Type, _axis, _int, _str, _type_error


def sizes(n: int) -> Callable[[str, ast.Value], int | tuple[int, ...]]:
    """Keras's ``standardize_tuple(value, n, ...)``: an int (the same size on every axis)
    or a tuple of ``n`` ints, kept as written; `each_positive`/`each_non_negative` check
    the values."""

    def coerce(arg: str, value: ast.Value) -> int | tuple[int, ...]:
        if isinstance(value, ast.Tuple | ast.List):
            if len(value.items) != n:
                example = ", ".join(["3"] * n)
                raise ArgError(
                    "E104",
                    f"`{arg}` has one size per axis, {n} here, got {len(value.items)}",
                    help=f"write `{arg}=3` or `{arg}=({example})`",
                )
            return tuple(_int(arg, item) for item in value.items)
        return _int(arg, value)

    return coerce


def _strings(arg: str, value: ast.Value) -> list[str]:
    """A list, as Keras keeps it (``get_config`` holds the list given)."""
    if isinstance(value, ast.Tuple | ast.List):
        return [_str(arg, item) for item in value.items]
    raise _type_error(arg, "a list of strings", value, '["a", "b"]')


def _ngrams(arg: str, value: ast.Value) -> int | tuple[int, ...]:
    """TextVectorization's ``ngrams``: an int, or a tuple of ints (not a list)."""
    if isinstance(value, ast.Tuple):
        return tuple(_int(arg, item) for item in value.items)
    return _int(arg, value)


def _no_data(arg: str, value: ast.Value) -> None:
    """A weight array in Keras (``idf_weights``): data, not architecture."""
    raise ArgError(
        "E103",
        f"`{arg}` takes an array of weights, which .arch does not hold",
        help=f"leave `{arg}` at its default, and `adapt()` the layer in Python",
    )


SIZE2 = Type("size", sizes(2))
OPT_SIZE2 = Type("size", sizes(2), nullable=True)
SIZE3 = Type("size", sizes(3))
OPT_SIZE3 = Type("size", sizes(3), nullable=True)
PAIR = Type("pair of sizes", sizes(2))
"""``(before, after)``, or one int for both (`cropping`, `padding` of the 1-D layers)."""
OPT_STRINGS = Type("list of strings", _strings, nullable=True)
OPT_NGRAMS = Type("integer or tuple", _ngrams, nullable=True)
OPT_NO_DATA = Type("weights", _no_data, nullable=True)
OPT_AXES = Type("axes", _axis, nullable=True)


def each_positive(arg: str, value: object) -> str | None:
    """`positive` for an int or each int of a tuple (``kernel_size=(3, 0)``)."""
    for item in value if isinstance(value, tuple) else (value,):
        if isinstance(item, int) and item <= 0:
            return f"expected positive integers, got {value}"
    return None


def each_non_negative(arg: str, value: object) -> str | None:
    """Keras's ``standardize_tuple(..., allow_zero=True)``: sizes >= 0."""
    for item in value if isinstance(value, tuple) else (value,):
        if isinstance(item, int) and item < 0:
            return f"expected integers >= 0, got {value}"
    return None


def non_negative(arg: str, value: object) -> str | None:
    """ReLU's ``max_value``, ``negative_slope`` and ``threshold``."""
    if isinstance(value, (int, float)) and value < 0:
        return f"expected a value >= 0, got {value}"
    return None
