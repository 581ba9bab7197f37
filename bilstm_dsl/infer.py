"""Inference: the flow walk down the chain, stage by stage, as Keras would build it.

Each bound layer's shape rule (`shapes`, through the registry) turns the shapes flowing in
into the shapes flowing out and the weight counts; alongside the shapes flow the dtype and
the Keras mask. Shape assertions are compared, and layers named as Keras names them. After
the first shape error the shapes further down are unknown, so the walk stops inferring
rather than report a cascade; `explain` words the error, `lints` look at each stage that
inferred.
"""

from __future__ import annotations

from . import ast
from .explain import shape_error
from .kept import MOST, Kept
from .layers import ACTIVATION_BOOL, ACTIVATION_INT
from .lints import stage_lints
from .model import NOTE, WARNING, Context, Flow, Layer, StageInfo
from .shapes import Output, Shape, ShapeError, fmt_shapes
from .symbolic import Sym, Undecided, names_in


def start_flow(input_layer: Layer, index: int = 0) -> Flow:
    """The flow out of an ``input(...)`` at stage ``index``."""
    shape: Shape = (input_layer.get("batch_size"),) + tuple(input_layer.get("shape"))  # type: ignore[arg-type]
    return Flow((shape,), index, dtype=str(input_layer.get("dtype")))


def infer(
    ctx: Context, input_layer: Layer | None, texts: list[str | None] | None = None
) -> list[StageInfo]:
    """Walk a chain: each stage applied to what the one before gives. ``texts``: per
    stage, the text of a call whose layer that text alone determines (see `apply`)."""
    infos: list[StageInfo] = []
    if input_layer is None:
        return infos
    flow: Flow | None = start_flow(input_layer)
    check_assertion(ctx, 0, flow.shapes)
    for index in range(1, len(ctx.stages)):
        layer = ctx.layers[index]
        if layer is None or flow is None:
            flow = None
            continue
        info, flow = apply(ctx, index, layer, flow, None, texts[index] if texts else None)
        if info is not None:
            infos.append(info)
    return infos


def apply(
    ctx: Context,
    index: int,
    layer: Layer,
    flow: Flow,
    name: str | None = None,
    text: str | None = None,
) -> tuple[StageInfo | None, Flow | None]:
    """Stage ``index``: ``layer`` applied to ``flow``; what it builds and what flows out,
    or (None, None) after reporting why Keras would fail there. (Runs for every stage of
    chains 100,000 long: the common case, float32, skips `dtype_mode`.)

    ``text``, when given, is the text of a call that determines ``layer`` alone (a chain's
    call bound from its text, `recipes.bind_stages`): its shape rule's output for these
    shapes is then kept (`_outputs`)."""
    dtype = flow.dtype
    mode = "float" if dtype == "float32" else dtype_mode(layer, dtype)
    if mode == "fail":
        _no_kernel(ctx, layer, index, dtype)
        return None, None
    shapes = flow.shapes
    key = None
    if text is not None:
        key = (text, shapes)
        for shape in shapes:  # every size an int or None (see `_outputs`)
            for d in shape:
                if d is not None and type(d) is not int:
                    key = None
    out = _outputs.get(key) if key is not None else None
    if out is None:
        try:
            out = layer.spec.rule(layer, shapes)
        except Undecided as question:
            _undecided(ctx, layer, index, question)
            return None, None
        except ShapeError as error:
            shape_error(ctx, error, layer, index, flow)
            return None, None
        if _too_big(ctx, layer, index, out):
            return None, None
        if key is not None and _outputs.met_before(key):
            _outputs.keep(key, out)
    for lint in stage_lints(layer):
        lint(ctx, layer, index, flow)
    after = next_flow(ctx, flow, out, index, layer, mode)
    trainable, frozen = out.trainable, out.non_trainable
    args = layer.args  # `layer.get("trainable")`, without the call
    if not (args["trainable"] if "trainable" in args else layer.spec.defaults.get("trainable")):
        trainable, frozen = 0, trainable + frozen
    stage = ctx.stages[index]
    info = StageInfo(
        index, name or ctx.names[index], layer, out.shapes, trainable, frozen, stage.span
    )
    if stage.assertion is not None:
        check_assertion(ctx, index, out.shapes)
    return info, after


_outputs = Kept(2 * MOST)
"""(a call's text, the shapes it received) -> what its shape rule gave, for a call whose
layer its text alone determines (`recipes.bind_stages`): a rule is a pure function of the
layer and the shapes, and its `Output` is read, never changed, so the next stage of that
text given those shapes takes it as it is. Only outputs that passed `_too_big`, and only
for shapes whose every size is an int or None (no `Sym`, which compares symbolically), as
`kept.Kept` keeps. Twice as many entries as the calls and recipes kept: a call meets one
key there, and here one per shape it receives (about 800 bytes an entry, 6.5 MB full)."""


INT64 = 2**63
"""TensorFlow holds sizes and counts as int64: a dimension or a weight count past it is a
model no machine can build (and numbers that large would only slow every message)."""


def _too_big(ctx: Context, layer: Layer, index: int, out: Output) -> bool:
    """E214: a dimension or weight count past int64."""
    weights = out.trainable + out.non_trainable
    huge = False
    for shape in out.shapes:
        for d in shape:
            if type(d) is int and d >= INT64:  # a symbolic size has no value yet
                huge = True
    if not huge and (type(weights) is not int or weights < INT64):
        return False
    what = "an output dimension" if huge else "a weight count"
    ctx.report(
        "E214",
        ctx.stages[index].call.span,
        f"`{layer.written}` gives {what} past 2**63, which TensorFlow cannot hold",
        help="use sizes a machine can hold: real layers have at most millions of units",
        stage=index,
    )
    return True


def _undecided(ctx: Context, layer: Layer, index: int, question: Undecided) -> None:
    """N403: what Keras does here depends on a size not written yet (`symbolic`)."""
    ctx.report(
        "N403",
        ctx.stages[index].call.span,
        f"`{layer.written}` cannot be checked until the sizes are known: "
        f"{question.message}; the stages from here on are not checked",
        help="write the sizes in `input(...)`, e.g. `input(20, 8) -> ...`, or check with "
        "`--input-shape 20,8`",
        stage=index,
        severity=NOTE,
    )


_KIND = {"bool": "boolean", "string": "string"}


def _no_kernel(ctx: Context, layer: Layer, index: int, dtype: str) -> None:
    """E209: Keras builds a layer on a dtype it has no kernel for; the call fails."""
    if dtype == "string":
        help = (
            "turn text into token ids before it reaches this layer (e.g. "
            "`keras.layers.TextVectorization` in the data pipeline), and declare the input "
            'as integers: `input(200, dtype="int32")`'
        )
    else:
        help = (
            "token ids go through `embedding(...)` first; numbers through "
            'a float input, e.g. `input(20, 3, dtype="float32")`'
        )
    ctx.report(
        "E209",
        ctx.stages[index].call.span,
        f"`{layer.written}` receives {dtype} values: Keras builds it, but "
        f"it fails when called (there is no {_KIND.get(dtype, 'integer')} kernel for it)",
        help=help,
        stage=index,
    )


def next_flow(ctx: Context, flow: Flow, out: Output, index: int, layer: Layer, mode: str) -> Flow:
    """What flows out of stage ``index``, ``layer`` of `dtype_mode` ``mode``."""
    shapes = out.shapes
    if out.collapses:
        collapsed: int | None = index
    elif flow.collapsed_at is None:
        collapsed = None
    else:  # the time axis stays dropped while the ranks stay as they were
        before = flow.shapes
        if len(shapes) == 1 == len(before):  # one tensor in and out: nearly every stage
            same_rank = len(shapes[0]) == len(before[0])
        else:
            same_rank = len(shapes) == len(before) and all(
                len(a) == len(b) for a, b in zip(shapes, before)
            )
        collapsed = flow.collapsed_at if same_rank else None
    if flow.masked_at is None and layer.spec.mask != "source":
        masked = None  # no mask comes in, and this layer makes none (`next_mask`)
    else:
        masked = next_mask(ctx, layer, index, flow)
    return Flow(
        shapes,
        index,
        collapsed,
        index if len(shapes) > 1 else None,
        masked,
        "float32" if mode == "float" else next_dtype(mode, flow.dtype),
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
    expected = _assertion_shapes(value, ctx.sizes, _named_sizes(ctx))
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


def dtype_mode(layer: Layer, dtype: str) -> str:
    """What ``layer`` does with input of ``dtype``: ``float`` (computes in float32),
    ``keep`` (passes the values through), ``int32`` or ``fail`` (Keras builds the layer
    but calling it fails: there is no kernel for that dtype). See LayerSpec.dtype."""
    spec = layer.spec
    if dtype == "float32" or dtype.startswith("float") or dtype.startswith("bfloat"):
        return "float"
    if dtype == "string":
        if spec.dtype == "activation":
            return "keep" if layer.get("activation") == "linear" else "fail"
        return spec.dtype_string
    if dtype == "bool":
        if spec.dtype == "activation":
            return ACTIVATION_BOOL.get(str(layer.get("activation")), "fail")
        if spec.dtype_bool is not None:
            return spec.dtype_bool
    if spec.dtype == "activation":
        return ACTIVATION_INT.get(str(layer.get("activation")), "fail")
    return spec.dtype


def next_dtype(mode: str, dtype: str) -> str:
    return dtype if mode == "keep" else "int32" if mode == "int32" else "float32"


def _named_sizes(ctx: Context) -> frozenset[str]:
    """The sizes the inputs name (``T`` of ``input(T, 8)``, ``F`` of an open input) and
    those given a value from outside: what an assertion may write by name."""
    shapes = []
    for index in ctx.inputs:
        layer = ctx.layers[index] if index < len(ctx.layers) else None
        if layer is not None and layer.get("shape") is not None:
            shapes.extend(layer.get("shape"))  # type: ignore[arg-type]
    return names_in(shapes) | frozenset(ctx.sizes)


def _assertion_shapes(
    value: ast.Value, sizes: dict[str, int] | None = None, names: frozenset[str] = frozenset()
) -> tuple[tuple[object, ...], ...] | None:
    """The shapes an assertion writes; a name of ``names`` stands for its size in
    ``sizes`` if there, else for itself."""
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
            elif isinstance(dim, ast.Word) and dim.value in names:
                # a size named in `input(T, 8)`, or the size given for it
                known = sizes.get(dim.value) if sizes else None
                dims.append(Sym.named(dim.value) if known is None else known)
            else:
                return None
        shapes.append(tuple(dims))
    return tuple(shapes) if shapes else None


_ANY = object()


def _matches(expected: tuple[tuple[object, ...], ...], actual: tuple[Shape, ...]) -> bool:
    return len(expected) == len(actual) and all(
        len(e) == len(a) and all(d is _ANY or _same(d, b) for d, b in zip(e, a))
        for e, a in zip(expected, actual)
    )


def _same(written: object, size: object) -> bool:
    """Whether a dim written in an assertion is the size inferred: a name matches only the
    same name (or formula), never a number it might stand for."""
    if isinstance(written, Sym):
        return isinstance(size, Sym) and written.terms == size.terms
    if isinstance(size, Sym):  # `none`: not known when Keras builds the model, as written
        return written is None
    return written == size
