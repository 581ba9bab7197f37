"""Build each corpus case in Keras, one stage at a time, and record what Keras did.

A case's layers are written against the proxy `L`: `L.LSTM(32, return_sequences=True)`
records the class name and arguments without touching Keras. `keras_truth` turns those
records into real layers stage by stage, so a failure (at construction or at call) is
pinned to its stage index: 0 is the input, ``i`` is ``model.layers[i]``.

Keras is imported inside `keras_truth` only, so importing this module stays cheap.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Shape = list  # [None, 20, 64], or a list of such lists for a stage with several outputs


@dataclass(frozen=True)
class Deferred:
    """A Keras layer call written down but not made: class name and arguments."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"L.{self.name}({', '.join(parts)})"


class LayerProxy:
    """`L.Anything(*args, **kwargs)` returns `Deferred("Anything", args, kwargs)`."""

    def __getattr__(self, name: str) -> Callable[..., Deferred]:
        if name.startswith("_"):
            raise AttributeError(name)

        def record(*args: Any, **kwargs: Any) -> Deferred:
            return Deferred(name, args, kwargs)

        return record


L = LayerProxy()


@dataclass(frozen=True)
class Case:
    """One model written twice: as `.arch` text and as hand-written Keras layers.

    ``stricter`` is None, or why the checker rejects a spec that Keras builds.
    """

    id: str
    arch: str
    inputs: dict[str, Any]
    layers: Callable[[LayerProxy], list[Deferred]]
    stricter: str | None = None

    def deferred(self) -> list[Deferred]:
        """The case's layers as `Deferred` records."""
        return self.layers(L)


@dataclass(frozen=True)
class LayerTruth:
    """What Keras reports for one stage after the input."""

    type: str
    output_shape: Shape
    params: int
    name: str = ""
    """The name Keras gave the layer (its counters restart with every case)."""


@dataclass(frozen=True)
class Truth:
    """Keras's verdict on a case: the built model's numbers, or where and why it failed."""

    ok: bool
    """Keras builds the model and calling it on data works and gives the declared shapes."""
    built: bool = False
    """Keras builds the model (the symbolic pass), whether or not calling it then works."""
    layers: tuple[LayerTruth, ...] = ()
    output_shape: Shape | None = None
    total_params: int | None = None
    trainable_params: int | None = None
    non_trainable_params: int | None = None
    fail_stage: int | None = None
    error: str | None = None
    mask_lost: tuple[int, ...] = ()
    """Stages where Keras warned that a layer without masking support destroys the mask."""


def materialise(value: Any, layers_module: Any) -> Any:
    """Replace every `Deferred` in ``value`` (recursively) by the Keras layer it names."""
    if isinstance(value, Deferred):
        args = [materialise(a, layers_module) for a in value.args]
        kwargs = {k: materialise(v, layers_module) for k, v in value.kwargs.items()}
        return getattr(layers_module, value.name)(*args, **kwargs)
    if isinstance(value, list):
        return [materialise(v, layers_module) for v in value]
    if isinstance(value, tuple):
        return tuple(materialise(v, layers_module) for v in value)
    if isinstance(value, dict):
        return {k: materialise(v, layers_module) for k, v in value.items()}
    return value


def shape_of(tensors: Any) -> Shape:
    """A tensor's shape as a list (batch first), or a list of those for several tensors."""
    if isinstance(tensors, (list, tuple)):
        return [shape_of(t) for t in tensors]
    return list(tensors.shape)


def _size(weights: list[Any]) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def keras_truth(case: Case) -> Truth:
    """Build ``case`` in Keras stage by stage and report shapes and params, or the failure."""
    import keras

    keras.backend.clear_session()
    try:
        inputs = keras.Input(**case.inputs)
    except Exception as exc:  # noqa: BLE001 - any Keras failure is a verdict
        return Truth(ok=False, fail_stage=0, error=_error(exc))
    x: Any = inputs
    truths: list[LayerTruth] = []
    mask_lost: list[int] = []
    for stage, record in enumerate(case.deferred(), start=1):
        try:
            layer = materialise(record, keras.layers)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                x = layer(x)
        except Exception as exc:  # noqa: BLE001
            return Truth(ok=False, fail_stage=stage, error=_error(exc))
        if any("does not support masking" in str(w.message) for w in caught):
            mask_lost.append(stage)
        truths.append(
            LayerTruth(type(layer).__name__, shape_of(x), int(layer.count_params()), layer.name)
        )
    try:
        model = keras.Model(inputs, x)
    except Exception as exc:  # noqa: BLE001
        return Truth(ok=False, fail_stage=len(truths), error=_error(exc))
    called = _call_error(model, case.inputs, shape_of(x))
    if called is not None:
        return Truth(ok=False, built=True, fail_stage=len(truths), error=called)
    return Truth(
        ok=True,
        built=True,
        layers=tuple(truths),
        output_shape=shape_of(x),
        total_params=int(model.count_params()),
        trainable_params=_size(model.trainable_weights),
        non_trainable_params=_size(model.non_trainable_weights),
        mask_lost=tuple(mask_lost),
    )


CALL_STEPS = 64
"""Length given to a `None` axis when the model is called on data: long enough for every
conv/pool stack in the corpus."""


_PLATFORM_ONLY = "only supports the NHWC tensor format on the CPU"
"""TensorFlow's CPU refusal of channels_first convolutions, which depends on the machine
(oneDNN runs them on x86): not a verdict on the model."""


def _call_error(model: Any, inputs: dict[str, Any], declared: Any) -> str | None:
    """Call ``model`` on a small batch, as Keras's own layer tests do after building
    (`run_layer_test`): a layer that declares one shape and computes another, or that has
    no kernel for its input, builds symbolically and fails only here. Returns why it
    failed, or None."""
    import numpy as np

    batch = inputs.get("batch_size") or 2
    dims = [CALL_STEPS if d is None else d for d in inputs["shape"]]
    dtype = str(inputs.get("dtype") or "float32")
    if dtype.startswith(("int", "uint")):
        data = np.zeros([batch, *dims], dtype=dtype)
    else:
        data = np.random.default_rng(0).standard_normal([batch, *dims]).astype(dtype)
    try:
        out = model(data, training=False)
    except Exception as exc:  # noqa: BLE001 - any failure is the verdict
        if _PLATFORM_ONLY in str(exc):
            return None  # W503's case: it depends on the machine (tests/backends pin it)
        return "when called: " + _error(exc)
    real = _concrete(shape_of(out))
    expected = _concrete(declared, batch, CALL_STEPS)
    if not _same_shape(expected, real):
        return f"declares {declared} but computes {real} when called"
    return None


def _concrete(shape: Any, batch: int | None = None, steps: int | None = None) -> Any:
    if shape and isinstance(shape[0], list):
        return [_concrete(s, batch, steps) for s in shape]
    if batch is None:
        return list(shape)
    return [batch if i == 0 and d is None else d for i, d in enumerate(shape)]


def _same_shape(expected: Any, real: Any) -> bool:
    """Every known dimension of ``expected`` equals ``real``'s (a `None` past the batch
    depends on the steps given and is not compared)."""
    if expected and isinstance(expected[0], list):
        return len(expected) == len(real) and all(_same_shape(e, r) for e, r in zip(expected, real))
    if not real or isinstance(real[0], list) or len(expected) != len(real):
        return False
    return all(e is None or e == r for e, r in zip(expected, real))
