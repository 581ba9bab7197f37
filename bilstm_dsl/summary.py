"""`bilstm-dsl summary`'s table: what Keras's ``model.summary()`` prints, computed without
Keras (``keras/src/utils/summary_utils.py``): a chain as a Sequential-like model, a graph
as a functional one, with its "Connected to" column."""

from __future__ import annotations

from .diagnostics import printable
from .memory import readable_size
from .model import CheckResult, Layer, graph_rows
from .open_input import FEATURES
from .shapes import fmt, fmt_shapes
from .symbolic import Sym, names_in

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .costs import Costs

_HEADERS = ("Layer (type)", "Output Shape", "Param #")
_CONNECTED = "Connected to"
_MIN_WIDTHS = (30, 24, 10, 20)


def _type(layer: Layer) -> str:
    """The type column: the Keras class, marked when its shape and params are the spec's
    word (an opaque layer) rather than computed."""
    declared = getattr(layer.spec, "declared", False)
    return f"{layer.keras_class}, declared" if declared else layer.keras_class


def summary_table(result: CheckResult, name: str, costs: Costs | None = None) -> str:
    """The table for a spec that checked without errors; with ``costs``, two more columns
    (multiply-adds per sample, activation memory for the batch) and their totals."""
    summary = result.summary
    assert summary is not None and result.input is not None
    headers: tuple[str, ...] = _HEADERS
    if result.graph is not None:
        headers += (_CONNECTED,)
        rows = [
            (
                f"{printable(row.name)} ({_type(row.layer)})",
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
                    f"{printable(stage.name)} ({_type(stage.layer)})",
                    fmt_shapes(stage.shapes),
                    f"{stage.params:,}",
                )
            )
    right = {2}
    if costs is not None:
        right |= {len(headers), len(headers) + 1}
        headers += _COST_HEADERS
        rows = [(*row, *_cost_cells(costs, row[0])) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    least = _MIN_WIDTHS[: len(headers) - len(_COST_HEADERS)] + (10, 10) if costs else _MIN_WIDTHS
    widths = [max(w, m) for w, m in zip(widths, least)]

    def line(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row(cells: Sequence[str], edge: str) -> str:
        padded = [
            cell.rjust(width) if column in right else cell.ljust(width)
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
        count = summary[key]
        if isinstance(count, str):  # a formula: it depends on a size not written yet
            table.append(f" {label}: {_totals(result)[key]:,}")
            continue
        assert isinstance(count, int)
        # float32 weights, as Keras's summary assumes for the default dtype
        table.append(f" {label}: {count:,} ({readable_size(count * 4)})")
    names = names_in(d for d in result.input_shape)
    for name in sorted(names):
        table.append(f" {name}: {_NAMED.get(name, 'a size named in input(...)')}")
    if costs is not None:
        table += _cost_totals(costs)
    return "\n".join(table)


_NAMED = {FEATURES: "the number of features of the open input (no input(...) written)"}


def _totals(result: CheckResult) -> dict[str, int | Sym]:
    """The weight counts, formulas kept (the summary's JSON has them as text)."""
    rows = graph_rows(result, result.graph) if result.graph is not None else result.stages
    trainable = sum((r.trainable for r in rows), 0)
    frozen = sum((r.non_trainable for r in rows), 0)
    return {
        "total_params": trainable + frozen,
        "trainable_params": trainable,
        "non_trainable_params": frozen,
    }


_COST_HEADERS = ("Mult-adds", "Activations")


def _cost_cells(costs: Costs, label: str) -> tuple[str, str]:
    """The row's multiply-adds per sample and activation memory for the batch, summed over
    the calls of a layer (``label`` is the row's "name (Class)")."""
    label = label.removesuffix(", declared)") + ")" if label.endswith(", declared)") else label
    calls = [c for c in costs.stages if f"{printable(c.name)} ({c.keras_class})" == label]
    macs = [c.macs for c in calls]
    sizes = [c.activation_bytes for c in calls]
    return (
        "?" if None in macs else f"{sum(m for m in macs if m is not None):,}",
        "?" if None in sizes else readable_size(sum(b for b in sizes if b is not None)),
    )


def _cost_totals(costs: Costs) -> list[str]:
    from .costs import WEIGHT_DTYPE  # loaded already: there are costs to show

    batch = f"a batch of {costs.batch_size:,}"
    if costs.steps is not None:
        batch += f" with {costs.steps:,} steps"
    macs = costs.macs
    activations = costs.activation_bytes
    return [
        " Multiply-adds: "
        + ("unknown (see the ? above)" if macs is None else f"{macs:,} per sample, "
           f"{macs * costs.batch_size:,} for {batch}"),
        " Activation memory: "
        + ("unknown" if activations is None else readable_size(activations))
        + f" for {batch}",
        f" Weight memory: {readable_size(costs.weight_bytes)} ({WEIGHT_DTYPE})",
    ]  # fmt: skip


def _shapes(shapes: tuple) -> str:
    """Keras lists several outputs in brackets: ``[(None, 8), (None, 8)]``."""
    return fmt_shapes(shapes, listed=True)
