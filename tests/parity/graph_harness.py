"""Build each graph case in Keras, one stage at a time, and record what Keras did.

A graph case's Keras side is hand-written functional code against a `Builder` ``k``:
``k.Input(shape=...)``, ``k.LSTM(8, return_state=True)(x)``, ``k.Concatenate()([a, b])``,
``k.MultiHeadAttention(2, 4)(q, v)``, ``k.Model(inputs, outputs)``. The builder makes the
real Keras objects and numbers the stages as the checker does, in the order they are
written: every ``input(...)``, every arrow, and every layer named alone to be shared
(``shared = k.define(k.LSTM(8))``, whose every call is then a stage of its own). A failure,
when a layer is made or called, is pinned to its stage; a Python error between calls
(unpacking, indexing) to the last stage made; a failure of ``keras.Model(...)`` to the last
stage as well. Layers wrapped in others are written with the proxy `L` (``k.Bidirectional(
L.LSTM(8))``), so that making them is part of their wrapper's stage.

For every stage the harness records what Keras's functional summary reads
(``keras/src/utils/summary_utils.py``): the layer's name and class, the node's output
shapes and its input tensors as ``name[node_index][tensor_index]`` (``get_connections``),
and the weights, counted at a layer's first call. The built model is then called on data,
and every tensor of the model is computed on that call (a probe model with every node's
outputs), so a layer that declares one shape and computes another is caught.

Keras is imported inside `graph_truth` only, so importing this module stays cheap.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .harness import Deferred, L, materialise

CALL_STEPS = 4
"""Length given to a `None` axis when a model is called on data. Every input gets the same
length: Keras builds merges of two variable-length tensors, which then work whenever the
lengths agree."""

CALL_BATCH = 2


@dataclass(frozen=True)
class GraphCase:
    """One graph written twice: as `.arch` text and as hand-written Keras functional code.

    ``stricter`` is None, or why the checker rejects a spec that Keras builds and runs.
    ``keras_bug`` is None, or why Keras declares a shape it does not compute (the checker
    must give the shape computed).
    ``code`` is the first error code the checker must give for a spec it rejects (Keras's
    message has no code; this pins that the checker rejects it for the right reason).
    """

    id: str
    arch: str
    keras: Callable[[Builder], Any]
    stricter: str | None = None
    code: str | None = None
    keras_bug: str | None = None


class _Failed(Exception):
    def __init__(self, stage: int, where: str, exc: BaseException) -> None:
        super().__init__(f"{where}: {type(exc).__name__}: {exc}")
        self.stage = stage
        self.where = where


@dataclass
class _Stage:
    """What the builder saw at one stage."""

    index: int
    kind: str
    """``input``, ``define`` (a layer named alone, made but not called), or ``call``."""
    layer: Any
    node: int | None = None
    outputs: list[Any] = field(default_factory=list)
    first_call: bool = True
    mask_lost: bool = False


class _Layer:
    """A Keras layer made by the builder; calling it is a stage (its own, the first time,
    unless it was named alone with `Builder.define`)."""

    def __init__(self, builder: Builder, layer: Any, stage: int) -> None:
        self.builder, self.layer, self.stage = builder, layer, stage
        self.defined = False
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        builder = self.builder
        if self.calls == 0 and not self.defined:
            stage = self.stage
        else:
            stage = builder.next_stage()
        self.calls += 1
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = self.layer(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any Keras failure is a verdict
            raise _Failed(stage, "call", exc) from exc
        lost = any("does not support masking" in str(w.message) for w in caught)
        flat = list(out) if isinstance(out, (list, tuple)) else [out]
        builder.stages[stage] = _Stage(
            stage,
            "call",
            self.layer,
            len(self.layer._inbound_nodes) - 1,
            flat,
            first_call=self.calls == 1,
            mask_lost=lost,
        )
        return out


class Builder:
    """The ``k`` a case's Keras code is written against; see the module docstring."""

    def __init__(self, keras: Any) -> None:
        self.keras = keras
        self.stage = -1
        self.stages: dict[int, _Stage] = {}
        self.model: Any = None

    def next_stage(self) -> int:
        self.stage += 1
        return self.stage

    def Input(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - Keras's own name
        stage = self.next_stage()
        try:
            x = self.keras.Input(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            raise _Failed(stage, "input", exc) from exc
        self.stages[stage] = _Stage(stage, "input", x._keras_history.operation, 0, [x])
        return x

    def define(self, layer: _Layer) -> _Layer:
        """``shared = dense(4)``: the layer is made on its own line, called later."""
        layer.defined = True
        self.stages[layer.stage] = _Stage(layer.stage, "define", layer.layer)
        return layer

    def Model(self, inputs: Any, outputs: Any) -> Any:  # noqa: N802 - Keras's own name
        try:
            self.model = self.keras.Model(inputs, outputs)
        except Exception as exc:  # noqa: BLE001
            raise _Failed(self.stage, "model", exc) from exc
        return self.model

    def __getattr__(self, name: str) -> Callable[..., _Layer]:
        if name.startswith("_") or not name[:1].isupper():
            raise AttributeError(name)

        def make(*args: Any, **kwargs: Any) -> _Layer:
            stage = self.next_stage()
            try:
                record = Deferred(name, args, kwargs)
                layer = materialise(record, self.keras.layers)
            except Exception as exc:  # noqa: BLE001
                raise _Failed(stage, "make", exc) from exc
            return _Layer(self, layer, stage)

        return make


@dataclass(frozen=True)
class StageTruth:
    """Keras's numbers for one stage: a call of a layer, or an input."""

    index: int
    name: str
    type: str
    node: int
    shapes: tuple
    """The node's output shapes, one per tensor."""
    connected: tuple[str, ...]
    """The node's input tensors made by layers, as ``name[node][tensor]``."""
    masks: tuple[str, ...]
    """The node's input tensors made by an operation that is not a layer: the Keras masks
    that travel with the inputs (``not_equal``, ``logical_or``, ``any``, ...), which Keras's
    "Connected to" column lists too."""
    params: int
    """The layer's weights at its first call, 0 at the later ones."""
    in_model: bool
    mask_lost: bool
    computed: tuple | None = None
    """The node's output shapes on a real call (None for a node outside the model)."""


@dataclass(frozen=True)
class Row:
    """One row of Keras's functional summary (``summary_utils.print_summary``)."""

    name: str
    type: str
    output_shape: Any
    params: int
    connected: tuple[str, ...]
    """As ``get_connections`` writes them, masks left out (see `StageTruth.masks`)."""


@dataclass(frozen=True)
class GraphTruth:
    """Keras's verdict on a graph case."""

    ok: bool
    """Keras builds the model, and calling it on data works and computes every tensor's
    declared shape."""
    built: bool = False
    """Keras builds the model (the symbolic pass), whether or not calling it then works."""
    stages: dict[int, StageTruth] = field(default_factory=dict)
    defined: tuple[int, ...] = ()
    """Stages that make a shared layer without calling it."""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    """The model's outputs, as ``name[node][tensor]``."""
    output_shapes: tuple = ()
    rows: tuple[Row, ...] = ()
    total_params: int | None = None
    trainable_params: int | None = None
    non_trainable_params: int | None = None
    fail_stage: int | None = None
    where: str | None = None
    """Where Keras failed: ``input``, ``make``, ``call``, ``model`` (``keras.Model``),
    ``python`` (unpacking or indexing between calls), ``run`` (calling on data)."""
    error: str | None = None
    misdeclared: tuple[int, ...] = ()
    """Stages where Keras declares one shape and computes another on a real call."""


def _history(tensor: Any) -> tuple[Any, str]:
    h = tensor._keras_history
    return h.operation, f"{h.operation.name}[{h.node_index}][{h.tensor_index}]"


def _size(weights: list[Any]) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


def _relevant(model: Any) -> set[Any]:
    nodes: set[Any] = set()
    for depth in model._nodes_by_depth.values():
        nodes.update(depth)
    return nodes


def _connections(node: Any, layer_class: type) -> tuple[list[str], list[str]]:
    layers, masks = [], []
    for tensor in node.input_tensors:
        op, text = _history(tensor)
        (layers if isinstance(op, layer_class) else masks).append(text)
    return layers, masks


def _shape_of_outputs(outputs: list[Any]) -> Any:
    shapes = [list(t.shape) for t in outputs]
    return shapes[0] if len(shapes) == 1 else shapes


def graph_truth(case: GraphCase) -> GraphTruth:
    """Build ``case`` in Keras and report every stage, or where and why it failed."""
    import keras

    # Names restart; Python's full collection (free_memory) costs more than the case.
    keras.backend.clear_session(free_memory=False)
    k = Builder(keras)
    try:
        case.keras(k)
    except _Failed as failed:
        return GraphTruth(ok=False, fail_stage=failed.stage, where=failed.where, error=str(failed))
    except Exception as exc:  # noqa: BLE001 - unpacking or indexing a layer's outputs
        return GraphTruth(
            ok=False, fail_stage=k.stage, where="python", error=f"{type(exc).__name__}: {exc}"
        )
    model = k.model
    assert model is not None, f"{case.id}: the Keras code must end with k.Model(...)"
    relevant = _relevant(model)
    try:
        computed = _computed(keras, model, k, relevant)
    except Exception as exc:  # noqa: BLE001 - any failure is the verdict
        error = f"when called: {type(exc).__name__}: {exc}"
        return GraphTruth(ok=False, built=True, fail_stage=k.stage, where="run", error=error)
    layer_class = keras.layers.Layer
    stages = {}
    for index, seen in sorted(k.stages.items()):
        if seen.kind == "define":
            continue
        layer = seen.layer
        node = layer._inbound_nodes[seen.node]
        connected, masks = _connections(node, layer_class)
        stages[index] = StageTruth(
            index=index,
            name=layer.name,
            type=type(layer).__name__,
            node=seen.node,
            shapes=tuple(tuple(t.shape) for t in seen.outputs),
            connected=tuple(connected),
            masks=tuple(masks),
            params=int(layer.count_params()) if seen.first_call else 0,
            in_model=node in relevant,
            mask_lost=seen.mask_lost,
            computed=computed.get(index),
        )
    rows = []
    for layer in model.layers:
        connected: list[str] = []
        for node in layer._inbound_nodes:
            if node in relevant:
                connected += _connections(node, layer_class)[0]
        last = layer._inbound_nodes[-1].output_tensors
        rows.append(
            Row(
                layer.name,
                type(layer).__name__,
                _shape_of_outputs(last),
                int(layer.count_params()),
                tuple(connected),
            )
        )
    misdeclared = tuple(
        index
        for index, stage in stages.items()
        if stage.computed is not None and not _agree(stage.shapes, stage.computed)
    )
    outputs = list(model.outputs)
    return GraphTruth(
        ok=not misdeclared,
        built=True,
        stages=stages,
        defined=tuple(i for i, s in k.stages.items() if s.kind == "define"),
        inputs=tuple(_history(x)[0].name for x in model.inputs),
        outputs=tuple(_history(x)[1] for x in outputs),
        output_shapes=tuple(tuple(x.shape) for x in outputs),
        rows=tuple(rows),
        total_params=int(model.count_params()),
        trainable_params=_size(model.trainable_weights),
        non_trainable_params=_size(model.non_trainable_weights),
        misdeclared=misdeclared,
        fail_stage=misdeclared[0] if misdeclared else None,
        where="run" if misdeclared else None,
        error=f"declares one shape and computes another at stages {misdeclared}"
        if misdeclared
        else None,
    )


def _data(model: Any) -> list[Any]:
    """A small batch for every input of ``model``: random floats, or ids 0 and 1 (an
    embedding with ``mask_zero`` then masks some steps and keeps others)."""
    import numpy as np

    rng = np.random.default_rng(0)
    data = []
    for x in model.inputs:
        dims = [CALL_STEPS if d is None else d for d in x.shape[1:]]
        batch = x.shape[0] or CALL_BATCH
        dtype = str(x.dtype)
        if dtype.startswith(("int", "uint")):
            data.append(rng.integers(0, 2, [batch, *dims]).astype(dtype))
        else:
            data.append(rng.standard_normal([batch, *dims]).astype(dtype))
    return data


def _computed(keras: Any, model: Any, k: Builder, relevant: set[Any]) -> dict[int, tuple]:
    """Call the model on data: every stage's output shapes on that call. One call of a
    probe model, on the model's inputs, whose outputs are the outputs of every node of the
    model (its own outputs among them): the same operations as calling the model, with
    every tensor kept."""
    probed = [
        (index, seen.outputs)
        for index, seen in sorted(k.stages.items())
        if seen.kind == "call" and seen.layer._inbound_nodes[seen.node] in relevant
    ]
    tensors = [t for _, outputs in probed for t in outputs]
    data = _data(model)
    if not tensors:
        model(keras.tree.pack_sequence_as(model._inputs_struct, data), training=False)
        return {}
    probe = keras.Model(model.inputs, tensors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # masks lost: recorded when the model was built
        values = probe(keras.tree.pack_sequence_as(probe._inputs_struct, data), training=False)
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    shapes: dict[int, tuple] = {}
    position = 0
    for index, outputs in probed:
        count = len(outputs)
        shapes[index] = tuple(tuple(v.shape) for v in values[position : position + count])
        position += count
    return shapes


def _agree(declared: tuple, computed: tuple) -> bool:
    """Whether every shape computed has the declared rank and every declared size (the
    batch and `None` axes depend on the data)."""
    return len(declared) == len(computed) and all(
        len(d) == len(c) and all(a is None or a == b for a, b in zip(d[1:], c[1:]))
        for d, c in zip(declared, computed)
    )


__all__ = ["CALL_STEPS", "Builder", "GraphCase", "GraphTruth", "L", "StageTruth", "graph_truth"]
