"""A layer as the Keras constructor call that makes it: the one piece both plans (a chain's
`plan` and a graph's `graph_plan`) and both renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    named_by_keras: bool = False
    """Its ``name`` is the one Keras gives it by itself, and must be left to Keras: the
    class's mask makes an operation Keras names as it names layers (`LayerSpec.mask_ops`).
    A layer named so by hand does not count towards Keras's names, so the operation
    takes the same name and the model fails ("The name "concatenate" is used 2 times").
    The Python written leaves these names out, as a careful person does, and `build`
    counts the name as Keras would have. Never for a name the spec wrote."""


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
    written = "name" in layer.args
    if name is not None:
        kwargs["name"] = name
    elif written:
        kwargs["name"] = layer.args["name"]
    origin = getattr(spec, "origin", None) or None
    automatic = name is not None and not written and bool(spec.mask_ops) and origin is None
    return Call(spec.keras_class, tuple(args), kwargs, origin=origin, named_by_keras=automatic)
