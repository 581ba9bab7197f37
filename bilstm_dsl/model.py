"""The checked model: what the checker hands to every consumer (CLI, backends, draw, LSP).

`Layer` is a call resolved against the registry, `StageInfo` one checked stage, and
`CheckResult` the whole answer: diagnostics, and the stages when the spec checked clean.
`Context` is the working state the checker's passes (bind, infer, explain, lints) share
while they run: the source, the stages, the resolved layers and the diagnostics collected.
Nothing here checks anything; it only holds and reports.
"""

from __future__ import annotations

from . import ast
from .diagnostics import Diagnostic, Severity, Span
from .layers import LayerSpec
from .limits import MAX_SOURCE_BYTES  # noqa: F401 - the checker's E011, from here
from .records import Record
from .shapes import Shape
from .symbolic import Sym

ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE


class Layer:
    """A call resolved against the registry: the Keras class and the arguments the user
    gave, coerced to Python values. Defaults are not stored, so the backend can emit only
    what was written."""

    __slots__ = ("spec", "keras_class", "written", "call", "args", "_spans", "inner", "backward")

    def __init__(
        self,
        spec: LayerSpec,
        written: str,
        call: ast.Call,
        inner: Layer | None = None,
        args: dict[str, object] | None = None,
        spans: tuple = (),
    ):
        self.spec = spec
        self.keras_class = spec.keras_class  # read for every stage by every pass
        self.written = written
        self.call = call
        self.args: dict[str, object] = {} if args is None else args
        self._spans: dict[str, Span] | tuple = spans or {}
        self.inner = inner
        self.backward: Layer | None = None

    @property
    def spans(self) -> dict[str, Span]:
        """Where each argument in `args` was written. A layer made from a recipe
        (`recipes._remake`) is given which of the call's arguments each is, made into
        spans when first read: a clean check reads none."""
        spans = self._spans
        if type(spans) is tuple:
            args = self.call.args
            spans = self._spans = {
                name: args[at].span if type(at) is int else args[at[0]].span.cover(args[at[1]].span)
                for name, at in spans
            }
        return spans  # type: ignore[return-value]

    def get(self, name: str) -> object:
        """The value of ``name``, Keras's default when not written; None for an argument
        this layer does not have."""
        args = self.args
        return args[name] if name in args else self.spec.defaults.get(name)

    def span_of(self, name: str) -> Span | None:
        """Where argument ``name`` was written, here or in a wrapped layer."""
        for layer in (self, self.inner, self.backward):
            if layer is not None and name in layer.spans:
                return layer.spans[name]
        return None


def walk(layer: Layer | None):  # noqa: ANN201
    """``layer`` and every layer it wraps (inner, backward), outermost first."""
    while layer is not None:
        yield layer
        if layer.backward is not None:
            yield layer.backward
        layer = layer.inner


class StageInfo(Record):
    """One checked stage: what Keras will build there and what comes out."""

    __slots__ = ("index", "name", "layer", "shapes", "trainable", "non_trainable", "span")

    def __init__(
        self,
        index: int,
        name: str,
        layer: Layer,
        shapes: tuple[Shape, ...],
        trainable: int,
        non_trainable: int,
        span: Span,
    ) -> None:
        self.index = index
        self.name = name
        self.layer = layer
        self.shapes = shapes
        self.trainable = trainable
        self.non_trainable = non_trainable
        self.span = span

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


TensorRef = tuple[int, int]
"""A tensor of a graph: the stage that made it, and which of its outputs (0 unless the
stage returns several: a recurrent layer's states, attention scores)."""


class Graph(Record):
    """How the stages of a graph file connect (a chain has none: each stage takes the one
    before)."""

    __slots__ = ("inputs", "outputs", "inbound", "initial", "shared", "statements")

    def __init__(
        self,
        inputs: tuple[int, ...],
        outputs: tuple[TensorRef, ...],
        inbound: dict[int, tuple[TensorRef, ...]],
        initial: dict[int, tuple[TensorRef, ...]],
        shared: dict[int, int],
        statements: tuple[tuple[int | None, tuple[int | None, ...]], ...] = (),
    ) -> None:
        self.inputs = inputs
        """The model's inputs: their ``input(...)`` stages, in order."""
        self.outputs = outputs
        self.inbound = inbound
        """Per applied stage, the tensors it was called on, in order."""
        self.initial = initial
        """Per recurrent stage given `initial_state`, those tensors."""
        self.shared = shared
        """A stage that applies a defined layer again -> the stage that defined it."""
        self.statements = statements
        """Per statement of the file, its source's stage (None for tensors,
        ``model(...)``) and each arrow's stage: what the backends walk to write the model
        out."""

    __hash__ = None  # type: ignore[assignment] - it holds dicts

    def layer_of(self, stage: int) -> int:
        """The stage that made the layer ``stage`` applies (itself, unless shared)."""
        return self.shared.get(stage, stage)

    def calls(self) -> dict[int, int]:
        """Per applied stage, which call of its layer it is (0, then 1 for a shared
        layer's second use), as Keras numbers a layer's inbound nodes."""
        seen: dict[int, int] = {}
        numbers = {}
        for stage in sorted(self.inbound):
            layer = self.layer_of(stage)
            numbers[stage] = seen.get(layer, 0)
            seen[layer] = numbers[stage] + 1
        return numbers


class CheckResult(Record):
    """The checker's answer for one spec, whatever the text. A value: `replace` makes a
    changed copy."""

    __slots__ = (
        "source",
        "path",
        "diagnostics",
        "input",
        "stages",
        "inferred",
        "graph",
        "open_input",
    )

    def __init__(
        self,
        source: str,
        path: str,
        diagnostics: tuple[Diagnostic, ...],
        input: Layer | None,  # noqa: A002 - the field's name
        stages: tuple[StageInfo, ...],
        inferred: tuple[StageInfo, ...] = (),
        graph: Graph | None = None,
        open_input: bool = False,
    ) -> None:
        self.source = source
        self.path = path
        self.diagnostics = diagnostics
        self.input = input
        self.stages = stages
        """The layers after the input, when the whole chain checked without error."""
        self.inferred = inferred
        """Every stage inferred, kept even when there are errors (an editor's hover)."""
        self.graph = graph
        """For a graph file, how its stages connect; ``stages`` then holds its inputs
        too."""
        self.open_input = open_input
        """A chain written without `input(...)`: stage 0 is the input the checker put in
        front of it (`open_input`), which the text does not hold."""

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def input_shape(self) -> Shape:
        assert self.input is not None
        return (self.input.get("batch_size"),) + tuple(self.input.get("shape"))  # type: ignore[arg-type]

    @property
    def summary(self) -> dict[str, object] | None:
        """The `summary --format json` object, or None when the spec has errors."""
        if not self.ok or self.input is None:
            return None
        if self.graph is not None:
            return _graph_summary(self, self.graph)
        layers = [
            {
                "name": s.name,
                "type": s.layer.keras_class,
                "output_shape": _jsonable(s.shapes),
                "params": count(s.params),
            }
            for s in self.stages
        ]
        trainable = sum(s.trainable for s in self.stages)
        non_trainable = sum(s.non_trainable for s in self.stages)
        last = self.stages[-1].shapes if self.stages else (self.input_shape,)
        return {
            "layers": layers,
            "output_shape": _jsonable(last),
            "total_params": count(trainable + non_trainable),
            "trainable_params": count(trainable),
            "non_trainable_params": count(non_trainable),
        }


def _graph_summary(result: CheckResult, graph: Graph) -> dict[str, object]:
    """As Keras's functional summary: one row per layer (a shared layer once, connected
    to every tensor it was called on), with a "connected to" list."""
    rows = graph_rows(result, graph)
    layers = [
        {
            "name": row.name,
            "type": row.layer.keras_class,
            "output_shape": _jsonable(row.shapes),
            "params": count(row.params),
            "connected_to": list(row.connected),
        }
        for row in rows
    ]
    by_stage = {s.index: s for s in result.stages}
    outputs = [by_stage[stage].shapes[port] for stage, port in graph.outputs]
    trainable = sum(r.trainable for r in rows)
    non_trainable = sum(r.non_trainable for r in rows)
    return {
        "layers": layers,
        "inputs": [by_stage[i].name for i in graph.inputs],
        "output_shape": _jsonable(tuple(outputs)),
        "total_params": count(trainable + non_trainable),
        "trainable_params": count(trainable),
        "non_trainable_params": count(non_trainable),
    }


class Row:
    """One row of a graph's summary: a layer, however many times it is called."""

    __slots__ = ("name", "layer", "shapes", "trainable", "non_trainable", "connected")

    def __init__(self, stage: StageInfo) -> None:
        self.name = stage.name
        self.layer = stage.layer
        self.shapes = stage.shapes
        self.trainable = stage.trainable
        self.non_trainable = stage.non_trainable
        self.connected: list[str] = []

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


def layer_order(graph: Graph, stages: list[int]) -> list[int]:
    """The layers (their defining stages) in the order ``keras.Model.layers`` lists them
    (``map_graph`` in keras/src/ops/function.py): a depth-first walk back from the outputs
    numbers the layers, each stage's depth is its longest distance to an output (a shared
    layer takes its deepest call's), and layers go deepest first, ties in walk order;
    inputs that reach no output come last."""
    parents = {
        stage: [source for source, _ in graph.inbound.get(stage, ()) + graph.initial.get(stage, ())]
        for stage in stages
    }
    finished: set[int] = set()
    walk: list[int] = []
    first_seen: dict[int, int] = {}
    for output, _ in graph.outputs:
        todo = [(output, False)]
        while todo:
            stage, done = todo.pop()
            if done:
                finished.add(stage)
                walk.append(stage)
                continue
            if stage in finished:
                continue
            first_seen.setdefault(graph.layer_of(stage), len(first_seen))
            todo.append((stage, True))
            todo.extend((parent, False) for parent in reversed(parents[stage]))
    depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    for stage in reversed(walk):
        layer = graph.layer_of(stage)
        here = max(depth.setdefault(stage, 0), layer_depth.get(layer, 0))
        layer_depth[layer] = depth[stage] = here
        for parent in parents[stage]:
            depth[parent] = max(here + 1, depth.get(parent, 0))
    for stage in graph.inputs:
        if stage not in layer_depth:
            layer_depth[stage], first_seen[stage] = 0, -1
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))


def graph_rows(result: CheckResult, graph: Graph) -> list[Row]:
    """The summary's rows, in the order Keras lists the layers (`layer_order`); each
    layer's shapes are those of its last call, as Keras shows them."""
    by_stage = {s.index: s for s in result.stages}
    calls = graph.calls()
    rows: dict[int, Row] = {}
    for stage in sorted(by_stage):
        info = by_stage[stage]
        layer = graph.layer_of(stage)
        row = rows.get(layer)
        if row is None:
            row = rows[layer] = Row(info)
        else:
            row.shapes = info.shapes
        for source, port in graph.inbound.get(stage, ()) + graph.initial.get(stage, ()):
            producer = by_stage[source].name
            row.connected.append(f"{producer}[{calls.get(source, 0)}][{port}]")
    return [rows[layer] for layer in layer_order(graph, sorted(by_stage)) if layer in rows]


def _jsonable(shapes: tuple[Shape, ...]) -> list:
    if len(shapes) == 1:
        return [count(d) for d in shapes[0]]
    return [[count(d) for d in s] for s in shapes]


def count(value: int | Sym | None) -> int | str | None:
    """A size or weight count for JSON: its int, or for one that depends on a size not
    written yet (`symbolic`), its formula as text: ``"128*F + 4224"``."""
    return str(value) if isinstance(value, Sym) else value


class Flow(Record):
    """What flows from one stage to the next, with the provenance messages need."""

    __slots__ = ("shapes", "stage", "collapsed_at", "multi_at", "masked_at", "dtype")

    def __init__(
        self,
        shapes: tuple[Shape, ...],
        stage: int,
        collapsed_at: int | None = None,
        multi_at: int | None = None,
        masked_at: int | None = None,
        dtype: str = "float32",
    ) -> None:
        self.shapes = shapes
        self.stage = stage
        self.collapsed_at = collapsed_at
        """The stage of the recurrent layer that dropped the time axis, if it still
        matters."""
        self.multi_at = multi_at
        """The stage that split the flow into several tensors."""
        self.masked_at = masked_at
        """The stage whose Keras mask travels with the tensor (embedding(mask_zero),
        masking)."""
        self.dtype = dtype
        """The input's dtype, until a layer that computes in float32 (all but
        Flatten/Reshape)."""


class Context:
    """The checker's working state, shared by its passes: the source and its stages, the
    layer resolved for each stage (None where resolution failed), and the diagnostics."""

    __slots__ = (
        "source",
        "path",
        "stages",
        "layers",
        "names",
        "diags",
        "once",
        "inputs",
        "shared",
        "graph",
        "open_input",
        "sizes",
    )

    def __init__(self, source: str, path: str, stages: list[ast.Stage]) -> None:
        self.source = source
        self.path = path
        self.stages = stages
        self.layers: list[Layer | None] = []
        self.names: dict[int, str] = {}
        """Each bound stage's layer name, as Keras will name it."""
        self.diags: list[Diagnostic] = []
        self.once: set[str] = set()
        """Codes reported once per spec, already reported."""
        self.inputs: set[int] = {0}
        """The stages that are ``input(...)``: the first of a chain; any in a graph."""
        self.shared: dict[int, int] = {}
        """In a graph, a stage applying a defined layer again -> its defining stage."""
        self.graph = False
        """Whether this is a graph file (tensors have names)."""
        self.open_input = False
        """Whether stage 0 is the input put in front of a chain written without one."""
        self.sizes: dict[str, int] = {}
        """Named input dims given a size from outside (``--input-shape``), for assertions."""

    def report(
        self,
        code: str,
        span: Span,
        message: str,
        help: str | None = None,
        stage: int | None = None,
        severity: Severity = ERROR,
    ) -> None:
        self.diags.append(Diagnostic(code, severity, span, message, help, stage))

    def line_of(self, stage: int) -> int:
        return self.stages[stage].call.span.line

    def text(self, span: Span) -> str:
        return self.source[span.start : span.end]

    def call_text(self, stage: int) -> str:
        """The source text of stage ``stage``'s call."""
        return self.text(self.stages[stage].call.span)
