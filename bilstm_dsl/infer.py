"""Inference: the flow walk down the chain, stage by stage, as Keras would build it.

Each bound layer's shape rule (`shapes`, through the registry) turns the shapes flowing in
into the shapes flowing out and the weight counts; alongside the shapes flow the dtype and
the Keras mask. Shape assertions are compared, and layers named as Keras names them. After
the first shape error the shapes further down are unknown, so the walk stops inferring
rather than report a cascade; `explain` words the error, `lints` look at each stage that
inferred.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ast
from .explain import shape_error
from .layers import ACTIVATION_INT
from .lints import STAGE_LINTS
from .model import WARNING, Context, Layer, StageInfo
from .shapes import Output, Shape, ShapeError, fmt_shapes


@dataclass(slots=True)
class Flow:
    """What flows from one stage to the next, with the provenance messages need."""

    shapes: tuple[Shape, ...]
    stage: int
    collapsed_at: int | None = None
    """The stage of the recurrent layer that dropped the time axis, if it still matters."""
    multi_at: int | None = None
    """The stage that split the flow into several tensors."""
    masked_at: int | None = None
    """The stage whose Keras mask travels with the tensor (embedding(mask_zero), masking)."""
    dtype: str = "float32"
    """The input's dtype, until a layer that computes in float32 (all but Flatten/Reshape)."""


def infer(ctx: Context, input_layer: Layer | None) -> list[StageInfo]:
    infos: list[StageInfo] = []
    names = Namer(ctx.layers)
    if input_layer is None:
        return infos
    start: Shape = (input_layer.get("batch_size"),) + tuple(input_layer.get("shape"))  # type: ignore[arg-type]
    flow: Flow | None = Flow((start,), 0, dtype=str(input_layer.get("dtype")))
    check_assertion(ctx, 0, flow.shapes)
    for index in range(1, len(ctx.stages)):
        layer = ctx.layers[index]
        if layer is None or flow is None:
            flow = None
            continue
        if int_dtype_mode(layer) == "fail" and flow.dtype.startswith(("int", "uint", "bool")):
            ctx.report(
                "E209",
                ctx.stages[index].call.span,
                f"`{layer.written}` receives {flow.dtype} values: Keras builds it, but "
                "it fails when called (there is no integer kernel for it)",
                help="token ids go through `embedding(...)` first; numbers through "
                'a float input, e.g. `input(20, 3, dtype="float32")`',
                stage=index,
            )
            flow = None
            continue
        try:
            out = layer.spec.rule(layer, flow.shapes)
        except ShapeError as error:
            shape_error(ctx, error, layer, index, flow)
            flow = None
            continue
        for lint in STAGE_LINTS:
            lint(ctx, layer, index, flow)
        flow = next_flow(ctx, flow, out, index)
        trainable, frozen = (out.trainable, out.non_trainable)
        if not layer.get("trainable"):
            trainable, frozen = 0, trainable + frozen
        infos.append(
            StageInfo(
                index,
                names.name(index),
                layer,
                out.shapes,
                trainable,
                frozen,
                ctx.stages[index].span,
            )
        )
        check_assertion(ctx, index, out.shapes)
    return infos


def next_flow(ctx: Context, flow: Flow, out: Output, index: int) -> Flow:
    same_rank = len(out.shapes) == len(flow.shapes) and all(
        len(a) == len(b) for a, b in zip(out.shapes, flow.shapes)
    )
    collapsed = index if out.collapses else (flow.collapsed_at if same_rank else None)
    layer = ctx.layers[index]
    assert layer is not None
    return Flow(
        out.shapes,
        index,
        collapsed,
        index if len(out.shapes) > 1 else None,
        next_mask(ctx, layer, index, flow),
        flow.dtype if int_dtype_mode(layer) == "keep" else "float32",
    )


def next_mask(ctx: Context, layer: Layer, index: int, flow: Flow) -> int | None:
    """Follow a Keras mask: which stage's mask leaves this one, warning where Keras
    silently loses it (``supports_masking=False``)."""
    mode = layer.spec.mask
    if mode == "source":
        if layer.keras_class == "Masking" or layer.get("mask_zero"):
            return index
        return None
    masked = flow.masked_at
    if masked is None:
        return None
    if mode == "recurrent":
        inner = layer.inner if layer.keras_class == "Bidirectional" else layer
        assert inner is not None
        return masked if inner.get("return_sequences") else None
    if mode == "drop":
        source = ctx.layers[masked]
        assert source is not None
        ctx.report(
            "W501",
            ctx.stages[index].call.span,
            f"`{layer.written}` does not support masking: the mask made by "
            f"`{source.written}` on line {ctx.line_of(masked)} is lost here, and the "
            "layers after it see the padding as data",
            help="use a mask-aware layer here (`globalaveragepooling1d()` reduces a "
            "sequence using its mask), or drop the mask where it is made",
            stage=index,
            severity=WARNING,
        )
        return None
    return None if mode == "consume" else masked


def check_assertion(ctx: Context, index: int, shapes: tuple[Shape, ...]) -> None:
    value = ctx.stages[index].assertion
    if value is None:
        return
    expected = _assertion_shapes(value)
    if expected is None:
        ctx.report(
            "E206",
            value.span,
            f"a shape assertion is a tuple of sizes, got `{ctx.text(value.span)}`",
            help="write e.g. `: (20, 64)`, or `: [(20, 32), (20, 32)]` for several tensors",
            stage=index,
        )
        return
    actual = tuple(s[1:] for s in shapes)
    if _matches(expected, actual):
        return
    shown = fmt_shapes(actual, listed=True)
    help = f"write `: {shown}`"
    if _matches(expected, tuple(s for s in shapes)):
        help = "assertions leave out the batch dimension, as `input(...)` does: " + help
    what = "this stage" if index else "the input"
    ctx.report(
        "E205",
        value.span,
        f"{what} produces {shown}, not {ctx.text(value.span)}",
        help=help,
        stage=index,
    )


# -- warnings and notes


def int_dtype_mode(layer: Layer) -> str:
    """What ``layer`` does with integer input: float, keep or fail (see LayerSpec.dtype)."""
    mode = layer.spec.dtype
    if mode == "activation":
        return ACTIVATION_INT.get(str(layer.get("activation")), "fail")
    return mode


class Namer:
    """Layer names as Keras makes them (``lstm``, ``lstm_1``, ...), unless given."""

    def __init__(self, layers: list[Layer | None]) -> None:
        self.taken = {
            str(lay.args["name"]) for lay in layers if lay is not None and lay.args.get("name")
        }
        self.counts: dict[str, int] = {}

        self.names: dict[int, str] = {}
        for index, layer in enumerate(layers):
            if layer is None or index == 0:
                continue
            given = layer.args.get("name")
            self.names[index] = str(given) if given else self.fresh(layer.spec.snake_name)

    def fresh(self, base: str) -> str:
        count = self.counts.get(base, 0)
        while True:
            candidate = base if count == 0 else f"{base}_{count}"
            count += 1
            if candidate not in self.taken:
                self.counts[base] = count
                self.taken.add(candidate)
                return candidate

    def name(self, index: int) -> str:
        return self.names[index]


def _assertion_shapes(value: ast.Value) -> tuple[tuple[object, ...], ...] | None:
    items = value.items if isinstance(value, ast.List) else (value,)
    shapes = []
    for item in items:
        if not isinstance(item, ast.Tuple):
            return None
        dims: list[object] = []
        for dim in item.items:
            if isinstance(dim, ast.Int) and dim.value >= 0:
                dims.append(dim.value)
            elif isinstance(dim, ast.Word) and dim.lower == "none":
                dims.append(None)
            elif isinstance(dim, ast.Word) and dim.value == "_":
                dims.append(_ANY)
            else:
                return None
        shapes.append(tuple(dims))
    return tuple(shapes) if shapes else None


_ANY = object()


def _matches(expected: tuple[tuple[object, ...], ...], actual: tuple[Shape, ...]) -> bool:
    return len(expected) == len(actual) and all(
        len(e) == len(a) and all(d is _ANY or d == b for d, b in zip(e, a))
        for e, a in zip(expected, actual)
    )
