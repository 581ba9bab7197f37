"""The names of a graph file as a reader sees them: which tensor (or shared layer) each
name means, where it is defined and where it is used.

The checker resolves names while it checks (`graph_bind`) and keeps only what the model
needs (`model.Graph`: stages and ports). A picture labels its edges with the names, and an
editor hovers, completes and jumps to them; both read this module, which walks the parsed
`ast.Program` alongside ``Graph.statements`` (one entry per statement, in order) and so
needs nothing from the checker beyond its result. Plain Python, standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast
from .diagnostics import Span
from .model import Graph

MODEL_ARGS = ("inputs", "outputs")


@dataclass(frozen=True)
class Name:
    """One name defined by a statement's targets."""

    name: str
    span: Span
    """Where it is defined (the target)."""
    line: int
    kind: str
    """``tensor``, or ``layer`` for a layer named to be shared (``enc = lstm(8)``)."""
    stage: int | None
    """The stage that makes the tensor (or the layer); None when the checker could not
    tell (a line with errors)."""
    port: int | None
    """Which output of ``stage``; None when one name holds all of several outputs."""
    uses: list[Span] = field(default_factory=list)


def _refs(value: ast.Value) -> list[tuple[str, int | None, Span]]:
    items = value.items if isinstance(value, ast.List | ast.Tuple) else (value,)
    found = []
    for item in items:
        if isinstance(item, ast.Ref):
            found.append((item.name, item.index, item.span))
        elif isinstance(item, ast.Word):
            found.append((item.value, None, item.span))
    return found


def uses_of(statement: ast.Statement) -> list[tuple[str, int | None, Span]]:
    """Every name ``statement`` reads, with its index (``dec[0]``) and span, in order."""
    flow = statement.flow
    source = flow.source
    found: list[tuple[str, int | None, Span]] = []
    if isinstance(source, ast.Ref):
        found.append((source.name, source.index, source.span))
    elif isinstance(source, ast.Merge):
        found += [(r.name, r.index, r.span) for r in source.refs]
    elif isinstance(source, ast.Call) and source.name.lower() == "model":
        for arg in source.args:
            if arg.key in MODEL_ARGS:
                found += _refs(arg.value)
    for step in flow.steps:
        if isinstance(step.layer, ast.Use):
            found.append((step.layer.name, None, step.layer.span))
        else:
            for arg in step.layer.args:
                if arg.key == "initial_state":
                    found += _refs(arg.value)
    return found


def names(program: ast.Program, graph: Graph | None) -> dict[str, Name]:
    """Every name the file defines (the first definition of a name defined twice), with
    the stage and port it means when ``graph`` tells, and where it is used."""
    defined: dict[str, Name] = {}
    rows = graph.statements if graph is not None else ()
    for order, statement in enumerate(program.statements):
        for name, _index, span in uses_of(statement):
            if name in defined and span.start >= defined[name].span.end:
                defined[name].uses.append(span)
        if not statement.targets:
            continue
        source, steps = rows[order] if order < len(rows) else (None, ())
        last = steps[-1] if steps else source
        kind = "tensor"
        if (
            isinstance(statement.flow.source, ast.Call)
            and not steps
            and statement.flow.source.name.lower() != "input"
        ):
            kind = "layer"
        port: int | None = None
        alias = None
        if last is None and isinstance(statement.flow.source, ast.Ref) and not steps:
            alias = defined.get(statement.flow.source.name)
            if alias is not None:
                last = alias.stage
                port = statement.flow.source.index
                if port is None:
                    port = alias.port
        several = len(statement.targets) > 1
        for i, target in enumerate(statement.targets):
            if target.name == "_" or target.name in defined:
                continue
            defined[target.name] = Name(
                target.name,
                target.span,
                target.span.line,
                kind,
                last,
                i if several else port,
            )
    return defined


def at(program: ast.Program, graph: Graph | None, offset: int) -> tuple[Name, Span] | None:
    """The name at ``offset`` (a use or its definition) and the span it is written at."""
    table = names(program, graph)
    for name in table.values():
        for span in (name.span, *name.uses):
            if span.start <= offset <= span.end:
                return name, span
    return None


def labels(
    program: ast.Program, graph: Graph, outputs: dict[int, int]
) -> dict[tuple[int, int], str]:
    """A label per tensor that has a name: (stage, port) -> ``name`` or ``name[i]`` when
    one name holds several outputs. ``outputs`` is each stage's number of outputs."""
    found: dict[tuple[int, int], str] = {}
    for name in names(program, graph).values():
        if name.kind != "tensor" or name.stage is None:
            continue
        count = outputs.get(name.stage, 1)
        if name.port is not None:
            found.setdefault((name.stage, name.port), name.name)
        elif count == 1:
            found.setdefault((name.stage, 0), name.name)
        else:
            for port in range(count):
                found.setdefault((name.stage, port), f"{name.name}[{port}]")
    return found
