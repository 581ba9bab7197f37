"""`bilstm-dsl lsp`: a language server for `.arch` files, over standard input and output.

What an editor gets:

- **diagnostics** on open and after changes: the checker's errors, warnings and notes, with
  their code (`E201`), the `help:` line, and the exact span. Changes are checked once the
  client pauses (`DEBOUNCE_S`), so a burst of edits costs one check of the last version,
  not one per keystroke;
- **hover** over a stage: the layer as written, its Keras class, output shape(s) and
  parameter count. In a file with errors, the stages the checker could still infer (those
  before the first shape error) keep their hover;
- **completion** of layer names (long forms, short forms, Keras aliases) where a layer can
  go, of the keyword arguments and bare flags of the layer being written, and of the values
  of arguments that take a known name (`activation=`, `merge_mode=`, ...).

Positions: the checker counts columns in code points, LSP in UTF-16 code units unless the
client offers another ``positionEncoding`` (pygls picks the client's first choice among
utf-8, utf-16 and utf-32). `LineMap` converts between offsets into the text and LSP
positions in whichever encoding was negotiated, so a character outside the Basic
Multilingual Plane before an error does not shift its squiggle.

The protocol side needs pygls (the ``lsp`` extra), imported only when the server starts:
``import bilstm_dsl.lsp`` stays as cheap as the checker, and the analysis functions here
(`LineMap`, `hover_at`, `complete_at`) are plain Python that tests can call directly.
Where pygls 2 leaves the protocol short, the server completes it: its own reader
(`Transport`, `Framer`) survives a malformed header and reads ahead, so a request can wait
for a ``$/cancelRequest`` already sent; its protocol class (`_protocol_class`) answers
requests with invalid params (InvalidParams), requests before ``initialize``
(ServerNotInitialized) and after ``shutdown`` (InvalidRequest), which pygls leaves
unanswered or answers with an internal error. Only the text of open documents is ever
analysed: a request naming another URI gets an empty answer, and no path is opened, so a
FIFO or a device cannot block the server.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import queue
import re
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from . import __version__, ast, lexer, parser
from . import values as v
from .checker import check
from .diagnostics import LINE_END, Diagnostic, LineIndex, Severity
from .layers import ALIASES, FLAGS, INPUT, LAYERS, REQUIRED, LayerSpec, Param
from .model import CheckResult, StageInfo
from .shapes import fmt, fmt_shapes, tuple_text

if TYPE_CHECKING:
    from lsprotocol import types as lsp_types
    from pygls.lsp.server import LanguageServer

INSTALL_HINT = "bilstm-dsl lsp needs pygls: pip install 'bilstm-dsl[lsp]'"
SOURCE = "bilstm-dsl"

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
    if info.non_trainable:
        text += f" ({info.trainable:,} trainable, {info.non_trainable:,} non-trainable)"
    return text


def hover_at(analysis: Analysis, offset: int) -> HoverInfo | None:
    """The hover for the stage under ``offset``, or None outside any stage (or when the text
    does not parse)."""
    index = analysis.stage_at(offset)
    if index is None:
        return None
    call = analysis.stages[index].call
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
    markdown = [f"```arch\n{written}\n```", f"**{keras}** ({head})", ""]
    plain = [written, f"{keras} ({head})"]
    for label, value in rows:
        markdown.append(f"- {label}: {value}")
        plain.append(f"{label}: {value.replace('`', '')}")
    return HoverInfo("\n".join(markdown), "\n".join(plain), call.span.start, call.span.end)


# -- completion ----------------------------------------------------------------------------


class Suggestion(NamedTuple):
    """One completion item, independent of the protocol library."""

    label: str
    kind: str
    """``layer``, ``keyword``, ``flag`` or ``value``."""
    detail: str
    insert_text: str
    sort_text: str
    filter_text: str | None = None


class _Frame:
    """An open bracket: a call (``name(``), or a tuple or list when ``call`` is None.
    ``current`` holds the tokens, (kind, text), of the argument being written."""

    __slots__ = ("call", "keys", "words", "positional", "current")

    def __init__(self, call: str | None) -> None:
        self.call = call
        self.keys: set[str] = set()
        self.words: set[str] = set()
        self.positional = 0
        self.current: list[tuple[str, str]] = []

    def close_argument(self) -> None:
        toks = self.current
        if len(toks) >= 2 and toks[0][0] == "NAME" and toks[1][0] == "EQUALS":
            self.keys.add(toks[0][1].lower())
        elif len(toks) == 1 and toks[0][0] == "NAME":
            self.words.add(toks[0][1].lower())
        elif toks:
            self.positional += 1
        self.current = []


class _Context(NamedTuple):
    """Where the cursor is, for completion."""

    kind: str
    """``start``, ``layer`` (after ``->``), ``argument`` (a new argument of ``frame``),
    ``value`` (after ``key=`` in ``frame``), or ``none``."""
    frame: _Frame | None = None
    key: str | None = None


_OPENING, _CLOSING = ("LPAR", "LSQB"), ("RPAR", "RSQB")


def _context(text: str, offset: int) -> _Context:
    """Scan the tokens before the cursor (tolerating any mistake in them) for what may go
    there: the open calls, the argument being written, the token before it."""
    prefix = text[:offset]
    stack: list[_Frame] = []
    top: list[tuple[str, str]] = []  # significant tokens outside any bracket
    last: tuple[str, str] | None = None
    for token in lexer.tokens(prefix):
        kind, tok, at_cursor = token.kind, token.text, token.end == len(prefix)
        if kind == "WS":
            continue
        if kind == "COMMENT":
            if at_cursor:
                return _Context("none")
            continue
        if kind == lexer.UNCLOSED_STRING and at_cursor:
            return _Context("none")  # inside a string being written
        if kind == "NAME" and at_cursor:
            break  # the word being completed
        current = stack[-1].current if stack else top
        if kind in _OPENING:
            name = last[1] if last is not None and last[0] == "NAME" and kind == "LPAR" else None
            if name is not None and current and current[-1] == ("NAME", name):
                current.pop()
            stack.append(_Frame(name))
        elif kind in _CLOSING:
            if stack:
                frame = stack.pop()
                outer = stack[-1].current if stack else top
                outer.append(("value", frame.call or "tuple"))
        elif kind == "_COMMA" and stack:
            stack[-1].close_argument()
        else:
            current.append((kind, tok))
        last = (kind, tok)
    if not stack:
        if not top:
            return _Context("start")
        return _Context("layer" if top[-1][0] == "ARROW" else "none")
    frame = stack[-1]
    if frame.call is None:
        return _Context("none")
    toks = frame.current
    if not toks:
        return _Context("argument", frame)
    if len(toks) == 2 and toks[0][0] == "NAME" and toks[1][0] == "EQUALS":
        return _Context("value", frame, toks[0][1].lower())
    return _Context("none")


def _spec_params(call: str) -> tuple[LayerSpec | None, tuple[Param, ...], tuple[str, ...]]:
    """The spec a call name resolves to, the parameters it accepts as written (for
    ``bilstm``: the LSTM's plus the wrapper's merge mode, name and trainable), and which
    may be given positionally."""
    name = call.lower()
    if name == "input":
        return INPUT, INPUT.params, ()
    alias = ALIASES.get(name)
    if alias is not None and alias.inner is not None:
        inner = LAYERS[alias.inner]
        outer = LAYERS["bidirectional"]
        params = tuple(
            p for p in inner.params if p.name not in ("go_backwards", "name", "trainable")
        )
        params += tuple(p for p in outer.params if p.name in ("merge_mode", "name", "trainable"))
        positional = tuple(p for p in inner.positional or () if p != "go_backwards")
        return outer, params, positional
    spec = LAYERS.get(alias.wrapper if alias else name)
    if spec is None:
        return None, (), ()
    return spec, spec.params, tuple(spec.positional or ())


def _dsl_value(value: object) -> str:
    """A default value as it would be written in `.arch`."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return tuple_text([_dsl_value(x) for x in value])
    return str(value)


def _is_default(choice: str, param: Param) -> bool:
    """Whether the value ``choice`` (a bare word, or quoted) is ``param``'s default."""
    if param.default is REQUIRED:
        return False
    return choice.strip('"') == _dsl_value(param.default).strip('"')


def _layer_suggestions(only: frozenset[str] | None = None) -> list[Suggestion]:
    """Every layer name (or those in ``only``): long forms in registry order, each followed
    by its short forms and Keras aliases."""
    out: list[Suggestion] = []
    for spec in LAYERS.values():
        if only is not None and spec.name not in only:
            continue
        out.append(
            Suggestion(spec.name, "layer", f"keras.layers.{spec.keras_class}", spec.name, "")
        )
        for short, alias in ALIASES.items():
            if alias.wrapper != spec.name:
                continue
            if alias.inner is None:
                detail = f"keras.layers.{spec.keras_class} (short for {spec.name})"
            else:
                inner = LAYERS[alias.inner].keras_class
                detail = f"Bidirectional({inner}): short for {spec.name}({alias.inner}(...))"
            out.append(Suggestion(short, "layer", detail, short, ""))
    return [
        Suggestion(s.label, s.kind, s.detail, s.insert_text, f"{i:03d}") for i, s in enumerate(out)
    ]


_RECURRENT = frozenset(s.name for s in LAYERS.values() if s.family == "recurrent")

_MERGE_CHOICES = v.MERGE_MODES + ("none",)
"""What `merge_mode` takes: the merge modes, or `none` to keep the directions apart."""

_CHOICES: dict[int, tuple[str, ...]] = {
    id(v.ACTIVATION): tuple(sorted(v.ACTIVATIONS)),
    id(v.INITIALIZER): tuple(sorted(v.INITIALIZERS)),
    id(v.REGULARIZER): tuple(sorted(v.REGULARIZERS)) + ("none",),
    id(v.CONSTRAINT): tuple(sorted(v.CONSTRAINTS)) + ("none",),
    id(v.MERGE_MODE): _MERGE_CHOICES,
    id(v.DTYPE): tuple(f'"{d}"' for d in sorted(v.DTYPES)),
    id(v.BOOL): ("true", "false"),
    id(v.CONV_PADDING): ("valid", "same", "causal"),
    id(v.POOL_PADDING): ("valid", "same"),
    id(v.DATA_FORMAT): ("channels_last", "channels_first"),
    id(v.USE_CUDNN): ("auto", "true", "false"),
}
"""Values to offer after ``key=``, by argument type."""


def _argument_suggestions(frame: _Frame) -> list[Suggestion]:
    call = frame.call or ""
    name = call.lower()
    spec, params, positional = _spec_params(name)
    out: list[Suggestion] = []
    if spec is None:
        return out
    filled = set(positional[: frame.positional]) | frame.keys
    flags = dict(spec.flags)
    if name in ALIASES and ALIASES[name].inner is not None:
        inner_flags = LAYERS[ALIASES[name].inner].flags
        flags = {f: a for f, a in inner_flags.items() if a != "go_backwards"}
    filled |= {flags[w] for w in frame.words if w in flags}
    sugar = name in ALIASES and ALIASES[name].inner is not None  # bilstm, bigru, birnn
    wrapper_slot = frame.positional == 0 and "layer" not in frame.keys
    if spec.family == "wrapper" and not sugar and wrapper_slot:
        only = _RECURRENT if spec.name == "bidirectional" else None
        out += [s for s in _layer_suggestions(only) if s.label != "input"]
    for short, arg in FLAGS.items():
        if short in flags and arg not in filled:
            out.append(Suggestion(short, "flag", f"{arg}=true", short, f"1{short}"))
    if sugar and "merge_mode" not in filled and not frame.words & set(_MERGE_CHOICES):
        merge_mode = next(p for p in params if p.name == "merge_mode")
        for mode in _MERGE_CHOICES:
            detail = "merge_mode" + (" (default)" if _is_default(mode, merge_mode) else "")
            out.append(Suggestion(mode, "value", detail, mode, f"2{mode}"))
    for index, param in enumerate(params):
        if param.name in filled:
            continue
        if param.default is REQUIRED:
            detail = f"{param.type.name}, required"
        else:
            detail = f"{param.type.name}, default {_dsl_value(param.default)}"
        out.append(
            Suggestion(
                f"{param.name}=", "keyword", detail, f"{param.name}=", f"3{index:03d}", param.name
            )
        )
    return out


def _value_suggestions(frame: _Frame, key: str) -> list[Suggestion]:
    _, params, _ = _spec_params(frame.call or "")
    param = next((p for p in params if p.name == key), None)
    if param is None:
        return []
    if param.type in (v.LAYER, v.OPT_LAYER):
        only = _RECURRENT if (frame.call or "").lower() == "bidirectional" else None
        return _layer_suggestions(only)
    return [
        Suggestion(
            choice,
            "value",
            f"{key} (default)" if _is_default(choice, param) else key,
            choice,
            f"{i:03d}",
        )
        for i, choice in enumerate(_CHOICES.get(id(param.type), ()))
    ]


def complete_at(text: str, offset: int) -> list[Suggestion]:
    """What may be written at ``offset``: layer names, arguments, flags or values."""
    where = _context(text, offset)
    if where.kind == "start":
        return [Suggestion("input", "layer", "keras.Input: the per-sample shape", "input", "000")]
    if where.kind == "layer":
        return _layer_suggestions()
    if where.kind == "argument" and where.frame is not None:
        return _argument_suggestions(where.frame)
    if where.kind == "value" and where.frame is not None and where.key is not None:
        return _value_suggestions(where.frame, where.key)
    return []


# -- the transport -------------------------------------------------------------------------

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
"""Largest message body accepted: a 2 MiB spec (E011), escaped as JSON, with room to spare.
A longer ``Content-Length`` is treated as a malformed header."""

_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MAX_HEADER = 8192


class Framer:
    """Cuts the bytes a client sends into message bodies, as LSP frames them: header lines
    (``Content-Length: N``; others, such as ``Content-Type``, ignored), a blank line, then
    N bytes. A header block without a valid ``Content-Length`` gives no way to know where
    its body ends, so the bytes after it are skipped up to the next ``Content-Length``
    header, where the next message starts: one bad message is lost, not the connection."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.lost = False
        """Skipping the body of a malformed message, up to the next header."""
        self.skipped = 0
        """Messages dropped for a malformed header, for the logs and the tests."""

    def feed(self, data: bytes) -> list[bytes]:
        """Take ``data``; every message body it completes, in order."""
        self.buffer += data
        bodies = []
        while (body := self._next()) is not None:
            if body:
                bodies.append(body)
        return bodies

    def _next(self) -> bytes | None:
        """The next body; b"" to go on after a malformed header; None for more bytes."""
        buffer = self.buffer
        if self.lost:
            found = _CONTENT_LENGTH.search(buffer)
            if found is None:
                keep = len("content-length") - 1  # the start of a header cut by the read
                del buffer[: max(0, len(buffer) - keep)]
                return None
            del buffer[: found.start()]
            self.lost = False
        end = _HEADER_END.search(buffer)
        if end is None:
            return self._lose(1) if len(buffer) > _MAX_HEADER else None
        length = _content_length(bytes(buffer[: end.start()]))
        if length is None:
            return self._lose(end.end())
        if len(buffer) < end.end() + length:
            return None
        body = bytes(buffer[end.end() : end.end() + length])
        del buffer[: end.end() + length]
        return body

    def _lose(self, start: int) -> bytes:
        self.skipped += 1
        del self.buffer[:start]
        self.lost = True
        return b""


def _content_length(header: bytes) -> int | None:
    """The body length a header block gives, or None when it is malformed: every line
    ``Name: value``, exactly one ``Content-Length``, a decimal number within bounds."""
    lengths = []
    for line in header.split(b"\n"):
        name, colon, value = line.rstrip(b"\r").partition(b":")
        if not colon or not name.strip():
            return None
        if name.strip().lower() == b"content-length":
            value = value.strip()
            if not value.isdigit() or len(value) > 12:
                return None
            lengths.append(int(value))
    if len(lengths) != 1 or lengths[0] > MAX_MESSAGE_BYTES:
        return None
    return lengths[0]


class Transport:
    """The server's standard input, read ahead in a thread of its own and handed to pygls's
    reader loop as well-formed frames (`Framer` has dropped the malformed ones).

    Reading ahead tells the server what the client has already sent: ``backlog`` counts the
    messages read but not yet handled, and `drained` waits until every message read so far
    has been handled. A request waits for that before its work, so a ``$/cancelRequest``
    the client sent right after it cancels it, and a check waits while newer changes are
    queued."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._bodies: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._backlog = 0
        self._handing = False  # a message is being read by pygls, or handled
        self._pending = b""  # what is left of the frame being handed to pygls
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self.framer = Framer()

    def start(self) -> None:
        """Start reading, in a daemon thread: a client that never closes its end cannot
        keep the process alive after ``exit``."""
        threading.Thread(target=self._pump, name="lsp-reader", daemon=True).start()

    @property
    def backlog(self) -> int:
        return self._backlog

    def _pump(self) -> None:
        # The file descriptor, not the buffered stream: at exit this daemon thread may still
        # be blocked in a read, and one holding the stream's lock aborts the interpreter.
        try:
            fd = self._stream.fileno()
            read: Callable[[int], bytes] = lambda size: os.read(fd, size)  # noqa: E731
        except (AttributeError, OSError, ValueError):  # not a file: a stream in a test
            read = getattr(self._stream, "read1", self._stream.read)
        while True:
            try:
                data = read(1 << 16)
            except (OSError, ValueError):
                data = b""
            if not data:
                break
            bodies = self.framer.feed(data)
            with self._lock:
                self._backlog += len(bodies)
            for body in bodies:
                self._bodies.put(body)
        self._bodies.put(None)

    # pygls's reader interface, called from its executor threads

    def readline(self) -> bytes:
        if not self._pending:
            self._handled()  # pygls asks for the next message: the last one is handled
            body = self._bodies.get()
            if body is None:
                return b""
            with self._lock:
                self._handing = True
            self._pending = b"Content-Length: %d\r\n\r\n" % len(body) + body
        end = self._pending.index(b"\n") + 1
        line, self._pending = self._pending[:end], self._pending[end:]
        return line

    def read(self, size: int) -> bytes:
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def _handled(self) -> None:
        with self._lock:
            if self._handing:
                self._handing = False
                self._backlog -= 1
            if self._backlog:
                return
            waiters, self._waiters = self._waiters, []
        for loop, waiter in waiters:
            loop.call_soon_threadsafe(_wake, waiter)

    async def drained(self) -> None:
        """Return once every message read so far has been handled."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if not self._backlog:
                return
            waiter = loop.create_future()
            self._waiters.append((loop, waiter))
        await waiter


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


# -- the server ----------------------------------------------------------------------------

DEBOUNCE_S = 0.1
"""How long the client must pause typing before a changed document is checked."""


def _import_pygls() -> tuple[Any, Any]:
    """pygls's LanguageServer class and lsprotocol's types, or a UsageError saying how to
    install them."""
    try:
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer
    except ImportError:
        from .files import UsageError

        raise UsageError(INSTALL_HINT) from None
    return LanguageServer, types


_ANSWERED = object()
"""What `structure_message` makes of a request it has already answered with an error."""


def _protocol_class() -> type:
    """pygls's LanguageServerProtocol, completed where LSP asks for an answer pygls does not
    give: a request whose params do not fit its method gets InvalidParams (pygls only logs
    it, and the client waits forever), a request before ``initialize`` gets
    ServerNotInitialized (pygls answers an internal error), a request after ``shutdown``
    gets InvalidRequest (pygls drops it). Notifications before ``initialize`` are dropped,
    ``exit`` excepted, as LSP says."""
    from cattrs import ClassValidationError, transform_error
    from lsprotocol import types
    from pygls.exceptions import (
        JsonRpcException,
        JsonRpcInvalidParams,
        JsonRpcInvalidRequest,
        JsonRpcServerNotInitialized,
    )
    from pygls.protocol import LanguageServerProtocol
    from pygls.protocol.json_rpc import RPCRequest

    class Protocol(LanguageServerProtocol):
        initialize_received = False

        def structure_message(self, data: dict[str, Any]) -> Any:
            try:
                return super().structure_message(data)
            except JsonRpcException as error:
                msg_id = data.get("id")
                if "method" not in data or type(msg_id) not in (int, str):
                    raise  # a notification or a response: there is no one to answer
                cause = error.__cause__
                why = transform_error(cause) if isinstance(cause, ClassValidationError) else []
                reason = "; ".join(why) or str(cause or error)
                invalid = JsonRpcInvalidParams(f"invalid params for {data['method']}: {reason}")
                self._send_response(msg_id, error=invalid.to_response_error())
                return _ANSWERED

        def handle_message(self, message: Any) -> None:
            if message is _ANSWERED:
                return
            method = getattr(message, "method", None)
            request = isinstance(message, RPCRequest)
            if not self.initialize_received and method != types.EXIT:
                if method != types.INITIALIZE:
                    if request:
                        error = JsonRpcServerNotInitialized("send `initialize` first")
                        self._send_response(message.id, error=error.to_response_error())
                    return
                self.initialize_received = True
            elif self._shutdown and request and method != types.EXIT:
                error = JsonRpcInvalidRequest("the server is shutting down")
                self._send_response(message.id, error=error.to_response_error())
                return
            super().handle_message(message)

    return Protocol


_KINDS = {"layer": 7, "keyword": 10, "flag": 14, "value": 12}
"""Suggestion kinds as LSP CompletionItemKind values (Class, Property, Keyword, Value)."""


def create_server(transport: Transport | None = None) -> LanguageServer:
    """A pygls server with every feature registered (not yet started); ``transport`` is
    the reader it will be started on, if it is one, for requests to honour cancellation
    and checks to wait for queued changes."""
    from urllib.parse import unquote

    server_class, types = _import_pygls()
    from pygls.exceptions import JsonRpcContentModified

    server = server_class(
        "bilstm-dsl",
        __version__,
        text_document_sync_kind=types.TextDocumentSyncKind.Full,
        protocol_cls=_protocol_class(),
    )
    documents: dict[str, Analysis] = {}
    timers: dict[str, asyncio.TimerHandle] = {}

    def open_document(ls: LanguageServer, uri: str) -> Any:
        """The open document at ``uri``, or None: pygls would read any other from its path
        (and block on a FIFO); an editor only asks about documents it opened."""
        return ls.workspace.text_documents.get(unquote(uri))

    def analyse(uri: str, text: str) -> Analysis:
        cached = documents.get(uri)
        if cached is None or cached.text != text:
            cached = documents[uri] = Analysis.of(text, uri)
        return cached

    async def current(ls: LanguageServer, uri: str) -> Any:
        """The open document a request is about, once the messages sent before it are
        handled (a cancellation among them cancels the request here); ContentModified
        when a change came meanwhile, since the request's positions are then stale."""
        document = open_document(ls, uri)
        version = document.version if document is not None else None
        if transport is not None:
            await transport.drained()
        latest = open_document(ls, uri)
        if latest is not document or (latest is not None and latest.version != version):
            raise JsonRpcContentModified(f"{uri} changed since the request was sent")
        return document

    def publish(ls: LanguageServer, uri: str) -> None:
        timers.pop(uri, None)
        document = open_document(ls, uri)
        if document is None:
            return
        analysis = analyse(uri, document.source)
        lines = analysis.line_map(ls.workspace.position_encoding)
        diagnostics = [
            _to_lsp_diagnostic(types, diagnostic_dict(d, lines))
            for d in analysis.result.diagnostics
        ]
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri, diagnostics, version=document.version)
        )

    def settle(ls: LanguageServer, uri: str) -> None:
        """Check a changed document, unless more messages are waiting: they may change it
        again, and checking a version already superseded is wasted work."""
        if transport is not None and transport.backlog:
            timers[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_S, settle, ls, uri)
            return
        publish(ls, uri)

    def cancel_timer(uri: str) -> None:
        timer = timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp_types.DidOpenTextDocumentParams) -> None:
        cancel_timer(params.text_document.uri)
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp_types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel_timer(uri)
        timers[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_S, settle, ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: lsp_types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel_timer(uri)
        documents.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: LanguageServer, params: lsp_types.HoverParams) -> lsp_types.Hover | None:
        uri = params.text_document.uri
        document = await current(ls, uri)
        if document is None:
            return None
        analysis = analyse(uri, document.source)
        lines = analysis.line_map(ls.workspace.position_encoding)
        found = hover_at(analysis, lines.offset(params.position.line, params.position.character))
        if found is None:
            return None
        formats = _hover_formats(ls)
        markdown = formats is None or types.MarkupKind.Markdown in formats
        (sl, sc), (el, ec) = lines.range(found.start, found.end)
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value=found.markdown if markdown else found.plain,
            ),
            range=types.Range(types.Position(sl, sc), types.Position(el, ec)),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["(", ",", ">", "="]),
    )
    async def completion(
        ls: LanguageServer, params: lsp_types.CompletionParams
    ) -> lsp_types.CompletionList:
        document = await current(ls, params.text_document.uri)
        text = document.source if document is not None else ""
        lines = LineMap(text, ls.workspace.position_encoding)
        offset = lines.offset(params.position.line, params.position.character)
        items = [
            types.CompletionItem(
                label=s.label,
                kind=types.CompletionItemKind(_KINDS[s.kind]),
                detail=s.detail,
                insert_text=s.insert_text,
                sort_text=s.sort_text,
                filter_text=s.filter_text,
            )
            for s in (complete_at(text, offset) if document is not None else [])
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    return server


def _hover_formats(ls: LanguageServer) -> list[Any] | None:
    caps = ls.client_capabilities.text_document
    hover = caps.hover if caps is not None else None
    return list(hover.content_format) if hover is not None and hover.content_format else None


def _to_lsp_diagnostic(types: Any, data: dict[str, Any]) -> Any:
    start, end = data["range"]["start"], data["range"]["end"]
    return types.Diagnostic(
        range=types.Range(
            types.Position(start["line"], start["character"]),
            types.Position(end["line"], end["character"]),
        ),
        severity=types.DiagnosticSeverity(data["severity"]),
        code=data["code"],
        source=data["source"],
        message=data["message"],
    )


def main() -> int:
    """Run the language server on standard input and output until the client exits it.
    0 after a clean shutdown, 1 when the client went away without one (as LSP asks)."""
    transport = Transport(sys.stdin.buffer)
    server = create_server(transport)
    transport.start()
    server.start_io(stdin=transport)  # type: ignore[arg-type] - pygls asks only readline/read
    return 0 if getattr(server.protocol, "_shutdown", True) else 1


def cmd_lsp(args: argparse.Namespace) -> int:
    """`bilstm-dsl lsp`: run the server (the `run` of the subcommand)."""
    return main()


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register `bilstm-dsl lsp` on an argparse subparsers object."""
    p = sub.add_parser(
        "lsp",
        help="run the language server (diagnostics, hover, completion) over stdio",
        description="Run the .arch language server on standard input and output. "
        + INSTALL_HINT.replace("bilstm-dsl lsp needs", "Needs")
        + ".",
    )
    p.add_argument(
        "--stdio",
        action="store_true",
        help="talk over standard input and output (the default and only transport; "
        "accepted because editors pass it)",
    )
    p.set_defaults(run=cmd_lsp)
    return p


def _module_main() -> int:
    """``python -m bilstm_dsl.lsp``: the server, with the CLI's message for a missing
    pygls."""
    from .files import EXIT_USAGE, UsageError

    try:
        return main()
    except UsageError as error:
        print(f"bilstm-dsl: error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(_module_main())
