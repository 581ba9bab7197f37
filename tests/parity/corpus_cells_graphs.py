"""Graph parity cases for ``rnn(cell)`` and the convolutional LSTMs: states returned,
unpacked and handed to another layer's ``initial_state`` (`tests/test_parity_cells.py`).
Each case's Keras side is hand-written functional code against `graph_harness.Builder`.
"""

from __future__ import annotations

from typing import Any

from .graph_harness import GraphCase, L


def _rnn_seq2seq(k: Any) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.RNN(L.LSTMCell(8), return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.RNN(L.LSTMCell(8), return_sequences=True)(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], dec)


def _grucell_two_states(k: Any) -> None:
    x = k.Input(shape=(10, 4))
    h = k.Input(shape=(8,))
    c = k.Input(shape=(8,))
    out = k.RNN(L.GRUCell(8))(x, initial_state=[h, c])
    k.Model([x, h, c], out)


def _lstmcell_wrong_width(k: Any) -> None:
    x = k.Input(shape=(10, 4))
    h = k.Input(shape=(6,))
    c = k.Input(shape=(6,))
    out = k.RNN(L.LSTMCell(8))(x, initial_state=[h, c])
    k.Model([x, h, c], out)


def _stacked_gru_states_feed(k: Any) -> None:
    x = k.Input(shape=(10, 4))
    _, h1, h2 = k.RNN(L.StackedRNNCells([L.GRUCell(6), L.GRUCell(3)]), return_state=True)(x)
    y = k.Input(shape=(5, 2))
    out = k.RNN(L.StackedRNNCells([L.GRUCell(6), L.GRUCell(3)]))(y, initial_state=[h1, h2])
    k.Model([x, y], out)


def _convlstm_states_feed(k: Any) -> None:
    enc_in = k.Input(shape=(4, 10, 10, 3))
    _, h, c = k.ConvLSTM2D(2, 3, padding="same", return_state=True)(enc_in)
    dec_in = k.Input(shape=(3, 10, 10, 3))
    out = k.ConvLSTM2D(2, 3, padding="same")(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], out)


def _bi_rnn_states_to_lstm(k: Any) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, fh, fc, bh, bc = k.Bidirectional(L.RNN(L.LSTMCell(4), return_state=True))(enc_in)
    h = k.Concatenate()([fh, bh])
    c = k.Concatenate()([fc, bc])
    dec_in = k.Input(shape=(None, 9))
    out = k.LSTM(8)(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], out)


CASES_CELLS_GRAPHS: list[GraphCase] = [
    GraphCase(
        "graph_rnn_seq2seq",
        """
enc_in = input(none, 7)
_, h, c = enc_in -> rnn(lstmcell(8), state)
dec_in = input(none, 9)
dec = dec_in -> rnn(lstmcell(8), seq, initial_state=[h, c])
model(inputs=[enc_in, dec_in], outputs=dec)
""",
        _rnn_seq2seq,
    ),
    GraphCase(
        "graph_grucell_two_states",
        """
x = input(10, 4)
h = input(8)
c = input(8)
out = x -> rnn(grucell(8), initial_state=[h, c])
model(inputs=[x, h, c], outputs=out)
""",
        _grucell_two_states,
        code="E213",
    ),
    GraphCase(
        "graph_lstmcell_wrong_width",
        """
x = input(10, 4)
h = input(6)
c = input(6)
out = x -> rnn(lstmcell(8), initial_state=[h, c])
model(inputs=[x, h, c], outputs=out)
""",
        _lstmcell_wrong_width,
        code="E213",
    ),
    # A stack of LSTM cells returns its states nested (``out, (h1, c1), h2``), which the
    # harness's probe of every node cannot call; `test_a_stack_of_lstm_cells_unpacks_its_
    # nested_states_in_a_graph` compares that graph with Keras directly.
    GraphCase(
        "graph_stacked_gru_states_feed",
        """
x = input(10, 4)
_, h1, h2 = x -> rnn(stackedrnncells([grucell(6), grucell(3)]), state)
y = input(5, 2)
out = y -> rnn(stackedrnncells([grucell(6), grucell(3)]), initial_state=[h1, h2])
model(inputs=[x, y], outputs=out)
""",
        _stacked_gru_states_feed,
    ),
    GraphCase(
        "graph_convlstm_states_feed",
        """
enc_in = input(4, 10, 10, 3)
_, h, c = enc_in -> convlstm2d(2, 3, padding=same, state)
dec_in = input(3, 10, 10, 3)
out = dec_in -> convlstm2d(2, 3, padding=same, initial_state=[h, c])
model(inputs=[enc_in, dec_in], outputs=out)
""",
        _convlstm_states_feed,
    ),
    GraphCase(
        "graph_bi_rnn_states_to_lstm",
        """
enc_in = input(none, 7)
_, fh, fc, bh, bc = enc_in -> bidirectional(rnn(lstmcell(4), state))
h = [fh, bh] -> concatenate()
c = [fc, bc] -> concatenate()
dec_in = input(none, 9)
out = dec_in -> lstm(8, initial_state=[h, c])
model(inputs=[enc_in, dec_in], outputs=out)
""",
        _bi_rnn_states_to_lstm,
    ),
]
