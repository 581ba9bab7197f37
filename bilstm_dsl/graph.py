"""Graphs: named tensors, several chains, merges, initial states, shared layers, several
inputs and outputs, checked like chains.

A graph file is statements in order (`ast.Program`). Checking takes two passes over them:

1. `_Binder` resolves every call into a layer, as `bind` does for a chain, and records each
   statement's plan: where its flow starts and which stage each arrow makes. Names are
   defined here (a name given twice, or used before its line, is reported now), so that
   Keras's automatic layer names can be given in the order the layers are made.
2. `_Evaluator` runs the plans in order with tensors: every arrow applies a layer to the
   tensors flowing in, through `infer.apply`, so a stage of a graph is checked, explained
   and linted exactly as a stage of a chain.

The result is a `model.Graph`: the model's inputs and outputs and, per stage, the tensors
it was called on, which the summary's "Connected to" column and the backends read.
"""

from __future__ import annotations

from . import ast
from . import values as v
from .bind import bind_input, name_layers, resolve
from .diagnostics import Span
from .infer import apply, check_assertion, start_flow
from .layers import KNOWN_NAMES
from .model import WARNING, Context, Flow, Graph, Layer, StageInfo, TensorRef
from .shapes import STATES, fmt

_MODEL_ARGS = ("inputs", "outputs")


class _Plan:
    """One statement, bound: its source and the stage of each arrow."""

    __slots__ = ("statement", "kind", "source", "steps")

    def __init__(self, statement: ast.Statement, kind: str, source: object, steps: list) -> None:
        self.statement = statement
        self.kind = kind
        """``input``, ``layer`` (a definition), ``tensors`` (from refs), ``model``, or
        ``broken`` (nothing to evaluate)."""
        self.source = source
        self.steps = steps
        """Stage index per arrow, or None where the arrow's layer did not resolve."""


class _Name:
    __slots__ = ("name", "span", "line", "order", "kind", "stage", "used")

    def __init__(self, target: ast.Target, order: int, kind: str, stage: int | None) -> None:
        self.name = target.name
        self.span = target.span
        self.line = target.span.line
        self.order = order
        self.kind = kind
        """``layer`` or ``tensor``."""
        self.stage = stage
        """For a layer, the stage that defines it."""
        self.used = False


def check_graph(ctx: Context, program: ast.Program) -> tuple[tuple[StageInfo, ...], Graph]:
    """Check ``program``; the stages inferred, and the graph."""
    binder = _Binder(ctx, program)
    plans = binder.run()
    name_layers(ctx, skip=ctx.shared)
    for use, definition in ctx.shared.items():
        if definition in ctx.names:
            ctx.names[use] = ctx.names[definition]
    return _Evaluator(ctx, binder.names, plans).run()


class _Binder:
    def __init__(self, ctx: Context, program: ast.Program) -> None:
        self.ctx = ctx
        self.program = program
        self.names: dict[str, _Name] = {}
        self.later = {
            target.name: (order, target)
            for order, statement in enumerate(program.statements)
            for target in statement.targets
        }

    def stage(self, call: ast.Call, assertion: ast.Value | None, span: Span) -> int:
        ctx = self.ctx
        ctx.stages.append(ast.Stage(call, assertion, span))
        return len(ctx.stages) - 1

    def run(self) -> list[_Plan]:
        plans = []
        last = len(self.program.statements) - 1
        for order, statement in enumerate(self.program.statements):
            plan = self.statement(statement, order, order == last)
            plans.append(plan)
            for target in statement.targets:
                self.define(target, order, plan)
        return plans

    def define(self, target: ast.Target, order: int, plan: _Plan) -> None:
        ctx = self.ctx
        if target.name.startswith("_"):
            return  # `_, h, c = ...`: a tensor left unused on purpose, never named
        earlier = self.names.get(target.name)
        if earlier is not None:
            ctx.report(
                "E125",
                target.span,
                f"`{target.name}` is already defined on line {earlier.line}",
                help="give each tensor and layer its own name",
            )
            return
        if plan.kind == "layer":
            self.names[target.name] = _Name(target, order, "layer", plan.source)  # type: ignore[arg-type]
        else:
            self.names[target.name] = _Name(target, order, "tensor", None)

    def statement(self, statement: ast.Statement, order: int, last: bool) -> _Plan:
        ctx, flow = self.ctx, statement.flow
        source = flow.source
        if isinstance(source, ast.Call):
            name = source.name.lower()
            if name == "model" and not statement.targets and not flow.steps:
                self.model_refs(source, order)
                return _Plan(statement, "model", source, [])
            index = self.stage(source, flow.source_assertion, source.span)
            if name == "input":
                ctx.inputs.add(index)
                ctx.layers.append(bind_input(ctx, source, index))
                kind, origin = "input", index
            else:
                ctx.layers.append(resolve(ctx, source, index))
                if flow.steps or len(statement.targets) != 1:
                    ctx.report(
                        "E130",
                        source.name_span,
                        f"`{source.name}(...)` starts this line, but in a graph a chain starts "
                        "from `input(...)` or a named tensor",
                        help=f"feed it a tensor: `x -> {ctx.text(source.span)}`; or name it "
                        f"alone to share it: `shared = {ctx.text(source.span)}`",
                        stage=index,
                    )
                    return _Plan(statement, "broken", None, [])
                return _Plan(statement, "layer", index, [])
        else:
            refs = source.refs if isinstance(source, ast.Merge) else (source,)
            for ref in refs:
                self.use(ref, order, "tensor")
            kind, origin = "tensors", source
        steps: list[int | None] = []
        for step in flow.steps:
            layer = step.layer
            if isinstance(layer, ast.Use):
                steps.append(self.shared(layer, step, order))
                continue
            index = self.stage(layer, step.assertion, step.span)
            bound = None
            if layer.name.lower() == "input":
                ctx.report(
                    "E111",
                    layer.name_span,
                    "`input` starts a chain; it cannot take a tensor",
                    help="name the input on a line of its own: `x = input(20, 1)`",
                    stage=index,
                )
            else:
                bound = resolve(ctx, layer, index)
                if bound is not None:
                    for ref in bound.args.get("initial_state") or ():
                        self.use(ref, order, "tensor")
            ctx.layers.append(bound)
            steps.append(index if bound is not None else None)
        return _Plan(statement, kind, origin, steps)

    def shared(self, use: ast.Use, step: ast.Step, order: int) -> int | None:
        """``-> shared``: a stage of its own that applies the defined layer again."""
        ctx = self.ctx
        defined = self.use(ast.Ref(use.name, None, use.span), order, "layer")
        if defined is None or defined.stage is None:
            return None
        definition = ctx.stages[defined.stage].call
        call = ast.Call(definition.name, use.span, definition.args, use.span)
        index = self.stage(call, step.assertion, step.span)
        ctx.layers.append(ctx.layers[defined.stage])
        ctx.shared[index] = defined.stage
        return index if ctx.layers[index] is not None else None

    def use(self, ref: ast.Ref, order: int, kind: str) -> _Name | None:
        """Look ``ref`` up as a ``kind``; report unknown, later and mistaken names."""
        ctx = self.ctx
        found = self.names.get(ref.name)
        if found is not None:
            found.used = True
            if found.kind != kind:
                what = "a layer" if found.kind == "layer" else "a tensor"
                if kind == "layer":
                    help = f"apply a layer to it instead: `{ref.name} -> dense(...)`"
                else:
                    help = f"apply it to a tensor: `x -> {ref.name}`"
                ctx.report(
                    "E130",
                    ref.span,
                    f"`{ref.name}` is {what} (line {found.line}), used here as "
                    f"{'a layer' if kind == 'layer' else 'a tensor'}",
                    help=help,
                )
                return None
            return found
        later = self.later.get(ref.name)
        if later is not None:
            where, target = later
            if where == order:
                message = f"`{ref.name}` is used on the line that defines it"
                help = "a graph has no cycles: feed this line from tensors defined before it"
            else:
                message = f"`{ref.name}` is used before line {target.span.line} defines it"
                help = f"move the line that defines `{ref.name}` above this one"
                if self.depends(where, ref.name, order):
                    message += " (and that line depends on this one: a cycle)"
                    help = "a graph has no cycles: feed one of the two lines from elsewhere"
            ctx.report("E126", ref.span, message, help=help)
            return None
        close = v.suggest(ref.name, self.names)
        if close:
            help = f"did you mean `{close}`?"
        elif kind == "tensor":
            help = f"name a tensor on an earlier line: `{ref.name} = input(20, 1)`"
        elif ref.name.lower() in KNOWN_NAMES:
            help = f"`{ref.name}` is a layer: call it, `{ref.name}(...)`"
        else:
            help = f"name a layer on an earlier line to share it: `{ref.name} = dense(8)`"
        ctx.report("E124", ref.span, f"unknown name `{ref.name}`", help=help)
        return None

    def depends(self, where: int, name: str, order: int) -> bool:
        """Whether statement ``where`` uses, directly or not, a name statement ``order``
        defines."""
        defined_here = {t.name for t in self.program.statements[order].targets}
        seen, todo = set(), [where]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for used in _names_used(self.program.statements[current]):
                if used in defined_here:
                    return True
                found = self.later.get(used)
                if found is not None:
                    todo.append(found[0])
        return False

    def model_refs(self, call: ast.Call, order: int) -> None:
        for arg in call.args:
            if arg.key not in _MODEL_ARGS:
                self.ctx.report(
                    "E129",
                    arg.key_span or arg.span,
                    "`model(...)` takes `inputs=` and `outputs=`",
                    help="write `model(inputs=[a, b], outputs=[c, d])`",
                )
                continue
            for ref in _refs_of(arg.value):
                self.use(ref, order, "tensor")


def _refs_of(value: ast.Value) -> list[ast.Ref]:
    items = value.items if isinstance(value, ast.List | ast.Tuple) else (value,)
    refs = []
    for item in items:
        if isinstance(item, ast.Ref):
            refs.append(item)
        elif isinstance(item, ast.Word):
            refs.append(ast.Ref(item.value, None, item.span))
    return refs


def _names_used(statement: ast.Statement) -> list[str]:
    flow = statement.flow
    source = flow.source
    names = []
    if isinstance(source, ast.Ref):
        names.append(source.name)
    elif isinstance(source, ast.Merge):
        names += [r.name for r in source.refs]
    for step in flow.steps:
        if isinstance(step.layer, ast.Use):
            names.append(step.layer.name)
        else:
            for arg in step.layer.args:
                if arg.key == "initial_state":
                    names += [r.name for r in _refs_of(arg.value)]
    return names


class _Tensor:
    """One tensor of the graph: which stage made it (its output ``port``), and the flow
    that carries its shape, dtype, mask and provenance."""

    __slots__ = ("stage", "port", "flow")

    def __init__(self, stage: int, port: int, flow: Flow) -> None:
        self.stage, self.port, self.flow = stage, port, flow


class _Evaluator:
    def __init__(self, ctx: Context, names: dict[str, _Name], plans: list[_Plan]) -> None:
        self.ctx = ctx
        self.names = names
        self.plans = plans
        self.values: dict[str, list[_Tensor] | None] = {}
        """Each tensor name's tensors (several for a whole `return_state` output); None
        where its line failed."""
        self.consumed: set[tuple[int, int]] = set()
        self.infos: dict[int, StageInfo] = {}
        self.inbound: dict[int, tuple[TensorRef, ...]] = {}
        self.initial: dict[int, tuple[TensorRef, ...]] = {}
        self.dangling: list[_Tensor] = []
        self.applied: dict[int, tuple[int, StageInfo, tuple]] = {}
        """Defined layers applied at least once (their weights are counted): the first
        use's stage, what it inferred and the shapes it was called on."""

    def run(self) -> tuple[tuple[StageInfo, ...], Graph]:
        model = None
        for plan in self.plans:
            if plan.kind == "model":
                model = plan
                continue
            tensors = self.flow(plan)
            self.bind(plan.statement, tensors)
            if not plan.statement.targets and tensors:
                self.dangling += tensors
        inputs, outputs = self.model(model)
        self.unused(inputs, outputs)
        infos = tuple(self.infos[i] for i in sorted(self.infos))
        statements = tuple(
            (plan.source if plan.kind in ("input", "layer") else None, tuple(plan.steps))  # type: ignore[misc]
            for plan in self.plans
        )
        graph = Graph(
            tuple(inputs),
            tuple(outputs),
            self.inbound,
            self.initial,
            dict(self.ctx.shared),
            statements,
        )
        return infos, graph

    # -- flows

    def flow(self, plan: _Plan) -> list[_Tensor] | None:
        ctx = self.ctx
        if plan.kind == "broken" or plan.kind == "layer":
            return None
        if plan.kind == "input":
            index = plan.source
            assert isinstance(index, int)
            layer = ctx.layers[index]
            if layer is None:
                return None
            flow = start_flow(layer, index)
            check_assertion(ctx, index, flow.shapes)
            self.infos[index] = StageInfo(
                index, ctx.names[index], layer, flow.shapes, 0, 0, ctx.stages[index].span
            )
            tensors: list[_Tensor] | None = [_Tensor(index, 0, flow)]
        else:
            source = plan.source
            refs = source.refs if isinstance(source, ast.Merge) else (source,)  # type: ignore[union-attr]
            tensors = []
            for ref in refs:
                found = self.tensor(ref, single=False)
                if found is None:
                    return None
                if isinstance(source, ast.Merge) and len(found) > 1:
                    self.several_in_list(ref, found, plan)
                    return None
                tensors += found
            assertion = plan.statement.flow.source_assertion
            if assertion is not None and tensors:
                self.assert_source(assertion, tensors)
        for index in plan.steps:
            if index is None or tensors is None:
                return None
            tensors = self.step(index, tensors)
        return tensors

    def several_in_list(self, ref: ast.Ref, found: list[_Tensor], plan: _Plan) -> None:
        """E202: ``[s, m] -> concatenate()`` where ``s`` holds a layer's several outputs
        (Keras would receive a nested list, which no merge takes)."""
        producer = self.ctx.layers[found[0].stage]
        made = f" (the outputs of `{producer.written}`)" if producer is not None else ""
        self.ctx.report(
            "E202",
            ref.span,
            f"`{ref.name}` holds {len(found)} tensors{made}, but each item of a `[...]` list "
            "is one tensor",
            help=f"pick one by its index, e.g. `{ref.name}[0]`, or name them apart: "
            "`out, h, c = ...`",
            stage=plan.steps[0] if plan.steps else None,
        )

    def tensor(self, ref: ast.Ref, single: bool) -> list[_Tensor] | None:
        """The tensors ``ref`` names: all of a name, or the one ``name[i]`` picks."""
        found = self.values.get(ref.name)
        if found is None:
            return None
        self.names[ref.name].used = True
        if ref.index is None:
            if single and len(found) > 1:
                return [_several(found)]
            return found
        count = len(found)
        if not -count <= ref.index < count:
            self.ctx.report(
                "E128",
                ref.span,
                f"`{ref.name}` holds {count} tensor{'s' if count > 1 else ''}, so "
                f"`[{ref.index}]` picks none",
                help=f"index from 0 to {count - 1}" if count > 1 else f"write `{ref.name}`",
            )
            return None
        return [found[ref.index]]

    def assert_source(self, assertion: ast.Value, tensors: list[_Tensor]) -> None:
        # The assertion sits on the source; report it on the stage that made the tensor.
        stage = tensors[0].stage
        saved = self.ctx.stages[stage]
        self.ctx.stages[stage] = ast.Stage(saved.call, assertion, saved.span)
        check_assertion(self.ctx, stage, tuple(t.flow.shapes[0] for t in tensors))
        self.ctx.stages[stage] = saved

    def step(self, index: int, tensors: list[_Tensor]) -> list[_Tensor] | None:
        ctx = self.ctx
        layer = ctx.layers[index]
        assert layer is not None
        states = self.initial_states(index, layer)
        if states is None:
            return None
        if layer.spec.inputs == "one" and len(tensors) > 1:
            tensors = [_several(tensors)]  # E202, explained as in a chain
        flow = _flow_into(layer, tensors)
        info, after = apply(ctx, index, layer, flow)
        if info is None or after is None:
            return None
        if states:
            self.check_states(index, layer, states, info)
        refs = tuple((t.stage, t.port) for t in tensors)
        self.consumed.update(refs)
        self.inbound[index] = refs
        definition = ctx.shared.get(index)
        called_on = tuple(t.flow.shapes[0] for t in tensors)
        if definition is not None and definition in self.applied:
            if not self.weights_fit(index, definition, info, called_on):
                return None
            # A shared layer's weights are counted once, at its first use.
            info = StageInfo(index, info.name, layer, info.shapes, 0, 0, info.span)
        elif definition is not None:
            self.applied[definition] = (index, info, called_on)
        self.infos[index] = info
        return _split(after, index)

    def weights_fit(self, index: int, definition: int, info: StageInfo, called_on: tuple) -> bool:
        """E215: a shared layer builds its weights at its first call; a later call on
        tensors that would need other weights fails in Keras (at the call where the layer
        checks its ``input_spec``, like ``Dense``; when run, like ``LSTM``). The weights'
        size depends on the input only through the axes that shape them, so a different
        count means weights that do not fit."""
        first, built, shapes = self.applied[definition]
        if (info.trainable, info.non_trainable) == (built.trainable, built.non_trainable):
            return True
        ctx = self.ctx
        name = next((n for n, e in self.names.items() if e.stage == definition), None)
        what = f"`{name}`" if name else f"`{ctx.layers[definition].written}`"  # type: ignore[union-attr]
        self.ctx.report(
            "E215",
            ctx.stages[index].call.span,
            f"{what} built its weights for {_shapes(shapes)} at its first call (line "
            f"{ctx.line_of(first)}), and they do not fit {_shapes(called_on)} here "
            f"({info.params:,} weights instead of {built.params:,})",
            help="call a shared layer on tensors of the same feature size, or give this "
            "branch a layer of its own",
            stage=index,
        )
        return False

    def initial_states(self, index: int, layer: Layer) -> list[_Tensor] | None:
        refs = layer.args.get("initial_state")
        if not refs:
            return []
        states: list[_Tensor] = []
        for ref in refs:  # type: ignore[union-attr]
            found = self.tensor(ref, single=True)
            if found is None:
                return None
            states += found
        self.initial[index] = tuple((t.stage, t.port) for t in states)
        self.consumed.update(self.initial[index])
        return states

    def check_states(
        self, index: int, layer: Layer, states: list[_Tensor], info: StageInfo
    ) -> None:
        """``initial_state``: as many tensors as the layer keeps states, each (batch,
        units) (``RNN.call``; `bidirectional` takes the forward's then the backward's)."""
        ctx = self.ctx
        expected = _state_shapes(layer)
        span = layer.span_of("initial_state") or ctx.stages[index].call.span
        got = [t.flow.shapes[0] for t in states]
        if len(got) != len(expected):
            ctx.report(
                "E213",
                span,
                f"`{layer.written}` keeps {len(expected)} state tensor"
                f"{'s' if len(expected) > 1 else ''}, but `initial_state` gives {len(got)}",
                help="an LSTM starts from `[h, c]`, a GRU or SimpleRNN from `[h]`; "
                "`bidirectional` takes the forward states, then the backward ones",
                stage=index,
            )
            return
        for number, (shape, want) in enumerate(zip(got, expected), 1):
            if len(shape) != 2 or (shape[1] is not None and shape[1] != want):
                ctx.report(
                    "E213",
                    span,
                    f"state {number} of `{layer.written}` is (batch, {want}), but "
                    f"`initial_state` gives {fmt(shape)}",
                    help=f"give states of {want} units, as the layer's `units`",
                    stage=index,
                )
                return

    def bind(self, statement: ast.Statement, tensors: list[_Tensor] | None) -> None:
        targets = statement.targets
        if not targets or (len(targets) == 1 and targets[0].name not in self.names):
            return
        if tensors is None:
            for target in targets:
                self.values[target.name] = None
            return
        if len(targets) == 1:
            name = targets[0].name
            if self.names[name].kind == "tensor":
                self.values[name] = tensors
            return
        if len(targets) != len(tensors):
            first, last = targets[0].span, targets[-1].span
            self.ctx.report(
                "E127",
                first.cover(last),
                f"{len(targets)} names for the {len(tensors)} tensor"
                f"{'s' if len(tensors) > 1 else ''} this line gives",
                help="name each tensor once: `out, h, c = x -> lstm(8, state)` for an "
                "LSTM's output and two states",
            )
            for target in targets:
                self.values[target.name] = None
            return
        for target, tensor in zip(targets, tensors):
            if target.name in self.names and self.names[target.name].kind == "tensor":
                self.values[target.name] = [tensor]

    # -- the model

    def model(self, plan: _Plan | None) -> tuple[list[int], list[TensorRef]]:
        ctx = self.ctx
        if plan is None:
            inputs = sorted(ctx.inputs)
            outputs = [
                (t.stage, t.port)
                for name in self.values
                for t in (self.values[name] or ())
                if (t.stage, t.port) not in self.consumed and t.stage not in ctx.inputs
            ]
            outputs += [(t.stage, t.port) for t in self.dangling]
            return inputs, list(dict.fromkeys(outputs))
        call = plan.source
        assert isinstance(call, ast.Call)
        inputs: list[int] = []
        outputs: list[TensorRef] = []
        given = {arg.key: arg for arg in call.args if arg.key in _MODEL_ARGS}
        for key in _MODEL_ARGS:
            if key not in given:
                ctx.report(
                    "E129",
                    call.span,
                    f"`model(...)` needs `{key}=`",
                    help="write `model(inputs=[a, b], outputs=[c, d])`",
                )
        complete = "inputs" in given
        for ref in _refs_of(given["inputs"].value) if "inputs" in given else ():
            found = self.tensor(ref, single=True)
            if found is None:
                complete = False
                continue
            stage = found[0].stage
            if stage not in ctx.inputs:
                complete = False
                ctx.report(
                    "E129",
                    ref.span,
                    f"`{ref.name}` is made by `{ctx.layers[stage].written}`, not by "  # type: ignore[union-attr]
                    "`input(...)`: a model's inputs are its `input(...)` tensors",
                    help="list the `input(...)` tensors the outputs are computed from",
                )
                continue
            inputs.append(stage)
        for ref in _refs_of(given["outputs"].value) if "outputs" in given else ():
            found = self.tensor(ref, single=False)
            if found is not None:
                outputs += [(t.stage, t.port) for t in found]
        if complete:
            self.unlisted(given["inputs"], inputs, outputs)
        return inputs, outputs

    def unlisted(self, arg: ast.Argument, inputs: list[int], outputs: list[TensorRef]) -> None:
        """E129: an ``input(...)`` the outputs are computed from, missing from ``inputs=``
        (Keras: "Output ... is not connected to `inputs`", ``ops/function.py``)."""
        ctx = self.ctx
        for stage in sorted(self.needed(outputs) & ctx.inputs - set(inputs)):
            name = self.name_of(stage)
            line = ctx.line_of(stage)
            ctx.report(
                "E129",
                arg.span,
                f"the outputs are computed from {f'`{name}`' if name else 'the input'} on line "
                f"{line}, which `inputs=` does not list",
                help=f"list it: `inputs=[..., {name}]`"
                if name
                else f"name the `input(...)` on line {line} and list it in `inputs=`",
            )

    def name_of(self, stage: int) -> str | None:
        """The name that holds the one tensor ``stage`` makes, if any."""
        for name, tensors in self.values.items():
            if tensors and len(tensors) == 1 and tensors[0].stage == stage:
                return name
        return None

    def needed(self, outputs: list[TensorRef]) -> set[int]:
        """The stages ``outputs`` are computed from, their own included."""
        needed: set[int] = set()
        todo = [stage for stage, _ in outputs]
        while todo:
            stage = todo.pop()
            if stage in needed:
                continue
            needed.add(stage)
            for source, _ in self.inbound.get(stage, ()) + self.initial.get(stage, ()):
                todo.append(source)
        return needed

    def unused(self, inputs: list[int], outputs: list[TensorRef]) -> None:
        """W505: inputs the outputs do not depend on, and tensors named but never used.
        Not after an error: a line that failed leaves what it would have used unused."""
        ctx = self.ctx
        if any(d.is_error for d in ctx.diags):
            return
        needed = self.needed(outputs)
        for stage in sorted(ctx.inputs):
            layer = ctx.layers[stage]
            if layer is not None and stage not in needed and outputs:
                ctx.report(
                    "W505",
                    ctx.stages[stage].call.span,
                    "the model's outputs do not depend on this input",
                    help="use it, or remove it: Keras builds the model, but then wants "
                    "data for an input it ignores",
                    stage=stage,
                    severity=WARNING,
                )
        for name, entry in self.names.items():
            if entry.kind == "tensor" and not entry.used and self.values.get(name):
                tensors = self.values.get(name)
                if tensors and any((t.stage, t.port) in set(outputs) for t in tensors):
                    continue
                if tensors and tensors[0].stage in ctx.inputs:
                    continue  # reported above, as an input
                ctx.report(
                    "W505",
                    entry.span,
                    f"`{name}` is never used",
                    help="use it, list it in `model(outputs=...)`, or remove it",
                    severity=WARNING,
                )


def _shapes(shapes: tuple) -> str:
    return fmt(shapes[0]) if len(shapes) == 1 else "[" + ", ".join(map(fmt, shapes)) + "]"


def _several(tensors: list[_Tensor]) -> _Tensor:
    """A name holding several tensors, used where one is meant: one tensor whose flow
    carries all their shapes, so the layer's rule reports E202 as in a chain."""
    first = tensors[0]
    flow = Flow(
        tuple(t.flow.shapes[0] for t in tensors),
        first.stage,
        multi_at=first.stage,
        dtype=first.flow.dtype,
    )
    return _Tensor(first.stage, first.port, flow)


def _flow_into(layer: Layer, tensors: list[_Tensor]) -> Flow:
    """What flows into ``layer``: one tensor's flow, or the list of several."""
    if len(tensors) == 1:
        return tensors[0].flow
    flows = [t.flow for t in tensors]
    mode = layer.spec.mask
    masked = [f.masked_at for f in flows]
    if mode == "all":
        mask = masked[0] if all(m is not None for m in masked) else None
    elif mode == "any":
        mask = next((m for m in masked if m is not None), None)
    elif mode == "query":
        mask = masked[0]
    else:
        mask = None
    dtypes = {f.dtype for f in flows}
    dtype = flows[0].dtype if len(dtypes) == 1 else "float32"
    return Flow(tuple(f.shapes[0] for f in flows), tensors[0].stage, masked_at=mask, dtype=dtype)


def _split(flow: Flow, index: int) -> list[_Tensor]:
    """The tensors a stage returns: its flow split per output (a recurrent layer's
    output keeps the provenance; its states and attention scores are plain)."""
    if len(flow.shapes) == 1:
        return [_Tensor(index, 0, flow)]
    first = Flow((flow.shapes[0],), index, flow.collapsed_at, None, flow.masked_at, flow.dtype)
    rest = [
        _Tensor(index, port, Flow((shape,), index, dtype=flow.dtype))
        for port, shape in enumerate(flow.shapes[1:], 1)
    ]
    return [_Tensor(index, 0, first)] + rest


def _state_shapes(layer: Layer) -> list[int]:
    """The units of each state ``layer`` keeps, in `initial_state` order."""
    if layer.keras_class == "Bidirectional":
        forward = layer.inner
        backward = layer.backward or forward
        assert forward is not None and backward is not None
        return _state_shapes(forward) + _state_shapes(backward)
    units = int(layer.get("units"))  # type: ignore[arg-type]
    return [units] * STATES[layer.keras_class]
