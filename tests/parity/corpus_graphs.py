"""The graph parity corpus: each model written as `.arch` text and as hand-written Keras
functional code (against the `Builder` ``k`` of `graph_harness`, which makes the real
Keras layers and numbers the stages as the checker does).

Every case's Keras verdict (builds and runs, or fails at which stage) comes from Keras 3
itself; `tests/test_parity_graphs.py` asserts that the checker agrees with it exactly.
"""

from __future__ import annotations

from typing import Any

from .graph_harness import Builder, GraphCase, L

CASES: list[GraphCase] = []


def case(
    arch: str, *, stricter: str | None = None, code: str | None = None, keras_bug: str | None = None
) -> Any:
    """Register the decorated Keras code as a case named after the function."""

    def register(keras: Any) -> Any:
        CASES.append(GraphCase(keras.__name__, arch, keras, stricter, code, keras_bug))
        return keras

    return register


# -- seq2seq, training: the encoder's states start the decoder (keras-io's lstm_seq2seq)


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> lstm(8, seq, state, initial_state=[h, c])
out = dec[0] -> dense(9, softmax)
model(inputs=[enc_in, dec_in], outputs=out)
"""
)
def seq2seq_lstm_training(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(8, return_sequences=True, return_state=True)(dec_in, initial_state=[h, c])
    out = k.Dense(9, activation="softmax")(dec[0])
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, 7)
_, h = enc_in -> gru(8, state)
dec_in = input(none, 9)
dec = dec_in -> gru(8, seq, initial_state=[h])
out = dec -> td(dense(9, softmax))
"""
)
def seq2seq_gru_training(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h = k.GRU(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.GRU(8, return_sequences=True)(dec_in, initial_state=[h])
    out = k.TimeDistributed(L.Dense(9, activation="softmax"))(dec)
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, 7)
_, fh, fc, bh, bc = enc_in -> bilstm(8, state)
h = [fh, bh] -> concatenate()
c = [fc, bc] -> concatenate()
dec_in = input(none, 9)
dec = dec_in -> lstm(16, seq, initial_state=[h, c])
out = dec -> dense(9, softmax)
model(inputs=[enc_in, dec_in], outputs=out)
"""
)
def seq2seq_bidirectional_encoder(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, fh, fc, bh, bc = k.Bidirectional(L.LSTM(8, return_state=True))(enc_in)
    h = k.Concatenate()([fh, bh])
    c = k.Concatenate()([fc, bc])
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(16, return_sequences=True)(dec_in, initial_state=[h, c])
    out = k.Dense(9, activation="softmax")(dec)
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, 7)
_, fh, bh = enc_in -> bigru(8, state)
h = [fh, bh] -> concatenate()
dec_in = input(none, 9)
dec = dec_in -> gru(16, seq, initial_state=[h])
out = dec -> dense(9, softmax)
"""
)
def seq2seq_bidirectional_gru_encoder(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, fh, bh = k.Bidirectional(L.GRU(8, return_state=True))(enc_in)
    h = k.Concatenate()([fh, bh])
    dec_in = k.Input(shape=(None, 9))
    dec = k.GRU(16, return_sequences=True)(dec_in, initial_state=[h])
    out = k.Dense(9, activation="softmax")(dec)
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, dtype="int32")
_, h, c = enc_in -> embedding(20, 6, mask_zero) -> lstm(8, state)
dec_in = input(none, dtype="int32")
dec = dec_in -> embedding(30, 6, mask_zero) -> lstm(8, seq, initial_state=[h, c])
out = dec -> dense(30, softmax)
"""
)
def seq2seq_word_level_masks(k: Builder) -> None:
    enc_in = k.Input(shape=(None,), dtype="int32")
    e = k.Embedding(20, 6, mask_zero=True)(enc_in)
    _, h, c = k.LSTM(8, return_state=True)(e)
    dec_in = k.Input(shape=(None,), dtype="int32")
    d = k.Embedding(30, 6, mask_zero=True)(dec_in)
    dec = k.LSTM(8, return_sequences=True)(d, initial_state=[h, c])
    out = k.Dense(30, activation="softmax")(dec)
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, 7)
enc, h, c = enc_in -> lstm(8, seq, state)
dec_in = input(none, 9)
dec = dec_in -> lstm(8, seq, initial_state=[h, c])
context = [dec, enc] -> attention()
both = [dec, context] -> concatenate()
out = both -> td(dense(9, softmax))
"""
)
def seq2seq_with_attention(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    enc, h, c = k.LSTM(8, return_sequences=True, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(8, return_sequences=True)(dec_in, initial_state=[h, c])
    context = k.Attention()([dec, enc])
    both = k.Concatenate()([dec, context])
    out = k.TimeDistributed(L.Dense(9, activation="softmax"))(both)
    k.Model([enc_in, dec_in], out)


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> bilstm(8, seq, initial_state=[h, c, h, c])
out = dec -> dense(9, softmax)
"""
)
def seq2seq_bidirectional_decoder(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.Bidirectional(L.LSTM(8, return_sequences=True))(dec_in, initial_state=[h, c, h, c])
    out = k.Dense(9, activation="softmax")(dec)
    k.Model([enc_in, dec_in], out)


# -- seq2seq, inference: the encoder alone, and the decoder stepping from given states


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
model(inputs=enc_in, outputs=[h, c])
"""
)
def seq2seq_inference_encoder(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    k.Model(enc_in, [h, c])


@case(
    """
dec_in = input(none, 9)
h_in = input(8)
c_in = input(8)
seq, h, c = dec_in -> lstm(8, seq, state, initial_state=[h_in, c_in])
out = seq -> dense(9, softmax)
model(inputs=[dec_in, h_in, c_in], outputs=[out, h, c])
"""
)
def seq2seq_inference_decoder(k: Builder) -> None:
    dec_in = k.Input(shape=(None, 9))
    h_in = k.Input(shape=(8,))
    c_in = k.Input(shape=(8,))
    seq, h, c = k.LSTM(8, return_sequences=True, return_state=True)(
        dec_in, initial_state=[h_in, c_in]
    )
    out = k.Dense(9, activation="softmax")(seq)
    k.Model([dec_in, h_in, c_in], [out, h, c])


@case(
    """
dec_in = input(none, 9)
h_in = input(8)
seq, h = dec_in -> gru(8, seq, state, initial_state=[h_in])
out = seq -> dense(9, softmax)
model(inputs=[dec_in, h_in], outputs=[out, h])
"""
)
def seq2seq_inference_decoder_gru(k: Builder) -> None:
    dec_in = k.Input(shape=(None, 9))
    h_in = k.Input(shape=(8,))
    seq, h = k.GRU(8, return_sequences=True, return_state=True)(dec_in, initial_state=[h_in])
    out = k.Dense(9, activation="softmax")(seq)
    k.Model([dec_in, h_in], [out, h])


# -- initial states: from other layers, and the wrong count or shape


@case(
    """
x = input(10, 3)
meta = input(5)
h0 = meta -> dense(8)
c0 = meta -> dense(8)
out = x -> lstm(8, initial_state=[h0, c0]) -> dense(1)
"""
)
def initial_state_from_metadata(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    meta = k.Input(shape=(5,))
    h0 = k.Dense(8)(meta)
    c0 = k.Dense(8)(meta)
    y = k.LSTM(8)(x, initial_state=[h0, c0])
    out = k.Dense(1)(y)
    k.Model([x, meta], out)


@case(
    """
x = input(10, 3)
meta = input(5)
h0 = meta -> dense(6, tanh)
out = x -> simplernn(6, initial_state=[h0])
"""
)
def initial_state_simplernn(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    meta = k.Input(shape=(5,))
    h0 = k.Dense(6, activation="tanh")(meta)
    out = k.SimpleRNN(6)(x, initial_state=[h0])
    k.Model([x, meta], out)


@case(
    """
enc_in = input(none, 7)
_, h, _c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> lstm(8, seq, initial_state=[h])
""",
    code="E213",
)
def initial_state_lstm_one_state(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, _c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(8, return_sequences=True)(dec_in, initial_state=[h])
    k.Model([enc_in, dec_in], dec)


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> gru(8, seq, initial_state=[h, c])
""",
    stricter="Keras 3's GRU keeps the first initial state and silently drops the rest "
    "(keras/src/layers/rnn/gru.py, GRU.inner_loop: initial_state[0])",
    code="E213",
)
def initial_state_gru_two_states(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.GRU(8, return_sequences=True)(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], dec)


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> lstm(16, seq, initial_state=[h, c])
""",
    code="E213",
)
def initial_state_wrong_units(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(16, return_sequences=True)(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], dec)


@case(
    """
enc_in = input(none, 7)
enc = enc_in -> lstm(8, seq)
dec_in = input(none, 9)
dec = dec_in -> lstm(8, seq, initial_state=[enc, enc])
""",
    code="E213",
)
def initial_state_from_a_sequence(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    enc = k.LSTM(8, return_sequences=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.LSTM(8, return_sequences=True)(dec_in, initial_state=[enc, enc])
    k.Model([enc_in, dec_in], dec)


@case(
    """
enc_in = input(none, 7)
_, h, c = enc_in -> lstm(8, state)
dec_in = input(none, 9)
dec = dec_in -> bilstm(8, seq, initial_state=[h, c])
""",
    code="E213",
)
def initial_state_bidirectional_two_states(k: Builder) -> None:
    enc_in = k.Input(shape=(None, 7))
    _, h, c = k.LSTM(8, return_state=True)(enc_in)
    dec_in = k.Input(shape=(None, 9))
    dec = k.Bidirectional(L.LSTM(8, return_sequences=True))(dec_in, initial_state=[h, c])
    k.Model([enc_in, dec_in], dec)


@case(
    """
x = input(10, 3)
h = input(4)
out = x -> lstm(4, initial_state=[h, h, h])
""",
    code="E213",
)
def initial_state_lstm_three_states(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    h = k.Input(shape=(4,))
    out = k.LSTM(4)(x, initial_state=[h, h, h])
    k.Model([x, h], out)


@case(
    """
x = input(10, 3)
h = input(4)
out = x -> simplernn(4, initial_state=[h, h])
""",
    code="E213",
)
def initial_state_simplernn_two_states(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    h = k.Input(shape=(4,))
    out = k.SimpleRNN(4)(x, initial_state=[h, h])
    k.Model([x, h], out)


# -- two inputs, two outputs


@case(
    """
seq = input(12, 3)
meta = input(5)
s = seq -> lstm(8)
m = meta -> dense(4, relu)
both = [s, m] -> concatenate()
out = both -> dense(1, sigmoid)
"""
)
def sequence_plus_metadata(k: Builder) -> None:
    seq = k.Input(shape=(12, 3))
    meta = k.Input(shape=(5,))
    s = k.LSTM(8)(seq)
    m = k.Dense(4, activation="relu")(meta)
    both = k.Concatenate()([s, m])
    out = k.Dense(1, activation="sigmoid")(both)
    k.Model([seq, meta], out)


@case(
    """
seq = input(12, 3)
meta = input(5)
s = seq -> bilstm(8)
both = [s, meta] -> concatenate()
label = both -> dense(1, sigmoid)
kind = both -> dense(3, softmax)
model(inputs=[seq, meta], outputs=[label, kind])
"""
)
def sequence_plus_metadata_two_heads(k: Builder) -> None:
    seq = k.Input(shape=(12, 3))
    meta = k.Input(shape=(5,))
    s = k.Bidirectional(L.LSTM(8))(seq)
    both = k.Concatenate()([s, meta])
    label = k.Dense(1, activation="sigmoid")(both)
    kind = k.Dense(3, activation="softmax")(both)
    k.Model([seq, meta], [label, kind])


@case(
    """
x = input(6, 3)
code = x -> lstm(8)
recon = code -> repeatvector(6) -> lstm(8, seq) -> td(dense(3))
future = code -> repeatvector(4) -> lstm(8, seq) -> td(dense(3))
model(inputs=x, outputs=[recon, future])
"""
)
def composite_autoencoder(k: Builder) -> None:
    x = k.Input(shape=(6, 3))
    code = k.LSTM(8)(x)
    r = k.RepeatVector(6)(code)
    r = k.LSTM(8, return_sequences=True)(r)
    recon = k.TimeDistributed(L.Dense(3))(r)
    f = k.RepeatVector(4)(code)
    f = k.LSTM(8, return_sequences=True)(f)
    future = k.TimeDistributed(L.Dense(3))(f)
    k.Model(x, [recon, future])


@case(
    """
x = input(6, 3)
code = x -> lstm(8)
future = code -> repeatvector(4) -> gru(8, seq) -> td(dense(3))
recon = code -> repeatvector(6) -> gru(8, seq) -> td(dense(3))
"""
)
def composite_autoencoder_default_outputs(k: Builder) -> None:
    x = k.Input(shape=(6, 3))
    code = k.LSTM(8)(x)
    f = k.RepeatVector(4)(code)
    f = k.GRU(8, return_sequences=True)(f)
    future = k.TimeDistributed(L.Dense(3))(f)
    r = k.RepeatVector(6)(code)
    r = k.GRU(8, return_sequences=True)(r)
    recon = k.TimeDistributed(L.Dense(3))(r)
    k.Model(x, [future, recon])


@case(
    """
x = input(10, 4)
w = input(10, 1)
out = [x, w] -> multiply() -> lstm(8)
"""
)
def sequence_times_weights(k: Builder) -> None:
    x = k.Input(shape=(10, 4))
    w = k.Input(shape=(10, 1))
    m = k.Multiply()([x, w])
    out = k.LSTM(8)(m)
    k.Model([x, w], out)


@case(
    """
x = input(10, 3)
s = x -> lstm(8, state)
model(inputs=x, outputs=s)
"""
)
def outputs_every_state(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    s = k.LSTM(8, return_state=True)(x)
    k.Model(x, s)


@case(
    """
x = input(10, 3)
out, h, c = x -> lstm(8, state)
y = [h, c] -> concatenate() -> dense(2)
model(inputs=x, outputs=[out, y])
"""
)
def output_and_states_head(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    out, h, c = k.LSTM(8, return_state=True)(x)
    hc = k.Concatenate()([h, c])
    y = k.Dense(2)(hc)
    k.Model(x, [out, y])


@case(
    """
x = input(20, 1)
y = x -> lstm(8, seq) -> bilstm(8) -> dense(1)
"""
)
def chain_written_as_graph(k: Builder) -> None:
    x = k.Input(shape=(20, 1))
    h = k.LSTM(8, return_sequences=True)(x)
    h = k.Bidirectional(L.LSTM(8))(h)
    y = k.Dense(1)(h)
    k.Model(x, y)


@case(
    """
x = input(10, 3)
h1 = x -> lstm(8, seq)
h2 = h1 -> lstm(8, seq)
out = [h1, h2] -> add() -> lstm(4)
"""
)
def residual_lstm(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    h1 = k.LSTM(8, return_sequences=True)(x)
    h2 = k.LSTM(8, return_sequences=True)(h1)
    r = k.Add()([h1, h2])
    out = k.LSTM(4)(r)
    k.Model(x, out)


@case(
    """
x = input(6, 8)
a = [x, x] -> multiheadattention(2, 4)
r = [x, a] -> add() -> layernormalization()
f = r -> dense(16, relu) -> dense(8)
o = [r, f] -> add() -> layernormalization()
out = o -> lstm(4)
"""
)
def transformer_block_then_lstm(k: Builder) -> None:
    x = k.Input(shape=(6, 8))
    a = k.MultiHeadAttention(2, 4)(x, x)
    r = k.Add()([x, a])
    r = k.LayerNormalization()(r)
    f = k.Dense(16, activation="relu")(r)
    f = k.Dense(8)(f)
    o = k.Add()([r, f])
    o = k.LayerNormalization()(o)
    out = k.LSTM(4)(o)
    k.Model(x, out)


# -- shared layers: one set of weights, called on several tensors


@case(
    """
a = input(6, 3)
b = input(6, 3)
encoder = lstm(8)
ea = a -> encoder
eb = b -> encoder
d = [ea, eb] -> subtract()
out = d -> dense(1, sigmoid)
"""
)
def siamese_lstm(k: Builder) -> None:
    a = k.Input(shape=(6, 3))
    b = k.Input(shape=(6, 3))
    encoder = k.define(k.LSTM(8))
    ea = encoder(a)
    eb = encoder(b)
    d = k.Subtract()([ea, eb])
    out = k.Dense(1, activation="sigmoid")(d)
    k.Model([a, b], out)


@case(
    """
a = input(6, 3)
b = input(6, 3)
encoder = bilstm(4)
ea = a -> encoder
eb = b -> encoder
out = [ea, eb] -> dot(axes=1, normalize=true)
"""
)
def siamese_cosine(k: Builder) -> None:
    a = k.Input(shape=(6, 3))
    b = k.Input(shape=(6, 3))
    encoder = k.define(k.Bidirectional(L.LSTM(4)))
    ea = encoder(a)
    eb = encoder(b)
    out = k.Dot(axes=1, normalize=True)([ea, eb])
    k.Model([a, b], out)


@case(
    """
q1 = input(none, dtype="int32")
q2 = input(none, dtype="int32")
embed = embedding(50, 8, mask_zero)
encode = lstm(8)
e1 = q1 -> embed -> encode
e2 = q2 -> embed -> encode
both = [e1, e2] -> concatenate()
out = both -> dense(1, sigmoid)
"""
)
def shared_embedding_and_lstm(k: Builder) -> None:
    q1 = k.Input(shape=(None,), dtype="int32")
    q2 = k.Input(shape=(None,), dtype="int32")
    embed = k.define(k.Embedding(50, 8, mask_zero=True))
    encode = k.define(k.LSTM(8))
    e1 = encode(embed(q1))
    e2 = encode(embed(q2))
    both = k.Concatenate()([e1, e2])
    out = k.Dense(1, activation="sigmoid")(both)
    k.Model([q1, q2], out)


@case(
    """
a = input(4)
b = input(4)
c = input(4)
project = dense(3)
pa = a -> project
pb = b -> project
pc = c -> project
out = [pa, pb, pc] -> average()
"""
)
def shared_dense_three_times(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(4,))
    c = k.Input(shape=(4,))
    project = k.define(k.Dense(3))
    pa = project(a)
    pb = project(b)
    pc = project(c)
    out = k.Average()([pa, pb, pc])
    k.Model([a, b, c], out)


@case(
    """
a = input(6, 3)
b = input(6, 4)
encoder = lstm(8)
ea = a -> encoder
eb = b -> encoder
out = [ea, eb] -> add()
""",
    code="E215",
)
def shared_lstm_second_input_wider(k: Builder) -> None:
    a = k.Input(shape=(6, 3))
    b = k.Input(shape=(6, 4))
    encoder = k.define(k.LSTM(8))
    ea = encoder(a)
    eb = encoder(b)
    out = k.Add()([ea, eb])
    k.Model([a, b], out)


@case(
    """
a = input(none, 3)
b = input(9, 3)
encoder = gru(8)
ea = a -> encoder
eb = b -> encoder
out = [ea, eb] -> concatenate()
"""
)
def shared_gru_on_two_lengths(k: Builder) -> None:
    a = k.Input(shape=(None, 3))
    b = k.Input(shape=(9, 3))
    encoder = k.define(k.GRU(8))
    ea = encoder(a)
    eb = encoder(b)
    out = k.Concatenate()([ea, eb])
    k.Model([a, b], out)


@case(
    """
a = input(4)
b = input(5)
project = dense(3)
pa = a -> project
pb = b -> project
out = [pa, pb] -> add()
""",
    code="E215",
)
def shared_dense_second_input_wider(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(5,))
    project = k.define(k.Dense(3))
    pa = project(a)
    pb = project(b)
    out = k.Add()([pa, pb])
    k.Model([a, b], out)


@case(
    """
x = input(6, 3)
spare = dense(4)
out = x -> lstm(8)
"""
)
def shared_layer_never_called(k: Builder) -> None:
    x = k.Input(shape=(6, 3))
    k.define(k.Dense(4))
    out = k.LSTM(8)(x)
    k.Model(x, out)


@case(
    """
x = input(6, 3)
encoder = lstm(8)
out = encoder -> dense(1)
""",
    code="E130",
)
def shared_layer_used_as_tensor(k: Builder) -> None:
    x = k.Input(shape=(6, 3))
    encoder = k.define(k.LSTM(8))
    out = k.Dense(1)(encoder.layer)
    k.Model(x, out)


# -- merges: every one with shapes that match and with shapes that do not

_ELEMENTWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def _merge_case(keras_class: str, first: tuple, second: tuple, code: str | None) -> None:
    """``[a, b] -> add()`` and its siblings, on inputs of the given per-sample shapes."""
    name = keras_class.lower()

    def keras(k: Builder) -> None:
        a = k.Input(shape=first)
        b = k.Input(shape=second)
        out = getattr(k, keras_class)()([a, b])
        k.Model([a, b], out)

    dims = "_".join("x".join(map(str, s)) for s in (first, second))
    keras.__name__ = f"{name}_{'matching' if code is None else 'mismatched'}_{dims}"
    arch = (
        f"a = input({', '.join(map(str, first))})\n"
        f"b = input({', '.join(map(str, second))})\n"
        f"out = [a, b] -> {name}()\n"
    )
    case(arch, code=code)(keras)


for _class in _ELEMENTWISE:
    _merge_case(_class, (5, 4), (5, 4), None)
_merge_case("Add", (5, 4), (5, 3), "E212")
_merge_case("Subtract", (5, 4), (6, 4), "E212")
_merge_case("Multiply", (4,), (3,), "E212")
_merge_case("Average", (5, 4), (4, 5), "E212")
_merge_case("Maximum", (2, 5, 4), (2, 5, 3), "E212")
_merge_case("Minimum", (5, 4), (6, 4), "E212")
_merge_case("Add", (5, 4), (5, 1), None)
_merge_case("Multiply", (5, 4), (1, 4), None)
_merge_case("Maximum", (5, 4), (4,), None)
_merge_case("Add", (5, 4), (3,), "E212")


@case(
    """
a = input(4)
b = input(4)
c = input(4)
out = [a, b, c] -> add()
"""
)
def add_three_inputs(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(4,))
    c = k.Input(shape=(4,))
    out = k.Add()([a, b, c])
    k.Model([a, b, c], out)


@case(
    """
a = input(4)
b = input(4)
c = input(4)
out = [a, b, c] -> subtract()
""",
    code="E202",
)
def subtract_three_inputs(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(4,))
    c = k.Input(shape=(4,))
    out = k.Subtract()([a, b, c])
    k.Model([a, b, c], out)


@case(
    """
a = input(4)
out = [a] -> add()
"""
)
def add_one_input(k: Builder) -> None:
    a = k.Input(shape=(4,))
    out = k.Add()([a])
    k.Model(a, out)


@case(
    """
a = input(4, batch_size=2)
b = input(4, batch_size=3)
out = [a, b] -> add()
""",
    code="E212",
)
def add_batch_sizes_differ(k: Builder) -> None:
    a = k.Input(shape=(4,), batch_size=2)
    b = k.Input(shape=(4,), batch_size=3)
    out = k.Add()([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(none, 4)
b = input(none, 4)
out = [a, b] -> average() -> lstm(3)
"""
)
def average_variable_lengths(k: Builder) -> None:
    a = k.Input(shape=(None, 4))
    b = k.Input(shape=(None, 4))
    m = k.Average()([a, b])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


# -- concatenate, on the last axis and on others


@case(
    """
a = input(5, 4)
b = input(5, 3)
out = [a, b] -> concatenate()
"""
)
def concatenate_features(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 3))
    out = k.Concatenate()([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(6, 3)
out = [a, b] -> concatenate()
""",
    code="E212",
)
def concatenate_features_steps_differ(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(6, 3))
    out = k.Concatenate()([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(6, 4)
out = [a, b] -> concatenate(axis=1) -> lstm(3)
"""
)
def concatenate_time_axis(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(6, 4))
    c = k.Concatenate(axis=1)([a, b])
    out = k.LSTM(3)(c)
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(6, 3)
out = [a, b] -> concatenate(axis=1)
""",
    code="E212",
)
def concatenate_time_axis_features_differ(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(6, 3))
    out = k.Concatenate(axis=1)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(4)
out = [a, b] -> concatenate()
""",
    code="E212",
)
def concatenate_ranks_differ(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(4,))
    out = k.Concatenate()([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(5, 4)
out = [a, b] -> concatenate(axis=0)
""",
    stricter="Keras 3 joins two batches into one along axis 0, so the model's output no "
    "longer has one row per sample",
    code="E210",
)
def concatenate_batch_axis(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 4))
    out = k.Concatenate(axis=0)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(5, 4)
out = [a, b] -> concatenate(axis=3)
""",
    code="E210",
)
def concatenate_axis_past_rank(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 4))
    out = k.Concatenate(axis=3)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(1, 4)
b = input(5, 3)
out = [a, b] -> concatenate()
""",
    code="E212",
)
def concatenate_size_one_steps(k: Builder) -> None:
    a = k.Input(shape=(1, 4))
    b = k.Input(shape=(5, 3))
    out = k.Concatenate()([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(3, 5, 4)
b = input(3, 6, 4)
out = [a, b] -> concatenate(axis=2)
"""
)
def concatenate_4d_middle_axis(k: Builder) -> None:
    a = k.Input(shape=(3, 5, 4))
    b = k.Input(shape=(3, 6, 4))
    out = k.Concatenate(axis=2)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(none, 4)
b = input(none, 3)
out = [a, b] -> concatenate(axis=-1) -> gru(3)
"""
)
def concatenate_variable_lengths(k: Builder) -> None:
    a = k.Input(shape=(None, 4))
    b = k.Input(shape=(None, 3))
    c = k.Concatenate(axis=-1)([a, b])
    out = k.GRU(3)(c)
    k.Model([a, b], out)


# -- dot


@case(
    """
a = input(4)
b = input(4)
out = [a, b] -> dot(axes=1)
"""
)
def dot_vectors(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(4,))
    out = k.Dot(axes=1)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(6, 4)
out = [a, b] -> dot(axes=2)
"""
)
def dot_sequences_features(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(6, 4))
    out = k.Dot(axes=2)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(5, 3)
out = [a, b] -> dot(axes=(1, 1))
"""
)
def dot_axes_pair(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 3))
    out = k.Dot(axes=(1, 1))([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(6, 3)
out = [a, b] -> dot(axes=-1)
""",
    code="E212",
)
def dot_mismatched(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(6, 3))
    out = k.Dot(axes=-1)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(5, 4)
out = [a, b] -> dot(axes=0)
""",
    code="E210",
)
def dot_batch_axis(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 4))
    out = k.Dot(axes=0)([a, b])
    k.Model([a, b], out)


@case(
    """
a = input(4)
b = input(4)
c = input(4)
out = [a, b, c] -> dot(axes=1)
""",
    code="E202",
)
def dot_three_inputs(k: Builder) -> None:
    a = k.Input(shape=(4,))
    b = k.Input(shape=(4,))
    c = k.Input(shape=(4,))
    out = k.Dot(axes=1)([a, b, c])
    k.Model([a, b, c], out)


# -- attention


@case(
    """
q = input(4, 8)
v = input(6, 8)
out = [q, v] -> attention()
"""
)
def attention_query_value(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 8))
    out = k.Attention()([q, v])
    k.Model([q, v], out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
key = input(6, 8)
out = [q, v, key] -> attention()
"""
)
def attention_with_key(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    key = k.Input(shape=(6, 8))
    out = k.Attention()([q, v, key])
    k.Model([q, v, key], out)


@case(
    """
q = input(4, 8)
v = input(6, 8)
out, scores = [q, v] -> attention(return_attention_scores=true)
model(inputs=[q, v], outputs=[out, scores])
"""
)
def attention_scores(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 8))
    out, scores = k.Attention()([q, v], return_attention_scores=True)
    k.Model([q, v], [out, scores])


@case(
    """
x = input(6, 8)
out = [x, x] -> attention(use_causal_mask=true, use_scale=true, score_mode=concat)
"""
)
def attention_causal_scaled_concat(k: Builder) -> None:
    x = k.Input(shape=(6, 8))
    out = k.Attention(use_scale=True, score_mode="concat")([x, x], use_causal_mask=True)
    k.Model(x, out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
out = [q, v] -> attention()
""",
    code="E212",
)
def attention_query_key_features_differ(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    out = k.Attention()([q, v])
    k.Model([q, v], out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
key = input(7, 8)
out = [q, v, key] -> attention()
""",
    code="E212",
)
def attention_value_key_lengths_differ(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    key = k.Input(shape=(7, 8))
    out = k.Attention()([q, v, key])
    k.Model([q, v, key], out)


@case(
    """
q = input(8)
v = input(8)
out = [q, v] -> attention()
""",
    stricter="Keras 3's Attention runs on 2-D tensors, but then attends across the batch: "
    "matmul(query, swapaxes(key, -2, -1)) is (batch, batch) (keras/src/layers/attention/"
    "attention.py, _calculate_scores)",
    code="E203",
)
def attention_on_vectors(k: Builder) -> None:
    q = k.Input(shape=(8,))
    v = k.Input(shape=(8,))
    out = k.Attention()([q, v])
    k.Model([q, v], out)


@case(
    """
q = input(4, 8)
out = [q] -> attention()
""",
    code="E202",
)
def attention_one_input(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    out = k.Attention()([q])
    k.Model(q, out)


@case(
    """
q = input(4, 8)
v = input(6, 8)
out = [q, v] -> additiveattention()
"""
)
def additive_attention(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 8))
    out = k.AdditiveAttention()([q, v])
    k.Model([q, v], out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
key = input(6, 8)
out, scores = [q, v, key] -> additiveattention(use_scale=false, return_attention_scores=true)
model(inputs=[q, v, key], outputs=[out, scores])
"""
)
def additive_attention_key_scores(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    key = k.Input(shape=(6, 8))
    out, scores = k.AdditiveAttention(use_scale=False)([q, v, key], return_attention_scores=True)
    k.Model([q, v, key], [out, scores])


@case(
    """
q = input(4, 8)
v = input(6, 5)
out = [q, v] -> additiveattention()
""",
    code="E212",
)
def additive_attention_features_differ(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    out = k.AdditiveAttention()([q, v])
    k.Model([q, v], out)


@case(
    """
x = input(6, 8)
out = [x, x] -> multiheadattention(2, 4)
"""
)
def mha_self_attention(k: Builder) -> None:
    x = k.Input(shape=(6, 8))
    out = k.MultiHeadAttention(2, 4)(x, x)
    k.Model(x, out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
key = input(6, 3)
out = [q, v, key] -> multiheadattention(num_heads=2, key_dim=4)
"""
)
def mha_with_key(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    key = k.Input(shape=(6, 3))
    out = k.MultiHeadAttention(num_heads=2, key_dim=4)(q, v, key)
    k.Model([q, v, key], out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
out, scores = [q, v] -> multiheadattention(3, 2, return_attention_scores=true)
model(inputs=[q, v], outputs=[out, scores])
""",
    keras_bug="MultiHeadAttention.compute_output_spec declares the scores (batch, heads, Tq, Tq) "
    "(keras/src/layers/attention/multi_head_attention.py, `length = query.shape[1]`); they "
    "are (batch, heads, Tq, Tv)",
)
def mha_scores(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    out, scores = k.MultiHeadAttention(3, 2)(q, v, return_attention_scores=True)
    k.Model([q, v], [out, scores])


@case(
    """
x = input(6, 8)
out = [x, x] -> multiheadattention(2, 4, use_causal_mask=true) -> lstm(3)
"""
)
def mha_causal(k: Builder) -> None:
    x = k.Input(shape=(6, 8))
    a = k.MultiHeadAttention(2, 4)(x, x, use_causal_mask=True)
    out = k.LSTM(3)(a)
    k.Model(x, out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
out = [q, v] -> multiheadattention(2, 4, value_dim=3, output_shape=5, use_bias=false)
"""
)
def mha_value_dim_output_shape(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    out = k.MultiHeadAttention(2, 4, value_dim=3, output_shape=5, use_bias=False)(q, v)
    k.Model([q, v], out)


@case(
    """
q = input(4, 8)
v = input(6, 5)
key = input(7, 5)
out = [q, v, key] -> multiheadattention(2, 4)
""",
    code="E212",
)
def mha_value_key_lengths_differ(k: Builder) -> None:
    q = k.Input(shape=(4, 8))
    v = k.Input(shape=(6, 5))
    key = k.Input(shape=(7, 5))
    out = k.MultiHeadAttention(2, 4)(q, v, key)
    k.Model([q, v, key], out)


@case(
    """
q = input(8)
v = input(8)
out = [q, v] -> multiheadattention(2, 4)
""",
    code="E203",
)
def mha_on_vectors(k: Builder) -> None:
    q = k.Input(shape=(8,))
    v = k.Input(shape=(8,))
    out = k.MultiHeadAttention(2, 4)(q, v)
    k.Model([q, v], out)


# -- masks through merges (two embeddings with mask_zero)


def _masked_pair(k: Builder) -> tuple[Any, Any, Any, Any]:
    a = k.Input(shape=(None,), dtype="int32")
    ea = k.Embedding(10, 4, mask_zero=True)(a)
    b = k.Input(shape=(None,), dtype="int32")
    eb = k.Embedding(10, 4, mask_zero=True)(b)
    return a, ea, b, eb


_MASKED_PAIR = """
a = input(none, dtype="int32")
ea = a -> embedding(10, 4, mask_zero)
b = input(none, dtype="int32")
eb = b -> embedding(10, 4, mask_zero)
"""


@case(_MASKED_PAIR + "out = [ea, eb] -> add() -> lstm(3)\n")
def masks_add_both_masked(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.Add()([ea, eb])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(_MASKED_PAIR + "out = [ea, eb] -> maximum() -> gru(3)\n")
def masks_maximum_both_masked(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.Maximum()([ea, eb])
    out = k.GRU(3)(m)
    k.Model([a, b], out)


@case(_MASKED_PAIR + "out = [ea, eb] -> concatenate() -> lstm(3)\n")
def masks_concatenate_both_masked(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.Concatenate()([ea, eb])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(
    _MASKED_PAIR + "c = [ea, eb] -> concatenate()\n"
    "d = [c, eb] -> concatenate()\n"
    "out = [d, ea] -> concatenate() -> lstm(3)\n"
)
def masks_concatenate_names_move_on(k: Builder) -> None:
    """Each masked Concatenate makes an operation named as Concatenate layers are: the
    layers are `concatenate`, `concatenate_2` and `concatenate_4`."""
    a, ea, b, eb = _masked_pair(k)
    c = k.Concatenate()([ea, eb])
    d = k.Concatenate()([c, eb])
    m = k.Concatenate()([d, ea])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(
    _MASKED_PAIR + "c = [ea, eb] -> concatenate()\n"
    "d = [c, eb] -> concatenate()\n"
    'out = d -> lstm(3, name="concatenate_2")\n'
)
def masks_concatenate_name_taken_by_hand(k: Builder) -> None:
    """`concatenate_2` is the name Keras gives the second masked Concatenate (the first
    one's mask operation took `concatenate_1`), so a layer named so by hand clashes."""
    a, ea, b, eb = _masked_pair(k)
    c = k.Concatenate()([ea, eb])
    d = k.Concatenate()([c, eb])
    out = k.LSTM(3, name="concatenate_2")(d)
    k.Model([a, b], out)


@case(
    _MASKED_PAIR + "cat = concatenate()\n"
    "c = [ea, eb] -> cat\n"
    "d = [eb, ea] -> cat\n"
    "out = [c, d] -> concatenate() -> lstm(3)\n"
)
def masks_shared_concatenate_names_move_on(k: Builder) -> None:
    """A shared Concatenate makes its mask's operation at each call: the next layer is
    `concatenate_3`."""
    a, ea, b, eb = _masked_pair(k)
    cat = k.define(k.Concatenate())
    c = cat([ea, eb])
    d = cat([eb, ea])
    m = k.Concatenate()([c, d])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(_MASKED_PAIR + "out = [ea, eb] -> attention() -> lstm(3)\n")
def masks_attention_both_masked(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.Attention()([ea, eb])
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(_MASKED_PAIR + "out = [ea, eb] -> multiheadattention(2, 2) -> lstm(3)\n")
def masks_mha_both_masked(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.MultiHeadAttention(2, 2)(ea, eb)
    out = k.LSTM(3)(m)
    k.Model([a, b], out)


@case(_MASKED_PAIR + "out = [ea, eb] -> subtract() -> conv1d(3, 2)\n")
def masks_subtract_into_conv(k: Builder) -> None:
    a, ea, b, eb = _masked_pair(k)
    m = k.Subtract()([ea, eb])
    out = k.Conv1D(3, 2)(m)
    k.Model([a, b], out)


_HALF_MASKED = """
a = input(none, dtype="int32")
ea = a -> embedding(10, 4, mask_zero)
b = input(none, 4)
"""


def _half_masked(k: Builder) -> tuple[Any, Any, Any]:
    a = k.Input(shape=(None,), dtype="int32")
    ea = k.Embedding(10, 4, mask_zero=True)(a)
    b = k.Input(shape=(None, 4))
    return a, ea, b


@case(_HALF_MASKED + "out = [ea, b] -> concatenate() -> conv1d(3, 2)\n")
def masks_concatenate_one_masked(k: Builder) -> None:
    a, ea, b = _half_masked(k)
    m = k.Concatenate()([ea, b])
    out = k.Conv1D(3, 2)(m)
    k.Model([a, b], out)


@case(_HALF_MASKED + "out = [ea, b] -> add() -> conv1d(3, 2)\n")
def masks_add_one_masked(k: Builder) -> None:
    a, ea, b = _half_masked(k)
    m = k.Add()([ea, b])
    out = k.Conv1D(3, 2)(m)
    k.Model([a, b], out)


@case(_HALF_MASKED + "out = [b, ea] -> attention() -> conv1d(3, 2)\n")
def masks_attention_value_masked(k: Builder) -> None:
    a, ea, b = _half_masked(k)
    m = k.Attention()([b, ea])
    out = k.Conv1D(3, 2)(m)
    k.Model([a, b], out)


@case(
    """
a = input(5, dtype="int32")
ea = a -> embedding(10, 4, mask_zero)
b = input(5, dtype="int32")
eb = b -> embedding(10, 4, mask_zero)
out = [ea, eb] -> dot(axes=2) -> lstm(3)
"""
)
def masks_dot(k: Builder) -> None:
    a = k.Input(shape=(5,), dtype="int32")
    ea = k.Embedding(10, 4, mask_zero=True)(a)
    b = k.Input(shape=(5,), dtype="int32")
    eb = k.Embedding(10, 4, mask_zero=True)(b)
    d = k.Dot(axes=2)([ea, eb])
    out = k.LSTM(3)(d)
    k.Model([a, b], out)


# -- unpacking and indexing a layer's several outputs


@case(
    """
x = input(10, 3)
out, h = x -> lstm(8, state)
""",
    code="E127",
)
def unpack_too_few_names(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    out, h = k.LSTM(8, return_state=True)(x)
    k.Model(x, out)


@case(
    """
x = input(10, 3)
out, h = x -> lstm(8)
""",
    code="E127",
)
def unpack_a_single_tensor(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    out, h = k.LSTM(8)(x)
    k.Model(x, out)


@case(
    """
x = input(10, 3)
s = x -> lstm(8, state)
y = s[3] -> dense(1)
""",
    code="E128",
)
def index_past_the_states(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    s = k.LSTM(8, return_state=True)(x)
    y = k.Dense(1)(s[3])
    k.Model(x, y)


@case(
    """
x = input(10, 3)
s = x -> lstm(8, state)
y = s[-1] -> dense(1)
model(inputs=x, outputs=y)
"""
)
def index_negative_picks_the_cell_state(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    s = k.LSTM(8, return_state=True)(x)
    y = k.Dense(1)(s[-1])
    k.Model(x, y)


@case(
    """
x = input(10, 3)
s = x -> lstm(8, state)
y = s -> dense(1)
""",
    code="E202",
)
def states_used_as_one_tensor(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    s = k.LSTM(8, return_state=True)(x)
    y = k.Dense(1)(s)
    k.Model(x, y)


@case(
    """
x = input(10, 3)
meta = input(8)
s = x -> lstm(8, state)
y = [s, meta] -> concatenate()
""",
    code="E202",
)
def states_used_as_one_tensor_in_a_merge(k: Builder) -> None:
    x = k.Input(shape=(10, 3))
    meta = k.Input(shape=(8,))
    s = k.LSTM(8, return_state=True)(x)
    y = k.Concatenate()([s, meta])
    k.Model([x, meta], y)


# -- the model's inputs and outputs


@case(
    """
a = input(5, 4)
b = input(3)
out = a -> dense(2)
model(inputs=[a, b], outputs=out)
"""
)
def unused_input_listed(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(3,))
    out = k.Dense(2)(a)
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
b = input(3)
out = a -> lstm(2)
"""
)
def unused_input_by_default(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(3,))
    out = k.LSTM(2)(a)
    k.Model([a, b], out)


@case(
    """
a = input(5, 4)
out = a -> lstm(2)
side = a -> dense(3)
model(inputs=a, outputs=out)
"""
)
def branch_left_out_of_the_outputs(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    out = k.LSTM(2)(a)
    k.Dense(3)(a)
    k.Model(a, out)


@case(
    """
a = input(5, 4)
b = input(5, 4)
out = [a, b] -> add() -> lstm(2)
model(inputs=a, outputs=out)
""",
    code="E129",
)
def model_input_missing(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    b = k.Input(shape=(5, 4))
    m = k.Add()([a, b])
    out = k.LSTM(2)(m)
    k.Model(a, out)


@case(
    """
x = input(5, 4)
y = x -> dense(3)
z = y -> dense(2)
model(inputs=[y], outputs=z)
""",
    stricter="Keras 3 takes an inner tensor as a model input (functional.py clones it into "
    "a new InputLayer); the checker asks for `input(...)` tensors",
    code="E129",
)
def model_input_from_a_layer(k: Builder) -> None:
    x = k.Input(shape=(5, 4))
    y = k.Dense(3)(x)
    z = k.Dense(2)(y)
    k.Model(y, z)


@case(
    """
x = input(5, 4)
y = x -> lstm(2)
model(inputs=x, outputs=[x, y])
"""
)
def model_outputs_its_input(k: Builder) -> None:
    x = k.Input(shape=(5, 4))
    y = k.LSTM(2)(x)
    k.Model(x, [x, y])


@case(
    """
a = input(5, 4)
b = input(3)
out = a -> dense(2)
model(inputs=a, outputs=out)
"""
)
def unused_input_not_listed(k: Builder) -> None:
    a = k.Input(shape=(5, 4))
    k.Input(shape=(3,))
    out = k.Dense(2)(a)
    k.Model(a, out)


@case(
    """
x = input(5, 3)
x -> lstm(4)
"""
)
def bare_flow_is_the_output(k: Builder) -> None:
    x = k.Input(shape=(5, 3))
    out = k.LSTM(4)(x)
    k.Model(x, out)


@case(
    """
y = input(5, 3) -> lstm(4)
z = input(2) -> dense(4)
out = [y, z] -> multiply()
"""
)
def inputs_inside_flows(k: Builder) -> None:
    x = k.Input(shape=(5, 3))
    y = k.LSTM(4)(x)
    m = k.Input(shape=(2,))
    z = k.Dense(4)(m)
    out = k.Multiply()([y, z])
    k.Model([x, m], out)


@case(
    """
enc_in = input(none, dtype="int32")
_, h, c = enc_in -> embedding(20, 6, mask_zero) -> lstm(8, state)
dec_in = input(none, dtype="int32")
dec = dec_in -> embedding(30, 6, mask_zero) -> lstm(8, seq, initial_state=[h, c])
out = dec -> conv1d(4, 2)
"""
)
def seq2seq_masked_decoder_into_conv(k: Builder) -> None:
    enc_in = k.Input(shape=(None,), dtype="int32")
    e = k.Embedding(20, 6, mask_zero=True)(enc_in)
    _, h, c = k.LSTM(8, return_state=True)(e)
    dec_in = k.Input(shape=(None,), dtype="int32")
    d = k.Embedding(30, 6, mask_zero=True)(dec_in)
    dec = k.LSTM(8, return_sequences=True)(d, initial_state=[h, c])
    out = k.Conv1D(4, 2)(dec)
    k.Model([enc_in, dec_in], out)


@case(
    """
x = input(none, dtype="int32")
e = x -> embedding(20, 6, mask_zero)
seq = e -> lstm(8, seq)
out = seq -> conv1d(4, 2)
"""
)
def masked_sequence_into_conv(k: Builder) -> None:
    x = k.Input(shape=(None,), dtype="int32")
    e = k.Embedding(20, 6, mask_zero=True)(x)
    seq = k.LSTM(8, return_sequences=True)(e)
    out = k.Conv1D(4, 2)(seq)
    k.Model(x, out)
