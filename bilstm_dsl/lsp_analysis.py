"""What the language server knows about one document, in plain Python (no pygls): LSP
positions, the checked document, its diagnostics as LSP data and the hover of a stage.

Positions: the checker counts columns in code points, LSP in UTF-16 code units unless the
client offers another ``positionEncoding`` (pygls picks the client's first choice among
utf-8, utf-16 and utf-32). `LineMap` converts between offsets into the text and LSP
positions in whichever encoding was negotiated, so a character outside the Basic
Multilingual Plane before an error does not shift its squiggle.
"""

from __future__ import annotations

import bisect
from typing import Any, NamedTuple

from . import ast, parser
from .checker import check
from .diagnostics import LINE_END, Diagnostic, LineIndex, Severity, Span
from .layers import ALIASES, LAYERS
from .model import CheckResult, StageInfo
from .shapes import fmt, fmt_shapes
from .symbolic import Sym

SOURCE = "bilstm-dsl"
"""The ``source`` of every diagnostic the server sends."""


# -- positions -----------------------------------------------------------------------------


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in an LSP position encoding."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)  # utf-16: surrogate pairs


def _encoding_name(encoding: object) -> str:
    """``"utf-8"``, ``"utf-16"`` or ``"utf-32"`` from a PositionEncodingKind or a string;
    anything unknown is UTF-16, the LSP default."""
    name = str(getattr(encoding, "value", encoding) or "utf-16").lower()
    return name if name in ("utf-8", "utf-32") else "utf-16"


class LineMap:
    """Converts offsets into one text (code points, as `Span` counts them) to LSP
    positions and back. Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as LSP defines them."""

    def __init__(self, text: str, encoding: object = "utf-16") -> None:
        self.text = text
        self.encoding = _encoding_name(encoding)
        self.starts = LineIndex(text).starts

    def position(self, offset: int) -> tuple[int, int]:
        """0-based line and character of ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        if (
            offset > start
            and self.text[offset - 1] == "\r"
            and self.text[offset : offset + 1] == "\n"
        ):
            offset -= 1  # between the two halves of a CRLF: the end of the line
        return line, _units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; positions past a line's end clamp to its end."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        content = LINE_END.sub("", self.text[start:end])
        if self.encoding == "utf-32":
            return start + min(max(character, 0), len(content))
        count = 0
        for index, ch in enumerate(content):
            if count >= character:
                return start + index
            count += _units(ch, self.encoding)
        return start + len(content)

    def range(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """The LSP range of ``text[start:end]``: ((line, character), (line, character))."""
        return self.position(start), self.position(end)


# -- analysis ------------------------------------------------------------------------------


class Analysis:
    """One version of a document, checked, with what hover needs computed on first use and
    kept: the stages and where they start (to find the one under the cursor by bisection)
    and the inferred stages by index. Hovering over a checked version costs a lookup."""

    __slots__ = ("text", "result", "_stages", "_starts", "_inferred", "_lines")

    def __init__(self, text: str, result: CheckResult) -> None:
        self.text = text
        self.result = result
        self._stages: tuple[ast.Stage, ...] | None = None
        self._starts: list[int] = []
        self._inferred: dict[int, StageInfo] | None = None
        self._lines: LineMap | None = None

    @classmethod
    def of(cls, text: str, path: str = "<lsp>") -> Analysis:
        return cls(text, check(text, path))

    @property
    def stages(self) -> tuple[ast.Stage, ...]:
        """The chain's stages; none when the text does not parse. The parser keeps the
        result for the text it parsed last, which is this one right after the check."""
        if self._stages is None:
            chain = parser.parse(self.text).chain
            self._stages = chain.stages if chain is not None else ()
            self._starts = [stage.span.start for stage in self._stages]
        return self._stages

    def stage_at(self, offset: int) -> int | None:
        """The index of the stage under ``offset``, if any."""
        stages = self.stages
        index = bisect.bisect_right(self._starts, offset) - 1
        return index if index >= 0 and offset < stages[index].span.end else None

    def line_map(self, encoding: object) -> LineMap:
        """The LSP positions of this text in ``encoding``."""
        lines = self._lines
        if lines is None or lines.encoding != _encoding_name(encoding):
            lines = self._lines = LineMap(self.text, encoding)
        return lines

    @property
    def inferred(self) -> dict[int, StageInfo]:
        """Every stage whose shapes the checker inferred, by index: all of them when the
        file checks, else those before the first error that stopped inference."""
        if self._inferred is None:
            self._inferred = {info.index: info for info in self.result.inferred}
        return self._inferred


# -- diagnostics ---------------------------------------------------------------------------

SEVERITY_CODES = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.NOTE: 3}
"""Our severities as LSP DiagnosticSeverity values (Error, Warning, Information)."""


def diagnostic_message(diag: Diagnostic) -> str:
    """The message an editor shows: ours, then the help line."""
    return f"{diag.message}\nhelp: {diag.help}" if diag.help else diag.message


def diagnostic_dict(diag: Diagnostic, lines: LineMap) -> dict[str, Any]:
    """An LSP Diagnostic as plain JSON data (what the server sends)."""
    (sl, sc), (el, ec) = lines.range(diag.span.start, diag.span.end)
    return {
        "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
        "severity": SEVERITY_CODES[diag.severity],
        "code": diag.code,
        "source": SOURCE,
        "message": diagnostic_message(diag),
    }


# -- hover ---------------------------------------------------------------------------------


class HoverInfo(NamedTuple):
    """What hovering over a stage shows, and the stage's span (offsets)."""

    markdown: str
    plain: str
    start: int
    end: int


def _keras_class(call_name: str, call: ast.Call) -> str | None:
    """The Keras class a call builds, from its name alone (``Bidirectional(LSTM)``)."""
    name = call_name.lower()
    if name == "input":
        return "InputLayer"
    alias = ALIASES.get(name)
    if alias is not None and alias.inner is not None:
        return f"Bidirectional({LAYERS[alias.inner].keras_class})"
    spec = LAYERS.get(alias.wrapper if alias else name)
    if spec is None:
        return None
    if spec.family == "wrapper":
        inner = next(
            (
                a.value
                for a in call.args
                if isinstance(a.value, ast.Call) and a.key in (None, "layer")
            ),
            None,
        )
        inner_class = _keras_class(inner.name, inner) if inner is not None else None
        if inner_class:
            return f"{spec.keras_class}({inner_class})"
    return spec.keras_class


def _class_of(info: StageInfo) -> str:
    layer = info.layer
    if layer.inner is not None:
        inner = layer.inner
        nested = inner.inner
        inside = f"{inner.keras_class}({nested.keras_class})" if nested else inner.keras_class
        return f"{layer.keras_class}({inside})"
    return layer.keras_class


def _params_text(info: StageInfo) -> str:
    text = f"{info.params:,}"
    if isinstance(info.non_trainable, Sym) or info.non_trainable:
        text += f" ({info.trainable:,} trainable, {info.non_trainable:,} non-trainable)"
    return text


def hover_at(analysis: Analysis, offset: int) -> HoverInfo | None:
    """The hover for the stage under ``offset``, or None outside any stage (or when the text
    does not parse)."""
    written_index = analysis.stage_at(offset)
    if written_index is None:
        return None
    call = analysis.stages[written_index].call
    # A chain without `input(...)` is checked with one put in front (stage 0), so the
    # checker's stage numbers run one ahead of the stages written.
    index = written_index + 1 if analysis.result.open_input else written_index
    written = analysis.text[call.span.start : call.span.end]
    result = analysis.result
    keras = _keras_class(call.name, call) or "unknown layer"
    rows: list[tuple[str, str]] = []
    if index == 0:
        if result.input is not None and call.name.lower() == "input":
            rows = [("Output shape", f"`{fmt(result.input_shape)}`"), ("Params", "0")]
    elif (info := analysis.inferred.get(index)) is not None:
        keras = _class_of(info)
        rows = [
            ("Layer name", f"`{info.name}`"),
            ("Output shape", f"`{fmt_shapes(info.shapes)}`"),
            ("Params", _params_text(info)),
        ]
    if not rows:
        errors = result.errors
        own = next((d for d in errors if d.stage == index), None)
        if own is not None:
            reason = f"this stage has an error ({own.code})"
        elif errors:
            first = errors[0]
            reason = f"fix the error on line {first.span.line} first ({first.code})"
        else:
            reason = "not inferred"
        rows = [("Output shape", f"unknown: {reason}")]
    head = "input" if index == 0 else f"stage {index}"
    return hover_card(written, keras, head, rows, call.span)


def hover_card(
    written: str | None, keras: str, where: str, rows: list[tuple[str, str]], span: Span
) -> HoverInfo:
    """A hover as every one is laid out: the text as written (if any), the Keras class or
    the name and what it is, then labelled rows (backquotes mark code in markdown; the
    plain text drops them)."""
    markdown = [f"**{keras}** ({where})", ""]
    plain = [f"{keras} ({where})"]
    if written is not None:
        markdown.insert(0, f"```arch\n{written}\n```")
        plain.insert(0, written)
    for label, value in rows:
        markdown.append(f"- {label}: {value}")
        plain.append(f"{label}: {value.replace('`', '')}")
    return HoverInfo("\n".join(markdown), "\n".join(plain), span.start, span.end)
