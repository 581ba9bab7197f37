"""Where everything goes in a picture of a graph: several inputs, branches and merges,
several outputs, shared layers and initial states, each recurrent layer still unrolled
over its time steps as in a chain's picture.

Each stage is drawn first on its own, at the origin, by the same builders as a chain's
stages (`draw_layout`), with the arrows into it only recorded; it is then measured and
moved into place. Stages go in rows by their longest path from an input (a layered
layout: every arrow goes up), left to right in the order the file makes them, each under
the first tensor it reads when there is room. Then the arrows between stages are drawn:
per step where a sequence flows, one per tensor into a merge, and a state arrow from the
last cell of a layer that returns its states into the first cell of the layer it starts
(`initial_state`). Named tensors label the arrows they leave on. A graph of more stages
than the cap shows the first ones, one ``… N more layers`` box for the rest of the middle,
and the last `TAIL_LAYERS`.
"""

from __future__ import annotations

from dataclasses import replace

from .draw_layout import (
    TAIL_LAYERS,
    box_row,
    input_row,
    recurrent_rows,
    shorten,
    td_row,
    time_of,
    unrolled,
    written,
)
from .draw_scene import BWD, FWD, INK, Arrow, Box, Port, Scene
from .graph_names import labels as tensor_labels
from .model import CheckResult, Graph, StageInfo
from .parser import parse
from .shapes import fmt_shapes

_GAP_X, _GAP_Y = 1.2, 0.9
_STATE_DX = 0.36
ELIDED = -1
"""The stage number of the box standing for the layers not drawn."""


class _Block(Scene):
    """One stage drawn on its own, at the origin: it shares the picture's ids and counts,
    keeps its own items and extent, and records the arrows into it instead of drawing
    them (their tails are in stages not yet placed)."""

    def __init__(self, main: Scene) -> None:
        super().__init__(main.steps)
        self.ids, self.cells, self.kinds = main.ids, main.cells, main.kinds
        self.feeds: list[tuple[Port, float, float, str]] = []
        self.out: dict[int, list[Port]] = {}

    def feed(self, port: Port, x: float, y: float, gid: str) -> None:
        self.feeds.append((port, x, y, gid))

    def move(self, dx: float, dy: float, main: Scene) -> None:
        """Every item, port and recorded arrow shifted by (dx, dy), the items into ``main``."""
        for item in self.items:
            if isinstance(item, Arrow):
                main.items.append(replace(item, points=[(x + dx, y + dy) for x, y in item.points]))
            else:
                main.items.append(replace(item, x=item.x + dx, y=item.y + dy))
        main._extent(self.xmin + dx, self.ymin + dy, self.xmax + dx, self.ymax + dy)
        main.elided = main.elided or self.elided
        self.items = []
        self.feeds = [(_shift(p, dx, dy), x + dx, y + dy, g) for p, x, y, g in self.feeds]
        self.out = {k: [_shift(p, dx, dy) for p in ports] for k, ports in self.out.items()}


def _shift(port: Port, dx: float, dy: float) -> Port:
    return Port(port.x + dx, port.y + dy, port.key)


class GraphLayout:
    """The stages of ``result``'s graph placed on ``scene``; `run` draws them."""

    def __init__(self, scene: Scene, result: CheckResult, budget: int) -> None:
        assert result.graph is not None
        self.c, self.result, self.graph = scene, result, result.graph
        self.by_stage = {s.index: s for s in result.stages}
        g: Graph = self.graph
        self.parents = {
            s: [src for src, _ in g.inbound.get(s, ()) + g.initial.get(s, ())]
            for s in self.by_stage
        }
        order = sorted(self.by_stage, key=lambda s: (self._rank_all(s), s))
        self.hidden: list[int] = []
        if len(order) > budget:
            head = budget - TAIL_LAYERS
            self.hidden = order[head:-TAIL_LAYERS]
        self.blocks: dict[int, _Block] = {}
        self.origin: dict[int, float] = {}
        program = parse(result.source).program
        counts = {s: len(info.shapes) for s, info in self.by_stage.items()}
        self.calls = g.calls()
        self.names = tensor_labels(program, g, counts) if program is not None else {}

    def _rank_all(self, stage: int, memo: dict[int, int] | None = None) -> int:
        memo = self.__dict__.setdefault("_ranks", {}) if memo is None else memo
        if stage not in memo:
            memo[stage] = 1 + max(
                (self._rank_all(p, memo) for p in self.parents[stage]), default=-1
            )
        return memo[stage]

    def node(self, stage: int) -> int:
        """The drawn node standing for ``stage``: itself, or the elided box."""
        return ELIDED if stage in self.hidden else stage

    def run(self) -> int:
        """Draw everything; how many stages were not drawn."""
        hidden = set(self.hidden)
        nodes = [s for s in sorted(self.by_stage) if s not in hidden]
        if hidden:
            first = min(hidden)
            nodes.insert(next((i for i, s in enumerate(nodes) if s > first), len(nodes)), ELIDED)
        sources = {n: self._sources(n) for n in nodes}
        rank: dict[int, int] = {}
        for n in nodes:  # stages come in an order where every tensor is made before use
            rank[n] = 1 + max((rank[p] for p in sources[n] if p in rank), default=-1)
        for n in nodes:
            self.blocks[n] = self._build(n)
        self._place(nodes, rank, sources)
        for n in nodes:
            self._arrows_into(n)
        return len(self.hidden)

    def _sources(self, n: int) -> list[int]:
        stages = self.hidden if n == ELIDED else [n]
        found = []
        for s in stages:
            for p in self.parents[s]:
                node = self.node(p)
                if node != n and node not in found:
                    found.append(node)
        return found

    # -- one stage, at the origin

    def _inputs(self, stage: int) -> list[tuple[int, int]]:
        return list(self.graph.inbound.get(stage, ()))

    def _build(self, n: int) -> _Block:
        b = _Block(self.c)
        if n == ELIDED:
            last = self.by_stage[self.hidden[-1]]
            count = len(self.hidden)
            text = f"… {count:,} more layer{'' if count == 1 else 's'}"
            ports, height = box_row(b, text, "elided", "elided", (None,), [Port(0, 0, "in")], 0)
            lines = [
                f"{count:,} layers not drawn",
                shorten(fmt_shapes(last.shapes)),
                f"{sum(self.by_stage[h].params for h in self.hidden):,} params",
            ]
            b.out = {0: ports}
            _side_label(b, lines, height)
            return b
        info = self.by_stage[n]
        layer, cls = info.layer, info.layer.keras_class
        inputs = self._inputs(n)
        if cls == "InputLayer":
            shape = info.shapes[0]
            b.out[0] = input_row(b, shape, str(layer.get("dtype")), f"input-{n}", n, 0.0)
            height = 0.6
        else:
            in_shape = self.by_stage[inputs[0][0]].shapes[inputs[0][1]] if inputs else ()
            length = time_of(in_shape) if in_shape else None
            stubs = self._stubs(b, inputs[0], length) if len(inputs) == 1 else []
            if unrolled(layer) and stubs:
                ports, height = recurrent_rows(b, info, stubs, 0.0, length)
            elif cls == "TimeDistributed" and stubs:
                ports, height = td_row(b, info, stubs, 0.0, length)
            else:
                stubs = stubs or [Port(0.0, -0.3, "in")]
                text = written(self.result, layer)
                ports, height = box_row(b, text, f"box-{n}", str(n), info.shapes[0], stubs, 0.0)
                if len(inputs) != 1:
                    b.feeds = []  # drawn per tensor once placed
            b.out[0] = ports
            _state_ports(b, info)
        for p in range(1, len(info.shapes)):
            b.out.setdefault(p, b.out[0])
        _outputs(b, n, self.graph.outputs)
        _names(b, n, self.names)
        params = (
            f"{info.params:,} param{'' if type(info.params) is int and info.params == 1 else 's'}"
        )
        lines = [shorten(f"{info.name}: {written(self.result, layer)}")]
        lines.append(shorten(fmt_shapes(info.shapes)))
        if cls != "InputLayer":
            call = self.calls.get(n, 0)
            if n in self.graph.shared:
                params += f", shared: call {call + 1}" if call == 0 else ""
                lines.append(params if call == 0 else f"shared: call {call + 1}, same weights")
            else:
                lines.append(params)
        _side_label(b, lines, height)
        return b

    def _stubs(self, b: _Block, ref: tuple[int, int], length: int | None) -> list[Port]:
        """Stand-ins for the ports of the tensor read, one per port it will have, under
        this stage's own columns."""
        count = self._port_count(ref)
        _, xs, _ = b.columns(length)
        if len(xs) != count:
            xs = [i * 1.6 for i in range(count)]
        return [Port(x, -0.3, str(i)) for i, x in enumerate(xs)]

    def _port_count(self, ref: tuple[int, int]) -> int:
        stage, port = ref
        node = self.node(stage)
        if node == ELIDED:
            return 1
        block = self.blocks.get(node)
        if block is not None:
            return len(block.out.get(port, block.out[0]))
        return 1

    # -- placing

    def _place(self, nodes: list[int], rank: dict[int, int], sources: dict[int, list[int]]) -> None:
        rows: dict[int, list[int]] = {}
        for n in nodes:
            rows.setdefault(rank[n], []).append(n)
        y = 0.0
        for r in sorted(rows):
            row = sorted(rows[r], key=lambda n: (self._wanted(n, sources), n))
            cursor = float("-inf")
            for n in row:
                b = self.blocks[n]
                ox = max(self._wanted(n, sources), cursor - b.xmin)
                self.origin[n] = ox
                b.move(ox, y - b.ymin, self.c)
                cursor = ox + b.xmax + _GAP_X
            y += max(self.blocks[n].ymax - self.blocks[n].ymin for n in row) + _GAP_Y

    def _wanted(self, n: int, sources: dict[int, list[int]]) -> float:
        """Under the first tensor read, when it is placed already; else at the left."""
        for p in sources[n]:
            if p in self.origin:
                return self.origin[p]
        return 0.0

    # -- arrows between stages

    def _tensor_ports(self, ref: tuple[int, int]) -> list[Port]:
        stage, port = ref
        b = self.blocks[self.node(stage)]
        return b.out.get(port, b.out[0])

    def _arrows_into(self, n: int) -> None:
        b = self.blocks[n]
        c = self.c
        for stub, x, y, gid in b.feeds:
            ports = self._single_source(n)
            if not ports:
                continue
            i = int(stub.key) if stub.key.isdigit() else 0
            c.feed(ports[min(i, len(ports) - 1)], x, y, gid)
        if n == ELIDED:
            refs = sorted(
                {(p, 0) for h in self.hidden for p in self.parents[h] if self.node(p) != ELIDED}
            )
            self._into_box(b, n, "elided", refs)
            return
        inputs = self._inputs(n)
        if len(inputs) > 1:
            self._into_box(b, n, f"box-{n}", inputs)
        for j, ref in enumerate(self.graph.initial.get(n, ())):
            self._initial_state(n, j, ref)

    def _single_source(self, n: int) -> list[Port]:
        if n == ELIDED:
            return []
        inputs = self._inputs(n)
        return self._tensor_ports(inputs[0]) if len(inputs) == 1 else []

    def _into_box(self, b: _Block, n: int, gid: str, refs: list[tuple[int, int]]) -> None:
        """One arrow per port of each tensor read into the box (a merge, attention)."""
        box = next(i for i in self.c.items if isinstance(i, Box) and i.gid == gid)
        left, right = box.x - box.w / 2 + 0.1, box.x + box.w / 2 - 0.1
        bottom = box.y - box.h / 2
        for i, ref in enumerate(refs):
            ports = self._tensor_ports(ref)
            for port in ports:
                x = min(max(port.x, left), right)
                if len(refs) > 1 and not left < port.x < right:
                    x = left + (right - left) * (i + 0.5) / len(refs)
                key = "elided" if n == ELIDED else n
                self.c.feed(port, x, bottom, f"arrow-in-{key}-{i}-{port.key}")

    def _initial_state(self, n: int, j: int, ref: tuple[int, int]) -> None:
        """The state a tensor hands to the first step of a recurrent layer."""
        info = self.by_stage[n]
        states = len(self.graph.initial[n])
        cells = [i for i in self.c.items if isinstance(i, Box) and i.gid.startswith("cell-")]
        fwd = [i for i in cells if i.gid.startswith(f"cell-fwd-{n}-")]
        bwd = [i for i in cells if i.gid.startswith(f"cell-bwd-{n}-")]
        if not fwd and not bwd:
            return  # drawn as one box (too long a chain to unroll)
        backward_half = info.layer.keras_class == "Bidirectional" and j >= states // 2
        if (backward_half or not fwd) and bwd:
            cell, side, color = bwd[-1], 1, BWD[1]
        else:
            cell, side, color = fwd[0], -1, FWD[1]
        k = j - states // 2 if backward_half else j
        tx = cell.x + side * cell.w / 2
        ty = cell.y + cell.h / 2 - 0.1 - 0.12 * k
        port = self._tensor_ports(ref)[-1]
        rise = port.y + 0.25 + 0.12 * j
        points = [(port.x, port.y), (port.x, rise), (tx + side * 0.3, ty), (tx, ty)]
        self.c.arrow(points, f"arrow-state-{n}-{j}", color=color, dashed=True)


def _cells(b: _Block, prefix: str) -> list[Box]:
    return [i for i in b.items if isinstance(i, Box) and i.gid.startswith(prefix)]


def _state_ports(b: _Block, info: StageInfo) -> None:
    """A recurrent layer's states leave the top of its last cell, right of its output:
    the forward direction's from the cell at t = T, the backward one's from t = 1."""
    states = len(info.shapes) - 1
    if states <= 0 or not unrolled(info.layer):
        return
    s = info.index
    fwd, bwd = _cells(b, f"cell-fwd-{s}-"), _cells(b, f"cell-bwd-{s}-")
    if info.layer.keras_class == "Bidirectional":
        ends = [fwd[-1]] * (states // 2) + [bwd[0]] * (states - states // 2)
    else:
        ends = [fwd[-1] if fwd else bwd[0]] * states
    for p, cell in enumerate(ends, start=1):
        k = ends.index(cell)
        k = p - 1 - k
        x = cell.x + cell.w / 2 - 0.08 + _STATE_DX * k
        b.out[p] = [Port(x, cell.y + cell.h / 2, f"state{p}")]


def _outputs(b: _Block, n: int, outputs: tuple[tuple[int, int], ...]) -> None:
    """The model's outputs made here: a ``ŷ`` node above each port of the tensor."""
    for stage, port in outputs:
        if stage != n:
            continue
        ports = b.out.get(port, b.out[0])
        for at in ports:
            key = f"{n}-{port}-{at.key}"
            # Several outputs of one stage: each higher than the one before.
            dx = 0.0 if at.key.startswith("state") or port == 0 else _STATE_DX * port
            top = (at.x + dx, at.y + 0.3 + 0.45 * port)
            b.arrow([(at.x, at.y), top], f"arrow-out-{key}")
            b.circle(top[0], top[1] + 0.16, 0.16, ("#ffffff", INK), "ŷ", f"output-{key}")


def _names(b: _Block, n: int, names: dict[tuple[int, int], str]) -> None:
    """The names of the tensors made here, where they leave."""
    for (stage, port), name in sorted(names.items()):
        if stage != n or not b.out.get(port):
            continue
        at = b.out[port][0]
        state = at.key.startswith("state")
        text = shorten(name, 24)
        x, y = at.x + 0.05, at.y + 0.08 + (0.22 * (port - 1) if state else 0.0)
        b.aside(x, y, text, f"tensor-{stage}-{port}", (6.5, "#555555", "bottom"))


def _side_label(b: _Block, lines: list[str], height: float) -> None:
    x = b.xmax + 0.3
    y = height / 2 - 0.1
    b.text(x, y, "\n".join(lines), ha="left", va="center", fontsize=7, color=INK, linespacing=1.4)
    width = 0.08 * max(len(line) for line in lines)
    b._extent(x, y - 0.2 * len(lines), x + width, y + 0.2 * len(lines))


def layout_graph(scene: Scene, result: CheckResult, budget: int) -> int:
    """Lay ``result``'s graph out on ``scene``, at most ``budget`` stages (inputs included)
    drawn; returns how many were not."""
    return GraphLayout(scene, result, budget).run()
