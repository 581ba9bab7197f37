"""Shape and parameter rules of the generic recurrent layer: ``rnn(cell)`` over
``lstmcell``, ``grucell``, ``simplernncell`` or ``stackedrnncells([...])``; and of the
convolutional LSTMs (``convlstm1d``/``2d``/``3d``), whose step is a convolution.

A cell steps once; ``RNN`` runs it over the time axis (``keras/src/layers/rnn/rnn.py``).
What a cell keeps (its gates and its states) comes from its registry entry, so a new
cell is one entry. Like `shapes`, nothing here knows about source text.
"""

from __future__ import annotations

from .shapes import (
    LayerLike,
    Output,
    Shape,
    ShapeError,
    fmt,
    recurrent_flags,
    recurrent_params,
    require_rank,
    sequence_input,
    single,
)
from .shapes_conv import check_conv_arguments
from .shapes_spatial import _join, _outputs, _split, per_axis


def is_cell(layer: LayerLike) -> bool:
    return layer.spec.family == "cell"  # type: ignore[attr-defined]


def cells(layer: LayerLike) -> tuple[LayerLike, ...]:
    """The cells ``layer`` (a cell or ``stackedrnncells``) runs, in order."""
    stacked = layer.get("cells")
    return tuple(stacked) if stacked is not None else (layer,)  # type: ignore[arg-type]


def state_sizes(layer: LayerLike) -> list[int]:
    """The width of each state of a recurrent layer or cell, flattened in the order Keras
    returns them (``StackedRNNCells.state_size``: each cell's, in order)."""
    spec = layer.spec  # type: ignore[attr-defined]
    if spec.family == "wrapper":  # bidirectional: forward states, then backward
        forward = layer.inner
        assert forward is not None
        return state_sizes(forward) + state_sizes(layer.backward or forward)
    if spec.keras_class == "RNN":
        assert layer.inner is not None
        return state_sizes(layer.inner)
    if layer.get("cells") is not None:
        return [size for cell in cells(layer) for size in state_sizes(cell)]
    return [layer.get("units")] * spec.states  # type: ignore[list-item]


def nested_states(layer: LayerLike) -> bool:
    """Whether Keras returns ``layer``'s states nested: ``rnn`` over a stack holding a
    cell of several states gives ``[output, [h, c], ...]`` (``StackedRNNCells.state_size``
    is a list per cell), where the checker lists them flat."""
    rnn = layer.inner if layer.spec.family == "wrapper" else layer  # type: ignore[attr-defined]
    if rnn is None or not rnn.get("return_state") or rnn.inner is None:
        return False
    return any(cell.spec.states > 1 for cell in rnn.inner.get("cells") or ())  # type: ignore[attr-defined, union-attr]


def step(cell: LayerLike, features: object, bias: bool = True) -> tuple[object, int]:
    """One cell's output width and weights on ``features`` inputs per step
    (``LSTMCell.build`` and siblings; ``StackedRNNCells.build`` feeds each cell the
    previous one's output); without ``bias``, the kernels alone (a step's multiply-adds)."""
    weights = 0
    width = features
    for one in cells(cell):
        spec = one.spec  # type: ignore[attr-defined]
        units = one.get("units")
        biases = 2 if one.get("reset_after") else 1  # None: not a GRU cell
        use_bias = bias and bool(one.get("use_bias"))
        weights += recurrent_params(spec.gates, units, width, use_bias, biases)  # type: ignore[arg-type]
        width = units
    return width, weights


_STEP_CELLS = "lstmcell, grucell, simplernncell"


def _check_cells(layer: LayerLike, cell: LayerLike) -> None:
    """``RNN(cell)`` and ``StackedRNNCells(cells)`` take cells, objects with ``call`` and
    ``state_size`` (``rnn.py``, ``stacked_rnn_cells.py``: "should have a `state_size`
    attribute"); a layer such as ``LSTM`` builds inside ``RNN``, then fails."""
    stacked = cell.get("cells")
    if stacked is not None and not stacked:
        raise ShapeError(
            "E104",
            "`stackedrnncells` needs at least one cell: Keras builds an empty stack, then "
            "fails when called",
            help="write e.g. `stackedrnncells([lstmcell(32), lstmcell(16)])`",
        )
    for owner, one in [(layer, cell)] + [(cell, c) for c in stacked or ()]:
        spec = one.spec  # type: ignore[attr-defined]
        nested = owner is cell and one.get("cells") is not None
        if spec.family == "cell" and not nested:
            continue
        if nested:
            fix = "list the cells in one `stackedrnncells([...])`"
        elif spec.family == "recurrent" and spec.states:
            fix = f"write `{spec.name}cell(...)`, its cell"
        else:
            fix = f"put `{one.written}` after the recurrent layer"
        kinds = _STEP_CELLS if owner is cell else _STEP_CELLS + ", stackedrnncells"
        raise ShapeError(
            "E134", f"`{owner.written}` runs cells ({kinds}), not `{one.written}`", help=fix
        )


def rnn(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``RNN.compute_output_shape`` and ``build`` (``keras/src/layers/rnn/rnn.py``): the
    output is the cell's ``output_size`` (the last cell's, stacked), then with
    ``return_state`` every state of every cell (``stacked_rnn_cells.py``)."""
    cell = layer.inner
    assert cell is not None
    _check_cells(layer, cell)
    batch, time, features = sequence_input(layer, inputs)
    width, weights = step(cell, features)
    sequences = layer.get("return_sequences")
    out: Shape = (batch, time, width) if sequences else (batch, width)  # type: ignore[assignment]
    shapes: tuple[Shape, ...] = (out,)
    if layer.get("return_state"):
        shapes += tuple((batch, size) for size in state_sizes(cell))
    return Output(shapes, weights, collapses=not sequences)


def cell_alone(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """A cell called as a layer: ``LSTMCell.call(inputs, states)`` needs the states an
    ``RNN`` hands it ("missing a required argument: 'states'"), and has no
    ``compute_output_shape`` for ``TimeDistributed``."""
    raise ShapeError(
        "E134",
        f"`{layer.written}` is a cell: it computes one step, given the states, so it runs "
        "inside `rnn(...)`, not on a tensor",
        help=f"write `rnn({layer.written}(...))`, or use the layer form (`lstm`, `gru`, "
        "`simplernn`)",
    )


_CONV_AXES = {
    1: "(batch, time, steps, channels)",
    2: "(batch, time, height, width, channels)",
    3: "(batch, time, depth, height, width, channels)",
}


def conv_lstm(layer: LayerLike, inputs: tuple[Shape, ...], rank: int) -> Output:
    """``ConvLSTM1D/2D/3D`` (``keras/src/layers/rnn/conv_lstm.py``): input spec
    ``ndim=rank + 3``; ``ConvLSTMCell.build`` needs static spatial sizes ("ConvLSTM layers
    only support static input shapes for the spatial dimension") and known channels; each
    step is a convolution (``compute_conv_output_shape``), the state has the output's
    shape; kernel ``kernel_size + (channels, 4 * filters)``, recurrent kernel
    ``kernel_size + (filters, 4 * filters)``, bias ``4 * filters``."""
    spec = layer.spec  # type: ignore[attr-defined]
    x = single(layer, inputs)
    require_rank(layer, x, rank + 3, exact=True, what=_CONV_AXES[rank])
    step_shape = (x[0],) + x[2:]
    spatial, channels, first = _split(layer, step_shape, rank)
    if channels is None or any(d is None for d in spatial):
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs known spatial sizes and channels to build its cell, "
            f"but receives {fmt(x)}",
            help="give every axis after the time axis a size in `input(...)`",
            blame="input",
        )
    recurrent_flags(layer, x[0], x[1])
    filters = layer.get("filters")
    kernel = per_axis(layer.get("kernel_size"), rank)
    strides = per_axis(layer.get("strides"), rank)
    dilation = per_axis(layer.get("dilation_rate"), rank)
    check_conv_arguments(max(strides), max(dilation), filters, 1, channels)  # type: ignore[arg-type]
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    shown = f"kernel (kernel_size={fmt(kernel)}, dilation_rate={fmt(dilation)})"
    out = _outputs(layer, spatial, spans, strides, shown, "kernel_size")
    state = _join(x[0], out, filters, first)
    sequences = layer.get("return_sequences")
    shapes: tuple[Shape, ...] = ((x[0], x[1]) + state[1:] if sequences else state,)
    if layer.get("return_state"):
        shapes += (state,) * spec.states
    size = 1
    for k in kernel:
        size *= k
    wide = spec.gates * filters  # type: ignore[operator]
    params = size * (channels + filters) * wide  # type: ignore[operator]
    params += wide if layer.get("use_bias") else 0
    return Output(shapes, params, collapses=not sequences)


def conv_lstm1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return conv_lstm(layer, inputs, 1)


def conv_lstm2d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return conv_lstm(layer, inputs, 2)


def conv_lstm3d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return conv_lstm(layer, inputs, 3)
