"""Graphs, first pass: every statement bound before any tensor flows (see `graph`).

`Binder` resolves each call into a layer, as `bind` does for a chain, and records each
statement's plan: where its flow starts and which stage each arrow makes. Names are
defined here (a name given twice, or used before its line, is reported now), so that
Keras's automatic layer names can be given in the order the layers are made.
"""

from __future__ import annotations

from . import ast
from . import values as v
from .bind import bind_input, resolve, resolve_stage
from .diagnostics import Span
from .layers import KNOWN_NAMES
from .model import Context

MODEL_ARGS = ("inputs", "outputs")


class StatementPlan:
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


class Defined:
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


class Binder:
    def __init__(self, ctx: Context, program: ast.Program) -> None:
        self.ctx = ctx
        self.program = program
        self.names: dict[str, Defined] = {}
        self.later = {
            target.name: (order, target)
            for order, statement in enumerate(program.statements)
            for target in statement.targets
        }

    def stage(self, call: ast.Call, assertion: ast.Value | None, span: Span) -> int:
        ctx = self.ctx
        ctx.stages.append(ast.Stage(call, assertion, span))
        return len(ctx.stages) - 1

    def run(self) -> list[StatementPlan]:
        plans = []
        last = len(self.program.statements) - 1
        for order, statement in enumerate(self.program.statements):
            plan = self.statement(statement, order, order == last)
            plans.append(plan)
            for target in statement.targets:
                self.define(target, order, plan)
        return plans

    def define(self, target: ast.Target, order: int, plan: StatementPlan) -> None:
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
            self.names[target.name] = Defined(target, order, "layer", plan.source)  # type: ignore[arg-type]
        else:
            self.names[target.name] = Defined(target, order, "tensor", None)

    def statement(self, statement: ast.Statement, order: int, last: bool) -> StatementPlan:
        ctx, flow = self.ctx, statement.flow
        source = flow.source
        if isinstance(source, ast.Call):
            name = source.name.lower()
            if name == "model" and not statement.targets and not flow.steps:
                self.model_refs(source, order)
                return StatementPlan(statement, "model", source, [])
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
                    return StatementPlan(statement, "broken", None, [])
                return StatementPlan(statement, "layer", index, [])
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
            bound = resolve_stage(ctx, ctx.stages[index], index)
            if bound is not None:
                for ref in bound.args.get("initial_state") or ():
                    self.use(ref, order, "tensor")
            ctx.layers.append(bound)
            steps.append(index if bound is not None else None)
        return StatementPlan(statement, kind, origin, steps)

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

    def use(self, ref: ast.Ref, order: int, kind: str) -> Defined | None:
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
            for used in names_used(self.program.statements[current]):
                if used in defined_here:
                    return True
                found = self.later.get(used)
                if found is not None:
                    todo.append(found[0])
        return False

    def model_refs(self, call: ast.Call, order: int) -> None:
        for arg in call.args:
            if arg.key not in MODEL_ARGS:
                self.ctx.report(
                    "E129",
                    arg.key_span or arg.span,
                    "`model(...)` takes `inputs=` and `outputs=`",
                    help="write `model(inputs=[a, b], outputs=[c, d])`",
                )
                continue
            for ref in refs_of(arg.value):
                self.use(ref, order, "tensor")


def refs_of(value: ast.Value) -> list[ast.Ref]:
    items = value.items if isinstance(value, ast.List | ast.Tuple) else (value,)
    refs = []
    for item in items:
        if isinstance(item, ast.Ref):
            refs.append(item)
        elif isinstance(item, ast.Word):
            refs.append(ast.Ref(item.value, None, item.span))
    return refs


def names_used(statement: ast.Statement) -> list[str]:
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
                    names += [r.name for r in refs_of(arg.value)]
    return names
