"""Draw a checked spec as the lecture note draws recurrent networks: `bilstm-dsl draw`.

Every recurrent stage is unrolled over its time steps, left to right: forward cells in blue
with the state passed right, backward cells (the backward half of a bidirectional layer, or
a `go_backwards` layer) in orange with the state passed left. The merge of a bidirectional
layer sits where it happens (every step with `seq`, once with only the last step), `td(...)`
is one small box per step, any other layer one box. Long sequences show their first and last
steps around an ellipsis, with the real length written.

The picture is made from the checker's result alone (never TensorFlow), in three steps:
`draw_layout` places every element on a `draw_scene.Scene` (plain data), `draw_render`
paints the scene with matplotlib, imported only there and only when drawing so `check`
stays light. This module is the entry point: `draw` and the `draw` subcommand. Every drawn
element of interest carries an SVG id (`cell-fwd-<stage>-<t>`, `cell-bwd-...`, `td-...`,
`merge-...`, `arrow-...`), so tests can count them in the XML.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from . import draw_render
from .draw_graph import layout_graph
from .draw_layout import MAX_COLUMNS, MAX_LAYERS, TAIL_LAYERS, layers_drawn, layout, shorten
from .draw_scene import Scene
from .model import CheckResult

__all__ = [
    "DEFAULT_STEPS",
    "FORMATS",
    "MAX_COLUMNS",
    "MAX_LAYERS",
    "MAX_STEPS",
    "DrawingStats",
    "add_arguments",
    "cmd_draw",
    "draw",
    "graph_budget",
    "layers_drawn",
]

DEFAULT_STEPS = 6
MAX_STEPS = 16
"""Most time steps drawn per sequence (``--steps``)."""
FORMATS = {".svg": "svg", ".png": "png"}


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


def graph_budget(max_layers: int) -> int:
    """Most stages of a graph drawn, inputs included: a graph's stages sit side by side
    as well as above each other, so it may show twice a chain's layers."""
    return 2 * max_layers


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
    if max_layers <= TAIL_LAYERS:
        raise ValueError(f"draw more than {TAIL_LAYERS} layers")

    scene = Scene(steps)
    if result.graph is not None:
        hidden = layout_graph(scene, result, graph_budget(max_layers))
        label_x, width_chars = scene.xmin, 0
    else:
        label_x, width_chars, hidden = layout(scene, result, max_layers)
    if title is None:
        title = Path(result.path).stem if result.path not in ("<string>", "<stdin>") else "model"
    draw_render.write(scene, target, fmt_name, shorten(title, 100), label_x, width_chars)
    ids = tuple(scene.ids)
    return DrawingStats(
        cells=dict(scene.cells),
        forward_cells=sum(i.startswith("cell-fwd-") for i in ids),
        backward_cells=sum(i.startswith("cell-bwd-") for i in ids),
        td_cells=sum(i.startswith("td-") for i in ids),
        merges=sum(i.startswith("merge-") for i in ids),
        arrows=sum(i.startswith("arrow-") for i in ids),
        elided=scene.elided,
        hidden_layers=hidden,
        ids=ids,
    )


# -- the command line


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of `bilstm-dsl draw` (the CLI lists the command)."""
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


def cmd_draw(args: argparse.Namespace) -> int:
    """Check, then draw; nothing is written unless the spec checks clean. Exit 0 drawn,
    1 the spec has errors, 2 (UsageError) a bad command line or unwritable output."""
    from .diagnostics import render
    from .files import OutputError, UsageError, check_path
    from .writes import check_output_path

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
    if stats.hidden_layers and result.graph is not None:
        total = len(result.stages)
        shown = graph_budget(layers_drawn(args.steps))
        print(
            f"note: drew {total - stats.hidden_layers:,} of the graph's {total:,} layers "
            f"(at most {shown} with --steps {args.steps}): the first "
            f"{shown - TAIL_LAYERS}, one box for the {stats.hidden_layers:,} after them, "
            f"and the last {TAIL_LAYERS}",
            file=sys.stderr,
        )
    elif stats.hidden_layers:
        total = len(result.stages)
        print(
            f"note: drew {total - stats.hidden_layers:,} of the {total:,} layers: the first "
            f"{layers_drawn(args.steps) - TAIL_LAYERS}, one box for the "
            f"{stats.hidden_layers:,} after them, "
            f"and the last {TAIL_LAYERS}",
            file=sys.stderr,
        )
    return 0
