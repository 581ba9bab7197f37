"""Naming: the names Keras gives layers, and E118 where two layers would share one.

Keras names an unnamed layer from a counter per class (``keras/src/utils/naming.py``,
``auto_name``); the checker, the graph binder and the backends must agree with it to the
letter, because a name is part of the model's saved config.
"""

from __future__ import annotations

from .model import Context, Layer


def construction_order(layer: Layer):  # noqa: ANN201
    """``layer`` and the layers it wraps in the order Python makes them when the Keras code
    is written out: arguments first (``Bidirectional(LSTM(8), backward_layer=LSTM(...))``
    makes the forward LSTM, the backward one, then the wrapper)."""
    for child in (layer.inner, layer.backward):
        if child is not None:
            yield from construction_order(child)
    yield layer


def name_layers(
    ctx: Context,
    skip: dict[int, int] | None = None,
    ops: dict[int, tuple[str, ...]] | None = None,
) -> None:
    """Name every stage as Keras does, into ``ctx.names``, and report E118 where two share a
    name, which Keras refuses.

    Keras names an unnamed layer from a counter per class (``lstm``, ``lstm_1``, ...;
    ``keras/src/utils/naming.py``, ``auto_name``), counting every layer made, wrapped ones
    included (the `lstm` inside `bidirectional(lstm(8))` takes ``lstm``), and never skipping
    a name a user gave: ``lstm(8, name="lstm") -> lstm(8)`` names both ``lstm``. The stages
    in ``skip`` apply a layer made earlier (a shared layer) and make none. ``ops``: per
    stage called on a mask, the operations its call makes (`LayerSpec.mask_ops`), counted
    after the layer's own name: Keras makes the layer, then calls it."""
    counts: dict[str, int] = {}
    names = ctx.names
    first: dict[str, int] = {}
    for index, top in enumerate(ctx.layers):
        if top is None or (skip and index in skip):
            if ops and index in ops:
                _count(ops[index], counts)  # a shared layer's call
            continue
        inner = top.inner
        if (
            top.backward is None
            and inner is not None
            and inner.inner is None
            and inner.backward is None
        ):  # `construction_order` for one wrapped layer, `bilstm(8)`: the inner one first
            _name(inner, counts)
            name = _name(top, counts)
        elif inner is not None or top.backward is not None:
            for layer in construction_order(top):  # the wrapped layers count first
                name = _name(layer, counts)
        elif "name" in top.args:
            name = _name(top, counts)
        else:  # `_name` written out: nearly every layer of a long chain is unnamed
            base = top.spec.snake_name
            count = counts.get(base, 0)
            counts[base] = count + 1
            name = base if count == 0 else f"{base}_{count}"
        names[index] = name
        if name in first:
            _duplicate(ctx, name, first[name], index)
        else:
            first[name] = index
        if ops and index in ops:
            _count(ops[index], counts)


def _count(names: tuple[str, ...], counts: dict[str, int]) -> None:
    """The operations named ``names`` were made: each takes its counter's next name."""
    for name in names:
        counts[name] = counts.get(name, 0) + 1


def _name(layer: Layer, counts: dict[str, int]) -> str:
    """The name ``layer`` takes: its own, or the next from its class's counter."""
    given = layer.args.get("name")
    if given:
        return str(given)
    base = layer.spec.snake_name
    count = counts.get(base, 0)
    counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _duplicate(ctx: Context, name: str, earlier: int, index: int) -> None:
    here, there = ctx.layers[index], ctx.layers[earlier]
    assert here is not None and there is not None
    if here.args.get("name") and there.args.get("name"):
        ctx.report(
            "E118",
            here.spans["name"],
            f"the layer name `{name}` is already used on line {ctx.line_of(earlier)}",
            help="give each layer its own name",
            stage=index,
        )
        return
    # One of the two is named by Keras: blame the name the user chose.
    given, auto = (index, earlier) if here.args.get("name") else (earlier, index)
    chosen, unnamed = ctx.layers[given], ctx.layers[auto]
    assert chosen is not None and unnamed is not None
    ctx.report(
        "E118",
        chosen.spans["name"],
        f"the layer name `{name}` is also the name Keras gives the unnamed "
        f"`{ctx.call_text(auto)}` on line {ctx.line_of(auto)}",
        help="choose another name: Keras names unnamed layers "
        f"`{unnamed.spec.snake_name}`, `{unnamed.spec.snake_name}_1`, ... in the order they "
        "are made",
        stage=given,
    )
