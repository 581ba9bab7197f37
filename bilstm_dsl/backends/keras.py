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
import importlib
import os
import types
from collections.abc import Collection
from pathlib import Path
from typing import Any

import keras

from ..layers import snake_case
from ..model import CheckResult
from ..opaque import import_refused
from .graph_plan import GraphPlan, Ref
from .plan import Call, plan


def _instantiate(value: Any) -> Any:
    if isinstance(value, list):  # a list of layers: ``StackedRNNCells([...])``
        return [_instantiate(v) for v in value]
    if not isinstance(value, Call):
        return value
    if value.origin is not None:  # a plugin's class, or an opaque one the user allowed
        cls = getattr(importlib.import_module(value.origin), value.cls)
    else:
        cls = getattr(getattr(keras, value.module), value.cls)
    args = [_instantiate(a) for a in value.args]
    kwargs = {k: _instantiate(v) for k, v in value.kwargs.items()}
    layer = cls(*args, **kwargs)
    if value.module != "layers":  # an argument object: its config is Keras's own
        return layer
    if value.named_by_keras:
        keras.backend.get_uid(snake_case(value.cls))  # as Keras counts a name it gives
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
    config leaves out (see the module docstring); Keras's value wins wherever it has one.

    Which arguments a class's config leaves out is asked of its first layer written with
    those arguments, then remembered (`_LEFT_OUT`): a recurrent layer's config costs about
    a millisecond to make, a few per cent of building the model, and a process that builds
    models one after another (a notebook, a search over sizes) would pay it each time. The
    method is replaced only where something is left out: a layer with a method of its
    own is serialized differently by Keras (its default config is read off the
    constructor's arguments only for a class whose `get_config` is Keras's own)."""
    keys = frozenset(k for k, v in written.items() if not isinstance(v, Call))
    if not keys:
        return
    seen = (type(layer), keys)
    left_out = _LEFT_OUT.get(seen)
    if left_out is None:
        config = layer.get_config()
        left_out = _LEFT_OUT[seen] = frozenset(k for k in keys if k not in config)
    if not left_out:
        return
    extras = {k: written[k] for k in left_out}
    original = layer.get_config

    def get_config(self: Any) -> dict[str, Any]:
        config = original()
        return {**config, **{k: v for k, v in extras.items() if k not in config}}

    layer.get_config = types.MethodType(get_config, layer)


_LEFT_OUT: dict[tuple[type, frozenset[str]], frozenset[str]] = {}
"""Per layer class and set of arguments written, those its config leaves out."""


def _tensors(env: dict[str, Any], value: Any) -> Any:
    if isinstance(value, Ref):
        found = env[value.var]
        return found if value.index is None else found[value.index]
    if isinstance(value, tuple):
        return [_tensors(env, v) for v in value]
    return value


def _build_graph(steps: GraphPlan) -> keras.Model:
    env: dict[str, Any] = {}
    for line in steps.lines:
        if line.kind == "input":
            assert line.call is not None
            made: Any = keras.Input(**line.call.kwargs)
        elif line.kind == "layer":
            made = _instantiate(line.call)
        else:
            layer = env[line.layer] if line.call is None else _instantiate(line.call)
            args = [_tensors(env, a) for a in line.args]
            kwargs = {k: _tensors(env, v) for k, v in line.call_kwargs.items()}
            made = layer(*args, **kwargs)
            if line.flatten:
                made = keras.tree.flatten(made)
        if len(line.targets) == 1:
            env[line.targets[0]] = list(made) if isinstance(made, tuple) else made
        else:
            for target, value in zip(line.targets, made):
                env[target] = value
    inputs = [_tensors(env, r) for r in steps.inputs]
    outputs = [_tensors(env, r) for r in steps.outputs]
    return keras.Model(
        inputs=inputs if len(inputs) > 1 else inputs[0],
        outputs=outputs if len(outputs) > 1 else outputs[0],
        name=steps.name,
    )


def build_model(
    result: CheckResult, name: str, strategy: Any = None, allow_import: Collection[str] = ()
) -> keras.Model:
    """The `keras.Model` of a checked spec (``result.ok`` must be true), built inside
    ``strategy.scope()`` when a ``tf.distribute`` strategy is given. An opaque layer's
    module is imported only when ``allow_import`` names it (docs/plugins.md says why)."""
    problem = import_refused(result, allow_import)
    if problem:
        raise ValueError(problem)
    steps = plan(result, name)
    scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
    if isinstance(steps, GraphPlan):
        with scope:
            return _build_graph(steps)
    with scope:
        inputs = keras.Input(**steps.input)
        x: Any = inputs
        for step in steps.steps:
            x = _instantiate(step.call)(x, **step.call_kwargs)
        if isinstance(x, tuple):
            x = list(x)
        return keras.Model(inputs, x, name=steps.name)


def save_model(model: keras.Model, path: str | os.PathLike[str]) -> None:
    """Save in Keras's native format (the path must end in ``.keras``)."""
    model.save(Path(path))
