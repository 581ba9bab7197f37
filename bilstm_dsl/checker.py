"""The checker: text -> `CheckResult`, never an exception, whatever the text.

The pipeline, one module per pass, data flowing one way:

    parse (parser)  ->  bind (recipes, bind)  ->  infer (infer, explain)  ->  lint (lints)

Binding resolves every stage first, so argument mistakes are reported everywhere; inference
then walks the chain with the shape rules; lints look at what inferred. Each pass reports on
a shared `Context`; here the diagnostics are sorted and the result assembled.
"""

from __future__ import annotations

import gc
import operator

from . import ast
from .diagnostics import Diagnostic, Span
from .infer import infer
from .lints import MODEL_LINTS
from .model import ERROR, MAX_SOURCE_BYTES, CheckResult, Context, Graph, Layer, StageInfo
from .open_input import is_open, open_input, override, settle
from .parser import parse
from .recipes import bind_stages
from .symbolic import Deciding

__all__ = ["MAX_SOURCE_BYTES", "CheckResult", "Layer", "StageInfo", "check", "check_bytes"]


def check(
    source: str, path: str = "<string>", input_shape: tuple[int | None, ...] | None = None
) -> CheckResult:
    """Check ``source``; whatever the text, the result is diagnostics, never an exception.
    ``input_shape`` (per sample, no batch) is the input's shape for a chain written without
    `input(...)`, or replaces the dims of the one written (`open_input`).

    The cyclic garbage collector is paused meanwhile: a check builds only acyclic data
    (reference counting frees all of it), and on a 20,000-stage chain the collector's
    repeated passes over the growing tree made checking time grow faster than linearly."""
    # The limit is in UTF-8 bytes, as the CLI reads files: a character is 1 to 4 of them.
    if len(source) * 4 > MAX_SOURCE_BYTES:
        size = len(source.encode("utf-8", "surrogatepass"))
        if size > MAX_SOURCE_BYTES:
            return _too_large(size, "", path)
    paused = gc.isenabled()
    gc.disable()
    Deciding.on = True
    try:
        return _run(source, path, input_shape)
    finally:
        Deciding.on = False
        if paused:
            gc.enable()


def check_bytes(
    data: bytes, path: str = "<string>", input_shape: tuple[int | None, ...] | None = None
) -> CheckResult:
    """Check a file's raw bytes: UTF-8 (a leading BOM is skipped); invalid UTF-8 is
    diagnostic E007 at the first bad byte, not an exception."""
    if len(data) > MAX_SOURCE_BYTES:
        return _too_large(len(data), "", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8")
        text = good + data[error.start :].decode("utf-8", errors="replace")
        diag = Diagnostic(
            "E007",
            ERROR,
            Span.at(text, len(good), len(good) + 1),
            f"the file is not valid UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start})",
            help="save the file as UTF-8; .arch files are plain text",
        )
        return CheckResult(text, path, (diag,), None, ())
    return check(text, path, input_shape)


def _too_large(size: int, source: str, path: str) -> CheckResult:
    diag = Diagnostic(
        "E011",
        ERROR,
        Span.at(source, 0, 0),
        f"the spec is {size:,} bytes, more than the limit of {MAX_SOURCE_BYTES:,}",
        help="a model is a chain of a few layers; is this the right file?",
    )
    return CheckResult(source, path, (diag,), None, ())


def _run(source: str, path: str, input_shape: tuple[int | None, ...] | None) -> CheckResult:
    parsed = parse(source)
    if parsed.diagnostics:
        return CheckResult(source, path, parsed.diagnostics, None, ())
    if parsed.chain is None and parsed.program is None:
        ctx = Context(source, path, [])
        ctx.report(
            "E008",
            Span.at(source, 0, 0),
            "the file holds no model",
            help="write a chain such as `input(20, 1) -> lstm(32) -> dense(1)`",
        )
        return _result(ctx, None, ())
    program = parsed.program
    if program is not None:
        return _run_graph(source, path, program)
    ctx = Context(source, path, list(parsed.chain.stages))
    if is_open(parsed.chain):
        opened = open_input(ctx)
        ctx.open_input = True
        input_layer, texts = bind_stages(ctx, opened)
        settle(ctx, opened, input_shape)
    else:
        input_layer, texts = bind_stages(ctx)
        if input_shape is not None and input_layer is not None:
            problem = override(ctx, input_layer, input_shape)
            if problem:
                ctx.report(
                    "E216",
                    ctx.stages[0].call.span,
                    problem,
                    help="give one size per axis of the input, batch left out",
                    stage=0,
                )
                return _result(ctx, input_layer, ())
    infos = tuple(infer(ctx, input_layer, texts))
    for lint in MODEL_LINTS:
        lint(ctx, infos)
    return _result(ctx, input_layer, infos)


def _run_graph(source: str, path: str, program: ast.Program) -> CheckResult:
    ctx = Context(source, path, [])
    ctx.inputs = set()
    ctx.graph = True
    from .graph import check_graph  # a graph's passes: not loaded to check a chain

    infos, graph = check_graph(ctx, program)
    applied = tuple(i for i in infos if i.index not in ctx.shared)
    for lint in MODEL_LINTS:
        lint(ctx, applied)
    first = min(graph.inputs, default=None)
    input_layer = ctx.layers[first] if first is not None else None
    return _result(ctx, input_layer, infos, graph)


def _result(
    ctx: Context,
    input_layer: Layer | None,
    infos: tuple[StageInfo, ...],
    graph: Graph | None = None,
) -> CheckResult:
    diags = ctx.diags
    errors = [d for d in diags if d.severity is ERROR]
    if errors and len(errors) < len(diags):
        # A warning on the very span of an error adds nothing: the error must be fixed.
        error_spans = {d.span for d in errors}
        diags = [d for d in diags if d.severity is ERROR or d.span not in error_spans]
    ok = not errors
    return CheckResult(
        ctx.source,
        ctx.path,
        tuple(sorted(diags, key=_ORDER)),
        input_layer,
        infos if ok else (),
        infos,
        graph,
        ctx.open_input,
    )


_ORDER = operator.attrgetter("span.start", "code")
"""Diagnostics in the order of the text; at one place, by code."""
