"""Lints: warnings and notes about models Keras builds but that surprise at run time.

Each lint is one function. Stage lints (`STAGE_LINTS`) look at one stage that inferred,
with the flow coming into it; model lints (`MODEL_LINTS`) look at the whole bound chain
and the stages inferred, once. To add a lint: write the function, add it to its table, add
its code to the catalogue in `catalogue.py` with an example, and a test on its code and
span. A stage lint that can only report on some layers says which with `concerns`, and
the flow walk then calls it only there (it runs for every stage of chains 100,000 long).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_

from .diagnostics import Diagnostic, Fix, Severity, Span
from .layers import LayerSpec
from .memory import memory_bytes, readable_size, weights_bytes
from .model import (
    NOTE,
    WARNING,
    Context,
    Flow,
    Layer,
    StageInfo,
    walk,
)
from .shapes import fmt

StageLint = Callable[[Context, Layer, int, Flow], None]


def concerns(test: Callable[[LayerSpec], bool]) -> Callable[[StageLint], StageLint]:
    """Marks a stage lint that reports only on a layer for which ``test(spec)`` holds, the
    layer's own spec or that of a layer it wraps; `stage_lints` skips it elsewhere."""

    def mark(lint: StageLint) -> StageLint:
        lint.concerns = test  # type: ignore[attr-defined]
        return lint

    return mark


@concerns(lambda spec: spec.keras_class == "Conv1D")
def conv_channels_first(ctx: Context, layer: Layer, index: int, flow: Flow) -> None:
    """W503: an ungrouped channels_first Conv1D. TensorFlow's own CPU kernel is NHWC only;
    with oneDNN (``TF_ENABLE_ONEDNN_OPTS=1``, on by default only on some x86 CPUs) the
    CPU runs it too. Grouped convolutions take another path that runs everywhere.
    Measured on TensorFlow 2.21 (tests/backends/test_keras_compile.py pins both cases)."""
    for inner in walk(layer):
        if (
            inner.keras_class == "Conv1D"
            and inner.get("data_format") == "channels_first"
            and inner.get("groups") == 1
        ):
            ctx.report(
                "W503",
                inner.span_of("data_format") or inner.call.span,
                "TensorFlow runs a `channels_first` convolution on a CPU only through "
                "oneDNN: the model builds and runs on a GPU, but on a CPU it depends on oneDNN "
                "(on by default only on some x86 CPUs; `TF_ENABLE_ONEDNN_OPTS`)",
                help="keep `channels_last` (the default), or set `TF_ENABLE_ONEDNN_OPTS=1` "
                "where the model runs on an x86-64 CPU",
                stage=index,
                severity=WARNING,
            )


@concerns(lambda spec: spec.keras_class == "Embedding")
def embedding_floats(ctx: Context, layer: Layer, index: int, flow: Flow) -> None:
    """W502: an embedding fed floats, which Keras casts to int without a word."""
    if layer.keras_class == "Embedding" and not flow.dtype.startswith(("int", "uint")):
        ctx.report(
            "W502",
            ctx.stages[index].call.span,
            f"`{layer.written}` looks up integer token ids, but its input is "
            f"{flow.dtype}: Keras casts the values to int without a word",
            help='declare the input as integers, e.g. `input(200, dtype="int32")`',
            stage=index,
            severity=WARNING,
        )


@concerns(lambda spec: spec.keras_class == "Dense")
def dense_on_sequence(ctx: Context, layer: Layer, index: int, flow: Flow) -> None:
    """N401: `dense` on a sequence applies to every time step."""
    x = flow.shapes[0]
    if layer.keras_class == "Dense" and len(flow.shapes) == 1 and len(x) >= 3:
        steps = "every time step" if x[1] is None else f"each of the {x[1]} time steps"
        span = ctx.stages[index].call.span  # (on every stage of a long chain of dense)
        ctx.report(
            "N401",
            span,
            f"`{layer.written}` applies to {steps} of its {fmt(x)} input",
            help=f"that is `td({ctx.source[span.start : span.end]})`; for one output per "
            "sequence, drop `seq` from the layer before",
            stage=index,
            severity=NOTE,
        )


@concerns(lambda spec: spec.mask == "recurrent")
def masked_cudnn(ctx: Context, layer: Layer, index: int, flow: Flow) -> None:
    """N402: a mask reaching an LSTM/GRU that could take the cuDNN kernel (once per spec:
    the advice is the same everywhere)."""
    masked = flow.masked_at
    if masked is None or layer.spec.mask != "recurrent" or "N402" in ctx.once:
        return
    inner = layer.inner if layer.keras_class == "Bidirectional" else layer
    assert inner is not None
    if inner.spec.cudnn and inner.get("use_cudnn") is not False:
        ctx.once.add("N402")
        ctx.report(
            "N402",
            ctx.stages[index].call.span,
            f"`{layer.written}` receives a mask (from line {ctx.line_of(masked)}): on a GPU "
            "Keras uses the cuDNN kernel only if every sequence in the batch is "
            "right-padded; left padding, the default of `keras.utils.pad_sequences`, takes "
            "the slower path",
            help='pad with `pad_sequences(..., padding="post")` to keep the fast path',
            stage=index,
            severity=NOTE,
        )


STAGE_LINTS: tuple[StageLint, ...] = (
    conv_channels_first,
    embedding_floats,
    dense_on_sequence,
    masked_cudnn,
)

_BY_SPEC: dict[object, tuple[tuple[LayerSpec, ...], tuple[StageLint, ...]]] = {}
"""The identity of a layer's spec (of each of the layers it wraps too, in `walk` order) ->
(those specs, kept alive so that their ids are not reused; their stage lints)."""


def stage_lints(layer: Layer) -> tuple[StageLint, ...]:
    """The stage lints that can report on ``layer``, in `STAGE_LINTS` order (`concerns`)."""
    if layer.inner is None and layer.backward is None:
        spec = layer.spec
        key: object = id(spec)
        known = _BY_SPEC.get(key)
        if known is None or known[0][0] is not spec:
            known = _BY_SPEC[key] = ((spec,), _concerned((spec,)))
        return known[1]
    inner = layer.inner
    if (
        inner is not None
        and layer.backward is None
        and inner.inner is None
        and inner.backward is None
    ):
        specs: tuple[LayerSpec, ...] = (layer.spec, inner.spec)  # `walk`'s, for bilstm(8)
    else:
        specs = tuple(each.spec for each in walk(layer))
    key = tuple(map(id, specs))
    known = _BY_SPEC.get(key)
    if known is None or not all(map(is_, known[0], specs)):
        known = _BY_SPEC[key] = (specs, _concerned(specs))
    return known[1]


def _concerned(specs: tuple[LayerSpec, ...]) -> tuple[StageLint, ...]:
    return tuple(
        lint
        for lint in STAGE_LINTS
        if (test := getattr(lint, "concerns", None)) is None or any(map(test, specs))
    )


# What keeps LSTM/GRU off cuDNN (keras/src/backend/tensorflow/rnn.py, ``cudnn_ok``, and the
# ``recurrent_dropout`` test in lstm.py/gru.py ``call``): argument -> (breaks it?, wording).
_CUDNN_BREAKERS = {
    "activation": (lambda v: v != "tanh", "an activation other than `tanh`"),
    "recurrent_activation": (
        lambda v: v != "sigmoid",
        "a recurrent activation other than `sigmoid`",
    ),
    "recurrent_dropout": (bool, "`recurrent_dropout`"),
    "unroll": (bool, "`unroll=true`"),
    "use_bias": (lambda v: not v, "`use_bias=false`"),
    "reset_after": (lambda v: not v, "`reset_after=false`"),
}


def cudnn_breakers(ctx: Context, stages: tuple[StageInfo, ...]) -> None:
    """W301: an LSTM/GRU argument that rules out the cuDNN kernel on a GPU. With
    ``use_cudnn=true`` Keras refuses to call the layer off cuDNN (``lstm.py``/``gru.py``
    ``call``: "use_cudnn=True was specified, but cuDNN is not supported"), so there the same
    argument is error E123, and ``use_cudnn=true`` alone is warning W302 (no GPU, no call)."""
    for index, top in enumerate(ctx.layers):
        if top is None or (top.inner is None and top.backward is None and not top.spec.cudnn):
            continue  # nothing here has a cuDNN kernel (most layers): skip the walk
        for layer in walk(top) if top.inner is not None or top.backward is not None else (top,):
            if not layer.spec.cudnn:
                continue
            written = layer.args
            use_cudnn = layer.get("use_cudnn")
            if use_cudnn is not True and written.keys().isdisjoint(_CUDNN_BREAKERS):
                continue  # Keras's defaults: nothing to say (nearly every layer)
            if use_cudnn is False:
                continue
            broken = False
            for arg in _CUDNN_BREAKERS.keys() & written.keys():
                breaks, what = _CUDNN_BREAKERS[arg]
                if not breaks(written[arg]):
                    continue
                broken = True
                if use_cudnn is True:
                    ctx.report(
                        "E123",
                        layer.spans[arg],
                        f"`use_cudnn=true` demands the cuDNN kernel, but {what} rules it out: "
                        f"Keras builds `{layer.written}`, then refuses to call it",
                        help='remove `use_cudnn=true` (the default, `"auto"`, falls back to '
                        "the generic kernel), or keep Keras's default for this argument",
                        stage=index,
                    )
                    continue
                ctx.report(
                    "W301",
                    layer.spans[arg],
                    f"{what} takes `{layer.written}` off the cuDNN kernel; on a GPU it "
                    "runs the generic implementation, several times slower",
                    help="keep Keras's default for the fast path, or add "
                    "`use_cudnn=false` to say the slow path is intended",
                    stage=index,
                    severity=WARNING,
                )
            if use_cudnn is True and not broken:
                ctx.report(
                    "W302",
                    layer.spans["use_cudnn"],
                    f"`use_cudnn=true` makes `{layer.written}` run only on a GPU with cuDNN: "
                    "on a CPU, calling the model fails",
                    help='keep the default, `use_cudnn="auto"`: it takes cuDNN wherever it can',
                    stage=index,
                    severity=WARNING,
                )


def weights_memory(ctx: Context, stages: tuple[StageInfo, ...]) -> None:
    """W504: weights larger than this machine's memory; Keras would try to allocate them
    (and `compile` refuses, saying the same)."""
    if not stages:
        return
    size, memory = weights_bytes(stages), memory_bytes()
    if memory is None or type(size) is not int or size <= memory:
        return  # (a size that depends on an open input's features is not known yet)
    largest = max(stages, key=lambda s: s.params)
    share = largest.params * 100 // max(1, sum(s.params for s in stages))
    ctx.report(
        "W504",
        ctx.stages[largest.index].call.span,
        f"the weights take {readable_size(size)} ({size:,} bytes as float32), more than the "
        f"{readable_size(memory)} of memory there is: Keras cannot build the model",
        help=f"make the largest layer smaller: `{largest.layer.written}` holds {share}% of "
        "the weights",
        stage=largest.index,
        severity=WARNING,
    )


MODEL_LINTS = (cudnn_breakers, weights_memory)


def argument_ignored(
    ctx: Context, layer: Layer, name: str, span: Span, why: str, index: int
) -> None:
    """W506: an argument Keras 3 accepts and ignores, with the edit that deletes it (and
    the comma that joins it to its neighbour). Reported by `bind`, as it binds ``name``."""
    args = layer.call.args
    at = next((i for i, arg in enumerate(args) if arg.span == span), None)
    if at is not None and at > 0:
        cut = Span.at(ctx.source, args[at - 1].span.end, span.end)
    elif at is not None and at + 1 < len(args):
        cut = Span.at(ctx.source, span.start, args[at + 1].span.start)
    else:
        cut = span
    ctx.diags.append(
        Diagnostic(
            "W506",
            Severity.WARNING,
            span,
            f"Keras 3 ignores `{name}` on `{layer.written}`: {why}",
            help=f"delete `{ctx.text(span)}`",
            stage=index,
            fix=Fix(cut, "", f"delete `{name}`"),
        )
    )
