"""One test per checker rule: the code, the severity, the span, and where it helps the fix.

Shapes and parameter counts are compared with Keras in test_parity.py and
backends/test_keras_examples.py; here they are only compared with each other.
"""

from __future__ import annotations

import pytest
from conftest import codes, diag_tuples

from bilstm_dsl import check


def first(source: str):
    result = check(source)
    assert result.diagnostics, f"no diagnostic for {source!r}"
    return result.diagnostics[0]


def text_at(source: str, span) -> str:
    return source[span.start : span.end]


# -- E201: the mistake the project exists for


@pytest.mark.parametrize(
    ("source", "culprit", "fixed"),
    [
        ("input(20, 1) -> lstm(32) -> lstm(16)", "lstm(32)", "lstm(32, seq)"),
        ("input(20, 1) -> gru(32) -> bilstm(16)", "gru(32)", "gru(32, seq)"),
        ("input(20, 1) -> simplernn(8) -> td(dense(1))", "simplernn(8)", "simplernn(8, seq)"),
        ("input(20, 1) -> bilstm(8, sum) -> lstm(4)", "bilstm(8, sum)", "bilstm(8, sum, seq)"),
        (
            "input(20, 1) -> lstm(units=8, dropout=0.1) -> lstm(4)",
            "lstm(units=8, dropout=0.1)",
            "lstm(units=8, dropout=0.1, return_sequences=true)",
        ),
        (
            "input(20, 1) -> lstm(8, return_sequences=false) -> lstm(4)",
            "lstm(8, return_sequences=false)",
            "lstm(8, return_sequences=true)",
        ),
        (
            "input(20, 1) -> bidirectional(lstm(8), merge_mode=sum) -> lstm(4)",
            "lstm(8)",
            "lstm(8, seq)",
        ),
        # through layers that keep the rank: the fix is still at the recurrent layer
        (
            "input(20, 1) -> lstm(8) -> dropout(0.2) -> dense(4) -> lstm(4)",
            "lstm(8)",
            "lstm(8, seq)",
        ),
    ],
)
def test_missing_seq_points_at_the_layer_to_fix(source, culprit, fixed):
    d = first(source)
    assert d.code == "E201" and d.severity == "error"
    assert text_at(source, d.span) == culprit
    assert d.help is not None and f"`{fixed}`" in d.help


def test_missing_seq_stage_index_is_the_culprit():
    d = first("input(20, 1) -> lstm(8) -> dropout(0.1) -> lstm(4)")
    assert d.stage == 1


def test_many_to_one_then_dense_is_fine():
    assert codes("input(20, 1) -> lstm(8) -> dense(1)") == []


# -- E202: several tensors into a one-tensor layer


def test_merge_mode_none_into_dense_points_at_the_merge_mode():
    source = "input(20, 1) -> bilstm(8, none) -> dense(1)"
    d = first(source)
    assert d.code == "E202" and text_at(source, d.span) == "none"


def test_long_form_merge_mode_none():
    source = "input(20, 1) -> bidirectional(lstm(8, seq), merge_mode=none) -> lstm(4)"
    d = first(source)
    assert d.code == "E202" and text_at(source, d.span) == "merge_mode=none"


def test_return_state_into_dense_points_at_return_state():
    source = "input(20, 1) -> lstm(8, return_state=true) -> dense(1)"
    d = first(source)
    assert d.code == "E202" and text_at(source, d.span) == "return_state=true"


def test_several_tensors_into_dropout_fail_there():
    # Keras builds this graph but the model fails when called; say so at the cause.
    source = "input(20, 1) -> gru(8, state) -> dropout(0.1) -> dense(1)"
    result = check(source)
    assert [d.code for d in result.diagnostics] == ["E202"]
    d = result.diagnostics[0]
    assert text_at(source, d.span) == "state" and "`dropout`" in d.message


def test_several_tensors_at_the_end_are_fine():
    result = check("input(20, 1) -> bilstm(8, seq, none)")
    assert result.ok and result.summary["output_shape"] == [[None, 20, 8], [None, 20, 8]]


# -- E203 / E204: rank and unknown sizes


def test_rank_two_input_into_lstm_points_at_the_input():
    source = "input(20)\n -> lstm(8)"
    d = first(source)
    assert (d.code, d.span.line, d.stage) == ("E203", 1, 0)
    assert d.help and "`input(20, 1)`" in d.help


def test_rank_four_into_lstm_suggests_td():
    source = "input(5, 20, 3) -> lstm(8)"
    d = first(source)
    assert d.code == "E203" and text_at(source, d.span) == "lstm(8)"
    assert d.help and "`td(lstm(8))`" in d.help


def test_td_over_rank_two():
    assert codes("input(20) -> td(dense(1))") == ["E203"]


def test_dense_over_rank_one():
    assert codes("input() -> dense(1)") == ["E107"]
    assert codes("input(shape=()) -> dense(1)") == ["E203"]


def test_unknown_feature_size():
    source = "input(20, none) -> lstm(8)"
    d = first(source)
    assert (d.code, d.stage) == ("E204", 0)


def test_unknown_last_dim_into_dense():
    assert codes("input(none) -> dense(8)") == ["E204"]


def test_unknown_time_is_fine():
    result = check("input(none, 3) -> lstm(8, seq) -> td(dense(1))")
    assert result.ok and result.summary["output_shape"] == [None, None, 1]


# -- argument values


@pytest.mark.parametrize(
    ("source", "code", "where"),
    [
        ("input(20, 1) -> lstm(0)", "E104", "0"),
        ("input(20, 1) -> dense(-3)", "E104", "-3"),
        ("input(20, 1) -> dropout(1.0)", "E104", "1.0"),
        ("input(20, 1) -> dropout(-0.1)", "E104", "-0.1"),
        ("input(20, 1) -> lstm(8, dropout=1.5)", "E104", "1.5"),
        ("input(20, 1) -> lstm(8, recurrent_dropout=-0.5)", "E104", "-0.5"),
        ("input(20, 1) -> bilstm(8, merge_mode=avg)", "E110", "avg"),
        ('input(20, 1) -> bilstm(8, merge_mode="max")', "E110", '"max"'),
        ("input(20, 1) -> lstm(8, activation=rleu)", "E109", "rleu"),
        ("input(20, 1) -> activation(softmaxx)", "E109", "softmaxx"),
        ("input(20, 1) -> lstm(8, kernel_initializer=glorot)", "E117", "glorot"),
        ('input(20, 1) -> lstm(units="8")', "E103", '"8"'),
        ("input(20, 1) -> lstm(8.0)", "E103", "8.0"),
        ("input(20, 1) -> lstm(8, return_sequences=1)", "E103", "1"),
        ("input(20, 1) -> td(8)", "E116", "8"),
        ("input(0, 1) -> lstm(8)", "E104", "0"),
        ("input(20, 1, batch_size=0) -> lstm(8)", "E104", "0"),
        ('input(20, 1, dtype="int33") -> lstm(8)', "E117", '"int33"'),
    ],
)
def test_invalid_values(source, code, where):
    d = first(source)
    assert d.code == code, check(source).diagnostics
    assert text_at(source, d.span) == where


def test_did_you_mean_for_activation():
    d = first("input(20, 1) -> dense(1, activation=sigmoide)")
    assert d.help == "did you mean `sigmoid`?"


def test_bidirectional_around_dense():
    source = "input(20, 1) -> bidirectional(dense(4))"
    d = first(source)
    assert d.code == "E112" and text_at(source, d.span) == "dense(4)"
    assert d.help and "`td(dense(4))`" in d.help


@pytest.mark.parametrize(
    "source",
    [
        "input(20, 1) -> bidirectional(lstm(8, go_backwards=true))",
        "input(20, 1) -> bilstm(8, go_backwards=true)",
        "input(20, 1) -> bigru(8, backwards)",
    ],
)
def test_go_backwards_inside_bidirectional(source):
    assert codes(source) == ["E113"]


@pytest.mark.parametrize(
    ("mode", "wording"),
    [("concat", "from the forward layer alone"), ("sum", "per element"), ("none", "alone")],
)
def test_backward_layer_with_other_units(mode, wording):
    source = (
        f"input(20, 1) -> bidirectional(lstm(8), merge_mode={mode}, "
        "backward_layer=lstm(4, go_backwards=true))"
    )
    d = first(source)
    assert d.code == "E119" and text_at(source, d.span) == "lstm(4, go_backwards=true)"
    assert wording in d.message


def test_backward_layer_must_share_stateful():
    source = (
        "input(20, 1, batch_size=4) -> bidirectional(lstm(8, stateful=true), "
        "backward_layer=lstm(8, go_backwards=true))"
    )
    assert codes(source) == ["E119"]
    assert "`stateful`" in first(source).message


def test_go_backwards_alone_is_fine():
    assert codes("input(20, 1) -> lstm(8, go_backwards=true)") == []


def test_stateful_needs_batch_size():
    source = "input(20, 1) -> lstm(8, stateful=true)"
    d = first(source)
    assert d.code == "E114" and text_at(source, d.span) == "stateful=true"
    assert codes("input(20, 1, batch_size=4) -> lstm(8, stateful=true)") == []


def test_stateful_inside_bidirectional_needs_batch_size():
    assert codes("input(20, 1) -> bilstm(8, stateful)") == ["E114"]


def test_unroll_needs_known_time():
    source = "input(none, 1) -> lstm(8, unroll=true, use_cudnn=false)"
    d = first(source)
    assert d.code == "E115" and text_at(source, d.span) == "unroll=true"
    assert codes("input(20, 1) -> lstm(8, unroll=true, use_cudnn=false)") == []


# -- names


def test_unknown_layer_did_you_mean():
    d = first("input(20, 1) -> lstn(32)")
    assert (d.code, d.span.column, d.help) == ("E101", 17, "did you mean `lstm`?")


def test_unknown_short_form_did_you_mean():
    d = first("input(20, 1) -> bilsmt(32)")
    assert d.code == "E101" and d.help == "did you mean `bilstm`?"


def test_unknown_keyword_did_you_mean():
    source = "input(20, 1) -> lstm(32, retrun_sequences=true)"
    d = first(source)
    assert d.code == "E102" and text_at(source, d.span) == "retrun_sequences"
    assert d.help == "did you mean `return_sequences`?"


def test_keyword_of_another_layer():
    assert codes("input(20, 1) -> dense(4, return_sequences=true)") == ["E102"]


def test_duplicate_argument():
    source = "input(20, 1) -> lstm(32, units=64)"
    d = first(source)
    assert d.code == "E105" and text_at(source, d.span) == "units=64"


def test_positional_after_keyword():
    assert codes("input(20, 1) -> dense(units=1, relu)") == ["E108"]


def test_positionals_follow_the_keras_signature():
    # Dense(units, activation, use_bias, ...): Python allows them all positionally.
    assert check("input(20, 1) -> dense(4, relu, false)").ok
    assert codes("input(20, 1) -> dense(1, relu, 3)") == ["E103"]


def test_too_many_positionals():
    assert codes("input(20, 1) -> dropout(0.2, none, 3, 4)") == ["E106"]
    assert codes("input(20, 1) -> bilstm(8, concat) -> activation(relu, tanh)") == ["E106"]


def test_missing_required():
    assert codes("input(20, 1) -> dense(activation=relu)") == ["E107"]


def test_input_comes_first_and_once():
    # A chain without `input(...)` has an open input (tests/test_open_input.py); a second
    # `input` later in the chain is still E111, on its name.
    assert codes("lstm(8) -> dense(1)") == []
    source = "input(20, 1) -> input(3) -> dense(1)"
    result = check(source)
    assert [d.code for d in result.diagnostics] == ["E111"]
    assert result.diagnostics[0].span.start == source.index("input(3)")
    assert codes("lstm(8) -> input(3) -> dense(1)") == ["E111"]


def test_duplicate_layer_names():
    assert codes('input(20, 1) -> lstm(8, seq, name="a") -> lstm(4, name="a")') == ["E118"]


def test_empty_file():
    assert codes("") == ["E008"]
    assert codes("# just a comment\n") == ["E008"]


# -- collecting, not stopping


def test_every_argument_problem_is_reported():
    source = "input(20, 1)\n -> lstn(8)\n -> lstm(0)\n -> dense(1, activation=sigmoide)"
    assert diag_tuples(source) == [("E101", 2, 5), ("E104", 3, 10), ("E109", 4, 25)]


def test_no_cascade_after_a_shape_error():
    # The dense layers after the failure are not blamed for shapes they never receive.
    assert codes("input(20, 1) -> lstm(8) -> lstm(4) -> td(dense(1)) -> dense(1)") == ["E201"]


# -- shape assertions


def test_assertion_that_holds():
    assert check("input(20, 1) -> bilstm(32, seq) : (20, 64) -> td(dense(1)) : (20, 1)").ok


def test_assertion_mismatch_points_at_the_assertion():
    source = "input(20, 1) -> bilstm(32) : (32,) -> dense(1)"
    d = first(source)
    assert d.code == "E205" and text_at(source, d.span) == "(32,)"
    assert d.help == "write `: (64,)`"


def test_assertion_with_batch_dim_gets_a_hint():
    d = first("input(20, 1) -> lstm(8) : (none, 8)")
    assert d.code == "E205" and d.help and "batch" in d.help


def test_assertion_wildcards_and_lists():
    assert check("input(none, 1) -> lstm(8, seq) : (none, 8)").ok
    assert check("input(20, 1) -> lstm(8, seq) : (_, 8)").ok
    assert check("input(20, 1) -> lstm(8, state) : [(8,), (8,), (8,)]").ok
    assert codes("input(20, 1) -> lstm(8, state) : [(8,), (8,)]") == ["E205"]


def test_assertion_that_is_not_a_shape():
    assert codes("input(20, 1) -> lstm(8) : relu") == ["E206"]
    assert codes("input(20, 1) -> lstm(8) : (8, relu)") == ["E206"]


# -- warnings and notes


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("input(20, 1) -> lstm(8, activation=relu)", "activation=relu"),
        (
            "input(20, 1) -> gru(8, recurrent_activation=hard_sigmoid)",
            "recurrent_activation=hard_sigmoid",
        ),
        ("input(20, 1) -> lstm(8, recurrent_dropout=0.2)", "recurrent_dropout=0.2"),
        ("input(20, 1) -> lstm(8, unroll=true)", "unroll=true"),
        ("input(20, 1) -> lstm(8, use_bias=false)", "use_bias=false"),
        ("input(20, 1) -> gru(8, reset_after=false)", "reset_after=false"),
        ("input(20, 1) -> bilstm(8, activation=relu)", "activation=relu"),
        ("input(20, 1) -> td(lstm(8, activation=relu))", None),
    ],
)
def test_cudnn_warnings(source, where):
    result = check(source)
    if where is None:  # the rank error inside td comes first
        assert [d.code for d in result.diagnostics][0] == "E203"
        assert "inside `td`" in result.diagnostics[0].message
        return
    assert [d.code for d in result.diagnostics] == ["W301"] and result.ok
    d = result.diagnostics[0]
    assert d.severity == "warning" and text_at(source, d.span) == where


def test_cudnn_warning_silenced_by_use_cudnn_false():
    assert codes("input(20, 1) -> lstm(8, activation=relu, use_cudnn=false)") == []


def test_simplernn_has_no_cudnn_warning():
    assert codes("input(20, 1) -> simplernn(8, activation=relu)") == []


def test_dense_on_a_sequence_is_a_note():
    result = check("input(20, 1) -> lstm(8, seq) -> dense(1)")
    assert [(d.code, d.severity) for d in result.diagnostics] == [("N401", "note")]
    assert result.ok


# -- the summary


def test_summary_structure():
    summary = check("input(20, 1, batch_size=4) -> lstm(8, seq) -> bilstm(8, seq, none)").summary
    assert summary is not None
    assert [layer["type"] for layer in summary["layers"]] == ["LSTM", "Bidirectional"]
    assert [layer["name"] for layer in summary["layers"]] == ["lstm", "bidirectional"]
    assert summary["layers"][0]["output_shape"] == [4, 20, 8]
    assert summary["output_shape"] == [[4, 20, 8], [4, 20, 8]]
    assert summary["total_params"] == sum(layer["params"] for layer in summary["layers"])
    assert summary["non_trainable_params"] == 0


def test_a_given_name_keras_also_gives_is_a_clash():
    # Keras's counter never skips a name a user took (tests/backends/test_keras_wrong_answers.py)
    source = 'input(20, 1) -> lstm(8, seq) -> lstm(8, seq, name="lstm_1") -> lstm(8)'
    d = first(source)
    assert d.code == "E118" and text_at(source, d.span) == 'name="lstm_1"'
    assert "`lstm(8)` on line 1" in d.message


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("input(5, 3) -> bilstm(8, seq) -> lstm(8)", ["bidirectional", "lstm_1"]),
        ("input(5, 3) -> td(dense(8)) -> dense(8)", ["time_distributed", "dense_1"]),
        (
            "input(5, 3) -> bidirectional(lstm(8, seq), "
            "backward_layer=lstm(8, seq, backwards)) -> lstm(8)",
            ["bidirectional", "lstm_2"],
        ),
        ('input(5, 3) -> lstm(8, seq, name="x") -> lstm(8)', ["x", "lstm"]),
    ],
)
def test_wrapped_layers_take_their_names_first(source, names):
    assert [layer["name"] for layer in check(source).summary["layers"]] == names


def test_frozen_layer_counts_as_non_trainable():
    summary = check("input(20, 1) -> lstm(8, trainable=false) -> dense(1)").summary
    assert summary["non_trainable_params"] == summary["layers"][0]["params"] > 0
    assert summary["trainable_params"] == summary["layers"][1]["params"]


def test_long_and_short_forms_agree():
    short = check("input(20, 1) -> bilstm(16, sum, seq) -> td(dense(1))").summary
    long = check(
        "input(shape=(20, 1)) -> bidirectional(layer=lstm(units=16, return_sequences=true), "
        'merge_mode="sum") -> timedistributed(layer=dense(units=1))'
    ).summary
    assert short == long


def test_layer_names_are_case_insensitive():
    assert (
        check("Input(20, 1) -> LSTM(8) -> Dense(1)").summary
        == check("input(20, 1) -> lstm(8) -> dense(1)").summary
    )


def test_bidirectional_params_double_the_layer():
    one = check("input(20, 3) -> gru(8)").summary["total_params"]
    two = check("input(20, 3) -> bigru(8)").summary["total_params"]
    assert two == 2 * one


def test_input_dims_in_extra_brackets():
    # Found by bench/bench_robustness.py: this raised AttributeError before.
    d = first("input((20, 1)) -> lstm(4)")
    assert d.code == "E104" and "input(shape=(20, 1))" in d.help
    assert codes("input(20, (1, 2)) -> lstm(4)") == ["E104"]


# -- specs Keras builds but cannot run (Keras evidence: tests/backends/test_keras_wrong_answers.py)


@pytest.mark.parametrize(
    ("source", "code", "at"),
    [
        ("input(5, 3) -> dense(4, activation=glu)", "E122", "glu"),
        ("input(5, 3) -> lstm(4, recurrent_activation=threshold)", "E122", "threshold"),
        ("input(5, 3) -> layernormalization(axis=(-1, 2))", "E210", "axis=(-1, 2)"),
        ("input(5, 3) -> dropout(0.5, noise_shape=(none, 4, 1))", "E211", "noise_shape"),
        ("input(none, 3) -> reshape((7, 4))", "E208", "(7, 4)"),
        ('input(5, 3) -> lstm(4, name="my lstm")', "E104", '"my lstm"'),
        ('input(5, 3, name="in/put") -> lstm(4)', "E104", '"in/put"'),
        ("input(5, 3) -> dropout(0.5, seed=9223372036854775808)", "E104", "9223372036854775808"),
        ("input(5, 3) -> lstm(4, activation=relu, use_cudnn=true)", "E123", "activation=relu"),
        ('input(6, 3, dtype="bool") -> maxpooling1d()', "E209", "maxpooling1d()"),
        ('input(6, 3, dtype="string") -> flatten() -> dense(1)', "E209", "dense(1)"),
    ],
)
def test_what_keras_builds_but_cannot_run(source, code, at):
    d = first(source)
    assert d.code == code and at in text_at(source, d.span), (d, text_at(source, d.span))


def test_use_cudnn_true_alone_warns():
    source = "input(5, 3) -> lstm(4, use_cudnn=true)"
    d = first(source)
    assert (d.code, d.severity, text_at(source, d.span)) == ("W302", "warning", "use_cudnn=true")


def test_moving_values_need_no_kernel():
    assert check('input(6, 3, dtype="string") -> reshape((18,))').ok
    assert check('input(6, 3, dtype="bool") -> masking() -> maxpooling1d()').ok  # int32 there


def test_a_reshape_some_length_satisfies_is_fine():
    assert check("input(none, 3) -> reshape((-1, 4))").ok
    assert check("input(none, 3) -> reshape((6, 4))").ok


def test_weights_larger_than_memory_warn_at_the_largest_layer():
    source = "input(20, 1) -> lstm(1000000000) -> dense(1)"
    d = first(source)
    assert (d.code, text_at(source, d.span)) == ("W504", "lstm(1000000000)")
    assert "16,000,000," in d.message  # the size in bytes, exactly


def test_the_size_limit_counts_utf8_bytes_like_the_cli():
    from bilstm_dsl.model import MAX_SOURCE_BYTES

    text = "input(1) -> dense(1)  # " + "é" * (MAX_SOURCE_BYTES // 2)
    assert len(text) < MAX_SOURCE_BYTES < len(text.encode())
    assert [d.code for d in check(text).diagnostics] == ["E011"]


def test_memory_to_check_against_can_be_given(monkeypatch):
    source = "input(20, 1) -> lstm(1000)"  # 4,008,000 params: 16,032,000 bytes
    monkeypatch.setenv("BILSTM_DSL_MEMORY", "16032000")
    assert check(source).diagnostics == ()
    monkeypatch.setenv("BILSTM_DSL_MEMORY", "16031999")
    assert [d.code for d in check(source).diagnostics] == ["W504"]
