"""THE registry: one entry per layer.

An entry names the layer as written in `.arch` (its Keras class name in lowercase), its
Keras class, its keyword arguments with their types and Keras defaults (in the order of the
Keras constructor, so positional arguments follow Keras), which of them may be written
positionally, and its shape rule. Adding a layer is one entry here plus one parity case.

Short forms live here too, as data: bare flags (`seq`), and aliases that expand to a long
form (`bilstm` -> `bidirectional(lstm(...))`, `td` -> `timedistributed`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import shapes
from . import values as v

REQUIRED = object()
"""Default of an argument that must be given."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: v.Type
    default: object = REQUIRED
    check: Callable[[str, object], str | None] | None = None
    """Returns why a well-typed value is still invalid, or None."""


@dataclass(frozen=True, slots=True)
class LayerSpec:
    name: str
    keras_class: str
    params: tuple[Param, ...]
    positional: tuple[str, ...] | None
    """Arguments that may be written positionally, in order; ``_ALL`` (None) means every
    argument of the Keras signature, as Python allows: ``dense(4, relu, false)``."""
    rule: Callable[..., shapes.Output]
    family: str = "core"
    """``recurrent``, ``wrapper`` or ``core``."""
    cudnn: bool = False
    """Has a cuDNN kernel whose preconditions the checker warns about."""
    by_name: dict[str, Param] = field(init=False, repr=False, compare=False)
    flags: dict[str, str] = field(init=False, repr=False, compare=False)
    """Bare words that set a boolean argument to true: its own name, plus `FLAGS`."""
    defaults: dict[str, object] = field(init=False, repr=False, compare=False)
    """Keras's default for every argument that has one."""
    required: tuple[Param, ...] = field(init=False, repr=False, compare=False)
    snake_name: str = field(init=False, repr=False, compare=False)
    """Keras's automatic layer name for the class (``to_snake_case``): ``simple_rnn``."""

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "by_name", {p.name: p for p in self.params})
        defaults = {p.name: p.default for p in self.params if p.default is not REQUIRED}
        setattr_(self, "defaults", defaults)
        setattr_(self, "required", tuple(p for p in self.params if p.default is REQUIRED))
        if self.positional is None:
            keyword_only = {p.name for p in _COMMON}
            names = tuple(p.name for p in self.params if p.name not in keyword_only)
            setattr_(self, "positional", names)
        flags = {p.name: p.name for p in self.params if p.type is v.BOOL}
        flags.update({flag: arg for flag, arg in FLAGS.items() if arg in self.by_name})
        setattr_(self, "flags", flags)
        snake = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", self.keras_class)
        setattr_(self, "snake_name", re.sub(r"([a-z])([A-Z])", r"\1_\2", snake).lower())


FLAGS = {"seq": "return_sequences", "state": "return_state", "backwards": "go_backwards"}

# Arguments every Keras layer takes through ``Layer.__init__(**kwargs)``.
_COMMON = (Param("name", v.OPT_STR, None), Param("trainable", v.BOOL, True))

_ALL = None
_POS = v.positive
_RATE = v.rate


def _recurrent_params(*, gates: bool, gru: bool = False, lstm: bool = False) -> tuple[Param, ...]:
    """The LSTM / GRU / SimpleRNN signature (``keras/src/layers/rnn/lstm.py`` and siblings)."""
    params = [
        Param("units", v.INT, check=_POS),
        Param("activation", v.ACTIVATION, "tanh"),
    ]
    if gates:
        params.append(Param("recurrent_activation", v.ACTIVATION, "sigmoid"))
    params += [
        Param("use_bias", v.BOOL, True),
        Param("kernel_initializer", v.INITIALIZER, "glorot_uniform"),
        Param("recurrent_initializer", v.INITIALIZER, "orthogonal"),
        Param("bias_initializer", v.INITIALIZER, "zeros"),
    ]
    if lstm:
        params.append(Param("unit_forget_bias", v.BOOL, True))
    params += [
        Param("kernel_regularizer", v.REGULARIZER, None),
        Param("recurrent_regularizer", v.REGULARIZER, None),
        Param("bias_regularizer", v.REGULARIZER, None),
        Param("activity_regularizer", v.REGULARIZER, None),
        Param("kernel_constraint", v.CONSTRAINT, None),
        Param("recurrent_constraint", v.CONSTRAINT, None),
        Param("bias_constraint", v.CONSTRAINT, None),
        Param("dropout", v.FLOAT, 0.0, check=_RATE),
        Param("recurrent_dropout", v.FLOAT, 0.0, check=_RATE),
    ]
    seed = Param("seed", v.OPT_INT, None)
    if gates:  # LSTM and GRU take `seed` here; SimpleRNN takes it last
        params.append(seed)
    params += [
        Param("return_sequences", v.BOOL, False),
        Param("return_state", v.BOOL, False),
        Param("go_backwards", v.BOOL, False),
        Param("stateful", v.BOOL, False),
        Param("unroll", v.BOOL, False),
    ]
    if not gates:
        params.append(seed)
    if gru:
        params.append(Param("reset_after", v.BOOL, True))
    if gates:
        params.append(Param("use_cudnn", v.USE_CUDNN, "auto"))
    return tuple(params) + _COMMON


def _time_distributed(layer, inputs):  # noqa: ANN001, ANN202
    return shapes.time_distributed(layer, inputs, lambda inner, x: inner.spec.rule(inner, x))


LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "lstm",
            "LSTM",
            _recurrent_params(gates=True, lstm=True),
            _ALL,
            shapes.recurrent,
            family="recurrent",
            cudnn=True,
        ),
        LayerSpec(
            "gru",
            "GRU",
            _recurrent_params(gates=True, gru=True),
            _ALL,
            shapes.recurrent,
            family="recurrent",
            cudnn=True,
        ),
        LayerSpec(
            "simplernn",
            "SimpleRNN",
            _recurrent_params(gates=False),
            _ALL,
            shapes.recurrent,
            family="recurrent",
        ),
        LayerSpec(
            "bidirectional",
            "Bidirectional",
            (
                Param("layer", v.LAYER),
                Param("merge_mode", v.MERGE_MODE, "concat"),
                Param("backward_layer", v.OPT_LAYER, None),
            )
            + _COMMON,
            ("layer", "merge_mode"),
            shapes.bidirectional,
            family="wrapper",
        ),
        LayerSpec(
            "timedistributed",
            "TimeDistributed",
            (Param("layer", v.LAYER),) + _COMMON,
            ("layer",),
            _time_distributed,
            family="wrapper",
        ),
        LayerSpec(
            "dense",
            "Dense",
            (
                Param("units", v.INT, check=_POS),
                Param("activation", v.ACTIVATION, None),
                Param("use_bias", v.BOOL, True),
                Param("kernel_initializer", v.INITIALIZER, "glorot_uniform"),
                Param("bias_initializer", v.INITIALIZER, "zeros"),
                Param("kernel_regularizer", v.REGULARIZER, None),
                Param("bias_regularizer", v.REGULARIZER, None),
                Param("activity_regularizer", v.REGULARIZER, None),
                Param("kernel_constraint", v.CONSTRAINT, None),
                Param("bias_constraint", v.CONSTRAINT, None),
            )
            + _COMMON,
            _ALL,
            shapes.dense,
        ),
        LayerSpec(
            "dropout",
            "Dropout",
            (
                Param("rate", v.FLOAT, check=_RATE),
                Param("noise_shape", v.OPT_SHAPE, None),
                Param("seed", v.OPT_INT, None),
            )
            + _COMMON,
            ("rate", "noise_shape", "seed"),
            shapes.identity,
        ),
        LayerSpec(
            "activation",
            "Activation",
            (Param("activation", v.ACTIVATION),) + _COMMON,
            ("activation",),
            shapes.identity,
        ),
    )
}

INPUT = LayerSpec(
    "input",
    "InputLayer",
    (
        Param("shape", v.SHAPE),
        Param("batch_size", v.OPT_INT, None, check=_POS),
        Param("dtype", v.DTYPE, "float32"),
        Param("name", v.OPT_STR, None),
    ),
    (),
    shapes.identity,
)
"""``keras.Input(shape, batch_size, dtype, name)``; its dims are written positionally."""


@dataclass(frozen=True, slots=True)
class Alias:
    """A short form: ``wrapper(inner(...))`` written as one call."""

    wrapper: str
    inner: str | None
    """None for a pure rename (``td`` -> ``timedistributed``)."""


ALIASES: dict[str, Alias] = {
    "bilstm": Alias("bidirectional", "lstm"),
    "bigru": Alias("bidirectional", "gru"),
    "birnn": Alias("bidirectional", "simplernn"),
    "td": Alias("timedistributed", None),
}

KNOWN_NAMES = frozenset(LAYERS) | frozenset(ALIASES) | {"input"}
