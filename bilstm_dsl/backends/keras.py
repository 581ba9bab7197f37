"""The Keras backend: the only module of the package that imports ``keras``.

Imported lazily (by `bilstm_dsl.build` and `bilstm-dsl compile`), so checking never pays
for TensorFlow. Models are built with the functional API, layer by layer from the plan in
`plan`: nothing from the spec is evaluated; values are parsed, validated and passed as
Python constants.

Keras leaves a few constructor arguments out of ``get_config()``: ``use_cudnn`` of LSTM and
GRU (on purpose: keras-team/keras#21533), ``seed`` of SimpleRNN. A model saved as ``.keras``
or printed with ``to_json()`` would silently lose them, and so would the two copies that
``Bidirectional`` rebuilds from the wrapped layer's config. So every layer built here
states in its config each argument the spec wrote (`_keep_in_config`); ``from_config``
takes them back, so the file still loads in plain Keras, safe mode included.
"""

from __future__ import annotations

import contextlib
import os
import types
from pathlib import Path
from typing import Any

import keras

from ..model import CheckResult
from .plan import Call, plan


def _instantiate(value: Any) -> Any:
    if not isinstance(value, Call):
        return value
    cls = getattr(keras.layers, value.cls)
    args = [_instantiate(a) for a in value.args]
    kwargs = {k: _instantiate(v) for k, v in value.kwargs.items()}
    layer = cls(*args, **kwargs)
    _keep_in_config(layer, value.kwargs)
    if value.cls == "Bidirectional":
        # Keras rebuilds both directions from the wrapped layer's config (a backward layer
        # given by hand is kept as it is): the copies must keep what the spec wrote too.
        wrapped = value.args[0] if value.args else value.kwargs["layer"]
        assert isinstance(wrapped, Call)
        _keep_in_config(layer.forward_layer, wrapped.kwargs)
        if "backward_layer" not in value.kwargs:
            _keep_in_config(layer.backward_layer, wrapped.kwargs)
    return layer


def _keep_in_config(layer: Any, written: dict[str, object]) -> None:
    """Make ``layer.get_config()`` include every argument in ``written`` that Keras's own
    config leaves out (see the module docstring); Keras's value wins wherever it has one."""
    config = layer.get_config()
    extras = {k: v for k, v in written.items() if k not in config and not isinstance(v, Call)}
    if not extras:
        return

    def get_config(self: Any) -> dict[str, Any]:
        config = type(self).get_config(self)
        return {**config, **{k: v for k, v in extras.items() if k not in config}}

    layer.get_config = types.MethodType(get_config, layer)


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
