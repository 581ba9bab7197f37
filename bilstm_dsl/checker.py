"""The checker: text -> `CheckResult`, never an exception, whatever the text.

The pipeline, one module per pass, data flowing one way:

    parse (parser)  ->  bind (bind)  ->  infer (infer, explain)  ->  lint (lints)

Binding resolves every stage first, so argument mistakes are reported everywhere; inference
then walks the chain with the shape rules; lints look at what inferred. Each pass reports on
a shared `Context`; here the diagnostics are sorted and the result assembled.
"""

from __future__ import annotations

import gc
import operator

from . import ast
from .bind import resolve_input, resolve_stage
from .diagnostics import Diagnostic, Span
from .infer import infer
from .kept import TEXT_AT_MOST, Kept
from .layers import INPUT, LAYERS
from .lints import MODEL_LINTS
from .model import ERROR, MAX_SOURCE_BYTES, CheckResult, Context, Graph, Layer, StageInfo
from .naming import name_layers
from .open_input import is_open, open_input, override, settle
from .parser import parse
from .symbolic import Deciding

__all__ = ["MAX_SOURCE_BYTES", "CheckResult", "Layer", "StageInfo", "check", "check_bytes"]


def check(
    source: str, path: str = "<string>", input_shape: tuple[int | None, ...] | None = None
) -> CheckResult:
    """Check ``source``; whatever the text, the result is diagnostics, never an exception.
    ``input_shape`` (per sample, no batch) is the input's shape for a chain written without
    `input(...)`, or replaces the dims of the one written (`open_input`).

    The cyclic garbage collector is paused meanwhile: a check builds only acyclic data
    (reference counting frees all of it), and on a 20,000-stage chain the collector's
    repeated passes over the growing tree made checking time grow faster than linearly."""
    # The limit is in UTF-8 bytes, as the CLI reads files: a character is 1 to 4 of them.
    if len(source) * 4 > MAX_SOURCE_BYTES:
        size = len(source.encode("utf-8", "surrogatepass"))
        if size > MAX_SOURCE_BYTES:
            return _too_large(size, "", path)
    paused = gc.isenabled()
    gc.disable()
    Deciding.on = True
    try:
        return _run(source, path, input_shape)
    finally:
        Deciding.on = False
        if paused:
            gc.enable()


def check_bytes(
    data: bytes, path: str = "<string>", input_shape: tuple[int | None, ...] | None = None
) -> CheckResult:
    """Check a file's raw bytes: UTF-8 (a leading BOM is skipped); invalid UTF-8 is
    diagnostic E007 at the first bad byte, not an exception."""
    if len(data) > MAX_SOURCE_BYTES:
        return _too_large(len(data), "", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8")
        text = good + data[error.start :].decode("utf-8", errors="replace")
        diag = Diagnostic(
            "E007",
            ERROR,
            Span.at(text, len(good), len(good) + 1),
            f"the file is not valid UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start})",
            help="save the file as UTF-8; .arch files are plain text",
        )
        return CheckResult(text, path, (diag,), None, ())
    return check(text, path, input_shape)


def _too_large(size: int, source: str, path: str) -> CheckResult:
    diag = Diagnostic(
        "E011",
        ERROR,
        Span.at(source, 0, 0),
        f"the spec is {size:,} bytes, more than the limit of {MAX_SOURCE_BYTES:,}",
        help="a model is a chain of a few layers; is this the right file?",
    )
    return CheckResult(source, path, (diag,), None, ())


def _run(source: str, path: str, input_shape: tuple[int | None, ...] | None) -> CheckResult:
    parsed = parse(source)
    if parsed.diagnostics:
        return CheckResult(source, path, parsed.diagnostics, None, ())
    if parsed.chain is None and parsed.program is None:
        ctx = Context(source, path, [])
        ctx.report(
            "E008",
            Span.at(source, 0, 0),
            "the file holds no model",
            help="write a chain such as `input(20, 1) -> lstm(32) -> dense(1)`",
        )
        return _result(ctx, None, ())
    program = parsed.program
    if program is not None:
        return _run_graph(source, path, program)
    ctx = Context(source, path, list(parsed.chain.stages))
    if is_open(parsed.chain):
        opened = open_input(ctx)
        ctx.open_input = True
        input_layer, texts = bind_stages(ctx, opened)
        settle(ctx, opened, input_shape)
    else:
        input_layer, texts = bind_stages(ctx)
        if input_shape is not None and input_layer is not None:
            problem = override(ctx, input_layer, input_shape)
            if problem:
                ctx.report(
                    "E216",
                    ctx.stages[0].call.span,
                    problem,
                    help="give one size per axis of the input, batch left out",
                    stage=0,
                )
                return _result(ctx, input_layer, ())
    infos = tuple(infer(ctx, input_layer, texts))
    for lint in MODEL_LINTS:
        lint(ctx, infos)
    return _result(ctx, input_layer, infos)


def bind_stages(ctx: Context, given: Layer | None = None) -> tuple[Layer | None, list[str | None]]:
    """Resolve every stage into ``ctx.layers``; return the input layer (None when the
    chain does not start with a valid ``input(...)``), and per stage the text of its call
    where that text alone determines its layer (a recipe's, for `infer`), else None.
    ``given`` is the input made for an open chain (`open_input`), which stage 0 then
    holds. A call whose text bound cleanly before is made again from its recipe
    (`_recipes`)."""
    source, stages, append = ctx.source, ctx.stages, ctx.layers.append
    if given is not None:
        append(given)
        input_layer: Layer | None = given
    else:  # the input's recipes apart: at a later stage `input(...)` is E111
        call = stages[0].call
        text = source[call.span.start : call.span.end]
        recipe = _input_recipes.get(text)
        if recipe is not None:
            input_layer = _remake(recipe, call)
            append(input_layer)
        else:
            reported = len(ctx.diags)
            input_layer = resolve_input(ctx)
            if input_layer is not None and len(ctx.diags) == reported:
                _keep(_input_recipes, text, input_layer)
    recipes = _recipes
    texts: list[str | None] = [None] * len(stages)
    room = KEPT_PER_CHECK
    for index in range(1, len(stages)):
        call = stages[index].call
        span = call.span
        text = source[span.start : span.end]
        recipe = recipes.get(text)
        if recipe is not None:
            append(_remake(recipe, call))
            texts[index] = text
            continue
        reported = len(ctx.diags)
        layer = resolve_stage(ctx, stages[index], index)
        append(layer)
        clean = layer is not None and len(ctx.diags) == reported
        if room and clean and _keep(recipes, text, layer):  # type: ignore[arg-type]
            room -= 1
            texts[index] = text
    name_layers(ctx)
    return input_layer, texts


def _keep(recipes: Kept, text: str, layer: Layer) -> bool:
    """Keep ``layer``'s recipe for ``text`` (the second time a short text bound cleanly,
    `kept.Kept`); whether it is kept."""
    if len(text) > TEXT_AT_MOST or not recipes.met_before(text):
        return False
    recipe = _recipe(layer)
    if recipe is None:
        return False
    recipes.keep(text, recipe)
    return True


# -- recipes: a call that bound cleanly, kept by its text

KEPT_PER_CHECK = 256
"""New recipes one check makes at most: a long file of calls all new pays for keeping a
few hundred of them, not for each (the next checks keep more)."""

_recipes = Kept()
_input_recipes = Kept()
"""Binding a chain's call depends on nothing but its text (the registry is fixed; values
are coerced from the text alone), so the next call of the same text, in another spec or
after an edit elsewhere, is made from a recipe (`_recipe`, `_remake`): a new `Layer`,
new ``args`` and ``spans`` dicts, the same immutable values, and the spans of the new
call's own arguments, exactly what binding it again gives. Only for built-in layers whose
values are numbers, strings, booleans, None or tuples of them, wrapping at most the layer
a short form makes of the same call (``bilstm(8)``); the rest is bound every time. The
input's are kept apart (`_input_recipes`), as only the first stage may be an input. What
is kept, and when, is `kept.Kept`'s policy."""

_PLAIN = frozenset((int, float, str, bool, type(None)))
_BUILT_IN = {spec.name: spec for spec in (*LAYERS.values(), INPUT)}


def _recipe(layer: Layer) -> tuple | None:
    """``(spec, args, spans, inner)``: the values by name in the order bound, which of the
    call's arguments each span is, the inner layer's recipe; None if there can be none."""
    spec, call = layer.spec, layer.call
    if layer.backward is not None or _BUILT_IN.get(spec.name) is not spec:
        return None
    inner = None
    if layer.inner is not None:
        inner = _recipe(layer.inner)
        if (
            inner is None
            or layer.inner.call is not call
            or layer.args.get("layer") is not layer.inner
        ):
            return None
    args = layer.args.copy()
    for name, value in args.items():
        if type(value) not in _PLAIN and not _plain(value) and (inner is None or name != "layer"):
            return None
    if inner is not None:
        args["layer"] = None  # its place in the order; the layer itself is not kept
    spans: list[tuple[str, int | tuple[int, int]]] = []
    written = call.args
    for name, span in layer.spans.items():
        for at, arg in enumerate(written):
            if arg.span is span:
                spans.append((name, at))
                break
        else:  # the input's dims, ``input(20, 1)``: a span over several
            first = [at for at, arg in enumerate(written) if arg.span.start == span.start]
            last = [at for at, arg in enumerate(written) if arg.span.end == span.end]
            if not first or not last:
                return None
            spans.append((name, (first[0], last[0])))
    return spec, args, tuple(spans), inner


def _plain(value: object) -> bool:
    kind = type(value)
    return kind in _PLAIN or (kind is tuple and all(map(_plain, value)))  # type: ignore[arg-type]


def _remake(recipe: tuple, call: ast.Call) -> Layer:
    """The layer ``recipe`` was taken from, made again for ``call`` (of the same text)."""
    spec, args, spans, inner_recipe = recipe
    if inner_recipe is None:
        return Layer(spec, call.name, call, None, args.copy(), spans)
    inner = _remake(inner_recipe, call)
    made_args = args.copy()  # the layer's own dict, in the order bound
    made_args["layer"] = inner
    return Layer(spec, call.name, call, inner, made_args, spans)


def _run_graph(source: str, path: str, program: ast.Program) -> CheckResult:
    ctx = Context(source, path, [])
    ctx.inputs = set()
    ctx.graph = True
    from .graph import check_graph  # a graph's passes: not loaded to check a chain

    infos, graph = check_graph(ctx, program)
    applied = tuple(i for i in infos if i.index not in ctx.shared)
    for lint in MODEL_LINTS:
        lint(ctx, applied)
    first = min(graph.inputs, default=None)
    input_layer = ctx.layers[first] if first is not None else None
    return _result(ctx, input_layer, infos, graph)


def _result(
    ctx: Context,
    input_layer: Layer | None,
    infos: tuple[StageInfo, ...],
    graph: Graph | None = None,
) -> CheckResult:
    diags = ctx.diags
    errors = [d for d in diags if d.severity is ERROR]
    if errors and len(errors) < len(diags):
        # A warning on the very span of an error adds nothing: the error must be fixed.
        error_spans = {d.span for d in errors}
        diags = [d for d in diags if d.severity is ERROR or d.span not in error_spans]
    ok = not errors
    return CheckResult(
        ctx.source,
        ctx.path,
        tuple(sorted(diags, key=_ORDER)),
        input_layer,
        infos if ok else (),
        infos,
        graph,
        ctx.open_input,
    )


_ORDER = operator.attrgetter("span.start", "code")
"""Diagnostics in the order of the text; at one place, by code."""
