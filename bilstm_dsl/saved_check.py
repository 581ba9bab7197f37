"""`bilstm-dsl check MODEL.keras`: a saved model linted without TensorFlow.

The model is read (`saved.read_model`), imported in memory (`importer.import_model`) and
the `.arch` text checked; every diagnostic is then located at the saved layer it concerns,
by name, since the user has no `.arch` file to point into. A model `.arch` cannot express
is one error (an ``I1xx`` code, `importer.CODES`) at the layer at fault; a file that is not
a saved model is E013, as an unreadable spec is (exit 2).

Rendering, one diagnostic::

    model.keras: layer 'lstm_1' (LSTM): warning[W301]: `recurrent_dropout=0.2` rules ...
      = in .arch: lstm(32, seq, recurrent_dropout=0.2)
                                ^^^^^^^^^^^^^^^^^^^^^
      = help: ...

The ``in .arch`` line shows the layer as `bilstm-dsl import` writes it, with the argument
at fault underlined. The JSON rows, SARIF results (a logical location per layer) and GitHub
annotations carry the layer's name and class in place of a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .arch_text import ImportProblem, LayerRef
from .checker import CheckResult
from .diagnostics import Diagnostic, Severity, Span, printable, render
from .files import ReadError, unreadable
from .importer import Imported, import_model
from .saved import read_model


class SavedResult(CheckResult):
    """A `CheckResult` for a saved model: ``source`` is the imported `.arch` text, and
    ``locations[i]`` the saved layer ``diagnostics[i]`` concerns (None: the whole model)."""

    __slots__ = ("locations", "notes", "name")

    def __init__(
        self,
        *args: object,
        locations: tuple[LayerRef | None, ...] = (),
        notes: tuple[str, ...] = (),
        name: str | None = None,
        **fields: object,
    ) -> None:
        super().__init__(*args, **fields)  # type: ignore[arg-type]
        self.locations = locations
        self.notes = notes
        self.name = name
        """The model's name in the file."""


def check_saved(path: str) -> CheckResult:
    """Read, import and check the saved model at ``path``; never raises for a bad file
    (E013) or a model `.arch` cannot express (I1xx)."""
    try:
        saved = read_model(path)
    except ReadError as error:
        diag = (
            unreadable(error)
            .diagnostics[0]
            .replace(
                help="a saved model is a .keras archive, a model's JSON config or an .h5 file",
            )
        )
        return SavedResult("", path, (diag,), None, (), locations=(None,))
    try:
        imported = import_model(saved.config, path)
    except ImportProblem as problem:
        return from_problem(path, problem)
    return from_import(path, imported)


def from_problem(path: str, problem: ImportProblem) -> SavedResult:
    """A model `.arch` cannot express: one error at the layer at fault."""
    at = Span.at("", 0, 0)
    diag = Diagnostic(problem.code, Severity.ERROR, at, problem.message, problem.help)
    return SavedResult("", path, (diag,), None, (), locations=(problem.layer,))


def from_import(path: str, imported: Imported) -> SavedResult:
    """The check of an imported model, its diagnostics located at the saved layers."""
    result = imported.result
    refs = imported.layers
    locations = tuple(
        refs[d.stage] if d.stage is not None and d.stage < len(refs) else None
        for d in result.diagnostics
    )
    # Messages point at other stages by their line in the spec; the user has a model.
    first = len(imported.notes) + 1  # the notes come first, one comment line each
    layers = {first + index: ref for index, ref in enumerate(refs)}
    if result.graph is not None:  # a graph: statements, each the stages of one line
        layers = {}
        for info in sorted(result.inferred, key=lambda info: info.index):
            if info.index < len(refs):
                layers.setdefault(info.span.line, refs[info.index])
    diagnostics = tuple(_relocated(d, layers) for d in result.diagnostics)
    return SavedResult(
        result.source,
        path,
        diagnostics,
        result.input,
        result.stages,
        result.inferred,
        result.graph,
        locations=locations,
        notes=imported.notes,
        name=imported.name,
    )


_LINE = re.compile(r"\bline (\d+)\b")


def _relocated(diag: Diagnostic, layers: dict[int, LayerRef]) -> Diagnostic:
    """``diag`` with "line N" of the imported spec written as the layer on that line."""

    def name(match: re.Match[str]) -> str:
        ref = layers.get(int(match.group(1)))
        return f"layer {ref.name!r}" if ref is not None else match.group(0)

    message = _LINE.sub(name, diag.message)
    help = _LINE.sub(name, diag.help) if diag.help else diag.help
    return diag.replace(message=message, help=help)


def rendered(result: CheckResult, color: bool = False) -> Iterator[str]:
    """Each diagnostic of ``result`` as text: at its layer for a saved model, as `render`
    shows it otherwise (a file that could not be read)."""
    if isinstance(result, SavedResult):
        for diag, layer in zip(result.diagnostics, result.locations):
            yield render_saved(diag, layer, result, color)
    else:
        for diag in result.diagnostics:
            yield render(diag, result.source, result.path, color)


def rows(result: CheckResult) -> Iterator[dict[str, object]]:
    """Each diagnostic of ``result`` as a `check --format json` row."""
    if isinstance(result, SavedResult):
        for diag, layer in zip(result.diagnostics, result.locations):
            yield json_row(diag, layer, result.path)
    else:
        for diag in result.diagnostics:
            yield diag.to_json(result.path)


def located(result: CheckResult) -> list[tuple[Diagnostic, LayerRef | None]]:
    """Each diagnostic of a `SavedResult` with its layer."""
    assert isinstance(result, SavedResult)
    return list(zip(result.diagnostics, result.locations))


def where(path: str, layer: LayerRef | None) -> str:
    """``model.keras: layer 'lstm_1' (LSTM)``, as printed."""
    text = printable(path)
    return f"{text}: {printable(str(layer))}" if layer is not None else text


_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}


def render_saved(diag: Diagnostic, layer: LayerRef | None, result: CheckResult, color: bool) -> str:
    """One diagnostic of a saved model, as the module docstring shows."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    tone = _COLORS[diag.severity]
    label = paint(f"{diag.severity}[{diag.code}]", f"1;{tone}")
    lines = [f"{paint(where(result.path, layer) + ':', '1')} {label}: {printable(diag.message)}"]
    shown = _stage_text(diag, result.source)
    if shown is not None:
        text, start, end = shown
        prefix = "  = in .arch: "
        lines.append(prefix + printable(text))
        lines.append(" " * (len(prefix) + start) + paint("^" * max(1, end - start), f"1;{tone}"))
    if diag.help:
        lines.append(f"  = {paint('help', '1;36')}: {printable(diag.help)}")
    return "\n".join(lines)


def _stage_text(diag: Diagnostic, source: str) -> tuple[str, int, int] | None:
    """The line of the imported spec that holds ``diag``, without its indent and arrow,
    and where the span lies in it."""
    if not source or diag.stage is None:
        return None
    span = diag.span
    begin = source.rfind("\n", 0, span.start) + 1
    stop = source.find("\n", span.start)
    stop = len(source) if stop < 0 else stop
    line = source[begin:stop]
    body = line.lstrip(" ")
    if body.startswith("->"):
        body = body[2:].lstrip(" ")
    cut = len(line) - len(body)
    start = max(0, span.start - begin - cut)
    end = max(start + 1, min(len(body), span.end - begin - cut))
    return body, start, end


def json_row(diag: Diagnostic, layer: LayerRef | None, path: str) -> dict[str, object]:
    """A `check --format json` row: the layer in place of a line and column."""
    return {
        "path": path,
        "layer": layer.name if layer else None,
        "class": layer.keras_class if layer else None,
        "line": None,
        "column": None,
        "end_line": None,
        "end_column": None,
        "code": diag.code,
        "severity": diag.severity.value,
        "message": diag.message,
        "help": diag.help,
    }
