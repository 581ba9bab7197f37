"""Parity cases for the non-recurrent layers: embedding, masking, noise, convolution, pooling,
reshaping and normalization, alone and around the recurrent layers.

Every case's Keras verdict (builds, or fails at which stage) has been checked against
Keras 3; the cases join `CASES` in `tests/parity/corpus.py`.
"""

from __future__ import annotations

from .harness import Case

CLAMPED_DROPOUT = "Keras silently clamps LSTM dropout=1.5 to 1.0"
RATE_ONE = "SpatialDropout1D(rate=1.0) is accepted by Keras but drops every channel"
NOISE_LIST = (
    "Keras builds GaussianNoise over several tensors, but the model fails when called in"
    " training mode"
)

# Shorthand for the input kwargs used most often.
S20_3 = {"shape": (20, 3)}
S20_8 = {"shape": (20, 8)}
SNONE_3 = {"shape": (None, 3)}
I50 = {"shape": (50,), "dtype": "int32"}
INONE = {"shape": (None,), "dtype": "int32"}

CASES_LAYERS: list[Case] = [
    # -- embedding: integer ids in, one vector per id out
    Case(
        "embedding_short",
        'input(50, dtype="int32") -> embedding(1000, 16)',
        I50,
        lambda L: [L.Embedding(1000, 16)],
    ),
    Case(
        "embedding_long",
        'input(50, dtype="int32") -> embedding(input_dim=1000, output_dim=16, mask_zero=true)'
        " -> lstm(8)",
        I50,
        lambda L: [L.Embedding(input_dim=1000, output_dim=16, mask_zero=True), L.LSTM(8)],
    ),
    Case(
        "embedding_mask_zero_bare",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> bilstm(8) -> dense(1)',
        I50,
        lambda L: [
            L.Embedding(1000, 16, mask_zero=True),
            L.Bidirectional(L.LSTM(8)),
            L.Dense(1),
        ],
    ),
    Case(
        "embedding_variable_time",
        'input(none, dtype="int32") -> embedding(500, 8) -> gru(4)',
        INONE,
        lambda L: [L.Embedding(500, 8), L.GRU(4)],
    ),
    Case(
        # a sequence of words, each a sequence of characters: embedding adds an axis
        "embedding_on_2d_ids_then_td_lstm",
        'input(20, 5, dtype="int32") -> embedding(100, 8) : (20, 5, 8) -> td(lstm(4)) -> lstm(4)',
        {"shape": (20, 5), "dtype": "int32"},
        lambda L: [L.Embedding(100, 8), L.TimeDistributed(L.LSTM(4)), L.LSTM(4)],
    ),
    Case(
        # Keras casts float ids to int32 inside Embedding; `keras.Input` defaults to float32,
        # so this is how most tutorials write it
        "embedding_on_float_input",
        "input(50) -> embedding(1000, 16) -> lstm(8)",
        {"shape": (50,)},
        lambda L: [L.Embedding(1000, 16), L.LSTM(8)],
    ),
    # -- masking
    Case(
        "masking_short",
        "input(20, 3) -> masking() -> lstm(8)",
        S20_3,
        lambda L: [L.Masking(), L.LSTM(8)],
    ),
    Case(
        "masking_positional_value",
        "input(20, 3) -> masking(0.0) -> bigru(8, sum) -> dense(1)",
        S20_3,
        lambda L: [L.Masking(0.0), L.Bidirectional(L.GRU(8), merge_mode="sum"), L.Dense(1)],
    ),
    Case(
        "masking_long_variable_time",
        "input(none, 3) -> masking(mask_value=-1.0) -> lstm(8, seq) -> td(dense(1))",
        SNONE_3,
        lambda L: [
            L.Masking(mask_value=-1.0),
            L.LSTM(8, return_sequences=True),
            L.TimeDistributed(L.Dense(1)),
        ],
    ),
    # -- spatialdropout1d: drops whole channels of a sequence
    Case(
        "spatialdropout1d_short",
        "input(20, 3) -> spatialdropout1d(0.2) -> lstm(8)",
        S20_3,
        lambda L: [L.SpatialDropout1D(0.2), L.LSTM(8)],
    ),
    Case(
        "spatialdropout1d_long",
        "input(none, 3) -> lstm(16, seq) -> spatialdropout1d(rate=0.3) -> lstm(4)",
        SNONE_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.SpatialDropout1D(rate=0.3), L.LSTM(4)],
    ),
    # -- repeatvector: one vector to a sequence of copies
    Case(
        "repeatvector_short",
        "input(20, 3) -> lstm(8) -> repeatvector(5) -> lstm(4, seq)",
        S20_3,
        lambda L: [L.LSTM(8), L.RepeatVector(5), L.LSTM(4, return_sequences=True)],
    ),
    Case(
        "repeatvector_long",
        "input(20, 3) -> bilstm(8) -> repeatvector(n=10) : (10, 16) -> td(dense(2))",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8)), L.RepeatVector(n=10), L.TimeDistributed(L.Dense(2))],
    ),
    # -- gaussiannoise
    Case(
        "gaussiannoise_short",
        "input(20, 3) -> gaussiannoise(0.1) -> lstm(8)",
        S20_3,
        lambda L: [L.GaussianNoise(0.1), L.LSTM(8)],
    ),
    Case(
        "gaussiannoise_long",
        "input(none, 3) -> gaussiannoise(stddev=0.05) -> gru(8) -> gaussiannoise(0.0) -> dense(1)",
        SNONE_3,
        lambda L: [L.GaussianNoise(stddev=0.05), L.GRU(8), L.GaussianNoise(0.0), L.Dense(1)],
    ),
    # -- conv1d: output length (T - dilation*(k-1) - 1) // strides + 1 with padding=valid,
    # (T - 1) // strides + 1 with same or causal
    Case(
        "conv1d_short",
        "input(20, 3) -> conv1d(16, 3) -> lstm(8)",
        S20_3,
        lambda L: [L.Conv1D(16, 3), L.LSTM(8)],
    ),
    Case(
        "conv1d_long",
        "input(20, 3) -> conv1d(filters=16, kernel_size=5, padding=same, activation=relu)"
        " : (20, 16)",
        S20_3,
        lambda L: [L.Conv1D(filters=16, kernel_size=5, padding="same", activation="relu")],
    ),
    Case(
        "conv1d_padding_valid",
        "input(20, 3) -> conv1d(8, 5, padding=valid) : (16, 8)",
        S20_3,
        lambda L: [L.Conv1D(8, 5, padding="valid")],
    ),
    Case(
        "conv1d_padding_causal",
        "input(20, 3) -> conv1d(8, 5, padding=causal) : (20, 8) -> gru(4)",
        S20_3,
        lambda L: [L.Conv1D(8, 5, padding="causal"), L.GRU(4)],
    ),
    Case(
        "conv1d_positional_strides_padding",
        "input(20, 3) -> conv1d(8, 3, 1, same)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, 1, "same")],
    ),
    Case(
        "conv1d_strides_valid",
        "input(20, 3) -> conv1d(8, 3, strides=2) : (9, 8)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, strides=2)],
    ),
    Case(
        "conv1d_strides_same",
        "input(20, 3) -> conv1d(8, 4, strides=3, padding=same) : (7, 8)",
        S20_3,
        lambda L: [L.Conv1D(8, 4, strides=3, padding="same")],
    ),
    Case(
        "conv1d_strides_causal",
        "input(21, 3) -> conv1d(8, 4, strides=2, padding=causal) : (11, 8)",
        {"shape": (21, 3)},
        lambda L: [L.Conv1D(8, 4, strides=2, padding="causal")],
    ),
    Case(
        "conv1d_dilation_valid",
        "input(20, 3) -> conv1d(8, 3, dilation_rate=4) : (12, 8) -> lstm(4)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, dilation_rate=4), L.LSTM(4)],
    ),
    Case(
        "conv1d_dilation_same_tuples",
        "input(20, 3) -> conv1d(8, kernel_size=(3,), dilation_rate=(2,), padding=same)",
        S20_3,
        lambda L: [L.Conv1D(8, kernel_size=(3,), dilation_rate=(2,), padding="same")],
    ),
    Case(
        "conv1d_groups",
        "input(20, 8) -> conv1d(16, 3, groups=4) -> lstm(4)",
        S20_8,
        lambda L: [L.Conv1D(16, 3, groups=4), L.LSTM(4)],
    ),
    Case(
        "conv1d_no_bias",
        "input(20, 8) -> conv1d(4, 1, use_bias=false)",
        S20_8,
        lambda L: [L.Conv1D(4, 1, use_bias=False)],
    ),
    Case(
        # channels_first reads (channels, steps): 8 channels of 20 steps -> (16 filters, 18)
        "conv1d_channels_first",
        "input(8, 20) -> conv1d(16, 3, data_format=channels_first) : (16, 18)",
        {"shape": (8, 20)},
        lambda L: [L.Conv1D(16, 3, data_format="channels_first")],
    ),
    Case(
        "conv1d_variable_time",
        "input(none, 3) -> conv1d(8, 3) : (none, 8) -> conv1d(8, 3, strides=2) -> lstm(4)",
        SNONE_3,
        lambda L: [L.Conv1D(8, 3), L.Conv1D(8, 3, strides=2), L.LSTM(4)],
    ),
    Case(
        # a kernel exactly as long as the sequence leaves one step
        "conv1d_kernel_equals_time",
        "input(5, 3) -> conv1d(4, 5) : (1, 4)",
        {"shape": (5, 3)},
        lambda L: [L.Conv1D(4, 5)],
    ),
    Case(
        # with padding=same (or causal) a kernel longer than the sequence is fine
        "conv1d_kernel_longer_than_time_same",
        "input(5, 3) -> conv1d(4, 9, padding=same) : (5, 4) -> conv1d(4, 9, padding=causal)",
        {"shape": (5, 3)},
        lambda L: [L.Conv1D(4, 9, padding="same"), L.Conv1D(4, 9, padding="causal")],
    ),
    Case(
        # Keras lower-cases conv padding, so "SAME" is "same" (pooling does not: see below)
        "conv1d_padding_upper_case",
        'input(20, 3) -> conv1d(8, 3, padding="SAME")',
        S20_3,
        lambda L: [L.Conv1D(8, 3, padding="SAME")],
    ),
    Case(
        # Conv1D does not support masking: Keras warns that it drops the mask, and builds
        "masking_then_conv1d",
        "input(20, 3) -> masking() -> conv1d(8, 3) -> lstm(4)",
        S20_3,
        lambda L: [L.Masking(), L.Conv1D(8, 3), L.LSTM(4)],
    ),
    # -- pooling: output length (T - pool) // strides + 1 with valid, (T - 1) // strides + 1
    # with same; strides default to pool_size
    Case(
        "maxpooling1d_short",
        "input(20, 3) -> maxpooling1d(2) : (10, 3) -> lstm(4)",
        S20_3,
        lambda L: [L.MaxPooling1D(2), L.LSTM(4)],
    ),
    Case(
        "maxpooling1d_default",
        "input(21, 3) -> maxpooling1d() : (10, 3)",
        {"shape": (21, 3)},
        lambda L: [L.MaxPooling1D()],
    ),
    Case(
        "maxpooling1d_long",
        "input(20, 3) -> maxpooling1d(pool_size=3, strides=1, padding=valid) : (18, 3)",
        S20_3,
        lambda L: [L.MaxPooling1D(pool_size=3, strides=1, padding="valid")],
    ),
    Case(
        "maxpool1d_alias_same",
        "input(21, 3) -> maxpool1d(2, padding=same) : (11, 3)",
        {"shape": (21, 3)},
        lambda L: [L.MaxPooling1D(2, padding="same")],
    ),
    Case(
        "averagepooling1d_short",
        "input(20, 3) -> averagepooling1d(4) : (5, 3)",
        S20_3,
        lambda L: [L.AveragePooling1D(4)],
    ),
    Case(
        "averagepooling1d_positional_strides",
        "input(20, 3) -> averagepooling1d(3, 2) : (9, 3)",
        S20_3,
        lambda L: [L.AveragePooling1D(3, 2)],
    ),
    Case(
        "avgpool1d_alias_same_strides",
        "input(20, 3) -> avgpool1d(3, 2, same) : (10, 3) -> gru(4)",
        S20_3,
        lambda L: [L.AveragePooling1D(3, 2, "same"), L.GRU(4)],
    ),
    Case(
        "pooling_variable_time",
        "input(none, 3) -> maxpooling1d(2) : (none, 3) -> averagepooling1d(3, 1, same) -> lstm(4)",
        SNONE_3,
        lambda L: [L.MaxPooling1D(2), L.AveragePooling1D(3, 1, "same"), L.LSTM(4)],
    ),
    Case(
        "pool_equals_time",
        "input(4, 3) -> maxpooling1d(4) : (1, 3)",
        {"shape": (4, 3)},
        lambda L: [L.MaxPooling1D(4)],
    ),
    Case(
        "pool_longer_than_time_same",
        "input(3, 4) -> maxpooling1d(4, padding=same) : (1, 4)",
        {"shape": (3, 4)},
        lambda L: [L.MaxPooling1D(4, padding="same")],
    ),
    Case(
        # channels_first pools the last axis: (8 channels, 20 steps) -> (8, 10)
        "maxpooling1d_channels_first",
        "input(8, 20) -> maxpooling1d(2, data_format=channels_first) : (8, 10)",
        {"shape": (8, 20)},
        lambda L: [L.MaxPooling1D(2, data_format="channels_first")],
    ),
    # -- global pooling: (batch, steps, channels) -> (batch, channels)
    Case(
        "globalmaxpooling1d_short",
        "input(20, 3) -> lstm(8, seq) -> globalmaxpooling1d() : (8,) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.GlobalMaxPooling1D(), L.Dense(1)],
    ),
    Case(
        "globalaveragepooling1d_keepdims_long",
        "input(20, 3) -> gru(8, seq) -> globalaveragepooling1d(keepdims=true) : (1, 8)",
        S20_3,
        lambda L: [L.GRU(8, return_sequences=True), L.GlobalAveragePooling1D(keepdims=True)],
    ),
    Case(
        "globalmaxpool1d_alias_keepdims",
        "input(20, 3) -> globalmaxpool1d(keepdims=true) -> lstm(4)",
        S20_3,
        lambda L: [L.GlobalMaxPooling1D(keepdims=True), L.LSTM(4)],
    ),
    Case(
        "globalavgpool1d_alias_variable_time",
        "input(none, 3) -> conv1d(8, 3) -> globalavgpool1d() : (8,) -> dense(1)",
        SNONE_3,
        lambda L: [L.Conv1D(8, 3), L.GlobalAveragePooling1D(), L.Dense(1)],
    ),
    Case(
        "globalaveragepooling1d_channels_first",
        "input(8, 20) -> globalaveragepooling1d(data_format=channels_first) : (8,)",
        {"shape": (8, 20)},
        lambda L: [L.GlobalAveragePooling1D(data_format="channels_first")],
    ),
    Case(
        # GlobalAveragePooling1D averages over the unmasked steps only
        "globalaveragepooling1d_with_mask",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> globalaveragepooling1d()'
        " -> dense(1)",
        I50,
        lambda L: [
            L.Embedding(1000, 16, mask_zero=True),
            L.GlobalAveragePooling1D(),
            L.Dense(1),
        ],
    ),
    Case(
        # GlobalMaxPooling1D does not support masking: Keras warns that it drops the mask
        "globalmaxpooling1d_with_mask",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> globalmaxpooling1d()'
        " -> dense(1)",
        I50,
        lambda L: [L.Embedding(1000, 16, mask_zero=True), L.GlobalMaxPooling1D(), L.Dense(1)],
    ),
    # -- flatten and reshape
    Case(
        "flatten_fixed_time_then_dense",
        "input(20, 3) -> lstm(8, seq) -> flatten() : (160,) -> dense(1)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.Flatten(), L.Dense(1)],
    ),
    Case(
        "flatten_4d",
        "input(5, 4, 3) -> flatten() : (60,)",
        {"shape": (5, 4, 3)},
        lambda L: [L.Flatten()],
    ),
    Case(
        # Flatten of a 2-D tensor changes nothing
        "flatten_2d_is_identity",
        "input(20, 3) -> lstm(8) -> flatten() : (8,)",
        S20_3,
        lambda L: [L.LSTM(8), L.Flatten()],
    ),
    Case(
        # Flatten over a variable time axis builds, with an unknown size (see the invalid
        # case flatten_variable_time_then_dense)
        "flatten_variable_time_alone",
        "input(none, 3) -> flatten() : (none,)",
        SNONE_3,
        lambda L: [L.Flatten()],
    ),
    Case(
        # Flatten does not support masking: Keras warns that it drops the mask, and builds
        "flatten_drops_mask",
        'input(50, dtype="int32") -> embedding(1000, 8, mask_zero) -> flatten() -> dense(1)',
        I50,
        lambda L: [L.Embedding(1000, 8, mask_zero=True), L.Flatten(), L.Dense(1)],
    ),
    Case(
        "reshape_short",
        "input(40) -> reshape((10, 4)) : (10, 4) -> lstm(8)",
        {"shape": (40,)},
        lambda L: [L.Reshape((10, 4)), L.LSTM(8)],
    ),
    Case(
        "reshape_minus_one",
        "input(20, 4) -> reshape((-1, 8)) : (10, 8) -> lstm(4)",
        {"shape": (20, 4)},
        lambda L: [L.Reshape((-1, 8)), L.LSTM(4)],
    ),
    Case(
        "reshape_long_to_4d",
        "input(60, 3) -> reshape(target_shape=(6, 10, 3)) -> td(lstm(4)) -> lstm(2)",
        {"shape": (60, 3)},
        lambda L: [L.Reshape(target_shape=(6, 10, 3)), L.TimeDistributed(L.LSTM(4)), L.LSTM(2)],
    ),
    Case(
        "reshape_minus_one_alone_flattens",
        "input(20, 3) -> reshape((-1,)) : (60,) -> dense(2)",
        S20_3,
        lambda L: [L.Reshape((-1,)), L.Dense(2)],
    ),
    Case(
        # with an unknown input size Keras cannot resolve -1 and leaves it unknown
        "reshape_minus_one_variable_time",
        "input(none, 4) -> reshape((-1, 2)) : (none, 2) -> lstm(3)",
        {"shape": (None, 4)},
        lambda L: [L.Reshape((-1, 2)), L.LSTM(3)],
    ),
    # -- normalization (BatchNormalization's moving mean and variance are non-trainable)
    Case(
        "layernormalization_after_lstm",
        "input(20, 3) -> lstm(16, seq) -> layernormalization() -> lstm(8)",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.LayerNormalization(), L.LSTM(8)],
    ),
    Case(
        "layernormalization_long_after_conv1d",
        "input(none, 3) -> conv1d(8, 3, padding=causal)"
        " -> layernormalization(axis=-1, epsilon=1e-6) -> gru(4)",
        SNONE_3,
        lambda L: [
            L.Conv1D(8, 3, padding="causal"),
            L.LayerNormalization(axis=-1, epsilon=1e-6),
            L.GRU(4),
        ],
    ),
    Case(
        "layernormalization_no_center",
        "input(20, 3) -> bilstm(8) -> layernormalization(center=false) -> dense(1)",
        S20_3,
        lambda L: [L.Bidirectional(L.LSTM(8)), L.LayerNormalization(center=False), L.Dense(1)],
    ),
    Case(
        "batchnormalization_after_lstm",
        "input(20, 3) -> lstm(16, seq) -> batchnormalization() -> lstm(8)",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.BatchNormalization(), L.LSTM(8)],
    ),
    Case(
        "batchnormalization_long_after_conv1d",
        "input(20, 3) -> conv1d(8, 3) -> batchnormalization(momentum=0.9, epsilon=1e-5)"
        " -> activation(relu) -> lstm(4)",
        S20_3,
        lambda L: [
            L.Conv1D(8, 3),
            L.BatchNormalization(momentum=0.9, epsilon=1e-5),
            L.Activation("relu"),
            L.LSTM(4),
        ],
    ),
    Case(
        "batchnormalization_2d_no_scale",
        "input(20, 3) -> gru(8) -> batchnormalization(scale=false) -> dense(1)",
        S20_3,
        lambda L: [L.GRU(8), L.BatchNormalization(scale=False), L.Dense(1)],
    ),
    Case(
        "batchnormalization_variable_time",
        "input(none, 3) -> batchnormalization() -> lstm(4)",
        SNONE_3,
        lambda L: [L.BatchNormalization(), L.LSTM(4)],
    ),
    Case(
        # LayerNormalization over the time axis: one gamma and beta per step (2 x 20)
        "layernormalization_axis_time",
        "input(20, 3) -> lstm(16, seq) -> layernormalization(axis=1)",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.LayerNormalization(axis=1)],
    ),
    Case(
        # a tuple of axes: gamma and beta of shape (20, 16)
        "layernormalization_axis_tuple",
        "input(20, 3) -> lstm(16, seq) -> layernormalization(axis=(1, 2)) -> lstm(4)",
        S20_3,
        lambda L: [
            L.LSTM(16, return_sequences=True),
            L.LayerNormalization(axis=(1, 2)),
            L.LSTM(4),
        ],
    ),
    Case(
        # BatchNormalization over the time axis: 4 x 20 weights, 2 x 20 non-trainable
        "batchnormalization_axis_time",
        "input(20, 3) -> lstm(16, seq) -> batchnormalization(axis=1)",
        S20_3,
        lambda L: [L.LSTM(16, return_sequences=True), L.BatchNormalization(axis=1)],
    ),
    # -- a variable time axis through every layer that allows it
    Case(
        "variable_time_through_everything",
        'input(none, dtype="int32")\n'
        "  -> embedding(1000, 16, mask_zero)\n"
        "  -> spatialdropout1d(0.1)\n"
        "  -> gaussiannoise(0.1)\n"
        "  -> layernormalization()\n"
        "  -> batchnormalization()\n"
        "  -> bilstm(8, seq)          : (none, 16)\n"
        "  -> td(dense(8))\n"
        "  -> dense(8)\n"
        "  -> conv1d(8, 3, padding=same)\n"
        "  -> maxpooling1d(2)\n"
        "  -> averagepooling1d(2, padding=same)\n"
        "  -> masking()\n"
        "  -> gru(4, seq)\n"
        "  -> globalaveragepooling1d() : (4,)\n",
        INONE,
        lambda L: [
            L.Embedding(1000, 16, mask_zero=True),
            L.SpatialDropout1D(0.1),
            L.GaussianNoise(0.1),
            L.LayerNormalization(),
            L.BatchNormalization(),
            L.Bidirectional(L.LSTM(8, return_sequences=True)),
            L.TimeDistributed(L.Dense(8)),
            L.Dense(8),
            L.Conv1D(8, 3, padding="same"),
            L.MaxPooling1D(2),
            L.AveragePooling1D(2, padding="same"),
            L.Masking(),
            L.GRU(4, return_sequences=True),
            L.GlobalAveragePooling1D(),
        ],
    ),
    # -- timedistributed around the new layers, over a sequence of sequences
    Case(
        "td_conv1d_td_globalmaxpool_on_4d",
        "input(5, 20, 3) -> td(conv1d(8, 3)) : (5, 18, 8) -> td(globalmaxpooling1d()) -> lstm(4)",
        {"shape": (5, 20, 3)},
        lambda L: [
            L.TimeDistributed(L.Conv1D(8, 3)),
            L.TimeDistributed(L.GlobalMaxPooling1D()),
            L.LSTM(4),
        ],
    ),
    # -- channels_first: (channels, steps) in, (filters, steps) out
    Case(
        "conv1d_channels_first_groups_strides_then_lstm",
        "input(8, 21)\n"
        "  -> conv1d(4, 3, strides=2, padding=same, groups=2, data_format=channels_first)"
        " : (4, 11)\n"
        "  -> lstm(2)\n",
        {"shape": (8, 21)},
        lambda L: [
            L.Conv1D(4, 3, strides=2, padding="same", groups=2, data_format="channels_first"),
            L.LSTM(2),
        ],
    ),
    Case(
        "averagepooling1d_channels_first_same",
        "input(8, 21) -> averagepooling1d(2, padding=same, data_format=channels_first) : (8, 11)",
        {"shape": (8, 21)},
        lambda L: [L.AveragePooling1D(2, padding="same", data_format="channels_first")],
    ),
    Case(
        "globalmaxpooling1d_channels_first_keepdims",
        "input(8, 20) -> globalmaxpooling1d(data_format=channels_first, keepdims=true) : (8, 1)",
        {"shape": (8, 20)},
        lambda L: [L.GlobalMaxPooling1D(data_format="channels_first", keepdims=True)],
    ),
    # -- more conv1d and pooling arithmetic
    Case(
        "conv1d_strides_longer_than_kernel",
        "input(20, 3) -> conv1d(4, 2, strides=5) : (4, 4)",
        S20_3,
        lambda L: [L.Conv1D(4, 2, strides=5)],
    ),
    Case(
        # causal padding pads dilation*(k-1) steps on the left, so any kernel fits
        "conv1d_causal_dilated_kernel_longer_than_time",
        "input(5, 3) -> conv1d(4, 3, padding=causal, dilation_rate=4) : (5, 4)",
        {"shape": (5, 3)},
        lambda L: [L.Conv1D(4, 3, padding="causal", dilation_rate=4)],
    ),
    Case(
        # MaxPooling1D does not support masking: Keras warns that it drops the mask
        "maxpooling1d_drops_mask",
        'input(50, dtype="int32") -> embedding(1000, 8, mask_zero) -> maxpooling1d(2) -> lstm(4)',
        I50,
        lambda L: [L.Embedding(1000, 8, mask_zero=True), L.MaxPooling1D(2), L.LSTM(4)],
    ),
    Case(
        "td_spatialdropout1d_on_4d",
        "input(5, 20, 3) -> td(spatialdropout1d(0.1)) -> td(gru(4)) -> gru(2)",
        {"shape": (5, 20, 3)},
        lambda L: [
            L.TimeDistributed(L.SpatialDropout1D(0.1)),
            L.TimeDistributed(L.GRU(4)),
            L.GRU(2),
        ],
    ),
    Case(
        # a fixed batch size shows in every shape, through every new layer
        "fixed_batch_through_new_layers",
        'input(none, dtype="int32", batch_size=4)\n'
        "  -> embedding(10, 4)\n"
        "  -> conv1d(2, 3)\n"
        "  -> globalmaxpooling1d()\n"
        "  -> repeatvector(3)\n"
        "  -> flatten()\n"
        "  -> reshape((2, 3))\n"
        "  -> lstm(2, stateful)\n",
        {"shape": (None,), "dtype": "int32", "batch_size": 4},
        lambda L: [
            L.Embedding(10, 4),
            L.Conv1D(2, 3),
            L.GlobalMaxPooling1D(),
            L.RepeatVector(3),
            L.Flatten(),
            L.Reshape((2, 3)),
            L.LSTM(2, stateful=True),
        ],
    ),
    # -- realistic architectures
    Case(
        "arch_imdb_classifier",
        "# IMDB-style sentiment classifier: 200 token ids -> P(positive)\n"
        'input(200, dtype="int32")\n'
        "  -> embedding(20000, 128)     : (200, 128)   # 20k-word vocabulary\n"
        "  -> bilstm(64, seq)           : (200, 128)   # both directions, every step\n"
        "  -> bilstm(64)                : (128,)       # last step of each direction\n"
        "  -> dense(1, sigmoid)\n",
        {"shape": (200,), "dtype": "int32"},
        lambda L: [
            L.Embedding(20000, 128),
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.Bidirectional(L.LSTM(64)),
            L.Dense(1, "sigmoid"),
        ],
    ),
    Case(
        "arch_sequence_tagger",
        "# part-of-speech tagger: sentences padded to 60 ids, id 0 is padding (mask_zero)\n"
        'input(60, dtype="int32")\n'
        "  -> embedding(10000, 100, mask_zero)\n"
        "  -> bilstm(128, seq)\n"
        "  -> bilstm(64, seq)\n"
        "  -> td(dense(17, softmax))   : (60, 17)      # one tag distribution per token\n",
        {"shape": (60,), "dtype": "int32"},
        lambda L: [
            L.Embedding(10000, 100, mask_zero=True),
            L.Bidirectional(L.LSTM(128, return_sequences=True)),
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.TimeDistributed(L.Dense(17, "softmax")),
        ],
    ),
    Case(
        "arch_lstm_autoencoder",
        "# LSTM autoencoder: squeeze 30 steps of 4 features into one vector, then unroll it\n"
        "input(30, 4)\n"
        "  -> lstm(64)                  : (64,)        # encoder: the last step only\n"
        "  -> repeatvector(30)          : (30, 64)     # one copy per output step\n"
        "  -> lstm(64, seq)                            # decoder\n"
        "  -> td(dense(4))              : (30, 4)      # reconstruct every step\n",
        {"shape": (30, 4)},
        lambda L: [
            L.LSTM(64),
            L.RepeatVector(30),
            L.LSTM(64, return_sequences=True),
            L.TimeDistributed(L.Dense(4)),
        ],
    ),
    Case(
        "arch_cnn_lstm",
        "# CNN-LSTM activity classifier: 100 steps of 6 sensor channels -> 5 activities\n"
        "input(100, 6)\n"
        "  -> conv1d(32, 5, activation=relu)  : (96, 32)   # local motion features\n"
        "  -> maxpooling1d(2)                 : (48, 32)\n"
        "  -> bilstm(32)\n"
        "  -> dense(5, softmax)\n",
        {"shape": (100, 6)},
        lambda L: [
            L.Conv1D(32, 5, activation="relu"),
            L.MaxPooling1D(2),
            L.Bidirectional(L.LSTM(32)),
            L.Dense(5, "softmax"),
        ],
    ),
    Case(
        "arch_pooled_encoder",
        "# sentence classifier over variable-length sequences of 300-d word vectors\n"
        "input(none, 300)\n"
        "  -> bilstm(64, seq)          : (none, 128)\n"
        "  -> globalmaxpooling1d()     : (128,)        # max over every step\n"
        "  -> dropout(0.5)\n"
        "  -> dense(3, softmax)\n",
        {"shape": (None, 300)},
        lambda L: [
            L.Bidirectional(L.LSTM(64, return_sequences=True)),
            L.GlobalMaxPooling1D(),
            L.Dropout(0.5),
            L.Dense(3, "softmax"),
        ],
    ),
    Case(
        "arch_stateful_forecaster",
        "# stateful forecaster: batches of 32 windows, state carried from batch to batch\n"
        "input(24, 3, batch_size=32)\n"
        "  -> conv1d(16, 3, padding=causal)\n"
        "  -> lstm(50, seq, stateful)\n"
        "  -> lstm(50, stateful)\n"
        "  -> dense(1)\n",
        {"shape": (24, 3), "batch_size": 32},
        lambda L: [
            L.Conv1D(16, 3, padding="causal"),
            L.LSTM(50, return_sequences=True, stateful=True),
            L.LSTM(50, stateful=True),
            L.Dense(1),
        ],
    ),
    Case(
        "arch_gru_forecaster_layernorm",
        "# GRU forecaster: 48 hours of 8 measurements -> the next 24 hours\n"
        "input(48, 8)\n"
        "  -> gru(64, seq)\n"
        "  -> layernormalization()\n"
        "  -> gru(32)\n"
        "  -> layernormalization()\n"
        "  -> dense(24)                 : (24,)\n",
        {"shape": (48, 8)},
        lambda L: [
            L.GRU(64, return_sequences=True),
            L.LayerNormalization(),
            L.GRU(32),
            L.LayerNormalization(),
            L.Dense(24),
        ],
    ),
    Case(
        "arch_seq2seq_spatialdropout",
        "# many-to-many: a label per token for variable-length token sequences\n"
        'input(none, dtype="int32")\n'
        "  -> embedding(5000, 64)\n"
        "  -> spatialdropout1d(0.2)     # drop whole embedding channels\n"
        "  -> bigru(64, seq)\n"
        "  -> td(dense(32, relu))\n"
        "  -> td(dense(9, softmax))     : (none, 9)\n",
        INONE,
        lambda L: [
            L.Embedding(5000, 64),
            L.SpatialDropout1D(0.2),
            L.Bidirectional(L.GRU(64, return_sequences=True)),
            L.TimeDistributed(L.Dense(32, "relu")),
            L.TimeDistributed(L.Dense(9, "softmax")),
        ],
    ),
    Case(
        "arch_cnn_text_classifier",
        "# CNN text classifier: n-gram detectors, max over time\n"
        'input(400, dtype="int32")\n'
        "  -> embedding(20000, 50)\n"
        "  -> dropout(0.2)\n"
        "  -> conv1d(250, 3, padding=valid, activation=relu, strides=1)\n"
        "  -> globalmaxpooling1d()\n"
        "  -> dense(250, relu)\n"
        "  -> dense(1, sigmoid)\n",
        {"shape": (400,), "dtype": "int32"},
        lambda L: [
            L.Embedding(20000, 50),
            L.Dropout(0.2),
            L.Conv1D(250, 3, padding="valid", activation="relu", strides=1),
            L.GlobalMaxPooling1D(),
            L.Dense(250, "relu"),
            L.Dense(1, "sigmoid"),
        ],
    ),
    Case(
        "arch_masked_sensor_bilstm",
        "# padded sensor sequences: steps of all -1 are padding\n"
        "input(none, 12)\n"
        "  -> masking(-1.0)\n"
        "  -> bilstm(32, seq)\n"
        "  -> batchnormalization()\n"
        "  -> bilstm(16, ave)          : (16,)\n"
        "  -> dense(1, sigmoid)\n",
        {"shape": (None, 12)},
        lambda L: [
            L.Masking(-1.0),
            L.Bidirectional(L.LSTM(32, return_sequences=True)),
            L.BatchNormalization(),
            L.Bidirectional(L.LSTM(16), merge_mode="ave"),
            L.Dense(1, "sigmoid"),
        ],
    ),
    Case(
        "arch_dilated_causal_stack",
        "# WaveNet-style dilated causal convolutions under a GRU\n"
        "input(128, 1)\n"
        "  -> conv1d(32, 2, padding=causal, dilation_rate=1)\n"
        "  -> conv1d(32, 2, padding=causal, dilation_rate=2)\n"
        "  -> conv1d(32, 2, padding=causal, dilation_rate=4)\n"
        "  -> conv1d(32, 2, padding=causal, dilation_rate=8)  : (128, 32)\n"
        "  -> gru(32)\n"
        "  -> dense(1)\n",
        {"shape": (128, 1)},
        lambda L: [
            L.Conv1D(32, 2, padding="causal", dilation_rate=1),
            L.Conv1D(32, 2, padding="causal", dilation_rate=2),
            L.Conv1D(32, 2, padding="causal", dilation_rate=4),
            L.Conv1D(32, 2, padding="causal", dilation_rate=8),
            L.GRU(32),
            L.Dense(1),
        ],
    ),
    Case(
        "arch_hierarchical_document",
        "# documents of 10 sentences of 30 word ids: a sentence encoder under a document one\n"
        'input(10, 30, dtype="int32")\n'
        "  -> embedding(20000, 64)      : (10, 30, 64)\n"
        "  -> td(bilstm(32))            : (10, 64)     # one vector per sentence\n"
        "  -> bilstm(32)\n"
        "  -> dense(5, softmax)\n",
        {"shape": (10, 30), "dtype": "int32"},
        lambda L: [
            L.Embedding(20000, 64),
            L.TimeDistributed(L.Bidirectional(L.LSTM(32))),
            L.Bidirectional(L.LSTM(32)),
            L.Dense(5, "softmax"),
        ],
    ),
    # -- surprising, but Keras builds it
    Case(
        "lstm_dropout_above_one_after_embedding",
        'input(50, dtype="int32") -> embedding(1000, 16) -> lstm(8, dropout=1.5)',
        I50,
        lambda L: [L.Embedding(1000, 16), L.LSTM(8, dropout=1.5)],
        stricter=CLAMPED_DROPOUT,
    ),
    Case(
        "spatialdropout1d_rate_one",
        "input(20, 3) -> spatialdropout1d(1.0) -> lstm(4)",
        S20_3,
        lambda L: [L.SpatialDropout1D(1.0), L.LSTM(4)],
        stricter=RATE_ONE,
    ),
    Case(
        "state_then_gaussiannoise",
        "input(20, 3) -> lstm(8, state) -> gaussiannoise(0.1)",
        S20_3,
        lambda L: [L.LSTM(8, return_state=True), L.GaussianNoise(0.1)],
        stricter=NOISE_LIST,
    ),
    # -- invalid: sequences too short for a kernel or a pool
    Case(
        # output length 0: Keras rejects zero as well as negative lengths
        "conv1d_kernel_one_longer_than_time",
        "input(5, 3) -> conv1d(4, 6)",
        {"shape": (5, 3)},
        lambda L: [L.Conv1D(4, 6)],
    ),
    Case(
        "conv1d_kernel_much_longer_than_time",
        "input(5, 3) -> conv1d(4, 9, padding=valid)",
        {"shape": (5, 3)},
        lambda L: [L.Conv1D(4, 9, padding="valid")],
    ),
    Case(
        # dilation 4 stretches a kernel of 4 over 13 steps
        "conv1d_dilated_kernel_longer_than_time",
        "input(10, 3) -> conv1d(4, 4, dilation_rate=4)",
        {"shape": (10, 3)},
        lambda L: [L.Conv1D(4, 4, dilation_rate=4)],
    ),
    Case(
        "arch_cnn_lstm_pooled_too_far",
        "# 16 steps -> conv 12 -> pool 3 -> a kernel of 5 no longer fits\n"
        "input(16, 6)\n"
        "  -> conv1d(32, 5)\n"
        "  -> maxpooling1d(4)\n"
        "  -> conv1d(32, 5)\n"
        "  -> lstm(16)\n",
        {"shape": (16, 6)},
        lambda L: [L.Conv1D(32, 5), L.MaxPooling1D(4), L.Conv1D(32, 5), L.LSTM(16)],
    ),
    Case(
        "maxpooling1d_pool_longer_than_time",
        "input(3, 4) -> maxpooling1d(4)",
        {"shape": (3, 4)},
        lambda L: [L.MaxPooling1D(4)],
    ),
    Case(
        "averagepooling1d_pool_longer_than_time",
        "input(20, 3) -> lstm(8, seq) -> averagepooling1d(pool_size=25, strides=1)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.AveragePooling1D(pool_size=25, strides=1)],
    ),
    Case(
        # channels_first makes 20 the channels and 3 the steps: a kernel of 5 does not fit
        "conv1d_channels_first_wrong_axis",
        "input(20, 3) -> conv1d(4, 5, data_format=channels_first)",
        S20_3,
        lambda L: [L.Conv1D(4, 5, data_format="channels_first")],
    ),
    # -- invalid: wrong rank or unknown size
    Case(
        "flatten_variable_time_then_dense",
        "input(none, 3) -> flatten() -> dense(1)",
        SNONE_3,
        lambda L: [L.Flatten(), L.Dense(1)],
    ),
    Case(
        "repeatvector_on_sequence",
        "input(20, 3) -> lstm(8, seq) -> repeatvector(3)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.RepeatVector(3)],
    ),
    Case(
        "arch_autoencoder_missing_repeatvector",
        "# the decoder needs a sequence: repeatvector(30) is missing\n"
        "input(30, 4)\n"
        "  -> lstm(64)\n"
        "  -> lstm(64, seq)\n"
        "  -> td(dense(4))\n",
        {"shape": (30, 4)},
        lambda L: [L.LSTM(64), L.LSTM(64, return_sequences=True), L.TimeDistributed(L.Dense(4))],
    ),
    Case(
        "conv1d_on_2d_input",
        "input(20) -> conv1d(4, 3)",
        {"shape": (20,)},
        lambda L: [L.Conv1D(4, 3)],
    ),
    Case(
        "conv1d_after_last_step",
        "input(20, 3) -> lstm(8) -> conv1d(4, 3)",
        S20_3,
        lambda L: [L.LSTM(8), L.Conv1D(4, 3)],
    ),
    Case(
        "globalmaxpooling1d_on_2d",
        "input(20, 3) -> lstm(8) -> globalmaxpooling1d()",
        S20_3,
        lambda L: [L.LSTM(8), L.GlobalMaxPooling1D()],
    ),
    Case(
        "globalaveragepooling1d_on_4d",
        "input(5, 20, 3) -> globalaveragepooling1d()",
        {"shape": (5, 20, 3)},
        lambda L: [L.GlobalAveragePooling1D()],
    ),
    Case(
        "maxpooling1d_on_2d",
        "input(20, 3) -> gru(8) -> maxpooling1d(2)",
        S20_3,
        lambda L: [L.GRU(8), L.MaxPooling1D(2)],
    ),
    Case(
        "spatialdropout1d_on_2d",
        "input(20, 3) -> lstm(8) -> spatialdropout1d(0.2)",
        S20_3,
        lambda L: [L.LSTM(8), L.SpatialDropout1D(0.2)],
    ),
    Case(
        "lstm_after_global_pooling",
        "input(20, 3) -> conv1d(8, 3) -> globalmaxpooling1d() -> lstm(4)",
        S20_3,
        lambda L: [L.Conv1D(8, 3), L.GlobalMaxPooling1D(), L.LSTM(4)],
    ),
    Case(
        # embedding adds an axis: (20, 5) ids become (20, 5, 8), 4-D for the LSTM
        "embedding_on_2d_ids_then_lstm",
        'input(20, 5, dtype="int32") -> embedding(100, 8) -> lstm(4)',
        {"shape": (20, 5), "dtype": "int32"},
        lambda L: [L.Embedding(100, 8), L.LSTM(4)],
    ),
    Case(
        "conv1d_unknown_channels",
        "input(20, none) -> conv1d(4, 3)",
        {"shape": (20, None)},
        lambda L: [L.Conv1D(4, 3)],
    ),
    Case(
        "layernormalization_unknown_features",
        "input(20, none) -> layernormalization()",
        {"shape": (20, None)},
        lambda L: [L.LayerNormalization()],
    ),
    Case(
        "batchnormalization_unknown_features",
        "input(20, none) -> batchnormalization()",
        {"shape": (20, None)},
        lambda L: [L.BatchNormalization()],
    ),
    Case(
        "conv1d_on_4d_input",
        "input(5, 20, 3) -> conv1d(8, 3)",
        {"shape": (5, 20, 3)},
        lambda L: [L.Conv1D(8, 3)],
    ),
    Case(
        "layernormalization_axis_out_of_range",
        "input(20, 3) -> layernormalization(axis=3)",
        S20_3,
        lambda L: [L.LayerNormalization(axis=3)],
    ),
    Case(
        "batchnormalization_axis_out_of_range",
        "input(20, 3) -> lstm(8, seq) -> batchnormalization(axis=3)",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True), L.BatchNormalization(axis=3)],
    ),
    Case(
        # normalizing over a variable time axis needs one weight per step: unknown size
        "layernormalization_axis_variable_time",
        "input(none, 3) -> layernormalization(axis=1)",
        SNONE_3,
        lambda L: [L.LayerNormalization(axis=1)],
    ),
    # -- invalid: reshape sizes
    Case(
        "reshape_size_mismatch",
        "input(20, 3) -> reshape((7, 8))",
        S20_3,
        lambda L: [L.Reshape((7, 8))],
    ),
    Case(
        "reshape_minus_one_not_divisible",
        "input(20, 3) -> reshape((-1, 7))",
        S20_3,
        lambda L: [L.Reshape((-1, 7))],
    ),
    Case(
        "reshape_two_minus_ones",
        "input(20, 3) -> reshape((-1, -1))",
        S20_3,
        lambda L: [L.Reshape((-1, -1))],
    ),
    Case(
        "reshape_negative_dim",
        "input(20, 3) -> reshape((-2, 30))",
        S20_3,
        lambda L: [L.Reshape((-2, 30))],
    ),
    # -- invalid: several tensors into a layer that takes one
    Case(
        "state_then_dense_after_embedding",
        'input(50, dtype="int32") -> embedding(1000, 16) -> lstm(8, state) -> dense(1)',
        I50,
        lambda L: [L.Embedding(1000, 16), L.LSTM(8, return_state=True), L.Dense(1)],
    ),
    Case(
        "state_then_globalmaxpooling1d",
        "input(20, 3) -> lstm(8, seq, state) -> globalmaxpooling1d()",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True, return_state=True), L.GlobalMaxPooling1D()],
    ),
    Case(
        "state_then_conv1d",
        "input(20, 3) -> gru(8, seq, state) -> conv1d(4, 3)",
        S20_3,
        lambda L: [L.GRU(8, return_sequences=True, return_state=True), L.Conv1D(4, 3)],
    ),
    Case(
        "state_then_layernormalization",
        "input(20, 3) -> lstm(8, state) -> layernormalization()",
        S20_3,
        lambda L: [L.LSTM(8, return_state=True), L.LayerNormalization()],
    ),
    Case(
        "state_then_masking",
        "input(20, 3) -> lstm(8, seq, state) -> masking()",
        S20_3,
        lambda L: [L.LSTM(8, return_sequences=True, return_state=True), L.Masking()],
    ),
    Case(
        "merge_none_then_flatten",
        "input(20, 3) -> bilstm(8, seq, none) -> flatten()",
        S20_3,
        lambda L: [
            L.Bidirectional(L.LSTM(8, return_sequences=True), merge_mode=None),
            L.Flatten(),
        ],
    ),
    # -- invalid: conv1d arguments
    Case(
        "conv1d_groups_not_dividing_channels",
        "input(20, 6) -> conv1d(8, 3, groups=4)",
        {"shape": (20, 6)},
        lambda L: [L.Conv1D(8, 3, groups=4)],
    ),
    Case(
        "conv1d_groups_not_dividing_filters",
        "input(20, 8) -> conv1d(6, 3, groups=4)",
        S20_8,
        lambda L: [L.Conv1D(6, 3, groups=4)],
    ),
    Case(
        "conv1d_strides_and_dilation",
        "input(20, 3) -> conv1d(8, 3, strides=2, dilation_rate=2)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, strides=2, dilation_rate=2)],
    ),
    Case(
        "conv1d_zero_filters",
        "input(20, 3) -> conv1d(0, 3)",
        S20_3,
        lambda L: [L.Conv1D(0, 3)],
    ),
    Case(
        "conv1d_zero_kernel",
        "input(20, 3) -> conv1d(8, kernel_size=0)",
        S20_3,
        lambda L: [L.Conv1D(8, kernel_size=0)],
    ),
    Case(
        "conv1d_unknown_padding",
        "input(20, 3) -> conv1d(8, 3, padding=full)",
        S20_3,
        lambda L: [L.Conv1D(8, 3, padding="full")],
    ),
    # -- invalid: pooling arguments (pooling checks padding only when called)
    Case(
        "maxpooling1d_causal_padding",
        "input(20, 3) -> maxpooling1d(2, padding=causal)",
        S20_3,
        lambda L: [L.MaxPooling1D(2, padding="causal")],
    ),
    Case(
        "averagepooling1d_upper_case_padding",
        'input(20, 3) -> averagepooling1d(2, padding="SAME")',
        S20_3,
        lambda L: [L.AveragePooling1D(2, padding="SAME")],
    ),
    Case(
        "maxpooling1d_zero_pool",
        "input(20, 3) -> maxpooling1d(0)",
        S20_3,
        lambda L: [L.MaxPooling1D(0)],
    ),
    Case(
        # pooling accepts strides=0 when constructed, then divides by it when called
        "maxpooling1d_zero_strides",
        "input(20, 3) -> maxpooling1d(2, strides=0)",
        S20_3,
        lambda L: [L.MaxPooling1D(2, strides=0)],
    ),
    # -- invalid: sizes and rates
    Case(
        "embedding_zero_input_dim",
        'input(50, dtype="int32") -> embedding(0, 16)',
        I50,
        lambda L: [L.Embedding(0, 16)],
    ),
    Case(
        "embedding_negative_output_dim_long",
        'input(50, dtype="int32") -> embedding(input_dim=1000, output_dim=-8)',
        I50,
        lambda L: [L.Embedding(input_dim=1000, output_dim=-8)],
    ),
    Case(
        "repeatvector_zero",
        "input(20, 3) -> lstm(8) -> repeatvector(0)",
        S20_3,
        lambda L: [L.LSTM(8), L.RepeatVector(0)],
    ),
    Case(
        "spatialdropout1d_negative_rate",
        "input(20, 3) -> spatialdropout1d(-0.1)",
        S20_3,
        lambda L: [L.SpatialDropout1D(-0.1)],
    ),
    Case(
        "gaussiannoise_negative_stddev",
        "input(20, 3) -> gaussiannoise(stddev=-0.1)",
        S20_3,
        lambda L: [L.GaussianNoise(stddev=-0.1)],
    ),
    Case(
        # Keras caps GaussianNoise's stddev at 1
        "gaussiannoise_stddev_above_one",
        "input(20, 3) -> gaussiannoise(1.5) -> lstm(4)",
        S20_3,
        lambda L: [L.GaussianNoise(1.5), L.LSTM(4)],
    ),
    Case(
        "repeatvector_float",
        "input(20, 3) -> lstm(8) -> repeatvector(2.0)",
        S20_3,
        lambda L: [L.LSTM(8), L.RepeatVector(2.0)],
    ),
]
