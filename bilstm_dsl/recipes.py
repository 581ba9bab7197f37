"""Binding a chain, with recipes: a call that bound cleanly, kept by its text.

`bind_stages` is the chain's binding pass (`bind` resolves each call); a call whose text
bound cleanly before is made again from its recipe instead of bound (`_recipes`), as
docs/architecture.md says under "What is kept between checks"."""

from __future__ import annotations

from . import ast
from .bind import resolve_input, resolve_stage
from .kept import TEXT_AT_MOST, Kept
from .layers import INPUT, LAYERS
from .model import Context, Layer
from .naming import name_layers


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
a new ``args`` dict, the same immutable values, and the spans of the new call's own
arguments (made when first read, `model.Layer.spans`), exactly what binding it again
gives. Only for built-in layers whose
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
