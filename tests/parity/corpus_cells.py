"""Keras parity for the generic recurrent layer: ``rnn(cell)`` over ``lstmcell``,
``grucell``, ``simplernncell`` and ``stackedrnncells([...])``, alone, stacked, inside
``bidirectional`` and with ``return_state`` (`tests/test_parity_cells.py`).

Every verdict is Keras 3's own, found by building the hand-written layers.
"""

from __future__ import annotations

from .harness import Case

S10_8 = {"shape": (10, 8)}
SNONE_8 = {"shape": (None, 8)}
I12 = {"shape": (12,), "dtype": "int32"}
V1 = {"shape": (5, 20, 3)}
V2 = {"shape": (4, 10, 10, 3)}
V3 = {"shape": (3, 6, 6, 6, 2)}
CLAMPED = "Keras clamps a dropout outside [0, 1] silently; the checker asks for a rate"


def _stack(L, *cells):  # noqa: ANN001, ANN202
    return L.StackedRNNCells(list(cells))


CASES_CELLS: list[Case] = [
    # -- one cell
    Case(
        "rnn_lstmcell", "input(10, 8) -> rnn(lstmcell(6))", S10_8, lambda L: [L.RNN(L.LSTMCell(6))]
    ),
    Case("rnn_grucell", "input(10, 8) -> rnn(grucell(6))", S10_8, lambda L: [L.RNN(L.GRUCell(6))]),
    Case(
        "rnn_simplernncell",
        "input(10, 8) -> rnn(simplernncell(6))",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(6))],
    ),
    Case(
        "rnn_grucell_reset_before",
        "input(10, 8) -> rnn(grucell(5, reset_after=false))",
        S10_8,
        lambda L: [L.RNN(L.GRUCell(5, reset_after=False))],
    ),
    Case(
        "rnn_lstmcell_no_bias",
        "input(10, 8) -> rnn(lstmcell(4, use_bias=false))",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4, use_bias=False))],
    ),
    Case(
        "rnn_grucell_no_bias",
        "input(10, 8) -> rnn(grucell(4, use_bias=false))",
        S10_8,
        lambda L: [L.RNN(L.GRUCell(4, use_bias=False))],
    ),
    Case(
        "rnn_simplernncell_no_bias",
        "input(10, 8) -> rnn(simplernncell(4, use_bias=false, activation=relu))",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(4, use_bias=False, activation="relu"))],
    ),
    Case(
        "rnn_lstmcell_arguments",
        "input(10, 8) -> rnn(lstmcell(6, activation=relu, recurrent_activation=hard_sigmoid, "
        "unit_forget_bias=false, dropout=0.2, recurrent_dropout=0.1, seed=3))",
        S10_8,
        lambda L: [
            L.RNN(
                L.LSTMCell(
                    6,
                    activation="relu",
                    recurrent_activation="hard_sigmoid",
                    unit_forget_bias=False,
                    dropout=0.2,
                    recurrent_dropout=0.1,
                    seed=3,
                )
            )
        ],
    ),
    Case(
        "rnn_lstmcell_implementation",
        "input(10, 8) -> rnn(lstmcell(6, implementation=1))",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(6, implementation=1))],
    ),
    Case(
        "rnn_cell_keyword",
        "input(10, 8) -> rnn(cell=grucell(units=3))",
        S10_8,
        lambda L: [L.RNN(cell=L.GRUCell(units=3))],
    ),
    Case(
        "rnn_sequences",
        "input(10, 8) -> rnn(lstmcell(6), return_sequences=true)",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(6), return_sequences=True)],
    ),
    Case(
        "rnn_seq_flag",
        "input(10, 8) -> rnn(grucell(6), seq) -> dense(2)",
        S10_8,
        lambda L: [L.RNN(L.GRUCell(6), return_sequences=True), L.Dense(2)],
    ),
    Case(
        "rnn_go_backwards",
        "input(10, 8) -> rnn(simplernncell(6), go_backwards=true)",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(6), go_backwards=True)],
    ),
    Case(
        "rnn_unroll",
        "input(10, 8) -> rnn(lstmcell(3), unroll=true)",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(3), unroll=True)],
    ),
    Case(
        "rnn_stateful_batch",
        "input(10, 8, batch_size=4) -> rnn(grucell(3), stateful=true)",
        {"shape": (10, 8), "batch_size": 4},
        lambda L: [L.RNN(L.GRUCell(3), stateful=True)],
    ),
    Case(
        "rnn_zero_output_for_mask",
        "input(none, 8) -> rnn(lstmcell(4), seq, zero_output_for_mask=true)",
        SNONE_8,
        lambda L: [L.RNN(L.LSTMCell(4), return_sequences=True, zero_output_for_mask=True)],
    ),
    Case(
        "rnn_unknown_length",
        "input(none, 8) -> rnn(grucell(7))",
        SNONE_8,
        lambda L: [L.RNN(L.GRUCell(7))],
    ),
    Case(
        "rnn_named",
        'input(10, 8) -> rnn(lstmcell(4), name="encoder") -> dense(1)',
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4), name="encoder"), L.Dense(1)],
    ),
    Case(
        "rnn_twice",
        "input(10, 8) -> rnn(lstmcell(4), seq) -> rnn(lstmcell(2))",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4), return_sequences=True), L.RNN(L.LSTMCell(2))],
    ),
    Case(
        "rnn_after_lstm",
        "input(10, 8) -> lstm(5, seq) -> rnn(lstmcell(4)) -> dense(1)",
        S10_8,
        lambda L: [L.LSTM(5, return_sequences=True), L.RNN(L.LSTMCell(4)), L.Dense(1)],
    ),
    Case(
        "rnn_then_td_dense",
        "input(10, 8) -> rnn(simplernncell(4), seq) -> td(dense(2))",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(4), return_sequences=True), L.TimeDistributed(L.Dense(2))],
    ),
    # -- return_state: the cell's states
    Case(
        "rnn_lstmcell_state",
        "input(10, 8) -> rnn(lstmcell(6), return_state=true)",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(6), return_state=True)],
    ),
    Case(
        "rnn_grucell_state",
        "input(10, 8) -> rnn(grucell(6), state)",
        S10_8,
        lambda L: [L.RNN(L.GRUCell(6), return_state=True)],
    ),
    Case(
        "rnn_simplernncell_state_seq",
        "input(10, 8) -> rnn(simplernncell(6), seq, state)",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(6), return_sequences=True, return_state=True)],
    ),
    # -- stacked cells
    Case(
        "stacked_lstm_lstm_seq",
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(32), lstmcell(16)]), return_sequences=true)",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.LSTMCell(32), L.LSTMCell(16)), return_sequences=True)],
    ),
    Case(
        "stacked_gru_gru",
        "input(10, 8) -> rnn(stackedrnncells([grucell(6), grucell(4)]))",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.GRUCell(6), L.GRUCell(4)))],
    ),
    Case(
        "stacked_mixed_three",
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(6), grucell(5, reset_after=false), "
        "simplernncell(3)]))",
        S10_8,
        lambda L: [
            L.RNN(_stack(L, L.LSTMCell(6), L.GRUCell(5, reset_after=False), L.SimpleRNNCell(3)))
        ],
    ),
    Case(
        "stacked_one_cell",
        "input(10, 8) -> rnn(stackedrnncells([simplernncell(5)]))",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.SimpleRNNCell(5)))],
    ),
    Case(
        "stacked_keyword",
        "input(10, 8) -> rnn(cell=stackedrnncells(cells=[grucell(3), lstmcell(2)]))",
        S10_8,
        lambda L: [L.RNN(cell=L.StackedRNNCells(cells=[L.GRUCell(3), L.LSTMCell(2)]))],
    ),
    Case(
        "stacked_gru_state",
        "input(10, 8) -> rnn(stackedrnncells([grucell(6), grucell(4)]), return_state=true)",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.GRUCell(6), L.GRUCell(4)), return_state=True)],
    ),
    Case(
        "stacked_lstm_gru_state",
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(6), grucell(4)]), return_state=true)",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.LSTMCell(6), L.GRUCell(4)), return_state=True)],
    ),
    Case(
        "stacked_lstm_lstm_state_seq",
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(5), lstmcell(3)]), seq, state)",
        S10_8,
        lambda L: [
            L.RNN(_stack(L, L.LSTMCell(5), L.LSTMCell(3)), return_sequences=True, return_state=True)
        ],
    ),
    Case(
        "stacked_then_dense",
        "input(none, 8) -> rnn(stackedrnncells([lstmcell(8), lstmcell(8)])) -> dense(3, "
        "activation=softmax)",
        SNONE_8,
        lambda L: [
            L.RNN(_stack(L, L.LSTMCell(8), L.LSTMCell(8))),
            L.Dense(3, activation="softmax"),
        ],
    ),
    # -- bidirectional(rnn(...))
    Case(
        "bi_rnn_lstmcell",
        "input(10, 8) -> bidirectional(rnn(lstmcell(6)))",
        S10_8,
        lambda L: [L.Bidirectional(L.RNN(L.LSTMCell(6)))],
    ),
    Case(
        "bi_rnn_grucell_sum",
        "input(10, 8) -> bidirectional(rnn(grucell(6), seq), merge_mode=sum)",
        S10_8,
        lambda L: [L.Bidirectional(L.RNN(L.GRUCell(6), return_sequences=True), merge_mode="sum")],
    ),
    Case(
        "bi_rnn_none",
        "input(10, 8) -> bidirectional(rnn(simplernncell(4)), none)",
        S10_8,
        lambda L: [L.Bidirectional(L.RNN(L.SimpleRNNCell(4)), merge_mode=None)],
    ),
    Case(
        "bi_rnn_ave_mul",
        "input(10, 8) -> bidirectional(rnn(lstmcell(4), seq), ave) -> "
        "bidirectional(rnn(grucell(2)), mul)",
        S10_8,
        lambda L: [
            L.Bidirectional(L.RNN(L.LSTMCell(4), return_sequences=True), merge_mode="ave"),
            L.Bidirectional(L.RNN(L.GRUCell(2)), merge_mode="mul"),
        ],
    ),
    Case(
        "bi_rnn_state",
        "input(10, 8) -> bidirectional(rnn(lstmcell(6), return_state=true))",
        S10_8,
        lambda L: [L.Bidirectional(L.RNN(L.LSTMCell(6), return_state=True))],
    ),
    Case(
        "bi_rnn_stacked",
        "input(10, 8) -> bidirectional(rnn(stackedrnncells([lstmcell(6), grucell(3)]), seq)) "
        "-> dense(1)",
        S10_8,
        lambda L: [
            L.Bidirectional(L.RNN(_stack(L, L.LSTMCell(6), L.GRUCell(3)), return_sequences=True)),
            L.Dense(1),
        ],
    ),
    Case(
        "bi_rnn_stacked_state",
        "input(10, 8) -> bidirectional(rnn(stackedrnncells([grucell(6), grucell(3)]), state))",
        S10_8,
        lambda L: [
            L.Bidirectional(L.RNN(_stack(L, L.GRUCell(6), L.GRUCell(3)), return_state=True))
        ],
    ),
    Case(
        "bi_rnn_backward_layer",
        "input(10, 8) -> bidirectional(rnn(grucell(4)), "
        "backward_layer=rnn(grucell(4), go_backwards=true))",
        S10_8,
        lambda L: [
            L.Bidirectional(
                L.RNN(L.GRUCell(4)), backward_layer=L.RNN(L.GRUCell(4), go_backwards=True)
            )
        ],
    ),
    # -- masks
    Case(
        "masked_rnn_seq",
        "input(12, dtype=int32) -> embedding(50, 8, mask_zero=true) -> rnn(lstmcell(4), seq) "
        "-> rnn(grucell(2))",
        I12,
        lambda L: [
            L.Embedding(50, 8, mask_zero=True),
            L.RNN(L.LSTMCell(4), return_sequences=True),
            L.RNN(L.GRUCell(2)),
        ],
    ),
    Case(
        "masked_rnn_then_flatten",
        "input(12, dtype=int32) -> embedding(50, 8, mask_zero=true) -> rnn(grucell(4), seq) "
        "-> flatten()",
        I12,
        lambda L: [
            L.Embedding(50, 8, mask_zero=True),
            L.RNN(L.GRUCell(4), return_sequences=True),
            L.Flatten(),
        ],
    ),
    Case(
        "masked_bi_rnn",
        "input(12, dtype=int32) -> embedding(50, 8, mask_zero=true) -> "
        "bidirectional(rnn(simplernncell(4), seq)) -> globalaveragepooling1d()",
        I12,
        lambda L: [
            L.Embedding(50, 8, mask_zero=True),
            L.Bidirectional(L.RNN(L.SimpleRNNCell(4), return_sequences=True)),
            L.GlobalAveragePooling1D(),
        ],
    ),
    # -- rejected
    Case("cell_as_stage", "input(10, 8) -> lstmcell(6)", S10_8, lambda L: [L.LSTMCell(6)]),
    Case("grucell_as_stage", "input(10, 8) -> grucell(6)", S10_8, lambda L: [L.GRUCell(6)]),
    Case(
        "stacked_as_stage",
        "input(10, 8) -> stackedrnncells([grucell(6)])",
        S10_8,
        lambda L: [_stack(L, L.GRUCell(6))],
    ),
    Case(
        "td_cell",
        "input(10, 8) -> td(simplernncell(6))",
        S10_8,
        lambda L: [L.TimeDistributed(L.SimpleRNNCell(6))],
    ),
    Case("rnn_of_lstm", "input(10, 8) -> rnn(lstm(6))", S10_8, lambda L: [L.RNN(L.LSTM(6))]),
    Case("rnn_of_dense", "input(10, 8) -> rnn(dense(6))", S10_8, lambda L: [L.RNN(L.Dense(6))]),
    Case(
        "stacked_of_dense",
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(4), dense(3)]))",
        S10_8,
        lambda L: [L.RNN(_stack(L, L.LSTMCell(4), L.Dense(3)))],
    ),
    Case(
        "stacked_empty",
        "input(10, 8) -> rnn(stackedrnncells([]))",
        S10_8,
        lambda L: [L.RNN(L.StackedRNNCells([]))],
    ),
    Case(
        "rnn_on_2d",
        "input(8) -> rnn(lstmcell(4))",
        {"shape": (8,)},
        lambda L: [L.RNN(L.LSTMCell(4))],
    ),
    Case(
        "rnn_on_4d",
        "input(5, 10, 8) -> rnn(grucell(4))",
        {"shape": (5, 10, 8)},
        lambda L: [L.RNN(L.GRUCell(4))],
    ),
    Case(
        "rnn_unknown_features",
        "input(10, none) -> rnn(lstmcell(4))",
        {"shape": (10, None)},
        lambda L: [L.RNN(L.LSTMCell(4))],
    ),
    Case(
        "rnn_stateful_no_batch",
        "input(10, 8) -> rnn(lstmcell(4), stateful=true)",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4), stateful=True)],
    ),
    Case(
        "rnn_unroll_unknown_time",
        "input(none, 8) -> rnn(grucell(4), unroll=true)",
        SNONE_8,
        lambda L: [L.RNN(L.GRUCell(4), unroll=True)],
        stricter="Keras builds unroll=True with a variable time axis and fails only in a "
        "compiled function",
    ),
    Case(
        "cell_units_zero",
        "input(10, 8) -> rnn(lstmcell(0))",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(0))],
    ),
    Case(
        "bi_rnn_go_backwards",
        "input(10, 8) -> bidirectional(rnn(grucell(4), go_backwards=true))",
        S10_8,
        lambda L: [L.Bidirectional(L.RNN(L.GRUCell(4), go_backwards=True))],
    ),
    Case(
        "rnn_state_then_dense",
        "input(10, 8) -> rnn(lstmcell(4), state) -> dense(1)",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4), return_state=True), L.Dense(1)],
    ),
    Case(
        "rnn_no_seq_then_rnn",
        "input(10, 8) -> rnn(lstmcell(4)) -> rnn(lstmcell(2))",
        S10_8,
        lambda L: [L.RNN(L.LSTMCell(4)), L.RNN(L.LSTMCell(2))],
    ),
    Case(
        "cell_dropout_over_one",
        "input(10, 8) -> rnn(simplernncell(4, dropout=1.5))",
        S10_8,
        lambda L: [L.RNN(L.SimpleRNNCell(4, dropout=1.5))],
        stricter=CLAMPED,
    ),
    Case(
        "rnn_of_a_list",
        "input(10, 8) -> rnn([lstmcell(8), grucell(4)])",
        S10_8,
        lambda L: [L.RNN([L.LSTMCell(8), L.GRUCell(4)])],
        stricter="Keras wraps a list of cells in StackedRNNCells; the checker asks for "
        "`stackedrnncells([...])` written out, as the saved config holds it",
    ),
    # -- convolutional LSTMs
    Case(
        "convlstm1d_basic",
        "input(5, 20, 3) -> convlstm1d(8, 3)",
        V1,
        lambda L: [L.ConvLSTM1D(8, 3)],
    ),
    Case(
        "convlstm1d_same_seq",
        "input(5, 20, 3) -> convlstm1d(4, 5, padding=same, seq)",
        V1,
        lambda L: [L.ConvLSTM1D(4, 5, padding="same", return_sequences=True)],
    ),
    Case(
        "convlstm1d_strides",
        "input(5, 20, 3) -> convlstm1d(4, 3, strides=2)",
        V1,
        lambda L: [L.ConvLSTM1D(4, 3, strides=2)],
    ),
    Case(
        "convlstm1d_dilation",
        "input(5, 20, 3) -> convlstm1d(4, 3, dilation_rate=2, state)",
        V1,
        lambda L: [L.ConvLSTM1D(4, 3, dilation_rate=2, return_state=True)],
    ),
    Case(
        "convlstm1d_arguments",
        "input(5, 20, 3) -> convlstm1d(4, 3, activation=relu, dropout=0.1, "
        "recurrent_dropout=0.2, seed=1, unit_forget_bias=false)",
        V1,
        lambda L: [
            L.ConvLSTM1D(
                4,
                3,
                activation="relu",
                dropout=0.1,
                recurrent_dropout=0.2,
                seed=1,
                unit_forget_bias=False,
            )
        ],
    ),
    Case(
        "convlstm2d_basic",
        "input(4, 10, 10, 3) -> convlstm2d(4, 3)",
        V2,
        lambda L: [L.ConvLSTM2D(4, 3)],
    ),
    Case(
        "convlstm2d_same_seq_state",
        "input(4, 10, 10, 3) -> convlstm2d(4, (3, 3), padding=same, seq, state)",
        V2,
        lambda L: [
            L.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True, return_state=True)
        ],
    ),
    Case(
        "convlstm2d_strides",
        "input(4, 10, 10, 3) -> convlstm2d(2, 3, strides=(2, 1))",
        V2,
        lambda L: [L.ConvLSTM2D(2, 3, strides=(2, 1))],
    ),
    Case(
        "convlstm2d_channels_first",
        "input(4, 3, 10, 10) -> convlstm2d(2, 3, data_format=channels_first, seq)",
        {"shape": (4, 3, 10, 10)},
        lambda L: [L.ConvLSTM2D(2, 3, data_format="channels_first", return_sequences=True)],
    ),
    Case(
        "convlstm2d_no_bias",
        "input(4, 10, 10, 3) -> convlstm2d(3, 2, use_bias=false)",
        V2,
        lambda L: [L.ConvLSTM2D(3, 2, use_bias=False)],
    ),
    Case(
        "convlstm2d_unknown_time",
        "input(none, 10, 10, 3) -> convlstm2d(2, 3) -> flatten() -> dense(1)",
        {"shape": (None, 10, 10, 3)},
        lambda L: [L.ConvLSTM2D(2, 3), L.Flatten(), L.Dense(1)],
    ),
    Case(
        "convlstm2d_stacked",
        "input(4, 10, 10, 3) -> convlstm2d(4, 3, seq) -> convlstm2d(2, 3) "
        "-> globalaveragepooling2d()",
        V2,
        lambda L: [
            L.ConvLSTM2D(4, 3, return_sequences=True),
            L.ConvLSTM2D(2, 3),
            L.GlobalAveragePooling2D(),
        ],
    ),
    Case(
        "convlstm2d_go_backwards",
        "input(4, 10, 10, 3) -> convlstm2d(2, 3, go_backwards=true)",
        V2,
        lambda L: [L.ConvLSTM2D(2, 3, go_backwards=True)],
    ),
    Case(
        "convlstm2d_stateful",
        "input(4, 10, 10, 3, batch_size=2) -> convlstm2d(2, 3, stateful=true)",
        {"shape": (4, 10, 10, 3), "batch_size": 2},
        lambda L: [L.ConvLSTM2D(2, 3, stateful=True)],
    ),
    Case(
        "convlstm3d_basic",
        "input(3, 6, 6, 6, 2) -> convlstm3d(2, 3)",
        V3,
        lambda L: [L.ConvLSTM3D(2, 3)],
    ),
    Case(
        "convlstm3d_same_state",
        "input(3, 6, 6, 6, 2) -> convlstm3d(2, 3, padding=same, state)",
        V3,
        lambda L: [L.ConvLSTM3D(2, 3, padding="same", return_state=True)],
    ),
    Case(
        "bi_convlstm2d",
        "input(4, 10, 10, 3) -> bidirectional(convlstm2d(2, 3, seq))",
        V2,
        lambda L: [L.Bidirectional(L.ConvLSTM2D(2, 3, return_sequences=True))],
    ),
    Case(
        "convlstm2d_on_4d",
        "input(10, 10, 3) -> convlstm2d(2, 3)",
        {"shape": (10, 10, 3)},
        lambda L: [L.ConvLSTM2D(2, 3)],
    ),
    Case(
        "convlstm3d_on_5d",
        "input(4, 10, 10, 3) -> convlstm3d(2, 3)",
        V2,
        lambda L: [L.ConvLSTM3D(2, 3)],
    ),
    Case(
        "convlstm1d_unknown_steps",
        "input(5, none, 3) -> convlstm1d(2, 3)",
        {"shape": (5, None, 3)},
        lambda L: [L.ConvLSTM1D(2, 3)],
    ),
    Case(
        "convlstm2d_unknown_channels",
        "input(4, 10, 10, none) -> convlstm2d(2, 3)",
        {"shape": (4, 10, 10, None)},
        lambda L: [L.ConvLSTM2D(2, 3)],
    ),
    Case(
        "convlstm2d_strides_and_dilation",
        "input(4, 10, 10, 3) -> convlstm2d(2, 3, strides=2, dilation_rate=2)",
        V2,
        lambda L: [L.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)],
    ),
    Case(
        "convlstm2d_kernel_too_large",
        "input(4, 10, 10, 3) -> convlstm2d(2, 11)",
        V2,
        lambda L: [L.ConvLSTM2D(2, 11)],
    ),
    Case(
        "convlstm2d_stateful_no_batch",
        "input(4, 10, 10, 3) -> convlstm2d(2, 3, stateful=true)",
        V2,
        lambda L: [L.ConvLSTM2D(2, 3, stateful=True)],
    ),
    Case(
        "convlstm1d_too_short",
        "input(5, 2, 3) -> convlstm1d(2, 3)",
        {"shape": (5, 2, 3)},
        lambda L: [L.ConvLSTM1D(2, 3)],
    ),
    Case(
        "bi_convlstm2d_go_backwards",
        "input(4, 10, 10, 3) -> bidirectional(convlstm2d(2, 3, go_backwards=true))",
        V2,
        lambda L: [L.Bidirectional(L.ConvLSTM2D(2, 3, go_backwards=True))],
    ),
]
