"""A `Scene` painted with matplotlib and written as SVG or PNG: the one module of the drawing
that imports matplotlib, inside its functions, so `check` stays light.

Every element of interest keeps its SVG id (`cell-fwd-<stage>-<t>`, `arrow-...`), and the
output is reproducible: no date in an SVG, no software tag in a PNG, a fixed hash salt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .draw_scene import BOX, BWD, FWD, INK, MERGE, TD, UNIT, Arrow, Box, Circle, Scene


def write(
    scene: Scene, target: Path, fmt_name: str, title: str, label_x: float, chars: int
) -> None:
    """Paint ``scene`` and write it to ``target`` atomically in ``fmt_name`` (``svg`` or
    ``png``), under ``title``; the stage labels end at ``label_x`` and are ``chars`` wide."""
    import matplotlib

    from .writes import atomic_write

    rc = {"svg.fonttype": "none", "svg.hashsalt": "bilstm-dsl", "font.family": "DejaVu Sans"}
    with matplotlib.rc_context(rc):
        from matplotlib.figure import Figure

        fig = Figure()
        ax = fig.add_axes((0, 0, 1, 1))
        _paint(ax, scene)
        _finish(fig, ax, scene, title, label_x, chars)
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


def _paint(ax: Any, scene: Scene) -> None:
    """Every item of ``scene`` as a matplotlib artist, in drawing order."""
    from matplotlib.patches import Circle as CirclePatch
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path as MplPath

    for item in scene.items:
        if isinstance(item, Box):
            x, y, w, h = item.x, item.y, item.w, item.h
            box = FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=item.colors[0],
                edgecolor=item.colors[1],
                linewidth=1.2,
            )
            _add(ax, box, item.gid)
            ax.text(x, y, item.text, ha="center", va="center", fontsize=item.size, color=INK)
        elif isinstance(item, Circle):
            circle = CirclePatch(
                (item.x, item.y),
                item.r,
                facecolor=item.colors[0],
                edgecolor=item.colors[1],
                linewidth=1.2,
            )
            _add(ax, circle, item.gid)
            ax.text(
                item.x,
                item.y,
                item.text,
                ha="center",
                va="center",
                fontsize=8,
                color=item.colors[1],
            )
        elif isinstance(item, Arrow):
            arrow = FancyArrowPatch(
                path=MplPath(item.points),
                arrowstyle="-|>",
                mutation_scale=7,
                linewidth=1.0,
                color=item.color,
                linestyle=(0, (3, 2)) if item.dashed else "-",
            )
            _add(ax, arrow, item.gid)
        else:
            artist = ax.text(item.x, item.y, item.text, **item.style)
            if item.gid is not None:
                artist.set_gid(item.gid)


def _add(ax: Any, patch: Any, gid: str) -> None:
    # Not `add_patch`: it updates the data limits from the patch's path, which cost most of
    # the drawing time, and `_finish` sets the limits from the scene's extent anyway.
    patch.set_gid(gid)
    ax.add_artist(patch)


def _finish(fig: Any, ax: Any, c: Scene, title: str, label_x: float, chars: int) -> None:
    """Limits, size (one data unit is `UNIT` inches everywhere), title and legend."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    xmin = min(c.xmin, label_x - 0.09 * chars) - 0.2
    xmax, ymin, ymax = c.xmax + 0.3, c.ymin - 0.2, c.ymax + 0.3
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.set_size_inches((xmax - xmin) * UNIT, (ymax - ymin) * UNIT)
    ax.text(xmin, ymax + 0.1, title, ha="left", va="bottom", fontsize=11, weight="bold", color=INK)
    entries = [
        ("fwd", Patch(facecolor=FWD[0], edgecolor=FWD[1], label="forward cell (state →)")),
        ("bwd", Patch(facecolor=BWD[0], edgecolor=BWD[1], label="backward cell (state ←)")),
        ("td", Patch(facecolor=TD[0], edgecolor=TD[1], label="td(...): same layer per step")),
        ("box", Patch(facecolor=BOX[0], edgecolor=BOX[1], label="layer")),
        (
            "merge",
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor=MERGE[0],
                markeredgecolor=MERGE[1],
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
