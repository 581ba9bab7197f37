"""Explaining shape errors: a `ShapeError` from a rule, turned into the diagnostic a person
needs, pointing at the stage to fix, which is often not the stage that failed.

The rules in `shapes` know only shapes; here the flow's provenance (which stage dropped the
time axis, which split the flow into several tensors, where the input was declared) picks
the culprit and writes the fix: E201 blames the recurrent layer missing ``seq`` and shows it
with ``seq`` added; E202 blames ``return_state`` or ``merge_mode=none``.
"""

from __future__ import annotations

from . import ast
from .model import Context, Flow, Layer, walk
from .shapes import ShapeError, fmt


def shape_error(ctx: Context, error: ShapeError, layer: Layer, index: int, flow: Flow) -> None:
    here = ctx.stages[index].call
    line = here.span.line
    got = flow.shapes[0] if flow.shapes else ()
    if error.code == "E203" and error.min_rank and len(got) < error.min_rank:
        if flow.collapsed_at is not None:
            return needs_sequence(ctx, layer, index, flow.collapsed_at)
        if flow.stage in ctx.inputs:
            source = ctx.stages[flow.stage].call
            return ctx.report(
                "E203",
                source.span,
                f"`{layer.written}` on line {line} needs {error.min_rank}-D input "
                f"{_axes(error.min_rank)}, but `{ctx.text(source.span)}` gives "
                f"{len(got)}-D {fmt(got)}",
                help=f"add a feature axis: `{_add_axis(ctx.text(source.span))}`",
                stage=flow.stage,
            )
    producer = ctx.layers[flow.stage] if flow.stage not in ctx.inputs else None
    if (
        error.code == "E203"
        and layer.keras_class == "RepeatVector"
        and len(got) == 3
        and producer is not None
        and any(lay.get("return_sequences") for lay in walk(producer))
    ):
        return ctx.report(
            "E203",
            producer.span_of("return_sequences") or producer.call.span,
            f"`{producer.written}` returns every step, {fmt(got)}, but `{layer.written}` "
            f"on line {line} repeats one vector",
            help="remove `seq`: an encoder hands its last step to `repeatvector`",
            stage=flow.stage,
        )
    if error.code == "E204" and producer is not None and producer.keras_class == "Flatten":
        return ctx.report(
            "E204",
            producer.call.span,
            f"`{producer.written}` over a variable-length axis gives {fmt(got)}, but "
            f"`{layer.written}` on line {line} needs a known size",
            help="reduce the time axis with `globalmaxpooling1d()` or "
            "`globalaveragepooling1d()`, or give it a size in `input(...)`",
            stage=flow.stage,
        )
    if (
        error.code == "E203"
        and error.min_rank == 3
        and len(got) > 3
        and layer.spec.family != "core"
    ):
        error.help = f"to run it over the first axis, wrap it: `td({ctx.text(here.span)})`"
    if error.code == "E202" and flow.multi_at is not None:
        return several_tensors(ctx, layer, index, flow)
    if error.code == "E204" and flow.stage in ctx.inputs:
        source = ctx.stages[flow.stage].call
        return ctx.report(
            "E204",
            ctx.layers[flow.stage].spans.get("shape", source.span)  # type: ignore[union-attr]
            if ctx.layers[flow.stage]
            else source.span,
            f"{error.message} (the last dimension of the input is `none`)",
            help="give the last dimension of `input(...)` a size, e.g. `input(20, 8)`",
            stage=flow.stage,
        )
    span = here.span
    if error.blame.startswith("arg:"):
        span = layer.span_of(error.blame[4:]) or span
    ctx.report(error.code, span, error.message, error.help, stage=index)


def needs_sequence(ctx: Context, layer: Layer, index: int, collapsed: int) -> None:
    """E201, the mistake this project exists for: blame the layer that dropped the
    time axis, and show it with ``seq`` added."""
    culprit = ctx.layers[collapsed]
    assert culprit is not None
    call, fixed = with_sequences(ctx, culprit)
    if collapsed == index - 1:
        consumer = f"the `{layer.written}` after it"
    else:
        consumer = f"`{layer.written}` on line {ctx.line_of(index)}"
    ctx.report(
        "E201",
        call.span,
        f"`{culprit.written}` returns only its last step, but {consumer} needs the whole sequence",
        help=f"return every step: `{fixed}`",
        stage=collapsed,
    )


def with_sequences(ctx: Context, layer: Layer) -> tuple[ast.Call, str]:
    """The call that holds ``return_sequences`` for ``layer``, and its text fixed."""
    target = layer
    if layer.keras_class == "Bidirectional" and layer.inner is not None:
        target = layer.inner
    call = target.call
    text = ctx.text(call.span)
    span = target.spans.get("return_sequences")
    if span is not None:
        start, end = span.start - call.span.start, span.end - call.span.start
        return call, text[:start] + "return_sequences=true" + text[end:]
    closing = text.rstrip()[:-1].rstrip()
    if any(a.key for a in call.args):
        return call, f"{closing}, return_sequences=true)"
    return call, f"{closing}, seq)"


def several_tensors(ctx: Context, layer: Layer, index: int, flow: Flow) -> None:
    origin = flow.multi_at
    assert origin is not None
    producer = ctx.layers[origin]
    assert producer is not None
    count = len(flow.shapes)
    here = f"`{layer.written}` on line {ctx.line_of(index)} takes one tensor"
    if producer.keras_class == "Bidirectional" and producer.get("merge_mode") is None:
        span = producer.span_of("merge_mode") or producer.call.span
        what = f"`merge_mode=none` makes `{producer.written}` return its {count} directions apart"
        help = "merge the directions with `concat`, `sum`, `mul` or `ave`"
        if any(lay.get("return_state") for lay in walk(producer)):
            help += ", and remove `return_state`"
    else:
        span = producer.span_of("return_state") or producer.call.span
        what = (
            f"`return_state=true` makes `{producer.written}` return {count} tensors "
            "(output and states)"
        )
        help = (
            f"name them: `out, h, c = ... -> {producer.written}(...)`, or pick the output: `x[0]`"
            if ctx.graph
            else "remove `return_state`; a chain passes one tensor from stage to stage"
        )
    ctx.report("E202", span, f"{what}, but {here}", help=help, stage=origin)


def _axes(rank: int) -> str:
    return {2: "(batch, features)", 3: "(batch, time, features)"}.get(rank, "")


def _add_axis(text: str) -> str:
    closing = text.rstrip()[:-1].rstrip()
    return f"{closing}, 1)"


# -- the words of an argument's help (bind's E104 and E107)


def example_value(name: str) -> str:
    """What to write for a required argument ``name`` in an example call (E107)."""
    return _EXAMPLES.get(name, f"{name}=...")


_EXAMPLES = {
    "units": "32",
    "rate": "0.2",
    "activation": "relu",
    "layer": "lstm(32)",
    "cell": "lstmcell(32)",
    "cells": "[lstmcell(32), lstmcell(16)]",
}


def value_help(name: str) -> str | None:
    """How to write a valid value of argument ``name``, where there is one to say (E104)."""
    if name in ("rate", "dropout", "recurrent_dropout"):
        return (
            f"write a fraction such as `{name}=0.2`"
            if name != "rate"
            else "write e.g. `dropout(0.2)`"
        )
    if name in ("units", "batch_size"):
        return f"write a positive size such as `{name}=32`"
    if name == "seed":
        return "write a seed such as `seed=42`"
    return None
