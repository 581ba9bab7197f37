"""Pure shape and parameter rules, one per Keras layer family.

Each rule mirrors the Keras 3 code named in its docstring: it takes a resolved layer (its
arguments, its inner layer for wrappers) and the shapes flowing in (batch dimension first,
``None`` for unknown), and returns the shapes flowing out and the weight counts, or raises
`ShapeError` saying what Keras would reject. Nothing here knows about source text; the
checker decides where to point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

Shape = tuple[int | None, ...]


class LayerLike(Protocol):
    written: str
    inner: LayerLike | None
    backward: LayerLike | None

    def get(self, name: str) -> object: ...

    @property
    def keras_class(self) -> str: ...


@dataclass(slots=True)
class Output:
    shapes: tuple[Shape, ...]
    trainable: int
    non_trainable: int = 0
    collapses: bool = False
    """True when the layer drops a time axis (a recurrent layer without sequences)."""


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


def fmt(shape: Shape) -> str:
    """A shape as Keras prints it: ``(None, 20, 64)``."""
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


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


def _rank(layer: LayerLike, x: Shape, rank: int, exact: bool, what: str) -> None:
    if len(x) == rank or (not exact and len(x) > rank):
        return
    wanted = f"{rank}-D" if exact else f"at least {rank}-D"
    raise ShapeError(
        "E203",
        f"`{layer.written}` needs {wanted} input {what}, but receives {len(x)}-D {fmt(x)}",
        min_rank=rank,
    )


_STATES = {"LSTM": 2, "GRU": 1, "SimpleRNN": 1}
_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}


def recurrent_params(
    kind: str, units: int, input_dim: int, use_bias: bool, reset_after: bool
) -> int:
    """Weights of LSTMCell / GRUCell / SimpleRNNCell.build (``keras/src/layers/rnn/lstm.py``,
    ``gru.py``, ``simple_rnn.py``): kernel (d, g*u), recurrent kernel (u, g*u), bias g*u,
    where a GRU with ``reset_after`` keeps two biases, shape (2, 3u)."""
    gates = _GATES[kind]
    weights = gates * units * (input_dim + units)
    if use_bias:
        weights += gates * units * (2 if kind == "GRU" and reset_after else 1)
    return weights


def recurrent(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``RNN.compute_output_shape`` (``keras/src/layers/rnn/rnn.py``) with the input spec
    ``ndim=3``; a ``None`` feature size fails in ``build`` ("Shapes used to initialize
    variables must be fully-defined"); ``stateful`` needs a static batch (raised in
    ``RNN.build``); ``unroll`` with unknown time builds but fails when called."""
    x = single(layer, inputs)
    _rank(layer, x, 3, exact=True, what="(batch, time, features)")
    batch, time, features = x
    if features is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known number of features to size its weights, "
            f"but receives {fmt(x)}",
            help="give the last dimension of `input(...)` a size, e.g. `input(none, 8)`",
            blame="input",
        )
    if layer.get("stateful") and batch is None:
        raise ShapeError(
            "E114",
            f"`stateful=true` keeps state per sample, so `{layer.written}` needs a fixed "
            "batch size",
            help="fix the batch in the input: `input(..., batch_size=32)`",
            blame="arg:stateful",
        )
    if layer.get("unroll") and time is None:
        raise ShapeError(
            "E115",
            "`unroll=true` needs a known number of time steps, but the time axis is `None`",
            help="give the time axis a size in `input(...)`, or remove `unroll=true`",
            blame="arg:unroll",
        )
    units = layer.get("units")
    assert isinstance(units, int)
    out: Shape = (batch, time, units) if layer.get("return_sequences") else (batch, units)
    shapes = (out,)
    if layer.get("return_state"):
        shapes += ((batch, units),) * _STATES[layer.keras_class]
    params = recurrent_params(
        layer.keras_class,
        units,
        features,
        bool(layer.get("use_bias")),
        bool(layer.get("reset_after")) if layer.keras_class == "GRU" else False,
    )
    return Output(shapes, params, collapses=not layer.get("return_sequences"))


def bidirectional(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Bidirectional.compute_output_shape`` (``keras/src/layers/rnn/bidirectional.py``):
    the forward layer's shape, the last axis doubled for ``concat``, two outputs for
    ``merge_mode=None``, then the forward and backward states. Weights: two copies."""
    assert layer.inner is not None
    forward = recurrent(layer.inner, inputs)
    backward = recurrent(layer.backward, inputs) if layer.backward is not None else forward
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
    _rank(layer, x, 3, exact=False, what="(batch, time, ...)")
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
    _rank(layer, x, 2, exact=False, what="(batch, features)")
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
