"""A picture of a model as plain data: what `draw_layout` places and `draw_render` paints.

A `Scene` records boxes, circles, arrows and text in drawing order, with their colours,
their SVG ids and the extent they cover; it knows nothing of matplotlib, so laying a model
out costs no import and the layout can be read (and tested) without the renderer. The
colours and the geometry every part of the picture shares live here too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

# Colours: forward blue, backward orange (as in the lecture note), per-step layers green.
FWD = ("#dbe8f6", "#1f5fa8")
BWD = ("#fde3c8", "#d9650b")
TD = ("#e2f0d9", "#4e8a3a")
BOX = ("#efefef", "#555555")
MERGE = ("#ffffff", "#6a4c9c")
INK = "#333333"
STEPS_LOOK = (7, "#777777", "center")
"""How a row's time range is written beside it (`Scene.aside`)."""
_CHAR = {7: 0.09, 6.5: 0.075}
"""Width of a character per font size, for a drawing's extent."""

# Geometry, in data units (one unit is `UNIT` inches): column spacing, the extra room an
# ellipsis takes, and a cell's size.
UNIT = 0.6
_S = 1.6
_GAP = 1.0
CELL_W, CELL_H = 0.7, 0.5


@dataclass(frozen=True)
class Box:
    """A rounded box centred on (x, y) with ``text`` inside."""

    x: float
    y: float
    w: float
    h: float
    colors: tuple[str, str]
    text: str
    gid: str
    size: float


@dataclass(frozen=True)
class Circle:
    """A circle centred on (x, y), ``text`` inside in its edge colour."""

    x: float
    y: float
    r: float
    colors: tuple[str, str]
    text: str
    gid: str


@dataclass(frozen=True)
class Arrow:
    """An arrow along the polyline ``points``, its head at the last point."""

    points: list[tuple[float, float]]
    gid: str
    color: str
    dashed: bool


@dataclass(frozen=True)
class Text:
    """Free text; ``style`` holds matplotlib's text properties (alignment, size, colour)."""

    x: float
    y: float
    text: str
    gid: str | None
    style: dict[str, Any]


@dataclass(frozen=True)
class Port:
    """Where a tensor leaves a drawn element, going up: its position and an id suffix."""

    x: float
    y: float
    key: str


def _steps(length: int | None, limit: int) -> tuple[list[str], int | None]:
    """The step labels to draw for a sequence of ``length`` steps, and the slot before
    which the ellipsis goes (None when every step is drawn). ``None`` is variable length;
    a named length (``T`` of ``input(T, 8)``) labels its last steps ``T``, ``T-1``, ..."""
    if type(length) is int and length <= limit:
        return [str(t) for t in range(1, length + 1)], None
    head = (limit + 1) // 2
    tail = limit - head
    if type(length) is not int:
        n = "n" if length is None else str(length)
        last = [n if k == 0 else f"{n}-{k}" for k in range(tail - 1, -1, -1)]
    else:
        last = [str(t) for t in range(length - tail + 1, length + 1)]
    return [str(t) for t in range(1, head + 1)] + last, head


class Scene:
    """What is drawn, in order, with the ids given so far and the extent used."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.items: list[Box | Circle | Arrow | Text] = []
        self.ids: list[str] = []
        self.cells: Counter[str] = Counter()
        self.elided = False
        self.kinds: set[str] = set()
        self.xmin = self.ymin = float("inf")
        self.xmax = self.ymax = float("-inf")

    # -- primitives

    def _id(self, gid: str) -> str:
        assert gid not in self.ids, gid
        self.ids.append(gid)
        return gid

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
        self.items.append(Box(x, y, w, h, colors, text, self._id(gid), size))
        self._extent(x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    def circle(
        self, x: float, y: float, r: float, colors: tuple[str, str], text: str, gid: str
    ) -> None:
        self.items.append(Circle(x, y, r, colors, text, self._id(gid)))
        self._extent(x - r, y - r, x + r, y + r)

    def arrow(
        self, points: list[tuple[float, float]], gid: str, color: str = INK, dashed: bool = False
    ) -> None:
        """An arrow along the polyline ``points``, its head at the last point."""
        self.items.append(Arrow(points, self._id(gid), color, dashed))
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        self._extent(min(xs), min(ys), max(xs), max(ys))

    def feed(self, port: Port, x: float, y: float, gid: str) -> None:
        """An arrow from ``port`` up to (x, y)."""
        if abs(port.x - x) < 1e-9:
            self.arrow([(port.x, port.y), (x, y)], gid)
        else:  # a short stem, then the branch: two arrows from one port read as a fork
            stem = port.y + min(0.1, (y - port.y) / 3)
            bend = stem + min(0.12, (y - stem) / 2)
            self.arrow([(port.x, port.y), (port.x, stem), (x, bend), (x, y)], gid)

    def text(self, x: float, y: float, text: str, gid: str | None = None, **kw: Any) -> None:
        self.items.append(Text(x, y, text, self._id(gid) if gid is not None else None, kw))

    def aside(self, x: float, y: float, text: str, gid: str, look: tuple[float, str, str]) -> None:
        """A small italic remark left-aligned at (x, y): a time range, a tensor's name.
        ``look`` is (font size, colour, vertical alignment); the drawing's extent grows by
        the text's width (a character is ~0.0118 of the font size wide)."""
        size, color, va = look
        self.text(x, y, text, gid=gid, ha="left", va=va, fontsize=size, color=color, style="italic")
        self._extent(x, y, x + _CHAR[size] * len(text), y + (0.2 if va == "bottom" else 0.0))

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
            self.text(x, y, "…", ha="center", va="center", fontsize=11, color=INK)

    def steps_label(self, length: int | None, xs: list[float], y: float, stage: int) -> None:
        """The real time range, right of an unrolled row: ``t = 1 … 200``."""
        end = "n (variable length)" if length is None else str(length)
        text = f"t = 1 … {end}" if length != 1 else "t = 1"
        self.aside(xs[-1] + 0.85, y, text, f"steps-{stage}", STEPS_LOOK)
