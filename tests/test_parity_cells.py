"""Keras parity for ``rnn(cell)``, the cells and ``stackedrnncells`` (`tests/parity/
corpus_cells.py`): the checker reaches Keras 3's verdict, shapes and parameter counts, and
the compiled layers hold the same configs as the layers written by hand.

Keras returns a stack of LSTM cells' states nested (``[h, c]`` per cell); the checker lists
them flat, in the same order, so shapes are compared flattened.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from typing import Any

import pytest

try:
    from tests.parity.corpus_cells import CASES_CELLS
    from tests.parity.harness import Case, materialise
    from tests.test_parity import _checker_side, _diagnostics, _keras_side, _table
    from tests.test_parity_objects import _kept_removed, _truth, truths  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus_cells import CASES_CELLS  # type: ignore[no-redef]
    from parity.harness import Case, materialise  # type: ignore[no-redef]
    from test_parity import (  # type: ignore[no-redef]
        _checker_side,
        _diagnostics,
        _keras_side,
        _table,
    )
    from test_parity_objects import _kept_removed, _truth, truths  # type: ignore[no-redef]  # noqa: F401

import bilstm_dsl

IDS = [case.id for case in CASES_CELLS]


def _flat(shape: Any) -> Any:
    """A shape, or several tensors' shapes flattened into one list of shapes."""
    if not isinstance(shape, list) or not shape or not isinstance(shape[0], list):
        return shape
    out: list[Any] = []
    for part in shape:
        flat = _flat(part)
        out.extend(flat if flat and isinstance(flat[0], list) else [flat])
    return out


def _flattened(side: dict[str, Any]) -> dict[str, Any]:
    return {
        **side,
        "output_shapes": [_flat(s) for s in side["output_shapes"]],
        "output_shape": _flat(side["output_shape"]),
    }


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES_CELLS, ids=IDS)
def test_checker_agrees_with_keras(case: Case, truths: dict[str, Any]) -> None:
    truth = _truth(truths, case)
    res = bilstm_dsl.check(case.arch, path=case.id)
    where = f"{case.id}:\n{case.arch}\n"
    if case.stricter is not None:
        assert truth.built, f"{where}Keras should build it: {truth.error}"
        assert not res.ok, f"{where}the checker should refuse it ({case.stricter})"
        return
    if not truth.ok:
        assert not res.ok, f"{where}Keras fails ({truth.error}), the checker accepts it"
        first = next(d for d in res.diagnostics if d.severity == "error")
        assert first.stage is not None and first.stage <= truth.fail_stage, (
            f"{where}{truth.error}\n{_diagnostics(res)}"
        )
        return
    assert res.ok, f"{where}Keras builds it, but:\n{_diagnostics(res)}"
    keras_side = _flattened(_keras_side(truth))
    checker_side = _flattened(_checker_side(res.summary))
    assert keras_side == checker_side, f"{where}{_table(keras_side, checker_side)}"
    warned = tuple(d.stage for d in res.diagnostics if d.code == "W501")
    assert warned == truth.mask_lost, f"{where}Keras lost the mask at {truth.mask_lost}"


def test_the_corpus_is_large_and_has_cases_keras_refuses() -> None:
    assert len(CASES_CELLS) >= 50
    refused = [case for case in CASES_CELLS if not bilstm_dsl.check(case.arch).ok]
    assert len(refused) >= len(CASES_CELLS) // 4
    assert len(set(IDS)) == len(IDS)


def _valid(case: Case) -> bool:
    return case.stricter is None and bilstm_dsl.check(case.arch).ok


VALID = [case for case in CASES_CELLS if _valid(case)]


def _by_hand(case: Case, keras: Any) -> Any:
    keras.backend.clear_session()
    inputs = keras.Input(**case.inputs)
    x = inputs
    for record in case.deferred():
        x = materialise(record, keras.layers)(x)
    return keras.Model(inputs, x)


def _configs(model: Any) -> list[dict[str, Any]]:
    return [layer.get_config() for layer in model.layers[1:]]


@pytest.mark.keras
@pytest.mark.parametrize("case", VALID, ids=[case.id for case in VALID])
def test_compiled_layers_have_the_hand_written_configs(case: Case, keras) -> None:
    expected = _configs(_by_hand(case, keras))
    keras.backend.clear_session()
    built = _configs(bilstm_dsl.build(case.arch))
    assert len(built) == len(expected), case.id
    for ours, theirs in zip(built, expected):
        assert _kept_removed(ours, theirs) == theirs, case.id


@pytest.mark.keras
def test_emitted_python_builds_the_same_stack(keras) -> None:
    source = bilstm_dsl.to_python(
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(32), lstmcell(16)]), seq)", name="m"
    )
    assert "keras.layers.StackedRNNCells(" in source
    assert "keras.layers.LSTMCell(32)" in source and "keras.layers.LSTMCell(16)" in source
    keras.backend.clear_session()
    namespace: dict[str, Any] = {}
    exec(compile(source, "m.py", "exec"), namespace)  # noqa: S102 - our own emitted code
    model = namespace["model"]
    assert model.layers[1].cell.__class__.__name__ == "StackedRNNCells"
    assert [c.units for c in model.layers[1].cell.cells] == [32, 16]


@pytest.mark.parametrize(
    "source",
    [
        "input(10, 8) -> rnn(stackedrnncells([lstmcell(6), grucell(3)]), seq) -> td(dense(1))",
        "input(10, 8) -> bidirectional(rnn(lstmcell(6), seq)) -> rnn(simplernncell(4))",
        "x = input(10, 8)\nh = input(4)\nc = input(4)\n"
        "out = x -> rnn(lstmcell(4), initial_state=[h, c])\nmodel(inputs=[x, h, c], outputs=out)",
    ],
)
def test_drawn_unrolled_with_the_cells_labels(source: str, tmp_path) -> None:
    from bilstm_dsl.draw import draw

    result = bilstm_dsl.check(source)
    assert result.ok, _diagnostics(result)
    target = tmp_path / "m.svg"
    draw(result, target)
    text = target.read_text()
    assert "LSTM" in text
    if "stackedrnncells" in source:
        assert ">LSTM/GRU<" in text


@pytest.mark.keras
@pytest.mark.parametrize("case", VALID, ids=[case.id for case in VALID])
def test_the_hand_written_model_imports_as_the_same_model(case: Case, keras) -> None:
    """The saved config of the hand-written model imports as `.arch` that checks to the
    same shapes and parameters, and builds the same layer configs."""
    import json

    from bilstm_dsl.importer import import_model

    if "stackedrnncells" in case.arch and "lstmcell" in case.arch and "state" in case.arch:
        pytest.skip(
            "Keras nests each LSTM cell's states ([h, c]) in the outputs; import reads flat"
        )
    model = _by_hand(case, keras)
    expected = _configs(model)
    imported = import_model(json.loads(model.to_json()), path=case.id)
    assert imported.result.ok, f"{case.id}:\n{imported.text}\n{_diagnostics(imported.result)}"
    params = [layer["params"] for layer in imported.result.summary["layers"]]
    assert params == [layer.count_params() for layer in model.layers[1:]], imported.text
    keras.backend.clear_session()
    built = _configs(bilstm_dsl.build(imported.text))
    for ours, theirs in zip(built, expected, strict=True):
        assert _kept_removed(ours, theirs) == theirs, imported.text


STACKED_STATES = (
    "x = input(10, 8)\n"
    "out, h1, c1, h2 = x -> rnn(stackedrnncells([lstmcell(4), grucell(3)]), state)\n"
    "model(inputs=x, outputs=[out, h1, c1, h2])"
)
CONV_STATES = (
    "x = input(4, 10, 10, 3)\nh = input(8, 8, 2)\nc = input(8, 8, 2)\n"
    "out = x -> convlstm2d(2, 3, initial_state=[h, c])\nmodel(inputs=[x, h, c], outputs=out)"
)


@pytest.mark.keras
def test_a_stack_of_lstm_cells_unpacks_its_nested_states_in_a_graph(keras) -> None:
    """Keras returns ``[out, [h1, c1], h2]``; the spec names them flat, and both backends
    flatten the call's result to match."""
    res = bilstm_dsl.check(STACKED_STATES)
    assert res.ok, _diagnostics(res)
    keras.backend.clear_session()
    model = bilstm_dsl.build(STACKED_STATES)
    assert [tuple(o.shape) for o in model.outputs] == [tuple(s) for s in res.stages[1].shapes]
    source = bilstm_dsl.to_python(STACKED_STATES, name="m")
    assert "keras.tree.flatten(" in source
    keras.backend.clear_session()
    namespace: dict[str, Any] = {}
    exec(compile(source, "m.py", "exec"), namespace)  # noqa: S102 - our own emitted code
    assert [tuple(o.shape) for o in namespace["model"].outputs] == [
        tuple(o.shape) for o in model.outputs
    ]


@pytest.mark.keras
def test_convlstm_initial_states_are_one_step_of_its_output(keras) -> None:
    res = bilstm_dsl.check(CONV_STATES)
    assert res.ok, _diagnostics(res)
    wrong = bilstm_dsl.check(CONV_STATES.replace("h = input(8, 8, 2)", "h = input(8, 2)"))
    assert [d.code for d in wrong.diagnostics] == ["E213"]
    keras.backend.clear_session()
    model = bilstm_dsl.build(CONV_STATES)
    assert tuple(model.outputs[0].shape) == (None, 8, 8, 2)


def test_the_cudnn_lints_stay_on_the_layers_that_have_cudnn() -> None:
    """W301 and N402 are about LSTM/GRU's cuDNN kernel: ``RNN(LSTMCell)`` and ConvLSTM run
    the generic loop whatever their arguments, so nothing is lost there."""
    masked = "input(12, dtype=int32) -> embedding(50, 8, mask_zero=true) -> "
    quiet = [
        masked + "rnn(lstmcell(4, recurrent_dropout=0.1, use_bias=false)) -> dense(1)",
        masked + "bidirectional(rnn(grucell(4, reset_after=false))) -> dense(1)",
        "input(4, 10, 10, 3) -> convlstm2d(2, 3, recurrent_dropout=0.1)",
    ]
    for source in quiet:
        res = bilstm_dsl.check(source)
        assert res.ok and not {"W301", "N402"} & {d.code for d in res.diagnostics}, source
    loud = bilstm_dsl.check(masked + "lstm(4, recurrent_dropout=0.1) -> dense(1)")
    assert {"W301", "N402"} <= {d.code for d in loud.diagnostics}


try:
    from tests.parity.corpus_cells_graphs import CASES_CELLS_GRAPHS
    from tests.test_parity_graphs import test_checker_agrees_with_keras as _graph_agrees
    from tests.test_parity_graphs import truth_of  # noqa: F401 - a fixture
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from parity.corpus_cells_graphs import CASES_CELLS_GRAPHS  # type: ignore[no-redef]
    from test_parity_graphs import test_checker_agrees_with_keras as _graph_agrees  # type: ignore[no-redef]
    from test_parity_graphs import truth_of  # type: ignore[no-redef]  # noqa: F401


@pytest.mark.keras
@pytest.mark.parametrize("case", CASES_CELLS_GRAPHS, ids=[c.id for c in CASES_CELLS_GRAPHS])
def test_graphs_agree_with_keras(case: Any, truth_of: Any) -> None:
    """States of `rnn(cell)` and ConvLSTM in graphs: Keras's verdict, shapes and params."""
    _graph_agrees(case, truth_of)


def test_the_language_server_offers_cells_for_a_cell() -> None:
    from bilstm_dsl.lsp_completion import complete_at

    text = "input(10, 8) -> rnn(cell="
    labels = {s.label for s in complete_at(text, len(text))}
    assert labels == {"lstmcell", "grucell", "simplernncell", "stackedrnncells"}


@pytest.mark.parametrize(
    ("source", "code", "help_has"),
    [
        ("input(10, 8) -> rnn([lstmcell(8), grucell(4)])", "E116", "stackedrnncells(["),
        ("input(10, 8) -> rnn()", "E107", "rnn(lstmcell(32))"),
        ("input(10, 8) -> rnn(stackedrnncells())", "E107", "[lstmcell(32), lstmcell(16)]"),
        ("input(10, 8) -> rnn(lstm(8))", "E134", "lstmcell(...)"),
        ("input(10, 8) -> gru(4, seq) -> grucell(4)", "E134", "rnn(grucell(...))"),
    ],
)
def test_the_cell_mistakes_say_what_to_write(source: str, code: str, help_has: str) -> None:
    (diagnostic,) = bilstm_dsl.check(source).diagnostics
    assert diagnostic.code == code and help_has in (diagnostic.help or ""), diagnostic
