"""`bilstm-dsl lsp`: a language server for `.arch` files, over standard input and output.

What an editor gets:

- **diagnostics** on open and on every change: the checker's errors, warnings and notes, with
  their code (`E201`), the `help:` line, and the exact span;
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
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__, ast, parser
from . import values as v
from .checker import CheckResult, StageInfo, check
from .diagnostics import Diagnostic, Severity
from .layers import ALIASES, FLAGS, INPUT, LAYERS, REQUIRED, LayerSpec, Param
from .shapes import fmt

if TYPE_CHECKING:
    from lsprotocol import types as lsp_types
    from pygls.lsp.server import LanguageServer

INSTALL_HINT = "bilstm-dsl lsp needs pygls: pip install 'bilstm-dsl[lsp]'"
SOURCE = "bilstm-dsl"

# -- positions -----------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

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
        content = _LINE_BREAK.sub("", self.text[start:end])
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


def inferred_stages(result: CheckResult) -> tuple[StageInfo, ...]:
    """Every stage whose shapes the checker inferred: all of them when the file checks,
    else those before the first error that stopped inference."""
    return result.inferred


class Analysis:
    """One version of a document, checked, with what hover needs computed on demand."""

    __slots__ = ("text", "result", "_inferred")

    def __init__(self, text: str, result: CheckResult) -> None:
        self.text = text
        self.result = result
        self._inferred: tuple[StageInfo, ...] | None = None

    @classmethod
    def of(cls, text: str, path: str = "<lsp>") -> Analysis:
        return cls(text, check(text, path))

    @property
    def inferred(self) -> dict[int, StageInfo]:
        if self._inferred is None:
            self._inferred = inferred_stages(self.result)
        return {info.index: info for info in self._inferred}


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


def _shapes_text(shapes: tuple[tuple[int | None, ...], ...]) -> str:
    return " ".join(fmt(s) for s in shapes) if len(shapes) > 1 else fmt(shapes[0])


def hover_at(analysis: Analysis, offset: int) -> HoverInfo | None:
    """The hover for the stage under ``offset``, or None outside any stage (or when the text
    does not parse)."""
    parsed = parser.parse(analysis.text)
    if parsed.chain is None:
        return None
    stages = parsed.chain.stages
    index = next((i for i, s in enumerate(stages) if s.span.start <= offset < s.span.end), None)
    if index is None:
        return None
    stage = stages[index]
    call = stage.call
    written = analysis.text[call.span.start : call.span.end]
    result = analysis.result
    keras = _keras_class(call.name, call) or "unknown layer"
    rows: list[tuple[str, str]] = []
    if index == 0:
        if result.input is not None and call.name.lower() == "input":
            rows = [("Output shape", f"`{fmt(result.input_shape)}`"), ("Params", "0")]
    elif (info := analysis.inferred.get(index)) is not None:
        keras = _class_of(info)
        params = f"{info.params:,}"
        if info.non_trainable:
            params += f" ({info.trainable:,} trainable, {info.non_trainable:,} non-trainable)"
        rows = [
            ("Layer name", f"`{info.name}`"),
            ("Output shape", f"`{_shapes_text(info.shapes)}`"),
            ("Params", params),
        ]
    if not rows:
        errors = [d for d in result.diagnostics if d.is_error]
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


_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>"(?:[^"\\\n]|\\.)*"?)
    | (?P<arrow>->)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d*)?)
    | (?P<open>[(\[])
    | (?P<close>[)\]])
    | (?P<punct>[,=:])
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE,
)


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
        if len(toks) >= 2 and toks[0][0] == "name" and toks[1] == ("punct", "="):
            self.keys.add(toks[0][1].lower())
        elif len(toks) == 1 and toks[0][0] == "name":
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


def _context(text: str, offset: int) -> _Context:
    """Scan the text before the cursor (tolerating any mistake in it) for what may go
    there: the open calls, the argument being written, the token before it."""
    prefix = text[:offset]
    stack: list[_Frame] = []
    top: list[tuple[str, str]] = []  # significant tokens outside any bracket
    last: tuple[str, str] | None = None
    for match in _TOKEN.finditer(prefix):
        kind, tok = match.lastgroup or "other", match.group()
        if kind == "space":
            continue
        if kind == "comment":
            if match.end() == len(prefix):
                return _Context("none")
            continue
        if kind == "string" and match.end() == len(prefix) and (len(tok) < 2 or tok[-1] != '"'):
            return _Context("none")  # inside an unterminated string
        if kind == "name" and match.end() == len(prefix):
            break  # the word being completed
        current = stack[-1].current if stack else top
        if kind == "open":
            name = last[1] if last is not None and last[0] == "name" and tok == "(" else None
            if name is not None and current and current[-1] == ("name", name):
                current.pop()
            stack.append(_Frame(name))
        elif kind == "close":
            if stack:
                frame = stack.pop()
                outer = stack[-1].current if stack else top
                outer.append(("value", frame.call or "tuple"))
        elif tok == "," and stack:
            stack[-1].close_argument()
        else:
            current.append((kind, tok))
        last = (kind, tok)
    if not stack:
        if not top:
            return _Context("start")
        return _Context("layer" if top[-1] == ("arrow", "->") else "none")
    frame = stack[-1]
    if frame.call is None:
        return _Context("none")
    toks = frame.current
    if not toks:
        return _Context("argument", frame)
    if len(toks) == 2 and toks[0][0] == "name" and toks[1] == ("punct", "="):
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
        return "(" + ", ".join(_dsl_value(x) for x in value) + (",)" if len(value) == 1 else ")")
    return str(value)


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

_CHOICES: dict[int, tuple[str, ...]] = {
    id(v.ACTIVATION): tuple(sorted(v.ACTIVATIONS)),
    id(v.INITIALIZER): tuple(sorted(v.INITIALIZERS)),
    id(v.REGULARIZER): tuple(sorted(v.REGULARIZERS)) + ("none",),
    id(v.CONSTRAINT): tuple(sorted(v.CONSTRAINTS)) + ("none",),
    id(v.MERGE_MODE): v.MERGE_MODES + ("none",),
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
    if sugar and "merge_mode" not in filled:
        merged = frame.words & set(v.MERGE_MODES + ("none",))
        if not merged:
            for mode in v.MERGE_MODES + ("none",):
                detail = "merge_mode" + (" (default)" if mode == "concat" else "")
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
    default = _dsl_value(param.default) if param.default is not REQUIRED else None
    return [
        Suggestion(
            choice, "value", f"{key} (default)" if choice == default else key, choice, f"{i:03d}"
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


# -- the server ----------------------------------------------------------------------------


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


_KINDS = {"layer": 7, "keyword": 10, "flag": 14, "value": 12}
"""Suggestion kinds as LSP CompletionItemKind values (Class, Property, Keyword, Value)."""


def create_server() -> LanguageServer:
    """A pygls server with every feature registered (not yet started)."""
    server_class, types = _import_pygls()
    server = server_class(
        "bilstm-dsl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
    )
    documents: dict[str, Analysis] = {}

    def lines_for(ls: LanguageServer, text: str) -> LineMap:
        return LineMap(text, ls.workspace.position_encoding)

    def analyse(ls: LanguageServer, uri: str) -> Analysis:
        text = ls.workspace.get_text_document(uri).source
        cached = documents.get(uri)
        if cached is None or cached.text != text:
            cached = documents[uri] = Analysis.of(text, uri)
        return cached

    def publish(ls: LanguageServer, uri: str, version: int | None) -> None:
        analysis = analyse(ls, uri)
        lines = lines_for(ls, analysis.text)
        diagnostics = [
            _to_lsp_diagnostic(types, diagnostic_dict(d, lines))
            for d in analysis.result.diagnostics
        ]
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp_types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp_types.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: lsp_types.DidCloseTextDocumentParams) -> None:
        documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: lsp_types.HoverParams) -> lsp_types.Hover | None:
        analysis = analyse(ls, params.text_document.uri)
        lines = lines_for(ls, analysis.text)
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
    def completion(
        ls: LanguageServer, params: lsp_types.CompletionParams
    ) -> lsp_types.CompletionList:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        offset = lines_for(ls, text).offset(params.position.line, params.position.character)
        items = [
            types.CompletionItem(
                label=s.label,
                kind=types.CompletionItemKind(_KINDS[s.kind]),
                detail=s.detail,
                insert_text=s.insert_text,
                sort_text=s.sort_text,
                filter_text=s.filter_text,
            )
            for s in complete_at(text, offset)
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
    server = create_server()
    server.start_io()
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
