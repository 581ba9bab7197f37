"""The Keras backend: the compiled model is the model the checker described, and the model
a careful person would have written by hand. Keras is the oracle throughout."""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import subprocess
import sys

import numpy as np
import pytest
from conftest import EXAMPLES

import bilstm_dsl
from bilstm_dsl import ArchError, check

try:
    from tests.parity.corpus import CASES
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus import CASES  # type: ignore[no-redef]

pytestmark = pytest.mark.keras


class _KerasLayers:
    """Resolves to keras.layers on first use, so collecting these tests stays cheap."""

    def __getattr__(self, name):
        import keras

        return getattr(keras.layers, name)


_KERAS_LAYERS = _KerasLayers()


def _compiles_as_written(path) -> bool:  # noqa: ANN001
    """A chain that checks and has its input (an open one compiles once its shape is given:
    tests/test_open_input.py and test_examples_keras.py)."""
    result = check(path.read_text())
    return result.ok and result.graph is None and not result.open_input


VALID_EXAMPLES = sorted(
    p for p in EXAMPLES.rglob("*.arch") if "broken" not in p.parts and _compiles_as_written(p)
)
# Graph examples are compared with hand-written Keras in tests/backends/test_keras_graph.py
# and through the graph parity corpus; here they must compile, match the summary and run.
GRAPH_EXAMPLES = sorted(p for p in EXAMPLES.rglob("*.arch") if check(p.read_text()).graph)
VALID_CASES = [c for c in CASES if c.stricter is None and check(c.arch).ok]


def _shapes(tensors) -> list:
    if isinstance(tensors, (list, tuple)):
        return [list(t.shape) for t in tensors]
    return list(tensors.shape)


def random_batches(model, summary_input: list) -> list:
    """One random batch per test length: two lengths when an axis is variable."""
    inp = model.inputs[0]
    shape = list(inp.shape)
    batch = shape[0] or 2
    variable = [i for i, d in enumerate(shape[1:], 1) if d is None]
    # Long enough for the conv/pool stacks of the corpus, and two of them, to show that the
    # model really takes any length.
    lengths = (24, 37) if variable else (None,)
    rng = np.random.default_rng(0)
    batches = []
    for length in lengths:
        dims = [batch] + [length if d is None else d for d in shape[1:]]
        if "int" in str(inp.dtype):
            batches.append(rng.integers(0, 10, size=dims).astype(str(inp.dtype)))
        else:
            batches.append(rng.normal(size=dims).astype("float32"))
    return batches


def assert_model_matches_summary(model, source: str) -> None:
    summary = check(source).summary
    assert summary is not None
    layers = model.layers[1:]
    assert [type(layer).__name__ for layer in layers] == [x["type"] for x in summary["layers"]]
    assert [layer.name for layer in layers] == [x["name"] for x in summary["layers"]]
    assert [_shapes(layer.output) for layer in layers] == [
        x["output_shape"] for x in summary["layers"]
    ]
    assert [layer.count_params() for layer in layers] == [x["params"] for x in summary["layers"]]
    assert model.count_params() == summary["total_params"]


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_examples_compile_to_the_checked_model_and_predict(path):
    model = bilstm_dsl.build(path)
    assert model.name == path.stem
    assert_model_matches_summary(model, path.read_text())
    for batch in random_batches(model, []):
        out = model.predict(batch, verbose=0)
        assert np.all(np.isfinite(out))


@pytest.mark.parametrize("path", GRAPH_EXAMPLES, ids=lambda p: p.stem)
def test_graph_examples_compile_to_the_checked_model_and_predict(path):
    model = bilstm_dsl.build(path)
    summary = check(path.read_text()).summary
    assert summary is not None
    assert [layer.name for layer in model.layers] == [x["name"] for x in summary["layers"]]
    assert [type(layer).__name__ for layer in model.layers] == [
        x["type"] for x in summary["layers"]
    ]
    assert [layer.count_params() for layer in model.layers] == [
        x["params"] for x in summary["layers"]
    ]
    rng = np.random.default_rng(0)
    data = [
        rng.normal(size=[2] + [7 if d is None else d for d in x.shape[1:]]).astype("float32")
        for x in model.inputs
    ]
    out = model.predict(data, verbose=0)
    assert all(np.all(np.isfinite(o)) for o in (out if isinstance(out, list) else [out]))


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda c: c.id)
def test_corpus_cases_compile_to_the_checked_model_and_run(case):
    model = bilstm_dsl.build(case.arch, name=case.id)
    assert_model_matches_summary(model, case.arch)
    if case in W503_CASES:
        return  # whether it runs depends on the CPU and oneDNN: pinned in the tests below
    for batch in random_batches(model, []):
        outputs = model(batch, training=False)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        for out, expected in zip(outputs, model.outputs):
            assert out.shape[0] == batch.shape[0]
            assert np.all(np.isfinite(np.asarray(out)))
            assert len(out.shape) == len(expected.shape)


W503_CASES = [c for c in VALID_CASES if "W503" in [d.code for d in check(c.arch).diagnostics]]

# Whether TensorFlow runs a channels_first Conv1D on a CPU depends on oneDNN, which
# TensorFlow turns on by default only on some x86 CPUs (those with AVX512-VNNI and newer):
# so each outcome is measured in a process that pins it, and with no GPU visible.
CALL_ON_CPU = """
import json, sys
import numpy as np
import bilstm_dsl
outcomes = {}
for spec in json.loads(sys.argv[1]):
    model = bilstm_dsl.build(spec)
    shape = [2 if d is None else d for d in model.inputs[0].shape]
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    try:
        model(x, training=False)
        outcomes[spec] = "ran"
    except Exception as error:
        outcomes[spec] = f"{type(error).__name__}: {error}"
print(json.dumps(outcomes))
"""


@functools.cache
def called_on_cpu(onednn: str) -> dict[str, str]:
    """How each W503 case fares when called on a CPU with ``TF_ENABLE_ONEDNN_OPTS=onednn``:
    ``ran``, or the exception. One process for all the cases."""
    env = {
        **os.environ,
        "TF_ENABLE_ONEDNN_OPTS": onednn,
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    specs = json.dumps([c.arch for c in W503_CASES])
    proc = subprocess.run(
        [sys.executable, "-c", CALL_ON_CPU, specs],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_corpus_has_a_w503_case():
    assert W503_CASES  # else the two tests below test nothing


@pytest.mark.parametrize("case", W503_CASES, ids=lambda c: c.id)
def test_w503_models_build_but_fail_on_a_cpu_without_onednn(case):
    outcome = called_on_cpu("0")[case.arch]
    assert re.search("NHWC|NCHW|channels_first|data_format", outcome), outcome


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64"),
    reason="measured on x86-64 only: oneDNN's convolutions differ on other CPUs",
)
@pytest.mark.parametrize("case", W503_CASES, ids=lambda c: c.id)
def test_w503_models_run_on_an_x86_cpu_with_onednn(case):
    assert called_on_cpu("1")[case.arch] == "ran"


# -- the seed tutorial's four architectures, written by hand


def _hand_written(keras, name: str):
    L = keras.layers
    inputs = keras.Input((20, 1))
    if name == "bilstm_many_to_one":
        x = L.Bidirectional(L.LSTM(50), merge_mode="concat")(inputs)
        x = L.Dense(1)(x)
    elif name == "bilstm_many_to_many":
        x = L.Bidirectional(L.LSTM(50, return_sequences=True), merge_mode="concat")(inputs)
        x = L.TimeDistributed(L.Dense(1))(x)
    elif name == "stacked_lstm_bilstm":
        x = L.LSTM(50, return_sequences=True)(inputs)
        x = L.Bidirectional(L.LSTM(50))(x)
        x = L.Dense(1)(x)
    else:
        x = L.LSTM(50, return_sequences=True)(inputs)
        x = L.Bidirectional(L.LSTM(50, return_sequences=True))(x)
        x = L.TimeDistributed(L.Dense(1))(x)
    return keras.Model(inputs, x)


SEED = [
    "bilstm_many_to_one",
    "bilstm_many_to_many",
    "stacked_lstm_bilstm",
    "stacked_lstm_bilstm_seq",
]


@pytest.mark.parametrize("name", SEED)
def test_seed_architectures_equal_hand_written_keras(name, keras):
    compiled = bilstm_dsl.build(EXAMPLES / f"{name}.arch")
    by_hand = _hand_written(keras, name)
    assert [w.shape for w in compiled.weights] == [w.shape for w in by_hand.weights]
    by_hand.set_weights(compiled.get_weights())
    x = np.random.default_rng(1).normal(size=(4, 20, 1)).astype("float32")
    np.testing.assert_allclose(
        compiled.predict(x, verbose=0), by_hand.predict(x, verbose=0), rtol=1e-6, atol=1e-6
    )


def test_a_new_session_names_every_layer_as_the_written_code_does(keras):
    """Wrapped layers included: the names `compile` gives do not count towards Keras's own
    (only a name Keras itself would clash with does: `backends.calls.Call.named_by_keras`), so
    the LSTM inside `bidirectional` is `lstm`, as in the code `compile --emit python`
    writes and a careful person writes. bench/bench_check.py builds the same pair."""
    keras.backend.clear_session()
    compiled = bilstm_dsl.build(EXAMPLES / "stacked_lstm_bilstm_seq.arch").get_config()
    keras.backend.clear_session()
    L = keras.layers
    inputs = keras.Input(shape=(20, 1), name="input_layer")
    x = L.LSTM(50, return_sequences=True, name="lstm")(inputs)
    x = L.Bidirectional(L.LSTM(50, return_sequences=True), name="bidirectional")(x)
    outputs = L.TimeDistributed(L.Dense(1), name="time_distributed")(x)
    assert compiled == keras.Model(inputs, outputs, name="stacked_lstm_bilstm_seq").get_config()


# -- saving and emitting


@pytest.mark.parametrize("name", SEED + ["merge_modes/mul"])
def test_saved_file_loads_in_safe_mode_and_predicts_identically(name, keras, tmp_path):
    model = bilstm_dsl.build(EXAMPLES / f"{name}.arch")
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    x = np.random.default_rng(2).normal(size=(3, 20, 1)).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))


def _without_inner_names(config):
    """Model configs with the names of layers inside wrappers removed: Keras names those
    from a per-process counter (``lstm_7``), which a fresh process restarts."""
    if isinstance(config, dict):
        return {
            k: (_strip_name(v) if k in ("layer", "backward_layer") else _without_inner_names(v))
            for k, v in config.items()
        }
    if isinstance(config, list):
        return [_without_inner_names(v) for v in config]
    return config


def _canonical(config: dict) -> dict:
    """The model config with names Keras picks from per-process counters made canonical:
    those of layers inside wrappers (``lstm_7``) and of the op layers Keras adds itself
    (the ``NotEqual`` behind ``mask_zero`` is ``not_equal_3``)."""
    auto = [
        layer["config"]["name"]
        for layer in config["config"]["layers"]
        if layer["module"] != "keras.layers" or not hasattr(_KERAS_LAYERS, layer["class_name"])
    ]
    text = json.dumps(config)
    for i, name in enumerate(auto):
        text = text.replace(f'"{name}"', f'"<auto {i}>"')
    return _without_inner_names(json.loads(text))


def _strip_name(layer_config):
    cleaned = _without_inner_names(layer_config)
    cleaned.get("config", {}).pop("name", None)
    return cleaned


EMIT_SPECS = {
    **{p.stem: p.read_text() for p in VALID_EXAMPLES},
    **{c.id: c.arch for c in VALID_CASES[::4]},
}

RUNNER = """
import importlib.util, json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
out = {}
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("generated", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.model
    out[path] = {"config": json.loads(model.to_json()), "params": model.count_params()}
print(json.dumps(out))
"""


def test_emitted_python_builds_the_same_model_in_a_fresh_process(tmp_path):
    files = {}
    for name, source in EMIT_SPECS.items():
        path = tmp_path / f"{name}.py"
        path.write_text(bilstm_dsl.to_python(source, name=name))
        files[str(path)] = name
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *files], capture_output=True, text=True, check=True
    )
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for path, name in files.items():
        compiled = bilstm_dsl.build(EMIT_SPECS[name], name=name)
        expected = _canonical(json.loads(compiled.to_json()))
        assert _canonical(results[path]["config"]) == expected, name
        assert results[path]["params"] == compiled.count_params(), name


# -- errors and strategies


def test_spec_with_errors_raises_and_builds_nothing(keras):
    with pytest.raises(ArchError) as info:
        bilstm_dsl.build("input(20, 1) -> lstm(32) -> lstm(32)")
    assert [d.code for d in info.value.diagnostics] == ["E201"]
    assert "error[E201]" in str(info.value)


def test_build_inside_one_device_strategy():
    import tensorflow as tf

    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    model = bilstm_dsl.build(EXAMPLES / "bilstm_many_to_one.arch", strategy=strategy)
    assert model.distribute_strategy is strategy
    x = np.zeros((4, 20, 1), "float32")
    with strategy.scope():
        model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, np.zeros((4, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


MIRRORED = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import bilstm_dsl
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
model = bilstm_dsl.build(sys.argv[1], strategy=strategy)
mirrored = all(
    isinstance(getattr(w, "value", w), tf.distribute.DistributedValues) for w in model.weights
)
with strategy.scope():
    model.compile(optimizer="adam", loss="mse")
loss = model.fit(np.zeros((8, 20, 1), "float32"), np.zeros((8, 1)), epochs=1, verbose=0)
replicas = strategy.num_replicas_in_sync
print("replicas", replicas, "mirrored", mirrored, "loss", loss.history["loss"][0])
"""


def test_build_inside_a_mirrored_strategy_over_two_cpus():
    proc = subprocess.run(
        [sys.executable, "-c", MIRRORED, str(EXAMPLES / "stacked_lstm_bilstm.arch")],
        capture_output=True,
        text=True,
        check=True,
    )
    words = proc.stdout.split()
    assert words[:4] == ["replicas", "2", "mirrored", "True"], proc.stdout + proc.stderr
    assert np.isfinite(float(words[5]))
