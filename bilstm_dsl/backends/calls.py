"""A layer as the Keras constructor call that makes it: the one piece both plans (a chain's
`plan` and a graph's `graph_plan`) and both renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Layer


@dataclass(frozen=True)
class Call:
    """``keras.layers.<cls>(*args, **kwargs)``; values may be nested `Call` s."""

    cls: str
    args: tuple[object, ...] = ()
    kwargs: dict[str, object] = field(default_factory=dict)


def layer_call(layer: Layer, name: str | None = None) -> Call:
    """The Keras call for ``layer``: required arguments positional, as Keras examples
    write them (``LSTM(32)``, ``Dropout(0.2)``, ``Bidirectional(LSTM(32))``), the rest by
    keyword in the order of the Keras signature."""
    spec = layer.spec
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for param in spec.params:
        if (
            param.name not in layer.args
            or param.name == "name"
            or param.call
            or param.legacy is not None  # Keras 3 ignores it (W506)
        ):
            continue
        value = layer.args[param.name]
        if isinstance(value, Layer):
            value = layer_call(value)
        if param.name in spec.defaults:
            kwargs[param.name] = value
        else:  # required arguments come first in every Keras signature
            args.append(value)
    if name is not None:
        kwargs["name"] = name
    elif "name" in layer.args:
        kwargs["name"] = layer.args["name"]
    return Call(spec.keras_class, tuple(args), kwargs)
