"""Diagnostics: where a problem is, how bad it is, what to write instead.

The checker collects `Diagnostic` values and never raises on user input; the CLI and the
language tools render them. Every code is listed in `CATALOGUE` with a summary and an
example; codes are stable and never reused. Families:

- ``E0xx`` the text itself (syntax, encoding, limits)
- ``E1xx`` names and arguments
- ``E2xx`` shapes
- ``W3xx`` performance (the cuDNN fast path)
- ``N4xx`` notes on legal Keras behaviour worth knowing
- ``W5xx`` warnings where Keras silently does something surprising
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def __str__(self) -> str:
        return self.value


LINE_END = re.compile(r"\r\n|\r(?!\n)|\n")
"""A line end, as the grammar and LSP know them: ``\\n``, ``\\r\\n`` or a lone ``\\r``."""


class LineIndex:
    """Line starts of one text, computed on first use: spans are made by the thousand while
    parsing, but only the few that reach a message ever need a line and column. Lines end
    at `LINE_END`."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset where each line begins."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in LINE_END.finditer(self.text)]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` (columns count characters)."""
        starts = self.starts
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1


_last_index: LineIndex | None = None


def index_for(text: str) -> LineIndex:
    """The `LineIndex` of ``text``, reusing the last one made for the same string."""
    global _last_index
    if _last_index is None or _last_index.text is not text:
        _last_index = LineIndex(text)
    return _last_index


class Span:
    """A half-open range ``[start, end)`` of offsets into a text, with 1-based
    ``line``/``column`` and ``end_line``/``end_column`` (exclusive) derived on demand."""

    __slots__ = ("start", "end", "_index")

    def __init__(self, start: int, end: int, index: LineIndex) -> None:
        self.start = start
        self.end = end
        self._index = index

    @classmethod
    def at(cls, text: str, start: int, end: int | None = None) -> Span:
        """The span of ``text[start:end]``."""
        return cls(start, start if end is None else end, index_for(text))

    @property
    def line(self) -> int:
        return self._index.line_col(self.start)[0]

    @property
    def column(self) -> int:
        return self._index.line_col(self.start)[1]

    @property
    def end_line(self) -> int:
        return self._index.line_col(self.end)[0]

    @property
    def end_column(self) -> int:
        return self._index.line_col(self.end)[1]

    def cover(self, other: Span) -> Span:
        """The smallest span covering both."""
        return Span(min(self.start, other.start), max(self.end, other.end), self._index)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return self.start == other.start and self.end == other.end

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, line={self.line}, column={self.column})"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a spec.

    ``stage`` is the index of the chain stage it concerns (0 is ``input``), or None for
    problems outside any stage (syntax, encoding).
    """

    code: str
    severity: Severity
    span: Span
    message: str
    help: str | None = None
    stage: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self, path: str) -> dict[str, object]:
        return {
            "path": path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "help": self.help,
        }


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    severity: Severity
    summary: str
    source: str | Callable[[], str]
    """The example spec, or a function making it (the limit examples are megabytes, not
    worth building at every import)."""

    @property
    def example(self) -> str:
        """A spec that triggers this code."""
        return self.source if isinstance(self.source, str) else self.source()


def _entries(*rows: tuple[str, Severity, str, str | Callable[[], str]]) -> dict[str, CodeInfo]:
    return {code: CodeInfo(code, sev, summary, example) for code, sev, summary, example in rows}


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

READ_CODES = frozenset({"E013"})
"""Codes the file reader reports, not the checker: no spec text triggers them, so their
catalogue example is a path that cannot be read (`files.check_file`)."""

FAMILIES = (
    ("E0", "The text itself"),
    ("E1", "Names and arguments"),
    ("E2", "Shapes"),
    ("W3", "Performance"),
    ("N4", "Notes"),
    ("W5", "Where Keras silently surprises"),
)
"""Code prefix -> family, in the order the docs list them."""

CATALOGUE: dict[str, CodeInfo] = _entries(
    # -- the text itself
    ("E001", E, "unexpected character", "input(20, 1) -> lstm(32) $"),
    ("E002", E, "unexpected token", "input(20, 1) -> -> dense(1)"),
    ("E003", E, "unclosed or mismatched bracket", "input(20, 1 -> dense(1)"),
    ("E004", E, "unexpected end of input", "input(20, 1) ->"),
    ("E005", E, "a closing bracket that closes nothing", "input(20, 1)) -> dense(1)"),
    ("E006", E, "missing `->` between stages", "input(20, 1)\nlstm(32)"),
    ("E007", E, "the file is not valid UTF-8 text", "input(20, \udcff)"),
    ("E008", E, "the file holds no model", "# only a comment"),
    (
        "E009",
        E,
        "a limit of the checker is exceeded (nesting depth, digits)",
        "input(20, 1) -> dense(" + "1" * 101 + ")",
    ),
    ("E010", E, "unterminated string", 'input(20, 1) -> dense(1, activation="relu)'),
    (
        "E011",
        E,
        "the spec is larger than 2 MiB",
        lambda: "input(20, 1) -> dense(1)  # " + "x" * 2_100_000,
    ),
    (
        "E012",
        E,
        "the chain has more than 100,000 stages",
        lambda: "input(1)" + " -> dense(1)" * 100_000,
    ),
    ("E013", E, "cannot read the file", "no/such/file.arch"),
    # -- names and arguments
    ("E101", E, "unknown layer", "input(20, 1) -> lstn(32)"),
    ("E102", E, "unknown keyword argument", "input(20, 1) -> lstm(32, retrun_sequences=true)"),
    ("E103", E, "a value of the wrong type", 'input(20, 1) -> lstm(units="32")'),
    ("E104", E, "an invalid argument value", "input(20, 1) -> lstm(0)"),
    ("E105", E, "an argument given twice", "input(20, 1) -> lstm(32, units=64)"),
    ("E106", E, "too many positional arguments", "input(20, 1) -> dropout(0.2, none, 3, 4)"),
    (
        "E107",
        E,
        "a required argument is missing",
        "input(20, 1) -> lstm(32) -> dense(activation=relu)",
    ),
    (
        "E108",
        E,
        "a positional argument after a keyword argument",
        "input(20, 1) -> lstm(32) -> dense(units=1, relu)",
    ),
    ("E109", E, "unknown activation", "input(20, 1) -> lstm(32) -> dense(1, activation=sigmoide)"),
    ("E110", E, "unknown merge mode", "input(20, 1) -> bilstm(32, merge_mode=avg)"),
    ("E111", E, "the chain must start with one `input(...)`", "lstm(32) -> dense(1)"),
    (
        "E112",
        E,
        "`bidirectional` wraps a recurrent layer only",
        "input(20, 1) -> bidirectional(dense(4))",
    ),
    (
        "E113",
        E,
        "`go_backwards=true` inside `bidirectional`",
        "input(20, 1) -> bilstm(32, go_backwards=true)",
    ),
    ("E114", E, "`stateful=true` needs a fixed `batch_size`", "input(20, 1) -> lstm(8, stateful)"),
    (
        "E115",
        E,
        "`unroll=true` needs a known number of time steps",
        "input(none, 1) -> lstm(8, unroll=true)",
    ),
    ("E116", E, "a value written where a layer is meant", "input(20, 1) -> td(32)"),
    (
        "E117",
        E,
        "unknown name for an initializer, regularizer, constraint or dtype",
        'input(20, 1) -> lstm(8, kernel_initializer="glorot")',
    ),
    (
        "E118",
        E,
        "a layer name used twice",
        'input(20, 1) -> lstm(8, seq, name="enc") -> lstm(4, name="enc")',
    ),
    (
        "E119",
        E,
        "the forward and backward layers of `bidirectional` disagree",
        "input(20, 1) -> bidirectional(lstm(8), backward_layer=lstm(4, go_backwards=true))",
    ),
    (
        "E120",
        E,
        "`strides` > 1 together with `dilation_rate` > 1",
        "input(20, 3) -> conv1d(8, 3, strides=2, dilation_rate=2)",
    ),
    (
        "E121",
        E,
        "`groups` does not divide the filters or the input channels",
        "input(20, 4) -> conv1d(6, 3, groups=4)",
    ),
    (
        "E122",
        E,
        "an activation Keras knows by name but cannot run as a layer's `activation`",
        "input(20, 1) -> lstm(8) -> dense(4, activation=glu)",
    ),
    (
        "E123",
        E,
        "`use_cudnn=true` with a setting that rules out the cuDNN kernel",
        "input(20, 1) -> lstm(8, activation=relu, use_cudnn=true)",
    ),
    ("E124", E, "an unknown tensor or layer name", "x = input(20, 3)\ny = z -> lstm(8)"),
    (
        "E125",
        E,
        "a name defined twice",
        "x = input(20, 3)\nx = input(20, 3)\ny = x -> lstm(8)",
    ),
    (
        "E126",
        E,
        "a name used before the line that defines it (or a cycle)",
        "y = x -> lstm(8)\nx = input(20, 3)",
    ),
    (
        "E127",
        E,
        "unpacking into more or fewer names than the tensors given",
        "x = input(20, 3)\nout, h = x -> lstm(8, state)",
    ),
    (
        "E128",
        E,
        "an index past the tensors a name holds",
        "x = input(20, 3)\ny = x -> lstm(8, state)\nz = y[3] -> dense(1)",
    ),
    (
        "E129",
        E,
        "a `model(...)` line that names no input or output tensor",
        "x = input(20, 3)\ny = x -> lstm(8)\nz = y -> dense(1)\nmodel(inputs=[y], outputs=z)",
    ),
    (
        "E130",
        E,
        "a layer used as a tensor, or a tensor as a layer",
        "x = input(20, 3)\nshared = lstm(8)\ny = shared -> dense(1)",
    ),
    (
        "E131",
        E,
        "`initial_state` in a chain, which has no named tensors",
        "input(20, 3) -> lstm(8, initial_state=[h, c])",
    ),
    # -- shapes
    (
        "E201",
        E,
        "a layer needs a sequence but the layer before returns one step",
        "input(20, 1) -> lstm(32) -> lstm(32)",
    ),
    (
        "E202",
        E,
        "a layer fed several tensors takes one",
        "input(20, 1) -> bilstm(8, none) -> dense(1)",
    ),
    ("E203", E, "input of the wrong rank for the layer", "input(20) -> lstm(8)"),
    (
        "E204",
        E,
        "an unknown (`none`) dimension where the layer's weights need a size",
        "input(20, none) -> lstm(8)",
    ),
    (
        "E205",
        E,
        "the shape assertion does not match the inferred shape",
        "input(20, 1) -> lstm(8) : (20, 8)",
    ),
    ("E206", E, "a shape assertion that is not a shape", "input(20, 1) -> lstm(8) : relu"),
    ("E207", E, "a kernel or pool longer than the sequence", "input(5, 3) -> conv1d(8, 7)"),
    ("E208", E, "a reshape that changes the number of values", "input(20, 3) -> reshape((7, 4))"),
    (
        "E209",
        E,
        "integer, boolean or string values into a layer that has no kernel for them",
        'input(20, 3, dtype="int32") -> dropout(0.2)',
    ),
    (
        "E210",
        E,
        "an `axis` that is not a feature axis of the input",
        "input(20, 3) -> layernormalization(axis=0)",
    ),
    (
        "E211",
        E,
        "a `noise_shape` that does not broadcast against the input",
        "input(20, 3) -> dropout(0.5, noise_shape=(none, 4, 1))",
    ),
    (
        "E212",
        E,
        "tensors a merge or attention layer cannot combine",
        "a = input(20, 3)\nb = input(20, 4)\nc = [a, b] -> add()",
    ),
    (
        "E213",
        E,
        "`initial_state` with the wrong number or shape of states",
        "x = input(20, 3)\nh = input(8)\ny = x -> lstm(8, initial_state=[h])",
    ),
    (
        "E214",
        E,
        "a dimension or weight count past what TensorFlow holds (2**63)",
        "input(20, 1) -> dense(99999999999999999999)",
    ),
    # -- performance
    (
        "W301",
        W,
        "an LSTM/GRU setting that rules out the cuDNN kernel on a GPU",
        "input(20, 1) -> lstm(32, activation=relu)",
    ),
    (
        "W302",
        W,
        "`use_cudnn=true`: the model runs only on a GPU with cuDNN",
        "input(20, 1) -> lstm(8, use_cudnn=true)",
    ),
    # -- notes
    (
        "N401",
        N,
        "`dense` on a sequence applies to every time step",
        "input(20, 1) -> lstm(32, seq) -> dense(1)",
    ),
    (
        "N402",
        N,
        "a mask reaching an LSTM/GRU: cuDNN needs right-padded sequences",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> lstm(8)',
    ),
    # -- where Keras silently surprises
    (
        "W501",
        W,
        "a layer that does not support masking loses the mask",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> flatten() -> dense(1)',
    ),
    (
        "W502",
        W,
        "an embedding fed floats (Keras casts them to int)",
        "input(50) -> embedding(9, 4)",
    ),
    (
        "W503",
        W,
        "a channels_first convolution, which runs on a CPU only with TensorFlow's oneDNN",
        "input(8, 20) -> conv1d(16, 3, data_format=channels_first)",
    ),
    (
        "W504",
        W,
        "weights larger than this machine's memory",
        "input(20, 1) -> lstm(1000000000)",
    ),
    (
        "W505",
        W,
        "an input or a named tensor that nothing uses",
        "x = input(20, 3)\nm = input(5)\ny = x -> lstm(8)",
    ),
)


_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.NOTE: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render(diag: Diagnostic, source: str, path: str, color: bool = False) -> str:
    """Render ``diag`` the way compilers do: location, source line, carets, help. With
    ``color``, the severity and carets are painted with ANSI codes (for a terminal).

    Control characters, bidirectional overrides and undecodable bytes of the path, the
    source line and the messages are shown escaped (`printable`): a spec must not be able
    to drive the terminal it is reported on. The cost is bounded by the window shown, not
    the length of the line or the file, so rendering many diagnostics stays linear."""
    span = diag.span
    index = span._index if span._index.text is source else index_for(source)
    line, column = index.line_col(span.start)
    tone = _COLORS[diag.severity]
    label = _paint(f"{diag.severity}[{diag.code}]", f"1;{tone}", color)
    location = _paint(f"{_printable_path(path)}:{line}:{column}:", "1", color)
    head = f"{location} {label}: {printable(diag.message)}"
    help_text = printable(diag.help) if diag.help else None
    if not source:  # nothing to show: an empty or unread file
        return head + (f"\n  = help: {help_text}" if help_text else "")
    # The part of the span's line that can be shown: from a window before the span to the
    # line's end or two windows after it, whichever comes first.
    at = max(0, min(span.start, len(source)))
    lo = max(at - (column - 1), at - _WINDOW)
    stop = _LINE_BREAK.search(source, at, min(len(source), at + 2 * _WINDOW))
    hi = stop.start() if stop else min(len(source), at + 2 * _WINDOW)
    text = source[lo:hi]
    number = str(line)
    gutter = " " * len(number)
    # Long lines are cut around the span so the carets stay on screen.
    start_col = at - lo
    end_col = span.end - lo if index.line_col(span.end)[0] == line else len(text)
    end_col = max(min(end_col, len(text)), start_col + 1)
    shown, offset = _window(text, start_col, end_col)
    start_col -= offset
    end_col -= offset
    escaped = printable(shown)
    if escaped == shown and "\t" not in shown:
        pad, width = " " * start_col, min(end_col, len(shown)) - start_col
    else:  # escapes widen the text; tabs stay tabs under it, so the carets line up
        pad = _NOT_TAB.sub(" ", printable(shown[:start_col]))
        width = len(printable(shown[start_col:end_col]))
    carets = pad + _paint("^" * max(1, width), f"1;{tone}", color)
    bar = _paint("|", "1;34", color)
    out = [head, f"{gutter} {bar}", f"{number} {bar} {escaped}", f"{gutter} {bar} {carets}"]
    if help_text:
        out.append(f"{gutter} = {_paint('help', '1;36', color)}: {help_text}")
    return "\n".join(out)


@functools.lru_cache(maxsize=64)
def _printable_path(path: str) -> str:
    return printable(path)


_LINE_BREAK = re.compile(r"[\r\n]")
_NOT_TAB = re.compile(r"[^\t]")
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f"  # C0 but tab, DEL, C1: ESC starts terminal commands
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff]"  # lone surrogates: undecodable bytes of a file name
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could move the cursor, change colours, reorder
    what a terminal shows or fail to encode written as an escape (``\\x1b``,
    ``\\u202e``); tabs and everything else unchanged."""
    return _UNSAFE.sub(_escape, text)


_WINDOW = 120


def _window(text: str, start: int, end: int) -> tuple[str, int]:
    """A slice of at most ``_WINDOW`` characters of ``text`` that shows ``[start, end)``."""
    if len(text) <= _WINDOW:
        return text, 0
    offset = max(0, min(start - 20, len(text) - _WINDOW))
    return text[offset : offset + _WINDOW], offset
