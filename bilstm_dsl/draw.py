"""Draw a checked spec as the lecture note draws recurrent networks: `bilstm-dsl draw`.

Every recurrent stage is unrolled over its time steps, left to right: forward cells in blue
with the state passed right, backward cells (the backward half of a bidirectional layer, or
a `go_backwards` layer) in orange with the state passed left. The merge of a bidirectional
layer sits where it happens (every step with `seq`, once with only the last step), `td(...)`
is one small box per step, any other layer one box. Long sequences show their first and last
steps around an ellipsis, with the real length written.

The picture is made from the checker's result alone (never TensorFlow), with matplotlib,
imported only inside the functions that draw so `check` stays light. Every drawn element of
interest carries an SVG id (`cell-fwd-<stage>-<t>`, `cell-bwd-...`, `td-...`, `merge-...`,
`arrow-...`), so tests can count them in the XML.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import CheckResult, Layer, StageInfo
from .shapes import Shape, fmt, fmt_shapes

DEFAULT_STEPS = 6
MAX_STEPS = 16
"""Most time steps drawn per sequence (``--steps``)."""
MAX_LAYERS = 8
"""Most layers drawn (real specs have a handful; the longest example has 7)."""
MAX_COLUMNS = 48
"""Most step columns drawn over the whole chain (layers x steps). A longer chain shows its
first layers and its last two around one ``… N more layers`` box (`layers_drawn`). With
labels cut at `_LABEL_CHARS`, this bounds the picture, so any spec within the documented
limits draws in about the time of a small one (a 16 KB chain of 900 Bi-LSTMs took 36 s
and 969 MB before)."""
_TAIL_LAYERS = 2
_LABEL_CHARS = 40
FORMATS = {".svg": "svg", ".png": "png"}

_CELL_TEXT = {"LSTM": "LSTM", "GRU": "GRU", "SimpleRNN": "RNN"}
_MERGE_TEXT = {"concat": "‖", "sum": "+", "mul": "×", "ave": "μ"}

# Colours: forward blue, backward orange (as in the lecture note), per-step layers green.
_FWD = ("#dbe8f6", "#1f5fa8")
_BWD = ("#fde3c8", "#d9650b")
_TD = ("#e2f0d9", "#4e8a3a")
_BOX = ("#efefef", "#555555")
_MERGE = ("#ffffff", "#6a4c9c")
_INK = "#333333"

# Geometry, in data units (one unit is `_UNIT` inches): column spacing, the extra room an
# ellipsis takes, and a cell's size.
_UNIT = 0.6
_S = 1.6
_GAP = 1.0
_CW, _CH = 0.7, 0.5


@dataclass(frozen=True)
class DrawingStats:
    """What a drawing holds, counted as it was drawn (tests compare it with the SVG)."""

    cells: dict[str, int]
    """Per stage name: recurrent cells (both directions) or per-step `td` boxes drawn."""
    forward_cells: int
    backward_cells: int
    td_cells: int
    merges: int
    arrows: int
    elided: bool
    """Whether some sequence was too long to draw whole."""
    hidden_layers: int
    """Layers of a long chain not drawn, shown as one ``… N more layers`` box."""
    ids: tuple[str, ...]
    """Every SVG id given to a cell, box, merge node, arrow or label, in drawing order."""


@dataclass(frozen=True)
class _Port:
    """Where a tensor leaves a drawn element, going up: its position and an id suffix."""

    x: float
    y: float
    key: str


def _steps(length: int | None, limit: int) -> tuple[list[str], int | None]:
    """The step labels to draw for a sequence of ``length`` steps, and the slot before
    which the ellipsis goes (None when every step is drawn). ``None`` is variable length."""
    if length is not None and length <= limit:
        return [str(t) for t in range(1, length + 1)], None
    head = (limit + 1) // 2
    tail = limit - head
    if length is None:
        last = ["n" if k == 0 else f"n-{k}" for k in range(tail - 1, -1, -1)]
    else:
        last = [str(t) for t in range(length - tail + 1, length + 1)]
    return [str(t) for t in range(1, head + 1)] + last, head


def _time(shape: Shape) -> int | None:
    return shape[1] if len(shape) >= 2 else None


def _subscript(label: str) -> str:
    return label.translate(str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")).replace("n", "ₙ")


def layers_drawn(steps: int) -> int:
    """How many layers a chain may show whole with ``steps`` steps per sequence."""
    return max(_TAIL_LAYERS + 1, min(MAX_LAYERS, MAX_COLUMNS // steps))


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _written(result: CheckResult, layer: Layer) -> str:
    """The layer as written in the spec, on one line, shortened if long."""
    span = layer.call.span
    return _short(re.sub(r"\s+", " ", result.source[span.start : span.end]).strip())


class _Canvas:
    """The axes being drawn on, the ids given so far and the extent used."""

    def __init__(self, ax: Any, steps: int) -> None:
        from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
        from matplotlib.path import Path as MplPath

        self.ax = ax
        self.steps = steps
        self.ids: list[str] = []
        self.cells: Counter[str] = Counter()
        self.elided = False
        self.kinds: set[str] = set()
        self.xmin = self.ymin = float("inf")
        self.xmax = self.ymax = float("-inf")
        self._Circle, self._Arrow, self._Box, self._Path = (
            Circle,
            FancyArrowPatch,
            FancyBboxPatch,
            MplPath,
        )

    # -- primitives

    def _id(self, gid: str) -> str:
        assert gid not in self.ids, gid
        self.ids.append(gid)
        return gid

    def _add(self, patch: Any) -> None:
        # Not `add_patch`: it updates the data limits from the patch's path, which cost
        # most of the drawing time, and `_finish` sets the limits from `_extent` anyway.
        self.ax.add_artist(patch)

    def _extent(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.xmin, self.xmax = min(self.xmin, x0), max(self.xmax, x1)
        self.ymin, self.ymax = min(self.ymin, y0), max(self.ymax, y1)

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        colors: tuple[str, str],
        text: str,
        gid: str,
        size: float = 7,
    ) -> None:
        """A rounded box centred on (x, y) with ``text`` inside."""
        patch = self._Box(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=colors[0],
            edgecolor=colors[1],
            linewidth=1.2,
        )
        patch.set_gid(self._id(gid))
        self._add(patch)
        self.ax.text(x, y, text, ha="center", va="center", fontsize=size, color=_INK)
        self._extent(x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    def circle(
        self, x: float, y: float, r: float, colors: tuple[str, str], text: str, gid: str
    ) -> None:
        patch = self._Circle((x, y), r, facecolor=colors[0], edgecolor=colors[1], linewidth=1.2)
        patch.set_gid(self._id(gid))
        self._add(patch)
        self.ax.text(x, y, text, ha="center", va="center", fontsize=8, color=colors[1])
        self._extent(x - r, y - r, x + r, y + r)

    def arrow(
        self, points: list[tuple[float, float]], gid: str, color: str = _INK, dashed: bool = False
    ) -> None:
        """An arrow along the polyline ``points``, its head at the last point."""
        path = self._Path(points)
        patch = self._Arrow(
            path=path,
            arrowstyle="-|>",
            mutation_scale=7,
            linewidth=1.0,
            color=color,
            linestyle=(0, (3, 2)) if dashed else "-",
        )
        patch.set_gid(self._id(gid))
        self._add(patch)
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        self._extent(min(xs), min(ys), max(xs), max(ys))

    def feed(self, port: _Port, x: float, y: float, gid: str) -> None:
        """An arrow from ``port`` up to (x, y)."""
        if abs(port.x - x) < 1e-9:
            self.arrow([(port.x, port.y), (x, y)], gid)
        else:  # a short stem, then the branch: two arrows from one port read as a fork
            stem = port.y + min(0.1, (y - port.y) / 3)
            bend = stem + min(0.12, (y - stem) / 2)
            self.arrow([(port.x, port.y), (port.x, stem), (x, bend), (x, y)], gid)

    def text(self, x: float, y: float, text: str, gid: str | None = None, **kw: Any) -> None:
        artist = self.ax.text(x, y, text, **kw)
        if gid is not None:
            artist.set_gid(self._id(gid))

    # -- columns

    def columns(self, length: int | None) -> tuple[list[str], list[float], int | None]:
        labels, gap = _steps(length, self.steps)
        if gap is not None:
            self.elided = True
        xs = [i * _S + (_GAP if gap is not None and i >= gap else 0.0) for i in range(len(labels))]
        return labels, xs, gap

    def ellipsis(self, xs: list[float], gap: int | None, y: float) -> None:
        if gap is not None:
            x = (xs[gap - 1] + xs[gap]) / 2
            self.ax.text(x, y, "…", ha="center", va="center", fontsize=11, color=_INK)

    def steps_label(self, length: int | None, xs: list[float], y: float, stage: int) -> None:
        """The real time range, right of an unrolled row: ``t = 1 … 200``."""
        end = "n (variable length)" if length is None else str(length)
        text = f"t = 1 … {end}" if length != 1 else "t = 1"
        self.text(
            xs[-1] + 0.85,
            y,
            text,
            gid=f"steps-{stage}",
            ha="left",
            va="center",
            fontsize=7,
            color="#777777",
            style="italic",
        )
        self._extent(xs[-1] + 0.85, y, xs[-1] + 0.85 + 0.09 * len(text), y)


def _recurrent_rows(
    c: _Canvas, stage: StageInfo, ports: list[_Port], y0: float, length: int | None
) -> tuple[list[_Port], float]:
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
        colors = _BWD if backwards else _FWD
        direction = "bwd" if backwards else "fwd"
        c.kinds.add(direction)
        yc = y0 + 0.5
        for label, x, port in zip(labels, xs, ports):
            c.feed(port, x, yc - _CH / 2, f"arrow-in-{s}-{label}")
            c.box(
                x,
                yc,
                _CW,
                _CH,
                colors,
                _CELL_TEXT[layer.keras_class],
                f"cell-{direction}-{s}-{label}",
            )
        _state_arrows(c, s, labels, xs, gap, yc, direction, backwards)
        c.ellipsis(xs, gap, yc + 0.17)
        c.steps_label(length, xs, yc, s)
        c.cells[stage.name] += len(labels)
        top = yc + _CH / 2
        if seq:
            out = [_Port(x, top, label) for label, x in zip(labels, xs)]
        else:
            last = 0 if backwards else -1
            out = [_Port(xs[last], top, labels[last])]
        return out, 1.1
    backward = layer.backward or forward
    c.kinds.update(("fwd", "bwd"))
    yf, yb = y0 + 0.45, y0 + 1.25
    for label, x, port in zip(labels, xs, ports):
        c.feed(port, x - 0.2, yf - _CH / 2, f"arrow-in-{s}-fwd-{label}")
        c.feed(port, x + 0.45, yb - _CH / 2, f"arrow-in-{s}-bwd-{label}")
    for label, x in zip(labels, xs):
        c.box(
            x - 0.2,
            yf,
            _CW,
            _CH,
            _FWD,
            _CELL_TEXT[forward.keras_class],
            f"cell-fwd-{s}-{label}",
        )
        c.box(
            x + 0.3, yb, _CW, _CH, _BWD, _CELL_TEXT[backward.keras_class], f"cell-bwd-{s}-{label}"
        )
    _state_arrows(c, s, labels, xs, gap, yf, "fwd", False, offset=-0.2)
    _state_arrows(c, s, labels, xs, gap, yb, "bwd", True, offset=0.3)
    c.ellipsis(xs, gap, (yf + yb) / 2)
    c.steps_label(length, xs, yb, s)
    c.cells[stage.name] += 2 * len(labels)
    mode = layer.get("merge_mode")
    ym = y0 + 2.0
    fwd_top, bwd_top = yf + _CH / 2, yb + _CH / 2
    if mode is None:  # merge_mode none: both directions leave apart
        if seq:
            return [
                p
                for label, x in zip(labels, xs)
                for p in (
                    _Port(x - 0.35, fwd_top, f"fwd-{label}"),
                    _Port(x + 0.3, bwd_top, f"bwd-{label}"),
                )
            ], 1.75
        return [
            _Port(xs[-1] - 0.35, fwd_top, f"fwd-{labels[-1]}"),
            _Port(xs[0] + 0.3, bwd_top, f"bwd-{labels[0]}"),
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
                color=_FWD[1],
            )
            c.arrow(
                [(x + 0.3, bwd_top), (x + r * 0.75, ym - r * 0.7)],
                f"arrow-merge-{s}-bwd-{label}",
                color=_BWD[1],
            )
            c.circle(x, ym, r, _MERGE, symbol, f"merge-{s}-{label}")
            out.append(_Port(x, ym + r, label))
        c.text(
            xs[-1] + r + 0.08, ym, str(mode), ha="left", va="center", fontsize=7, color=_MERGE[1]
        )
        return out, 2.45
    # Only the last step leaves: the forward direction's at t = T (right), the backward
    # direction's at t = 1 (left, where its pass ends); they meet above the last column.
    x = xs[-1]
    c.arrow(
        [(x - 0.35, fwd_top), (x - 0.35, ym - 0.2), (x - r * 0.75, ym - r * 0.7)],
        f"arrow-merge-{s}-fwd-{labels[-1]}",
        color=_FWD[1],
    )
    c.arrow(
        [(xs[0] + 0.3, bwd_top), (xs[0] + 0.3, ym), (x - r, ym)],
        f"arrow-merge-{s}-bwd-{labels[0]}",
        color=_BWD[1],
    )
    c.circle(x, ym, r, _MERGE, symbol, f"merge-{s}")
    c.text(x + r + 0.08, ym, str(mode), ha="left", va="center", fontsize=7, color=_MERGE[1])
    return [_Port(x, ym + r, "last")], 2.45


def _state_arrows(
    c: _Canvas,
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
    color = _BWD[1] if backwards else _FWD[1]
    for i in range(len(labels) - 1):
        left, right = xs[i] + offset + _CW / 2, xs[i + 1] + offset - _CW / 2
        points = [(right, y), (left, y)] if backwards else [(left, y), (right, y)]
        source = labels[i + 1] if backwards else labels[i]
        c.arrow(points, f"arrow-rec-{s}-{direction}-{source}", color=color, dashed=gap == i + 1)


def _td_row(
    c: _Canvas, stage: StageInfo, ports: list[_Port], y0: float, length: int | None
) -> tuple[list[_Port], float]:
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
            _CW + 0.1,
            h,
            _TD,
            _CELL_TEXT.get(inner.keras_class, inner.keras_class),
            f"td-{s}-{label}",
            size=6,
        )
    c.ellipsis(xs, gap, yc)
    c.steps_label(length, xs, yc, s)
    c.cells[stage.name] += len(labels)
    return [_Port(x, yc + h / 2, label) for label, x in zip(labels, xs)], 1.0


def _box_row(
    c: _Canvas, text: str, gid: str, key: str, shape: Shape, ports: list[_Port], y0: float
) -> tuple[list[_Port], float]:
    """Any other layer (or the layers not drawn): one box saying ``text``, whose output is
    ``shape``. Fed by every step below and handing every step up when it maps sequences
    (drawn wide), else a single box over the one tensor coming in."""
    c.kinds.add("box")
    out_seq = len(shape) >= 3 and len(ports) > 0
    out_labels, out_xs, out_gap = c.columns(_time(shape)) if out_seq else ([], [], None)
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
    c.box(x, yc, width, h, _BOX, text, gid)
    for port in ports:
        c.feed(port, port.x, yc - h / 2, f"arrow-in-{key}-{port.key}")
    top = yc + h / 2
    if out_seq:
        c.ellipsis(out_xs, out_gap, top + 0.18)
        return [_Port(xo, top, label) for label, xo in zip(out_labels, out_xs)], 1.0
    return [_Port(x, top, "out")], 1.0


def _label(c: _Canvas, x: float, y: float, lines: list[str]) -> None:
    c.text(x, y, "\n".join(lines), ha="right", va="center", fontsize=8, color=_INK, linespacing=1.4)


def draw(
    result: CheckResult,
    path: str | Path,
    *,
    title: str | None = None,
    steps: int = DEFAULT_STEPS,
    max_layers: int | None = None,
) -> DrawingStats:
    """Draw the checked spec ``result`` to ``path`` (``.svg`` or ``.png``, by suffix),
    atomically; ``steps`` (2 to `MAX_STEPS`) is how many time steps a long sequence shows
    around its ellipsis, ``max_layers`` how many layers a long chain shows around its
    ``… N more layers`` box (default: `layers_drawn`). Raises ValueError for a spec with
    errors, an unknown suffix or a bound out of range, OSError when the file cannot be
    written."""
    from .files import atomic_write

    target = Path(path)
    fmt_name = FORMATS.get(target.suffix.lower())
    if fmt_name is None:
        raise ValueError(f"{target}: draw writes .svg or .png files")
    if not result.ok or result.input is None:
        raise ValueError("a spec with errors cannot be drawn")
    if not 2 <= steps <= MAX_STEPS:
        raise ValueError(f"draw 2 to {MAX_STEPS} steps (the first and the last at least)")
    if max_layers is None:
        max_layers = layers_drawn(steps)
    if max_layers <= _TAIL_LAYERS:
        raise ValueError(f"draw more than {_TAIL_LAYERS} layers")

    import matplotlib

    rc = {"svg.fonttype": "none", "svg.hashsalt": "bilstm-dsl", "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        from matplotlib.figure import Figure

        fig = Figure()
        ax = fig.add_axes((0, 0, 1, 1))
        canvas = _Canvas(ax, steps)
        label_x, width_chars, hidden = _layout(canvas, result, max_layers)
        if title is None:
            title = (
                Path(result.path).stem if result.path not in ("<string>", "<stdin>") else "model"
            )
        _finish(fig, ax, canvas, _short(title, 100), label_x, width_chars)
        metadata = {"Date": None} if fmt_name == "svg" else {"Software": None}
        atomic_write(
            target,
            lambda tmp: fig.savefig(
                tmp,
                format=fmt_name,
                dpi=110,
                bbox_inches="tight",
                pad_inches=0.15,
                metadata=metadata,
            ),
        )
    ids = tuple(canvas.ids)
    return DrawingStats(
        cells=dict(canvas.cells),
        forward_cells=sum(i.startswith("cell-fwd-") for i in ids),
        backward_cells=sum(i.startswith("cell-bwd-") for i in ids),
        td_cells=sum(i.startswith("td-") for i in ids),
        merges=sum(i.startswith("merge-") for i in ids),
        arrows=sum(i.startswith("arrow-") for i in ids),
        elided=canvas.elided,
        hidden_layers=hidden,
        ids=ids,
    )


def _layout(c: _Canvas, result: CheckResult, max_layers: int) -> tuple[float, int, int]:
    """Draw the stages, bottom to top: all of them, or the first and the last few around
    one box for the rest when there are more than ``max_layers``. Returns where the stage
    labels go, their width in characters, and how many layers were not drawn."""
    assert result.input is not None
    label_x = -1.0
    labels: list[tuple[float, list[str]]] = []
    shape = result.input_shape
    dtype = str(result.input.get("dtype"))
    # The input: a row of per-step cells when it is a sequence (token ids count as one).
    sequence = len(shape) >= 3 or (len(shape) == 2 and dtype.startswith(("int", "uint")))
    y = 0.0
    if sequence:
        length = shape[1]
        steps, xs, gap = c.columns(length)
        for label, x in zip(steps, xs):
            c.box(
                x,
                y + 0.3,
                0.6,
                0.45,
                ("#ffffff", "#888888"),
                f"x{_subscript(label)}",
                f"input-{label}",
            )
        c.ellipsis(xs, gap, y + 0.3)
        c.steps_label(length, xs, y + 0.3, 0)
        ports = [_Port(x, y + 0.525, label) for label, x in zip(steps, xs)]
    else:
        c.box(0.0, y + 0.3, 1.2, 0.45, ("#ffffff", "#888888"), "x", "input")
        ports = [_Port(0.0, y + 0.525, "in")]
    labels.append((y + 0.3, [_written(result, result.input), _short(fmt(shape))]))
    y += 0.9
    stages: list[StageInfo | None] = list(result.stages)
    hidden: list[StageInfo] = []
    if len(stages) > max_layers:
        head = max_layers - _TAIL_LAYERS
        hidden = list(result.stages[head:-_TAIL_LAYERS])
        stages = stages[:head] + [None] + stages[-_TAIL_LAYERS:]
    for stage in stages:
        if stage is None:  # the layers not drawn
            last = hidden[-1]
            text = f"… {len(hidden):,} more layer{'' if len(hidden) == 1 else 's'}"
            ports, height = _box_row(c, text, "elided", "elided", last.shapes[0], ports, y)
            lines = [
                _short(f"lines {hidden[0].span.line}-{last.span.line}: not drawn"),
                _short(fmt_shapes(last.shapes)),
                f"{sum(h.params for h in hidden):,} params",
            ]
            labels.append((y + height / 2 - 0.1, lines))
            shape = last.shapes[0]
            y += height + 0.25
            continue
        cls = stage.layer.keras_class
        length = _time(shape)
        if cls in _CELL_TEXT or cls == "Bidirectional":
            ports, height = _recurrent_rows(c, stage, ports, y, length)
        elif cls == "TimeDistributed":
            ports, height = _td_row(c, stage, ports, y, length)
        else:
            text, shape_out = _written(result, stage.layer), stage.shapes[0]
            ports, height = _box_row(
                c, text, f"box-{stage.index}", str(stage.index), shape_out, ports, y
            )
        params = f"{stage.params:,} param{'' if stage.params == 1 else 's'}"
        labels.append(
            (
                y + height / 2 - 0.1,
                [_written(result, stage.layer), _short(fmt_shapes(stage.shapes)), params],
            )
        )
        shape = stage.shapes[0]
        y += height + 0.25
    # The model's output: one node per tensor leaving the last stage.
    for port in ports:
        c.feed(port, port.x, y + 0.2, f"arrow-out-{port.key}")
        c.circle(port.x, y + 0.38, 0.18, ("#ffffff", _INK), "ŷ", f"output-{port.key}")
    width = 0
    for yl, lines in labels:
        _label(c, label_x, yl, lines)
        width = max(width, *(len(line) for line in lines))
    return label_x, width, len(hidden)


def _finish(fig: Any, ax: Any, c: _Canvas, title: str, label_x: float, chars: int) -> None:
    """Limits, size (one data unit is `_UNIT` inches everywhere), title and legend."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    xmin = min(c.xmin, label_x - 0.09 * chars) - 0.2
    xmax, ymin, ymax = c.xmax + 0.3, c.ymin - 0.2, c.ymax + 0.3
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.set_size_inches((xmax - xmin) * _UNIT, (ymax - ymin) * _UNIT)
    ax.text(xmin, ymax + 0.1, title, ha="left", va="bottom", fontsize=11, weight="bold", color=_INK)
    entries = [
        ("fwd", Patch(facecolor=_FWD[0], edgecolor=_FWD[1], label="forward cell (state →)")),
        ("bwd", Patch(facecolor=_BWD[0], edgecolor=_BWD[1], label="backward cell (state ←)")),
        ("td", Patch(facecolor=_TD[0], edgecolor=_TD[1], label="td(...): same layer per step")),
        ("box", Patch(facecolor=_BOX[0], edgecolor=_BOX[1], label="layer")),
        (
            "merge",
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=_MERGE[0],
                markeredgecolor=_MERGE[1],
                label="merge: ‖ concat, + sum, × mul, μ ave",
            ),
        ),
    ]
    handles = [h for kind, h in entries if kind in c.kinds]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        ncol=min(3, len(handles)),
        fontsize=7,
        frameon=False,
    )


# -- the command line


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register `bilstm-dsl draw` on an argparse subparsers object."""
    p = sub.add_parser("draw", help="draw the model unrolled over time, as SVG or PNG")
    p.add_argument("path", metavar="PATH", help="an .arch file, or - for stdin")
    p.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="OUT.svg or OUT.png (atomically)"
    )
    p.add_argument(
        "--steps",
        type=int,
        default=DEFAULT_STEPS,
        metavar="N",
        help=f"time steps drawn before a long sequence is elided (2 to {MAX_STEPS}, "
        f"default {DEFAULT_STEPS})",
    )
    p.add_argument("--title", help="the picture's title (default: the spec's file name)")
    p.set_defaults(run=cmd_draw)
    return p


def cmd_draw(args: argparse.Namespace) -> int:
    """Check, then draw; nothing is written unless the spec checks clean. Exit 0 drawn,
    1 the spec has errors, 2 (UsageError) a bad command line or unwritable output."""
    from .diagnostics import render
    from .files import OutputError, UsageError, check_output_path, check_path

    suffix = Path(args.output).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{args.output}: draw writes .svg or .png files")
    if args.steps < 2:
        raise UsageError(f"--steps {args.steps}: draw at least 2 steps (the first and the last)")
    if args.steps > MAX_STEPS:
        raise UsageError(f"--steps {args.steps}: draw at most {MAX_STEPS} steps")
    try:
        target = check_output_path(args.output, args.path)
    except OutputError as error:
        raise UsageError(str(error)) from None
    result = check_path(args.path)
    for diag in result.diagnostics:  # errors stop us; warnings and notes are worth seeing
        print(render(diag, result.source, result.path), file=sys.stderr)
    if not result.ok:
        return 1
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError(
            "draw needs matplotlib; install it with: pip install 'bilstm-dsl[draw]'"
        ) from None
    try:
        stats = draw(result, target, title=args.title, steps=args.steps)
    except OSError as error:
        raise UsageError(f"{target}: cannot write: {error.strerror or error}") from None
    cells = stats.forward_cells + stats.backward_cells
    print(f"wrote {target} ({cells} recurrent cells, {stats.arrows} arrows)", file=sys.stderr)
    if stats.hidden_layers:
        total = len(result.stages)
        print(
            f"note: drew {total - stats.hidden_layers:,} of the {total:,} layers: the first "
            f"{layers_drawn(args.steps) - _TAIL_LAYERS}, one box for the "
            f"{stats.hidden_layers:,} after them, "
            f"and the last {_TAIL_LAYERS}",
            file=sys.stderr,
        )
    return 0
