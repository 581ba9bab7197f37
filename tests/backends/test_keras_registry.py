"""Registry coherence: what the checker accepts is what the Keras constructors take.

If Keras adds, renames or drops an argument, or an activation or initializer name, these
tests fail rather than let the checker and Keras drift apart.
"""

from __future__ import annotations

import inspect

import pytest

from bilstm_dsl import values
from bilstm_dsl.layers import INPUT, LAYERS, REQUIRED

# Keras arguments deliberately not expressible in .arch, with the reason.
_LORA = {
    "lora_rank": "LoRA fine-tuning changes which weights train; not an architecture choice",
    "lora_alpha": "LoRA fine-tuning scale, only meaningful with lora_rank",
    "quantization_config": "a Python object, not a value",
}
EXCLUDED = {
    "Bidirectional": {"weights": "initial weight arrays are data, not architecture"},
    "Dense": _LORA,
    "Embedding": {"weights": "initial weight arrays are data, not architecture", **_LORA},
    "MultiHeadAttention": {
        "attention_axes": "attention over axes other than time: the shape rule covers "
        "(batch, time, features) sequences, and .arch refuses it (E102) rather than guess",
        "sliding_window": "a runtime speed-up of the attention kernel (Keras 3.13), "
        "refused (E102) until its shape and mask rules are mirrored",
        "flash_attention": "a choice of kernel at run time, not architecture",
        "use_gate": "a gated variant whose weights the shape rule does not count yet; "
        "refused (E102) rather than miscounted",
    },
    "SpatialDropout1D": {
        "dtype": "a dtype policy, not architecture (other layers take it "
        "through **kwargs, which .arch does not expose either)"
    },
}
COMMON = {"name", "trainable"}


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_registry_arguments_match_the_keras_signature(name, keras):
    spec = LAYERS[name]
    cls = getattr(keras.layers, spec.keras_class)
    signature = inspect.signature(cls.__init__)
    keras_args = [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", *COMMON) and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]
    ours = [p.name for p in spec.params if p.name not in COMMON and not p.call and not p.kwarg]
    expected = [a for a in keras_args if a not in EXCLUDED.get(spec.keras_class, {})]
    assert sorted(ours) == sorted(expected)
    # Call arguments (`initial_state`, `return_attention_scores`) are the layer's `call`'s.
    called = inspect.signature(cls.call).parameters
    for param in spec.params:
        if param.call:
            assert param.name in called, f"{param.name} is not an argument of {cls}.call"
            assert param.default == called[param.name].default, param.name
    # Defaults are Keras's defaults.
    for param in spec.params:
        if param.name in COMMON or param.call or param.kwarg:
            continue  # `kwarg` ones: tests/test_objects.py makes the layer with each
        default = signature.parameters[param.name].default
        if default is inspect.Parameter.empty:
            assert param.default is REQUIRED, f"{param.name} is required in Keras"
        else:
            assert param.default == default, param.name
    # Positional order follows Keras.
    assert list(spec.positional) == keras_args[: len(spec.positional)]


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_common_arguments_reach_the_keras_constructor(name, keras):
    """`name` and `trainable` are not in every Keras signature: a layer takes them by name
    or through ``**kwargs``, or the registry must not offer them."""
    spec = LAYERS[name]
    parameters = inspect.signature(getattr(keras.layers, spec.keras_class).__init__).parameters
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    offered = [p.name for p in spec.params if p.name in COMMON]
    assert [a for a in offered if a not in parameters and not takes_kwargs] == []


@pytest.mark.keras
def test_common_arguments_are_layer_arguments(keras):
    layer = keras.layers.Dense(1, name="x", trainable=False)
    assert layer.name == "x" and layer.trainable is False


@pytest.mark.keras
def test_input_arguments_exist_in_keras_input(keras):
    params = inspect.signature(keras.Input).parameters
    assert {p.name for p in INPUT.params} <= set(params)


@pytest.mark.keras
def test_activation_names_are_keras_activations(keras):
    from keras.src import activations

    assert values.ACTIVATIONS == {k for k in activations.ALL_OBJECTS_DICT if k.islower()}


@pytest.mark.keras
@pytest.mark.parametrize(
    ("table", "module"),
    [
        (values.INITIALIZERS, "initializers"),
        (values.REGULARIZERS, "regularizers"),
        (values.CONSTRAINTS, "constraints"),
    ],
)
def test_name_tables_match_keras(table, module, keras):
    registry = getattr(keras, module)
    for name in table:
        registry.get(name)  # raises if Keras does not know the name
    # Every lowercase name Keras registers is known to us, except base classes and
    # initializers that need arguments no spec could supply.
    from importlib import import_module

    known = import_module(f"keras.src.{module}").ALL_OBJECTS_DICT
    lowercase = {k for k in known if k.islower()}
    # base classes, and initializers that need arguments a bare name cannot give
    skipped = {"initializer", "regularizer", "constraint", "stft", "constant"}
    assert lowercase - skipped == set(table)


@pytest.mark.keras
def test_dtype_names_are_keras_dtypes(keras):
    for name in values.DTYPES:
        assert keras.backend.standardize_dtype(name) == name
