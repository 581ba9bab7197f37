"""A sentiment classifier written in plain Keras, saved as sentiment.keras.

The README imports it (`bilstm-dsl import examples/keras/sentiment.keras`) and lints it
(`bilstm-dsl check examples/keras/sentiment.keras`), neither of which needs TensorFlow.
Save it again with: python examples/keras/sentiment.py
"""

from pathlib import Path

import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(200,), dtype="int32"),
        layers.Embedding(500, 16, mask_zero=True),
        layers.Bidirectional(layers.LSTM(16, return_sequences=True)),
        layers.LSTM(16, recurrent_dropout=0.2),
        layers.Dense(1, activation="sigmoid"),
    ],
    name="sentiment",
)

if __name__ == "__main__":
    model.save(Path(__file__).with_name("sentiment.keras"))
