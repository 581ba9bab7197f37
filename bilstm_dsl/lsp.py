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

This module wires the server: the `lsp` subcommand, the handlers, the debounce. The work is
done by three others: `lsp_analysis` (positions, the checked document, diagnostics and
hover), `lsp_completion` (what may be written at the cursor) and `lsp_protocol` (the reader
and the protocol class that complete what pygls leaves short). Their public names are
re-exported here.

The protocol side needs pygls (the ``lsp`` extra), imported only when the server starts:
``import bilstm_dsl.lsp`` stays as cheap as the checker, and the analysis functions
(`LineMap`, `hover_at`, `complete_at`) are plain Python that tests can call directly. Only
the text of open documents is ever analysed: a request naming another URI gets an empty
answer, and no path is opened, so a FIFO or a device cannot block the server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from . import __version__
from .lsp_analysis import (
    SEVERITY_CODES,
    SOURCE,
    Analysis,
    HoverInfo,
    LineMap,
    diagnostic_dict,
    diagnostic_message,
    hover_at,
)
from .lsp_completion import Suggestion, complete_at
from .lsp_graph import definition as graph_definition
from .lsp_graph import hover as graph_hover
from .lsp_protocol import MAX_MESSAGE_BYTES, Framer, Transport, protocol_class

if TYPE_CHECKING:
    from lsprotocol import types as lsp_types
    from pygls.lsp.server import LanguageServer

__all__ = [
    "DEBOUNCE_S",
    "INSTALL_HINT",
    "MAX_MESSAGE_BYTES",
    "SEVERITY_CODES",
    "SOURCE",
    "Analysis",
    "Framer",
    "HoverInfo",
    "LineMap",
    "Suggestion",
    "Transport",
    "add_arguments",
    "cmd_lsp",
    "complete_at",
    "create_server",
    "diagnostic_dict",
    "diagnostic_message",
    "hover_at",
    "main",
]

INSTALL_HINT = "bilstm-dsl lsp needs pygls: pip install 'bilstm-dsl[lsp]'"


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


_KINDS = {"layer": 7, "keyword": 10, "flag": 14, "value": 12, "variable": 6}
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
        protocol_cls=protocol_class(),
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
        found = graph_hover(analysis, lines.offset(params.position.line, params.position.character))
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

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(
        ls: LanguageServer, params: lsp_types.DefinitionParams
    ) -> lsp_types.Location | None:
        uri = params.text_document.uri
        document = await current(ls, uri)
        if document is None:
            return None
        analysis = analyse(uri, document.source)
        lines = analysis.line_map(ls.workspace.position_encoding)
        offset = lines.offset(params.position.line, params.position.character)
        found = graph_definition(analysis, offset)
        if found is None:
            return None
        (sl, sc), (el, ec) = lines.range(*found)
        return types.Location(uri, types.Range(types.Position(sl, sc), types.Position(el, ec)))

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


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of `bilstm-dsl lsp` (the CLI lists the command)."""
    p.description = (
        "Run the .arch language server on standard input and output. "
        + INSTALL_HINT.replace("bilstm-dsl lsp needs", "Needs")
        + "."
    )
    p.add_argument(
        "--stdio",
        action="store_true",
        help="talk over standard input and output (the default and only transport; "
        "accepted because editors pass it)",
    )
    p.set_defaults(run=cmd_lsp)


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
