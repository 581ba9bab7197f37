"""Shape rules of the preprocessing layers that turn raw values into a model's input
(TextVectorization: strings to token ids; CategoryEncoding: ids to one/multi-hot
vectors), each mirroring the Keras 3 code named in its docstring; the same contract as
`shapes`. They hold no trainable weights."""

from __future__ import annotations

from .shapes import LayerLike, Output, Shape, ShapeError, fmt, single


def text_vectorization(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``TextVectorization.compute_output_shape`` (``keras/src/layers/preprocessing/
    text_vectorization.py``): ``int`` mode gives ``(batch, output_sequence_length)`` (int64
    ids; the length ``None`` when not fixed); the other modes split each string into
    tokens and count them into ``IndexLookup.compute_output_shape``'s depth: ``max_tokens``
    with ``pad_to_max_tokens``, else the vocabulary's size (plus one out-of-vocabulary
    token), unknown until ``adapt``. A string tensor of rank above 1 must end in 1
    (``call``: "the input rank must be 1 or the last shape dimension must be 1")."""
    x = single(layer, inputs)
    if layer.get("split") is not None and len(x) > 1 and x[-1] != 1:
        raise ShapeError(
            "E203",
            f"`{layer.written}` tokenizes one string per sample: its input must be "
            f"(batch,) or (batch, 1), but receives {fmt(x)}",
            help="write `input(1, dtype=string)`",
            blame="input",
        )
    mode = layer.get("output_mode")
    for arg in ("output_sequence_length", "ragged"):
        if mode != "int" and layer.get(arg):
            # TextVectorization.__init__: "`output_sequence_length` must not be set if
            # `output_mode` is not 'int'", and the same for `ragged`
            raise ShapeError(
                "E104",
                f'`{arg}` shapes token ids, so it needs `output_mode="int"`, not `{mode}`',
                help=f'remove `{arg}`, or use `output_mode="int"`',
                blame=f"arg:{arg}",
            )
    if mode == "int":
        return Output(((x[0], layer.get("output_sequence_length")),), 0)  # type: ignore[arg-type]
    shape = x + (None,) if layer.get("split") is not None else x + (1,) if len(x) <= 1 else x
    vocabulary = layer.get("vocabulary")
    if layer.get("pad_to_max_tokens"):
        depth = layer.get("max_tokens")
    elif isinstance(vocabulary, list):
        depth = len(vocabulary) + 1  # the out-of-vocabulary token `[UNK]`
    else:
        depth = None
    return Output((shape[:-1] + (depth,),), 0)  # type: ignore[operator]


def category_encoding(layer: LayerLike, inputs: tuple[Shape, ...]) -> Output:
    """``CategoryEncoding.compute_output_shape`` (``keras/src/layers/preprocessing/
    category_encoding.py``): ``one_hot`` adds an axis of ``num_tokens`` (replacing a last
    axis of 1); ``multi_hot`` and ``count`` replace the last axis."""
    x = single(layer, inputs)
    tokens = layer.get("num_tokens")
    if tokens is None:
        # CategoryEncoding.__init__ defaults it to None, then: "num_tokens must be set"
        raise ShapeError(
            "E104",
            "`num_tokens` must be set: it is the size of every encoded vector",
            help="write e.g. `categoryencoding(10)` for ids 0 to 9",
            blame="self",
        )
    if layer.get("output_mode") == "one_hot" and (len(x) == 1 or x[-1] != 1):
        return Output((x + (tokens,),), 0)  # type: ignore[operator]
    return Output((x[:-1] + (tokens,),), 0)  # type: ignore[operator]
