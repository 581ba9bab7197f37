"""Where everything goes in a picture of a model, and how much of a long one is drawn.

A checked model is laid out on a `Scene`, bottom to top: the input, then per stage one row
of cells per recurrent direction with the state arrows between them and the merge above,
one small box per step for `td(...)`, one box for any other layer, then the output. The
caps (`MAX_LAYERS`, `MAX_COLUMNS`, and the steps a long sequence shows) bound the picture.
Plain Python: only `draw_render` imports matplotlib.
"""

from __future__ import annotations

import re

from .draw_scene import BOX, BWD, CELL_H, CELL_W, FWD, INK, MERGE, TD, Port, Scene
from .model import CheckResult, Layer, StageInfo
from .shapes import Shape, fmt, fmt_shapes

MAX_LAYERS = 8
"""Most layers drawn (real specs have a handful; the longest example has 7)."""
MAX_COLUMNS = 48
"""Most step columns drawn over the whole chain (layers x steps). A longer chain shows its
first layers and its last two around one ``… N more layers`` box (`layers_drawn`). With
labels cut at `_LABEL_CHARS`, this bounds the picture, so any spec within the documented
limits draws in about the time of a small one (a 16 KB chain of 900 Bi-LSTMs took 36 s
and 969 MB before)."""
TAIL_LAYERS = 2
"""Layers drawn after the ``… N more layers`` box of a long chain."""
_LABEL_CHARS = 40


def cell_text(layer: Layer) -> str | None:
    """The text of one step's box: the registry's label (``LSTM``), a generic ``rnn``'s
    cells' (``LSTM/GRU`` for a stack), None for a layer that is not unrolled."""
    if layer.spec.label:
        return layer.spec.label
    stacked = layer.get("cells")
    if stacked:
        texts = [cell_text(c) for c in stacked]  # type: ignore[union-attr]
        return "/".join(t or "?" for t in texts)
    if layer.spec.family == "recurrent" and layer.inner is not None:
        return cell_text(layer.inner)
    return None


def unrolled(layer: Layer) -> bool:
    """Drawn one box per time step: a recurrent layer, or `bidirectional` over one."""
    inner = layer.inner if layer.keras_class == "Bidirectional" else layer
    return inner is not None and inner.spec.family == "recurrent" and bool(cell_text(inner))


INPUT = ("#ffffff", "#888888")
_MERGE_TEXT = {"concat": "‖", "sum": "+", "mul": "×", "ave": "μ"}


def layers_drawn(steps: int) -> int:
    """How many layers a chain may show whole with ``steps`` steps per sequence."""
    return max(TAIL_LAYERS + 1, min(MAX_LAYERS, MAX_COLUMNS // steps))


def shorten(text: str, limit: int = _LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def time_of(shape: Shape) -> int | None:
    return shape[1] if len(shape) >= 2 else None


def subscript(label: str) -> str:
    return label.translate(str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")).replace("n", "ₙ")


def written(result: CheckResult, layer: Layer) -> str:
    """The layer as written in the spec, on one line, shortened if long."""
    span = layer.call.span
    return shorten(re.sub(r"\s+", " ", result.source[span.start : span.end]).strip())


def recurrent_rows(
    c: Scene, stage: StageInfo, ports: list[Port], y0: float, length: int | None
) -> tuple[list[Port], float]:
    """A recurrent stage: one row (LSTM, GRU, SimpleRNN), or two and a merge
    (Bidirectional). Returns the ports going up and the height used."""
    layer = stage.layer
    s = stage.index
    labels, xs, gap = c.columns(length)
    bidirectional = layer.keras_class == "Bidirectional"
    forward = layer.inner if bidirectional else layer
    assert forward is not None
    seq = bool(forward.get("return_sequences"))
    if not bidirectional:
        backwards = bool(layer.get("go_backwards"))
        colors = BWD if backwards else FWD
        direction = "bwd" if backwards else "fwd"
        c.kinds.add(direction)
        yc = y0 + 0.5
        for label, x, port in zip(labels, xs, ports):
            c.feed(port, x, yc - CELL_H / 2, f"arrow-in-{s}-{label}")
            c.box(
                x,
                yc,
                CELL_W,
                CELL_H,
                colors,
                cell_text(layer),
                f"cell-{direction}-{s}-{label}",
            )
        _state_arrows(c, s, labels, xs, gap, yc, direction, backwards)
        c.ellipsis(xs, gap, yc + 0.17)
        c.steps_label(length, xs, yc, s)
        c.cells[stage.name] += len(labels)
        top = yc + CELL_H / 2
        if seq:
            out = [Port(x, top, label) for label, x in zip(labels, xs)]
        else:
            last = 0 if backwards else -1
            out = [Port(xs[last], top, labels[last])]
        return out, 1.1
    backward = layer.backward or forward
    c.kinds.update(("fwd", "bwd"))
    yf, yb = y0 + 0.45, y0 + 1.25
    for label, x, port in zip(labels, xs, ports):
        c.feed(port, x - 0.2, yf - CELL_H / 2, f"arrow-in-{s}-fwd-{label}")
        c.feed(port, x + 0.45, yb - CELL_H / 2, f"arrow-in-{s}-bwd-{label}")
    for label, x in zip(labels, xs):
        c.box(
            x - 0.2,
            yf,
            CELL_W,
            CELL_H,
            FWD,
            cell_text(forward),
            f"cell-fwd-{s}-{label}",
        )
        c.box(
            x + 0.3,
            yb,
            CELL_W,
            CELL_H,
            BWD,
            cell_text(backward),
            f"cell-bwd-{s}-{label}",
        )
    _state_arrows(c, s, labels, xs, gap, yf, "fwd", False, offset=-0.2)
    _state_arrows(c, s, labels, xs, gap, yb, "bwd", True, offset=0.3)
    c.ellipsis(xs, gap, (yf + yb) / 2)
    c.steps_label(length, xs, yb, s)
    c.cells[stage.name] += 2 * len(labels)
    mode = layer.get("merge_mode")
    ym = y0 + 2.0
    fwd_top, bwd_top = yf + CELL_H / 2, yb + CELL_H / 2
    if mode is None:  # merge_mode none: both directions leave apart
        if seq:
            return [
                p
                for label, x in zip(labels, xs)
                for p in (
                    Port(x - 0.35, fwd_top, f"fwd-{label}"),
                    Port(x + 0.3, bwd_top, f"bwd-{label}"),
                )
            ], 1.75
        return [
            Port(xs[-1] - 0.35, fwd_top, f"fwd-{labels[-1]}"),
            Port(xs[0] + 0.3, bwd_top, f"bwd-{labels[0]}"),
        ], 1.75
    c.kinds.add("merge")
    symbol = _MERGE_TEXT[str(mode)]
    r = 0.17
    if seq:
        out = []
        for label, x in zip(labels, xs):
            c.arrow(
                [(x - 0.35, fwd_top), (x - 0.35, ym - 0.2), (x - r * 0.75, ym - r * 0.7)],
                f"arrow-merge-{s}-fwd-{label}",
                color=FWD[1],
            )
            c.arrow(
                [(x + 0.3, bwd_top), (x + r * 0.75, ym - r * 0.7)],
                f"arrow-merge-{s}-bwd-{label}",
                color=BWD[1],
            )
            c.circle(x, ym, r, MERGE, symbol, f"merge-{s}-{label}")
            out.append(Port(x, ym + r, label))
        c.text(xs[-1] + r + 0.08, ym, str(mode), ha="left", va="center", fontsize=7, color=MERGE[1])
        return out, 2.45
    # Only the last step leaves: the forward direction's at t = T (right), the backward
    # direction's at t = 1 (left, where its pass ends); they meet above the last column.
    x = xs[-1]
    c.arrow(
        [(x - 0.35, fwd_top), (x - 0.35, ym - 0.2), (x - r * 0.75, ym - r * 0.7)],
        f"arrow-merge-{s}-fwd-{labels[-1]}",
        color=FWD[1],
    )
    c.arrow(
        [(xs[0] + 0.3, bwd_top), (xs[0] + 0.3, ym), (x - r, ym)],
        f"arrow-merge-{s}-bwd-{labels[0]}",
        color=BWD[1],
    )
    c.circle(x, ym, r, MERGE, symbol, f"merge-{s}")
    c.text(x + r + 0.08, ym, str(mode), ha="left", va="center", fontsize=7, color=MERGE[1])
    return [Port(x, ym + r, "last")], 2.45


def _state_arrows(
    c: Scene,
    s: int,
    labels: list[str],
    xs: list[float],
    gap: int | None,
    y: float,
    direction: str,
    backwards: bool,
    offset: float = 0.0,
) -> None:
    """The state passed from step to step: rightwards forward, leftwards backward; dashed
    across an ellipsis (the state goes through the steps not drawn)."""
    color = BWD[1] if backwards else FWD[1]
    for i in range(len(labels) - 1):
        left, right = xs[i] + offset + CELL_W / 2, xs[i + 1] + offset - CELL_W / 2
        points = [(right, y), (left, y)] if backwards else [(left, y), (right, y)]
        source = labels[i + 1] if backwards else labels[i]
        c.arrow(points, f"arrow-rec-{s}-{direction}-{source}", color=color, dashed=gap == i + 1)


def td_row(
    c: Scene, stage: StageInfo, ports: list[Port], y0: float, length: int | None
) -> tuple[list[Port], float]:
    """`td(layer)`: the same layer applied at every step, one small box per step."""
    s = stage.index
    inner = stage.layer.inner
    assert inner is not None
    labels, xs, gap = c.columns(length)
    c.kinds.add("td")
    yc = y0 + 0.45
    h = 0.45
    for label, x, port in zip(labels, xs, ports):
        c.feed(port, x, yc - h / 2, f"arrow-in-{s}-{label}")
        c.box(
            x,
            yc,
            CELL_W + 0.1,
            h,
            TD,
            cell_text(inner) or inner.keras_class,
            f"td-{s}-{label}",
            size=6,
        )
    c.ellipsis(xs, gap, yc)
    c.steps_label(length, xs, yc, s)
    c.cells[stage.name] += len(labels)
    return [Port(x, yc + h / 2, label) for label, x in zip(labels, xs)], 1.0


def box_row(
    c: Scene, text: str, gid: str, key: str, shape: Shape, ports: list[Port], y0: float
) -> tuple[list[Port], float]:
    """Any other layer (or the layers not drawn): one box saying ``text``, whose output is
    ``shape``. Fed by every step below and handing every step up when it maps sequences
    (drawn wide), else a single box over the one tensor coming in."""
    c.kinds.add("box")
    out_seq = len(shape) >= 3 and len(ports) > 0
    out_labels, out_xs, out_gap = c.columns(time_of(shape)) if out_seq else ([], [], None)
    in_xs = [p.x for p in ports]
    yc, h = y0 + 0.45, 0.5
    if len(ports) > 1 or out_seq:
        xs = in_xs + out_xs
        left, right = min(xs) - 0.5, max(xs) + 0.5
        x = (left + right) / 2
        width = right - left
    else:
        x = in_xs[0] if in_xs else 0.0
        width = max(1.6, 0.085 * len(text) + 0.3)
    c.box(x, yc, width, h, BOX, text, gid)
    for port in ports:
        c.feed(port, port.x, yc - h / 2, f"arrow-in-{key}-{port.key}")
    top = yc + h / 2
    if out_seq:
        c.ellipsis(out_xs, out_gap, top + 0.18)
        return [Port(xo, top, label) for label, xo in zip(out_labels, out_xs)], 1.0
    return [Port(x, top, "out")], 1.0


def _label(c: Scene, x: float, y: float, lines: list[str]) -> None:
    c.text(x, y, "\n".join(lines), ha="right", va="center", fontsize=8, color=INK, linespacing=1.4)


def input_row(c: Scene, shape: Shape, dtype: str, gid: str, stage: int, y: float) -> list[Port]:
    """The input: a row of per-step boxes ``x₁ … xₙ`` when it is a sequence (token ids
    count as one), else one box ``x``. Returns the ports going up."""
    if len(shape) >= 3 or (len(shape) == 2 and dtype.startswith(("int", "uint"))):
        length = shape[1]
        steps, xs, gap = c.columns(length)
        for label, x in zip(steps, xs):
            c.box(x, y + 0.3, 0.6, 0.45, INPUT, f"x{subscript(label)}", f"{gid}-{label}")
        c.ellipsis(xs, gap, y + 0.3)
        c.steps_label(length, xs, y + 0.3, stage)
        return [Port(x, y + 0.525, label) for label, x in zip(steps, xs)]
    c.box(0.0, y + 0.3, 1.2, 0.45, INPUT, "x", gid)
    return [Port(0.0, y + 0.525, "in")]


def layout(c: Scene, result: CheckResult, max_layers: int) -> tuple[float, int, int]:
    """Lay the stages out, bottom to top: all of them, or the first and the last few around
    one box for the rest when there are more than ``max_layers``. Returns where the stage
    labels go, their width in characters, and how many layers were not drawn."""
    assert result.input is not None
    label_x = -1.0
    labels: list[tuple[float, list[str]]] = []
    shape = result.input_shape
    ports = input_row(c, shape, str(result.input.get("dtype")), "input", 0, 0.0)
    y = 0.0
    labels.append((y + 0.3, [written(result, result.input), shorten(fmt(shape))]))
    y += 0.9
    stages: list[StageInfo | None] = list(result.stages)
    hidden: list[StageInfo] = []
    if len(stages) > max_layers:
        head = max_layers - TAIL_LAYERS
        hidden = list(result.stages[head:-TAIL_LAYERS])
        stages = stages[:head] + [None] + stages[-TAIL_LAYERS:]
    for stage in stages:
        if stage is None:  # the layers not drawn
            last = hidden[-1]
            text = f"… {len(hidden):,} more layer{'' if len(hidden) == 1 else 's'}"
            ports, height = box_row(c, text, "elided", "elided", last.shapes[0], ports, y)
            lines = [
                shorten(f"lines {hidden[0].span.line}-{last.span.line}: not drawn"),
                shorten(fmt_shapes(last.shapes)),
                f"{sum(h.params for h in hidden):,} params",
            ]
            labels.append((y + height / 2 - 0.1, lines))
            shape = last.shapes[0]
            y += height + 0.25
            continue
        cls = stage.layer.keras_class
        length = time_of(shape)
        if unrolled(stage.layer):
            ports, height = recurrent_rows(c, stage, ports, y, length)
        elif cls == "TimeDistributed":
            ports, height = td_row(c, stage, ports, y, length)
        else:
            text, shape_out = written(result, stage.layer), stage.shapes[0]
            ports, height = box_row(
                c, text, f"box-{stage.index}", str(stage.index), shape_out, ports, y
            )
        one = type(stage.params) is int and stage.params == 1  # (a formula is never 1)
        params = f"{stage.params:,} param{'' if one else 's'}"
        labels.append(
            (
                y + height / 2 - 0.1,
                [written(result, stage.layer), shorten(fmt_shapes(stage.shapes)), params],
            )
        )
        shape = stage.shapes[0]
        y += height + 0.25
    # The model's output: one node per tensor leaving the last stage.
    for port in ports:
        c.feed(port, port.x, y + 0.2, f"arrow-out-{port.key}")
        c.circle(port.x, y + 0.38, 0.18, ("#ffffff", INK), "ŷ", f"output-{port.key}")
    width = 0
    for yl, lines in labels:
        _label(c, label_x, yl, lines)
        width = max(width, *(len(line) for line in lines))
    return label_x, width, len(hidden)
