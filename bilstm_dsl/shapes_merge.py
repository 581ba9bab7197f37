"""Shape rules of the layers that take several tensors: the merges (``keras/src/layers/
merging/``) and the attention layers (``keras/src/layers/attention/``), each mirroring the
Keras 3 code named in its docstring; the same contract as `shapes`.

A merge that Keras builds but cannot call (shapes its ``build`` lets through, then the
operation refuses) is rejected here too: a merge's shapes must hold on the real call.
"""

from __future__ import annotations

from .shapes import (
    LayerLike,
    Output,
    Shape,
    ShapeError,
    feature_axis,
    fmt,
    known_last,
    require_rank,
)


def _several(layer: LayerLike, inputs: tuple[Shape, ...], least: int, most: int | None) -> None:
    if len(inputs) < least or (most is not None and len(inputs) > most):
        wanted = f"exactly {least}" if least == most else f"at least {least}"
        if most is not None and most != least:
            wanted = f"{least} to {most}"
        raise ShapeError(
            "E202",
            f"`{layer.written}` takes {wanted} tensors, but receives {len(inputs)}",
            help=f"feed it a list: `[a, b] -> {layer.written}(...)`",
        )


def _batch(layer: LayerLike, inputs: tuple[Shape, ...]) -> int | None:
    sizes = {x[0] for x in inputs} - {None}
    if len(sizes) > 1:
        raise ShapeError(
            "E212",
            f"`{layer.written}` cannot merge tensors with different batch sizes: "
            + ", ".join(fmt(x) for x in inputs),
            help="give every `input(...)` the same `batch_size`, or none",
        )
    return sizes.pop() if sizes else None


def elementwise(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``
    (``merging/base_merge.py``, ``_compute_elemwise_op_output_shape``): shapes broadcast
    from the last axis, a size of 1 stretching to the other's. ``Subtract`` takes exactly
    two tensors."""
    most = 2 if layer.keras_class == "Subtract" else None
    _several(layer, inputs, 2 if most else 1, most)
    batch = _batch(layer, inputs)
    out: Shape = inputs[0][1:]
    for index, x in enumerate(inputs[1:], 1):
        out = _broadcast(layer, out, x[1:], inputs[0], x, index)
    return Output(((batch,) + out,), 0)


def _broadcast(
    layer: LayerLike, a: Shape, b: Shape, first: Shape, other: Shape, index: int
) -> Shape:
    if len(a) < len(b):
        a, b = b, a
    out = list(a[: len(a) - len(b)])
    for axis, (i, j) in enumerate(zip(a[len(a) - len(b) :], b), len(a) - len(b) + 1):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ShapeError(
                "E212",
                f"`{layer.written}` combines its tensors element by element, but axis {axis} "
                f"is {i} in {fmt(first)} and {j} in {fmt(other)} (tensor {index + 1})",
                help="make the sizes equal (or 1) on every axis, e.g. with a `dense(...)` "
                "before the merge",
            )
        else:
            out.append(i)
    return tuple(out)


def concatenate(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Concatenate`` (``merging/concatenate.py``): same rank, every axis equal but the
    one joined, which adds up (unknown if any is). Keras's ``build`` lets some unequal
    size-1 axes through, but the concatenation then fails when called, so they are refused
    here."""
    _several(layer, inputs, 1, None)
    batch = _batch(layer, inputs)
    first = inputs[0]
    rank = len(first)
    joined = feature_axis(int(layer.get("axis")), first, "inputs")  # type: ignore[arg-type]
    total: int | None = 0
    for index, x in enumerate(inputs):
        if len(x) != rank:
            raise ShapeError(
                "E212",
                f"`{layer.written}` joins tensors of one rank, but {fmt(first)} is {rank}-D "
                f"and {fmt(x)} (tensor {index + 1}) is {len(x)}-D",
                help="reshape one of them first, e.g. `repeatvector(n)` to give a vector "
                "a time axis",
            )
        for a in range(1, rank):
            if a != joined and None not in (first[a], x[a]) and first[a] != x[a]:
                raise ShapeError(
                    "E212",
                    f"`{layer.written}` joins along axis {joined}, so every other axis must "
                    f"match, but axis {a} is {first[a]} in {fmt(first)} and {x[a]} in "
                    f"{fmt(x)} (tensor {index + 1})",
                    help=f"make axis {a} equal, or join along it: `{layer.written}(axis={a})`",
                )
        total = None if total is None or x[joined] is None else total + x[joined]
    out = list(first)
    out[0] = batch
    out[joined] = total
    return Output((tuple(out),), 0)


def dot(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Dot`` (``merging/dot.py``, ``compute_output_shape`` and ``batch_dot``): two
    tensors of rank 2 or more, the axes summed over must have equal sizes; the output is
    the first's shape without its axis, then the second's without batch and its axis."""
    _several(layer, inputs, 2, 2)
    batch = _batch(layer, inputs)
    x, y = inputs
    for shape in (x, y):
        require_rank(layer, shape, 2, exact=False, what="(batch, ...)")
    axes = layer.get("axes")
    pair = tuple(axes) if isinstance(axes, tuple) else (axes, axes)
    resolved = []
    for a, shape in zip(pair, (x, y)):
        assert isinstance(a, int)
        if not -len(shape) <= a < len(shape) or a % len(shape) == 0:
            raise ShapeError(
                "E210",
                f"`axes={axes}` names axis {a}, which is not a feature axis of {fmt(shape)}",
                help="name a non-batch axis of each input, e.g. `axes=-1`",
                blame="arg:axes",
            )
        resolved.append(a % len(shape))
    i, j = resolved
    if None not in (x[i], y[j]) and x[i] != y[j]:
        raise ShapeError(
            "E212",
            f"`{layer.written}` sums over axis {i} of {fmt(x)} ({x[i]}) and axis {j} of "
            f"{fmt(y)} ({y[j]}), which must be the same size",
            help="choose `axes` whose sizes match, or project one input with `dense(...)`",
        )
    out = [batch] + list(x[1:i]) + list(x[i + 1 :]) + list(y[1:j]) + list(y[j + 1 :])
    if len(out) == 1:
        out.append(1)
    return Output((tuple(out),), 0)


def _attention_inputs(layer: LayerLike, inputs: tuple[Shape, ...]) -> tuple[Shape, Shape, Shape]:
    _several(layer, inputs, 2, 3)
    _batch(layer, inputs)
    query, value = inputs[0], inputs[1]
    key = inputs[2] if len(inputs) > 2 else value
    for shape in (query, value, key):
        require_rank(layer, shape, 3, exact=True, what="(batch, time, features)")
    if None not in (value[1], key[1]) and value[1] != key[1]:
        raise ShapeError(
            "E212",
            f"`{layer.written}` pairs every value with a key, but the value has {value[1]} "
            f"steps {fmt(value)} and the key {key[1]} {fmt(key)}",
            help="feed a key and a value of the same length",
        )
    return query, value, key


def _same_features(layer: LayerLike, query: Shape, key: Shape) -> None:
    if None not in (query[-1], key[-1]) and query[-1] != key[-1]:
        raise ShapeError(
            "E212",
            f"`{layer.written}` compares query and key feature by feature, but the query "
            f"has {query[-1]} features {fmt(query)} and the key {key[-1]} {fmt(key)}",
            help="project them to the same size with `dense(...)`, or use "
            "`multiheadattention`, which projects them itself",
        )


def _with_scores(layer: LayerLike, out: Shape, scores: Shape) -> tuple[Shape, ...]:
    return (out, scores) if layer.get("return_attention_scores") else (out,)


def attention(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``Attention`` (``attention/attention.py``): ``[query, value]`` or ``[query, value,
    key]``; out ``(batch, Tq, value features)``, scores ``(batch, Tq, Tv)``. A scalar
    weight for ``use_scale`` and one for ``score_mode="concat"``."""
    query, value, key = _attention_inputs(layer, inputs)
    _same_features(layer, query, key)
    out = query[:-1] + (value[-1],)
    params = int(bool(layer.get("use_scale"))) + int(layer.get("score_mode") == "concat")
    return Output(_with_scores(layer, out, query[:2] + (value[1],)), params)


def additive_attention(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``AdditiveAttention`` (``attention/additive_attention.py``): as ``Attention``; with
    ``use_scale`` a scale vector as long as the query's features."""
    query, value, key = _attention_inputs(layer, inputs)
    _same_features(layer, query, key)
    out = query[:-1] + (value[-1],)
    params = 0
    if layer.get("use_scale"):
        if query[-1] is None:
            raise ShapeError(
                "E204",
                f"`{layer.written}` sizes its scale by the query's features, but receives "
                f"{fmt(query)}",
                blame="input",
            )
        params = query[-1]
    return Output(_with_scores(layer, out, query[:2] + (value[1],)), params)


def multi_head_attention(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``MultiHeadAttention`` (``attention/multi_head_attention.py``): query, key and value
    each projected to ``num_heads`` heads (``key_dim`` for query and key, ``value_dim`` for
    value), the heads projected back to ``output_shape`` or the query's features; scores
    ``(batch, heads, Tq, Tv)``."""
    query, value, key = _attention_inputs(layer, inputs)
    for shape in (query, value, key):
        known_last(layer, shape, "features")
    heads, key_dim = int(layer.get("num_heads")), int(layer.get("key_dim"))  # type: ignore[arg-type]
    value_dim = int(layer.get("value_dim") or key_dim)  # type: ignore[arg-type]
    out_dim = int(layer.get("output_shape") or query[-1])  # type: ignore[arg-type]
    bias = 1 if layer.get("use_bias") else 0
    q_dim, k_dim, v_dim = query[-1], key[-1], value[-1]
    assert q_dim is not None and k_dim is not None and v_dim is not None
    params = (
        (q_dim + bias) * heads * key_dim
        + (k_dim + bias) * heads * key_dim
        + (v_dim + bias) * heads * value_dim
        + heads * value_dim * out_dim
        + bias * out_dim
    )
    out = query[:-1] + (out_dim,)
    scores = (query[0], heads, query[1], value[1])
    return Output(_with_scores(layer, out, scores), params)
