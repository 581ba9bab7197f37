"""The vocabulary of Keras's saved configs, as `.arch` writes it, read without Keras.

A layer's ``get_config()`` does not hold what its constructor was given, but what Keras made
of it: ``"glorot_uniform"`` is saved as ``{"class_name": "GlorotUniform", "config": {...}}``,
``Dense(activation=None)`` as ``"linear"``, ``kernel_size=3`` as ``[3]``, a missing
``data_format`` as ``"channels_last"``, a pooling layer's missing ``strides`` as its
``pool_size``. The importer (`importer.py`) reads configs through this module to find the
`.arch` value behind each saved one and to tell a Keras default from a value someone chose.

The tables below were read from Keras 3.15 (``keras.initializers.serialize(
keras.initializers.get(name))`` for every name `values` knows, and the same for
regularizers and constraints); ``tests/test_import_keras.py`` compares them with the
installed Keras, so a Keras release that changes one fails there, not in a user's import.
"""

from __future__ import annotations

import math
import struct

from .layers import snake_case
from .objects import NUMBER, OBJECTS, ArgObject, lookup

INITIALIZER_CLASSES = {
    "glorot_normal": "GlorotNormal",
    "glorot_uniform": "GlorotUniform",
    "he_normal": "HeNormal",
    "he_uniform": "HeUniform",
    "identity": "Identity",
    "lecun_normal": "LecunNormal",
    "lecun_uniform": "LecunUniform",
    "normal": "RandomNormal",
    "one": "Ones",
    "ones": "Ones",
    "orthogonal": "Orthogonal",
    "random_normal": "RandomNormal",
    "random_uniform": "RandomUniform",
    "truncated_normal": "TruncatedNormal",
    "uniform": "RandomUniform",
    "variance_scaling": "VarianceScaling",
    "zero": "Zeros",
    "zeros": "Zeros",
}
"""Every initializer name `values.INITIALIZERS` accepts -> the class Keras makes of it."""

_FAN_AXES = {"seed": None, "input_axes": None, "output_axes": None}
INITIALIZER_DEFAULTS: dict[str, dict[str, object]] = {
    "GlorotNormal": _FAN_AXES,
    "GlorotUniform": _FAN_AXES,
    "HeNormal": _FAN_AXES,
    "HeUniform": _FAN_AXES,
    "LecunNormal": _FAN_AXES,
    "LecunUniform": _FAN_AXES,
    # Keras 2 and early Keras 3 saved Identity's gain; 3.15 saves an empty config
    "Identity": {"gain": 1.0},
    "Ones": {},
    "Zeros": {},
    "Orthogonal": {"seed": None, "gain": 1.0},
    "RandomNormal": {"seed": None, "mean": 0.0, "stddev": 0.05},
    "TruncatedNormal": {"seed": None, "mean": 0.0, "stddev": 0.05},
    "RandomUniform": {"seed": None, "minval": -0.05, "maxval": 0.05},
    "VarianceScaling": {
        "seed": None,
        "scale": 1.0,
        "mode": "fan_in",
        "distribution": "truncated_normal",
        "input_axes": None,
        "output_axes": None,
    },
}
"""Each initializer class's config when made from its name: only these are expressible."""

REGULARIZERS = {
    "L1": ("l1", {"l1": 0.01}),
    "L2": ("l2", {"l2": 0.01}),
    "L1L2": ("l1l2", {"l1": 0.0, "l2": 0.0}),
    "OrthogonalRegularizer": ("orthogonal_regularizer", {"factor": 0.01, "mode": "rows"}),
}
"""Regularizer class -> its `.arch` name and the config Keras gives it from that name (Keras
keeps the factors in float32: 0.01 is saved as 0.009999999776482582)."""

CONSTRAINTS = {
    "MaxNorm": ("max_norm", {"max_value": 2, "axis": 0}),
    "MinMaxNorm": ("min_max_norm", {"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0}),
    "NonNeg": ("non_neg", {}),
    "UnitNorm": ("unit_norm", {"axis": 0}),
}
"""Constraint class -> its `.arch` name and the config Keras gives it from that name."""

CONFIG_ONLY: dict[str, object] = {
    "dtype": "float32",
    "activity_regularizer": None,
    "zero_output_for_mask": False,
    "quantization_config": None,
    "rms_scaling": False,
    "lora_rank": None,
    "lora_alpha": None,
    "use_gate": False,
    "seed": None,
    "attention_axes": None,
    "sliding_window": None,
    "vocabulary_size": 2,
}
"""Keys a layer's config holds that are not arguments `.arch` writes, and the value each
has when nobody set it: the dtype policy (the model computes in float32), the recurrent
layers' ``zero_output_for_mask`` (Bidirectional sets it to ``return_sequences`` in the
layers it wraps), the ``activity_regularizer`` every layer takes (where the registry does
not list it), Dense's and Embedding's quantization and LoRA settings,
LayerNormalization's ``rms_scaling``, MultiHeadAttention's ``use_gate`` and
``sliding_window`` (newer Keras) and ``attention_axes`` (saved as computed when built:
every axis but the batch and the last, `arch_text` accepts that), AdditiveAttention's
``seed`` (saved, but not an argument of its constructor), TextVectorization's
``vocabulary_size`` (derived from the vocabulary; `arch_text` checks it)."""


class Unexpressible(Exception):
    """A saved value that `.arch` has no way to write; the message says what it is."""


def same(a: object, b: object) -> bool:
    """Equal as saved values: lists and tuples alike, numbers within float32's precision
    (Keras saves some factors after a round trip through float32), objects whatever their
    ``shared_object_id``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        a, b = _unshared(a), _unshared(b)
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def _unshared(d: dict[str, object]) -> dict[str, object]:
    """``d`` without ``shared_object_id``, which ``model.save`` adds to an object saved
    more than once in a file (``keras/src/saving/serialization_lib.py``): a bookkeeping
    number, not part of what the object is."""
    return {k: x for k, x in d.items() if k != "shared_object_id"} if "shared_object_id" in d else d


def _object(raw: object, what: str) -> tuple[str, dict[str, object]]:
    """The class name and config of a serialized Keras object (Keras 3 or Keras 2 form)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("class_name"), str):
        raise Unexpressible(f"a {what} saved as {_show(raw)}, which is not a Keras object")
    if raw.get("registered_name") not in (None, raw["class_name"]):
        raise Unexpressible(f"the custom {what} `{raw['registered_name']}`")
    config = raw.get("config") or {}
    if not isinstance(config, dict):
        raise Unexpressible(f"a {what} saved as {_show(raw)}")
    return raw["class_name"], config


def initializer(raw: object) -> str | ArgObject:
    """A saved initializer as `.arch` writes it: its name (``glorot_uniform``) when Keras
    makes the same from the name, else the call (``random_normal(stddev=0.01)``)."""
    if isinstance(raw, str):  # Keras 2 sometimes saved the name itself
        if raw.lower() in INITIALIZER_CLASSES:
            return raw.lower()
        raise Unexpressible(f"the initializer `{raw}`")
    cls, config = _object(raw, "initializer")
    defaults = INITIALIZER_DEFAULTS.get(cls)
    if defaults is not None and _at_defaults(config, defaults):
        return snake_case(cls)
    return _as_call(cls, config, "initializer")


def same_initializer(a: str, b: object) -> bool:
    """Whether `.arch` names ``a`` and ``b`` make the same initializer (``uniform`` is
    ``random_uniform``)."""
    if not isinstance(b, str):
        return False
    # Keras writes some defaults by class name (`PReLU(alpha_initializer="Zeros")`)
    return _initializer_class(a) == _initializer_class(b) is not None


def _initializer_class(name: str) -> str | None:
    known = INITIALIZER_CLASSES.get(name.lower())
    return known if known is not None else (name if name in INITIALIZER_CLASSES.values() else None)


def regularizer(raw: object) -> str | ArgObject | None:
    """A saved regularizer as `.arch` writes it (None for none): ``l2`` when Keras makes
    the same from the name, else ``l2(0.001)``."""
    return _named(raw, REGULARIZERS, "regularizer")


def constraint(raw: object) -> str | ArgObject | None:
    """A saved constraint as `.arch` writes it (None for none): ``non_neg``, ``max_norm(3)``."""
    return _named(raw, CONSTRAINTS, "constraint")


def _named(
    raw: object, table: dict[str, tuple[str, dict[str, object]]], what: str
) -> str | ArgObject | None:
    if raw is None:
        return None
    cls, config = _object(raw, what)
    if cls in table and _at_defaults(config, table[cls][1]):
        return table[cls][0]
    return _as_call(cls, config, what)


def _at_defaults(config: dict[str, object], defaults: dict[str, object]) -> bool:
    """Whether ``config`` is what Keras makes from the name alone."""
    config = _unshared(config)
    return all(key in defaults and same(value, defaults[key]) for key, value in config.items())


def _as_call(cls: str, config: dict[str, object], what: str) -> ArgObject:
    """A saved object as the `.arch` call that makes it (`objects`), by the name Keras
    registers for the class: the arguments that differ from Keras's defaults, in Keras's
    order, its leading numbers positional (``l2(0.001)``, ``glorot_uniform(seed=42)``)."""
    spec = OBJECTS.get(snake_case(cls)) or lookup(cls)
    if spec is None or spec.kind != what:
        raise Unexpressible(f"the {what} {cls}")
    config = _unshared(config)
    known = {p.name for p in spec.params}
    for key, value in config.items():
        if key not in known:
            raise Unexpressible(f"the {what} {cls} with `{key}={_show(value)}`")
    args = tuple(
        (p.name, _saved_value(config[p.name]))
        for p in spec.params
        if p.name in config and not same(config[p.name], p.default)
    )
    positional = 0
    while (
        positional < len(args)
        and args[positional][0] == spec.params[positional].name
        and spec.params[positional].type is NUMBER
    ):
        positional += 1
    return ArgObject(spec, args, positional)


def _saved_value(value: object) -> object:
    """A value of a saved object's config as `.arch` writes it: lists as tuples, and a
    factor Keras kept in float32 (0.001 saved as 0.0010000000474974513) as the shortest
    number with the same float32, which builds the same model."""
    if isinstance(value, list):
        return tuple(_saved_value(item) for item in value)
    if type(value) is not float or not math.isfinite(value):
        return value
    single = struct.pack("<f", value)
    if struct.unpack("<f", single)[0] != value:
        return value  # not a float32 value: written as saved
    for digits in range(1, 18):
        shorter = float(f"{value:.{digits}g}")
        if struct.pack("<f", shorter) == single:
            return shorter
    return value


def activation(raw: object) -> str | None:
    """A saved activation's name: Keras 3 saves the name, some versions a function object."""
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("config"), str):
        return raw["config"]
    raise Unexpressible(f"the activation {_show(raw)}")


def dtype_policy(raw: object) -> str:
    """The name of a saved dtype policy (``"float32"``, ``"mixed_float16"``)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("config"), dict):
        name = raw["config"].get("name")
        if isinstance(name, str):
            return name
    raise Unexpressible(f"the dtype policy {_show(raw)}")


def _show(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


show = _show
