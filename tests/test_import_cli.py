"""The command line of saved models: `import`, `check MODEL.keras` in every format, and
`summary --batch-size/--steps`. The models are Keras 2 configs written by hand
(keras2_fixtures.py), so these tests need neither Keras nor TensorFlow."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES
from keras2_fixtures import KERAS_22_CUDNN, TF_KERAS_FUNCTIONAL, TF_KERAS_SEQUENTIAL

from bilstm_dsl.formats import github, sarif
from bilstm_dsl.saved_check import check_saved

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def _write(tmp_path: Path, model: dict, name: str = "model.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(model), encoding="utf-8")
    return path


def _slow_lstm(tmp_path: Path) -> Path:
    """The TF-Keras Sequential with a recurrent dropout on its second LSTM: W301 there."""
    model = copy.deepcopy(TF_KERAS_SEQUENTIAL)
    model["config"]["layers"][2]["config"]["recurrent_dropout"] = 0.2
    return _write(tmp_path, model)


def _merge(tmp_path: Path) -> Path:
    model = copy.deepcopy(TF_KERAS_FUNCTIONAL)
    model["config"]["layers"][3]["inbound_nodes"] = [
        [["bidirectional", 0, 0, {}], ["embedding", 0, 0, {}]]
    ]
    return _write(tmp_path, model, "merge.json")


# -- SARIF and GitHub annotations


def test_sarif_of_saved_models_is_valid_and_names_layers(tmp_path, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    monkeypatch.chdir(tmp_path)
    results = [check_saved(str(_slow_lstm(tmp_path))), check_saved(str(_merge(tmp_path)))]
    log = sarif(results, root=tmp_path)
    assert not list(validator.iter_errors(log))
    run = log["runs"][0]
    found = [
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"], r["level"])
        for r in run["results"]
    ]
    assert found == [("W301", "lstm_1", "warning"), ("I103", "dense", "error")]
    for result in run["results"]:
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert "region" not in result["locations"][0]["physicalLocation"]  # no lines
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] in (
            "model.json",
            "merge.json",
        )
    fingerprints = [r["partialFingerprints"] for r in run["results"]]
    assert len({json.dumps(f) for f in fingerprints}) == 2


def test_github_annotations_of_saved_models(tmp_path):
    text = github([check_saved(str(_slow_lstm(tmp_path)))], root=tmp_path)
    assert text.startswith("::warning file=model.json,title=W301::layer 'lstm_1' (LSTM): ")
    assert "line=" not in text and text.count("\n") == 1


# -- the command line


@pytest.fixture
def run(capsys, monkeypatch):
    from bilstm_dsl.cli import main

    def run(*argv: str, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_import_prints_the_spec_and_notes_on_stderr(run, tmp_path):
    path = _write(tmp_path, KERAS_22_CUDNN, "old.json")
    code, out, err = run("import", str(path))
    assert code == 0
    assert out.splitlines()[-4:] == [
        "input(20, 1)",
        '  -> lstm(32, seq, name="cu_dnnlstm_1")',
        '  -> gru(16, name="cu_dnngru_1")',
        '  -> dense(1, sigmoid, name="dense_1")',
    ]
    notes = [line for line in err.splitlines() if line.startswith(f"{path}: note: ")]
    assert len(notes) == 6 and all(f"# note: {n.split(': note: ')[1]}" in out for n in notes)


def test_import_writes_the_file_and_check_accepts_it(run, tmp_path):
    path = _write(tmp_path, TF_KERAS_FUNCTIONAL)
    target = tmp_path / "out.arch"
    code, out, err = run("import", str(path), "-o", str(target))
    assert (code, out) == (0, "")
    assert f"wrote {target}" in err
    assert run("check", str(target))[0] == 0
    # a fixed point: the written spec checks, and importing again writes the same text
    code, again, _ = run("import", str(path))
    assert again == target.read_text(encoding="utf-8")


def test_import_of_a_graph_is_one_error_exit_1(run, tmp_path):
    code, out, err = run("import", str(_merge(tmp_path)))
    assert (code, out) == (1, "")
    first = err.splitlines()[0]
    assert first.startswith(f"{tmp_path}/merge.json: layer 'dense' (Dense): error[I103]: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"", "not valid JSON"), (b"PK\x03\x04xx", "not a readable .keras archive")],
)
def test_import_of_a_file_that_is_not_a_model_is_exit_2(run, tmp_path, content, says):
    path = tmp_path / "model.keras"
    path.write_bytes(content)
    code, out, err = run("import", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"bilstm-dsl: error: {path}: cannot read: ") and says in err


def test_import_refuses_to_overwrite_its_input(run, tmp_path):
    path = _write(tmp_path, TF_KERAS_SEQUENTIAL)
    code, _, err = run("import", str(path), "-o", str(path))
    assert code == 2 and "is the input file" in err
    assert json.loads(path.read_text()) == TF_KERAS_SEQUENTIAL


def test_check_saved_model_text(run, tmp_path):
    path = _slow_lstm(tmp_path)
    code, out, _ = run("check", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}: layer 'lstm_1' (LSTM): warning[W301]: ")
    assert lines[1] == "  = in .arch: lstm(50, recurrent_dropout=0.2)"
    assert lines[-1] == "found 1 warning in 1 file"


def test_check_mixes_specs_and_saved_models_with_the_worst_exit(run, tmp_path):
    good = EXAMPLES / "stacked_lstm_bilstm.arch"
    code, out, _ = run("check", str(good), str(_merge(tmp_path)), str(_slow_lstm(tmp_path)))
    assert code == 1
    assert out.splitlines()[-1] == "found 1 error, 1 warning in 3 files"
    missing = tmp_path / "missing.keras"
    assert run("check", str(good), str(missing))[0] == 2


def test_check_saved_model_json_rows(run, tmp_path):
    code, out, _ = run("check", "--format", "json", str(_slow_lstm(tmp_path)))
    (row,) = json.loads(out)
    found = (row["layer"], row["class"], row["line"], row["code"])
    assert found == ("lstm_1", "LSTM", None, "W301")
    assert code == 0


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_saved_model_every_format_exit_codes(run, tmp_path, fmt):
    assert run("check", "--format", fmt, str(_merge(tmp_path)))[0] == 1
    assert run("check", "--format", fmt, str(_slow_lstm(tmp_path)))[0] == 0


# -- summary with costs


def test_summary_without_the_new_flags_is_unchanged(run):
    spec = str(EXAMPLES / "stacked_lstm_bilstm.arch")
    code, out, _ = run("summary", spec)
    assert code == 0 and "Mult-adds" not in out and out.count("\n") == 15


def test_summary_with_a_batch_adds_costs(run):
    spec = str(EXAMPLES / "stacked_lstm_bilstm.arch")
    code, out, _ = run("summary", spec, "--batch-size", "32")
    assert code == 0
    assert "Mult-adds" in out.splitlines()[2] and "Activations" in out.splitlines()[2]
    assert " Weight memory: 198.83 KB (float32)" in out.splitlines()
    code, out, _ = run("summary", "--format", "json", spec, "--batch-size", "32")
    summary = json.loads(out)
    costs = summary["costs"]
    assert (costs["batch_size"], costs["weight_dtype"]) == (32, "float32")
    assert sum(layer["macs"] for layer in summary["layers"]) == costs["macs_per_sample"]
    assert costs["macs_per_batch"] == 32 * costs["macs_per_sample"]
    assert sum(layer["weight_bytes"] for layer in summary["layers"]) == costs["weight_bytes"]
    assert costs["weight_bytes"] == 4 * summary["total_params"]


def test_summary_steps_for_variable_length(run):
    spec = str(EXAMPLES / "applications" / "pooled_encoder.arch")
    code, _, err = run("summary", spec, "--batch-size", "8")
    assert code == 2 and "--steps" in err
    code, out, _ = run("summary", spec, "--batch-size", "8", "--steps", "50")
    assert code == 0 and "for a batch of 8 with 50 steps" in out


@pytest.mark.parametrize("flag", ["--batch-size", "--steps"])
def test_summary_sizes_must_be_positive(run, flag):
    code, _, err = run("summary", str(EXAMPLES / "stacked_lstm_bilstm.arch"), flag, "0")
    assert code == 2 and "positive" in err


def test_summary_of_a_saved_model(run, tmp_path):
    code, out, _ = run("summary", str(_write(tmp_path, KERAS_22_CUDNN)), "--batch-size", "4")
    assert code == 0
    assert "cu_dnnlstm_1 (LSTM)" in out and "Multiply-adds:" in out


def test_check_of_a_broken_model_file_is_e013_exit_2(run, tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(b"PK\x03\x04\x14\x00\x08\x08\xff\xfe binary")
    code, out, err = run("check", str(path))
    assert code == 2 and err == ""
    assert out.startswith(f"{path}: error[E013]: cannot read the file: not a readable .keras")


def test_saved_models_are_read_without_keras_tensorflow_numpy_or_h5py():
    """`import` and `check` of a .keras file import only lark and the standard library."""
    import subprocess
    import sys

    from conftest import ROOT

    model = str(ROOT / "bench" / "data" / "twenty_layers.keras")
    script = (
        "import sys\n"
        "from bilstm_dsl.cli import main\n"
        f"assert main(['import', {model!r}]) == 0\n"
        f"assert main(['check', '--format', 'sarif', {model!r}]) == 0\n"
        f"assert main(['summary', {model!r}, '--batch-size', '2']) == 0\n"
        "heavy = ('tensorflow', 'keras', 'numpy', 'h5py')\n"
        "print('HEAVY:', sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY: []"
