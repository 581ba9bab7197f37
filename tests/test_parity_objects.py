"""Keras parity for argument objects and Keras 2 arguments (`tests/parity/corpus_objects.py`):
the checker reaches Keras 3's verdict, shapes and parameter counts, and what the backends
build (the Keras model, the emitted Python, JSON and `.keras`) holds the same configs as
the layers written by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from typing import Any

import pytest

try:
    from tests.parity.corpus_objects import CASES_OBJECTS, make
    from tests.parity.harness import Case, keras_truth
    from tests.test_parity import _checker_side, _diagnostics, _keras_side, _table
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus_objects import CASES_OBJECTS, make  # type: ignore[no-redef]
    from parity.harness import Case, keras_truth  # type: ignore[no-redef]
    from test_parity import (  # type: ignore[no-redef]
        _checker_side,
        _diagnostics,
        _keras_side,
        _table,
    )

import bilstm_dsl

IDS = [case.id for case in CASES_OBJECTS]
KEPT = {"implementation"}
"""Arguments Keras leaves out of ``get_config()`` that the compiled layer keeps in it
(`bilstm_dsl.backends.keras._keep_in_config`), so a saved model does not lose them."""


@pytest.fixture(scope="module")
def truths(keras) -> dict[str, Any]:
    return {}


def _truth(truths: dict[str, Any], case: Case) -> Any:
    if case.id not in truths:
        truths[case.id] = keras_truth(case)
    return truths[case.id]


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES_OBJECTS, ids=IDS)
def test_checker_agrees_with_keras(case: Case, truths: dict[str, Any]) -> None:
    truth = _truth(truths, case)
    res = bilstm_dsl.check(case.arch, path=case.id)
    where = f"{case.id}:\n{case.arch}\n"
    if case.stricter is not None:
        assert truth.built, f"{where}Keras should build it: {truth.error}"
        assert not res.ok, f"{where}the checker should refuse it ({case.stricter})"
        return
    if not truth.ok:
        assert not res.ok, f"{where}Keras fails ({truth.error}), the checker accepts it"
        first = next(d for d in res.diagnostics if d.severity == "error")
        assert first.stage == truth.fail_stage, f"{where}{truth.error}\n{_diagnostics(res)}"
        return
    assert res.ok, f"{where}Keras builds it, but:\n{_diagnostics(res)}"
    keras_side, checker_side = _keras_side(truth), _checker_side(res.summary)
    assert keras_side == checker_side, f"{where}{_table(keras_side, checker_side)}"


def test_the_corpus_has_cases_keras_refuses() -> None:
    refused = [case for case in CASES_OBJECTS if not bilstm_dsl.check(case.arch).ok]
    assert len(refused) >= len(CASES_OBJECTS) // 4
    assert len({case.id for case in CASES_OBJECTS}) == len(CASES_OBJECTS)


def _valid(case: Case) -> bool:
    return case.stricter is None and bilstm_dsl.check(case.arch).ok


VALID = [case for case in CASES_OBJECTS if _valid(case)]


def _by_hand(case: Case, keras: Any) -> Any:
    keras.backend.clear_session()
    inputs = keras.Input(**case.inputs)
    x = inputs
    for layer in make(case.deferred(), keras):
        x = layer(x)
    return keras.Model(inputs, x)


def _layer_configs(model: Any) -> list[dict[str, Any]]:
    return [layer.get_config() for layer in model.layers[1:]]


def _kept_removed(ours: Any, theirs: Any) -> Any:
    """``ours`` without the `KEPT` keys ``theirs`` lacks, at any depth (a model's config
    holds its layers', a wrapper's its layer's)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return {
            k: _kept_removed(v, theirs.get(k))
            for k, v in ours.items()
            if k in theirs or k not in KEPT
        }
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [_kept_removed(a, b) for a, b in zip(ours, theirs)]
    return ours


def _same_configs(built: list[dict], expected: list[dict], where: str) -> None:
    assert len(built) == len(expected), where
    for ours, theirs in zip(built, expected):
        assert _kept_removed(ours, theirs) == theirs, where


@pytest.mark.keras
@pytest.mark.parametrize("case", VALID, ids=[case.id for case in VALID])
def test_compiled_layers_have_the_hand_written_configs(case: Case, keras) -> None:
    expected = _layer_configs(_by_hand(case, keras))
    keras.backend.clear_session()
    built = bilstm_dsl.build(case.arch)
    _same_configs(_layer_configs(built), expected, case.id)


# One spec with an object of every kind, for the slower round trips.
EVERY_KIND = (
    "input(20, 3) -> lstm(8, kernel_regularizer=l2(0.001), "
    "recurrent_initializer=orthogonal(gain=1.0, seed=1), kernel_constraint=max_norm(3), "
    "implementation=1, seq) -> conv1d(4, 3, kernel_initializer=variance_scaling(scale=2.0, "
    "mode=fan_avg, distribution=uniform, seed=2), bias_constraint=min_max_norm(0.1, "
    "max_value=2, axis=[0])) -> dense(1, bias_initializer=constant(0.5), "
    "kernel_regularizer=l1l2(l1=0.01))"
)


@pytest.mark.keras
def test_emitted_python_writes_the_objects_and_builds_the_same_model(keras, tmp_path) -> None:
    source = bilstm_dsl.to_python(EVERY_KIND, name="m")
    assert "keras.regularizers.L2(0.001)" in source
    assert "keras.initializers.Orthogonal(gain=1.0, seed=1)" in source
    assert "keras.constraints.MaxNorm(3)" in source
    assert "keras.constraints.MinMaxNorm(0.1, max_value=2, axis=[0])" in source
    script = tmp_path / "model.py"
    script.write_text(source + "\nimport json\nprint(json.dumps(model.get_config()))\n")
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    emitted = json.loads(run.stdout.strip().splitlines()[-1])
    keras.backend.clear_session()
    built = bilstm_dsl.build(EVERY_KIND, name="m")
    # The emitted code is plain Keras: its config leaves out what Keras leaves out.
    assert _kept_removed(json.loads(json.dumps(built.get_config())), emitted) == emitted


@pytest.mark.keras
def test_json_and_keras_files_keep_the_objects(keras, tmp_path) -> None:
    keras.backend.clear_session()
    built = bilstm_dsl.build(EVERY_KIND, name="m")
    again = keras.models.model_from_json(built.to_json())
    _same_configs(_layer_configs(built), _layer_configs(again), "json")
    built.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    _same_configs(_layer_configs(built), _layer_configs(loaded), ".keras")
    for model in (again, loaded):
        lstm = model.layers[1]
        assert type(lstm.kernel_regularizer) is keras.regularizers.L2
        assert lstm.cell.implementation == 1  # from the config, though Keras drops it again
