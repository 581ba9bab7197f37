"""The language server on graph files: hover on a layer of a statement or on a tensor
name, and go-to-definition of a name.

A chain's hover (`lsp_analysis.hover_at`) finds the stage under the cursor among the
chain's stages; a graph has statements instead. Their stages are numbered as the checker
numbers them (`graph_bind`: each statement's source call, ``model(...)`` excepted, then
each arrow's step), so a call's stage is found by walking the statements, and a name's
meaning comes from `graph_names`. Plain Python: only `lsp.py` imports pygls.
"""

from __future__ import annotations

from . import ast, parser
from .diagnostics import Span
from .graph_names import Name
from .graph_names import at as name_at
from .lsp_analysis import (
    Analysis,
    HoverInfo,
    _class_of,
    _keras_class,
    _params_text,
    hover_at,
    hover_card,
)
from .shapes import fmt, fmt_shapes


def _program(analysis: Analysis) -> ast.Program | None:
    return parser.parse(analysis.text).program


def _calls(program: ast.Program) -> list[tuple[int, ast.Call | ast.Use]]:
    """Every call or shared-layer use that makes a stage, with the stage's number."""
    found: list[tuple[int, ast.Call | ast.Use]] = []
    for statement in program.statements:
        source = statement.flow.source
        if isinstance(source, ast.Call) and not (
            source.name.lower() == "model" and not statement.targets and not statement.flow.steps
        ):
            found.append((len(found), source))
        for step in statement.flow.steps:
            found.append((len(found), step.layer))
    return found


def hover(analysis: Analysis, offset: int) -> HoverInfo | None:
    """The hover at ``offset``: a chain's stage, or in a graph a tensor name or a layer."""
    found = hover_at(analysis, offset)
    if found is not None:
        return found
    program = _program(analysis)
    if program is None:
        return None
    named = name_at(program, analysis.result.graph, offset)
    if named is not None:
        return _tensor_hover(analysis, *named)
    for stage, call in _calls(program):
        if call.span.start <= offset < call.span.end:
            return _layer_hover(analysis, stage, call)
    return None


def _layer_hover(analysis: Analysis, stage: int, call: ast.Call | ast.Use) -> HoverInfo:
    written = analysis.text[call.span.start : call.span.end]
    info = analysis.inferred.get(stage)
    graph = analysis.result.graph
    if info is not None:
        keras = _class_of(info)
        rows = [
            ("Layer name", f"`{info.name}`"),
            ("Output shape", f"`{fmt_shapes(info.shapes)}`"),
            ("Params", _params_text(info)),
        ]
        if graph is not None and stage in graph.shared:
            rows.append(("Weights", f"shared: call {graph.calls().get(stage, 0) + 1}"))
    else:
        keras = (_keras_class(call.name, call) if isinstance(call, ast.Call) else None) or "layer"
        errors = analysis.result.errors
        reason = f"fix the error on line {errors[0].span.line} first" if errors else "not inferred"
        rows = [("Output shape", f"unknown: {reason}")]
    return hover_card(written, keras, f"stage {stage}", rows, call.span)


def _tensor_hover(analysis: Analysis, name: Name, span: Span) -> HoverInfo:
    info = analysis.inferred.get(name.stage) if name.stage is not None else None
    kind = "shared layer" if name.kind == "layer" else "tensor"
    rows: list[tuple[str, str]] = []
    if info is not None and name.kind == "tensor":
        shapes = info.shapes if name.port is None else info.shapes[name.port : name.port + 1]
        rows.append(("Shape", f"`{fmt(shapes[0]) if len(shapes) == 1 else fmt_shapes(shapes)}`"))
        if info.layer.keras_class == "InputLayer":
            rows.append(("Dtype", f"`{info.layer.get('dtype')}`"))
        port = "" if name.port is None or len(info.shapes) == 1 else f", output {name.port}"
        rows.append(("Made by", f"`{info.name}`{port}"))
    elif name.kind == "tensor":
        rows.append(("Shape", "unknown: not inferred"))
    rows.append(("Defined", f"line {name.line}"))
    return hover_card(None, name.name, kind, rows, span)


def definition(analysis: Analysis, offset: int) -> tuple[int, int] | None:
    """Where the name at ``offset`` is defined (start and end offsets), if it is one."""
    program = _program(analysis)
    if program is None:
        return None
    named = name_at(program, analysis.result.graph, offset)
    if named is None:
        return None
    return named[0].span.start, named[0].span.end
