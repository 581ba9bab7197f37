"""Argument types: each turns an AST value into the Python value Keras expects, or says
why it cannot. Validators return a reason rather than a boolean, so the message can name
what was wrong.

The name tables mirror Keras 3's own registries (``keras/src/activations/__init__.py``,
``initializers/__init__.py``, ``regularizers/__init__.py``, ``constraints/__init__.py``);
``tests/backends/test_keras_registry.py`` checks them against the installed Keras.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable

from . import ast
from .diagnostics import Span
from .records import Record
from .shapes import fmt

ACTIVATIONS = frozenset(
    """celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh
    leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu sigmoid silu soft_shrink
    softmax softplus softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh
    tanh_shrink threshold""".split()
)

# `constant` is left out: Keras cannot build it from its name alone (it needs a value).
INITIALIZERS = frozenset(
    """glorot_normal glorot_uniform he_normal he_uniform identity lecun_normal
    lecun_uniform normal one ones orthogonal random_normal random_uniform truncated_normal
    uniform variance_scaling zero zeros""".split()
)

REGULARIZERS = frozenset("l1 l2 l1l2 orthogonal_regularizer".split())

CONSTRAINTS = frozenset("max_norm min_max_norm non_neg unit_norm".split())

MERGE_MODES = ("concat", "sum", "mul", "ave")

DTYPES = frozenset(
    """float16 float32 float64 bfloat16 int8 int16 int32 int64 uint8 uint16 uint32 uint64
    bool string""".split()
)


class ArgError(Exception):
    """A value that does not fit its argument; the checker turns it into a diagnostic."""

    def __init__(
        self, code: str, message: str, help: str | None = None, span: Span | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.help = help
        self.span = span
        """Where the problem is, when narrower than the whole value (an object's argument)."""


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to ``word``, for a did-you-mean. Remembered per word and
    choices: a spec can misspell the same name thousands of times, and each answer costs
    difflib a pass over every choice."""
    key = choices if isinstance(choices, frozenset | tuple) else tuple(choices)
    return _closest(word.lower(), key)


@functools.lru_cache(maxsize=4096)
def _closest(word: str, choices: frozenset[str] | tuple[str, ...]) -> str | None:
    import difflib  # only a misspelling needs it; keep it off every check's start-up

    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _is_none(value: ast.Value) -> bool:
    return isinstance(value, ast.Word) and value.lower == "none"


def _type_error(name: str, expected: str, value: ast.Value, example: str) -> ArgError:
    return ArgError(
        "E103",
        f"`{name}` expects {expected}, got {ast.describe(value)}",
        help=f"write e.g. `{name}={example}`",
    )


class Type(Record):
    """An argument type: a name for messages and a coercion from AST to Python."""

    __slots__ = ("name", "coerce", "nullable")

    def __init__(self, name: str, coerce: Callable[..., object], nullable: bool = False) -> None:
        self.name = name
        self.coerce = coerce
        self.nullable = nullable

    def __call__(self, arg: str, value: ast.Value) -> object:
        if self.nullable and _is_none(value):
            return None
        return self.coerce(arg, value)


def _int(arg: str, value: ast.Value) -> int:
    if isinstance(value, ast.Int):
        return value.value
    if isinstance(value, ast.Float) and value.value.is_integer():
        raise ArgError(
            "E103",
            f"`{arg}` expects an integer, got the number {value.value}",
            help=f"write `{arg}={int(value.value)}`",
        )
    raise _type_error(arg, "an integer", value, "32")


def _float(arg: str, value: ast.Value) -> float:
    if isinstance(value, (ast.Int, ast.Float)):
        number = float(value.value)
        if not math.isfinite(number):
            raise ArgError("E104", f"`{arg}` must be a finite number, got {number}")
        return number
    raise _type_error(arg, "a number", value, "0.2")


def _bool(arg: str, value: ast.Value) -> bool:
    if isinstance(value, ast.Word) and value.lower in ("true", "false"):
        return value.lower == "true"
    raise _type_error(arg, "`true` or `false`", value, "true")


def _str(arg: str, value: ast.Value) -> str:
    if isinstance(value, ast.String):
        return value.value
    if isinstance(value, ast.Word) and value.lower not in ("true", "false", "none"):
        return value.value
    raise _type_error(arg, "a string", value, '"name"')


def _named(kind: str, table: frozenset[str], code: str = "E117") -> Callable[[str, ast.Value], str]:
    def coerce(arg: str, value: ast.Value) -> str:
        name = _str(arg, value)
        if name.lower() in table:
            return name.lower()
        close = suggest(name, table)
        raise ArgError(
            code,
            f"unknown {kind} `{name}` for `{arg}`",
            help=f"did you mean `{close}`?" if close else f"known: {', '.join(sorted(table))}",
        )

    return coerce


named = _named

OBJECT_CALLS: dict[str, Callable[[str, ast.Call], object]] = {}
"""How a call written as an initializer, regularizer or constraint (``l2(0.001)``) is
checked, by kind: filled in by `objects`, which builds on this module and so cannot be
imported from it."""

OBJECT_EXAMPLES = {
    "initializer": "glorot_uniform(seed=1)",
    "regularizer": "l2(0.001)",
    "constraint": "max_norm(3)",
}


def _object_or_name(kind: str, table: frozenset[str]) -> Callable[[str, ast.Value], object]:
    """A Keras object argument: a name Keras knows (``"l2"``, its defaults), or a call
    that gives its arguments (``l2(0.001)``), checked by ``OBJECT_CALLS[kind]``."""
    by_name = _named(kind, table)
    example = OBJECT_EXAMPLES[kind]

    def coerce(arg: str, value: ast.Value) -> object:
        if isinstance(value, ast.Call):
            return OBJECT_CALLS[kind](arg, value)
        if isinstance(value, ast.String | ast.Word):
            return by_name(arg, value)
        raise ArgError(
            "E103",
            f"`{arg}` expects {article(kind)}, a name or a call such as `{example}`, "
            f"got {ast.describe(value)}",
            help=f"write e.g. `{arg}={example}`",
        )

    return coerce


def article(noun: str) -> str:
    """``an initializer``, ``a regularizer``."""
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _merge_mode(arg: str, value: ast.Value) -> str:
    if isinstance(value, (ast.String, ast.Word)) and value.value.lower() in MERGE_MODES:
        return value.value.lower()
    shown = value.value if isinstance(value, (ast.String, ast.Word)) else ast.describe(value)
    close = suggest(str(shown), MERGE_MODES + ("none",)) if isinstance(shown, str) else None
    raise ArgError(
        "E110",
        f"unknown merge mode `{shown}`",
        help=(f"did you mean `{close}`? " if close else "")
        + "merge modes are concat, sum, mul, ave and none",
    )


def _shape(arg: str, value: ast.Value) -> tuple[int | None, ...]:
    if not isinstance(value, ast.Tuple):
        raise _type_error(arg, "a tuple of sizes", value, "(20, 1)")
    dims: list[int | None] = []
    for item in value.items:
        if _is_none(item):
            dims.append(None)
        elif isinstance(item, ast.Int) and item.value > 0:
            dims.append(item.value)
        else:
            raise ArgError(
                "E104",
                f"`{arg}` holds sizes, each a positive integer or `none`",
                help=f"write e.g. `{arg}=(20, 1)`",
            )
    return tuple(dims)


def _layer(arg: str, value: ast.Value) -> ast.Call:
    if isinstance(value, ast.Call):
        return value
    example = "lstmcell(32)" if arg == "cell" else "lstm(32)"
    raise ArgError(
        "E116",
        f"`{arg}` expects a layer, got {ast.describe(value)}",
        help=f"write e.g. `{arg}={example}`"
        + (", or stack cells: `stackedrnncells([lstmcell(32), lstmcell(16)])`" * (arg == "cell")),
    )


def _use_cudnn(arg: str, value: ast.Value) -> object:
    if isinstance(value, (ast.String, ast.Word)) and value.value.lower() == "auto":
        return "auto"
    if isinstance(value, ast.Word) and value.lower in ("true", "false"):
        return value.lower == "true"
    raise _type_error(arg, "`auto`, `true` or `false`", value, "auto")


def _int_or_tuple(arg: str, value: ast.Value) -> int:
    """Keras's 1-D ``kernel_size``/``strides``/``pool_size``: an int or a 1-tuple."""
    if isinstance(value, ast.Tuple):
        if len(value.items) != 1:
            raise ArgError(
                "E104",
                f"`{arg}` of a 1-D layer has one size, got {len(value.items)}",
                help=f"write `{arg}=3` or `{arg}=(3,)`",
            )
        value = value.items[0]
    return _int(arg, value)


def _choice(*choices: str, exact: bool = False) -> Callable[[str, ast.Value], str]:
    """One of ``choices``; ``exact`` where Keras compares without lower-casing (pooling
    layers fail at call on ``padding="SAME"``, Conv1D lower-cases it)."""

    def coerce(arg: str, value: ast.Value) -> str:
        name = _str(arg, value)
        if (name if exact else name.lower()) in choices:
            return name if exact else name.lower()
        close = suggest(name, choices)
        raise ArgError(
            "E104",
            f"`{arg}` is one of {', '.join(choices)}, got `{name}`",
            help=f"did you mean `{close}`?" if close else f"write e.g. `{arg}={choices[0]}`",
        )

    return coerce


def one_of(name: str, *choices: str, exact: bool = False) -> Type:
    """A string argument that is one of ``choices`` (E104 with a did-you-mean)."""
    return Type(name, _choice(*choices, exact=exact))


def _axis(arg: str, value: ast.Value) -> int | tuple[int, ...]:
    if isinstance(value, ast.Tuple | ast.List):
        return tuple(_int(arg, item) for item in value.items)
    return _int(arg, value)


def _target_shape(arg: str, value: ast.Value) -> tuple[int, ...]:
    if not isinstance(value, ast.Tuple):
        raise _type_error(arg, "a tuple of sizes", value, "(10, 4)")
    dims = tuple(_int(arg, item) for item in value.items)
    if any(d == 0 or d < -1 for d in dims) or dims.count(-1) > 1:
        raise ArgError(
            "E104",
            f"`{arg}` holds positive sizes and at most one `-1` (inferred), got {fmt(dims)}",
            help=f"write e.g. `{arg}=(-1, 4)`",
        )
    return dims


INT = Type("integer", _int)
OPT_INT = Type("integer", _int, nullable=True)
FLOAT = Type("number", _float)
OPT_FLOAT = Type("number", _float, nullable=True)
BOOL = Type("boolean", _bool)
STR = Type("string", _str)
OPT_STR = Type("string", _str, nullable=True)
# Activations Keras finds by name but that cannot work as a layer's `activation`, measured
# by calling Dense/Activation/LSTM on data (Keras 3.15): the layer builds, then fails.
UNUSABLE_ACTIVATIONS = {
    "glu": (
        "`glu` halves the last axis, but the layer declares its full width: the model "
        "builds, then computes another shape than the one it declared",
        "choose another activation, e.g. `sigmoid` or `gelu`",
    ),
    "threshold": (
        "`threshold` needs a `threshold` and a `default_value`, which `activation=` cannot "
        "pass: the model builds, then fails when called",
        "choose another activation; for a hard cut-off, `relu` is threshold 0",
    ),
}


def _activation(arg: str, value: ast.Value) -> str:
    name = _named("activation", ACTIVATIONS, "E109")(arg, value)
    unusable = UNUSABLE_ACTIVATIONS.get(name)
    if unusable is not None:
        raise ArgError("E122", unusable[0], help=unusable[1])
    return name


ACTIVATION = Type("activation", _activation, nullable=True)


_SCOPE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-\\>")


def scope_name_problem(name: str, root: bool = False) -> str | None:
    """Why TensorFlow or Keras refuses ``name`` for a layer (``root``: for a model), or None.

    Keras refuses `/` when a layer is made. TensorFlow opens a name scope per layer, and
    one for the model at the root, when the model runs as a graph (fit, predict):
    ``_VALID_SCOPE_NAME_REGEX`` (``[A-Za-z0-9_.\\>-]*``) and, at the root,
    ``_VALID_OP_NAME_REGEX`` (first character ``[A-Za-z0-9.]``), in
    ``tensorflow/python/framework/ops.py``; and a ``>`` must be followed by a letter, digit
    or ``.``, since the op names made from the scope must be valid too (measured: ``a>``,
    ``a>_b`` and ``a>-b`` fail at ``predict``)."""
    bad = sorted({c for c in name if c not in _SCOPE_CHARS})
    if bad:
        shown = " ".join(repr(c) if c.isprintable() and c != " " else ascii(c) for c in bad)
        if bad == ["/"]:
            return "Keras refuses `/` in names"
        return (
            f"TensorFlow accepts only ASCII letters, digits and `_ . - >` in names, not "
            f"{shown}: the model would fail when it runs as a graph (fit, predict)"
        )
    if root and name[:1] in ("_", "-", ">", "\\"):
        return (
            f"a model's name may not start with `{name[0]}`: TensorFlow uses it as a root "
            "name scope, which starts with a letter, digit or `.`"
        )
    for i, c in enumerate(name):
        if c == ">" and not (i + 1 < len(name) and (name[i + 1].isalnum() or name[i + 1] == ".")):
            return (
                "a `>` must be followed by a letter, digit or `.`: TensorFlow's op names "
                "made from the name would be invalid"
            )
    return None


def scope_name_fix(name: str) -> str:
    """``name`` made acceptable to `scope_name_problem`, for a help message."""
    fixed = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "_" for c in name)
    return fixed.strip("_-") or "layer"


def _layer_name(arg: str, value: ast.Value) -> str:
    """A layer name Keras and TensorFlow accept (`scope_name_problem`)."""
    name = _str(arg, value)
    problem = scope_name_problem(name)
    if problem:
        raise ArgError(
            "E104",
            f"`{arg}={name!a}` cannot be used: {problem}",
            help=f'write e.g. `{arg}="{scope_name_fix(name)}"`',
        )
    return name


LAYER_NAME = Type("string", _layer_name, nullable=True)
INITIALIZER = Type("initializer", _object_or_name("initializer", INITIALIZERS))
REGULARIZER = Type("regularizer", _object_or_name("regularizer", REGULARIZERS), nullable=True)
CONSTRAINT = Type("constraint", _object_or_name("constraint", CONSTRAINTS), nullable=True)
MERGE_MODE = Type("merge mode", _merge_mode, nullable=True)
SHAPE = Type("shape", _shape)
OPT_SHAPE = Type("shape", _shape, nullable=True)
DTYPE = Type("dtype", _named("dtype", DTYPES))
LAYER = Type("layer", _layer)
OPT_LAYER = Type("layer", _layer, nullable=True)


def _layer_list(arg: str, value: ast.Value) -> tuple[ast.Call, ...]:
    """``[lstmcell(32), lstmcell(16)]``: layers in a list (``StackedRNNCells(cells)``)."""
    if isinstance(value, ast.List | ast.Tuple) and all(
        isinstance(item, ast.Call) for item in value.items
    ):
        return tuple(value.items)  # type: ignore[arg-type]
    raise ArgError(
        "E116",
        f"`{arg}` expects a list of layers, got {ast.describe(value)}",
        help=f"write e.g. `{arg}=[lstmcell(32), lstmcell(16)]`",
    )


LAYER_LIST = Type("layers", _layer_list)
USE_CUDNN = Type("`auto` or boolean", _use_cudnn)
SIZE1 = Type("size", _int_or_tuple)
OPT_SIZE1 = Type("size", _int_or_tuple, nullable=True)
CONV_PADDING = Type("padding", _choice("valid", "same", "causal"))
POOL_PADDING = Type("padding", _choice("valid", "same", exact=True))
DATA_FORMAT = Type("data format", _choice("channels_last", "channels_first"), nullable=True)
AXIS = Type("axis", _axis)


def _tensors(arg: str, value: ast.Value) -> tuple[ast.Ref, ...]:
    """Tensors named in a graph: ``initial_state=[h, c]`` (or one name alone). Whether the
    names exist is the graph's business; here they only have to be names."""
    items = value.items if isinstance(value, ast.List | ast.Tuple) else (value,)
    refs = []
    for item in items:
        if isinstance(item, ast.Ref):
            refs.append(item)
        elif isinstance(item, ast.Word) and item.lower not in ("true", "false", "none"):
            refs.append(ast.Ref(item.value, None, item.span))
        else:
            raise _type_error(arg, "tensor names", value, "[h, c]")
    return tuple(refs)


TENSORS = Type("tensors", _tensors, nullable=True)


def _axes_pair(arg: str, value: ast.Value) -> int | tuple[int, int]:
    if isinstance(value, ast.Tuple | ast.List):
        if len(value.items) != 2:
            raise ArgError(
                "E104",
                f"`{arg}` is one axis, or two (one per input), got {len(value.items)}",
                help=f"write e.g. `{arg}=(1, 2)`",
            )
        first, second = (_int(arg, item) for item in value.items)
        return (first, second)
    return _int(arg, value)


AXES_PAIR = Type("axes", _axes_pair)
SCORE_MODE = Type("score mode", _choice("dot", "concat", exact=True))


def _renorm_clipping(arg: str, value: ast.Value) -> None:
    """A dict in Keras; not expressible here, so only `none` is accepted."""
    raise ArgError(
        "E103",
        f"`{arg}` takes a dict of clipping bounds, which .arch cannot express",
        help=f"leave `{arg}` at its default, or build this layer in Python",
    )


OPT_RENORM_CLIPPING = Type("clipping bounds", _renorm_clipping, nullable=True)
TARGET_SHAPE = Type("shape", _target_shape)


def positive(arg: str, value: object) -> str | None:
    if isinstance(value, int) and value <= 0:
        return f"expected a positive integer, got {value}"
    return None


def seed(arg: str, value: object) -> str | None:
    """TensorFlow converts seeds to int64: a larger one fails when the layer first draws."""
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return f"expected a 64-bit integer, got {value}"
    return None


def rate(arg: str, value: object) -> str | None:
    """Dropout rates live in [0, 1): at 1 every unit is dropped and Keras's rescaling
    by 1/(1 - rate) divides by zero. (Keras rejects rates outside [0, 1] for Dropout, but
    an LSTM/GRU silently clamps its ``dropout``/``recurrent_dropout`` into [0, 1].)"""
    if isinstance(value, float) and not 0.0 <= value < 1.0:
        clamped = " (Keras would silently clamp it)" if arg.endswith("dropout") else ""
        return f"expected a rate in [0, 1), got {value}{clamped}"
    return None


def unit_interval(arg: str, value: object) -> str | None:
    """GaussianNoise's ``stddev``: Keras accepts [0, 1]."""
    if isinstance(value, float) and not 0.0 <= value <= 1.0:
        return f"expected a value in [0, 1], got {value}"
    return None
