"""Checker rules for the layers beyond the seed tutorial's: codes, spans, the fix.

Shapes and parameter counts are compared with real Keras models in test_parity.py.
"""

from __future__ import annotations

import pytest
from conftest import codes

from bilstm_dsl import check


def first(source: str):
    result = check(source)
    assert result.diagnostics, source
    return result.diagnostics[0]


def text_at(source: str, span) -> str:
    return source[span.start : span.end]


def shapes(source: str) -> list:
    result = check(source)
    assert result.ok, result.diagnostics
    return [layer["output_shape"] for layer in result.summary["layers"]]


def test_text_classifier():
    source = (
        'input(200, dtype="int32") -> embedding(20000, 128) -> bilstm(64, seq) -> bilstm(64) '
        "-> dense(1, sigmoid)"
    )
    assert shapes(source) == [[None, 200, 128], [None, 200, 128], [None, 128], [None, 1]]


@pytest.mark.parametrize(
    ("padding", "strides", "dilation", "steps"),
    [("valid", 1, 1, 18), ("same", 1, 1, 20), ("causal", 1, 1, 20), ("valid", 2, 1, 9),
     ("same", 3, 1, 7), ("valid", 1, 2, 16)],
)  # fmt: skip
def test_conv1d_output_length(padding, strides, dilation, steps):
    source = (
        f"input(20, 4) -> conv1d(8, 3, strides={strides}, padding={padding}, "
        f"dilation_rate={dilation})"
    )
    assert shapes(source) == [[None, steps, 8]]


def test_conv1d_channels_first():
    assert shapes("input(4, 20) -> conv1d(8, 3, data_format=channels_first)") == [[None, 8, 18]]


def test_kernel_longer_than_the_sequence_points_at_the_kernel():
    source = "input(5, 3) -> conv1d(8, 6)"
    d = first(source)
    assert d.code == "E207" and text_at(source, d.span) == "6"
    assert "padding=same" in d.help


def test_pool_longer_than_the_sequence():
    source = "input(5, 3) -> maxpooling1d(pool_size=6)"
    d = first(source)
    assert d.code == "E207" and text_at(source, d.span) == "pool_size=6"


def test_kernel_exactly_the_sequence_is_fine():
    assert shapes("input(5, 3) -> conv1d(8, 5)") == [[None, 1, 8]]


def test_groups_must_divide():
    assert codes("input(20, 3) -> conv1d(6, 3, groups=2)") == ["E121"]
    assert codes("input(20, 4) -> conv1d(5, 3, groups=2)") == ["E121"]


def test_strides_with_dilation():
    source = "input(20, 3) -> conv1d(6, 3, strides=2, dilation_rate=2)"
    d = first(source)
    assert d.code == "E120" and text_at(source, d.span) == "strides=2"


def test_conv1d_unknown_channels():
    assert codes("input(20, none) -> conv1d(6, 3)") == ["E204"]


def test_padding_choice_is_validated():
    d = first("input(20, 3) -> conv1d(6, 3, padding=smae)")
    assert d.code == "E104" and d.help == "did you mean `same`?"


def test_flatten_over_variable_time_blames_flatten():
    source = "input(none, 3) -> flatten() -> dense(2)"
    d = first(source)
    assert d.code == "E204" and text_at(source, d.span) == "flatten()"
    assert "globalmaxpooling1d" in d.help


def test_repeatvector_fed_a_sequence_blames_seq():
    source = "input(20, 3) -> lstm(8, seq) -> repeatvector(20)"
    d = first(source)
    assert d.code == "E203" and text_at(source, d.span) == "seq"


def test_autoencoder():
    source = "input(20, 3) -> lstm(16) -> repeatvector(20) -> lstm(16, seq) -> td(dense(3))"
    assert shapes(source)[-1] == [None, 20, 3]


def test_embedding_on_rank_two_input_into_lstm():
    source = 'input(20, 5, dtype="int32") -> embedding(100, 8) -> lstm(4)'
    d = first(source)
    assert d.code == "E203" and "4-D" in d.message


def test_embedding_on_floats_warns():
    result = check("input(20) -> embedding(100, 8) -> lstm(4)")
    assert [d.code for d in result.diagnostics] == ["W502"] and result.ok


def test_mask_dropped_by_flatten_warns_where_it_is_lost():
    source = 'input(20, dtype="int32") -> embedding(100, 8, mask_zero) -> flatten() -> dense(1)'
    result = check(source)
    assert [d.code for d in result.diagnostics] == ["W501"] and result.ok
    assert text_at(source, result.diagnostics[0].span) == "flatten()"


def test_mask_consumed_by_global_average_pooling_is_fine():
    source = (
        'input(20, dtype="int32") -> embedding(100, 8, mask_zero) -> lstm(4, seq, use_cudnn=false) '
        "-> globalaveragepooling1d() -> flatten() -> dense(1)"
    )
    assert codes(source) == []


def test_mask_into_lstm_notes_the_cudnn_padding_rule():
    result = check('input(20, dtype="int32") -> embedding(100, 8, mask_zero) -> lstm(4)')
    assert [d.code for d in result.diagnostics] == ["N402"] and result.ok


def test_masking_layer_makes_a_mask():
    assert codes("input(20, 3) -> masking() -> conv1d(4, 3)") == ["W501"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("input(20, 3) -> reshape((-1, 4))", [[None, 15, 4]]),
        ("input(none, 3) -> reshape((-1, 3))", [[None, None, 3]]),
        ("input(20, 3) -> flatten()", [[None, 60]]),
        ("input(20, 3) -> globalmaxpooling1d()", [[None, 3]]),
        ("input(20, 3) -> globalavgpool1d(keepdims=true)", [[None, 1, 3]]),
        ("input(20, 3) -> maxpool1d(3, strides=2)", [[None, 9, 3]]),
        ("input(20, 3) -> averagepooling1d(3, padding=same)", [[None, 7, 3]]),
        ("input(3) -> repeatvector(4)", [[None, 4, 3]]),
        ("input(20, 3) -> spatialdropout1d(0.2) -> gaussiannoise(0.1)", [[None, 20, 3]] * 2),
    ],
)
def test_shapes(source, expected):
    assert shapes(source) == expected


def test_reshape_size_mismatch():
    source = "input(20, 3) -> reshape((7, 4))"
    d = first(source)
    assert d.code == "E208" and text_at(source, d.span) == "(7, 4)"
    assert codes("input(20, 3) -> reshape((-1, 7))") == ["E208"]
    assert codes("input(20, 3) -> reshape((-1, -1))") == ["E104"]


def test_batch_normalization_counts_moving_statistics_as_non_trainable():
    summary = check("input(20, 3) -> batchnormalization()").summary
    assert summary["trainable_params"] == 6 // 1 and summary["non_trainable_params"] == 6
    summary = check("input(20, 3) -> batchnormalization(renorm=true)").summary
    assert summary["non_trainable_params"] > 6


def test_normalization_axis_must_be_a_feature_axis():
    assert codes("input(20, 3) -> layernormalization(axis=0)") == ["E210"]
    assert codes("input(20, 3) -> layernormalization(axis=3)") == ["E210"]
    assert codes("input(20, none) -> batchnormalization()") == ["E204"]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("input(20) -> conv1d(4, 3)", "E203"),
        ("input(20) -> globalmaxpooling1d()", "E203"),
        ("input(20) -> spatialdropout1d(0.1)", "E203"),
        ("input(20) -> maxpooling1d()", "E203"),
        ("input(20, 3) -> embedding(0, 8)", "E104"),
        ("input(20, 3) -> gaussiannoise(1.5)", "E104"),
        ("input(3) -> repeatvector(0)", "E104"),
        ("input(20, 3) -> conv1d(4, (3, 3))", "E104"),
        ("input(20, 3) -> batchnormalization(renorm_clipping=2)", "E103"),
    ],
)
def test_invalid(source, code):
    assert codes(source)[0] == code


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ('input(20, 3, dtype="int32") -> dropout(0.2)', "dropout(0.2)"),
        ('input(20, 3, dtype="int32") -> activation(softmax)', "activation(softmax)"),
        ('input(6, dtype="int32") -> repeatvector(2) -> gaussiannoise(0.1)', "gaussiannoise(0.1)"),
        (
            'input(20, 3, dtype="int32") -> flatten() -> reshape((-1, 3)) -> conv1d(2, 2)',
            "conv1d(2, 2)",
        ),
    ],
)
def test_integers_into_a_layer_without_an_integer_kernel(source, where):
    d = first(source)
    assert d.code == "E209" and text_at(source, d.span) == where


def test_integers_are_fine_where_keras_computes_in_floats():
    assert check('input(20, 3, dtype="int32") -> lstm(4, seq) -> dropout(0.2)').ok
    assert check('input(20, 3, dtype="int32") -> activation(relu) -> dense(2) -> dropout(0.1)').ok


def test_channels_first_convolution_warns_at_the_data_format():
    source = "input(8, 20) -> conv1d(16, 3, data_format=channels_first)"
    result = check(source)
    assert [d.code for d in result.diagnostics] == ["W503"] and result.ok
    assert text_at(source, result.diagnostics[0].span) == "data_format=channels_first"


def test_grouped_channels_first_convolution_runs_on_a_cpu_so_no_warning():
    assert codes("input(8, 20) -> conv1d(4, 3, groups=2, data_format=channels_first)") == []
