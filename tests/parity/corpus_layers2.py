"""Parity cases for the layers of issue 13 item 3: 2-D and 3-D convolution and pooling
(images, and video through `td(...)` over 5-D input), the 1-D reshaping layers, the
activation layers, and the preprocessing layers (TextVectorization, CategoryEncoding).

Each case is built in real Keras by `tests/test_parity_layers2.py`; nothing here states a
shape or a count, only the model written twice.
"""

from __future__ import annotations

from .harness import Case

IMG = {"shape": (32, 32, 3)}
IMG_NONE = {"shape": (None, None, 3)}
IMG_CF = {"shape": (3, 32, 32)}
VIDEO = {"shape": (8, 32, 32, 3)}
VOL = {"shape": (10, 10, 10, 2)}
SEQ = {"shape": (20, 3)}
SEQ_NONE = {"shape": (None, 3)}
IDS = {"shape": (20,), "dtype": "int32"}
TEXT = {"shape": (1,), "dtype": "string"}
VOCAB = ["the", "cat", "sat", "on", "mat"]
VOCAB_ARCH = '["the", "cat", "sat", "on", "mat"]'

CASES_LAYERS2: list[Case] = [
    # -- conv2d
    Case("conv2d_short", "input(32, 32, 3) -> conv2d(8, 3)", IMG, lambda L: [L.Conv2D(8, 3)]),
    Case(
        "conv2d_tuple_kernel_same_strides",
        "input(32, 32, 3) -> conv2d(16, (3, 5), strides=(2, 1), padding=same, activation=relu)",
        IMG,
        lambda L: [L.Conv2D(16, (3, 5), strides=(2, 1), padding="same", activation="relu")],
    ),
    Case(
        "conv2d_dilation",
        "input(32, 32, 3) -> conv2d(4, 3, dilation_rate=2, use_bias=false)",
        IMG,
        lambda L: [L.Conv2D(4, 3, dilation_rate=2, use_bias=False)],
    ),
    Case(
        "conv2d_groups",
        "input(32, 32, 4) -> conv2d(8, 3, groups=2)",
        {"shape": (32, 32, 4)},
        lambda L: [L.Conv2D(8, 3, groups=2)],
    ),
    Case(
        "conv2d_unknown_spatial",
        "input(none, none, 3) -> conv2d(8, 3) -> globalmaxpooling2d()",
        IMG_NONE,
        lambda L: [L.Conv2D(8, 3), L.GlobalMaxPooling2D()],
    ),
    Case(
        "convolution2d_alias",
        "input(32, 32, 3) -> convolution2d(8, kernel_size=3, strides=2)",
        IMG,
        lambda L: [L.Convolution2D(8, kernel_size=3, strides=2)],
    ),
    Case(
        "conv2d_stack_to_dense",
        "input(28, 28, 1) -> conv2d(32, 3, activation=relu) -> maxpool2d() "
        "-> conv2d(64, 3, activation=relu) -> maxpool2d() -> flatten() -> dense(10)",
        {"shape": (28, 28, 1)},
        lambda L: [
            L.Conv2D(32, 3, activation="relu"),
            L.MaxPool2D(),
            L.Conv2D(64, 3, activation="relu"),
            L.MaxPool2D(),
            L.Flatten(),
            L.Dense(10),
        ],
    ),
    Case(
        "conv2d_kernel_too_big",
        "input(4, 4, 3) -> conv2d(8, 5)",
        {"shape": (4, 4, 3)},
        lambda L: [L.Conv2D(8, 5)],
    ),
    Case(
        "conv2d_dilated_too_big",
        "input(8, 8, 3) -> conv2d(8, 3, dilation_rate=4)",
        {"shape": (8, 8, 3)},
        lambda L: [L.Conv2D(8, 3, dilation_rate=4)],
    ),
    Case(
        "conv2d_on_sequence",
        "input(20, 3) -> conv2d(8, 3)",
        SEQ,
        lambda L: [L.Conv2D(8, 3)],
    ),
    Case(
        "conv2d_causal_padding",
        "input(32, 32, 3) -> conv2d(8, 3, padding=causal)",
        IMG,
        lambda L: [L.Conv2D(8, 3, padding="causal")],
    ),
    Case(
        "conv2d_strides_and_dilation",
        "input(32, 32, 3) -> conv2d(8, 3, strides=2, dilation_rate=2)",
        IMG,
        lambda L: [L.Conv2D(8, 3, strides=2, dilation_rate=2)],
    ),
    Case(
        "conv2d_groups_do_not_divide_channels",
        "input(32, 32, 3) -> conv2d(8, 3, groups=2)",
        IMG,
        lambda L: [L.Conv2D(8, 3, groups=2)],
    ),
    Case(
        "conv2d_zero_kernel",
        "input(32, 32, 3) -> conv2d(8, (3, 0))",
        IMG,
        lambda L: [L.Conv2D(8, (3, 0))],
    ),
    Case(
        "conv2d_three_sizes",
        "input(32, 32, 3) -> conv2d(8, (3, 3, 3))",
        IMG,
        lambda L: [L.Conv2D(8, (3, 3, 3))],
    ),
    Case(
        "conv2d_unknown_channels",
        "input(32, 32, none) -> conv2d(8, 3)",
        {"shape": (32, 32, None)},
        lambda L: [L.Conv2D(8, 3)],
    ),
    # -- conv3d
    Case("conv3d_short", "input(10, 10, 10, 2) -> conv3d(4, 3)", VOL, lambda L: [L.Conv3D(4, 3)]),
    Case(
        "conv3d_same_strided",
        "input(10, 10, 10, 2) -> conv3d(4, (3, 3, 1), strides=(2, 2, 1), padding=same)",
        VOL,
        lambda L: [L.Conv3D(4, (3, 3, 1), strides=(2, 2, 1), padding="same")],
    ),
    Case(
        "convolution3d_alias_to_flatten",
        "input(10, 10, 10, 2) -> convolution3d(4, 3) -> flatten() -> dense(2)",
        VOL,
        lambda L: [L.Convolution3D(4, 3), L.Flatten(), L.Dense(2)],
    ),
    Case(
        "conv3d_on_image",
        "input(32, 32, 3) -> conv3d(4, 3)",
        IMG,
        lambda L: [L.Conv3D(4, 3)],
    ),
    Case(
        "conv3d_kernel_too_big",
        "input(2, 10, 10, 2) -> conv3d(4, 3)",
        {"shape": (2, 10, 10, 2)},
        lambda L: [L.Conv3D(4, 3)],
    ),
    # -- pooling 2d
    Case(
        "maxpooling2d_defaults",
        "input(32, 32, 3) -> maxpooling2d()",
        IMG,
        lambda L: [L.MaxPooling2D()],
    ),
    Case(
        "maxpooling2d_strides_same",
        "input(31, 31, 3) -> maxpooling2d((3, 3), strides=(2, 2), padding=same)",
        {"shape": (31, 31, 3)},
        lambda L: [L.MaxPooling2D((3, 3), strides=(2, 2), padding="same")],
    ),
    Case(
        "averagepooling2d_short",
        "input(32, 32, 3) -> averagepooling2d(4)",
        IMG,
        lambda L: [L.AveragePooling2D(4)],
    ),
    Case(
        "avgpool2d_alias_rectangular",
        "input(32, 32, 3) -> avgpool2d((2, 4), strides=1)",
        IMG,
        lambda L: [L.AvgPool2D((2, 4), strides=1)],
    ),
    Case(
        "maxpooling2d_pool_too_big",
        "input(2, 2, 3) -> maxpooling2d(3)",
        {"shape": (2, 2, 3)},
        lambda L: [L.MaxPooling2D(3)],
    ),
    Case(
        "averagepooling2d_on_sequence",
        "input(20, 3) -> averagepooling2d(2)",
        SEQ,
        lambda L: [L.AveragePooling2D(2)],
    ),
    Case(
        "maxpooling2d_channels_first",
        "input(3, 32, 32) -> maxpooling2d(data_format=channels_first)",
        IMG_CF,
        lambda L: [L.MaxPooling2D(data_format="channels_first")],
    ),
    # -- global pooling 2d
    Case(
        "globalaveragepooling2d_short",
        "input(32, 32, 3) -> globalaveragepooling2d()",
        IMG,
        lambda L: [L.GlobalAveragePooling2D()],
    ),
    Case(
        "globalavgpool2d_keepdims",
        "input(32, 32, 3) -> globalavgpool2d(keepdims=true)",
        IMG,
        lambda L: [L.GlobalAvgPool2D(keepdims=True)],
    ),
    Case(
        "globalmaxpool2d_channels_first",
        "input(3, 32, 32) -> globalmaxpool2d(data_format=channels_first, keepdims=true)",
        IMG_CF,
        lambda L: [L.GlobalMaxPool2D(data_format="channels_first", keepdims=True)],
    ),
    Case(
        "globalmaxpooling2d_on_sequence",
        "input(20, 3) -> globalmaxpooling2d()",
        SEQ,
        lambda L: [L.GlobalMaxPooling2D()],
    ),
    # -- video: td over 5-D input
    Case(
        "video_td_conv2d_flatten_lstm",
        "input(8, 32, 32, 3) -> td(conv2d(8, 3)) -> td(flatten()) -> lstm(16)",
        VIDEO,
        lambda L: [
            L.TimeDistributed(L.Conv2D(8, 3)),
            L.TimeDistributed(L.Flatten()),
            L.LSTM(16),
        ],
    ),
    Case(
        "video_td_conv_pool_gap_bilstm",
        "input(none, 32, 32, 3) -> td(conv2d(8, 3, activation=relu)) -> td(maxpool2d()) "
        "-> td(globalavgpool2d()) -> bilstm(8) -> dense(1)",
        {"shape": (None, 32, 32, 3)},
        lambda L: [
            L.TimeDistributed(L.Conv2D(8, 3, activation="relu")),
            L.TimeDistributed(L.MaxPool2D()),
            L.TimeDistributed(L.GlobalAvgPool2D()),
            L.Bidirectional(L.LSTM(8)),
            L.Dense(1),
        ],
    ),
    Case(
        "video_td_conv2d_kernel_too_big",
        "input(8, 4, 4, 3) -> td(conv2d(8, 5))",
        {"shape": (8, 4, 4, 3)},
        lambda L: [L.TimeDistributed(L.Conv2D(8, 5))],
    ),
    Case(
        "video_without_td",
        "input(8, 32, 32, 3) -> conv2d(8, 3)",
        VIDEO,
        lambda L: [L.Conv2D(8, 3)],
    ),
    Case(
        "video_conv3d_then_td_flatten_gru",
        "input(8, 16, 16, 3) -> conv3d(4, 3) -> td(flatten()) -> gru(8)",
        {"shape": (8, 16, 16, 3)},
        lambda L: [L.Conv3D(4, 3), L.TimeDistributed(L.Flatten()), L.GRU(8)],
    ),
    # -- upsampling1d, cropping1d, zeropadding1d
    Case(
        "upsampling1d_defaults",
        "input(20, 3) -> upsampling1d() -> lstm(4)",
        SEQ,
        lambda L: [L.UpSampling1D(), L.LSTM(4)],
    ),
    Case(
        "upsampling1d_size_unknown_time",
        "input(none, 3) -> upsampling1d(3)",
        SEQ_NONE,
        lambda L: [L.UpSampling1D(3)],
    ),
    Case(
        "upsampling1d_on_image",
        "input(32, 32, 3) -> upsampling1d(2)",
        IMG,
        lambda L: [L.UpSampling1D(2)],
    ),
    Case(
        "upsampling1d_zero",
        "input(20, 3) -> upsampling1d(0)",
        SEQ,
        lambda L: [L.UpSampling1D(0)],
    ),
    Case(
        "cropping1d_defaults",
        "input(20, 3) -> cropping1d()",
        SEQ,
        lambda L: [L.Cropping1D()],
    ),
    Case(
        "cropping1d_pair",
        "input(20, 3) -> cropping1d((2, 5)) -> gru(4)",
        SEQ,
        lambda L: [L.Cropping1D((2, 5)), L.GRU(4)],
    ),
    Case(
        "cropping1d_int_unknown_time",
        "input(none, 3) -> cropping1d(4)",
        SEQ_NONE,
        lambda L: [L.Cropping1D(4)],
    ),
    Case(
        "cropping1d_everything",
        "input(20, 3) -> cropping1d((10, 10))",
        SEQ,
        lambda L: [L.Cropping1D((10, 10))],
    ),
    Case(
        "cropping1d_negative",
        "input(20, 3) -> cropping1d(-1)",
        SEQ,
        lambda L: [L.Cropping1D(-1)],
    ),
    Case(
        "zeropadding1d_defaults",
        "input(20, 3) -> zeropadding1d()",
        SEQ,
        lambda L: [L.ZeroPadding1D()],
    ),
    Case(
        "zeropadding1d_pair_conv1d",
        "input(20, 3) -> zeropadding1d((2, 0)) -> conv1d(8, 3)",
        SEQ,
        lambda L: [L.ZeroPadding1D((2, 0)), L.Conv1D(8, 3)],
    ),
    Case(
        "zeropadding1d_channels_first",
        "input(3, 20) -> zeropadding1d(3, data_format=channels_first)",
        {"shape": (3, 20)},
        lambda L: [L.ZeroPadding1D(3, data_format="channels_first")],
    ),
    Case(
        "zeropadding1d_three_sizes",
        "input(20, 3) -> zeropadding1d((1, 2, 3))",
        SEQ,
        lambda L: [L.ZeroPadding1D((1, 2, 3))],
    ),
    Case(
        "zeropadding1d_on_vector",
        "input(3) -> zeropadding1d()",
        {"shape": (3,)},
        lambda L: [L.ZeroPadding1D()],
    ),
    Case(
        "masked_sequence_through_zeropadding1d",
        "input(20, 3) -> masking() -> zeropadding1d() -> lstm(4)",
        SEQ,
        lambda L: [L.Masking(), L.ZeroPadding1D(), L.LSTM(4)],
    ),
    # -- activation layers
    Case(
        "relu_defaults_and_clipped",
        "input(20, 3) -> relu() -> relu(6.0, negative_slope=0.1, threshold=0.5)",
        SEQ,
        lambda L: [L.ReLU(), L.ReLU(6.0, negative_slope=0.1, threshold=0.5)],
    ),
    Case(
        "relu_negative_max_value",
        "input(20, 3) -> relu(max_value=-1.0)",
        SEQ,
        lambda L: [L.ReLU(max_value=-1.0)],
    ),
    Case(
        "relu_on_integers",
        'input(20, dtype="int32") -> relu()',
        IDS,
        lambda L: [L.ReLU()],
    ),
    Case(
        "leakyrelu_after_dense",
        "input(20, 3) -> dense(8) -> leakyrelu(0.2) -> lstm(4)",
        SEQ,
        lambda L: [L.Dense(8), L.LeakyReLU(0.2), L.LSTM(4)],
    ),
    Case(
        "leakyrelu_negative_slope",
        "input(20, 3) -> leakyrelu(negative_slope=-0.1)",
        SEQ,
        lambda L: [L.LeakyReLU(negative_slope=-0.1)],
    ),
    Case(
        "prelu_full",
        "input(20, 3) -> prelu()",
        SEQ,
        lambda L: [L.PReLU()],
    ),
    Case(
        "prelu_shared_time",
        "input(none, 3) -> prelu(shared_axes=[1]) -> gru(4)",
        SEQ_NONE,
        lambda L: [L.PReLU(shared_axes=[1]), L.GRU(4)],
    ),
    Case(
        "prelu_shared_spatial",
        "input(32, 32, 3) -> conv2d(8, 3) -> prelu(shared_axes=[1, 2])",
        IMG,
        lambda L: [L.Conv2D(8, 3), L.PReLU(shared_axes=[1, 2])],
    ),
    Case(
        "prelu_unknown_time",
        "input(none, 3) -> prelu()",
        SEQ_NONE,
        lambda L: [L.PReLU()],
    ),
    Case(
        "prelu_on_integers",
        'input(20, dtype="int32") -> prelu()',
        IDS,
        lambda L: [L.PReLU()],
    ),
    Case(
        "elu_alpha",
        "input(20, 3) -> elu(0.5) -> lstm(4, seq) -> elu()",
        SEQ,
        lambda L: [L.ELU(0.5), L.LSTM(4, return_sequences=True), L.ELU()],
    ),
    Case(
        "softmax_default_axis",
        "input(20, 3) -> dense(5) -> softmax()",
        SEQ,
        lambda L: [L.Dense(5), L.Softmax()],
    ),
    Case(
        "softmax_time_axis",
        "input(20, 3) -> softmax(axis=1)",
        SEQ,
        lambda L: [L.Softmax(axis=1)],
    ),
    Case(
        "softmax_axis_out_of_range",
        "input(20, 3) -> softmax(axis=3)",
        SEQ,
        lambda L: [L.Softmax(axis=3)],
    ),
    Case(
        "softmax_on_integers",
        'input(20, dtype="int32") -> softmax()',
        IDS,
        lambda L: [L.Softmax()],
    ),
    Case(
        "masked_sequence_through_relu_keeps_mask",
        'input(20, dtype="int32") -> embedding(100, 8, mask_zero) -> relu() -> elu() -> lstm(4)',
        IDS,
        lambda L: [L.Embedding(100, 8, mask_zero=True), L.ReLU(), L.ELU(), L.LSTM(4)],
    ),
    # -- category encoding
    Case(
        "categoryencoding_multi_hot",
        'input(3, dtype="int32") -> categoryencoding(10) -> dense(2)',
        {"shape": (3,), "dtype": "int32"},
        lambda L: [L.CategoryEncoding(10), L.Dense(2)],
    ),
    Case(
        "categoryencoding_one_hot",
        'input(1, dtype="int32") -> categoryencoding(num_tokens=6, output_mode="one_hot")',
        {"shape": (1,), "dtype": "int32"},
        lambda L: [L.CategoryEncoding(num_tokens=6, output_mode="one_hot")],
    ),
    Case(
        "categoryencoding_one_hot_sequence_to_lstm",
        'input(20, dtype="int32") -> categoryencoding(6, output_mode="one_hot") -> lstm(4)',
        IDS,
        lambda L: [L.CategoryEncoding(6, output_mode="one_hot"), L.LSTM(4)],
    ),
    Case(
        "categoryencoding_count",
        'input(5, dtype="int32") -> categoryencoding(8, output_mode="count")',
        {"shape": (5,), "dtype": "int32"},
        lambda L: [L.CategoryEncoding(8, output_mode="count")],
    ),
    Case(
        "categoryencoding_unknown_mode",
        'input(5, dtype="int32") -> categoryencoding(8, output_mode="two_hot")',
        {"shape": (5,), "dtype": "int32"},
        lambda L: [L.CategoryEncoding(8, output_mode="two_hot")],
    ),
    Case(
        "categoryencoding_without_num_tokens",
        'input(3, dtype="int32") -> categoryencoding()',
        {"shape": (3,), "dtype": "int32"},
        lambda L: [L.CategoryEncoding()],
    ),
    Case(
        "categoryencoding_on_strings",
        'input(1, dtype="string") -> categoryencoding(8)',
        TEXT,
        lambda L: [L.CategoryEncoding(8)],
    ),
    # -- text vectorization
    Case(
        "textvectorization_into_embedding",
        f'input(1, dtype="string") -> textvectorization(max_tokens=100, '
        f"output_sequence_length=12, vocabulary={VOCAB_ARCH}) -> embedding(100, 8) -> lstm(4)",
        TEXT,
        lambda L: [
            L.TextVectorization(max_tokens=100, output_sequence_length=12, vocabulary=VOCAB),
            L.Embedding(100, 8),
            L.LSTM(4),
        ],
    ),
    Case(
        "textvectorization_ragged_length_mask_zero",
        f'input(1, dtype="string") -> textvectorization(vocabulary={VOCAB_ARCH}) '
        "-> embedding(10, 4, mask_zero) -> gru(4)",
        TEXT,
        lambda L: [
            L.TextVectorization(vocabulary=VOCAB),
            L.Embedding(10, 4, mask_zero=True),
            L.GRU(4),
        ],
    ),
    Case(
        "textvectorization_adapted_later",
        'input(1, dtype="string") -> textvectorization(1000, output_sequence_length=50)',
        TEXT,
        lambda L: [L.TextVectorization(1000, output_sequence_length=50)],
    ),
    Case(
        "textvectorization_max_tokens_one",
        'input(1, dtype="string") -> textvectorization(max_tokens=1)',
        TEXT,
        lambda L: [L.TextVectorization(max_tokens=1)],
    ),
    Case(
        "textvectorization_length_with_multi_hot",
        'input(1, dtype="string") -> textvectorization(output_mode="multi_hot", '
        "output_sequence_length=10)",
        TEXT,
        lambda L: [L.TextVectorization(output_mode="multi_hot", output_sequence_length=10)],
    ),
    Case(
        "textvectorization_two_strings_per_sample",
        f'input(2, dtype="string") -> textvectorization(vocabulary={VOCAB_ARCH}, '
        "output_sequence_length=4)",
        {"shape": (2,), "dtype": "string"},
        lambda L: [L.TextVectorization(vocabulary=VOCAB, output_sequence_length=4)],
    ),
    Case(
        "textvectorization_bad_output_mode",
        'input(1, dtype="string") -> textvectorization(output_mode="ints")',
        TEXT,
        lambda L: [L.TextVectorization(output_mode="ints")],
    ),
    Case(
        "strings_through_zeropadding1d_fail_at_lstm",
        'input(4, 1, dtype="string") -> zeropadding1d() -> lstm(4)',
        {"shape": (4, 1), "dtype": "string"},
        lambda L: [L.ZeroPadding1D(), L.LSTM(4)],
    ),
]
