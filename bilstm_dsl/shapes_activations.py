"""Shape and parameter rules of the activation layers with something to check (PReLU's
weights, Softmax's axis); ReLU, LeakyReLU and ELU pass the shape through
(`shapes.identity`). The same contract as `shapes`."""

from __future__ import annotations

from .shapes import LayerLike, Output, Shape, ShapeError, fmt, single


def prelu(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``PReLU.build`` (``keras/src/layers/activations/prelu.py``): ``alpha`` has the
    input's shape past the batch, 1 on each of ``shared_axes`` (counted with the batch as
    axis 0, as Keras indexes ``param_shape[i - 1]``); every other size must be known."""
    x = single(layer, inputs)
    param_shape = list(x[1:])
    shared = layer.get("shared_axes")
    axes = shared if isinstance(shared, tuple) else () if shared is None else (shared,)
    for axis in axes:
        assert isinstance(axis, int)
        if not -len(param_shape) <= axis - 1 < len(param_shape):
            raise ShapeError(
                "E210",
                f"`shared_axes` names axis {axis}, but the input {fmt(x)} has axes 1 to "
                f"{len(x) - 1} past the batch",
                help="count the axes with the batch as 0: `shared_axes=(1,)` shares alpha "
                "over the steps",
                blame="arg:shared_axes",
            )
        param_shape[axis - 1] = 1
    params = 1
    for size in param_shape:
        if size is None:
            raise ShapeError(
                "E204",
                f"`{layer.written}` learns one slope per value and needs known sizes to "
                f"size them, but receives {fmt(x)}",
                help="share alpha over the unknown axis, e.g. `shared_axes=(1,)`",
                blame="input",
            )
        params *= size
    return Output((x,), params)


def softmax(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Softmax`` (``keras/src/layers/activations/softmax.py``): the shape passes through;
    the ``axis`` (or each axis of a tuple) must be an axis of the input."""
    x = single(layer, inputs)
    axis = layer.get("axis")
    for a in axis if isinstance(axis, tuple) else (axis,):
        assert isinstance(a, int)
        if not -len(x) <= a < len(x):
            raise ShapeError(
                "E210",
                f"`axis={a}` is not an axis of the {len(x)}-D input {fmt(x)}",
                help="use `-1` (the last axis)",
                blame="arg:axis",
            )
    return Output((x,), 0)
