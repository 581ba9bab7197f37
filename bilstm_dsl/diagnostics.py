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

try:  # the C function json.dumps uses, without importing the json package
    from _json import encode_basestring_ascii
except ImportError:  # pragma: no cover - Pythons without the accelerator
    from json.encoder import encode_basestring_ascii

from .records import Record


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


class Fix(Record):
    """A machine-applicable edit that resolves a diagnostic: ``span`` replaced by ``text``
    (empty to delete), described by ``title`` for an editor's quick-fix menu."""

    __slots__ = ("span", "text", "title")

    def __init__(self, span: Span, text: str, title: str) -> None:
        self.span = span
        self.text = text
        self.title = title

    def to_json(self) -> dict[str, object]:
        span = self.span
        return {
            "title": self.title,
            "line": span.line,
            "column": span.column,
            "end_line": span.end_line,
            "end_column": span.end_column,
            "text": self.text,
        }


class Diagnostic(Record):
    """One problem found in a spec.

    ``stage`` is the index of the chain stage it concerns (0 is ``input``), or None for
    problems outside any stage (syntax, encoding). Treat it as immutable (it hashes by its
    fields); it is not frozen because refusing assignment makes it five times slower to
    make, and a long spec can hold 100,000 of them.
    """

    __slots__ = ("code", "severity", "span", "message", "help", "stage", "fix")

    def __init__(
        self,
        code: str,
        severity: Severity,
        span: Span,
        message: str,
        help: str | None = None,  # noqa: A002 - the field's name
        stage: int | None = None,
        fix: Fix | None = None,
    ) -> None:
        self.code = code
        self.severity = severity
        self.span = span
        self.message = message
        self.help = help
        self.stage = stage
        self.fix = fix
        """An edit that resolves it, where one is certain (e.g. deleting an ignored
        argument)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def json_text(self, path_json: str) -> str:
        """``json.dumps(self.to_json(path))``, written out (``path_json`` is the path
        already encoded): ``check --format json`` writes one per diagnostic, and the
        encoder's set-up cost more than the row."""
        if self.fix is not None:
            import json

            return json.dumps(self.to_json(json.loads(path_json)))
        span = self.span
        line, column = span._index.line_col(span.start)
        end_line, end_column = span._index.line_col(span.end)
        help = "null" if self.help is None else json_string(self.help)
        return (
            f'{{"path": {path_json}, "line": {line}, "column": {column}, '
            f'"end_line": {end_line}, "end_column": {end_column}, "code": "{self.code}", '
            f'"severity": "{_NAMES[self.severity]}", "message": {json_string(self.message)}, '
            f'"help": {help}}}'
        )

    def to_json(self, path: str) -> dict[str, object]:
        span = self.span
        line, column = span._index.line_col(span.start)
        end_line, end_column = span._index.line_col(span.end)
        return {
            "path": path,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "help": self.help,
        } | ({"fix": self.fix.to_json()} if self.fix is not None else {})


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
    label = _paint(f"{_NAMES[diag.severity]}[{diag.code}]", f"1;{tone}", color)
    location = _paint(f"{_printable_path(path)}:{line}:{column}:", "1", color)
    head = f"{location} {label}: {_printable_message(diag.message)}"
    help_text = _printable_message(diag.help) if diag.help else None
    if not source:  # nothing to show: an empty or unread file
        return head + (f"\n  = help: {help_text}" if help_text else "")
    # The part of the span's line that can be shown: from a window before the span to the
    # line's end or two windows after it, whichever comes first.
    at = max(0, min(span.start, len(source)))
    lo = max(at - (column - 1), at - _WINDOW)
    far = min(len(source), at + 2 * _WINDOW)
    newline, ret = source.find("\n", at, far), source.find("\r", at, far)  # memchr, not re
    stop = newline if ret < 0 else ret if newline < 0 else min(newline, ret)
    hi = far if stop < 0 else stop
    text = source[lo:hi]
    number = str(line)
    gutter = " " * len(number)
    # Long lines are cut around the span so the carets stay on screen.
    start_col = at - lo
    # The span ends on this line unless a line break comes first (past the window's end,
    # the carets stop at the window's end either way).
    end_col = span.end - lo if stop < 0 or span.end <= hi else len(text)
    end_col = max(min(end_col, len(text)), start_col + 1)
    shown, offset = _window(text, start_col, end_col)
    start_col -= offset
    end_col -= offset
    escaped = shown if _is_safe(source) else printable(shown)
    if escaped == shown and "\t" not in shown:
        pad, width = " " * start_col, min(end_col, len(shown)) - start_col
    else:  # escapes widen the text; tabs stay tabs under it, so the carets line up
        pad = _NOT_TAB.sub(" ", printable(shown[:start_col]))
        width = len(printable(shown[start_col:end_col]))
    carets = pad + _paint("^" * max(1, width), f"1;{tone}", color)
    bar, help_label = _BAR_HELP[color]
    text = f"{head}\n{gutter} {bar}\n{number} {bar} {escaped}\n{gutter} {bar} {carets}"
    return f"{text}\n{gutter} = {help_label}: {help_text}" if help_text else text


_NAMES = {severity: severity.value for severity in Severity}


json_string = encode_basestring_ascii
"""A string as ``json.dumps`` writes it (the same C function)."""
_BAR_HELP = {
    color: (_paint("|", "1;34", color), _paint("help", "1;36", color)) for color in (False, True)
}


@functools.lru_cache(maxsize=64)
def _printable_path(path: str) -> str:
    return printable(path)


@functools.lru_cache(maxsize=4096)
def _printable_message(text: str) -> str:
    """`printable` of a message or help: a spec with many problems repeats a few texts."""
    return printable(text)


_last_safe: tuple[str, bool] | None = None


def _is_safe(source: str) -> bool:
    """Whether ``source`` holds nothing `printable` would escape: one pass per source, so
    that each diagnostic of a long spec skips the scan of its line."""
    global _last_safe
    if _last_safe is None or _last_safe[0] is not source:
        unsafe = _UNSAFE_ASCII_IN_LINE if source.isascii() else _unsafe(True)
        _last_safe = (source, unsafe.search(source) is None)
    return _last_safe[1]


_NOT_TAB = re.compile(r"[^\t]")
_UNSAFE_CLASS = (
    "\x7f-\x9f"  # DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates: undecodable bytes of a file name
)
_C0 = "\x00-\x08\x0a-\x1f"
"""What `printable` escapes: C0 but tab (ESC starts terminal commands), and the above."""
_C0_IN_LINE = "\x00-\x08\x0b\x0c\x0e-\x1f"
"""The same but for line breaks, which a source line shown never holds."""
_UNSAFE_ASCII = re.compile(f"[{_C0}\x7f]")
_UNSAFE_ASCII_IN_LINE = re.compile(f"[{_C0_IN_LINE}\x7f]")
"""The two for ASCII text (nearly every text): the same escapes, since DEL is the only
ASCII character of `_UNSAFE_CLASS`, and a hundredth of the cost to compile."""


@functools.cache
def _unsafe(in_line: bool) -> re.Pattern[str]:
    """The two for any text, compiled on first use: their ranges over the surrogates cost
    regular expressions two milliseconds to compile, a tenth of a cold `check`."""
    return re.compile(f"[{_C0_IN_LINE if in_line else _C0}{_UNSAFE_CLASS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could move the cursor, change colours, reorder
    what a terminal shows or fail to encode written as an escape (``\\x1b``,
    ``\\u202e``); tabs and everything else unchanged."""
    return (_UNSAFE_ASCII if text.isascii() else _unsafe(False)).sub(_escape, text)


_WINDOW = 120


def _window(text: str, start: int, end: int) -> tuple[str, int]:
    """A slice of at most ``_WINDOW`` characters of ``text`` that shows ``[start, end)``."""
    if len(text) <= _WINDOW:
        return text, 0
    offset = max(0, min(start - 20, len(text) - _WINDOW))
    return text[offset : offset + _WINDOW], offset
