"""Third-party layers: packages that describe their own Keras layers to the checker.

A package registers layers under the ``bilstm_dsl.layers`` entry point group; each entry
point loads a `PluginLayer`, or a list or tuple of them. The API a plugin writes against is
this module's public names only (`PluginLayer`, `Param`, `REQUIRED`, `Reject` and the value
types below), not the registry's `LayerSpec`, so the registry can change without breaking
plugins. docs/plugins.md walks through a whole plugin.

Entry points are read lazily: `find` is called only for a name that is not a built-in
layer, because ``importlib.metadata`` scans every installed distribution (tens of
milliseconds) and most specs use built-in layers only. What a plugin gives is validated
here; a broken plugin becomes a list of problems the checker reports (E143), never a
traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import shapes
from . import values as v
from .diagnostics import Span
from .layers import KNOWN_NAMES, REQUIRED, LayerSpec, Param
from .model import Context
from .shapes import Output, Shape, ShapeError

GROUP = "bilstm_dsl.layers"
"""The entry point group plugins register under."""

# The value types a plugin's arguments may have (`values`): stable names for plugins.
INT, OPT_INT, FLOAT, OPT_FLOAT, BOOL = v.INT, v.OPT_INT, v.FLOAT, v.OPT_FLOAT, v.BOOL
STR, OPT_STR, SHAPE, OPT_SHAPE = v.STR, v.OPT_STR, v.SHAPE, v.OPT_SHAPE
ACTIVATION, INITIALIZER, REGULARIZER, CONSTRAINT = (
    v.ACTIVATION,
    v.INITIALIZER,
    v.REGULARIZER,
    v.CONSTRAINT,
)
positive, rate = v.positive, v.rate
"""Checks for `Param.check`: a positive integer, a fraction in [0, 1)."""

__all__ = [
    "GROUP",
    "REQUIRED",
    "Param",
    "PluginLayer",
    "Reject",
    "INT",
    "OPT_INT",
    "FLOAT",
    "OPT_FLOAT",
    "BOOL",
    "STR",
    "OPT_STR",
    "SHAPE",
    "OPT_SHAPE",
    "ACTIVATION",
    "INITIALIZER",
    "REGULARIZER",
    "CONSTRAINT",
    "positive",
    "rate",
]

ShapeRule = Callable[[dict[str, object], object], object]


class Reject(Exception):
    """Raised by a plugin's rule when Keras would refuse the layer here (a rank it cannot
    take, arguments that do not fit the input): the checker reports it as E144."""

    def __init__(self, message: str, help: str | None = None) -> None:
        super().__init__(message)
        self.message, self.help = message, help


@dataclass(frozen=True)
class PluginLayer:
    """One third-party layer, as a plugin describes it.

    ``output_shape(args, input_shape)`` and ``count_params(args, input_shape)`` receive
    every argument (the written value, else its default) by name, and the input's shape,
    batch first (``(None, 20, 8)``), dims an int or None; for ``inputs="list"`` a list of
    shapes. ``output_shape`` returns a shape tuple (or a list of them for several outputs);
    ``count_params`` returns the number of trainable weights, or a pair (trainable,
    non-trainable)."""

    name: str
    """As written in `.arch`: a lowercase identifier that is not a built-in layer."""
    keras_class: str
    """The class as ``"package.module:ClassName"``; the backends import it from there."""
    params: tuple[Param, ...]
    """The constructor's arguments, in its order; ``name`` and ``trainable`` are added."""
    output_shape: ShapeRule
    count_params: ShapeRule
    positional: tuple[str, ...] | None = None
    """Arguments that may be written positionally, in order; None: every one."""
    inputs: str = "one"
    """``one`` tensor, or a ``list`` of them (``layer([a, b])``)."""
    mask: str = "drop"
    """What it does with a Keras mask: ``drop`` (a custom layer's default), ``keep``."""
    dtype: str = "float"
    """With integer input: ``float`` computes in floats, ``keep`` passes it on."""


class ForeignSpec(LayerSpec):
    """A registry entry for a layer Keras does not ship: a plugin's, or an opaque one."""

    __slots__ = ("origin", "declared")

    def __init__(self, *args: object, origin: str = "", declared: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.origin = origin
        """The module to import the class from (``mypkg.layers``)."""
        self.declared = declared
        """Its shape and params are the spec's word (an opaque layer), not computed."""


_NAME = re.compile(r"[a-z_][a-z0-9_]*")
CLASS_PATH = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)")
"""``package.module:ClassName``."""
_COMMON = (Param("name", v.LAYER_NAME, None), Param("trainable", v.BOOL, True))


@dataclass
class _Registry:
    specs: dict[str, ForeignSpec] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """Each broken plugin, said in one line."""


_loaded: _Registry | None = None
_installed: Iterable[object] | None = None


def _entry_points() -> Iterable[object]:
    if _installed is not None:
        return _installed
    from importlib.metadata import entry_points

    return entry_points(group=GROUP)


@contextmanager
def installed(points: Iterable[object]) -> Iterator[None]:
    """Check with these entry points instead of the installed ones (tests, the docs)."""
    global _installed, _loaded
    saved = _installed, _loaded
    _installed, _loaded = tuple(points), None
    try:
        yield
    finally:
        _installed, _loaded = saved


def registry() -> _Registry:
    """Every plugin layer, loaded on first use and then remembered."""
    global _loaded
    if _loaded is None:
        _loaded = _load()
    return _loaded


def find(name: str) -> ForeignSpec | None:
    """The plugin layer written ``name`` (lowercase), or None."""
    return registry().specs.get(name)


def report_broken(ctx: Context, span: Span, index: int) -> None:
    """E143, once per spec, at an unknown name: the plugins that failed to load, which
    may be where that layer was meant to come from."""
    problems = registry().problems
    if problems and "E143" not in ctx.once:
        ctx.once.add("E143")
        for problem in problems:
            ctx.report(
                "E143",
                span,
                f"a layer plugin is broken: {problem}",
                help="fix or uninstall that package; its layers are unknown until then",
                stage=index,
            )


def _load() -> _Registry:
    found = _Registry()
    for point in _entry_points():
        label = f"plugin `{getattr(point, 'name', '?')}` ({getattr(point, 'value', '?')})"
        try:
            loaded = point.load()  # type: ignore[attr-defined]
        except Exception as error:  # noqa: BLE001 - any failure of someone else's code
            found.problems.append(f"{label} fails to load: {type(error).__name__}: {error}")
            continue
        items = loaded if isinstance(loaded, list | tuple) else [loaded]
        for item in items:
            problem = _problem(item)
            if problem is None and item.name in found.specs:
                problem = f"`{item.name}` is registered twice"
            if problem:
                found.problems.append(f"{label}: {problem}")
            else:
                found.specs[item.name] = _spec(item)
    return found


def _problem(item: object) -> str | None:
    """Why ``item`` is not a usable `PluginLayer`, or None."""
    if not isinstance(item, PluginLayer):
        return f"gives {type(item).__name__}, not a bilstm_dsl.plugins.PluginLayer"
    if not isinstance(item.name, str) or not _NAME.fullmatch(item.name):
        return f"layer name {item.name!r} is not a lowercase identifier"
    if item.name in KNOWN_NAMES or item.name == "opaque":
        return f"`{item.name}` is a built-in layer; choose another name"
    if not isinstance(item.keras_class, str) or not CLASS_PATH.fullmatch(item.keras_class):
        return f"`{item.name}`: keras_class {item.keras_class!r} is not `package.module:Class`"
    if not isinstance(item.params, tuple | list) or not all(
        isinstance(p, Param) and isinstance(p.type, v.Type) for p in item.params
    ):
        return f"`{item.name}`: params must be a tuple of bilstm_dsl.plugins.Param"
    names = [p.name for p in item.params]
    if len(set(names)) != len(names) or {"name", "trainable"} & set(names):
        return f"`{item.name}`: params repeat a name, or redefine `name` or `trainable`"
    if item.positional is not None and not set(item.positional) <= set(names):
        return f"`{item.name}`: positional names an argument params does not have"
    if not callable(item.output_shape) or not callable(item.count_params):
        return f"`{item.name}`: output_shape and count_params must be callables"
    choices = (
        ("inputs", ("one", "list")),
        ("mask", ("drop", "keep")),
        ("dtype", ("float", "keep")),
    )
    for attr, allowed in choices:
        if getattr(item, attr) not in allowed:
            return f"`{item.name}`: {attr} must be one of {', '.join(allowed)}"
    return None


def _spec(item: PluginLayer) -> ForeignSpec:
    module, cls = item.keras_class.split(":")
    params = tuple(item.params)
    return ForeignSpec(
        item.name,
        cls,
        params + _COMMON,
        tuple(item.positional) if item.positional is not None else tuple(p.name for p in params),
        _rule(item),
        family="plugin",
        inputs=item.inputs,
        mask=item.mask,
        dtype=item.dtype,
        origin=module,
    )


def _rule(item: PluginLayer) -> Callable[..., Output]:
    """The registry's shape rule for a plugin layer: its two callables, guarded."""

    def rule(layer: shapes.LayerLike, inputs: tuple[Shape, ...]) -> Output:
        given: object = shapes.single(layer, inputs) if item.inputs == "one" else list(inputs)
        args = {p.name: layer.get(p.name) for p in item.params}
        try:
            out = item.output_shape(dict(args), given)
            count = item.count_params(dict(args), given)
        except Reject as rejected:
            raise ShapeError("E144", rejected.message, rejected.help) from None
        except Exception as error:  # noqa: BLE001 - a bug in the plugin, not in the spec
            raise ShapeError(
                "E143",
                f"the rule of plugin layer `{item.name}` fails: {type(error).__name__}: {error}",
                help=f"report it to the maintainers of `{item.keras_class.split(':')[0]}`",
            ) from None
        return Output(_shapes(item, out), *_counts(item, count))

    return rule


def _shapes(item: PluginLayer, out: object) -> tuple[Shape, ...]:
    many = out if isinstance(out, list) else [out]
    for shape in many:
        if not isinstance(shape, tuple) or not shape or not all(_dim(d) for d in shape):
            raise ShapeError(
                "E143",
                f"the output_shape rule of plugin layer `{item.name}` gives {out!r}, not a "
                "shape (a tuple of sizes, batch first, each an int or None)",
                help=f"report it to the maintainers of `{item.keras_class.split(':')[0]}`",
            )
    return tuple(many)  # type: ignore[arg-type]


def _dim(d: object) -> bool:
    return d is None or (type(d) is int and d >= 0) or hasattr(d, "terms")  # `Sym` sizes


def _counts(item: PluginLayer, count: object) -> tuple[int, int]:
    pair = count if isinstance(count, tuple) else (count, 0)
    if len(pair) != 2 or not all(type(n) is int and n >= 0 for n in pair):
        raise ShapeError(
            "E143",
            f"the count_params rule of plugin layer `{item.name}` gives {count!r}, not a "
            "count (an int, or a pair trainable, non-trainable)",
            help=f"report it to the maintainers of `{item.keras_class.split(':')[0]}`",
        )
    return pair  # type: ignore[return-value]
