"""Graphs, the checks beyond a stage's shapes: the model as a whole (its inputs and
outputs, ``model(...)``, what nothing uses: W505), and what calls must agree with (a
shared layer's weights: E215; initial states: E213). Parts of `graph_eval.Evaluator`, kept
apart so each class reads on its own."""

from __future__ import annotations

from . import ast
from .graph_bind import MODEL_ARGS, StatementPlan, refs_of
from .model import WARNING, Flow, Layer, StageInfo, TensorRef
from .shapes import fmt, fmt_shapes
from .shapes_cells import state_sizes


class Tensor:
    """One tensor of the graph: which stage made it (its output ``port``), and the flow
    that carries its shape, dtype, mask and provenance."""

    __slots__ = ("stage", "port", "flow")

    def __init__(self, stage: int, port: int, flow: Flow) -> None:
        self.stage, self.port, self.flow = stage, port, flow


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


class CallChecks:
    """What a graph's calls must agree with beyond shapes: a shared layer's weights
    (E215) and a recurrent layer's initial states (E213). A part of
    `graph_eval.Evaluator`."""

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
            f"{what} built its weights for {fmt_shapes(shapes, listed=True)} at its first "
            f"call (line {ctx.line_of(first)}), and they do not fit "
            f"{fmt_shapes(called_on, listed=True)} here "
            f"({info.params:,} weights instead of {built.params:,})",
            help="call a shared layer on tensors of the same feature size, or give this "
            "branch a layer of its own",
            stage=index,
        )
        return False

    def check_states(self, index: int, layer: Layer, states: list[Tensor], info: StageInfo) -> None:
        """``initial_state``: as many tensors as the layer keeps states, each (batch,
        units) (``RNN.call``; `bidirectional` takes the forward's then the backward's)."""
        ctx = self.ctx
        expected = _state_shapes(layer, info)
        if expected is None:
            return
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
            fits = len(shape) == len(want) + 1 and all(
                d is None or d == w for d, w in zip(shape[1:], want)
            )
            if not fits:
                wanted = fmt((None, *want)).replace("None", "batch", 1)
                ctx.report(
                    "E213",
                    span,
                    f"state {number} of `{layer.written}` is {wanted}, but "
                    f"`initial_state` gives {fmt(shape)}",
                    help=f"give states of {want[-1]} units, as the layer's `units`"
                    if len(want) == 1
                    else "give states of the shape of one step of the layer's output",
                    stage=index,
                )
                return


def _state_shapes(layer: Layer, info: StageInfo) -> list[tuple] | None:
    """The shape (batch left out) of each state ``layer`` keeps, in `initial_state` order;
    a convolutional LSTM's is one step of its output (None where not worked out: one
    inside `bidirectional`)."""
    if "filters" in layer.spec.by_name:
        out = info.shapes[0]
        step = out[2:] if layer.get("return_sequences") else out[1:]
        return [tuple(step)] * layer.spec.states
    if layer.inner is not None and "filters" in layer.inner.spec.by_name:
        return None
    return [(size,) for size in state_sizes(layer)]
