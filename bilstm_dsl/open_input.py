"""Open inputs: a chain written without `input(...)`, such as the one-line spec that
describes the project, ``lstm(32, seq) -> bilstm(32, concat) -> dense(1)``.

The checker puts an input in front of the chain, at the first stage's position and zero
characters wide, so every later pass sees a chain as it always has (stage 0 is the input).
Its shape is what the first layer can take with the fewest axes: ``(F,)`` for `dense`,
``(None, F)`` for a recurrent layer or `conv1d`, and so on, found by asking the first
layer's own shape rule; ``F``, the number of features, is a `symbolic.Sym`, so weight
counts that depend on it come out as formulas (``128*F + 4224`` for `lstm(32)`), and the
time axis is `None` as in Keras. A layer written for other data says so in its registry
entry (`LayerSpec.takes`): token ids before `embedding`, strings before `textvectorization`.
Rank errors further down (a missing ``seq``, two tensors into one layer) are then caught
exactly as with a written input.

``check(..., input_shape=(20, 1))`` (the CLI's ``--input-shape``) gives the shape instead:
for an open chain it is the input's shape; for a written input it replaces the written
dims (its names too), and must have as many axes.
"""

from __future__ import annotations

from . import ast
from .diagnostics import Span
from .layers import INPUT
from .model import CheckResult, Context, Layer
from .shapes import Shape, ShapeError
from .symbolic import Sym, Undecided, names_in

FEATURES = "F"
"""The name of an open input's feature count."""

MAX_RANK = 4
"""The most axes (past the batch) an open input is tried with: up to 3-D feature maps."""


def is_open(chain: ast.Chain) -> bool:
    return chain.stages[0].call.name.lower() != "input"


def open_input(ctx: Context) -> Layer:
    """Put the open input in front of ``ctx.stages``; its shape is settled by `settle`,
    once the first layer is bound."""
    first = ctx.stages[0]
    at = Span(first.span.start, first.span.start, first.span._index)
    call = ast.Call("input", at, (), at)
    ctx.stages.insert(0, ast.Stage(call, None, at))
    return Layer(INPUT, "input", call)


def settle(ctx: Context, layer: Layer, given: tuple[int | None, ...] | None) -> None:
    """Give the open input ``layer`` its shape and dtype: ``given``, or what the first
    layer takes (`first_shape`)."""
    first = ctx.layers[1] if len(ctx.layers) > 1 else None
    takes = first.spec.takes if first is not None else None
    if given is not None:
        shape: Shape = given
    elif takes is not None:
        shape = takes[0]
    else:
        shape = first_shape(first)
    layer.args["shape"] = shape
    if takes is not None and takes[1] != "float32":
        layer.args["dtype"] = takes[1]


def first_shape(first: Layer | None) -> Shape:
    """The fewest axes ``first`` accepts, the last of them ``F``: ``(F,)``, ``(None, F)``,
    ... A layer that fails for another reason than the rank gets the shape it failed on,
    and inference reports that failure as it would for a written input."""
    features = Sym.named(FEATURES)
    if first is None:
        return (None, features)
    for rank in range(1, MAX_RANK + 1):
        shape: Shape = (None,) * (rank - 1) + (features,)
        try:
            first.spec.rule(first, ((None,) + shape,))
        except Undecided:
            return shape
        except ShapeError as error:
            if error.code == "E203" or error.min_rank is not None:
                continue
            return shape
        return shape
    return (None, features)


def override(ctx: Context, layer: Layer, given: tuple[int | None, ...]) -> str | None:
    """Put ``given`` in place of a written input's dims; why not, if it cannot be. A named
    dim given a size keeps it for the assertions that name it (``ctx.sizes``); given
    `None`, it stays a name."""
    written = tuple(layer.get("shape"))  # type: ignore[arg-type]
    if len(written) != len(given):
        return (
            f"--input-shape has {len(given)} dims, but the spec's input has {len(written)}: "
            f"{', '.join('none' if d is None else str(d) for d in written)}"
        )
    shape: list[int | Sym | None] = []
    for old, new in zip(written, given):
        if isinstance(old, Sym) and new is None:
            shape.append(old)
            continue
        if isinstance(old, Sym) and new is not None:
            (name,) = old.names
            ctx.sizes[name] = new
        shape.append(new)
    layer.args["shape"] = tuple(shape)
    return None


def not_buildable(result: CheckResult) -> str | None:
    """Why Keras cannot build the model of ``result`` as it is, a spec that checked: an
    open input (Keras needs the number of features), a stage not checked (N403), or
    weights whose count depends on a named size (Keras sizes weights when it builds)."""
    if result.open_input and names_in(result.input_shape):
        return (
            "the spec has no `input(...)`, and Keras needs the input's shape to build the "
            "model: give it per sample, e.g. `--input-shape 20,1`, or write "
            "`input(20, 1) -> ...` in the spec"
        )
    stopped = next((d for d in result.diagnostics if d.code == "N403"), None)
    if stopped is not None:
        return (
            f"checking stopped on line {stopped.span.line} (N403), so the model cannot be "
            "built: give the sizes with --input-shape, or write them in `input(...)`"
        )
    for stage in result.stages:
        names = names_in((stage.trainable, stage.non_trainable))
        if names:
            shown = ", ".join(f"`{n}`" for n in sorted(names))
            return (
                f"the weights of `{stage.layer.written}` (line {stage.span.line}) depend on "
                f"{shown}, which Keras must know to build them: give the sizes with "
                "--input-shape, or write them in `input(...)`"
            )
    return None


def parse_shape(text: str) -> tuple[int | None, ...]:
    """``--input-shape 20,1`` (``none`` for an unknown length): the dims per sample; a
    ValueError saying what is wrong otherwise."""
    dims: list[int | None] = []
    for part in text.replace(" ", "").strip("()").split(","):
        if part.lower() == "none":
            dims.append(None)
        elif part.isdigit() and 0 < int(part) < 2**63:
            dims.append(int(part))
        else:
            raise ValueError(
                f"--input-shape {text!r}: each dim is a positive integer or `none`, "
                "separated by commas, e.g. `--input-shape 20,1` or `--input-shape none,8`"
            )
    return tuple(dims)
