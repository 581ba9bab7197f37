"""Shape and parameter rules of the convolution and pooling layers over sequences
(Conv1D, MaxPooling1D, AveragePooling1D, the global poolings), each mirroring the Keras 3
code named in its docstring; the same contract as `shapes`."""

from __future__ import annotations

from .shapes import LayerLike, Output, Shape, ShapeError, fmt, require_rank, single


def _window_error(layer: LayerLike, what: str, window: int, steps: int, arg: str) -> ShapeError:
    return ShapeError(
        "E207",
        f"`{layer.written}` needs at least {window} steps for its {what}, but the sequence "
        f"has {steps} (padding=valid): the output would be empty",
        help="use `padding=same`, a smaller window, or a longer input",
        blame=f"arg:{arg}",
    )


def _steps_channels(layer: LayerLike, x: Shape) -> tuple[int | None, int | None, bool]:
    first = layer.get("data_format") == "channels_first"
    return (x[2], x[1], first) if first else (x[1], x[2], first)


def _out_steps(steps: int | None, window: int, stride: int, padding: object) -> int | None:
    if steps is None:
        return None
    if padding == "valid":
        return (steps - window) // stride + 1
    return -(-steps // stride)  # "same" and "causal": ceil(steps / stride)


def _sequence_shape(
    batch: int | None, steps: int | None, channels: int | None, first: bool
) -> Shape:
    return (batch, channels, steps) if first else (batch, steps, channels)


def known_channels(layer: LayerLike, x: Shape, channels: object) -> None:
    """E204: a convolution sizes its kernel by the input's channels, which must be known."""
    if channels is None:
        raise ShapeError(
            "E204",
            f"`{layer.written}` needs a known number of channels to size its kernel, "
            f"but receives {fmt(x)}",
            blame="input",
        )


def check_conv_arguments(
    stride: int, dilation: int, filters: int, groups: int, channels: object
) -> None:
    """``BaseConv.__init__`` and ``build`` (``keras/src/layers/convolutional/base_conv.py``):
    no ``strides`` > 1 with ``dilation_rate`` > 1 (the largest on any axis); ``groups``
    divides the filters and the input channels."""
    if stride > 1 and dilation > 1:
        raise ShapeError(
            "E120",
            "Keras does not support `strides` > 1 together with `dilation_rate` > 1",
            help="keep one of them at 1",
            blame="arg:strides",
        )
    if filters % groups:
        raise ShapeError(
            "E121",
            f"`filters={filters}` must be divisible by `groups={groups}`",
            blame="arg:groups",
        )
    if channels % groups:  # type: ignore[operator]
        raise ShapeError(
            "E121",
            f"the input's {channels} channels must be divisible by `groups={groups}`",
            blame="arg:groups",
        )


def conv1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Conv1D`` (``keras/src/layers/convolutional/base_conv.py`` and
    ``keras/src/ops/operation_utils.py``, ``compute_conv_output_shape``): the window spans
    ``dilation * (kernel - 1) + 1`` steps; ``valid`` output is
    ``(steps - span) // strides + 1`` and must be positive, ``same``/``causal`` give
    ``ceil(steps / strides)``. Kernel (k, channels / groups, filters), bias filters."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, channels)")
    steps, channels, first = _steps_channels(layer, x)
    known_channels(layer, x, channels)
    filters, kernel = int(layer.get("filters")), int(layer.get("kernel_size"))  # type: ignore[arg-type]
    stride, dilation = int(layer.get("strides")), int(layer.get("dilation_rate"))  # type: ignore[arg-type]
    groups = int(layer.get("groups"))  # type: ignore[arg-type]
    check_conv_arguments(stride, dilation, filters, groups, channels)
    span = dilation * (kernel - 1) + 1
    out = _out_steps(steps, span, stride, layer.get("padding"))
    if out is not None and out <= 0:
        assert steps is not None
        raise _window_error(
            layer,
            f"kernel (kernel_size={kernel}, dilation_rate={dilation})",
            span,
            steps,
            "kernel_size",
        )
    params = kernel * (channels // groups) * filters + (filters if layer.get("use_bias") else 0)
    return Output((_sequence_shape(x[0], out, filters, first),), params)


def pooling1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``MaxPooling1D`` / ``AveragePooling1D`` (``keras/src/layers/pooling/base_pooling.py``
    and ``compute_pooling_output_shape``): ``strides`` defaults to ``pool_size``; ``valid``
    output is ``(steps - pool) // strides + 1`` and must be positive."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, channels)")
    steps, channels, first = _steps_channels(layer, x)
    pool = int(layer.get("pool_size"))  # type: ignore[arg-type]
    stride = layer.get("strides")
    stride = pool if stride is None else int(stride)  # type: ignore[arg-type]
    out = _out_steps(steps, pool, stride, layer.get("padding"))
    if out is not None and out <= 0:
        assert steps is not None
        raise _window_error(layer, f"pool (pool_size={pool})", pool, steps, "pool_size")
    return Output((_sequence_shape(x[0], out, channels, first),), 0)


def global_pooling1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``GlobalMaxPooling1D`` / ``GlobalAveragePooling1D``
    (``keras/src/layers/pooling/base_global_pooling.py``): the steps axis is reduced away,
    or kept with size 1 under ``keepdims``."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, channels)")
    _, channels, first = _steps_channels(layer, x)
    if layer.get("keepdims"):
        return Output((_sequence_shape(x[0], 1, channels, first),), 0)
    return Output(((x[0], channels),), 0)


def _pair(value: object) -> tuple[int, int]:
    """Keras's ``standardize_tuple(value, 2, ...)``: ``(before, after)``."""
    if isinstance(value, tuple):
        return int(value[0]), int(value[1])
    return int(value), int(value)  # type: ignore[call-overload]


def upsampling1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``UpSampling1D`` (``keras/src/layers/reshaping/up_sampling1d.py``): input spec
    ``ndim=3``; every step repeated ``size`` times."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, features)")
    size = int(layer.get("size"))  # type: ignore[call-overload]
    steps = None if x[1] is None else x[1] * size
    return Output(((x[0], steps, x[2]),), 0)


def cropping1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Cropping1D.compute_output_shape`` (``keras/src/layers/reshaping/cropping1d.py``):
    input spec ``ndim=3``; the steps lose ``before + after``, and at least one must
    remain ("`cropping` parameter ... must be smaller than the input length")."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, features)")
    before, after = _pair(layer.get("cropping"))
    steps = None if x[1] is None else x[1] - before - after
    if steps is not None and steps <= 0:
        raise ShapeError(
            "E207",
            f"`{layer.written}` crops {before + after} steps from a sequence of {x[1]}: "
            "nothing would remain",
            help="crop fewer steps, or feed a longer sequence",
            blame="arg:cropping",
        )
    return Output(((x[0], steps, x[2]),), 0)


def zeropadding1d(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``ZeroPadding1D.compute_output_shape`` (``keras/src/layers/reshaping/
    zero_padding1d.py``): input spec ``ndim=3``; the steps axis (axis 2 when channels come
    first) grows by ``before + after``."""
    x = single(layer, inputs)
    require_rank(layer, x, 3, exact=True, what="(batch, steps, features)")
    before, after = _pair(layer.get("padding"))
    axis = 2 if layer.get("data_format") == "channels_first" else 1
    out = list(x)
    if out[axis] is not None:
        out[axis] = out[axis] + before + after  # type: ignore[operator]
    return Output((tuple(out),), 0)
