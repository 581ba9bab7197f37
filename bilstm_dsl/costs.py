"""What a checked model costs to run: multiply-adds, activation memory, weight memory.

The formulas, and why each is what it is, are in docs/costs.md. In short:

- **multiply-adds (MACs) per sample**: every kernel weight is multiplied into one input
  value each time the kernel is applied, so a layer's MACs are its kernel weights (biases
  excluded) times the number of places it is applied: Dense at every position of the axes
  before the last, Conv1D at every output step, LSTM/GRU/SimpleRNN at every time step
  (input and recurrent kernels both), Bidirectional for both directions, TimeDistributed
  once per step of the wrapped layer. Element-wise work (activations, biases, dropout,
  normalization, pooling, embedding lookups) is not counted, as FLOP counters of weight
  layers do not; a layer this module does not know is reported as unknown, not as zero.
- **activation memory**: the bytes of each layer's output tensors for a batch, in the
  dtype flowing out of it (float32, or the input's integer dtype where a layer passes it
  through); the input tensor is counted too. It is what the outputs alone take, not the
  intermediate tensors a backward pass keeps.
- **weight memory**: the parameters in float32, Keras's default dtype policy and the only
  one `.arch` builds.

Shapes are recomputed with the registry's own shape rules for the given batch size and, for
each ``none`` dim of the input, ``steps``: a pooling layer on ``none`` steps halves the
concrete length too. Standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .infer import dtype_mode, next_dtype
from .memory import DTYPE_BYTES
from .model import CheckResult, Layer
from .shapes import Shape, ShapeError, recurrent_params
from .shapes_cells import step as cell_step

ELEMENT_BYTES = {
    **DTYPE_BYTES,
    "int8": 1,
    "uint8": 1,
    "int16": 2,
    "uint16": 2,
    "int32": 4,
    "uint32": 4,
    "int64": 8,
    "uint64": 8,
    "bool": 1,
}
"""Bytes per element of each dtype; strings have no fixed size (unknown)."""

WEIGHT_DTYPE = "float32"

NO_PRODUCTS = frozenset(
    """Embedding Dropout SpatialDropout1D GaussianNoise Activation Masking RepeatVector
    MaxPooling1D AveragePooling1D GlobalMaxPooling1D GlobalAveragePooling1D Flatten Reshape
    LayerNormalization BatchNormalization""".split()
)
"""Layers without a matrix product or convolution: no multiply-adds counted."""

ELEMENTWISE = frozenset("Add Subtract Multiply Average Maximum Minimum Concatenate".split())
"""Merges that combine their inputs element by element or side by side: no products of
weights (Dot and the attention layers multiply tensors and are not counted here yet)."""

RECURRENT = ("LSTM", "GRU", "SimpleRNN")


class CostError(ValueError):
    """Costs that cannot be computed for the sizes given; the message says why."""


@dataclass(frozen=True)
class StageCost:
    """One stage (0 is the input) at a concrete batch size and length: its output
    ``shapes`` (batch first, every dim known), multiply-adds per sample (``macs``; None for
    a layer whose count is not known), the bytes of its output tensors for the whole batch
    (``activation_bytes``; None for strings) and of its weights."""

    name: str
    keras_class: str
    shapes: tuple[Shape, ...]
    macs: int | None
    activation_bytes: int | None
    weight_bytes: int


@dataclass(frozen=True)
class Costs:
    batch_size: int
    steps: int | None
    stages: tuple[StageCost, ...]

    @property
    def macs(self) -> int | None:
        """Multiply-adds per sample of the whole model (None if one layer is unknown)."""
        counts = [s.macs for s in self.stages]
        return None if None in counts else sum(c for c in counts if c is not None)

    @property
    def activation_bytes(self) -> int | None:
        sizes = [s.activation_bytes for s in self.stages]
        return None if None in sizes else sum(s for s in sizes if s is not None)

    @property
    def weight_bytes(self) -> int:
        return sum(s.weight_bytes for s in self.stages)

    def to_json(self) -> dict[str, object]:
        return {
            "batch_size": self.batch_size,
            "steps": self.steps,
            "weight_dtype": WEIGHT_DTYPE,
            "macs_per_sample": self.macs,
            "macs_per_batch": None if self.macs is None else self.macs * self.batch_size,
            "activation_bytes": self.activation_bytes,
            "weight_bytes": self.weight_bytes,
        }


def costs(result: CheckResult, batch_size: int | None = None, steps: int | None = None) -> Costs:
    """The costs of a spec that checked clean, one entry per stage (per call of a layer in
    a graph). ``batch_size`` defaults to the input's fixed batch size, else 1; ``steps``
    replaces every ``none`` dim of the inputs."""
    if not result.ok or result.input is None:
        raise ValueError("only a spec without errors has costs")
    graph = result.graph
    inputs = {i.index: i.layer for i in result.stages if graph and i.index in graph.inputs}
    if graph is None:
        inputs = {0: result.input}
    fixed = {layer.get("batch_size") for layer in inputs.values()} - {None}
    if batch_size is not None and fixed and fixed != {batch_size}:
        size = min(fixed)
        raise CostError(f"the model's batch size is fixed at {size} (`batch_size={size}`)")
    batch = batch_size or min(fixed, default=1)
    made: dict[int, tuple[tuple[Shape, ...], str]] = {}
    stages = []
    variable = False
    for index, layer in sorted(inputs.items()):
        dims = tuple(layer.get("shape"))  # type: ignore[arg-type]
        if None in dims and steps is None:
            raise CostError(
                f"the input {_dims(dims)} has a `none` dim: give its length with --steps N"
            )
        variable = variable or None in dims
        shape: Shape = (batch,) + tuple(steps if d is None else d for d in dims)
        dtype = str(layer.get("dtype"))
        made[index] = ((shape,), dtype)
        name = str(layer.args.get("name") or "input_layer")
        stages.append(StageCost(name, "InputLayer", (shape,), 0, _bytes((shape,), dtype), 0))
    previous = 0
    for stage in result.stages:
        if stage.index in inputs:
            continue
        layer = stage.layer
        if graph is None:
            shapes, dtype = made[previous]
        else:
            sources = [made[source][0][port] for source, port in graph.inbound[stage.index]]
            shapes, dtype = tuple(sources), made[graph.inbound[stage.index][0][0]][1]
        try:
            out = layer.spec.rule(layer, shapes).shapes
        except ShapeError as error:
            where = f"with --steps {steps}, " if steps is not None else ""
            raise CostError(f"{where}layer {stage.name!r}: {error.message}") from None
        dtype = next_dtype(dtype_mode(layer, dtype), dtype)
        made[stage.index] = (out, dtype)
        previous = stage.index
        weights = graph is None or graph.layer_of(stage.index) == stage.index
        stages.append(
            StageCost(
                stage.name,
                layer.keras_class,
                out,
                macs(layer, shapes),
                _bytes(out, dtype),
                stage.params * ELEMENT_BYTES[WEIGHT_DTYPE] if weights else 0,
            )
        )
    return Costs(batch, steps if variable else None, tuple(stages))


def with_costs(summary: dict[str, object], found: Costs) -> dict[str, object]:
    """The `summary --format json` object with the costs: each layer gains ``macs`` (per
    sample), ``activation_bytes`` (for the batch) and ``weight_bytes``, summed over its
    calls in a graph; ``costs`` holds the totals and the sizes they are for."""
    layers = []
    for layer in summary["layers"]:  # type: ignore[attr-defined]
        calls = [
            c for c in found.stages if (c.name, c.keras_class) == (layer["name"], layer["type"])
        ]
        counts = [c.macs for c in calls]
        sizes = [c.activation_bytes for c in calls]
        layers.append(
            {
                **layer,
                "macs": None if None in counts else sum(n for n in counts if n is not None),
                "activation_bytes": None if None in sizes else sum(b for b in sizes if b),
                "weight_bytes": sum(c.weight_bytes for c in calls),
            }
        )
    return {**summary, "layers": layers, "costs": found.to_json()}


def macs(layer: Layer, inputs: tuple[Shape, ...]) -> int | None:
    """Multiply-adds per sample of ``layer`` applied to ``inputs`` (batch first, known
    dims); None for a layer not known here."""
    cls = layer.keras_class
    if cls in NO_PRODUCTS or cls in ELEMENTWISE:
        return 0
    if len(inputs) != 1:
        return None
    (x,) = inputs
    if cls == "Dense":
        units = int(layer.get("units"))  # type: ignore[arg-type]
        return _known(x[-1]) * units * math.prod(_known(d) for d in x[1:-1])
    if cls == "Conv1D":
        out = layer.spec.rule(layer, inputs).shapes[0]
        first = layer.get("data_format") == "channels_first"
        channels, length = (x[1], out[2]) if first else (x[-1], out[1])
        kernel = int(layer.get("kernel_size"))  # type: ignore[arg-type]
        groups = int(layer.get("groups"))  # type: ignore[arg-type]
        filters = int(layer.get("filters"))  # type: ignore[arg-type]
        return kernel * (_known(channels) // groups) * filters * _known(length)
    if cls in RECURRENT:
        units = int(layer.get("units"))  # type: ignore[arg-type]
        kernels = recurrent_params(layer.spec.gates, units, _known(x[2]), False, 1)
        return kernels * _known(x[1])
    if cls == "RNN":
        assert layer.inner is not None
        return cell_step(layer.inner, _known(x[2]), bias=False)[1] * _known(x[1])
    if cls == "Bidirectional":
        assert layer.inner is not None
        forward = macs(layer.inner, inputs)
        backward = macs(layer.backward or layer.inner, inputs)
        return None if forward is None or backward is None else forward + backward
    if cls == "TimeDistributed":
        assert layer.inner is not None
        step = macs(layer.inner, ((x[0],) + x[2:],))
        return None if step is None else step * _known(x[1])
    return None


def _known(dim: int | None) -> int:
    if dim is None:
        raise CostError("a dim is still unknown")
    return dim


def _bytes(shapes: tuple[Shape, ...], dtype: str) -> int | None:
    size = ELEMENT_BYTES.get(dtype)
    if size is None:
        return None
    return sum(math.prod(_known(d) for d in shape) for shape in shapes) * size


def _dims(dims: tuple[int | None, ...]) -> str:
    inner = ", ".join("none" if d is None else str(d) for d in dims)
    return f"({inner},)" if len(dims) == 1 else f"({inner})"
