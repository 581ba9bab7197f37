"""Graphs, second pass: the plans run in order with tensors (see `graph`). Every arrow
applies a layer to the tensors flowing in, through `infer.apply`, so a stage of a graph is
checked, explained and linted exactly as a stage of a chain."""

from __future__ import annotations

from . import ast
from .graph_bind import Defined, StatementPlan
from .graph_model import CallChecks, ModelPart, Tensor
from .infer import apply, check_assertion, start_flow
from .model import Context, Flow, Graph, Layer, StageInfo, TensorRef


class Evaluator(ModelPart, CallChecks):
    def __init__(self, ctx: Context, names: dict[str, Defined], plans: list[StatementPlan]) -> None:
        self.ctx = ctx
        self.names = names
        self.plans = plans
        self.values: dict[str, list[Tensor] | None] = {}
        """Each tensor name's tensors (several for a whole `return_state` output); None
        where its line failed."""
        self.consumed: set[tuple[int, int]] = set()
        self.infos: dict[int, StageInfo] = {}
        self.inbound: dict[int, tuple[TensorRef, ...]] = {}
        self.initial: dict[int, tuple[TensorRef, ...]] = {}
        self.dangling: list[Tensor] = []
        self.applied: dict[int, tuple[int, StageInfo, tuple]] = {}
        """Defined layers applied at least once (their weights are counted): the first
        use's stage, what it inferred and the shapes it was called on."""
        self.named_ops: dict[int, tuple[str, ...]] = {}
        """Per stage called on masked tensors, the operations it makes that Keras names
        from a layer's counter (`LayerSpec.mask_ops`)."""

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

    def flow(self, plan: StatementPlan) -> list[Tensor] | None:
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
            tensors: list[Tensor] | None = [Tensor(index, 0, flow)]
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

    def several_in_list(self, ref: ast.Ref, found: list[Tensor], plan: StatementPlan) -> None:
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

    def tensor(self, ref: ast.Ref, single: bool) -> list[Tensor] | None:
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

    def assert_source(self, assertion: ast.Value, tensors: list[Tensor]) -> None:
        # The assertion sits on the source; report it on the stage that made the tensor.
        stage = tensors[0].stage
        saved = self.ctx.stages[stage]
        self.ctx.stages[stage] = ast.Stage(saved.call, assertion, saved.span)
        check_assertion(self.ctx, stage, tuple(t.flow.shapes[0] for t in tensors))
        self.ctx.stages[stage] = saved

    def step(self, index: int, tensors: list[Tensor]) -> list[Tensor] | None:
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
        if flow.masked_at is not None and layer.spec.mask_ops:
            self.named_ops[index] = layer.spec.mask_ops
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

    def initial_states(self, index: int, layer: Layer) -> list[Tensor] | None:
        refs = layer.args.get("initial_state")
        if not refs:
            return []
        states: list[Tensor] = []
        for ref in refs:  # type: ignore[union-attr]
            found = self.tensor(ref, single=True)
            if found is None:
                return None
            states += found
        self.initial[index] = tuple((t.stage, t.port) for t in states)
        self.consumed.update(self.initial[index])
        return states

    def bind(self, statement: ast.Statement, tensors: list[Tensor] | None) -> None:
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


def _several(tensors: list[Tensor]) -> Tensor:
    """A name holding several tensors, used where one is meant: one tensor whose flow
    carries all their shapes, so the layer's rule reports E202 as in a chain."""
    first = tensors[0]
    flow = Flow(
        tuple(t.flow.shapes[0] for t in tensors),
        first.stage,
        multi_at=first.stage,
        dtype=first.flow.dtype,
    )
    return Tensor(first.stage, first.port, flow)


def _flow_into(layer: Layer, tensors: list[Tensor]) -> Flow:
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


def _split(flow: Flow, index: int) -> list[Tensor]:
    """The tensors a stage returns: its flow split per output (a recurrent layer's
    output keeps the provenance; its states and attention scores are plain)."""
    if len(flow.shapes) == 1:
        return [Tensor(index, 0, flow)]
    first = Flow((flow.shapes[0],), index, flow.collapsed_at, None, flow.masked_at, flow.dtype)
    rest = [
        Tensor(index, port, Flow((shape,), index, dtype=flow.dtype))
        for port, shape in enumerate(flow.shapes[1:], 1)
    ]
    return [Tensor(index, 0, first)] + rest
