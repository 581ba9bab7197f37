"""`bilstm-dsl summary`'s table: what Keras's ``model.summary()`` prints, computed without
Keras (``keras/src/utils/summary_utils.py``): a chain as a Sequential-like model, a graph
as a functional one, with its "Connected to" column."""

from __future__ import annotations

from collections.abc import Sequence

from .diagnostics import printable
from .model import CheckResult, graph_rows, readable_size
from .shapes import fmt, fmt_shapes

_HEADERS = ("Layer (type)", "Output Shape", "Param #")
_CONNECTED = "Connected to"
_MIN_WIDTHS = (30, 24, 10, 20)


def summary_table(result: CheckResult, name: str) -> str:
    """The table for a spec that checked without errors."""
    summary = result.summary
    assert summary is not None and result.input is not None
    headers: tuple[str, ...] = _HEADERS
    if result.graph is not None:
        headers += (_CONNECTED,)
        rows = [
            (
                f"{printable(row.name)} ({row.layer.keras_class})",
                _shapes(row.shapes),
                f"{row.params:,}",
                ", ".join(row.connected) or "-",
            )
            for row in graph_rows(result, result.graph)
        ]
    else:
        input_name = str(result.input.args.get("name") or "input_layer")
        rows = [(f"{printable(input_name)} (InputLayer)", fmt(result.input_shape), "0")]
        for stage in result.stages:
            rows.append(
                (
                    f"{printable(stage.name)} ({stage.layer.keras_class})",
                    fmt_shapes(stage.shapes),
                    f"{stage.params:,}",
                )
            )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    widths = [max(w, m) for w, m in zip(widths, _MIN_WIDTHS)]

    def line(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row(cells: Sequence[str], edge: str) -> str:
        padded = [
            cell.rjust(width) if column == 2 else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths))
        ]
        return edge + edge.join(f" {c} " for c in padded) + edge

    table = [
        f'Model: "{printable(name)}"',
        line("┏", "┳", "┓", "━"),
        row(headers, "┃"),
        line("┡", "╇", "┩", "━"),
    ]
    for i, cells in enumerate(rows):
        table.append(row(cells, "│"))
        table.append(line("├", "┼", "┤", "─") if i < len(rows) - 1 else line("└", "┴", "┘", "─"))
    for label, key in (
        ("Total params", "total_params"),
        ("Trainable params", "trainable_params"),
        ("Non-trainable params", "non_trainable_params"),
    ):
        count = int(summary[key])  # type: ignore[call-overload]
        # float32 weights, as Keras's summary assumes for the default dtype
        table.append(f" {label}: {count:,} ({readable_size(count * 4)})")
    return "\n".join(table)


def _shapes(shapes: tuple) -> str:
    """Keras lists several outputs in brackets: ``[(None, 8), (None, 8)]``."""
    return fmt_shapes(shapes, listed=True)
