"""Keras 2 configs turned into their Keras 3 equivalents, one note per change.

Models saved by Keras 2 (TF-Keras 2.x ``.h5`` files and ``to_json()``, standalone Keras
2.x) use arguments and classes Keras 3 removed. Each has an exact Keras 3 equivalent:

- ``CuDNNLSTM`` / ``CuDNNGRU`` are ``LSTM`` / ``GRU`` with the cuDNN-compatible settings,
  which are Keras 3's defaults; Keras 3 picks the cuDNN kernel itself on a GPU.
- ``batch_input_shape`` on a Sequential's first layer, and ``input_dim`` (with
  ``input_length``) on a recurrent or dense layer, say what ``keras.Input`` says in Keras 3.
- Embedding's ``input_length`` is gone: the input's shape says it.
- ``time_major`` (always false unless set) and ``implementation`` (how a recurrent layer
  batches its matrix products: the same numbers either way) are gone.
- Keras 2.2 saved ``glorot_uniform`` and its kin as ``VarianceScaling`` presets.
- An ``InputLayer``'s ``batch_input_shape`` is Keras 3's ``batch_shape`` (a change of
  spelling only; no note).

`modernize` applies them to a copy of the model config; the notes name the layer, its class
and the change, and the importer prints them and keeps them as comments in the `.arch` file.
Standard library only.
"""

from __future__ import annotations

import json

RENAMED_CLASSES = {"CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}
RECURRENT = ("LSTM", "GRU", "SimpleRNN")

# Keras 2.2's presets (keras/initializers.py: glorot_uniform() returned VarianceScaling(
# scale=1., mode="fan_avg", distribution="uniform")); "normal" was its truncated normal.
_PRESETS = {
    (1.0, "fan_avg", "uniform"): "GlorotUniform",
    (1.0, "fan_avg", "normal"): "GlorotNormal",
    (1.0, "fan_avg", "truncated_normal"): "GlorotNormal",
    (2.0, "fan_in", "uniform"): "HeUniform",
    (2.0, "fan_in", "normal"): "HeNormal",
    (2.0, "fan_in", "truncated_normal"): "HeNormal",
    (1.0, "fan_in", "uniform"): "LecunUniform",
    (1.0, "fan_in", "normal"): "LecunNormal",
}


def modernize(model: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """A copy of ``model`` (``{"class_name", "config"}``) in Keras 3's terms, and the notes
    saying what changed."""
    model = json.loads(json.dumps(model))  # a copy, several times faster than deepcopy
    notes: list[str] = []
    if model.get("class_name") == "Model":  # Keras 2's name for a functional model
        model["class_name"] = "Functional"
    config = model.get("config")
    if isinstance(config, list):  # Keras <= 2.2 saved a Sequential as its list of layers
        config = {"layers": config}
        model["config"] = config
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        return model, notes
    layers = config["layers"]
    for layer in layers:
        if isinstance(layer, dict):
            _layer(layer, notes)
    if model.get("class_name") == "Sequential":
        _sequential_input(layers, notes)
    for layer in layers:
        if isinstance(layer, dict):
            _drop_input_shape(layer, notes)
    return model, notes


def _where(layer: dict[str, object]) -> str:
    config = layer.get("config")
    name = config.get("name") if isinstance(config, dict) else None
    return f"layer {name!r} ({layer.get('_saved_class') or layer.get('class_name')})"


def _layer(layer: dict[str, object], notes: list[str]) -> None:
    config = layer.get("config")
    if not isinstance(config, dict):
        return
    cls = layer.get("class_name")
    if not isinstance(cls, str):
        return  # the importer says what is wrong with it
    where = _where(layer)
    if cls == "InputLayer":
        if "batch_input_shape" in config and "batch_shape" not in config:
            config["batch_shape"] = config.pop("batch_input_shape")
        return
    if cls in RENAMED_CLASSES:
        new = RENAMED_CLASSES[cls]
        layer["class_name"] = new
        layer["_saved_class"] = cls  # messages name the class the file holds
        notes.append(
            f"{where}: `{cls}` is `{new}` in Keras 3, which runs the cuDNN kernel by itself "
            "on a GPU"
        )
        cls = new
    if cls in RECURRENT:
        if config.get("time_major") is False:
            del config["time_major"]
            notes.append(f"{where}: `time_major=false` is gone in Keras 3 (it was the default)")
        if "implementation" in config:
            value = config.pop("implementation")
            notes.append(
                f"{where}: `implementation={value}` is gone in Keras 3, which chooses how to "
                "batch the products itself (the results are the same)"
            )
    if cls == "Embedding" and "input_length" in config:
        config[_LENGTH] = config.pop("input_length")
    for key, value in list(config.items()):
        if key.endswith("_initializer"):
            config[key] = _initializer(value, where, key, notes)
    for key in ("layer", "backward_layer"):
        inner = config.get(key)
        if isinstance(inner, dict):
            _layer(inner, notes)
            _drop_input_shape(inner, notes)


def _initializer(value: object, where: str, key: str, notes: list[str]) -> object:
    if not isinstance(value, dict) or value.get("class_name") != "VarianceScaling":
        return value
    config = value.get("config")
    if not isinstance(config, dict) or config.get("seed") is not None:
        return value
    if set(config) - {"scale", "mode", "distribution", "seed"}:
        return value  # Keras 3's own VarianceScaling, with its axes: keep it as it is
    scale, mode, distribution = (config.get(k) for k in ("scale", "mode", "distribution"))
    if not isinstance(scale, int | float) or not isinstance(mode, str):
        return value
    if not isinstance(distribution, str):
        return value
    key3 = (float(scale), mode, distribution)
    preset = _PRESETS.get(key3)
    if preset is None:
        return value
    name = _snake(preset)
    notes.append(
        f"{where}: `{key}` VarianceScaling(scale={key3[0]}, mode={key3[1]}, "
        f"distribution={key3[2]}) is `{name}`"
    )
    return {"class_name": preset, "config": {"seed": None}}


def _snake(cls: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(cls))


def _sequential_input(layers: list[object], notes: list[str]) -> None:
    """Give a Sequential without an InputLayer the one its first layer describes."""
    if not layers or not isinstance(layers[0], dict):
        return
    first = layers[0]
    if first.get("class_name") == "InputLayer":
        return
    config = first.get("config")
    if not isinstance(config, dict):
        return
    shape = _declared_shape(first, config, notes)
    if shape is not None:
        layers.insert(0, {"class_name": "InputLayer", "config": {"batch_shape": shape}})


def _declared_shape(
    first: dict[str, object], config: dict[str, object], notes: list[str]
) -> list[object] | None:
    """The batch shape the first layer of a Keras 2 Sequential declares, if any."""
    where = _where(first)
    shape = config.get("batch_input_shape")
    if isinstance(shape, list):
        notes.append(f"{where}: `batch_input_shape={_tuple(shape)}` becomes {_input(shape)}")
        return shape
    if first.get("class_name") == "Embedding":
        if _LENGTH not in config:
            return None
        length = config.pop(_LENGTH)
        shape = [None, length]
        notes.append(f"{where}: `input_length={_dim(length)}` becomes {_input(shape)}")
        return shape
    dim = config.get("input_dim")
    if not isinstance(dim, int) or isinstance(dim, bool):
        return None
    if first.get("class_name") in RECURRENT:
        shape = [None, config.get("input_length"), dim]
        given = f"`input_dim={dim}`, `input_length={_dim(shape[1])}` become"
    else:
        shape = [None, dim]
        given = f"`input_dim={dim}` becomes"
    notes.append(f"{where}: {given} {_input(shape)}")
    return shape


_LENGTH = "_keras2_input_length"
"""Where `_layer` puts an Embedding's ``input_length`` until the input is settled."""


def _drop_input_shape(layer: dict[str, object], notes: list[str]) -> None:
    """Input-shape arguments left on layers once the InputLayer carries the shape."""
    config = layer.get("config")
    if not isinstance(config, dict) or layer.get("class_name") == "InputLayer":
        return
    config.pop("batch_input_shape", None)
    if _LENGTH in config:
        length = config.pop(_LENGTH)
        notes.append(
            f"{_where(layer)}: `input_length={_dim(length)}` is gone in Keras 3: the input's "
            "shape says it"
        )
    if layer.get("class_name") != "Embedding":
        config.pop("input_dim", None)
        config.pop("input_length", None)


def _dim(value: object) -> str:
    return "none" if value is None else str(value)


def _tuple(shape: object) -> str:
    if not isinstance(shape, list):
        return str(shape)
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _input(shape: list[object]) -> str:
    dims = ", ".join(_dim(d) for d in shape[1:])
    batch = f", batch_size={shape[0]}" if shape and shape[0] is not None else ""
    return f"`input({dims}{batch})`"
