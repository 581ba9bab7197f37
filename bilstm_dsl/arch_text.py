"""Saved layer configs as `.arch` calls: the writing half of `import`.

`translate` reads one layer's config against its registry entry (`layers.py`): each saved
value becomes the value `.arch` writes (`keras_config` knows the serialized forms), and
every argument that holds Keras's default is dropped, so the call lists only what someone
chose. `settle_names` keeps a layer's name only where Keras would name the rebuilt layer
otherwise. `write` prints a call in the shortest form that means the same:

- the required arguments positionally, plus one optional argument when it is an
  activation or a size that is the layer's first argument (``dense(1, sigmoid)``,
  ``maxpool1d(3)``);
- true booleans as bare flags, using the registry's short flags (``seq``, ``state``);
- ``bilstm(32, sum)`` for a Bidirectional LSTM/GRU/SimpleRNN whose backward copy Keras
  makes itself, ``td(...)`` for TimeDistributed, and the shortest of a layer's aliases
  (``maxpool1d``);
- names in double quotes, other strings as bare words where the grammar allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import keras_config as kc
from . import values as v
from .layers import ALIASES, LAYERS, LayerSpec, snake_case
from .objects import ArgObject

_BY_CLASS = {spec.keras_class: spec for spec in LAYERS.values()}


@dataclass(frozen=True)
class LayerRef:
    """A layer as the saved model names it: for messages and for locating diagnostics."""

    name: str
    keras_class: str

    @classmethod
    def of(cls, layer: dict[str, object] | None) -> LayerRef | None:
        if not isinstance(layer, dict):
            return None
        config = layer.get("config")
        name = config.get("name") if isinstance(config, dict) else None
        shown_class = layer.get("_saved_class") or layer.get("class_name")
        return cls(name if isinstance(name, str) else "?", str(shown_class))

    def __str__(self) -> str:
        return f"layer {self.name!r} ({self.keras_class})"


class ImportProblem(Exception):
    """A saved model `.arch` cannot express: a code (`importer.CODES`), what and where."""

    def __init__(
        self, code: str, message: str, layer: LayerRef | None, help: str | None = None
    ) -> None:
        super().__init__(f"{layer}: {message}" if layer else message)
        self.code = code
        self.message = message
        self.layer = layer
        self.help = help


@dataclass
class Call:
    """One layer as `.arch` will write it."""

    spec: LayerSpec
    args: dict[str, object]
    """The arguments that differ from Keras's defaults, as `.arch` values."""
    name: str | None
    """The name the rebuilt layer must have (None for an input left to its default)."""
    ref: LayerRef
    inner: Call | None = None
    backward: Call | None = None
    keep_name: bool = field(default=False)
    extra: tuple[str, ...] = ()
    """Arguments already written, placed before the name: a graph's
    ``initial_state=[h, c]``, whose tensors are names of the graph, not values."""


# -- reading configs


def translate_input(layer: dict[str, object]) -> Call:
    """The ``input(...)`` of an InputLayer config."""
    from .layers import INPUT

    ref = LayerRef.of(layer) or LayerRef("?", "InputLayer")
    config = layer.get("config")
    if layer.get("class_name") != "InputLayer" or not isinstance(config, dict):
        raise ImportProblem("I103", "the chain does not start with an input", ref)
    shape = config.get("batch_shape", config.get("batch_input_shape"))
    if not isinstance(shape, list) or len(shape) < 2:
        raise ImportProblem(
            "I102",
            f"an input of shape {kc.show(shape)}: .arch inputs have at least one dim "
            "besides the batch",
            ref,
        )
    for dim in shape:
        if dim is not None and (not isinstance(dim, int) or isinstance(dim, bool) or dim < 1):
            raise ImportProblem("I102", f"an input dim {kc.show(dim)}", ref)
    args: dict[str, object] = {"shape": tuple(shape[1:])}
    if shape[0] is not None:
        args["batch_size"] = shape[0]
    for key, value in config.items():
        if key in ("batch_shape", "batch_input_shape", "name"):
            continue
        if key == "dtype":
            dtype = _read(kc.dtype_policy, value, ref, key)
            if dtype != "float32":
                args["dtype"] = dtype
        elif key in ("sparse", "ragged", "optional"):
            if value:
                raise ImportProblem("I102", f"a {key} input has no .arch form", ref)
        else:
            raise ImportProblem("I102", f"`InputLayer` argument `{key}` has no .arch form", ref)
    name = config.get("name")
    keep = isinstance(name, str) and name != "input_layer"
    return Call(INPUT, args, name if keep else None, ref, keep_name=keep)


def translate(layer: dict[str, object], role: str = "top") -> Call:
    """The call of one saved layer. ``role`` is ``top``, ``forward`` or ``backward`` (the
    layers of a Bidirectional) or ``wrapped`` (inside TimeDistributed)."""
    ref = LayerRef.of(layer) or LayerRef("?", "?")
    cls = layer.get("class_name")
    module = layer.get("module")
    if isinstance(module, str) and module.startswith("keras.src.ops"):
        raise ImportProblem(
            "I101",
            f"the operation `keras.ops.{snake_case(str(cls))}` used as a layer has no .arch form",
            ref,
        )
    spec = _BY_CLASS.get(cls) if isinstance(cls, str) else None
    if spec is None or layer.get("registered_name") not in (None, cls, f"keras.layers>{cls}"):
        known = ", ".join(sorted(_BY_CLASS))
        raise ImportProblem(
            "I101",
            f"`{cls}` has no .arch form",
            ref,
            help=f"the layers .arch knows: {known}",
        )
    config = layer.get("config")
    if not isinstance(config, dict):
        raise ImportProblem("I102", "the layer's config is not an object", ref)
    args: dict[str, object] = {}
    for key, raw in config.items():
        if key == "name" or (spec.family == "wrapper" and key in ("layer", "backward_layer")):
            continue
        if key in _CELLS_KEYS and key in spec.by_name:  # `rnn(cell)`, `stackedrnncells(cells)`
            args[key] = _cells(config[key], key, ref)
            continue
        param = spec.by_name.get(key)
        if param is None and key in kc.CONFIG_ONLY:
            _config_only(key, raw, config, role, ref)
            continue
        if param is None or param.type in (v.LAYER, v.OPT_LAYER):
            raise ImportProblem(
                "I102",
                f"`{cls}` argument `{key}={kc.show(raw)}` has no .arch form",
                ref,
                help=f"`{spec.name}` takes " + ", ".join(f"`{p.name}`" for p in spec.params),
            )
        value = _read(lambda x: _value(param.type, x), raw, ref, key)  # noqa: B023
        if not _is_default(spec, key, value, config):
            args[key] = value
    name = config.get("name")
    if not isinstance(name, str):
        raise ImportProblem("I102", "the layer has no name", ref)
    call = Call(spec, args, name, ref)
    if "cell" in args:
        call.inner = args.pop("cell")  # type: ignore[assignment]
    if spec.keras_class == "Bidirectional":
        _bidirectional(call, config, ref)
    elif spec.family == "wrapper":
        inner = config.get("layer")
        if not isinstance(inner, dict):
            raise ImportProblem("I102", "the wrapper holds no layer", ref)
        call.inner = translate(inner, "wrapped")
    return call


_CELLS_KEYS = ("cell", "cells")


def _cells(raw: object, key: str, ref: LayerRef) -> object:
    """A saved ``RNN``'s cell, or a ``StackedRNNCells``' cells, as calls."""
    if key == "cell" and isinstance(raw, dict):
        return translate(raw, "wrapped")
    if key == "cells" and isinstance(raw, list) and all(isinstance(c, dict) for c in raw):
        return tuple(translate(c, "wrapped") for c in raw)
    raise ImportProblem("I102", f"`{key}` holds no saved cell", ref)


def _read(get, raw: object, ref: LayerRef, key: str):  # noqa: ANN001, ANN202
    """``get(raw)``, its `keras_config.Unexpressible` an `ImportProblem` about ``key``."""
    try:
        return get(raw)
    except kc.Unexpressible as error:
        raise ImportProblem("I102", f"`{key}` is {error}, which .arch cannot write", ref) from None


def _config_only(key: str, raw: object, config: dict[str, object], role: str, ref: LayerRef):  # noqa: ANN202
    if key == "dtype":
        policy = _read(kc.dtype_policy, raw, ref, key)
        if policy != "float32":
            raise ImportProblem(
                "I102",
                f"the dtype policy `{policy}` has no .arch form (.arch models compute in float32)",
                ref,
            )
        return
    if key == "vocabulary_size":
        # TextVectorization saves it: the mask and OOV tokens plus the vocabulary written
        # as an argument; larger, the layer was adapted (its vocabulary is in the assets)
        written = config.get("vocabulary")
        if raw != 2 + (len(written) if isinstance(written, list) else 0):
            raise ImportProblem(
                "I102",
                f"`TextVectorization` has a vocabulary of {raw} tokens that is not in its "
                "config (adapted, or loaded from the model's assets): .arch holds no data",
                ref,
                help="pass the vocabulary as an argument, `vocabulary=[...]`, or keep "
                "this model in Python",
            )
        return
    expected = kc.CONFIG_ONLY[key]
    if key == "attention_axes" and isinstance(raw, list) and raw == list(range(1, len(raw) + 1)):
        return  # what a built MultiHeadAttention saves: every axis but the batch and the last
    if key == "zero_output_for_mask" and role in ("forward", "backward"):
        expected = bool(config.get("return_sequences"))  # Bidirectional sets it so
    if not kc.same(raw, expected):
        raise ImportProblem("I102", f"`{key}={kc.show(raw)}` has no .arch form", ref)


def _value(kind: v.Type, raw: object) -> object:
    if kind is v.INITIALIZER:
        return kc.initializer(raw)
    if kind is v.REGULARIZER:
        return kc.regularizer(raw)
    if kind is v.CONSTRAINT:
        return kc.constraint(raw)
    if kind is v.ACTIVATION:
        return kc.activation(raw)
    one = (v.SIZE1, v.OPT_SIZE1, v.AXIS, v.OPT_INT)
    if kind in one and isinstance(raw, list | tuple) and len(raw) == 1:
        # Keras saves sizes as 1-tuples, and a built LayerNormalization's axis, and
        # MultiHeadAttention's output_shape
        raw = raw[0]
    return _plain(raw)


def _plain(raw: object) -> object:
    if isinstance(raw, list | tuple):
        return tuple(_plain(item) for item in raw)
    if raw is None or isinstance(raw, bool | int | float | str):
        return raw
    raise kc.Unexpressible(f"the value {kc.show(raw)}")


_IMPLIED = {"strides": "pool_size"}
"""Arguments whose default (None) Keras saves as another argument's value: a pooling layer
without ``strides`` moves by its ``pool_size``."""


def _is_default(spec: LayerSpec, key: str, value: object, config: dict[str, object]) -> bool:
    if key not in spec.defaults:
        return False
    default = spec.defaults[key]
    kind = spec.by_name[key].type
    if kind is v.INITIALIZER:
        return kc.same_initializer(str(value), default)
    if kind is v.ACTIVATION:
        return (value or "linear") == (default or "linear")
    if kind is v.DATA_FORMAT and default is None:
        return value in (None, "channels_last")
    if type(default) is int and type(value) is tuple and set(value) == {default}:
        return True  # Keras's `standardize_tuple`: `strides=1` saved as (1, 1)
    implied = _IMPLIED.get(key)
    if default is None and implied in spec.by_name and value is not None:
        other = _value(spec.by_name[implied].type, config.get(implied))
        return kc.same(value, other)
    return kc.same(value, default)


def _bidirectional(call: Call, config: dict[str, object], ref: LayerRef) -> None:
    forward = config.get("layer")
    if not isinstance(forward, dict):
        raise ImportProblem("I102", "the Bidirectional holds no layer", ref)
    inner = translate(forward, "forward")
    assert inner.name is not None
    # Keras names the copy it runs forward "forward_" + the wrapped layer's name.
    inner.name = inner.name.removeprefix("forward_")
    call.inner = inner
    backward = config.get("backward_layer")
    if isinstance(backward, dict) and not _made_by_keras(forward, backward, inner.name):
        call.backward = translate(backward, "backward")


def _made_by_keras(forward: dict[str, object], backward: dict[str, object], name: str) -> bool:
    """Whether ``backward`` is the copy Keras makes of the wrapped layer by itself: the
    same config reading backwards, named ``backward_`` + the wrapped layer's name."""
    a, b = forward.get("config"), backward.get("config")
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    if forward.get("class_name") != backward.get("class_name"):
        return False
    if b.get("name") != "backward_" + name.removeprefix("backward_"):
        return False
    if bool(b.get("go_backwards")) == bool(a.get("go_backwards")):
        return False
    rest = ("name", "go_backwards")
    return kc.same(
        {k: x for k, x in a.items() if k not in rest}, {k: x for k, x in b.items() if k not in rest}
    )


# -- names


def settle_names(calls: list[Call]) -> None:
    """Mark the names to write: those Keras would not give the rebuilt layer by itself.

    Keras names an unnamed layer from a counter per class, counting every layer made in
    the order the code makes them (wrapped layers before their wrapper) and skipping none
    for a name given by hand (``keras/src/utils/naming.py``; `naming.name_layers` is the
    checker's copy of the rule)."""
    counts: dict[str, int] = {}

    def visit(call: Call) -> None:
        for child in (call.inner, call.backward):
            if child is not None:
                visit(child)
        base = call.spec.snake_name
        count = counts.get(base, 0)
        auto = base if count == 0 else f"{base}_{count}"
        if call.name == auto:
            counts[base] = count + 1
            call.keep_name = False
        else:
            call.keep_name = True

    for call in calls:
        visit(call)


# -- writing


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUGAR = {
    LAYERS[alias.inner].keras_class: name
    for name, alias in ALIASES.items()
    if alias.wrapper == "bidirectional" and alias.inner is not None
}
"""Keras class wrapped by Bidirectional -> its short form (``LSTM`` -> ``bilstm``)."""


def write(call: Call) -> str:
    """``call`` as `.arch` text."""
    spec = call.spec
    if spec.name == "input":
        dims = ", ".join(_literal(d) for d in call.args["shape"])  # type: ignore[union-attr]
        rest = [f"{k}={_literal(call.args[k])}" for k in ("batch_size", "dtype") if k in call.args]
        if call.keep_name:
            rest.append(f"name={_quoted(str(call.name))}")
        return f"input({', '.join([dims, *rest])})"
    parts: list[str]
    inner = call.inner
    if spec.keras_class == "Bidirectional" and inner is not None and _sugared(call):
        name = _SUGAR[inner.spec.keras_class]
        positional, flags, keywords = _arguments(inner.spec, inner.args)
        mode = [_literal(call.args["merge_mode"])] if "merge_mode" in call.args else []
        outer = [f"{k}={_literal(call.args[k])}" for k in ("trainable",) if k in call.args]
        parts = positional + mode + flags + keywords + outer
    elif inner is not None and (spec.family == "wrapper" or "cell" in spec.by_name):
        name = _short_name(spec)
        parts = [write(inner)]
        if spec.keras_class == "Bidirectional":
            if "merge_mode" in call.args:
                parts.append(_literal(call.args["merge_mode"]))
            if call.backward is not None:
                parts.append(f"backward_layer={write(call.backward)}")
        parts += [f"{k}={_literal(x)}" for k, x in call.args.items() if k not in ("merge_mode",)]
    else:
        name = _short_name(spec)
        positional, flags, keywords = _arguments(spec, call.args)
        parts = positional + flags + keywords
    parts += call.extra
    if call.keep_name:
        parts.append(f"name={_quoted(str(call.name))}")
    return f"{name}({', '.join(parts)})"


def _sugared(call: Call) -> bool:
    """Whether ``bilstm(...)`` says it all: Keras makes the backward copy, the wrapped
    layer keeps its own name and trainability, the wrapper has nothing else to say."""
    inner = call.inner
    return (
        inner is not None
        and inner.spec.keras_class in _SUGAR
        and call.backward is None
        and not inner.keep_name
        and "trainable" not in inner.args
        and set(call.args) <= {"merge_mode", "trainable"}
    )


def _short_name(spec: LayerSpec) -> str:
    names = [spec.name] + [
        alias for alias, a in ALIASES.items() if a.wrapper == spec.name and a.inner is None
    ]
    return min(names, key=lambda n: (len(n), n))


def _arguments(spec: LayerSpec, args: dict[str, object]) -> tuple[list[str], list[str], list[str]]:
    """Positional, flag and keyword arguments, each in the order of the Keras signature."""
    positional: list[str] = []
    used: set[str] = set()
    assert spec.positional is not None
    for index, key in enumerate(spec.positional):
        param = spec.by_name[key]
        if key not in args or param.type is v.BOOL:
            break
        optional_ok = param.type is v.ACTIVATION or (index == 0 and param.type is v.SIZE1)
        if key in spec.defaults and (any(k in spec.defaults for k in used) or not optional_ok):
            break
        positional.append(_literal(args[key], param.type))
        used.add(key)
    flags: list[str] = []
    keywords: list[str] = []
    for param in spec.params:
        key = param.name
        if key not in args or key in used:
            continue
        value = args[key]
        if param.type is v.BOOL and value is True:
            words = [w for w, target in spec.flags.items() if target == key]
            flags.append(min(words, key=lambda w: (len(w), w)))
        else:
            keywords.append(f"{key}={_literal(value, param.type)}")
    return positional, flags, keywords


def _literal(value: object, kind: v.Type | None = None) -> str:
    if value is None:
        return "none"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        if kind is not v.LAYER_NAME and _WORD.fullmatch(value):
            if value.lower() not in ("true", "false", "none"):
                return value
        return _quoted(value)
    if isinstance(value, ArgObject):  # ``l2(0.001)``: positional first, as Keras orders them
        shown = [_literal(x) for _, x in value.args[: value.positional]]
        shown += [f"{key}={_literal(x)}" for key, x in value.args[value.positional :]]
        return f"{value.spec.name}({', '.join(shown)})"
    if isinstance(value, tuple) and kind is v.LAYER_LIST:
        return "[" + ", ".join(write(item) for item in value) + "]"  # type: ignore[arg-type]
    if isinstance(value, tuple):
        items = [_literal(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    raise kc.Unexpressible(f"the value {kc.show(value)}")


def _quoted(text: str) -> str:
    if "\r" in text or "\n" in text:
        raise kc.Unexpressible(f"the string {kc.show(text)} (a line break)")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
