"""Opaque layers: a layer the checker cannot know, with its output shape and weight count
written out in the spec, and trusted.

``opaque("mypkg.layers:Block", output=(none, 64), params=4160, units=64)``: the class as
``module:Class``, ``output=`` the shape it gives (batch first, written ``none``; a list of
shapes for several outputs), ``params=`` its trainable weights, and every other argument
given to the class's constructor as written (constants only). Nothing is imported here;
`compile` imports the module only when the user names it with ``--allow-import``
(`needs_import`), because importing a module runs its code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import ast
from . import values as v
from .diagnostics import Severity
from .model import Context, Layer, walk
from .plugins import CLASS_PATH, ForeignSpec, Param
from .shapes import Output, Shape

NAME = "opaque"
"""The call that declares an opaque layer."""

_DECLARED = ("output", "params")


def _constant(arg: str, value: ast.Value) -> object:
    """A constructor argument passed on as written: a number, string, boolean, `none`, or
    a tuple or list of them."""
    if isinstance(value, ast.Int | ast.Float | ast.String):
        return value.value
    if isinstance(value, ast.Word):
        return {"true": True, "false": False, "none": None}.get(value.lower, value.value)
    if isinstance(value, ast.Tuple):
        return tuple(_constant(arg, item) for item in value.items)
    if isinstance(value, ast.List):
        return [_constant(arg, item) for item in value.items]
    raise v.ArgError(
        "E103",
        f"`{arg}` of an opaque layer is passed to its class as written, so it must be a "
        f"constant, got {ast.describe(value)}",
        help=f"write a number, string, boolean or tuple, e.g. `{arg}=64`",
    )


CONSTANT = v.Type("constant", _constant, nullable=True)

Binder = Callable[[Context, Layer, list[ast.Arg], int], bool]


def bind_opaque(ctx: Context, call: ast.Call, index: int, bind: Binder) -> Layer | None:
    """The layer ``opaque(...)`` declares, or None after reporting what is wrong; ``bind``
    (`bind.bind`, passed in: bind imports this module) binds its constructor arguments."""
    path: ast.Arg | None = None
    declared: dict[str, ast.Arg] = {}
    rest: list[ast.Arg] = []
    for arg in call.args:
        if arg.key is None and path is None and not rest:
            path = arg
        elif arg.key is not None and arg.key.lower() in _DECLARED:
            declared[arg.key.lower()] = arg
        else:
            rest.append(arg)
    missing = [k for k in ("output", "params") if k not in declared]
    if path is None or missing:
        what = ["the class as `module:Class`"] if path is None else []
        what += [f"`{k}=`" for k in missing]
        ctx.report(
            "E141",
            call.span,
            f"an opaque layer needs {' and '.join(what)}, which the checker cannot work out",
            help='write e.g. `opaque("mypkg.layers:Block", output=(none, 64), params=4160)`',
            stage=index,
        )
        return None
    found = CLASS_PATH.fullmatch(path.value.value) if isinstance(path.value, ast.String) else None
    if found is None:
        ctx.report(
            "E140",
            path.span,
            f"an opaque layer's class is a string `module:Class`, got `{ctx.text(path.span)}`",
            help='write e.g. `opaque("mypkg.layers:Block", ...)`',
            stage=index,
        )
        return None
    outputs = _declared_shapes(ctx, declared["output"], index)
    params = _declared_count(ctx, declared["params"], index)
    if outputs is None or params is None:
        return None
    module, cls = found.group(1), found.group(2)
    extra = tuple(Param(a.key, CONSTANT, None) for a in rest if a.key and a.key != "name")
    common = (Param("name", v.LAYER_NAME, None), Param("trainable", v.BOOL, True))
    spec = ForeignSpec(
        NAME,
        cls,
        common + extra,
        (),
        _rule(outputs, params),
        family="opaque",
        mask="drop",
        dtype="keep",
        dtype_string="keep",
        origin=module,
        declared=True,
    )
    layer = Layer(spec, call.name, call)
    if not bind(ctx, layer, rest, index):
        return None
    ctx.report(
        "N410",
        path.span,
        f"`{cls}` is opaque: its output shape and params are as declared, not checked, and "
        f"`compile` imports `{module}` only when given `--allow-import {module}`",
        help="the declared values are trusted; check them against the real layer",
        stage=index,
        severity=Severity.NOTE,
    )
    return layer


def _declared_shapes(ctx: Context, arg: ast.Arg, index: int) -> tuple[Shape, ...] | None:
    value = arg.value
    many = value.items if isinstance(value, ast.List) and value.items else (value,)
    shapes: list[Shape] = []
    for item in many:
        dims = item.items if isinstance(item, ast.Tuple) else None
        ok = bool(dims) and _is_none(dims[0])  # type: ignore[index]
        ok = ok and all(_is_none(d) or (isinstance(d, ast.Int) and d.value > 0) for d in dims)  # type: ignore[union-attr]
        if not ok:
            ctx.report(
                "E142",
                item.span,
                f"`output=` declares the shape the layer gives, batch first, got "
                f"`{ctx.text(item.span)}`",
                help="write a tuple starting with the batch, `none`, then sizes or `none`: "
                "`output=(none, 20, 64)`; a list of them for several outputs",
                stage=index,
            )
            return None
        shapes.append(tuple(None if _is_none(d) else d.value for d in dims))  # type: ignore[union-attr]
    return tuple(shapes)


def _declared_count(ctx: Context, arg: ast.Arg, index: int) -> int | None:
    value = arg.value
    if isinstance(value, ast.Int) and 0 <= value.value < 2**63:
        return value.value
    ctx.report(
        "E142",
        value.span,
        f"`params=` declares how many trainable weights the layer has, got "
        f"`{ctx.text(value.span)}`",
        help="write a count, e.g. `params=4160` (`0` for a layer without weights)",
        stage=index,
    )
    return None


def _is_none(value: ast.Value) -> bool:
    return isinstance(value, ast.Word) and value.lower == "none"


def _rule(outputs: tuple[Shape, ...], params: int):  # noqa: ANN202
    """The declared shapes (the batch taken from the input) and count, whatever flows in."""

    def rule(layer: object, inputs: tuple[Shape, ...]) -> Output:
        batch = inputs[0][0] if inputs and inputs[0] else None
        return Output(tuple((batch,) + shape[1:] for shape in outputs), params)

    return rule


def needs_import(layers: Iterable[Layer]) -> dict[str, str]:
    """Per opaque layer's module, one class it names (``{"mypkg.layers": "Block"}``), over
    ``layers`` (a checked model's stage layers)."""
    found: dict[str, str] = {}
    for top in layers:
        for layer in walk(top):
            spec = layer.spec
            if getattr(spec, "declared", False):
                found.setdefault(spec.origin, spec.keras_class)
    return found


def import_refused(result: object, allow_import: Iterable[str]) -> str | None:
    """Why ``result``'s model cannot be built with only ``allow_import``'s modules allowed
    (an opaque layer's module not among them), in one line; None when it can."""
    stages = getattr(result, "stages", ())
    needed = needs_import(s.layer for s in stages)
    allowed = set(allow_import)
    refused = [f"{m}:{c}" for m, c in needed.items() if m not in allowed]
    if not refused:
        return None
    flags = " ".join(f"--allow-import {m}" for m in needed if m not in allowed)
    return (
        f"the opaque layer class {', '.join(refused)} is imported only when allowed, since "
        f"importing runs its code: pass {flags} if you trust it"
    )
