"""`import` without Keras: Keras 2 configs, saved files that are not models, and where a
saved model's diagnostics are reported. The round trips against real Keras models are in
tests/test_import_keras.py."""

from __future__ import annotations

import copy
import json
import sys
import zipfile

import pytest
from conftest import ROOT
from keras2_fixtures import KERAS_22_CUDNN, TF_KERAS_FUNCTIONAL, TF_KERAS_SEQUENTIAL

from bilstm_dsl.arch_text import ImportProblem
from bilstm_dsl.files import ReadError
from bilstm_dsl.importer import CODES, import_model
from bilstm_dsl.saved import read_model
from bilstm_dsl.saved_check import check_saved, json_row, located, render_saved

VS = "VarianceScaling(scale=1.0, mode=fan_avg, distribution=uniform) is `glorot_uniform`"


def test_tf_keras_sequential():
    imported = import_model(TF_KERAS_SEQUENTIAL)
    assert imported.text.splitlines()[-4:] == [
        'input(20, 1, name="lstm_input")',
        "  -> lstm(50, seq)",
        "  -> lstm(50)",
        "  -> dense(1)",
    ]
    assert imported.notes == (
        "layer 'lstm' (LSTM): `time_major=false` is gone in Keras 3 (it was the default)",
        "layer 'lstm' (LSTM): `implementation=2` is gone in Keras 3, which chooses how to "
        "batch the products itself (the results are the same)",
        "layer 'lstm_1' (LSTM): `time_major=false` is gone in Keras 3 (it was the default)",
        "layer 'lstm_1' (LSTM): `implementation=2` is gone in Keras 3, which chooses how to "
        "batch the products itself (the results are the same)",
    )
    # every note is a comment at the top, in order
    assert imported.text.splitlines()[:4] == [f"# note: {n}" for n in imported.notes]
    assert imported.result.ok and not imported.result.diagnostics


def test_keras_22_cudnn_layers_become_lstm_and_gru():
    imported = import_model(KERAS_22_CUDNN)
    assert imported.text.splitlines()[-4:] == [
        "input(20, 1)",
        '  -> lstm(32, seq, name="cu_dnnlstm_1")',
        '  -> gru(16, name="cu_dnngru_1")',
        '  -> dense(1, sigmoid, name="dense_1")',
    ]
    assert imported.notes == (
        "layer 'cu_dnnlstm_1' (CuDNNLSTM): `CuDNNLSTM` is `LSTM` in Keras 3, which runs the "
        "cuDNN kernel by itself on a GPU",
        f"layer 'cu_dnnlstm_1' (CuDNNLSTM): `kernel_initializer` {VS}",
        "layer 'cu_dnngru_1' (CuDNNGRU): `CuDNNGRU` is `GRU` in Keras 3, which runs the cuDNN "
        "kernel by itself on a GPU",
        f"layer 'cu_dnngru_1' (CuDNNGRU): `kernel_initializer` {VS}",
        f"layer 'dense_1' (Dense): `kernel_initializer` {VS}",
        "layer 'cu_dnnlstm_1' (CuDNNLSTM): `batch_input_shape=(None, 20, 1)` becomes "
        "`input(20, 1)`",
    )
    assert [ref.keras_class for ref in imported.layers] == [
        "InputLayer",
        "CuDNNLSTM",
        "CuDNNGRU",
        "Dense",
    ]


def test_tf_keras_functional_with_keras2_nodes():
    imported = import_model(TF_KERAS_FUNCTIONAL)
    assert imported.text.splitlines()[-4:] == [
        'input(50, dtype=int32, name="tokens")',
        "  -> embedding(1000, 16, mask_zero)",
        "  -> bilstm(8, sum)",
        "  -> dense(1, sigmoid)",
    ]
    assert imported.notes[-1] == (
        "layer 'embedding' (Embedding): `input_length=50` is gone in Keras 3: the input's "
        "shape says it"
    )
    assert [d.code for d in imported.result.diagnostics] == ["N402"]


def test_keras2_embedding_input_length_that_disagrees_is_noted():
    model = copy.deepcopy(TF_KERAS_FUNCTIONAL)
    model["config"]["layers"][1]["config"]["input_length"] = 40
    assert any("input_length=40" in n for n in import_model(model).notes)


def test_keras2_first_layer_input_dim_becomes_the_input():
    layer = copy.deepcopy(TF_KERAS_SEQUENTIAL["config"]["layers"][2])
    layer["config"].update(input_dim=3, input_length=7)
    model = {"class_name": "Sequential", "config": {"name": "s", "layers": [layer]}}
    imported = import_model(model)
    assert "input(7, 3)" in imported.text.splitlines()
    assert "`input_dim=3`, `input_length=7` become `input(7, 3)`" in imported.notes[-1]


def test_import_does_not_change_the_config_it_is_given():
    before = json.dumps(KERAS_22_CUDNN, sort_keys=True)
    import_model(KERAS_22_CUDNN)
    assert json.dumps(KERAS_22_CUDNN, sort_keys=True) == before


def _problem(model) -> ImportProblem:
    with pytest.raises(ImportProblem) as info:
        import_model(model)
    assert info.value.code in CODES
    return info.value


def test_unknown_layer_class_names_the_layer():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][2]["class_name"] = "Conv1DTranspose"
    problem = _problem(model)
    assert problem.code == "I101"
    assert str(problem.layer) == "layer 'lstm_1' (Conv1DTranspose)"
    assert "`Conv1DTranspose` has no .arch form" in problem.message


def test_unknown_argument_names_the_argument():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][3]["config"]["lora_rank"] = 4
    problem = _problem(model)
    assert (problem.code, problem.layer.name) == ("I102", "dense")
    assert "`lora_rank=4`" in problem.message


def test_a_regularizer_factor_is_written_as_a_call():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][3]["config"]["kernel_regularizer"] = {
        "class_name": "L2",
        "config": {"l2": 1e-4},
    }
    imported = import_model(model)
    assert "kernel_regularizer=l2(0.0001)" in imported.text and imported.result.ok


def test_an_object_argument_arch_cannot_write_is_named():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][3]["config"]["kernel_regularizer"] = {
        "class_name": "L2",
        "config": {"l2": 1e-4, "scale": 2},
    }
    problem = _problem(model)
    assert (problem.code, problem.layer.name) == ("I102", "dense")
    assert "`kernel_regularizer`" in problem.message and "`scale=2`" in problem.message


def test_a_mixed_precision_policy_is_not_expressible():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][2]["config"]["dtype"] = "mixed_float16"
    assert "`mixed_float16`" in _problem(model).message


def test_a_sequential_saved_unbuilt_has_no_input():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    del model["config"]["layers"][0]
    del model["config"]["layers"][0]["config"]["batch_input_shape"]
    assert _problem(model).code == "I104"


def test_a_nested_model_is_named():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"].insert(2, {"class_name": "Sequential", "config": {"name": "inner"}})
    problem = _problem(model)
    assert (problem.code, problem.layer.name) == ("I103", "inner")


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in doc, code


# -- saved files


def test_read_keras_archive_config_only(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(TF_KERAS_SEQUENTIAL))
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        # weights are never read: a broken weights file does not matter
        archive.writestr("model.weights.h5", b"not hdf5")
    saved = read_model(str(path))
    assert (saved.format, saved.keras_version) == ("keras", "3.15.1")
    assert saved.config == TF_KERAS_SEQUENTIAL


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04garbage", "not a readable .keras archive"),
        (b"{not json", "is not valid JSON"),
        (b"[1, 2]", "holds a JSON list"),
        (b'{"a": 1}', "not a Keras model's config"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000, "nests too deeply"),
    ],
)
def test_files_that_are_not_models(tmp_path, content, reason):
    path = tmp_path / "m.json"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_model(str(path))
    assert reason in info.value.reason


def test_archive_without_config(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("other.txt", "x")
    with pytest.raises(ReadError, match="no config.json"):
        read_model(str(path))


def test_bare_get_config_json(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(TF_KERAS_FUNCTIONAL["config"]))
    assert read_model(str(path)).config["class_name"] == "Functional"


def test_h5_without_h5py_says_how_to_install(tmp_path, monkeypatch):
    path = tmp_path / "m.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ReadError, match=r"pip install 'bilstm-dsl\[import-h5\]'"):
        read_model(str(path))


def test_keras2_h5_model_config(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "keras2.h5"
    with h5py.File(path, "w") as handle:  # the attributes Keras 2's save_model writes
        handle.attrs["keras_version"] = b"2.2.4"
        handle.attrs["backend"] = b"tensorflow"
        handle.attrs["model_config"] = json.dumps(
            {"class_name": "Sequential", "config": KERAS_22_CUDNN["config"]}
        ).encode()
    saved = read_model(str(path))
    assert (saved.format, saved.keras_version) == ("h5", "2.2.4")
    assert import_model(saved.config).text == import_model(KERAS_22_CUDNN).text


def test_weights_only_h5_is_refused(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "w.h5"
    with h5py.File(path, "w") as handle:
        handle.create_dataset("dense/kernel", data=[1.0])
    with pytest.raises(ReadError, match="weights only"):
        read_model(str(path))


# -- diagnostics located at layers


def _saved(tmp_path, model, name="m.json"):
    path = tmp_path / name
    path.write_text(json.dumps(model))
    return check_saved(str(path))


def test_diagnostics_point_at_the_layer(tmp_path):
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][2]["config"]["recurrent_dropout"] = 0.25
    result = _saved(tmp_path, model)
    ((diag, layer),) = located(result)
    assert (diag.code, layer.name, layer.keras_class) == ("W301", "lstm_1", "LSTM")
    text = render_saved(diag, layer, result, color=False)
    first, arch, carets, help_line = text.splitlines()
    assert first.startswith(f"{tmp_path}/m.json: layer 'lstm_1' (LSTM): warning[W301]: ")
    assert arch == "  = in .arch: lstm(50, recurrent_dropout=0.25)"
    assert carets == " " * arch.index("recurrent") + "^" * len("recurrent_dropout=0.25")
    assert help_line.startswith("  = help: ")
    row = json_row(diag, layer, result.path)
    assert (row["layer"], row["class"], row["line"], row["code"]) == (
        "lstm_1",
        "LSTM",
        None,
        "W301",
    )


def test_lines_in_messages_become_layer_names(tmp_path):
    result = _saved(tmp_path, TF_KERAS_FUNCTIONAL)
    ((diag, layer),) = located(result)
    assert diag.code == "N402" and layer.name == "bidirectional"
    assert "(from layer 'embedding')" in diag.message and "line" not in diag.message


def test_a_model_not_expressible_is_one_error_at_its_layer(tmp_path):
    model = copy.deepcopy(TF_KERAS_FUNCTIONAL)
    model["config"]["layers"][3]["inbound_nodes"] = [
        [["bidirectional", 0, 0, {}], ["embedding", 0, 0, {}]]
    ]
    result = _saved(tmp_path, model)
    ((diag, layer),) = located(result)
    assert (diag.code, diag.severity.value, layer.name) == ("I103", "error", "dense")
    assert "a merge" in diag.message


def test_unreadable_model_is_e013(tmp_path):
    result = check_saved(str(tmp_path / "missing.keras"))
    assert [d.code for d in result.diagnostics] == ["E013"]
    assert "saved model" in result.diagnostics[0].help


# -- hostile configs: a problem or a spec, never an exception


def _mutations(seed: int, count: int):
    """``count`` copies of the fixtures with one to three values replaced or removed."""
    import random

    rng = random.Random(seed)
    values = [None, True, 0, -1, 2**70, 1.5, float("nan"), "", "relu", [], [None], [1, 2], {},
              {"class_name": "X"}, [[["a", 0, 0, {}]]], "a\nb", 'a"b']  # fmt: skip

    def paths(value, prefix=()):
        yield prefix
        if isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                yield from paths(item, (*prefix, key))

    fixtures = [KERAS_22_CUDNN, TF_KERAS_FUNCTIONAL, TF_KERAS_SEQUENTIAL]
    for _ in range(count):
        model = copy.deepcopy(rng.choice(fixtures))
        where = list(paths(model))[1:]
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(where)
            holder = model
            try:
                for key in path[:-1]:
                    holder = holder[key]
                if isinstance(holder, dict) and rng.random() < 0.2:
                    holder.pop(path[-1], None)
                else:
                    holder[path[-1]] = copy.deepcopy(rng.choice(values))
            except (KeyError, IndexError, TypeError):
                pass  # an earlier change moved this path away
        yield model


def test_damaged_configs_are_problems_never_exceptions():
    outcomes = {"spec": 0, "problem": 0}
    for model in _mutations(seed=14, count=3000):
        try:
            import_model(model)
        except ImportProblem as problem:
            assert problem.code in CODES and problem.message
            outcomes["problem"] += 1
        else:
            outcomes["spec"] += 1
    assert min(outcomes.values()) > 300, outcomes  # both kinds of outcome were exercised


def test_layers_nested_hundreds_deep_are_i105():
    inner = {"class_name": "Dense", "config": {"name": "d", "units": 1}}
    for depth in range(1000):
        inner = {"class_name": "TimeDistributed", "config": {"name": f"t{depth}", "layer": inner}}
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][1:] = [inner]
    assert _problem(model).code == "I105"


def test_a_name_with_a_line_break_is_i102():
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][3]["config"]["name"] = "dense\nhead"
    problem = _problem(model)
    assert (problem.code, problem.layer.name) == ("I102", "dense\nhead")
    assert "line break" in problem.message


@pytest.mark.parametrize(
    ("saved", "written"),
    [
        ({"class_name": "Dense", "config": {"units": 4, "activation": "linear"}}, "dense(4)"),
        ({"class_name": "Dense", "config": {"units": 1, "activation": "tanh"}}, "dense(1, tanh)"),
        (
            {"class_name": "MaxPooling1D", "config": {"pool_size": [3], "strides": [3]}},
            "maxpool1d(3)",
        ),
        (
            {"class_name": "MaxPooling1D", "config": {"pool_size": [2], "strides": [1]}},
            "maxpool1d(strides=1)",
        ),
        (
            {"class_name": "LayerNormalization", "config": {"axis": [1]}},
            "layernormalization(axis=1)",
        ),
        (
            {"class_name": "LSTM", "config": {"units": 4, "go_backwards": True}},
            "lstm(4, backwards)",
        ),
        (
            {"class_name": "LSTM", "config": {"units": 4, "use_bias": False}},
            "lstm(4, use_bias=false)",
        ),
        (
            {"class_name": "Dropout", "config": {"rate": 0.5, "noise_shape": [None, 1, 4]}},
            "dropout(0.5, noise_shape=(none, 1, 4))",
        ),
        (
            {
                "class_name": "Conv1D",
                "config": {"filters": 8, "kernel_size": [3], "data_format": "channels_last"},
            },
            "conv1d(8, 3)",
        ),
        (
            {
                "class_name": "Embedding",
                "config": {
                    "input_dim": 9,
                    "output_dim": 2,
                    "embeddings_initializer": {
                        "class_name": "RandomUniform",
                        "config": {"seed": None},
                    },
                },
            },
            "embedding(9, 2)",
        ),
        (
            {
                "class_name": "Embedding",
                "config": {
                    "input_dim": 9,
                    "output_dim": 2,
                    "embeddings_initializer": {"class_name": "HeNormal", "config": {"seed": None}},
                },
            },
            "embedding(9, 2, embeddings_initializer=he_normal)",
        ),
        (
            {
                "class_name": "Bidirectional",
                "config": {
                    "merge_mode": None,
                    "layer": {"class_name": "GRU", "config": {"name": "forward_gru", "units": 4}},
                },
            },
            "bigru(4, none)",
        ),
        (
            {
                "class_name": "TimeDistributed",
                "config": {
                    "layer": {"class_name": "Dense", "config": {"name": "dense", "units": 1}}
                },
            },
            "td(dense(1))",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_shortest_form_that_means_the_same(saved, written):
    """Defaults are dropped (including what Keras saves for a missing argument), flags and
    aliases are the short ones, and only sizes and activations go positionally."""
    from bilstm_dsl.arch_text import settle_names, translate, write
    from bilstm_dsl.layers import LAYERS

    saved = copy.deepcopy(saved)
    snake = {spec.keras_class: spec.snake_name for spec in LAYERS.values()}
    saved["config"].setdefault("name", snake[saved["class_name"]])
    call = translate(saved)
    settle_names([call])
    assert write(call) == written
