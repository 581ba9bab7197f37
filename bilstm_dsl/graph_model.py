"""Graphs, the model as a whole: its inputs and outputs (``model(...)``, or the defaults),
and what nothing uses (W505). A part of `graph_eval.Evaluator`, kept apart so each class
reads on its own."""

from __future__ import annotations

from . import ast
from .graph_bind import MODEL_ARGS, StatementPlan, refs_of
from .model import WARNING, TensorRef


class ModelPart:
    """The model-level checks of `graph_eval.Evaluator`, which holds the state they read:
    ``ctx``, ``names``, ``values``, ``inbound``, ``initial``, ``consumed``, ``dangling``."""

    def model(self, plan: StatementPlan | None) -> tuple[list[int], list[TensorRef]]:
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
        given = {arg.key: arg for arg in call.args if arg.key in MODEL_ARGS}
        for key in MODEL_ARGS:
            if key not in given:
                ctx.report(
                    "E129",
                    call.span,
                    f"`model(...)` needs `{key}=`",
                    help="write `model(inputs=[a, b], outputs=[c, d])`",
                )
        complete = "inputs" in given
        for ref in refs_of(given["inputs"].value) if "inputs" in given else ():
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
        for ref in refs_of(given["outputs"].value) if "outputs" in given else ():
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
