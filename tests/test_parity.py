"""Keras parity: the checker must reach Keras 3's verdict, shapes and parameter counts.

Each case in `tests/parity/corpus.py` is built in Keras stage by stage (`keras_truth`) and
checked with `bilstm_dsl.check`; the two must agree. Keras is imported lazily, in a
module-scoped fixture, so collecting these tests stays fast.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from collections.abc import Callable
from typing import Any

import pytest

# The corpus lives in the `parity` package next to this file; which name it imports under
# depends on pytest's rootdir/import mode (`tests` may or may not be a package).
try:
    from tests.parity.corpus import CASES
    from tests.parity.harness import Case, Truth, keras_truth
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus import CASES  # type: ignore[no-redef]
    from parity.harness import Case, Truth, keras_truth  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def truth_of() -> Callable[[Case], Truth]:
    """Keras's verdict for a case, built once per case per test module."""
    import keras  # noqa: F401 - the slow import happens here, not at collection

    cache: dict[str, Truth] = {}

    def get(case: Case) -> Truth:
        if case.id not in cache:
            cache[case.id] = keras_truth(case)
        return cache[case.id]

    return get


@pytest.fixture(scope="module")
def check() -> Callable[..., Any]:
    """`bilstm_dsl.check`, imported when first needed."""
    import bilstm_dsl

    return bilstm_dsl.check


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively, so shapes compare by value."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _diagnostics(res: Any) -> str:
    lines = [
        f"  {d.severity}[{d.code}] stage={d.stage} at {d.span.line}:{d.span.column}: {d.message}"
        for d in res.diagnostics
    ]
    return "\n".join(lines) or "  (none)"


def _keras_side(truth: Truth) -> dict[str, Any]:
    return {
        "names": [layer.name for layer in truth.layers],
        "types": [layer.type for layer in truth.layers],
        "output_shapes": [_plain(layer.output_shape) for layer in truth.layers],
        "params": [layer.params for layer in truth.layers],
        "output_shape": _plain(truth.output_shape),
        "total_params": truth.total_params,
        "trainable_params": truth.trainable_params,
        "non_trainable_params": truth.non_trainable_params,
    }


def _checker_side(summary: dict[str, Any]) -> dict[str, Any]:
    layers = summary["layers"]
    return {
        "names": [layer["name"] for layer in layers],
        "types": [layer["type"] for layer in layers],
        "output_shapes": [_plain(layer["output_shape"]) for layer in layers],
        "params": [layer["params"] for layer in layers],
        "output_shape": _plain(summary["output_shape"]),
        "total_params": summary["total_params"],
        "trainable_params": summary["trainable_params"],
        "non_trainable_params": summary["non_trainable_params"],
    }


def _table(keras_side: dict[str, Any], checker_side: dict[str, Any]) -> str:
    """A stage-by-stage listing of both sides, for failure messages."""
    rows = []
    n = max(len(keras_side["types"]), len(checker_side["types"]))
    for i in range(n):
        k = [keras_side[key][i] if i < len(keras_side[key]) else "-" for key in _PER_LAYER]
        c = [checker_side[key][i] if i < len(checker_side[key]) else "-" for key in _PER_LAYER]
        mark = "  " if k == c else "!="
        rows.append(f"  {mark} stage {i + 1}: keras {k}\n              checker {c}")
    for key in _TOTALS:
        mark = "  " if keras_side[key] == checker_side[key] else "!="
        rows.append(f"  {mark} {key}: keras {keras_side[key]} | checker {checker_side[key]}")
    return "\n".join(rows)


_PER_LAYER = ("names", "types", "output_shapes", "params")
_TOTALS = ("output_shape", "total_params", "trainable_params", "non_trainable_params")


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_checker_agrees_with_keras(
    case: Case, truth_of: Callable[[Case], Truth], check: Callable[..., Any]
) -> None:
    truth = truth_of(case)
    res = check(case.arch, path=case.id)
    where = f"{case.id}:\n{case.arch}\n"

    if case.stricter is not None:
        assert truth.built, (
            f"{where}stricter case, so Keras should build it ({case.stricter}), "
            f"but Keras failed at stage {truth.fail_stage}: {truth.error}"
        )
        assert not res.ok, (
            f"{where}Keras builds it, and the checker should reject it on purpose "
            f"({case.stricter}), but the checker accepted it; diagnostics:\n{_diagnostics(res)}"
        )
        return

    if truth.ok:
        assert res.ok, (
            f"{where}Keras builds it (output {truth.output_shape}, {truth.total_params} params), "
            f"but the checker reports errors:\n{_diagnostics(res)}"
        )
        keras_side, checker_side = _keras_side(truth), _checker_side(res.summary)
        assert keras_side == checker_side, (
            f"{where}shapes/params differ (keras vs checker):\n{_table(keras_side, checker_side)}"
        )
        # Keras warns (UserWarning) where a layer destroys a mask; the checker says W501 there.
        warned = tuple(d.stage for d in res.diagnostics if d.code == "W501")
        assert warned == truth.mask_lost, (
            f"{where}Keras lost the mask at stages {truth.mask_lost}, "
            f"the checker warned at {warned}"
        )
        return

    assert not res.ok, (
        f"{where}Keras fails at stage {truth.fail_stage} ({truth.error}), "
        f"but the checker accepted it with summary {res.summary}"
    )
    first = next(d for d in res.diagnostics if d.severity == "error")
    assert first.stage is not None and first.stage <= truth.fail_stage, (
        f"{where}Keras fails at stage {truth.fail_stage} ({truth.error}), but the checker's "
        f"first error points at stage {first.stage}:\n{_diagnostics(res)}"
    )


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate case ids: {duplicates}"


@pytest.mark.keras
def test_a_quarter_of_cases_are_invalid_in_keras(truth_of: Callable[[Case], Truth]) -> None:
    invalid = [case.id for case in CASES if not truth_of(case).ok]
    assert 4 * len(invalid) >= len(CASES), (
        f"only {len(invalid)} of {len(CASES)} cases fail in Keras (need at least a quarter)"
    )
