"""Graphs: named tensors, several chains, merges, initial states, shared layers, several
inputs and outputs, checked like chains.

A graph file is statements in order (`ast.Program`). Checking takes two passes over them:

1. `graph_bind.Binder` resolves every call into a layer, as `bind` does for a chain, and
   records each statement's plan: where its flow starts and which stage each arrow makes.
   Names are defined here (a name given twice, or used before its line, is reported now),
   so that Keras's automatic layer names can be given in the order the layers are made.
2. `graph_eval.Evaluator` runs the plans in order with tensors: every arrow applies a layer to the
   tensors flowing in, through `infer.apply`, so a stage of a graph is checked, explained
   and linted exactly as a stage of a chain.

The result is a `model.Graph`: the model's inputs and outputs and, per stage, the tensors
it was called on, which the summary's "Connected to" column and the backends read.
"""

from __future__ import annotations

from . import ast
from .graph_bind import Binder
from .graph_eval import Evaluator
from .model import Context, Graph, StageInfo
from .naming import name_layers


def check_graph(ctx: Context, program: ast.Program) -> tuple[tuple[StageInfo, ...], Graph]:
    """Check ``program``; the stages inferred, and the graph."""
    binder = Binder(ctx, program)
    plans = binder.run()
    before = len(ctx.diags)
    _name(ctx)
    naming = ctx.diags[before:]  # E118, of the names given before the walk
    evaluator = Evaluator(ctx, binder.names, plans)
    infos, graph = evaluator.run()
    if evaluator.named_ops:
        # A call on masked tensors made an operation Keras names as it names layers
        # (`LayerSpec.mask_ops`), which only the flow walk could tell: the names after it
        # move on, and the diagnostics are those of the names Keras gives.
        ctx.diags = [d for d in ctx.diags if not any(d is n for n in naming)]
        _name(ctx, evaluator.named_ops)
        names = ctx.names
        infos = tuple(
            info.replace(name=names[info.index])
            if names.get(info.index, info.name) != info.name
            else info
            for info in infos
        )
    return infos, graph


def _name(ctx: Context, ops: dict[int, tuple[str, ...]] | None = None) -> None:
    """Name every stage (`naming.name_layers`), a shared layer's uses as its definition;
    ``ops``: the operations each stage's call makes that Keras names as layers."""
    ctx.names.clear()
    name_layers(ctx, ctx.shared, ops)
    for use, definition in ctx.shared.items():
        if definition in ctx.names:
            ctx.names[use] = ctx.names[definition]
