"""`bilstm-dsl draw`: the picture holds the cells, merges and arrows the spec implies, long
sequences are elided with their real length written, and files are written atomically
with the documented exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl import check
from bilstm_dsl.cli import UsageError, build_parser
from bilstm_dsl.draw import DEFAULT_STEPS, MAX_COLUMNS, MAX_STEPS, draw, layers_drawn

BROKEN = EXAMPLES / "broken" / "missing_seq.arch"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run `draw` as `bilstm-dsl` does: a usage or I/O problem is exit 2."""
    args = build_parser("draw").parse_args([str(a) for a in argv])
    try:
        code = args.run(args)
    except UsageError as error:
        print(f"bilstm-dsl: error: {error}", file=sys.stderr)
        code = 2
    out, err = capsys.readouterr()
    return code, out, err


def svg_ids(path) -> list[str]:
    return [e.get("id") for e in ET.parse(path).iter() if e.get("id")]


def svg_texts(path) -> list[str]:
    return [e.text or "" for e in ET.parse(path).iter(SVG_TEXT)]


def counts(ids: list[str]) -> Counter[str]:
    """Drawn elements by kind, from their ids: `cell-fwd`, `td`, `merge`, `arrow-rec`..."""
    kinds: Counter[str] = Counter()
    for gid in ids:
        for kind in (
            "cell-fwd",
            "cell-bwd",
            "td",
            "merge",
            "input",
            "output",
            "box",
            "arrow-in",
            "arrow-rec",
            "arrow-merge",
            "arrow-out",
        ):
            if gid.startswith(kind + "-") or gid == kind:
                kinds[kind] += 1
        if gid.startswith("arrow-"):
            kinds["arrows"] += 1
    return kinds


# What each seed architecture must show with the default 6 steps: 20 steps are drawn as
# steps 1-3, an ellipsis and 18-20, so a direction has 6 cells and 5 state arrows. A
# bidirectional layer feeds each step to both directions (12 input arrows); it merges
# every step with `seq` (6 merges, 12 merge arrows) or once otherwise (the forward pass's
# last step with the backward pass's, which ends at t = 1: 2 merge arrows).
SEEDS = {
    "bilstm_many_to_one": {
        "input": 6, "cell-fwd": 6, "cell-bwd": 6, "merge": 1, "box": 1, "output": 1,
        "arrow-in": 12 + 1, "arrow-rec": 10, "arrow-merge": 2, "arrow-out": 1,
        "arrows": 26,
    },
    "bilstm_many_to_many": {
        "input": 6, "cell-fwd": 6, "cell-bwd": 6, "merge": 6, "td": 6, "output": 6,
        "arrow-in": 12 + 6, "arrow-rec": 10, "arrow-merge": 12, "arrow-out": 6,
        "arrows": 46,
    },
    "stacked_lstm_bilstm": {
        "input": 6, "cell-fwd": 6 + 6, "cell-bwd": 6, "merge": 1, "box": 1, "output": 1,
        "arrow-in": 6 + 12 + 1, "arrow-rec": 5 + 10, "arrow-merge": 2, "arrow-out": 1,
        "arrows": 37,
    },
    "stacked_lstm_bilstm_seq": {
        "input": 6, "cell-fwd": 6 + 6, "cell-bwd": 6, "merge": 6, "td": 6, "output": 6,
        "arrow-in": 6 + 12 + 6, "arrow-rec": 5 + 10, "arrow-merge": 12, "arrow-out": 6,
        "arrows": 57,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_architectures_draw_the_cells_and_arrows_they_imply(name, tmp_path, capsys):
    target = tmp_path / f"{name}.svg"
    code, out, err = run(capsys, "draw", EXAMPLES / f"{name}.arch", "-o", target)
    assert code == 0 and out == "" and f"wrote {target}" in err
    found = counts(svg_ids(target))
    assert {k: found[k] for k in SEEDS[name]} == SEEDS[name]
    assert sum(found.values()) - found["arrows"] == sum(
        v for k, v in SEEDS[name].items() if k != "arrows"
    ), "an element kind the expectation does not know about"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_stats_agree_with_the_svg(name, tmp_path):
    target = tmp_path / "m.svg"
    stats = draw(check((EXAMPLES / f"{name}.arch").read_text(), name), target)
    ids = svg_ids(target)
    ours = [i for i in ids if i in set(stats.ids)]
    assert sorted(ours) == sorted(stats.ids)  # every id drawn, exactly once
    found = counts(ids)
    assert stats.forward_cells == found["cell-fwd"]
    assert stats.backward_cells == found["cell-bwd"]
    assert stats.td_cells == found["td"]
    assert stats.merges == found["merge"]
    assert stats.arrows == found["arrows"]
    assert sum(stats.cells.values()) == found["cell-fwd"] + found["cell-bwd"] + found["td"]
    assert stats.elided


def test_cells_per_stage_are_keyed_by_the_summary_names(tmp_path):
    result = check((EXAMPLES / "stacked_lstm_bilstm_seq.arch").read_text())
    stats = draw(result, tmp_path / "m.svg")
    assert stats.cells == {"lstm": 6, "bidirectional": 12, "time_distributed": 6}


def test_labels_show_layer_shape_and_params(tmp_path):
    target = tmp_path / "m.svg"
    draw(check((EXAMPLES / "stacked_lstm_bilstm.arch").read_text(), "stacked.arch"), target)
    texts = svg_texts(target)
    for line in ("lstm(50, seq)", "(None, 20, 50)", "10,400 params"):
        assert line in texts
    for line in ("bilstm(50)", "(None, 100)", "40,400 params", "dense(1)", "101 params"):
        assert line in texts
    assert "stacked" in texts  # the title: the file name without its suffix


def test_a_long_sequence_is_elided_and_its_length_written(tmp_path, capsys):
    spec = tmp_path / "long.arch"
    spec.write_text("input(200, 1) -> bilstm(8) -> dense(1)\n")
    target = tmp_path / "long.svg"
    code, _, _ = run(capsys, "draw", spec, "-o", target, "--steps", 4)
    assert code == 0
    ids = svg_ids(target)
    assert [i for i in ids if i.startswith("input-")] == [
        "input-1",
        "input-2",
        "input-199",
        "input-200",
    ]
    assert counts(ids)["cell-fwd"] == 4 and counts(ids)["cell-bwd"] == 4
    texts = svg_texts(target)
    assert texts.count("t = 1 … 200") == 2  # the input row and the Bi-LSTM's
    assert "…" in texts
    # The state arrows across the ellipsis are the dashed ones.
    tree = ET.parse(target)
    dashed = [
        e.get("id")
        for e in tree.iter()
        if (e.get("id") or "").startswith("arrow-rec-")
        and any("stroke-dasharray" in (c.get("style") or "") for c in e.iter())
    ]
    assert dashed == ["arrow-rec-1-fwd-2", "arrow-rec-1-bwd-199"]


def test_steps_sets_how_many_steps_are_drawn(tmp_path):
    result = check("input(20, 1) -> lstm(4, seq)")
    assert draw(result, tmp_path / "a.svg", steps=10).forward_cells == 10
    assert draw(result, tmp_path / "b.svg", steps=3).forward_cells == 3
    assert draw(result, tmp_path / "c.svg").forward_cells == DEFAULT_STEPS


def test_a_short_sequence_is_drawn_whole(tmp_path):
    target = tmp_path / "m.svg"
    stats = draw(check("input(3, 2) -> gru(4, seq) -> simplernn(2)"), target)
    assert not stats.elided
    assert stats.cells == {"gru": 3, "simple_rnn": 3}
    assert "…" not in svg_texts(target)
    # many-to-one: only the last step of the SimpleRNN goes up to the output
    assert [i for i in svg_ids(target) if i.startswith("arrow-out-")] == ["arrow-out-3"]


def test_variable_length_is_written_as_such(tmp_path):
    target = tmp_path / "m.svg"
    stats = draw(check("input(none, 4) -> lstm(8)"), target)
    assert stats.elided and stats.forward_cells == DEFAULT_STEPS
    assert "t = 1 … n (variable length)" in svg_texts(target)
    assert [i for i in stats.ids if i.startswith("input-")][-3:] == [
        "input-n-2",
        "input-n-1",
        "input-n",
    ]


def test_merge_mode_none_sends_both_directions_apart(tmp_path):
    target = tmp_path / "m.svg"
    stats = draw(check("input(20, 1) -> bilstm(8, none)"), target)
    assert stats.merges == 0
    outs = [i for i in svg_ids(target) if i.startswith("output-")]
    # the forward pass's last step (t = 20) and the backward pass's (t = 1)
    assert outs == ["output-fwd-20", "output-bwd-1"]
    seq = draw(check("input(20, 1) -> bilstm(8, none, seq)"), tmp_path / "s.svg")
    assert seq.merges == 0 and counts(list(seq.ids))["output"] == 2 * DEFAULT_STEPS


def test_each_merge_mode_is_drawn_with_its_name(tmp_path):
    for mode in ("concat", "sum", "mul", "ave"):
        target = tmp_path / f"{mode}.svg"
        stats = draw(check((EXAMPLES / "merge_modes" / f"{mode}.arch").read_text()), target)
        assert stats.merges == 1
        assert mode in svg_texts(target)


def test_go_backwards_is_a_backward_row_ending_at_the_first_step(tmp_path):
    target = tmp_path / "m.svg"
    stats = draw(check("input(20, 1) -> lstm(8, go_backwards=true) -> dense(1)"), target)
    assert (stats.forward_cells, stats.backward_cells) == (0, DEFAULT_STEPS)
    assert "arrow-in-2-1" in svg_ids(target)  # the dense layer reads the state after t = 1


def test_png_output_is_a_real_png(tmp_path, capsys):
    target = tmp_path / "m.png"
    code, _, _ = run(capsys, "draw", EXAMPLES / "bilstm_many_to_many.arch", "-o", target)
    assert code == 0
    data = target.read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 400 and height > 200


def test_a_spec_with_errors_exits_1_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "m.svg"
    target.write_text("precious\n")
    code, out, err = run(capsys, "draw", BROKEN, "-o", target)
    assert code == 1 and out == ""
    assert err.startswith(f"{BROKEN}:3:6: error[E201]")
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.svg"]


def test_draw_refuses_a_spec_with_errors(tmp_path):
    with pytest.raises(ValueError, match="errors"):
        draw(check(BROKEN.read_text()), tmp_path / "m.svg")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_directory_exits_2(tmp_path, capsys):
    target = tmp_path / "no" / "m.svg"
    code, _, err = run(capsys, "draw", EXAMPLES / "bilstm_many_to_one.arch", "-o", target)
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "OUT/m.jpg"], "draw writes .svg or .png"),
        (["-o", "OUT/m.svg", "--steps", "1"], "at least 2 steps"),
        (["-o", "OUT/m.svg", "--steps", str(MAX_STEPS + 1)], f"at most {MAX_STEPS} steps"),
        (["-o", "/proc/m.svg"], "/proc/m.svg"),
    ],
)
def test_usage_problems_exit_2(argv, message, tmp_path, capsys):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, "draw", EXAMPLES / "bilstm_many_to_one.arch", *argv)
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_spec_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "draw", tmp_path / "nope.arch", "-o", tmp_path / "m.svg")
    assert code == 2 and "cannot read" in err


def _chain(layers: int, layer: str = "bilstm(2, seq)") -> str:
    return "input(20, 1)\n" + "".join(f"  -> {layer}\n" for _ in range(layers))


def test_a_long_chain_shows_its_first_and_last_layers_around_one_box(tmp_path, capsys):
    spec = tmp_path / "long.arch"
    spec.write_text(_chain(50, "lstm(2, seq)") + "  -> dense(1)\n")
    target = tmp_path / "long.svg"
    code, _, err = run(capsys, "draw", spec, "-o", target)
    assert code == 0
    shown = layers_drawn(DEFAULT_STEPS)
    hidden = 51 - shown
    assert f"note: drew {shown} of the 51 layers" in err and f"the {hidden} after them" in err
    ids = svg_ids(target)
    assert "elided" in ids
    names = [s.name for s in check(spec.read_text()).stages]
    kept = names[: shown - 2] + names[-2:]
    stats = draw(check(spec.read_text()), tmp_path / "again.svg")
    assert stats.hidden_layers == hidden
    assert list(stats.cells) == [n for n in kept if n.startswith("lstm")]
    texts = svg_texts(target)
    assert f"… {hidden} more layers" in texts
    first_hidden, last_hidden = (check(spec.read_text()).stages[i] for i in (shown - 2, -3))
    assert f"lines {first_hidden.span.line}-{last_hidden.span.line}: not drawn" in texts
    # The box takes every step of the last layer drawn below it and hands every step up.
    assert len([i for i in ids if i.startswith("arrow-in-elided-")]) == DEFAULT_STEPS


def test_a_chain_of_as_many_layers_as_drawn_is_drawn_whole(tmp_path, capsys):
    spec = tmp_path / "m.arch"
    spec.write_text(_chain(layers_drawn(DEFAULT_STEPS)))
    code, _, err = run(capsys, "draw", spec, "-o", tmp_path / "m.svg")
    assert code == 0 and "note:" not in err
    assert "elided" not in svg_ids(tmp_path / "m.svg")


@pytest.mark.parametrize("steps", [2, DEFAULT_STEPS, MAX_STEPS])
def test_the_picture_does_not_grow_with_the_chain(steps, tmp_path):
    """What a drawing holds is bounded: a chain 10 times longer draws the same elements."""
    short = draw(check(_chain(60)), tmp_path / "a.svg", steps=steps)
    long = draw(check(_chain(600)), tmp_path / "b.svg", steps=steps)
    assert len(short.ids) == len(long.ids)
    assert short.hidden_layers == 60 - layers_drawn(steps)
    assert layers_drawn(steps) * steps <= MAX_COLUMNS


def test_long_labels_are_cut(tmp_path):
    dims = ", ".join(["1"] * 2000)
    target = tmp_path / "m.svg"
    draw(check(f"input({dims}) -> flatten() -> dense(1)"), target, title="t" * 500)
    texts = svg_texts(target)
    assert max(len(line) for text in texts for line in text.split("\n")) <= 100
    assert any(text.endswith("…") for text in texts)


# Peak memory is the process's own high-water mark (VmHWM): its ru_maxrss would also count
# the memory of the pytest process it was forked from, which Linux carries over at exec.
LIMIT_DRAW = """
import sys
from bilstm_dsl import check
from bilstm_dsl.draw import draw
draw(check(open(sys.argv[1]).read(), sys.argv[1]), sys.argv[2])
status = open("/proc/self/status").read()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_a_16_kb_chain_draws_in_bounded_memory(fmt, tmp_path):
    """Issue 11: a 16 KB chain of Bi-LSTMs took 36 s and 969 MB. Memory is measured here,
    matplotlib included; time, which a shared machine cannot promise, is measured by
    bench/bench_robustness.py."""
    text = "input(20, 1)\n"
    while len(text) < 16 * 1024 - 20:
        text += "  -> bilstm(1, seq)\n"
    spec = tmp_path / "big.arch"
    spec.write_text(text)
    proc = subprocess.run(
        [sys.executable, "-c", LIMIT_DRAW, str(spec), str(tmp_path / f"big.{fmt}")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(proc.stdout.split()[-1]) < 300 * 1024  # kB


def test_svg_is_reproducible(tmp_path):
    result = check((EXAMPLES / "bilstm_many_to_one.arch").read_text())
    draw(result, tmp_path / "a.svg")
    draw(result, tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


GOOD_EXAMPLES = sorted(
    p
    for p in EXAMPLES.rglob("*.arch")
    if "broken" not in p.relative_to(EXAMPLES).parts and check(p.read_text()).graph is None
)
GRAPH_EXAMPLES = sorted(p for p in EXAMPLES.rglob("*.arch") if check(p.read_text()).graph)


@pytest.mark.parametrize("spec", GOOD_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_draws_and_has_its_picture_in_the_docs(spec, tmp_path):
    stats = draw(check(spec.read_text(), str(spec)), tmp_path / "m.svg")
    ids = svg_ids(tmp_path / "m.svg")
    assert set(stats.ids) <= set(ids) and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in stats.ids)
    picture = ROOT / "docs" / "images" / spec.relative_to(EXAMPLES).with_suffix(".svg")
    assert picture.is_file() and picture.with_suffix(".png").is_file()
    assert counts(svg_ids(picture)) == counts(ids)


def test_importing_draw_does_not_import_matplotlib():
    script = "import sys, bilstm_dsl.draw; print('matplotlib' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "False"


# -- graphs


def _corpus() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from parity.corpus_graphs import CASES

    return {c.id: c.arch for c in CASES}


GRAPH_CASES = [
    "seq2seq_lstm_training",
    "seq2seq_bidirectional_encoder",
    "seq2seq_inference_decoder",
    "initial_state_from_metadata",
    "composite_autoencoder",
    "siamese_lstm",
    "shared_dense_three_times",
    "attention_scores",
    "outputs_every_state",
    "inputs_inside_flows",
    "model_outputs_its_input",
    "transformer_block_then_lstm",
]
GRAPH_SPECS = {str(p.relative_to(EXAMPLES)): p.read_text() for p in GRAPH_EXAMPLES}
GRAPH_SPECS.update({name: _corpus()[name] for name in GRAPH_CASES})


def _stage_drawn(info, ids: set[str]) -> bool:
    s = info.index
    return (
        f"box-{s}" in ids
        or f"input-{s}" in ids
        or any(
            i.startswith((f"input-{s}-", f"cell-fwd-{s}-", f"cell-bwd-{s}-", f"td-{s}-"))
            for i in ids
        )
    )


@pytest.mark.parametrize("name", sorted(GRAPH_SPECS))
def test_a_graph_draws_every_layer_edge_state_and_output(name, tmp_path, capsys):
    spec = tmp_path / "g.arch"
    spec.write_text(GRAPH_SPECS[name])
    target = tmp_path / "g.svg"
    code, out, err = run(capsys, "draw", spec, "-o", target)
    assert code == 0 and out == "" and f"wrote {target}" in err
    ids = svg_ids(target)
    assert len(ids) == len(set(ids))
    present = set(ids)
    result = check(GRAPH_SPECS[name])
    graph = result.graph
    assert graph is not None
    for info in result.stages:
        assert _stage_drawn(info, present), info.name
    for stage, inbound in graph.inbound.items():
        arrows = [i for i in present if i.startswith(f"arrow-in-{stage}-")]
        assert len(arrows) >= len(inbound), stage
        if len(inbound) > 1:  # a merge: an arrow from each tensor it reads
            for k in range(len(inbound)):
                assert any(i.startswith(f"arrow-in-{stage}-{k}-") for i in arrows)
    for stage, states in graph.initial.items():
        for j in range(len(states)):
            assert f"arrow-state-{stage}-{j}" in present
    for stage, port in graph.outputs:
        assert any(i.startswith(f"output-{stage}-{port}-") for i in present)
    stats = draw(result, tmp_path / "again.svg")
    assert set(stats.ids) <= present
    assert stats.hidden_layers == 0


def test_the_seq2seq_picture_unrolls_both_lstms_and_names_the_states(tmp_path):
    result = check((EXAMPLES / "seq2seq" / "train.arch").read_text())
    stats = draw(result, tmp_path / "s.svg")
    assert stats.cells == {"lstm": DEFAULT_STEPS, "lstm_1": DEFAULT_STEPS}
    texts = svg_texts(tmp_path / "s.svg")
    for name in ("encoder_inputs", "decoder_inputs", "state_h", "state_c", "decoded"):
        assert name in texts
    ids = svg_ids(tmp_path / "s.svg")
    # Two inputs, two unrolled LSTMs with their state arrows, one state arrow per
    # initial state, one output node per step drawn.
    assert sum(i.startswith("arrow-rec-") for i in ids) == 2 * (DEFAULT_STEPS - 1)
    assert [i for i in ids if i.startswith("arrow-state-")] == [
        "arrow-state-3-0",
        "arrow-state-3-1",
    ]
    assert sum(i.startswith("output-4-0-") for i in ids) == DEFAULT_STEPS


def _overlap(a, b) -> bool:
    from bilstm_dsl.draw_scene import Box

    def rect(item):
        if isinstance(item, Box):
            return (
                item.x - item.w / 2,
                item.y - item.h / 2,
                item.x + item.w / 2,
                item.y + item.h / 2,
            )
        return item.x - item.r, item.y - item.r, item.x + item.r, item.y + item.r

    ax0, ay0, ax1, ay1 = rect(a)
    bx0, by0, bx1, by1 = rect(b)
    return ax0 < bx1 - 1e-6 and bx0 < ax1 - 1e-6 and ay0 < by1 - 1e-6 and by0 < ay1 - 1e-6


@pytest.mark.parametrize("name", sorted(GRAPH_SPECS))
def test_no_two_boxes_or_nodes_of_a_graph_overlap(name):
    from bilstm_dsl.draw_graph import layout_graph
    from bilstm_dsl.draw_scene import Box, Circle, Scene

    scene = Scene(DEFAULT_STEPS)
    layout_graph(scene, check(GRAPH_SPECS[name]), 100)
    shapes = [i for i in scene.items if isinstance(i, Box | Circle)]
    clashes = [
        (a.gid, b.gid) for k, a in enumerate(shapes) for b in shapes[k + 1 :] if _overlap(a, b)
    ]
    assert clashes == []


def test_a_graph_picture_is_byte_for_byte_reproducible(tmp_path):
    result = check(GRAPH_SPECS["seq2seq_bidirectional_encoder"])
    draw(result, tmp_path / "a.svg")
    draw(result, tmp_path / "b.svg")
    draw(result, tmp_path / "a.png")
    draw(result, tmp_path / "b.png")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def _wide_graph(layers: int) -> str:
    lines = ["x = input(5, 3)", "y0 = x -> lstm(4, seq)"]
    lines += [f"y{i} = y{i - 1} -> dense(4)" for i in range(1, layers)]
    lines.append(f"out = [y0, y{layers - 1}] -> add()")
    return "\n".join(lines) + "\n"


def test_a_graph_past_the_cap_shows_its_first_and_last_layers_and_says_so(tmp_path, capsys):
    from bilstm_dsl.draw import graph_budget

    spec = tmp_path / "long.arch"
    spec.write_text(_wide_graph(40))
    result = check(spec.read_text())
    assert result.ok
    target = tmp_path / "long.svg"
    code, _, err = run(capsys, "draw", spec, "-o", target)
    assert code == 0
    budget = graph_budget(layers_drawn(DEFAULT_STEPS))
    total = len(result.stages)
    hidden = total - budget
    assert f"note: drew {budget} of the graph's {total} layers" in err
    ids = set(svg_ids(target))
    assert "elided" in ids
    assert f"… {hidden} more layers" in svg_texts(target)
    last = result.stages[-1].index
    assert f"box-{last}" in ids and f"arrow-in-{last}-1-1" in ids
    stats = draw(result, tmp_path / "again.svg")
    assert stats.hidden_layers == hidden
    # Bounded: a graph ten times longer draws the same number of elements.
    longer = draw(check(_wide_graph(400)), tmp_path / "longer.svg")
    assert len(longer.ids) == len(stats.ids)


def test_a_graph_with_errors_is_not_drawn(tmp_path, capsys):
    spec = tmp_path / "bad.arch"
    spec.write_text("a = input(5, 3)\nb = input(5, 4)\nout = [a, b] -> add()\n")
    target = tmp_path / "bad.svg"
    code, _, err = run(capsys, "draw", spec, "-o", target)
    assert code == 1 and "error[" in err and not target.exists()
