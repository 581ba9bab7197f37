"""Keras parity for the layers of issue 13 item 3 (`tests/parity/corpus_layers2.py`): the
checker reaches Keras 3's verdict, per-layer shapes and parameter counts, and the layers
`bilstm_dsl.build` compiles have the configs of the layers written by hand. Plus the
registry's coherence: every entry, given only its required arguments, passes its own
shape rule with Keras's defaults as the registry stores them.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import sys
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest

try:
    from tests.parity import harness
    from tests.parity.corpus_layers2 import CASES_LAYERS2
    from tests.test_parity import _checker_side, _diagnostics, _keras_side, _table
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity import harness  # type: ignore[no-redef]
    from parity.corpus_layers2 import CASES_LAYERS2  # type: ignore[no-redef]
    from test_parity import (  # type: ignore[no-redef]
        _checker_side,
        _diagnostics,
        _keras_side,
        _table,
    )

import bilstm_dsl
from bilstm_dsl import values as v
from bilstm_dsl.layers import LAYERS, REQUIRED, LayerSpec
from bilstm_dsl.shapes import ShapeError

Case = harness.Case
IDS = [case.id for case in CASES_LAYERS2]

NOT_ARCHITECTURE = ("Table not initialized", "you must set the layer's vocabulary")
"""A TextVectorization without a vocabulary builds, but calling it before ``adapt()`` fails:
that is data the model has not seen yet, not a verdict on the model."""


def _string_call_error(model: Any, inputs: dict[str, Any], declared: Any) -> str | None:
    """The harness's call check for string inputs (it draws random floats otherwise)."""
    if str(inputs.get("dtype")) != "string":
        return _CALL_ERROR(model, inputs, declared)
    import numpy as np

    data = np.full([2, *inputs["shape"]], "the cat sat on the mat", dtype=object)
    try:
        out = model(data, training=False)
    except Exception as exc:  # noqa: BLE001 - any failure is the verdict
        error = f"{type(exc).__name__}: {exc}"
        return None if any(s in error for s in NOT_ARCHITECTURE) else "when called: " + error
    real = harness._concrete(harness.shape_of(out))
    if not harness._same_shape(harness._concrete(declared, 2, None), real):
        return f"declares {declared} but computes {real} when called"
    return None


_CALL_ERROR = harness._call_error


@pytest.fixture(scope="module")
def truths(keras) -> dict[str, Any]:
    return {}


def _truth(truths: dict[str, Any], case: Case) -> Any:
    if case.id not in truths:
        with mock.patch.object(harness, "_call_error", _string_call_error):
            truths[case.id] = harness.keras_truth(case)
    return truths[case.id]


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES_LAYERS2, ids=IDS)
def test_checker_agrees_with_keras(case: Case, truths: dict[str, Any]) -> None:
    truth = _truth(truths, case)
    res = bilstm_dsl.check(case.arch, path=case.id)
    where = f"{case.id}:\n{case.arch}\n"
    if not truth.ok:
        assert not res.ok, f"{where}Keras fails ({truth.error}), the checker accepts it"
        first = next(d for d in res.diagnostics if d.severity == "error")
        assert first.stage is not None and first.stage <= truth.fail_stage, (
            f"{where}Keras fails at stage {truth.fail_stage}: {truth.error}\n{_diagnostics(res)}"
        )
        return
    assert res.ok, f"{where}Keras builds it, but:\n{_diagnostics(res)}"
    keras_side, checker_side = _keras_side(truth), _checker_side(res.summary)
    assert keras_side == checker_side, f"{where}{_table(keras_side, checker_side)}"
    warned = tuple(d.stage for d in res.diagnostics if d.code == "W501")
    assert warned == truth.mask_lost, f"{where}Keras lost the mask at {truth.mask_lost}"


def test_the_corpus_is_large_and_a_quarter_is_refused() -> None:
    assert len(CASES_LAYERS2) >= 60
    assert len(set(IDS)) == len(IDS)
    refused = [case for case in CASES_LAYERS2 if not bilstm_dsl.check(case.arch).ok]
    assert 4 * len(refused) >= len(CASES_LAYERS2)


def _valid(case: Case) -> bool:
    return bilstm_dsl.check(case.arch).ok


VALID = [case for case in CASES_LAYERS2 if _valid(case)]


def _configs(model: Any) -> list[dict[str, Any]]:
    return [layer.get_config() for layer in model.layers[1:]]


@pytest.mark.keras
@pytest.mark.parametrize("case", VALID, ids=[case.id for case in VALID])
def test_compiled_layers_have_the_hand_written_configs(case: Case, keras) -> None:
    keras.backend.clear_session()
    inputs = keras.Input(**case.inputs)
    x = inputs
    for record in case.deferred():
        x = harness.materialise(record, keras.layers)(x)
    expected = _configs(keras.Model(inputs, x))
    keras.backend.clear_session()
    built = _configs(bilstm_dsl.build(case.arch))
    assert len(built) == len(expected), case.id
    for ours, theirs in zip(built, expected):
        # `build` states in a config the arguments Keras leaves out (backends/keras.py)
        ours = {k: val for k, val in ours.items() if k in theirs}
        assert ours == theirs, case.id


# -- registry coherence: only the required arguments, Keras's defaults for the rest

REQUIRED_VALUES: dict[str, object] = {
    "units": 4,
    "filters": 2,
    "kernel_size": 3,
    "rate": 0.5,
    "stddev": 0.1,
    "n": 2,
    "input_dim": 10,
    "output_dim": 4,
    "pool_size": 2,
    "num_tokens": 5,
    "activation": "relu",
    "target_shape": (-1,),
    "axes": -1,
    "num_heads": 2,
    "key_dim": 4,
}
"""A value for each argument some layer requires (the layer-valued ones are built below)."""


@dataclass
class Resolved:
    """A layer with Keras's defaults and the given arguments, as the shape rules see it."""

    spec: LayerSpec
    args: dict[str, object]
    inner: Resolved | None = None
    backward: Resolved | None = None

    @property
    def written(self) -> str:
        return f"{self.spec.name}(...)"

    @property
    def keras_class(self) -> str:
        return self.spec.keras_class

    def get(self, name: str) -> object:
        if name in self.args:
            return self.args[name]
        return self.spec.defaults.get(name)


KERAS_REQUIRES = {"categoryencoding": {"num_tokens": 5}}
"""Arguments whose signature default (None) Keras's constructor refuses ("num_tokens must be
set"): given here as the user must give them."""


def _with_required(spec: LayerSpec) -> Resolved | None:
    args: dict[str, object] = dict(KERAS_REQUIRES.get(spec.name, {}))
    inner = None
    for param in spec.required:
        if param.type in (v.LAYER, v.OPT_LAYER):
            inner_name = (
                "lstm" if spec.family == "wrapper" and spec.name != "timedistributed" else "dense"
            )
            if spec.family == "recurrent":  # `rnn(cell)`
                inner_name = "lstmcell"
            inner = _with_required(LAYERS[inner_name])
        elif param.name in REQUIRED_VALUES:
            args[param.name] = REQUIRED_VALUES[param.name]
        else:
            return None
    return Resolved(spec, args, inner)


CANDIDATE_INPUTS = [
    (None, 12, 6),
    (None, 6),
    (None, 12, 12, 6),
    (None, 8, 8, 8, 6),
    (None, 4, 8, 8, 8, 6),
    (None, 1),
]


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_every_entry_passes_its_rule_with_only_its_required_arguments(name: str) -> None:
    spec = LAYERS[name]
    if spec.family == "cell":
        pytest.skip("a cell steps only inside `rnn(...)`, whose entry runs it")
    layer = _with_required(spec)
    if layer is None:
        missing = [p.name for p in spec.required if p.name not in REQUIRED_VALUES]
        pytest.skip(f"no stand-in value for the required {missing} yet")
    assert all(p.default is REQUIRED or p.name in spec.defaults for p in spec.params)
    errors = []
    for shape in CANDIDATE_INPUTS:
        inputs = (shape, shape) if spec.inputs != "one" else (shape,)
        try:
            out = spec.rule(layer, inputs)
        except ShapeError as error:
            errors.append(f"{shape}: {error.message}")
            continue
        except Exception as error:  # noqa: BLE001 - a crash is the failure looked for
            pytest.fail(f"{name} with defaults crashed on {shape}: {error!r}")
        assert out.shapes and out.trainable >= 0, name
        return
    pytest.fail(f"{name} with defaults fits no input:\n" + "\n".join(errors))


if "pytest" not in sys.modules:  # pragma: no cover
    raise SystemExit("run with pytest")
