"""Argument objects: Keras's built-in regularizers, initializers and constraints written as
calls, ``kernel_regularizer=l2(0.001)``, ``recurrent_initializer=orthogonal(gain=1.0,
seed=1)``, ``kernel_constraint=max_norm(3)``.

One entry per Keras class, with its arguments in Keras's order and Keras's defaults
(``keras/src/regularizers/regularizers.py``, ``keras/src/initializers/*.py``,
``keras/src/constraints/constraints.py``), checked the way layers are: unknown arguments
with a did-you-mean (E102), wrong types (E103), the ranges Keras's constructors enforce
(E104), an object of the wrong kind (E132). A plain name (``"l2"``) stays a name, as
Keras's ``get`` reads it. ``STFT`` is left out: a signal-processing kernel, not a weight
initializer for these layers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from . import ast
from . import values as v
from .records import Record


class ObjectParam(Record):
    __slots__ = ("name", "type", "default", "check")

    def __init__(
        self,
        name: str,
        type: v.Type,  # noqa: A002 - the field's name
        default: object,
        check: Callable[[str, object], str | None] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.default = default
        self.check = check


class ObjectSpec(Record):
    __slots__ = ("name", "kind", "keras_class", "params")

    def __init__(
        self, name: str, kind: str, keras_class: str, params: tuple[ObjectParam, ...]
    ) -> None:
        self.name = name
        """The name Keras registers it under (``l2``, ``random_normal``), as written."""
        self.kind = kind
        """``regularizer``, ``initializer`` or ``constraint``."""
        self.keras_class = keras_class
        self.params = params

    @property
    def module(self) -> str:
        """The Keras module holding the class: ``regularizers``, ..."""
        return self.kind + "s"


class ArgObject(Record):
    """A checked object: its spec and the arguments written, in Keras's order (defaults
    are not stored, so the backends write only what the spec wrote)."""

    __slots__ = ("spec", "args", "positional")

    def __init__(
        self, spec: ObjectSpec, args: tuple[tuple[str, object], ...], positional: int
    ) -> None:
        self.spec = spec
        self.args = args
        self.positional = positional
        """How many of ``args`` were written positionally (and are emitted so)."""

    def get(self, name: str) -> object:
        """The value of ``name``, Keras's default when not written."""
        for key, value in self.args:
            if key == name:
                return value
        return next(p.default for p in self.spec.params if p.name == name)


def _number(arg: str, value: ast.Value) -> int | float:
    """A number kept as written (``max_norm(3)`` is ``MaxNorm(3)``, as Keras stores it)."""
    if isinstance(value, ast.Int):
        return value.value
    return v.FLOAT.coerce(arg, value)


def _non_negative(arg: str, value: object) -> str | None:
    """Keras's ``validate_float_arg`` (regularizers.py): finite and not negative."""
    if isinstance(value, int | float) and value < 0:
        return f"expected a non-negative factor, got {value}"
    return None


def _positive_number(arg: str, value: object) -> str | None:
    """``VarianceScaling``: "Argument `scale` must be positive float"."""
    if isinstance(value, int | float) and value <= 0:
        return f"expected a positive number, got {value}"
    return None


NUMBER = v.Type("number", _number)
AXES = v.Type("axis", v.AXIS.coerce)
OPT_AXES = v.Type("axes", v.AXIS.coerce, nullable=True)
_SEED = ObjectParam("seed", v.OPT_INT, None, check=v.seed)
_NORMAL = (ObjectParam("mean", NUMBER, 0.0), ObjectParam("stddev", NUMBER, 0.05), _SEED)
_FAN_AXES = (ObjectParam("input_axes", OPT_AXES, None), ObjectParam("output_axes", OPT_AXES, None))


def _spec(kind: str, keras_class: str, *params: ObjectParam, names: str) -> list[ObjectSpec]:
    return [ObjectSpec(name, kind, keras_class, params) for name in names.split()]


_R, _I, _C = "regularizer", "initializer", "constraint"

OBJECTS: dict[str, ObjectSpec] = {
    spec.name: spec
    for spec in [
        # regularizers.py
        *_spec(_R, "L1", ObjectParam("l1", NUMBER, 0.01, _non_negative), names="l1"),
        *_spec(_R, "L2", ObjectParam("l2", NUMBER, 0.01, _non_negative), names="l2"),
        *_spec(
            _R,
            "L1L2",
            ObjectParam("l1", NUMBER, 0.0, _non_negative),
            ObjectParam("l2", NUMBER, 0.0, _non_negative),
            names="l1l2",
        ),
        *_spec(
            _R,
            "OrthogonalRegularizer",
            ObjectParam("factor", NUMBER, 0.01, _non_negative),
            ObjectParam("mode", v.one_of("mode", "rows", "columns", exact=True), "rows"),
            names="orthogonal_regularizer",
        ),
        # constant_initializers.py
        *_spec(_I, "Constant", ObjectParam("value", NUMBER, 0.0), names="constant"),
        *_spec(_I, "Zeros", names="zeros zero"),
        *_spec(_I, "Ones", names="ones one"),
        *_spec(_I, "Identity", ObjectParam("gain", NUMBER, 1.0), names="identity"),
        # random_initializers.py
        *_spec(_I, "RandomNormal", *_NORMAL, names="random_normal normal"),
        *_spec(_I, "TruncatedNormal", *_NORMAL, names="truncated_normal"),
        *_spec(
            _I,
            "RandomUniform",
            ObjectParam("minval", NUMBER, -0.05),
            ObjectParam("maxval", NUMBER, 0.05),
            _SEED,
            names="random_uniform uniform",
        ),
        *_spec(
            _I,
            "VarianceScaling",
            ObjectParam("scale", NUMBER, 1.0, _positive_number),
            ObjectParam(
                "mode", v.one_of("mode", "fan_in", "fan_out", "fan_avg", exact=True), "fan_in"
            ),
            ObjectParam(
                "distribution",
                v.one_of(
                    "distribution", "truncated_normal", "untruncated_normal", "uniform", "normal"
                ),
                "truncated_normal",
            ),
            _SEED,
            *_FAN_AXES,
            names="variance_scaling",
        ),
        *_spec(_I, "GlorotNormal", _SEED, *_FAN_AXES, names="glorot_normal"),
        *_spec(_I, "GlorotUniform", _SEED, *_FAN_AXES, names="glorot_uniform"),
        *_spec(_I, "HeNormal", _SEED, *_FAN_AXES, names="he_normal"),
        *_spec(_I, "HeUniform", _SEED, *_FAN_AXES, names="he_uniform"),
        *_spec(_I, "LecunNormal", _SEED, *_FAN_AXES, names="lecun_normal"),
        *_spec(_I, "LecunUniform", _SEED, *_FAN_AXES, names="lecun_uniform"),
        *_spec(
            _I,
            "Orthogonal",
            ObjectParam("gain", NUMBER, 1.0),
            _SEED,
            names="orthogonal",
        ),
        # constraints.py
        *_spec(
            _C,
            "MaxNorm",
            ObjectParam("max_value", NUMBER, 2),
            ObjectParam("axis", AXES, 0),
            names="max_norm",
        ),
        *_spec(_C, "NonNeg", names="non_neg"),
        *_spec(_C, "UnitNorm", ObjectParam("axis", AXES, 0), names="unit_norm"),
        *_spec(
            _C,
            "MinMaxNorm",
            ObjectParam("min_value", NUMBER, 0.0),
            ObjectParam("max_value", NUMBER, 1.0),
            ObjectParam("rate", NUMBER, 1.0),
            ObjectParam("axis", AXES, 0),
            names="min_max_norm",
        ),
    ]
}
"""Every object by the snake name Keras registers; Keras's class names (``L2``,
``RandomNormal``) are read too (`lookup`)."""

_BY_CLASS = {spec.keras_class.lower(): spec for spec in OBJECTS.values()} | {
    "identityinitializer": OBJECTS["identity"],  # Keras's own aliases of the classes
    "orthogonalinitializer": OBJECTS["orthogonal"],
}


def lookup(name: str) -> ObjectSpec | None:
    """The object ``name`` (a snake name or a Keras class name, any case), or None."""
    lowered = name.lower()
    return OBJECTS.get(lowered) or _BY_CLASS.get(lowered)


def names_of(kind: str) -> frozenset[str]:
    return frozenset(name for name, spec in OBJECTS.items() if spec.kind == kind)


def bind_object(arg: str, call: ast.Call, kind: str) -> ArgObject:
    """``call`` checked as the ``kind`` object of argument ``arg``; `ArgError` (with the
    span of the culprit) on the first problem."""
    spec = lookup(call.name)
    if spec is None:
        close = v.suggest(call.name, names_of(kind))
        raise v.ArgError(
            "E117",
            f"unknown {kind} `{call.name}` for `{arg}`",
            help=f"did you mean `{close}`?"
            if close
            else f"known: {', '.join(sorted(names_of(kind)))}",
            span=call.name_span,
        )
    if spec.kind != kind:
        raise v.ArgError(
            "E132",
            f"`{spec.name}` is {v.article(spec.kind)}, but `{arg}` takes {v.article(kind)}",
            help=f"write e.g. `{arg}={v.OBJECT_EXAMPLES[kind]}`, or give `{spec.name}(...)` to a "
            f"`*_{spec.kind}` argument",
            span=call.name_span,
        )
    by_name = {p.name: p for p in spec.params}
    written: dict[str, object] = {}
    positional, keyword_seen = 0, False
    for item in call.args:
        if item.key is None:
            if keyword_seen:
                raise v.ArgError(
                    "E108",
                    "a positional argument follows a keyword argument",
                    help="give it by name, or move it before the keyword arguments",
                    span=item.span,
                )
            if positional >= len(spec.params):
                taken = ", ".join(f"`{p.name}`" for p in spec.params)
                raise v.ArgError(
                    "E106",
                    f"`{spec.name}` takes at most {len(spec.params)} arguments ({taken}), "
                    "this is one more"
                    if spec.params
                    else f"`{spec.name}` takes no arguments",
                    help="remove it" if not spec.params else "give it by name: `name=value`",
                    span=item.span,
                )
            param = spec.params[positional]
            positional += 1
        else:
            keyword_seen = True
            param = by_name.get(item.key) or by_name.get(item.key.lower())  # type: ignore[assignment]
            if param is None:
                close = v.suggest(item.key, by_name)
                raise v.ArgError(
                    "E102",
                    f"`{spec.name}` has no argument `{item.key}`",
                    help=f"did you mean `{close}`?"
                    if close
                    else f"`{spec.keras_class}` takes "
                    + (", ".join(f"`{p.name}`" for p in spec.params) or "no arguments"),
                    span=item.key_span or item.span,
                )
        if param.name in written:
            raise v.ArgError(
                "E105",
                f"`{param.name}` is given twice",
                help=f"keep one value for `{param.name}`",
                span=item.span,
            )
        try:
            value = param.type(param.name, item.value)
        except v.ArgError as error:
            error.span = error.span or item.value.span
            raise
        reason = param.check(param.name, value) if param.check else None
        if reason:
            raise v.ArgError(
                "E104",
                f"invalid value for `{param.name}` of `{spec.name}(...)`: {reason}",
                help=f"write e.g. `{spec.name}({param.name}={param.default!r})`",
                span=item.value.span,
            )
        written[param.name] = value
    order = [p.name for p in spec.params if p.name in written]
    return ArgObject(spec, tuple((name, written[name]) for name in order), positional)


for _kind in (_R, _I, _C):
    # values.py's INITIALIZER, REGULARIZER and CONSTRAINT types hand their calls here.
    v.OBJECT_CALLS[_kind] = functools.partial(bind_object, kind=_kind)


_MATRIX_ONLY = {
    # keras/src/initializers/constant_initializers.py, Identity.__call__: "can only be used
    # for 2D matrices"; random_initializers.py, Orthogonal.__call__: "must be at least
    # two-dimensional"; regularizers.py, OrthogonalRegularizer.__call__: "must have rank 2".
    "Identity": (2, 2),
    "Orthogonal": (2, None),
    "OrthogonalRegularizer": (2, 2),
}
_VECTORS = ("bias_", "beta_", "gamma_", "moving_")
_KERNELS_3D = frozenset({"Conv1D", "MultiHeadAttention"})


def weight_rank(keras_class: str, arg: str) -> int | None:
    """The rank of the weight argument ``arg`` of a layer initializes, regularizes or
    constrains; None for ``activity_regularizer`` (the output's rank)."""
    if arg == "activity_regularizer":
        return None
    if arg.startswith(_VECTORS):
        return 1
    if arg.startswith("kernel_") and keras_class in _KERNELS_3D:
        return 3  # Conv1D's (size, in, out); MultiHeadAttention's EinsumDense kernels
    return 2


def rank_problem(keras_class: str, arg: str, value: object) -> tuple[str, str] | None:
    """Why Keras fails with ``value`` (a name or an `ArgObject`) on ``arg``'s weight, and
    the help: an initializer or regularizer that needs a matrix, on a vector or a 3-D
    kernel."""
    spec = value.spec if isinstance(value, ArgObject) else lookup(str(value))
    if spec is None or spec.keras_class not in _MATRIX_ONLY:
        return None
    rank = weight_rank(keras_class, arg)
    low, high = _MATRIX_ONLY[spec.keras_class]
    if rank is None or (rank >= low and (high is None or rank <= high)):
        return None
    needs = "a matrix (2-D)" if high == 2 else "at least two dimensions"
    return (
        f"`{spec.name}` needs {needs}, but the weight of `{arg}` is {rank}-D",
        _RANK_HELP[spec.kind],
    )


_RANK_HELP = {
    _I: "keep it for kernels and recurrent kernels; a bias or scale takes e.g. `zeros` or "
    "`constant(0.1)`",
    _R: "give it to a 2-D kernel, or use `l2(...)` here",
}


def layer_as_object(
    arg: str, kind: str, call: ast.Call, layers: frozenset[str]
) -> v.ArgError | None:
    """E132 for a layer (one of ``layers``) written where an object is meant, or None."""
    if lookup(call.name) is not None or call.name.lower() not in layers:
        return None
    return v.ArgError(
        "E132",
        f"`{arg}` takes {v.article(kind)}, but `{call.name}` is a layer",
        help=f"write e.g. `{arg}={v.OBJECT_EXAMPLES[kind]}`",
        span=call.name_span,
    )
