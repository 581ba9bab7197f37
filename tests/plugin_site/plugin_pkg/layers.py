"""The Keras layer itself: additive self-attention pooling over the steps."""

import keras


@keras.saving.register_keras_serializable(package="plugin_pkg")
class AttentionBlock(keras.layers.Layer):
    def __init__(self, units, use_bias=True, return_sequences=True, **kwargs):
        super().__init__(**kwargs)
        self.units, self.use_bias, self.return_sequences = units, use_bias, return_sequences

    def build(self, input_shape):
        features = input_shape[-1]
        self.kernel = self.add_weight(shape=(features, self.units), name="kernel")
        self.bias = (
            self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
            if self.use_bias
            else None
        )
        self.score = self.add_weight(shape=(self.units, 1), name="score")

    def call(self, x):
        h = keras.ops.matmul(x, self.kernel)
        if self.bias is not None:
            h = h + self.bias
        h = keras.ops.tanh(h)
        weights = keras.ops.softmax(keras.ops.matmul(h, self.score), axis=1)
        out = h * weights
        return out if self.return_sequences else keras.ops.sum(out, axis=1)

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (*input_shape[:-1], self.units)
        return (input_shape[0], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "use_bias": self.use_bias,
            "return_sequences": self.return_sequences,
        }
