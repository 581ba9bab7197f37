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

from . import (
    objects,  # noqa: F401 - it checks `l2(0.001)` for values.py's object types
    shapes,
    shapes_activations,
    shapes_cells,
    shapes_conv,
    shapes_merge,
    shapes_preprocessing,
    shapes_spatial,
)
from . import values as v
from . import values_layers as vl
from .records import Record

REQUIRED = object()
"""Default of an argument that must be given."""


class Param(Record):
    """One argument of a layer's constructor (or of its call, ``call=True``)."""

    __slots__ = ("name", "type", "default", "check", "call", "kwarg", "legacy")

    def __init__(
        self,
        name: str,
        type: v.Type,  # noqa: A002 - the field's name
        default: object = REQUIRED,
        check: Callable[[str, object], str | None] | None = None,
        call: bool = False,
        kwarg: bool = False,
        legacy: str | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.default = default
        self.check = check
        """Returns why a well-typed value is still invalid, or None."""
        self.call = call
        """Given when the layer is called, not made: ``LSTM(8)(x, initial_state=[h, c])``."""
        self.kwarg = kwarg
        """Taken from ``**kwargs`` rather than the signature, so keyword only."""
        self.legacy = legacy
        """Why Keras 3 accepts this argument and ignores it (a Keras 2 argument): the
        checker warns (W506) with a fix deleting it, and the backends leave it out."""


class LayerSpec(Record):
    """A layer: its names, its arguments in the order of the Keras constructor, its shape
    rule, and what it does with masks and dtypes. The attributes after ``takes`` are made
    from the others, once, when the entry is made."""

    __slots__ = (
        "name",
        "keras_class",
        "params",
        "positional",
        "rule",
        "family",
        "gates",
        "states",
        "label",
        "cudnn",
        "dtype",
        "dtype_bool",
        "dtype_string",
        "inputs",
        "mask",
        "mask_ops",
        "takes",
        "by_name",
        "flags",
        "defaults",
        "required",
        "_snake",
    )
    _computed = ("by_name", "flags", "defaults", "required")

    def __init__(
        self,
        name: str,
        keras_class: str,
        params: tuple[Param, ...],
        positional: tuple[str, ...] | None,
        rule: Callable[..., shapes.Output],
        family: str = "core",
        gates: int = 0,
        states: int = 0,
        label: str | None = None,
        cudnn: bool = False,
        dtype: str = "float",
        dtype_bool: str | None = None,
        dtype_string: str = "fail",
        inputs: str = "one",
        mask: str = "keep",
        takes: tuple[tuple[int | None, ...], str] | None = None,
        mask_ops: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.keras_class = keras_class
        self.params = params
        self.rule = rule
        self.family = family
        """``recurrent``, ``cell`` (steps once, inside ``rnn``), ``wrapper`` or ``core``."""
        self.gates = gates
        """A recurrent layer's or cell's gates: its kernels are ``gates * units`` wide."""
        self.states = states
        """The states a recurrent layer or cell keeps (LSTM: h and c); 0 where the cell
        decides (``rnn``, ``stackedrnncells``)."""
        self.label = label
        """The text of one time step's box when a drawing unrolls the layer (``LSTM``); a
        recurrent layer without one (``rnn``) shows its cells'."""
        self.cudnn = cudnn
        """Has a cuDNN kernel whose preconditions the checker warns about."""
        self.dtype = dtype
        """What the layer does with an integer input, measured by calling each layer on
        int32 data (Keras 3.15, TensorFlow 2.21, CPU): ``float`` computes in floats,
        ``keep`` passes the integers through (Flatten, Reshape, Masking, RepeatVector, max
        pooling), ``fail`` builds but fails when called (no integer kernel);
        ``activation`` depends on the function (`ACTIVATION_INT`)."""
        self.dtype_bool = dtype_bool
        """The same for boolean input, where it differs from integers: ``int32`` when the
        layer turns booleans into int32 (Masking); None means as ``dtype``."""
        self.dtype_string = dtype_string
        """The same for string input: only layers that move values without computing
        (``keep``) accept strings."""
        self.inputs = inputs
        """What the layer is called on: ``one`` tensor; a ``list`` of them (merges,
        ``Attention``: ``layer([a, b])``); or ``separate`` tensors (``MultiHeadAttention``:
        ``layer(query, value, key)``)."""
        self.mask = mask
        """What the layer does with a Keras mask (``supports_masking`` and
        ``compute_mask``): ``keep`` passes it on, ``drop`` loses it (Keras warns),
        ``consume`` uses it up, ``source`` makes one, ``recurrent`` keeps it only with
        ``return_sequences``; for several inputs, ``all`` keeps a mask when every input has
        one (``Merge``), ``any`` when one has (``Concatenate``), ``query`` keeps the
        query's (attention)."""
        self.mask_ops = mask_ops
        """The operations its ``compute_mask`` makes on a mask that Keras names from a
        layer's counter: an `Operation` is named after its class as a layer is
        (``auto_name``), with the same counter. `Concatenate.compute_mask`
        (``keras/src/layers/merging/concatenate.py``) makes a ``concatenate``, so after a
        masked one the next Concatenate layer is ``concatenate_2`` (`naming.name_layers`).
        The other operations made on masks (``not_equal``, ``logical_or``, ``any``,
        ``ones_like``) share no layer's name."""
        self.takes = takes
        """The data the layer is written for, when it is not floats with features last:
        the per-sample shape and dtype an open input gets in front of it (`open_input`):
        token ids for `embedding`, one string per sample for `textvectorization`. None:
        found by asking the shape rule, float32."""
        by_name = self.by_name = {p.name: p for p in params}
        self.defaults = {p.name: p.default for p in params if p.default is not REQUIRED}
        """Keras's default for every argument that has one."""
        self.required = tuple(p for p in params if p.default is REQUIRED)
        if positional is None:
            keyword_only = _KEYWORD_ONLY
            positional = tuple(
                p.name for p in params if p.name not in keyword_only and not p.call and not p.kwarg
            )
        self.positional = positional
        """Arguments that may be written positionally, in order; ``_ALL`` (None) means
        every argument of the Keras signature, as Python allows: ``dense(4, relu, false)``."""
        flags = {p.name: p.name for p in params if p.type is v.BOOL}
        flags.update({flag: arg for flag, arg in FLAGS.items() if arg in by_name})
        self.flags = flags
        """Bare words that set a boolean argument to true: its own name, plus `FLAGS`."""
        self._snake: str | None = None

    @property
    def snake_name(self) -> str:
        """Keras's automatic layer name for the class (``to_snake_case``): ``simple_rnn``.
        Made on first use: two substitutions per entry were a millisecond of every start."""
        if self._snake is None:
            self._snake = snake_case(self.keras_class)
        return self._snake


def snake_case(keras_class: str) -> str:
    """Keras's ``to_snake_case``, for any class: ``SimpleRNN`` -> ``simple_rnn``,
    ``GlorotUniform`` -> ``glorot_uniform``."""
    snake = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", keras_class)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", snake).lower()


ACTIVATION_INT = {"linear": "keep", "relu": "keep", "relu6": "keep", "exponential": "float",
                  "leaky_relu": "float", "tanh": "float"}  # fmt: skip
"""Activations that run on integers (the others fail when called): what they return."""
ACTIVATION_BOOL = {"linear": "keep", "exponential": "float", "tanh": "float"}
"""Activations that run on booleans; on strings only ``linear`` runs (it returns them)."""

FLAGS = {"seq": "return_sequences", "state": "return_state", "backwards": "go_backwards"}

# Keras 2 arguments Keras 3 still accepts and ignores. ``Layer.__init__`` pops
# ``input_shape``/``input_dim`` (keras/src/layers/layer.py: it warns "Do not pass an
# `input_shape`/`input_dim` argument to a layer"; only a Sequential model's first layer
# reads them, and a spec's shape comes from ``input(...)``); ``Embedding.__init__`` pops
# ``input_length`` (keras/src/layers/core/embedding.py: "deprecated. Just remove it").
_IGNORED_SHAPE = "the shape comes from `input(...)`; Keras 3 reads it only in a Sequential model"
_INPUT_SHAPE = Param("input_shape", v.OPT_SHAPE, None, kwarg=True, legacy=_IGNORED_SHAPE)
_INPUT_DIM = Param(
    "input_dim", v.OPT_INT, None, check=v.positive, kwarg=True, legacy=_IGNORED_SHAPE
)
_INPUT_LENGTH = Param(
    "input_length",
    v.OPT_INT,
    None,
    check=v.positive,
    kwarg=True,
    legacy="the sequence length comes from `input(...)`",
)

# Arguments every Keras layer takes through ``Layer.__init__(**kwargs)``.
_COMMON = (
    Param("name", v.LAYER_NAME, None),
    Param("trainable", v.BOOL, True),
    _INPUT_SHAPE,
    _INPUT_DIM,
)
_KEYWORD_ONLY = frozenset(p.name for p in _COMMON if not p.kwarg)
"""Of `_COMMON`, what Keras takes by keyword only (``name``, ``trainable``)."""

_ALL = None
_POS = v.positive

# The tail of the Dense and Conv1D signatures, in Keras's order.
_KERNEL_AND_BIAS = (
    Param("use_bias", v.BOOL, True),
    Param("kernel_initializer", v.INITIALIZER, "glorot_uniform"),
    Param("bias_initializer", v.INITIALIZER, "zeros"),
    Param("kernel_regularizer", v.REGULARIZER, None),
    Param("bias_regularizer", v.REGULARIZER, None),
    Param("activity_regularizer", v.REGULARIZER, None),
    Param("kernel_constraint", v.CONSTRAINT, None),
    Param("bias_constraint", v.CONSTRAINT, None),
)
_RATE = v.rate


def _implementation(arg: str, value: object) -> str | None:
    if value not in (1, 2):
        return f"Keras 3 has implementations 1 and 2 (any other value runs as 2), got {value}"
    return None


_INITIAL_STATE = Param("initial_state", v.TENSORS, None, call=True)
"""The states a recurrent layer starts from (``RNN.call``), tensors of the graph."""


def _weights(*, gates: bool, lstm: bool, activity: bool) -> list[Param]:
    """The head shared by the LSTM / GRU / SimpleRNN layers and their cells, up to
    ``recurrent_dropout`` (``keras/src/layers/rnn/lstm.py`` and siblings); the cells take
    no ``activity_regularizer`` of their own."""
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
    ]
    if activity:
        params.append(Param("activity_regularizer", v.REGULARIZER, None))
    params += [
        Param("kernel_constraint", v.CONSTRAINT, None),
        Param("recurrent_constraint", v.CONSTRAINT, None),
        Param("bias_constraint", v.CONSTRAINT, None),
        Param("dropout", v.FLOAT, 0.0, check=_RATE),
        Param("recurrent_dropout", v.FLOAT, 0.0, check=_RATE),
    ]
    return params


# LSTM and GRU (and their cells) pop it from kwargs for the cell (keras/src/layers/rnn/
# lstm.py): 1 computes each gate with its own small matmuls, 2 (the default, and anything
# but 1) with one fused matmul; the weights and results are the same. `recurrent_dropout`
# forces 1.
_IMPLEMENTATION = Param("implementation", v.INT, 2, check=_implementation, kwarg=True)


def _recurrent_params(*, gates: bool, gru: bool = False, lstm: bool = False) -> tuple[Param, ...]:
    """The LSTM / GRU / SimpleRNN signature (``keras/src/layers/rnn/lstm.py`` and siblings)."""
    params = _weights(gates=gates, lstm=lstm, activity=True)
    seed = Param("seed", v.OPT_INT, None, check=v.seed)
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
        params.append(_IMPLEMENTATION)
    return tuple(params) + _COMMON + (_INITIAL_STATE,)


def _cell(name: str, keras_class: str, *, gates: int, states: int, label: str) -> LayerSpec:
    """LSTMCell / GRUCell / SimpleRNNCell (``keras/src/layers/rnn/lstm.py`` and siblings):
    the layer's weights and dropout, no sequence arguments; one step, so only inside
    ``rnn(...)`` or ``stackedrnncells([...])``."""
    params = _weights(gates=gates > 1, lstm=keras_class == "LSTMCell", activity=False)
    if keras_class == "GRUCell":  # GRUCell takes `reset_after` before `seed`
        params.append(Param("reset_after", v.BOOL, True))
    params.append(Param("seed", v.OPT_INT, None, check=v.seed))
    if gates > 1:
        params.append(_IMPLEMENTATION)
    return LayerSpec(
        name,
        keras_class,
        tuple(params) + _COMMON[:2],
        _ALL,
        shapes_cells.cell_alone,
        family="cell",
        gates=gates,
        states=states,
        label=label,
    )


def _time_distributed(layer, inputs):  # noqa: ANN001, ANN202
    return shapes.time_distributed(layer, inputs, lambda inner, x: inner.spec.rule(inner, x))


def _pooling(
    name: str, keras_class: str, pool_size: object, dtype: str, dtype_bool: str | None = None
) -> LayerSpec:
    """MaxPooling1D / AveragePooling1D: the same signature, different defaults."""
    return LayerSpec(
        name,
        keras_class,
        (
            Param("pool_size", v.SIZE1, pool_size, check=_POS),
            Param("strides", v.OPT_SIZE1, None, check=_POS),
            Param("padding", v.POOL_PADDING, "valid"),
            Param("data_format", v.DATA_FORMAT, None),
        )
        + _COMMON,
        _ALL,
        shapes_conv.pooling1d,
        mask="drop",
        dtype=dtype,
        dtype_bool=dtype_bool,
    )


def _global_pooling(name: str, keras_class: str, mask: str, dtype: str) -> LayerSpec:
    return LayerSpec(
        name,
        keras_class,
        (Param("data_format", v.DATA_FORMAT, None), Param("keepdims", v.BOOL, False)) + _COMMON,
        _ALL,
        shapes_conv.global_pooling1d,
        mask=mask,
        dtype=dtype,
    )


def _merge(
    name: str, keras_class: str, dtype: str, dtype_bool: str, dtype_string: str
) -> LayerSpec:
    """``Add``, ``Subtract``, ...: no arguments of their own (``merging/``)."""
    return LayerSpec(
        name,
        keras_class,
        _COMMON,
        _ALL,
        shapes_merge.elementwise,
        family="merge",
        inputs="list",
        mask="all",
        dtype=dtype,
        dtype_bool=dtype_bool,
        dtype_string=dtype_string,
    )


# Call arguments of the attention layers (``Attention.call``, ``MultiHeadAttention.call``).
_ATTENTION_CALL = (
    Param("return_attention_scores", v.BOOL, False, call=True),
    Param("use_causal_mask", v.BOOL, False, call=True),
)

# What each does with int32, bool and string inputs: measured like LayerSpec.dtype.
_MERGES = (
    _merge("add", "Add", "keep", "fail", "keep"),
    _merge("subtract", "Subtract", "keep", "fail", "fail"),
    _merge("multiply", "Multiply", "keep", "fail", "fail"),
    _merge("average", "Average", "float", "fail", "fail"),
    _merge("maximum", "Maximum", "keep", "fail", "fail"),
    _merge("minimum", "Minimum", "keep", "fail", "fail"),
    LayerSpec(
        "concatenate",
        "Concatenate",
        (Param("axis", v.INT, -1),) + _COMMON,
        _ALL,
        shapes_merge.concatenate,
        family="merge",
        inputs="list",
        mask="any",
        mask_ops=("concatenate",),
        dtype="keep",
        dtype_string="keep",
    ),
    LayerSpec(
        "dot",
        "Dot",
        (Param("axes", v.AXES_PAIR), Param("normalize", v.BOOL, False)) + _COMMON,
        _ALL,
        shapes_merge.dot,
        family="merge",
        inputs="list",
        mask="consume",
        dtype="keep",
    ),
    LayerSpec(
        "attention",
        "Attention",
        (
            Param("use_scale", v.BOOL, False),
            Param("score_mode", v.SCORE_MODE, "dot"),
            Param("dropout", v.FLOAT, 0.0, check=_RATE),
            Param("seed", v.OPT_INT, None, check=v.seed),
        )
        + _COMMON
        + _ATTENTION_CALL,
        _ALL,
        shapes_merge.attention,
        family="attention",
        inputs="list",
        mask="query",
        dtype="fail",
    ),
    LayerSpec(
        "additiveattention",
        "AdditiveAttention",
        (Param("use_scale", v.BOOL, True), Param("dropout", v.FLOAT, 0.0, check=_RATE))
        + _COMMON
        + _ATTENTION_CALL,
        _ALL,
        shapes_merge.additive_attention,
        family="attention",
        inputs="list",
        mask="query",
        dtype="float",
        dtype_bool="fail",
    ),
    LayerSpec(
        "multiheadattention",
        "MultiHeadAttention",
        (
            Param("num_heads", v.INT, check=_POS),
            Param("key_dim", v.INT, check=_POS),
            Param("value_dim", v.OPT_INT, None, check=_POS),
            Param("dropout", v.FLOAT, 0.0, check=_RATE),
            Param("use_bias", v.BOOL, True),
            Param("output_shape", v.OPT_INT, None, check=_POS),
            Param("kernel_initializer", v.INITIALIZER, "glorot_uniform"),
            Param("bias_initializer", v.INITIALIZER, "zeros"),
            Param("kernel_regularizer", v.REGULARIZER, None),
            Param("bias_regularizer", v.REGULARIZER, None),
            Param("activity_regularizer", v.REGULARIZER, None),
            Param("kernel_constraint", v.CONSTRAINT, None),
            Param("bias_constraint", v.CONSTRAINT, None),
            Param("seed", v.OPT_INT, None, check=v.seed),
        )
        + _COMMON
        + _ATTENTION_CALL,
        ("num_heads", "key_dim"),
        shapes_merge.multi_head_attention,
        family="attention",
        inputs="separate",
        mask="query",
        dtype="float",
    ),
)

# -- Layers over images and volumes, activation layers and preprocessing layers (issue 13).
# What each does with int32/bool/string inputs was measured like LayerSpec.dtype.

_POSITIVE_EACH = vl.each_positive
_SPATIAL_PADDING = v.one_of("padding", "valid", "same")
"""Conv2D/Conv3D: ``standardize_padding(padding, allow_causal=rank == 1)`` lower-cases it
and refuses ``causal``."""


def _conv(name: str, keras_class: str, rank: int) -> LayerSpec:
    """Conv2D / Conv3D (``keras/src/layers/convolutional/conv2d.py``, ``conv3d.py``)."""
    size = vl.SIZE2 if rank == 2 else vl.SIZE3
    return LayerSpec(
        name,
        keras_class,
        (
            Param("filters", v.INT, check=_POS),
            Param("kernel_size", size, check=_POSITIVE_EACH),
            Param("strides", size, (1,) * rank, check=_POSITIVE_EACH),
            Param("padding", _SPATIAL_PADDING, "valid"),
            Param("data_format", v.DATA_FORMAT, None),
            Param("dilation_rate", size, (1,) * rank, check=_POSITIVE_EACH),
            Param("groups", v.INT, 1, check=_POS),
            Param("activation", v.ACTIVATION, None),
        )
        + _KERNEL_AND_BIAS
        + _COMMON,
        _ALL,
        shapes_spatial.conv2d if rank == 2 else shapes_spatial.conv3d,
        mask="drop",
        dtype="fail",
    )


def _conv_lstm(name: str, keras_class: str, rank: int) -> LayerSpec:
    """ConvLSTM1D / 2D / 3D (``keras/src/layers/rnn/conv_lstm1d.py`` and siblings): a
    convolution's arguments, then the LSTM's (not ``implementation``)."""
    size = {1: v.SIZE1, 2: vl.SIZE2, 3: vl.SIZE3}[rank]
    lstm = _weights(gates=True, lstm=True, activity=True)
    return LayerSpec(
        name,
        keras_class,
        (
            Param("filters", v.INT, check=_POS),
            Param("kernel_size", size, check=_POSITIVE_EACH),
            Param("strides", size, 1, check=_POSITIVE_EACH),
            Param("padding", _SPATIAL_PADDING, "valid"),
            Param("data_format", v.DATA_FORMAT, None),
            Param("dilation_rate", size, 1, check=_POSITIVE_EACH),
        )
        + tuple(lstm[1:])  # all but `units`
        + (
            Param("seed", v.OPT_INT, None, check=v.seed),
            Param("return_sequences", v.BOOL, False),
            Param("return_state", v.BOOL, False),
            Param("go_backwards", v.BOOL, False),
            Param("stateful", v.BOOL, False),
            # ``RNN``'s, through ``**kwargs``: saved in every config
            Param("unroll", v.BOOL, False, kwarg=True),
        )
        + _COMMON
        + (_INITIAL_STATE,),
        _ALL,
        getattr(shapes_cells, f"conv_lstm{rank}d"),
        family="recurrent",
        mask="recurrent",
        dtype="fail",
        gates=4,
        states=2,
        label="ConvLSTM",
    )


def _pooling2d(name: str, keras_class: str, pool_size: object, dtype: str) -> LayerSpec:
    """MaxPooling2D / AveragePooling2D (``keras/src/layers/pooling/max_pooling2d.py``)."""
    return LayerSpec(
        name,
        keras_class,
        (
            Param("pool_size", vl.SIZE2, pool_size, check=_POSITIVE_EACH),
            Param("strides", vl.OPT_SIZE2, None, check=_POSITIVE_EACH),
            Param("padding", v.POOL_PADDING, "valid"),
            Param("data_format", v.DATA_FORMAT, None),
        )
        + _COMMON,
        _ALL,
        shapes_spatial.pooling2d,
        mask="drop",
        dtype=dtype,
        dtype_bool="fail",
    )


def _global_pooling2d(name: str, keras_class: str, dtype: str) -> LayerSpec:
    return LayerSpec(
        name,
        keras_class,
        (Param("data_format", v.DATA_FORMAT, None), Param("keepdims", v.BOOL, False)) + _COMMON,
        _ALL,
        shapes_spatial.global_pooling2d,
        mask="drop",
        dtype=dtype,
    )


def _activation_layer(
    name: str,
    keras_class: str,
    params: tuple[Param, ...],
    rule: Callable[..., shapes.Output],
    dtype: str,
    dtype_bool: str | None = None,
) -> LayerSpec:
    """ReLU, LeakyReLU, PReLU, ELU, Softmax (``keras/src/layers/activations/``): each sets
    ``supports_masking = True``, so a mask passes through."""
    return LayerSpec(
        name, keras_class, params + _COMMON, _ALL, rule, dtype=dtype, dtype_bool=dtype_bool
    )  # fmt: skip


_NON_NEGATIVE = vl.non_negative
_SEQUENCE_RESHAPING = (
    LayerSpec(
        "upsampling1d",
        "UpSampling1D",
        (Param("size", v.INT, 2, check=_POS),) + _COMMON,
        _ALL,
        shapes_conv.upsampling1d,
        mask="drop",
        dtype="keep",
        dtype_string="keep",
    ),
    LayerSpec(
        "cropping1d",
        "Cropping1D",
        (Param("cropping", vl.PAIR, (1, 1), check=vl.each_non_negative),) + _COMMON,
        _ALL,
        shapes_conv.cropping1d,
        mask="drop",
        dtype="keep",
        dtype_string="keep",
    ),
    LayerSpec(
        "zeropadding1d",
        "ZeroPadding1D",
        (
            Param("padding", vl.PAIR, 1, check=vl.each_non_negative),
            Param("data_format", v.DATA_FORMAT, None),
        )
        + _COMMON,
        _ALL,
        shapes_conv.zeropadding1d,
        mask="drop",
        dtype="keep",
        dtype_string="keep",
    ),
)

_IMAGES = (
    _conv("conv2d", "Conv2D", 2),
    _conv("conv3d", "Conv3D", 3),
    _conv_lstm("convlstm1d", "ConvLSTM1D", 1),
    _conv_lstm("convlstm2d", "ConvLSTM2D", 2),
    _conv_lstm("convlstm3d", "ConvLSTM3D", 3),
    _pooling2d("maxpooling2d", "MaxPooling2D", pool_size=(2, 2), dtype="keep"),
    _pooling2d("averagepooling2d", "AveragePooling2D", pool_size=REQUIRED, dtype="fail"),
    _global_pooling2d("globalmaxpooling2d", "GlobalMaxPooling2D", dtype="keep"),
    _global_pooling2d("globalaveragepooling2d", "GlobalAveragePooling2D", dtype="float"),
)

_ACTIVATIONS = (
    _activation_layer(
        "relu",
        "ReLU",
        (
            Param("max_value", v.OPT_FLOAT, None, check=_NON_NEGATIVE),
            Param("negative_slope", v.FLOAT, 0.0, check=_NON_NEGATIVE),
            Param("threshold", v.FLOAT, 0.0, check=_NON_NEGATIVE),
        ),
        shapes.identity,
        dtype="keep",
        dtype_bool="fail",
    ),
    _activation_layer(
        "leakyrelu",
        "LeakyReLU",
        (Param("negative_slope", v.FLOAT, 0.3, check=_NON_NEGATIVE),),
        shapes.identity,
        dtype="float",
        dtype_bool="fail",
    ),
    _activation_layer(
        "prelu",
        "PReLU",
        (
            Param("alpha_initializer", v.INITIALIZER, "Zeros"),
            Param("alpha_regularizer", v.REGULARIZER, None),
            Param("alpha_constraint", v.CONSTRAINT, None),
            Param("shared_axes", vl.OPT_AXES, None),
        ),
        shapes_activations.prelu,
        dtype="fail",
    ),
    _activation_layer("elu", "ELU", (Param("alpha", v.FLOAT, 1.0),), shapes.identity, dtype="fail"),
    _activation_layer(
        "softmax", "Softmax", (Param("axis", v.AXIS, -1),), shapes_activations.softmax, dtype="fail"
    ),
)


def _max_tokens(arg: str, value: object) -> str | None:
    """``IndexLookup.__init__``: "If set, `max_tokens` must be greater than 1"."""
    if isinstance(value, int) and value <= 1:
        return f"expected an integer greater than 1 (it counts the padding token), got {value}"
    return None


def _nullable(type_: v.Type) -> v.Type:
    return type_.replace(nullable=True)


_PREPROCESSING = (
    LayerSpec(
        "textvectorization",
        "TextVectorization",
        (
            Param("max_tokens", v.OPT_INT, None, check=_max_tokens),
            Param(
                "standardize",
                _nullable(
                    v.one_of(
                        "standardize",
                        "lower_and_strip_punctuation",
                        "lower",
                        "strip_punctuation",
                        exact=True,
                    )
                ),
                "lower_and_strip_punctuation",
            ),
            Param(
                "split",
                _nullable(v.one_of("split", "whitespace", "character", exact=True)),
                "whitespace",
            ),
            Param("ngrams", vl.OPT_NGRAMS, None, check=_POSITIVE_EACH),
            Param(
                "output_mode",
                v.one_of("output mode", "int", "multi_hot", "count", "tf_idf", exact=True),
                "int",
            ),
            Param("output_sequence_length", v.OPT_INT, None, check=_POS),
            Param("pad_to_max_tokens", v.BOOL, False),
            Param("vocabulary", vl.OPT_STRINGS, None),
            Param("idf_weights", vl.OPT_NO_DATA, None),
            Param("sparse", v.BOOL, False),
            Param("ragged", v.BOOL, False),
            Param("encoding", v.STR, "utf-8"),
        )
        + _COMMON,
        _ALL,
        shapes_preprocessing.text_vectorization,
        mask="drop",
        dtype="fail",
        dtype_string="int32",
        takes=((1,), "string"),
    ),  # fmt: skip
    LayerSpec(
        "categoryencoding",
        "CategoryEncoding",
        (
            Param("num_tokens", v.OPT_INT, None, check=_POS),
            Param(
                "output_mode",
                v.one_of("output mode", "multi_hot", "one_hot", "count", "binary", exact=True),
                "multi_hot",
            ),
            Param("sparse", v.BOOL, False),
        )
        + _COMMON,
        _ALL,
        shapes_preprocessing.category_encoding,
        mask="drop",
        dtype="float",
        takes=((None,), "int32"),
    ),  # fmt: skip
)

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
            label="LSTM",
            gates=4,
            states=2,
            cudnn=True,
            mask="recurrent",
        ),
        LayerSpec(
            "gru",
            "GRU",
            _recurrent_params(gates=True, gru=True),
            _ALL,
            shapes.recurrent,
            family="recurrent",
            label="GRU",
            gates=3,
            states=1,
            cudnn=True,
            mask="recurrent",
        ),
        LayerSpec(
            "simplernn",
            "SimpleRNN",
            _recurrent_params(gates=False),
            _ALL,
            shapes.recurrent,
            family="recurrent",
            label="RNN",
            gates=1,
            states=1,
            mask="recurrent",
        ),
        LayerSpec(
            "rnn",
            "RNN",
            (
                Param("cell", v.LAYER),
                Param("return_sequences", v.BOOL, False),
                Param("return_state", v.BOOL, False),
                Param("go_backwards", v.BOOL, False),
                Param("stateful", v.BOOL, False),
                Param("unroll", v.BOOL, False),
                Param("zero_output_for_mask", v.BOOL, False),
            )
            + _COMMON
            + (_INITIAL_STATE,),
            _ALL,
            shapes_cells.rnn,
            family="recurrent",
            mask="recurrent",
        ),
        _cell("lstmcell", "LSTMCell", gates=4, states=2, label="LSTM"),
        _cell("grucell", "GRUCell", gates=3, states=1, label="GRU"),
        _cell("simplernncell", "SimpleRNNCell", gates=1, states=1, label="RNN"),
        LayerSpec(
            "stackedrnncells",
            "StackedRNNCells",
            (Param("cells", v.LAYER_LIST),) + _COMMON[:2],
            _ALL,
            shapes_cells.cell_alone,
            family="cell",
        ),
        LayerSpec(
            "bidirectional",
            "Bidirectional",
            (
                Param("layer", v.LAYER),
                Param("merge_mode", v.MERGE_MODE, "concat"),
                Param("backward_layer", v.OPT_LAYER, None),
            )
            + _COMMON
            + (_INITIAL_STATE,),
            ("layer", "merge_mode"),
            shapes.bidirectional,
            family="wrapper",
            mask="recurrent",
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
            )
            + _KERNEL_AND_BIAS
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
                Param("seed", v.OPT_INT, None, check=v.seed),
            )
            + _COMMON,
            ("rate", "noise_shape", "seed"),
            shapes.dropout,
            dtype="fail",
        ),
        LayerSpec(
            "activation",
            "Activation",
            (Param("activation", v.ACTIVATION),) + _COMMON,
            ("activation",),
            shapes.identity,
            dtype="activation",
        ),
        LayerSpec(
            "embedding",
            "Embedding",
            (
                Param("input_dim", v.INT, check=_POS),
                Param("output_dim", v.INT, check=_POS),
                Param("embeddings_initializer", v.INITIALIZER, "uniform"),
                Param("embeddings_regularizer", v.REGULARIZER, None),
                Param("embeddings_constraint", v.CONSTRAINT, None),
                Param("mask_zero", v.BOOL, False),
            )
            + _COMMON[:3]  # `input_dim` is Embedding's own argument
            + (_INPUT_LENGTH,),
            _ALL,
            shapes.embedding,
            mask="source",
            takes=((None,), "int32"),
        ),
        LayerSpec(
            "masking",
            "Masking",
            (Param("mask_value", v.FLOAT, 0.0),) + _COMMON,
            _ALL,
            shapes.identity,
            mask="source",
            dtype="keep",
            dtype_bool="int32",
        ),
        LayerSpec(
            "spatialdropout1d",
            "SpatialDropout1D",
            # SpatialDropout1D(rate, seed=None, name=None, dtype=None): no `trainable`
            (
                Param("rate", v.FLOAT, check=_RATE),
                Param("seed", v.OPT_INT, None, check=v.seed),
                _COMMON[0],
            ),
            _ALL,
            shapes.spatial_dropout1d,
            dtype="fail",
        ),
        LayerSpec(
            "gaussiannoise",
            "GaussianNoise",
            (
                Param("stddev", v.FLOAT, check=v.unit_interval),
                Param("seed", v.OPT_INT, None, check=v.seed),
            )
            + _COMMON,
            _ALL,
            shapes.identity,
            dtype="fail",
        ),
        LayerSpec(
            "repeatvector",
            "RepeatVector",
            (Param("n", v.INT, check=_POS),) + _COMMON,
            _ALL,
            shapes.repeat_vector,
            mask="drop",
            dtype="keep",
            dtype_string="keep",
        ),
        LayerSpec(
            "conv1d",
            "Conv1D",
            (
                Param("filters", v.INT, check=_POS),
                Param("kernel_size", v.SIZE1, check=_POS),
                Param("strides", v.SIZE1, 1, check=_POS),
                Param("padding", v.CONV_PADDING, "valid"),
                Param("data_format", v.DATA_FORMAT, None),
                Param("dilation_rate", v.SIZE1, 1, check=_POS),
                Param("groups", v.INT, 1, check=_POS),
                Param("activation", v.ACTIVATION, None),
            )
            + _KERNEL_AND_BIAS
            + _COMMON,
            _ALL,
            shapes_conv.conv1d,
            mask="drop",
            dtype="fail",
        ),
        _pooling("maxpooling1d", "MaxPooling1D", pool_size=2, dtype="keep", dtype_bool="fail"),
        _pooling("averagepooling1d", "AveragePooling1D", pool_size=REQUIRED, dtype="fail"),
        _global_pooling("globalmaxpooling1d", "GlobalMaxPooling1D", mask="drop", dtype="keep"),
        _global_pooling(
            "globalaveragepooling1d", "GlobalAveragePooling1D", mask="consume", dtype="float"
        ),
        LayerSpec(
            "flatten",
            "Flatten",
            (Param("data_format", v.DATA_FORMAT, None),) + _COMMON,
            _ALL,
            shapes.flatten,
            mask="drop",
            dtype="keep",
            dtype_string="keep",
        ),
        LayerSpec(
            "reshape",
            "Reshape",
            (Param("target_shape", v.TARGET_SHAPE),) + _COMMON,
            _ALL,
            shapes.reshape,
            mask="drop",
            dtype="keep",
            dtype_string="keep",
        ),
        LayerSpec(
            "layernormalization",
            "LayerNormalization",
            (
                Param("axis", v.AXIS, -1),
                Param("epsilon", v.FLOAT, 0.001),
                Param("center", v.BOOL, True),
                Param("scale", v.BOOL, True),
                Param("beta_initializer", v.INITIALIZER, "zeros"),
                Param("gamma_initializer", v.INITIALIZER, "ones"),
                Param("beta_regularizer", v.REGULARIZER, None),
                Param("gamma_regularizer", v.REGULARIZER, None),
                Param("beta_constraint", v.CONSTRAINT, None),
                Param("gamma_constraint", v.CONSTRAINT, None),
            )
            + _COMMON,
            _ALL,
            shapes.layer_normalization,
        ),
        LayerSpec(
            "batchnormalization",
            "BatchNormalization",
            (
                Param("axis", v.INT, -1),
                Param("momentum", v.FLOAT, 0.99),
                Param("epsilon", v.FLOAT, 0.001),
                Param("center", v.BOOL, True),
                Param("scale", v.BOOL, True),
                Param("beta_initializer", v.INITIALIZER, "zeros"),
                Param("gamma_initializer", v.INITIALIZER, "ones"),
                Param("moving_mean_initializer", v.INITIALIZER, "zeros"),
                Param("moving_variance_initializer", v.INITIALIZER, "ones"),
                Param("beta_regularizer", v.REGULARIZER, None),
                Param("gamma_regularizer", v.REGULARIZER, None),
                Param("beta_constraint", v.CONSTRAINT, None),
                Param("gamma_constraint", v.CONSTRAINT, None),
                Param("renorm", v.BOOL, False),
                Param("renorm_clipping", v.OPT_RENORM_CLIPPING, None),
                Param("renorm_momentum", v.FLOAT, 0.99),
                Param("synchronized", v.BOOL, False),
            )
            + _COMMON,
            _ALL,
            shapes.batch_normalization,
        ),
    )
    + _MERGES
    + _SEQUENCE_RESHAPING
    + _IMAGES
    + _ACTIVATIONS
    + _PREPROCESSING
}

INPUT = LayerSpec(
    "input",
    "InputLayer",
    (
        Param("shape", v.SHAPE),
        Param("batch_size", v.OPT_INT, None, check=_POS),
        Param("dtype", v.DTYPE, "float32"),
        Param("name", v.LAYER_NAME, None),
    ),
    (),
    shapes.identity,
)
"""``keras.Input(shape, batch_size, dtype, name)``; its dims are written positionally."""


class Alias(Record):
    """A short form: ``wrapper(inner(...))`` written as one call."""

    __slots__ = ("wrapper", "inner")

    def __init__(self, wrapper: str, inner: str | None) -> None:
        self.wrapper = wrapper
        self.inner = inner
        """None for a pure rename (``td`` -> ``timedistributed``)."""


ALIASES: dict[str, Alias] = {
    "bilstm": Alias("bidirectional", "lstm"),
    "bigru": Alias("bidirectional", "gru"),
    "birnn": Alias("bidirectional", "simplernn"),
    "td": Alias("timedistributed", None),
    # Keras's own aliases (keras.layers.MaxPool1D is MaxPooling1D, ...)
    "maxpool1d": Alias("maxpooling1d", None),
    "avgpool1d": Alias("averagepooling1d", None),
    "globalmaxpool1d": Alias("globalmaxpooling1d", None),
    "globalavgpool1d": Alias("globalaveragepooling1d", None),
    "convolution1d": Alias("conv1d", None),
    "convolution2d": Alias("conv2d", None),
    "convolution3d": Alias("conv3d", None),
    "maxpool2d": Alias("maxpooling2d", None),
    "avgpool2d": Alias("averagepooling2d", None),
    "globalmaxpool2d": Alias("globalmaxpooling2d", None),
    "globalavgpool2d": Alias("globalaveragepooling2d", None),
}

STATES = {
    spec.keras_class: spec.states
    for spec in LAYERS.values()
    if spec.family == "recurrent" and spec.states
}
"""States per recurrent layer class whose count is fixed (LSTM: 2), for saved configs."""

KNOWN_NAMES = frozenset(LAYERS) | frozenset(ALIASES) | {"input"}
