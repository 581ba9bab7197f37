"""The Keras backend: the only module of the package that imports ``keras``.

Imported lazily (by `bilstm_dsl.build` and `bilstm-dsl compile`), so checking never pays
for TensorFlow. Models are built with the functional API, layer by layer from the plan in
`plan`: nothing from the spec is evaluated; values are parsed, validated and passed as
Python constants.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import keras

from ..checker import CheckResult
from .plan import Call, plan


def _instantiate(value: Any) -> Any:
    if isinstance(value, Call):
        cls = getattr(keras.layers, value.cls)
        args = [_instantiate(a) for a in value.args]
        kwargs = {k: _instantiate(v) for k, v in value.kwargs.items()}
        return cls(*args, **kwargs)
    return value


def build_model(result: CheckResult, name: str, strategy: Any = None) -> keras.Model:
    """The `keras.Model` of a checked spec (``result.ok`` must be true), built inside
    ``strategy.scope()`` when a ``tf.distribute`` strategy is given."""
    steps = plan(result, name)
    scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
    with scope:
        inputs = keras.Input(**steps.input)
        x: Any = inputs
        for step in steps.steps:
            x = _instantiate(step.call)(x)
        if isinstance(x, tuple):
            x = list(x)
        return keras.Model(inputs, x, name=steps.name)


def save_model(model: keras.Model, path: str | os.PathLike[str]) -> None:
    """Save in Keras's native format (the path must end in ``.keras``)."""
    model.save(Path(path))
