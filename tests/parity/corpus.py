"""The Keras parity corpus: each model written as `.arch` text and as hand-written Keras.

Every case's Keras verdict (builds, or fails at which stage) has been checked against
Keras 3; `tests/test_parity.py` asserts that the checker agrees with it exactly.
"""

from __future__ import annotations

from .harness import Case

RUNTIME_LIST = (
    "Keras builds Dropout/Activation/GaussianNoise over several tensors, but calling the model "
    "fails (Activation always, the noise layers in training mode)"
)

# Shorthand for the input kwargs used most often.
S20_1 = {"shape": (20, 1)}
S20_3 = {"shape": (20, 3)}
SNONE_3 = {"shape": (None, 3)}
S5_20_3 = {"shape": (5, 20, 3)}

CASES: list[Case] = [
    # -- the seed tutorial's four architectures, and the language reference's example
    Case(
        "tutorial_many_to_one",
        "input(20, 1) -> bilstm(50, concat) -> dense(1)",
        S20_1,
        lambda L: [L.Bidirectional(L.LSTM(50), merge_mode="concat"), L.Dense(1)],
    ),
    Case(
        "tutorial_many_to_many",
        "input(20, 1) -> bilstm(50, seq, concat) -> td(dense(1))",
        S20_1,
        lambda L: [
            L.Bidirectional(L.LSTM(50, return_sequences=True), merge_mode="concat"),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "tutorial_stacked_many_to_one",
        "input(20, 1) -> lstm(50, seq) -> bilstm(50) -> dense(1)",
        S20_1,
        lambda L: [
            L.LSTM(50, return_sequences=True),
            L.Bidirectional(L.LSTM(50)),
            L.Dense(1),
        ],
    ),
    Case(
        "tutorial_stacked_many_to_many",
        "input(20, 1) -> lstm(50, seq) -> bilstm(50, seq) -> td(dense(1))",
        S20_1,
        lambda L: [
            L.LSTM(50, return_sequences=True),
            L.Bidirectional(L.LSTM(50, return_sequences=True)),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "reference_example",
        "# many-to-one Bi-LSTM: 20 steps of 1 feature -> one value\n"
        "input(20, 1)\n"
        "  -> lstm(32, seq)            # every step goes up to the next layer\n"
        "  -> bilstm(32, concat)       # only the last step leaves: (batch, 64)\n"
        "  -> dense(1)  : (1,)         # a shape assertion\n",
        S20_1,
        lambda L: [
            L.LSTM(32, return_sequences=True),
            L.Bidirectional(L.LSTM(32), merge_mode="concat"),
            L.Dense(1),
        ],
    ),
    # -- every layer in its short form and its long (Keras keyword) form
    Case(
        "lstm_short",
        "input(20, 3) -> lstm(16)",
        S20_3,
        lambda L: [L.LSTM(16)],
    ),
    Case(
        "lstm_long",
        "input(shape=(20, 3)) -> lstm(units=16, return_sequences=false)",
        S20_3,
        lambda L: [L.LSTM(units=16, return_sequences=False)],
    ),
    Case(
        "gru_short",
        "input(20, 3) -> gru(16, seq)",
        S20_3,
        lambda L: [L.GRU(16, return_sequences=True)],
    ),
    Case(
        "gru_long",
        "input(shape=(20, 3)) -> gru(units=16, return_sequences=true)",
        S20_3,
        lambda L: [L.GRU(units=16, return_sequences=True)],
    ),
    Case(
        "simplernn_short",
        "input(20, 3) -> simplernn(12)",
        S20_3,
        lambda L: [L.SimpleRNN(12)],
    ),
    Case(
        "simplernn_long",
        'input(shape=(20, 3)) -> simplernn(units=12, activation="relu")',
        S20_3,
        lambda L: [L.SimpleRNN(units=12, activation="relu")],
    ),
    Case(
        "bilstm_short",
        "input(20, 3) -> bilstm(16)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(16))],
    ),
    Case(
        "bidirectional_lstm_long",
        'input(20, 3) -> bidirectional(layer=lstm(units=16), merge_mode="concat")',
        S20_3,
        lambda L: [L.Bidirectional(layer=L.LSTM(units=16), merge_mode="concat")],
    ),
    Case(
        "bigru_short",
        "input(20, 3) -> bigru(16, seq)",
        S20_3,
        lambda L: [L.Bidirectional(L.GRU(16, return_sequences=True))],
    ),
    Case(
        "bidirectional_gru_long",
        "input(20, 3) -> bidirectional(gru(units=16, return_sequences=true))",
        S20_3,
        lambda L: [L.Bidirectional(L.GRU(units=16, return_sequences=True))],
    ),
    Case(
        "birnn_short",
        "input(20, 3) -> birnn(10)",
        S20_3,
        lambda L: [L.Bidirectional(L.SimpleRNN(10))],
    ),
    Case(
        "bidirectional_simplernn_long",
        "input(20, 3) -> bidirectional(simplernn(units=10))",
        S20_3,
        lambda L: [L.Bidirectional(L.SimpleRNN(units=10))],
    ),
    Case(
        "td_short",
        "input(20, 3) -> lstm(16, seq) -> td(dense(4))",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.TimeDistributed(L.Dense(4))],
    ),
    Case(
        "timedistributed_long",
        "input(20, 3) -> lstm(16, seq) -> timedistributed(layer=dense(units=4))",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.TimeDistributed(layer=L.Dense(units=4))],
    ),
    Case(
        "dense_short",
        "input(20, 3) -> lstm(8) -> dense(4)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(4)],
    ),
    Case(
        "dense_long",
        'input(20, 3) -> lstm(8) -> dense(units=4, activation="relu", use_bias=true)',
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(units=4, activation="relu", use_bias=True)],
    ),
    Case(
        "dropout_short",
        "input(20, 3) -> lstm(8) -> dropout(0.2) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dropout(0.2), L.Dense(1)],
    ),
    Case(
        "dropout_long",
        "input(20, 3) -> lstm(8, seq) -> dropout(rate=0.25) -> lstm(4)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.Dropout(rate=0.25), L.LSTM(4)],
    ),
    Case(
        "activation_short",
        "input(20, 3) -> lstm(8) -> dense(4) -> activation(relu)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(4), L.Activation("relu")],
    ),
    Case(
        "activation_long",
        'input(20, 3) -> lstm(8) -> dense(4) -> activation(activation="tanh")',
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(4), L.Activation(activation="tanh")],
    ),
    # -- merge modes, short form `bilstm(32, mode)`
    Case(
        "merge_concat_short",
        "input(20, 3) -> bilstm(32, concat)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="concat")],
    ),
    Case(
        "merge_sum_short",
        "input(20, 3) -> bilstm(32, sum)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="sum")],
    ),
    Case(
        "merge_mul_short",
        "input(20, 3) -> bilstm(32, mul)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="mul")],
    ),
    Case(
        "merge_ave_short",
        "input(20, 3) -> bilstm(32, ave)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="ave")],
    ),
    Case(
        "merge_none_short",
        "input(20, 3) -> bilstm(32, none)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode=None)],
    ),
    Case(
        "merge_keyword_in_short_form",
        "input(20, 3) -> bigru(16, seq, merge_mode=ave) -> td(dense(2))",
        S20_3,
        lambda L: [
            L.Bidirectional(L.GRU(16, return_sequences=True), merge_mode="ave"),
            L.TimeDistributed(L.Dense(2)),
        ],
    ),
    # -- merge modes, long form `bidirectional(lstm(32), merge_mode=...)`
    Case(
        "merge_concat_long",
        'input(20, 3) -> bidirectional(lstm(32), merge_mode="concat")',
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="concat")],
    ),
    Case(
        "merge_sum_long",
        'input(20, 3) -> bidirectional(lstm(32), merge_mode="sum")',
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="sum")],
    ),
    Case(
        "merge_mul_long",
        'input(20, 3) -> bidirectional(lstm(32, return_sequences=true), merge_mode="mul")',
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32, return_sequences=True), merge_mode="mul")],
    ),
    Case(
        "merge_ave_long",
        'input(20, 3) -> bidirectional(lstm(32), merge_mode="ave")',
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32), merge_mode="ave")],
    ),
    Case(
        "merge_none_long",
        "input(20, 3) -> bidirectional(lstm(32, return_sequences=true), merge_mode=none)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(32, return_sequences=True), merge_mode=None)],
    ),
    # -- stacking with return_sequences
    Case(
        "stack_three_kinds",
        "input(20, 3) -> lstm(32, seq) -> gru(16, seq) -> simplernn(8) -> dense(1)",
        S20_3,
        lambda L: [
            L.LSTM(32, return_sequences=True),
            L.GRU(16, return_sequences=True),
            L.SimpleRNN(8),
            L.Dense(1),
        ],
    ),
    Case(
        "stack_bidirectional",
        "input(20, 3) -> bigru(16, seq) -> bilstm(8, sum) -> dense(1)",
        S20_3,
        lambda L: [
            L.Bidirectional(L.GRU(16, return_sequences=True)),
            L.Bidirectional(L.LSTM(8), merge_mode="sum"),
            L.Dense(1),
        ],
    ),
    Case(
        "stack_with_dropouts",
        "input(20, 3) -> lstm(32, seq) -> dropout(0.3) -> lstm(16) -> dropout(0.3) -> dense(1)",
        S20_3,
        lambda L: [
            L.LSTM(32, return_sequences=True),
            L.Dropout(0.3),
            L.LSTM(16),
            L.Dropout(0.3),
            L.Dense(1),
        ],
    ),
    # -- many-to-many: a prediction per time step
    Case(
        "many_to_many_td",
        "input(20, 3) -> gru(16, seq) -> td(dense(1))",
        S20_3,
        lambda L: [L.GRU(16, return_sequences=True), L.TimeDistributed(L.Dense(1))],
    ),
    Case(
        "many_to_many_dense_on_sequence",
        "input(20, 3) -> lstm(16, seq) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.Dense(1)],
    ),
    Case(
        "dense_on_3d_input",
        "input(20, 3) -> dense(4)",
        S20_3,
        lambda L: [L.Dense(4)],
    ),
    # -- GRU reset_after (changes the bias shape)
    Case(
        "gru_reset_after_true",
        "input(20, 3) -> gru(16, reset_after=true)",
        S20_3,
        lambda L: [L.GRU(16, reset_after=True)],
    ),
    Case(
        "gru_reset_after_false",
        "input(20, 3) -> gru(16, reset_after=false)",
        S20_3,
        lambda L: [L.GRU(16, reset_after=False)],
    ),
    Case(
        "bigru_reset_after_false",
        "input(20, 3) -> bigru(8, sum, reset_after=false) -> dense(1)",
        S20_3,
        lambda L: [L.Bidirectional(L.GRU(8, reset_after=False), merge_mode="sum"), L.Dense(1)],
    ),
    # -- use_bias=false on every layer with a bias
    Case(
        "lstm_no_bias",
        "input(20, 3) -> lstm(8, use_bias=false)",
        S20_3,
        lambda L: [L.LSTM(8, use_bias=False)],
    ),
    Case(
        "gru_no_bias",
        "input(20, 3) -> gru(8, use_bias=false)",
        S20_3,
        lambda L: [L.GRU(8, use_bias=False)],
    ),
    Case(
        "gru_no_bias_no_reset_after",
        "input(20, 3) -> gru(8, use_bias=false, reset_after=false)",
        S20_3,
        lambda L: [L.GRU(8, use_bias=False, reset_after=False)],
    ),
    Case(
        "simplernn_no_bias",
        "input(20, 3) -> simplernn(8, use_bias=false)",
        S20_3,
        lambda L: [L.SimpleRNN(8, use_bias=False)],
    ),
    Case(
        "dense_no_bias",
        "input(20, 3) -> lstm(8) -> dense(4, use_bias=false)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(4, use_bias=False)],
    ),
    Case(
        "bilstm_no_bias",
        "input(20, 3) -> bilstm(8, use_bias=false)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8, use_bias=False))],
    ),
    # -- return_state: several output tensors
    Case(
        "lstm_return_state",
        "input(20, 3) -> lstm(8, state) : [(8,), (8,), (8,)]",
        S20_3,
        lambda L: [L.LSTM(8, return_state=True)],
    ),
    Case(
        "lstm_seq_and_state",
        "input(20, 3) -> lstm(8, seq, state)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True, return_state=True)],
    ),
    Case(
        "gru_return_state",
        "input(20, 3) -> gru(8, return_state=true)",
        S20_3,
        lambda L: [L.GRU(8, return_state=True)],
    ),
    Case(
        "simplernn_return_state",
        "input(20, 3) -> simplernn(8, state)",
        S20_3,
        lambda L: [L.SimpleRNN(8, return_state=True)],
    ),
    Case(
        "bilstm_return_state_concat",
        "input(20, 3) -> bilstm(8, state, concat)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8, return_state=True), merge_mode="concat")],
    ),
    Case(
        "bilstm_return_state_none",
        "input(20, 3) -> bilstm(8, state, none)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8, return_state=True), merge_mode=None)],
    ),
    Case(
        "bigru_seq_state_long",
        "input(20, 3) -> "
        'bidirectional(gru(8, return_sequences=true, return_state=true), merge_mode="concat")',
        S20_3,
        lambda L: [
            L.Bidirectional(L.GRU(8, return_sequences=True, return_state=True), merge_mode="concat")
        ],
    ),
    # -- dropout and activation fed several tensors: Keras builds the graph (it maps their
    # output spec over the list), but calling the model fails ("Output with path `1` is
    # not connected to `inputs`", or a shape error when it stacks the tensors), so the
    # checker rejects them where they are written.
    Case(
        "state_then_dropout",
        "input(20, 3) -> lstm(8, state) -> dropout(0.5)",
        S20_3,
        lambda L: [L.LSTM(8, return_state=True), L.Dropout(0.5)],
        stricter=RUNTIME_LIST,
    ),
    Case(
        "state_then_activation",
        "input(20, 3) -> gru(8, seq, state) -> activation(relu)",
        S20_3,
        lambda L: [L.GRU(8, return_sequences=True, return_state=True), L.Activation("relu")],
        stricter=RUNTIME_LIST,
    ),
    Case(
        "merge_none_then_dropout",
        "input(20, 3) -> bilstm(8, none) -> dropout(0.1)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8), merge_mode=None), L.Dropout(0.1)],
        stricter=RUNTIME_LIST,
    ),
    # -- layers that take one tensor, fed several (invalid)
    Case(
        "state_then_dense",
        "input(20, 3) -> lstm(8, state) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8, return_state=True), L.Dense(1)],
    ),
    Case(
        "merge_none_then_dense",
        "input(20, 3) -> bilstm(8, none) -> dense(1)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8), merge_mode=None), L.Dense(1)],
    ),
    Case(
        "state_then_lstm",
        "input(20, 3) -> lstm(8, seq, state) -> lstm(4)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True, return_state=True), L.LSTM(4)],
    ),
    Case(
        "state_then_bilstm",
        "input(20, 3) -> gru(8, seq, state) -> bilstm(4)",
        S20_3,
        lambda L: [L.GRU(8, return_sequences=True, return_state=True), L.Bidirectional(L.LSTM(4))],
    ),
    Case(
        "state_then_td",
        "input(20, 3) -> lstm(8, seq, state) -> td(dense(1))",
        S20_3,
        lambda L: [
            L.LSTM(8, return_sequences=True, return_state=True),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "merge_none_seq_then_td",
        "input(20, 3) -> bilstm(8, seq, none) -> td(dense(1))",
        S20_3,
        lambda L: [
            L.Bidirectional(L.LSTM(8, return_sequences=True), merge_mode=None),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    # -- stateful needs a fixed batch size
    Case(
        "stateful_with_batch_size",
        "input(20, 3, batch_size=4) -> lstm(8, stateful) -> dense(1)",
        {"shape": (20, 3), "batch_size": 4},
        lambda L: [L.LSTM(8, stateful=True), L.Dense(1)],
    ),
    Case(
        "stateful_bigru_with_batch_size",
        "input(20, 3, batch_size=4) -> bigru(8, seq, stateful=true) -> td(dense(1))",
        {"shape": (20, 3), "batch_size": 4},
        lambda L: [
            L.Bidirectional(L.GRU(8, return_sequences=True, stateful=True)),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "stateful_without_batch_size",
        "input(20, 3) -> lstm(8, stateful)",
        S20_3,
        lambda L: [L.LSTM(8, stateful=True)],
    ),
    Case(
        "stateful_second_layer_without_batch_size",
        "input(20, 3) -> lstm(8, seq) -> simplernn(4, stateful=true)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.SimpleRNN(4, stateful=True)],
    ),
    # -- a fixed batch size shows in every shape
    Case(
        "batch_size_without_stateful",
        "input(20, 3, batch_size=8) -> bilstm(4, seq) -> td(dense(1))",
        {"shape": (20, 3), "batch_size": 8},
        lambda L: [
            L.Bidirectional(L.LSTM(4, return_sequences=True)),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    # -- a variable number of time steps
    Case(
        "variable_time_many_to_many",
        "input(none, 3) -> lstm(8, seq) -> td(dense(2))",
        SNONE_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.TimeDistributed(L.Dense(2))],
    ),
    Case(
        "variable_time_bilstm",
        "input(none, 3) -> bilstm(8, ave) -> dense(1)",
        SNONE_3,
        lambda L: [L.Bidirectional(L.LSTM(8), merge_mode="ave"), L.Dense(1)],
    ),
    # -- timedistributed over 4-D input (a sequence of sequences)
    Case(
        "td_lstm_on_4d",
        "input(5, 20, 3) -> td(lstm(8)) -> lstm(4)",
        S5_20_3,
        lambda L: [L.TimeDistributed(L.LSTM(8)), L.LSTM(4)],
    ),
    Case(
        "td_td_dense_on_4d",
        "input(5, 20, 3) -> td(td(dense(4)))",
        S5_20_3,
        lambda L: [L.TimeDistributed(L.TimeDistributed(L.Dense(4)))],
    ),
    Case(
        "td_bilstm_on_4d",
        "input(5, 20, 3) -> td(bilstm(8, sum)) -> gru(4)",
        S5_20_3,
        lambda L: [L.TimeDistributed(L.Bidirectional(L.LSTM(8), merge_mode="sum")), L.GRU(4)],
    ),
    Case(
        "dense_on_4d_input",
        "input(5, 20, 3) -> dense(2)",
        S5_20_3,
        lambda L: [L.Dense(2)],
    ),
    # -- the sequence/step mix-ups (invalid)
    Case(
        "lstm_then_lstm_without_seq",
        "input(20, 3) -> lstm(32) -> lstm(32)",
        S20_3,
        lambda L: [L.LSTM(32), L.LSTM(32)],
    ),
    Case(
        "lstm_then_bilstm_without_seq",
        "input(20, 1) -> lstm(50) -> bilstm(50) -> dense(1)",
        S20_1,
        lambda L: [L.LSTM(50), L.Bidirectional(L.LSTM(50)), L.Dense(1)],
    ),
    Case(
        "lstm_then_td_without_seq",
        "input(20, 1) -> lstm(50) -> td(dense(1))",
        S20_1,
        lambda L: [L.LSTM(50), L.TimeDistributed(L.Dense(1))],
    ),
    Case(
        "bilstm_then_td_without_seq",
        "input(20, 1) -> bilstm(50, concat) -> td(dense(1))",
        S20_1,
        lambda L: [L.Bidirectional(L.LSTM(50), merge_mode="concat"), L.TimeDistributed(L.Dense(1))],
    ),
    Case(
        "td_lstm_on_3d",
        "input(20, 3) -> td(lstm(8))",
        S20_3,
        lambda L: [L.TimeDistributed(L.LSTM(8))],
    ),
    # -- input of the wrong rank, or with an unknown feature size (invalid)
    Case(
        "rank2_input_to_lstm",
        "input(20) -> lstm(8)",
        {"shape": (20,)},
        lambda L: [L.LSTM(8)],
    ),
    Case(
        "rank4_input_to_lstm",
        "input(5, 20, 3) -> lstm(8)",
        S5_20_3,
        lambda L: [L.LSTM(8)],
    ),
    Case(
        "rank2_input_to_td",
        "input(20) -> td(dense(1))",
        {"shape": (20,)},
        lambda L: [L.TimeDistributed(L.Dense(1))],
    ),
    Case(
        "unknown_features_to_lstm",
        "input(20, none) -> lstm(8)",
        {"shape": (20, None)},
        lambda L: [L.LSTM(8)],
    ),
    Case(
        "unknown_features_to_dense",
        "input(none) -> dense(1)",
        {"shape": (None,)},
        lambda L: [L.Dense(1)],
    ),
    # -- bad sizes and rates (invalid)
    Case(
        "lstm_zero_units",
        "input(20, 3) -> lstm(0)",
        S20_3,
        lambda L: [L.LSTM(0)],
    ),
    Case(
        "gru_negative_units",
        "input(20, 3) -> gru(-4)",
        S20_3,
        lambda L: [L.GRU(-4)],
    ),
    Case(
        "simplernn_negative_units_long",
        "input(20, 3) -> simplernn(units=-1)",
        S20_3,
        lambda L: [L.SimpleRNN(units=-1)],
    ),
    Case(
        "dense_zero_units",
        "input(20, 3) -> lstm(8) -> dense(0)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(0)],
    ),
    Case(
        "bilstm_zero_units",
        "input(20, 3) -> lstm(8, seq) -> bilstm(0)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.Bidirectional(L.LSTM(0))],
    ),
    Case(
        "dropout_negative_rate",
        "input(20, 3) -> lstm(8) -> dropout(-0.1)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dropout(-0.1)],
    ),
    # -- unknown names (invalid)
    Case(
        "unknown_merge_mode_short",
        "input(20, 3) -> bilstm(8, merge_mode=avg)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8), merge_mode="avg")],
    ),
    Case(
        "unknown_merge_mode_long",
        'input(20, 3) -> bidirectional(lstm(8), merge_mode="max")',
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8), merge_mode="max")],
    ),
    Case(
        "unknown_activation_lstm",
        "input(20, 3) -> lstm(8, activation=sigmoide)",
        S20_3,
        lambda L: [L.LSTM(8, activation="sigmoide")],
    ),
    Case(
        "unknown_activation_dense",
        'input(20, 3) -> lstm(8) -> dense(1, activation="softmaxx")',
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(1, activation="softmaxx")],
    ),
    Case(
        "unknown_activation_layer",
        "input(20, 3) -> lstm(8) -> activation(relux)",
        S20_3,
        lambda L: [L.LSTM(8), L.Activation("relux")],
    ),
    # -- what bidirectional accepts
    Case(
        "bidirectional_dense",
        "input(20, 3) -> bidirectional(dense(4))",
        S20_3,
        lambda L: [L.Bidirectional(L.Dense(4))],
    ),
    Case(
        "bidirectional_go_backwards_long",
        "input(20, 3) -> bidirectional(lstm(8, go_backwards=true))",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8, go_backwards=True))],
    ),
    Case(
        "bigru_go_backwards_short",
        "input(20, 3) -> bigru(8, go_backwards)",
        S20_3,
        lambda L: [L.Bidirectional(L.GRU(8, go_backwards=True))],
    ),
    Case(
        "lstm_go_backwards_alone",
        "input(20, 3) -> lstm(8, go_backwards=true) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8, go_backwards=True), L.Dense(1)],
    ),
    # -- accepted by Keras, rejected by the checker on purpose
    Case(
        "dropout_rate_one",
        "input(20, 3) -> lstm(8) -> dropout(1.0) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dropout(1.0), L.Dense(1)],
        stricter="Dropout(rate=1.0) is accepted by Keras but drops every unit",
    ),
    Case(
        "lstm_dropout_above_one",
        "input(20, 3) -> lstm(8, dropout=1.5)",
        S20_3,
        lambda L: [L.LSTM(8, dropout=1.5)],
        stricter="Keras silently clamps LSTM dropout=1.5 to 1.0",
    ),
    Case(
        "gru_recurrent_dropout_negative",
        "input(20, 3) -> gru(8, recurrent_dropout=-0.2)",
        S20_3,
        lambda L: [L.GRU(8, recurrent_dropout=-0.2)],
        stricter="Keras silently clamps GRU recurrent_dropout=-0.2 to 0.0",
    ),
    Case(
        "unroll_variable_time",
        "input(none, 3) -> lstm(8, unroll=true)",
        SNONE_3,
        lambda L: [L.LSTM(8, unroll=True)],
        stricter="Keras builds unroll=True with a variable time axis and fails only at run time",
    ),
    Case(
        "bilstm_unroll_variable_time",
        "input(none, 3) -> bilstm(8, unroll=true) -> dense(1)",
        SNONE_3,
        lambda L: [L.Bidirectional(L.LSTM(8, unroll=True)), L.Dense(1)],
        stricter="Keras builds unroll=True with a variable time axis and fails only at run time",
    ),
    # -- activation layers with several names, and positional activations
    Case(
        "activation_names",
        'input(20, 3) -> activation(sigmoid) -> lstm(8, seq) -> activation("softmax")'
        " -> activation(gelu) -> activation(linear) -> gru(4) -> activation(elu)",
        S20_3,
        lambda L: [
            L.Activation("sigmoid"),
            L.LSTM(8, return_sequences=True),
            L.Activation("softmax"),
            L.Activation("gelu"),
            L.Activation("linear"),
            L.GRU(4),
            L.Activation("elu"),
        ],
    ),
    Case(
        "activation_more_names",
        "input(20, 3) -> simplernn(8) -> activation(softplus) -> activation(selu)"
        " -> activation(hard_sigmoid) -> activation(swish)",
        S20_3,
        lambda L: [
            L.SimpleRNN(8),
            L.Activation("softplus"),
            L.Activation("selu"),
            L.Activation("hard_sigmoid"),
            L.Activation("swish"),
        ],
    ),
    Case(
        "dense_positional_activation",
        "input(20, 3) -> bilstm(8) -> dense(1, sigmoid)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8)), L.Dense(1, "sigmoid")],
    ),
    Case(
        "dense_positional_use_bias",
        "input(20, 3) -> lstm(8) -> dense(4, relu, false)",
        S20_3,
        lambda L: [L.LSTM(8), L.Dense(4, "relu", False)],
    ),
    Case(
        "simplernn_positional_activation",
        "input(20, 3) -> simplernn(8, relu)",
        S20_3,
        lambda L: [L.SimpleRNN(8, "relu")],
    ),
    # -- keyword long forms and case-insensitive names
    Case(
        "lstm_keyword_long_form",
        "input(20, 3) -> "
        'lstm(units=16, return_sequences=true, activation="relu", recurrent_dropout=0.1) '
        "-> td(dense(1))",
        S20_3,
        lambda L: [
            L.LSTM(units=16, return_sequences=True, activation="relu", recurrent_dropout=0.1),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "gru_keyword_long_form",
        "input(20, 3) -> gru(units=8, dropout=0.2, recurrent_activation=hard_sigmoid, "
        "reset_after=false) -> dense(units=1)",
        S20_3,
        lambda L: [
            L.GRU(units=8, dropout=0.2, recurrent_activation="hard_sigmoid", reset_after=False),
            L.Dense(units=1),
        ],
    ),
    Case(
        "capitalised_names",
        "Input(20, 3) -> LSTM(16, Return_Sequences=True) -> Bidirectional(GRU(8)) -> Dense(1)",
        S20_3,
        lambda L: [
            L.LSTM(16, return_sequences=True),
            L.Bidirectional(L.GRU(8)),
            L.Dense(1),
        ],
    ),
    # -- comments and chains over several lines
    Case(
        "multiline_arrows_at_line_end",
        "# arrows at the end of each line\n"
        "input(20, 1) ->\n"
        "    lstm(50, seq) ->   # first layer\n"
        "    bilstm(50, seq) ->\n"
        "    td(dense(1))\n",
        S20_1,
        lambda L: [
            L.LSTM(50, return_sequences=True),
            L.Bidirectional(L.LSTM(50, return_sequences=True)),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    Case(
        "multiline_arrows_at_line_start",
        "input(20, 1)\n"
        "  # a comment between stages\n"
        "  -> bilstm(\n"
        "       50,       # units\n"
        "       concat,\n"
        "     )\n"
        "  -> dense(1)    # one value out\n",
        S20_1,
        lambda L: [L.Bidirectional(L.LSTM(50), merge_mode="concat"), L.Dense(1)],
    ),
    # -- input options
    Case(
        "integer_input",
        'input(20, 3, dtype="int32") -> lstm(4)',
        {"shape": (20, 3), "dtype": "int32"},
        lambda L: [L.LSTM(4)],
    ),
    Case(
        "named_input_long_form",
        'input(shape=(20, 3), name="series") -> gru(4)',
        {"shape": (20, 3), "name": "series"},
        lambda L: [L.GRU(4)],
    ),
]

# Cases for the layers beyond the seed tutorial's (embedding, conv1d, pooling, ...).
from .corpus_layers import CASES_LAYERS  # noqa: E402

CASES += CASES_LAYERS
