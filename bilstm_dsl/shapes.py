"""Pure shape and parameter rules, one per Keras layer family.

Each rule mirrors the Keras 3 code named in its docstring: it takes a resolved layer (its
arguments, its inner layer for wrappers) and the shapes flowing in (batch dimension first,
``None`` for unknown), and returns the shapes flowing out and the weight counts, or raises
`ShapeError` saying what Keras would reject. Nothing here knows about source text; the
checker decides where to point.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own constant, without importing typing on every start
if TYPE_CHECKING:
    from typing import Protocol

    class LayerLike(Protocol):
        written: str
        inner: LayerLike | None
        backward: LayerLike | None

        def get(self, name: str) -> object: ...

        @property
        def keras_class(self) -> str: ...

else:
    LayerLike = object  # for annotations and imports; the Protocol is for type checkers


Shape = tuple[int | None, ...]


class Output:
    """What a rule gives: the shapes flowing out and the weight counts."""

    __slots__ = ("shapes", "trainable", "non_trainable", "collapses")

    def __init__(
        self,
        shapes: tuple[Shape, ...],
        trainable: int,
        non_trainable: int = 0,
        collapses: bool = False,
    ) -> None:
        self.shapes = shapes
        self.trainable = trainable
        self.non_trainable = non_trainable
        self.collapses = collapses
        """True when the layer drops a time axis (a recurrent layer without sequences)."""

    def __repr__(self) -> str:
        return (
            f"Output(shapes={self.shapes!r}, trainable={self.trainable!r}, "
            f"non_trainable={self.non_trainable!r}, collapses={self.collapses!r})"
        )


class ShapeError(Exception):
    """What Keras would reject. ``blame`` is ``"self"``, ``"input"`` (the stage that
    produced the tensor) or ``"arg:NAME"``; rank errors carry the rank they wanted."""

    def __init__(
        self,
        code: str,
        message: str,
        help: str | None = None,
        blame: str = "self",
        min_rank: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.help, self.blame = code, message, help, blame
        self.min_rank = min_rank


def tuple_text(parts: list[str] | tuple[str, ...]) -> str:
    """The one tuple-literal formatter: ``(a, b)``, and ``(a,)`` for a single element, as
    Python, Keras and `.arch` all write it."""
    inner = ", ".join(parts)
    return f"({inner},)" if len(parts) == 1 else f"({inner})"


def fmt(shape: Shape) -> str:
    """A shape as Keras prints it: ``(None, 20, 64)`` (`tuple_text`, written out: a long
    chain formats a shape per stage for its notes)."""
    inner = ", ".join(["None" if d is None else str(d) for d in shape])
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def fmt_shapes(shapes: tuple[Shape, ...] | list[Shape], listed: bool = False) -> str:
    """Several tensors' shapes: one shape alone; several space-separated as summary tables
    show them, or as a list ``[(..), (..)]`` as assertions are written (``listed``)."""
    if len(shapes) == 1:
        return fmt(shapes[0])
    if listed:
        return "[" + ", ".join(fmt(s) for s in shapes) + "]"
    return " ".join(fmt(s) for s in shapes)


def single(layer: LayerLike, inputs: tuple[Shape, ...]) -> Shape:
    """Keras's ``Layer.__call__`` accepts one tensor for these layers ("expects 1
    input(s), but it received 2 input tensors")."""
    if len(inputs) != 1:
        raise ShapeError(
            "E202",
            f"`{layer.written}` takes one tensor, but receives {len(inputs)}",
            blame="input",
        )
    return inputs[0]


def feature_axis(axis: int, x: Shape, what: str, arg: str = "axis") -> int:
    """``axis`` of ``x`` counted from 0, when it is an axis past the batch (E210)."""
    rank = len(x)
    if not -rank <= axis < rank or axis % rank == 0:
        raise ShapeError(
            "E210",
            f"`{arg}={axis}` is not a feature axis of the {rank}-D {what} {fmt(x)}",
            help="use `-1` (the last axis) or another non-batch axis",
            blame=f"arg:{arg}",
        )
    return axis % rank


def known_last(layer: LayerLike, x: Shape, what: str) -> int:
    """``x``'s last dimension, which sizes ``layer``'s weights (E204 when unknown)."""
    last = x[-1]
    if last is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known number of {what} to size its weights, but "
            f"receives {fmt(x)}",
            blame="input",
        )
    return last


def require_rank(layer: LayerLike, x: Shape, rank: int, exact: bool, what: str) -> None:
    if len(x) == rank or (not exact and len(x) > rank):
        return
    wanted = f"{rank}-D" if exact else f"at least {rank}-D"
    raise ShapeError(
        "E203",
        f"`{layer.written}` needs {wanted} input {what}, but receives {len(x)}-D {fmt(x)}",
        min_rank=rank,
    )


def recurrent_params(gates: int, units: int, input_dim: int, use_bias: bool, biases: int) -> int:
    """Weights of LSTMCell / GRUCell / SimpleRNNCell.build (``keras/src/layers/rnn/lstm.py``,
    ``gru.py``, ``simple_rnn.py``): kernel (d, g*u), recurrent kernel (u, g*u), bias g*u,
    ``biases`` of them (a GRU with ``reset_after`` keeps two, shape (2, 3u))."""
    weights = gates * units * (input_dim + units)
    if use_bias:
        weights += gates * units * biases
    return weights


def sequence_input(layer: LayerLike, inputs: tuple[Shape, ...]) -> Shape:
    """What ``RNN`` accepts (``keras/src/layers/rnn/rnn.py``): input spec ``ndim=3``; a
    ``None`` feature size fails in ``build`` ("Shapes used to initialize variables must be
    fully-defined"); ``stateful`` needs a static batch (raised in ``RNN.build``); ``unroll``
    with unknown time builds but fails when called."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, time, features)")
    batch, time, features = x
    if features is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known number of features to size its weights, "
            f"but receives {fmt(x)}",
            help="give the last dimension of `input(...)` a size, e.g. `input(none, 8)`",
            blame="input",
        )
    recurrent_flags(layer, batch, time)
    return x


def recurrent_flags(layer: LayerLike, batch: object, time: object) -> None:
    """``stateful`` needs a static batch (E114, raised in ``RNN.build``); ``unroll`` a
    time axis Keras knows when it builds (E115): a named one (``T`` of ``input(T, 8)``)
    is `None` to Keras until a size is given for it."""
    if layer.get("stateful") and batch is None:
        raise ShapeError(
            "E114",
            f"`stateful=true` keeps state per sample, so `{layer.written}` needs a fixed "
            "batch size",
            help="fix the batch in the input: `input(..., batch_size=32)`",
            blame="arg:stateful",
        )
    if layer.get("unroll") and type(time) is not int:
        raise ShapeError(
            "E115",
            "`unroll=true` needs a known number of time steps, but the time axis is "
            f"`{'None' if time is None else time}`",
            help="give the time axis a size in `input(...)` (or `--input-shape`), or remove "
            "`unroll=true`",
            blame="arg:unroll",
        )


def recurrent(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``RNN.compute_output_shape`` (``keras/src/layers/rnn/rnn.py``) for LSTM, GRU and
    SimpleRNN, whose gates and states their registry entries give."""
    batch, time, features = sequence_input(layer, inputs)
    spec = layer.spec  # type: ignore[attr-defined]
    units = layer.get("units")
    assert isinstance(units, int)
    out: Shape = (batch, time, units) if layer.get("return_sequences") else (batch, units)
    shapes = (out,)
    if layer.get("return_state"):
        shapes += ((batch, units),) * spec.states
    biases = 2 if layer.get("reset_after") else 1  # None: not a GRU
    params = recurrent_params(spec.gates, units, features, bool(layer.get("use_bias")), biases)
    return Output(shapes, params, collapses=not layer.get("return_sequences"))


def bidirectional(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Bidirectional.compute_output_shape`` (``keras/src/layers/rnn/bidirectional.py``):
    the forward layer's shape, the last axis doubled for ``concat``, two outputs for
    ``merge_mode=None``, then the forward and backward states. Weights: two copies."""
    assert layer.inner is not None
    inner, back_layer = layer.inner, layer.backward
    forward = inner.spec.rule(inner, inputs)  # type: ignore[attr-defined]
    backward = forward if back_layer is None else back_layer.spec.rule(back_layer, inputs)  # type: ignore[attr-defined]
    out, states = forward.shapes[0], forward.shapes[1:]
    back, back_states = backward.shapes[0], backward.shapes[1:]
    mode = layer.get("merge_mode")
    if mode == "concat":
        assert out[-1] is not None and back[-1] is not None
        outs: tuple[Shape, ...] = (out[:-1] + (out[-1] + back[-1],),)
    elif mode is None:
        outs = (out, back)
    else:
        outs = (out,)
    params = forward.trainable + backward.trainable
    return Output(outs + states + back_states, params, collapses=forward.collapses)


def time_distributed(layer: LayerLike, inputs: tuple[Shape, ...], inner_rule) -> Output:  # noqa: ANN001
    """``TimeDistributed.compute_output_shape`` (``keras/src/layers/rnn/time_distributed.py``):
    the inner layer sees ``(batch,) + input[2:]`` and the time axis is put back."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=False, what="(batch, time, ...)")
    assert layer.inner is not None
    step = (x[0],) + x[2:]
    try:
        child = inner_rule(layer.inner, (step,))
    except ShapeError as error:
        # The inner layer never sees the time axis; say so, or "2-D" reads as a lie.
        error.message = f"inside `{layer.written}`, which hands it one step {fmt(step)}, " + (
            error.message
        )
        error.min_rank = None
        raise

    if len(child.shapes) != 1:
        raise ShapeError(
            "E202",
            f"`{layer.written}` applies a layer that returns {len(child.shapes)} tensors "
            "to every step, but can only stack one",
            help="remove `return_state` from the wrapped layer",
            blame="self",
        )
    (out,) = child.shapes
    return Output(((x[0], x[1]) + out[1:],), child.trainable, child.non_trainable)


def dense(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Dense.compute_output_shape`` and ``build`` (``keras/src/layers/core/dense.py``):
    input spec ``min_ndim=2``; the last axis becomes ``units``; kernel (d, u), bias u."""
    x = single(layer, inputs)
    require_rank(layer, x, 2, exact=False, what="(batch, features)")
    if x[-1] is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known last dimension to size its kernel, "
            f"but receives {fmt(x)}",
            help="give the last dimension of `input(...)` a size",
            blame="input",
        )
    units = layer.get("units")
    assert isinstance(units, int)
    params = x[-1] * units + (units if layer.get("use_bias") else 0)
    return Output((x[:-1] + (units,),), params)


def identity(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Dropout`` / ``Activation`` (``keras/src/layers/regularization/dropout.py``,
    ``layers/activations/activation.py``): the shape passes through. Keras builds them over
    several tensors too (their output spec maps over the list), but the model then fails
    when called, so one tensor is required here as everywhere."""
    return Output((single(layer, inputs),), 0)


def dropout(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Dropout`` (``keras/src/layers/regularization/dropout.py``): the shape passes
    through; a ``noise_shape`` (batch first, ``None`` taken from the input) must broadcast
    against the input, or the call fails in training."""
    x = single(layer, inputs)
    noise = layer.get("noise_shape")
    if noise is not None:
        noise = tuple(noise)  # type: ignore[arg-type]
        clash = len(noise) != len(x) or any(
            n is not None and n != 1 and d is not None and n != d for n, d in zip(noise, x)
        )
        if clash:
            raise ShapeError(
                "E211",
                f"`noise_shape={fmt(noise)}` does not broadcast against the input {fmt(x)}: "
                "it needs one size per axis, batch first, each `none`, 1 or the input's size",
                help=f"e.g. `noise_shape={fmt((None, 1) + x[2:])}` drops whole features "
                "for every step"
                if len(x) == 3
                else "give one size per axis of the input",
                blame="arg:noise_shape",
            )
    return Output((x,), 0)


def _known_product(dims: Shape) -> int | None:
    total = 1
    for d in dims:
        if d is None:
            return None
        total *= d
    return total


def flatten(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Flatten.compute_output_shape`` (``keras/src/layers/reshaping/flatten.py``): the
    product of the non-batch dims, ``None`` if any is unknown; a rank-1 input gives 1."""
    x = single(layer, inputs)
    return Output(((x[0], _known_product(x[1:]) if len(x) > 1 else 1),), 0)


def reshape(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Reshape`` (``keras/src/layers/reshaping/reshape.py`` and
    ``operation_utils.compute_reshape_output_shape``): one ``-1`` is inferred from the
    total size, which must be unchanged; with unknown input dims the ``-1`` stays unknown."""
    x = single(layer, inputs)
    target = tuple(layer.get("target_shape"))  # type: ignore[arg-type]
    total = _known_product(x[1:])
    rest = _known_product(tuple(d for d in target if d != -1))
    assert rest is not None
    if total is None:
        known = _known_product(tuple(d for d in x[1:] if d is not None))
        assert known is not None
        if -1 not in target and (rest == 0 or rest % known):
            # Every length gives a multiple of `known` values; no length gives `rest`.
            raise ShapeError(
                "E208",
                f"`{layer.written}` must keep the number of values: {fmt(x)} holds a "
                f"multiple of {known} for any length, {fmt(target)} holds {rest}, which is "
                f"not one",
                help="make the target hold a multiple of the known sizes, or put `-1` where "
                "the length should go",
                blame="arg:target_shape",
            )
        return Output(((x[0],) + tuple(None if d == -1 else d for d in target),), 0)
    if -1 in target:
        if rest == 0 or total % rest:
            raise ShapeError(
                "E208",
                f"`{layer.written}` cannot split the {total} values of {fmt(x)} into "
                f"{fmt(target)}: {total} is not divisible by {rest}",
                blame="arg:target_shape",
            )
        target = tuple(total // rest if d == -1 else d for d in target)
    elif rest != total:
        raise ShapeError(
            "E208",
            f"`{layer.written}` must keep the number of values: {fmt(x)} holds {total}, "
            f"{fmt(target)} holds {rest}",
            help="make the sizes multiply to the same total, or put `-1` where one should be "
            "inferred",
            blame="arg:target_shape",
        )
    return Output(((x[0],) + target,), 0)


def _axes(layer: LayerLike, x: Shape) -> tuple[int, ...]:
    axis = layer.get("axis")
    axes = axis if isinstance(axis, tuple) else (axis,)
    rank = len(x)
    out: list[int] = []
    for a in axes:
        assert isinstance(a, int)
        feature_axis(a, x, "input")
        if a % rank in out:
            # Keras builds it; TensorFlow's reduction then refuses duplicate axes.
            raise ShapeError(
                "E210",
                f"`axis` names the axis {a % rank} of the {rank}-D input {fmt(x)} twice",
                help="list each axis once",
                blame="arg:axis",
            )
        out.append(a % rank)
    return tuple(out)


def _axis_size(layer: LayerLike, x: Shape, axes: tuple[int, ...]) -> int:
    size = _known_product(tuple(x[a] for a in axes))
    if size is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known size on its normalised axis to size its "
            f"weights, but receives {fmt(x)}",
            blame="input",
        )
    return size


def layer_normalization(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``LayerNormalization.build`` (``keras/src/layers/normalization/layer_normalization.py``):
    ``gamma`` (scale) and ``beta`` (center), each the size of the normalised axes."""
    x = single(layer, inputs)
    size = _axis_size(layer, x, _axes(layer, x))
    params = size * (bool(layer.get("center")) + bool(layer.get("scale")))
    return Output((x,), params)


def batch_normalization(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``BatchNormalization.build`` (``keras/src/layers/normalization/batch_normalization.py``):
    trainable ``gamma``/``beta``; non-trainable ``moving_mean``/``moving_variance``, plus
    three more with ``renorm`` (``moving_stddev``, ``renorm_mean``, ``renorm_stddev``)."""
    x = single(layer, inputs)
    size = _axis_size(layer, x, _axes(layer, x))
    trainable = size * (bool(layer.get("center")) + bool(layer.get("scale")))
    frozen = size * (5 if layer.get("renorm") else 2)
    return Output((x,), trainable, frozen)


def embedding(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Embedding`` (``keras/src/layers/core/embedding.py``): one vector of
    ``output_dim`` per input value; the table is (input_dim, output_dim)."""
    x = single(layer, inputs)
    out_dim, in_dim = int(layer.get("output_dim")), int(layer.get("input_dim"))  # type: ignore[arg-type]
    return Output((x + (out_dim,),), in_dim * out_dim)


def repeat_vector(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``RepeatVector`` (``keras/src/layers/reshaping/repeat_vector.py``): input spec
    ``ndim=2``; (batch, features) becomes (batch, n, features)."""
    x = single(layer, inputs)
    require_rank(layer, x, 2, exact=True, what="(batch, features)")
    return Output(((x[0], int(layer.get("n")), x[1]),), 0)  # type: ignore[arg-type]


def spatial_dropout1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``SpatialDropout1D`` (``keras/src/layers/regularization/spatial_dropout.py``): input
    spec ``ndim=3``; drops whole channels."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, channels)")
    return Output((x,), 0)
