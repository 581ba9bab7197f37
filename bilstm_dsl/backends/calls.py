"""A layer as the Keras constructor call that makes it: the one piece both plans (a chain's
`plan` and a graph's `graph_plan`) and both renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..layers import LAYERS, snake_case
from ..model import Layer
from ..objects import ArgObject


@dataclass(frozen=True)
class Call:
    """``keras.<module>.<cls>(*args, **kwargs)``; values may be nested `Call` s: a wrapped
    layer, or an argument object (``keras.regularizers.L2(0.001)``)."""

    cls: str
    args: tuple[object, ...] = ()
    kwargs: dict[str, object] = field(default_factory=dict)
    module: str = "layers"
    origin: str | None = None
    """For a class Keras does not ship (a plugin's, an opaque layer's), the Python module
    it is imported from: ``cls`` is then that module's attribute, not ``keras.<module>``'s."""


def object_call(value: ArgObject) -> Call:
    """An argument object as its Keras constructor call, with only the arguments written,
    positional where the spec wrote them so; axes as lists, as Keras's configs hold them."""
    args = [list(x) if isinstance(x, tuple) else x for _, x in value.args]
    names = [name for name, _ in value.args]
    split = value.positional
    return Call(
        value.spec.keras_class,
        tuple(args[:split]),
        dict(zip(names[split:], args[split:])),
        value.spec.module,
    )


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
        elif type(value) is tuple and value and isinstance(value[0], Layer):
            value = [layer_call(cell) for cell in value]  # stackedrnncells([...])
        elif isinstance(value, ArgObject):
            value = object_call(value)
        if param.name in spec.defaults:
            kwargs[param.name] = value
        else:  # required arguments come first in every Keras signature
            args.append(value)
    if name is not None:
        kwargs["name"] = name
    elif "name" in layer.args:
        kwargs["name"] = layer.args["name"]
    return Call(spec.keras_class, tuple(args), kwargs, origin=getattr(spec, "origin", None) or None)


NAMED_BY_KERAS = frozenset(spec.keras_class for spec in LAYERS.values() if spec.mask_ops)
"""Layers whose automatic name Keras also gives an operation of its own
(`LayerSpec.mask_ops`): concatenating two masks makes an operation named ``concatenate``. A
layer named so by hand does not count towards Keras's names, so the operation takes the
same name and the model fails ("The name "concatenate" is used 2 times"). The Python
written lets Keras name these layers, as a careful person does, and `build` counts the
name it gives as Keras would have."""


def keras_names_itself(call: Call) -> bool:
    """Whether ``call`` is of `NAMED_BY_KERAS` and named as Keras would name it itself
    (``concatenate``, ``concatenate_2``), not as the spec names it."""
    name = call.kwargs.get("name")
    if call.cls not in NAMED_BY_KERAS or not isinstance(name, str) or call.origin:
        return False
    auto = snake_case(call.cls)
    return name == auto or (name.startswith(auto + "_") and name[len(auto) + 1 :].isdigit())
