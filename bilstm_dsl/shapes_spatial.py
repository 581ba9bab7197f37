"""Shape and parameter rules of the convolution and pooling layers over images and volumes
(Conv2D, Conv3D, MaxPooling2D, AveragePooling2D, the 2-D global poolings), each mirroring
the Keras 3 code named in its docstring; the same contract as `shapes`.

One rule serves every rank: the layer's rank is the number of spatial axes, so the input
is ``(batch, *spatial, channels)`` (or channels first). Dims may be symbolic (`symbolic.Sym`):
arithmetic on them works, and a question whose answer depends on one raises `Undecided`.
"""

from __future__ import annotations

from .shapes import LayerLike, Output, Shape, ShapeError, fmt, require_rank, single
from .shapes_conv import check_conv_arguments, known_channels

_AXES = {2: "(batch, height, width, channels)", 3: "(batch, depth, height, width, channels)"}


def per_axis(value: object, rank: int) -> tuple[int, ...]:
    """Keras's ``standardize_tuple``: one int for every axis, or one per axis."""
    if isinstance(value, tuple):
        return tuple(int(v) for v in value)
    return (int(value),) * rank  # type: ignore[call-overload]


def _split(layer: LayerLike, x: Shape, rank: int) -> tuple[Shape, object, bool]:
    """The spatial dims, the channels and whether channels come first."""
    first = layer.get("data_format") == "channels_first"
    return (x[2:], x[1], True) if first else (x[1:-1], x[-1], False)


def _join(batch: object, spatial: Shape, channels: object, first: bool) -> Shape:
    if first:
        return (batch, channels) + tuple(spatial)  # type: ignore[return-value]
    return (batch,) + tuple(spatial) + (channels,)  # type: ignore[return-value]


def _out_size(size: object, window: int, stride: int, padding: object) -> object:
    """``compute_conv_output_shape`` / ``compute_pooling_output_shape``
    (``keras/src/ops/operation_utils.py``) on one axis: ``valid`` gives
    ``(size - window) // stride + 1``, ``same`` gives ``ceil(size / stride)``."""
    if size is None:
        return None
    if padding == "valid":
        return (size - window) // stride + 1  # type: ignore[operator]
    return -(-size // stride)  # type: ignore[operator]


def _outputs(
    layer: LayerLike,
    spatial: Shape,
    windows: tuple[int, ...],
    strides: tuple[int, ...],
    what: str,
    arg: str,
) -> Shape:
    """The spatial output; an empty axis under ``valid`` is Keras's "Computed output size
    would be zero or negative" (E207)."""
    padding = layer.get("padding")
    out = []
    for axis, (size, window, stride) in enumerate(zip(spatial, windows, strides)):
        n = _out_size(size, window, stride, padding)
        if n is not None and n <= 0:  # type: ignore[operator]
            raise ShapeError(
                "E207",
                f"`{layer.written}` needs at least {window} positions on spatial axis "
                f"{axis + 1} for its {what}, but the input has {size} (padding=valid): "
                "the output would be empty",
                help="use `padding=same`, a smaller window, or a larger input",
                blame=f"arg:{arg}",
            )
        out.append(n)
    return tuple(out)


def conv(layer: LayerLike, inputs: tuple[Shape, ...], rank: int) -> Output:
    """``Conv2D`` / ``Conv3D`` (``keras/src/layers/convolutional/base_conv.py``, ``build``
    and ``compute_output_shape``): input spec ``min_ndim=rank + 2`` and a kernel of the
    input's rank (a larger input fails "Kernel shape must have the same length as input");
    each window spans ``dilation * (kernel - 1) + 1``; ``strides`` > 1 together with
    ``dilation_rate`` > 1 is refused; ``groups`` divides filters and channels. Kernel
    ``kernel_size + (channels / groups, filters)``, bias ``filters``."""
    x = single(layer, inputs)
    require_rank(layer, x, rank + 2, exact=True, what=_AXES[rank])
    spatial, channels, first = _split(layer, x, rank)
    known_channels(layer, x, channels)
    filters, groups = int(layer.get("filters")), int(layer.get("groups"))  # type: ignore[call-overload]
    kernel = per_axis(layer.get("kernel_size"), rank)
    strides = per_axis(layer.get("strides"), rank)
    dilation = per_axis(layer.get("dilation_rate"), rank)
    check_conv_arguments(max(strides), max(dilation), filters, groups, channels)
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    shown = f"kernel (kernel_size={fmt(kernel)}, dilation_rate={fmt(dilation)})"
    out = _outputs(layer, spatial, spans, strides, shown, "kernel_size")
    size = 1
    for k in kernel:
        size *= k
    params = size * (channels // groups) * filters  # type: ignore[operator]
    params += filters if layer.get("use_bias") else 0
    return Output((_join(x[0], out, filters, first),), params)


def conv2d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return conv(layer, inputs, 2)


def conv3d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return conv(layer, inputs, 3)


def pooling(layer: LayerLike, inputs: tuple[Shape, ...], rank: int) -> Output:
    """``MaxPooling2D`` / ``AveragePooling2D`` (``keras/src/layers/pooling/base_pooling.py``
    and ``compute_pooling_output_shape``): input spec ``ndim=rank + 2``; ``strides``
    defaults to ``pool_size``; ``valid`` output must be positive on every axis."""
    x = single(layer, inputs)
    require_rank(layer, x, rank + 2, exact=True, what=_AXES[rank])
    spatial, channels, first = _split(layer, x, rank)
    pool = per_axis(layer.get("pool_size"), rank)
    given = layer.get("strides")
    strides = pool if given is None else per_axis(given, rank)
    out = _outputs(layer, spatial, pool, strides, f"pool (pool_size={fmt(pool)})", "pool_size")
    return Output((_join(x[0], out, channels, first),), 0)


def pooling2d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    return pooling(layer, inputs, 2)


def global_pooling2d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``GlobalMaxPooling2D`` / ``GlobalAveragePooling2D``
    (``keras/src/layers/pooling/base_global_pooling.py``): input spec ``ndim=4``; the
    spatial axes are reduced away, or kept with size 1 under ``keepdims``."""
    x = single(layer, inputs)
    require_rank(layer, x, 4, exact=True, what=_AXES[2])
    _, channels, first = _split(layer, x, 2)
    if layer.get("keepdims"):
        return Output((_join(x[0], (1, 1), channels, first),), 0)
    return Output(((x[0], channels),), 0)
