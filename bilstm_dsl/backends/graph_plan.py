"""A checked graph as the lines of a functional Keras model, without importing Keras.

The graph's statements become Python lines, one per layer call, in the order of the
spec: its tensor names are the variables (``enc_out, h, c = ...LSTM(...)(enc_in)``), a
layer named alone to be shared is made once and called by its variable, a call's extra
tensors are keyword arguments (``initial_state=[h, c]``). Both the model builder and the
Python emitter render this plan, so they cannot disagree.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

from .. import ast
from ..model import CheckResult, Graph, StageInfo, TensorRef
from ..parser import parse
from ..shapes_cells import nested_states
from ..symbolic import as_keras
from .calls import Call, layer_call

_RESERVED = {"keras", "model", "x", "out", "inputs", "outputs"}
"""Names the generated module uses itself; a tensor named so gets a trailing ``_``, as
does one named like an input made inside a flow (`_FLOW_INPUT`)."""

_FLOW_INPUT = "x_in"
"""The variable of an input made inside a flow (``y = input(5, 3) -> lstm(4)``), then
``x_in_1``, ...: it must outlive the flow, whose steps reuse ``x``, to be the model's
input."""


@dataclass(frozen=True)
class Ref:
    """A tensor in the generated code: a variable, or one item of a variable's list."""

    var: str
    index: int | None = None


Tensors = Ref | tuple[Ref, ...]
"""What a layer is called on: one tensor, or a list of them."""


@dataclass(frozen=True)
class Line:
    """``targets = <layer>(*args, **call_kwargs)``, ``targets = keras.Input(...)``, or
    ``target = <layer constructor>`` for a shared layer."""

    targets: tuple[str, ...]
    """One name binds the whole result; several unpack it."""
    kind: str
    """``input``, ``layer`` (a shared layer made) or ``apply``."""
    call: Call | None
    """The constructor (``Input`` for an input); None when applying a shared layer."""
    layer: str | None
    """The shared layer's variable, when applying one."""
    args: tuple[Tensors, ...] = ()
    call_kwargs: dict[str, object] = field(default_factory=dict)
    line: int = 0
    source: str = ""
    flatten: bool = False
    """The call returns states nested per cell (a stack of LSTM cells: ``[h, c]`` each),
    flattened (``keras.tree.flatten``) in the order the checker lists them."""


@dataclass(frozen=True)
class GraphPlan:
    name: str
    lines: tuple[Line, ...]
    inputs: tuple[Ref, ...]
    outputs: tuple[Ref, ...]
    header: str


def graph_plan(result: CheckResult, name: str, header: str) -> GraphPlan:
    """The plan of a graph that checked without errors."""
    graph = result.graph
    program = parse(result.source).program
    assert graph is not None and program is not None
    return _Planner(result, graph).run(program, name, header)


def python_name(name: str) -> str:
    """A tensor's name as a Python variable: names the module uses, and keywords, get a
    trailing ``_``; names starting with ``_`` are discarded (``_``)."""
    if name.startswith("_"):
        return "_"
    if keyword.iskeyword(name) or name in _RESERVED or name in dir(__builtins__):
        return name + "_"
    number = name[len(_FLOW_INPUT) + 1 :]
    if name == _FLOW_INPUT or (name.startswith(_FLOW_INPUT + "_") and number.isdigit()):
        return name + "_"
    return name


class _Planner:
    def __init__(self, result: CheckResult, graph: Graph) -> None:
        self.result = result
        self.graph = graph
        self.stages: dict[int, StageInfo] = {s.index: s for s in result.stages}
        self.refs: dict[TensorRef, Ref] = {}
        self.names: dict[str, list[Ref]] = {}
        self.layer_vars: dict[int, str] = {}
        self.lines: list[Line] = []
        self.outputs_made = 0
        self.flow_inputs = 0

    def run(self, program: ast.Program, name: str, header: str) -> GraphPlan:
        for statement, (source, steps) in zip(program.statements, self.graph.statements):
            self.statement(statement, source, steps)  # type: ignore[arg-type]
        inputs = tuple(self.refs[(stage, 0)] for stage in self.graph.inputs)
        outputs = tuple(self.refs[ref] for ref in self.graph.outputs)
        return GraphPlan(name, tuple(self.lines), inputs, outputs, header)

    def text(self, span: object) -> str:
        start, end = span.start, span.end  # type: ignore[attr-defined]
        return " ".join(self.result.source[start:end].split())

    def statement(
        self, statement: ast.Statement, source: int | None, steps: tuple[int, ...]
    ) -> None:
        flow = statement.flow
        targets = tuple(t.name for t in statement.targets)
        if isinstance(flow.source, ast.Call) and flow.source.name.lower() == "model":
            return
        if source is not None and source not in self.graph.inputs and not steps:
            self.define_layer(source, targets[0], flow)
            return
        if source is not None:
            if len(targets) == 1 and not steps:
                var = python_name(targets[0])
            else:
                var = _FLOW_INPUT + (f"_{self.flow_inputs}" if self.flow_inputs else "")
                self.flow_inputs += 1
            info = self.stages[source]
            self.lines.append(
                Line(
                    (var,),
                    "input",
                    Call("Input", (), self.input_kwargs(info)),
                    None,
                    line=flow.span.line,
                    source=self.text(flow.source.span),
                )  # fmt: skip
            )
            current: Tensors = Ref(var)
            self.refs[(source, 0)] = Ref(var)
            produced: list[TensorRef] = [(source, 0)]
        else:
            current = self.tensors(flow.source)
            produced = []
        for number, stage in enumerate(steps):
            last = number == len(steps) - 1
            current, produced = self.apply(stage, current, targets if last else None, flow)
        self.bind(targets, current, produced)

    def define_layer(self, stage: int, target: str, flow: ast.Flow) -> None:
        uses = [s for s, d in self.graph.shared.items() if d == stage]
        if not uses:
            return  # a layer named but never applied builds nothing
        var = python_name(target)
        info = self.stages[min(uses)]
        self.layer_vars[stage] = var
        self.lines.append(
            Line(
                (var,),
                "layer",
                layer_call(info.layer, info.name),
                None,
                line=flow.span.line,
                source=self.text(flow.source.span),
            )  # fmt: skip
        )

    def tensors(self, source: ast.Ref | ast.Merge | ast.Call) -> Tensors:
        if isinstance(source, ast.Merge):
            return tuple(self.one(ref) for ref in source.refs)
        assert isinstance(source, ast.Ref)
        if source.index is None:
            found = self.names[source.name]
            return found[0] if len(found) == 1 else tuple(found)
        return self.one(source)

    def one(self, ref: ast.Ref) -> Ref:
        found = self.names[ref.name]
        if ref.index is None:
            assert len(found) == 1
            return found[0]
        return found[ref.index]

    def apply(
        self, stage: int, current: Tensors, targets: tuple[str, ...] | None, flow: ast.Flow
    ) -> tuple[Tensors, list[TensorRef]]:
        info = self.stages[stage]
        layer = info.layer
        count = len(info.shapes)
        if targets is None:
            names: tuple[str, ...] = ("x",)
        elif not targets:
            names = ("out" if not self.outputs_made else f"out_{self.outputs_made}",)
            self.outputs_made += 1
        else:
            names = tuple(python_name(t) for t in targets)
        if layer.spec.inputs == "separate" and isinstance(current, tuple):
            args: tuple[Tensors, ...] = current
        else:
            args = (current,)
        call_kwargs: dict[str, object] = {}
        for param in layer.spec.params:
            if not param.call or param.name not in layer.args:
                continue
            if param.name == "initial_state":
                call_kwargs[param.name] = tuple(
                    self.refs[ref] for ref in self.graph.initial.get(stage, ())
                )
            else:
                call_kwargs[param.name] = layer.args[param.name]
        definition = self.graph.shared.get(stage)
        call = None if definition is not None else layer_call(layer, info.name)
        shared = self.layer_vars[definition] if definition is not None else None
        self.lines.append(
            Line(
                names,
                "apply",
                call,
                shared,
                args,
                call_kwargs,
                info.span.line,
                self.text(info.span),
                nested_states(layer),
            )  # fmt: skip
        )
        produced = [(stage, port) for port in range(count)]
        if len(names) == 1:
            refs = [Ref(names[0])] if count == 1 else [Ref(names[0], p) for p in range(count)]
        else:
            refs = [Ref(n) for n in names]
        for ref, made in zip(refs, produced):
            self.refs[made] = ref
        result: Tensors = refs[0] if len(refs) == 1 else tuple(refs)
        return result, produced

    def bind(self, targets: tuple[str, ...], current: Tensors, produced: list[TensorRef]) -> None:
        items = list(current) if isinstance(current, tuple) else [current]
        if len(targets) == 1:
            self.names[targets[0]] = items
        elif len(targets) > 1:
            for target, item in zip(targets, items):
                self.names[target] = [item]

    def input_kwargs(self, info: StageInfo) -> dict[str, object]:
        layer = info.layer
        kwargs: dict[str, object] = {"shape": as_keras(layer.get("shape"))}  # type: ignore[arg-type]
        for key in ("batch_size", "dtype"):
            if key in layer.args:
                kwargs[key] = layer.args[key]
        kwargs["name"] = info.name
        return kwargs
