"""Argument objects (``l2(0.001)``, ``orthogonal(gain=1.0, seed=1)``, ``max_norm(3)``) and the
Keras 2 arguments Keras 3 still takes (``implementation``, ``input_length``): codes, spans,
fixes, and the registry's coherence with Keras's constructors.

Configs compared with hand-written Keras live in test_parity_objects.py.
"""

from __future__ import annotations

import inspect

import pytest
from conftest import codes

from bilstm_dsl import check
from bilstm_dsl.layers import LAYERS


def only(source: str, code: str):
    found = [d for d in check(source).diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in check(source).diagnostics]
    return found[0]


def text_at(source: str, span) -> str:
    return source[span.start : span.end]


def apply_fix(source: str, diag) -> str:
    fix = diag.fix
    return source[: fix.span.start] + fix.text + source[fix.span.end :]


# -- legacy arguments: implementation


@pytest.mark.parametrize("layer", ["lstm", "gru"])
@pytest.mark.parametrize("value", [1, 2])
def test_implementation_is_accepted_on_lstm_and_gru(layer, value):
    assert codes(f"input(20, 3) -> {layer}(8, implementation={value})") == []


@pytest.mark.parametrize("value", ["0", "3", "-1"])
def test_implementation_other_than_1_or_2_is_refused(value):
    source = f"input(20, 3) -> lstm(8, implementation={value})"
    diag = only(source, "E104")
    assert text_at(source, diag.span) == value


def test_implementation_is_keyword_only_as_in_keras():
    # Keras pops it from **kwargs: it is never the argument after `use_cudnn`.
    assert "implementation" not in LAYERS["lstm"].positional
    assert codes("input(20, 3) -> simplernn(8, implementation=1)") == ["E102"]


# -- legacy arguments: ignored, W506 with a fix


@pytest.mark.parametrize(
    ("source", "argument", "fixed"),
    [
        (
            'input(50, dtype="int32") -> embedding(1000, 16, input_length=50) -> lstm(8)',
            "input_length=50",
            'input(50, dtype="int32") -> embedding(1000, 16) -> lstm(8)',
        ),
        (
            'input(50, dtype="int32") -> embedding(input_length=50, input_dim=9, output_dim=4)',
            "input_length=50",
            'input(50, dtype="int32") -> embedding(input_dim=9, output_dim=4)',
        ),
        (
            "input(20, 3) -> lstm(8, input_shape=(20, 3))",
            "input_shape=(20, 3)",
            "input(20, 3) -> lstm(8)",
        ),
        (
            "input(20, 3) -> dense(4, input_dim=3)",
            "input_dim=3",
            "input(20, 3) -> dense(4)",
        ),
        (
            "input(20, 3) -> bilstm(8, input_shape=(20, 3), seq) -> dense(1)",
            "input_shape=(20, 3)",
            "input(20, 3) -> bilstm(8, seq) -> dense(1)",
        ),
        (
            "input(20, 3) -> flatten(input_shape=(20, 3))",
            "input_shape=(20, 3)",
            "input(20, 3) -> flatten()",
        ),
    ],
)
def test_an_ignored_argument_warns_with_a_fix_that_deletes_it(source, argument, fixed):
    diag = only(source, "W506")
    assert diag.severity == "warning"
    assert text_at(source, diag.span) == argument
    assert "ignores" in diag.message
    assert apply_fix(source, diag) == fixed
    assert "W506" not in codes(fixed)
    assert diag.to_json("x.arch")["fix"]["text"] == ""


def test_an_ignored_argument_is_still_type_checked():
    assert codes('input(50, dtype="int32") -> embedding(9, 4, input_length="long")') == ["E103"]


def test_a_layer_without_kwargs_refuses_input_shape_as_keras_does():
    # SpatialDropout1D(rate, seed=None, name=None, dtype=None) has no **kwargs.
    assert codes("input(20, 3) -> spatialdropout1d(0.1, input_shape=(20, 3))") == ["E102"]


def test_ignored_arguments_do_not_reach_the_backends():
    from bilstm_dsl.backends.plan import plan

    result = check('input(50, dtype="int32") -> embedding(9, 4, input_length=50)')
    (step,) = plan(result, "m").steps
    assert "input_length" not in step.call.kwargs


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_every_keyword_only_argument_reaches_a_keras_constructor(name, keras, recwarn):
    """The registry's ``kwarg`` arguments are not in the signatures (the registry test
    skips them): each must still be taken by the constructor, and the ignored ones only
    warned about."""
    spec = LAYERS[name]
    taken = [p for p in spec.params if p.kwarg]
    parameters = inspect.signature(getattr(keras.layers, spec.keras_class).__init__).parameters
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    assert taken == [] or takes_kwargs
    samples = {
        "implementation": 1,
        "input_shape": (20, 3),
        "input_dim": 3,
        "input_length": 20,
        "unroll": True,
    }
    required = {
        "units": 4,
        "rate": 0.1,
        "input_dim": 9,
        "output_dim": 4,
        "stddev": 0.1,
        "n": 2,
        "filters": 4,
        "kernel_size": 3,
        "pool_size": 2,
        "target_shape": (4,),
        "activation": "relu",
        "axes": 1,
        "num_heads": 2,
        "key_dim": 2,
    }
    for param in taken:
        nested = {"layer": keras.layers.LSTM, "cell": keras.layers.LSTMCell}
        args = {p.name: required[p.name] for p in spec.required if p.name not in nested}
        for p in spec.required:
            if p.name in nested:
                args[p.name] = nested[p.name](2)
        args[param.name] = samples[param.name]
        if spec.name == "categoryencoding":  # optional in its signature, needed to be made
            args["num_tokens"] = 4
        layer = getattr(keras.layers, spec.keras_class)(**args)
        if param.name == "implementation":  # a layer's cell, or the cell itself
            assert getattr(layer, "cell", layer).implementation == 1


# -- argument objects: checked like layers


@pytest.mark.parametrize(
    ("source", "code", "culprit"),
    [
        ("input(20, 1) -> lstm(8, kernel_regularizer=l2(-0.001))", "E104", "-0.001"),
        ("input(20, 1) -> lstm(8, kernel_regularizer=l1l2(l1=-1))", "E104", "-1"),
        ("input(20, 1) -> dense(4, kernel_regularizer=l2(l3=0.1))", "E102", "l3"),
        ("input(20, 1) -> dense(4, kernel_constraint=max_norm(max=3))", "E102", "max"),
        ('input(20, 1) -> dense(4, kernel_initializer=orthogonal(seed="a"))', "E103", '"a"'),
        ("input(20, 1) -> dense(4, kernel_initializer=orthogonal(gain=none))", "E103", "none"),
        ("input(20, 1) -> dense(4, kernel_initializer=zeros(1))", "E106", "1"),
        ("input(20, 1) -> dense(4, kernel_regularizer=l1l2(l1=0.1, 0.2))", "E108", "0.2"),
        ("input(20, 1) -> dense(4, kernel_regularizer=l2(0.1, l2=0.2))", "E105", "l2=0.2"),
        ("input(20, 1) -> dense(4, kernel_initializer=variance_scaling(scale=0))", "E104", "0"),
        ("input(20, 1) -> dense(4, kernel_initializer=variance_scaling(mode=fan))", "E104", "fan"),
        (
            "input(20, 1) -> dense(4, kernel_regularizer=orthogonal_regularizer(mode=row))",
            "E104",
            "row",
        ),
        ("input(20, 1) -> dense(4, kernel_regularizer=l3(0.1))", "E117", "l3"),
        ("input(20, 1) -> dense(4, kernel_regularizer=max_norm(3))", "E132", "max_norm"),
        ("input(20, 1) -> dense(4, kernel_constraint=l2(0.1))", "E132", "l2"),
        ("input(20, 1) -> dense(4, bias_initializer=dense(3))", "E132", "dense"),
        ("input(20, 1) -> dense(4, bias_initializer=identity())", "E133", "identity()"),
        ('input(20, 1) -> lstm(4, bias_initializer="orthogonal")', "E133", '"orthogonal"'),
        ("input(20, 1) -> conv1d(4, 3, kernel_initializer=identity)", "E133", "identity"),
        (
            "input(20, 1) -> conv1d(4, 3, kernel_regularizer=orthogonal_regularizer())",
            "E133",
            "orthogonal_regularizer()",
        ),
        (
            "input(20, 1) -> dense(4, kernel_initializer=glorot_unifrom(seed=1))",
            "E117",
            "glorot_unifrom",
        ),
    ],
)
def test_an_object_error_has_its_code_and_points_at_the_culprit(source, code, culprit):
    diag = only(source, code)
    assert text_at(source, diag.span) == culprit
    assert diag.help


def test_a_misspelt_object_gets_a_did_you_mean():
    diag = only("input(20, 1) -> dense(4, kernel_initializer=glorot_unifrom(seed=1))", "E117")
    assert "glorot_uniform" in diag.help
    diag = only("input(20, 1) -> dense(4, kernel_constraint=max_norm(max_valu=3))", "E102")
    assert "max_value" in diag.help


def test_the_wrong_type_helps_with_an_object_not_a_name_of_other_defaults():
    # `kernel_regularizer="l2"` means l2=0.01: suggesting it for 0.001 would change the model.
    diag = only("input(20, 1) -> dense(4, kernel_regularizer=0.001)", "E103")
    assert "l2(0.001)" in diag.help and '"l2"' not in diag.help
    assert "a layer" not in diag.message


@pytest.mark.parametrize(
    "value",
    [
        "l2(0.001)",
        "L2(0.001)",
        "l1l2(l1=0.01, l2=0.0)",
        "orthogonal_regularizer(0.1, columns)",
        '"l2"',
        "l2",
        "none",
    ],
)
def test_regularizers_accepted(value):
    assert codes(f"input(3) -> dense(4, kernel_regularizer={value})") == []


def test_every_object_with_its_defaults_checks():
    from bilstm_dsl.objects import OBJECTS

    argument = {"regularizer": "kernel_regularizer", "initializer": "kernel_initializer"}
    for name, spec in OBJECTS.items():
        key = argument.get(spec.kind, "kernel_constraint")
        assert codes(f"input(3) -> dense(4, {key}={name}())") == [], name


def test_objects_reach_the_plan_with_only_what_was_written():
    from bilstm_dsl.backends.calls import Call
    from bilstm_dsl.backends.plan import plan

    result = check("input(20, 1) -> dense(4, kernel_initializer=orthogonal(2.0, seed=1))")
    (step,) = plan(result, "m").steps
    assert step.call.kwargs["kernel_initializer"] == Call(
        "Orthogonal", (2.0,), {"seed": 1}, "initializers"
    )


@pytest.mark.keras
def test_every_object_matches_its_keras_signature(keras):
    """Registry coherence: names, classes, argument order and defaults are Keras's."""
    from bilstm_dsl.objects import OBJECTS

    for name, spec in OBJECTS.items():
        module = getattr(keras, spec.module)
        cls = getattr(module, spec.keras_class)
        # `get("constant")` fails in Keras (it needs a value), so look the name up directly.
        assert getattr(keras.src, spec.module).ALL_OBJECTS_DICT[name] is cls, name
        parameters = [
            p
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        assert [p.name for p in parameters] == [p.name for p in spec.params], name
        for ours, theirs in zip(spec.params, parameters):
            assert ours.default == theirs.default, (name, ours.name)


@pytest.mark.keras
def test_every_keras_built_in_object_is_known(keras):
    from keras.src import constraints, initializers, regularizers

    from bilstm_dsl.objects import lookup

    left_out = {"STFT", "STFTInitializer", "stft"}
    for module in (regularizers, initializers, constraints):
        for name, cls in module.ALL_OBJECTS_DICT.items():
            if name in left_out or cls.__name__ in ("Regularizer", "Initializer", "Constraint"):
                continue
            assert lookup(name) is not None, name


def test_docs_list_every_object():
    from pathlib import Path

    from bilstm_dsl.objects import OBJECTS

    text = (Path(__file__).resolve().parent.parent / "docs" / "arguments.md").read_text()
    for name, spec in OBJECTS.items():
        assert f"`{name}`" in text and f"`keras.{spec.module}.{spec.keras_class}`" in text, name
