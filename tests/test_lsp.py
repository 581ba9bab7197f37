"""`bilstm-dsl lsp`: position mapping, hover and completion as plain functions, and the
server itself driven over stdio by pygls's own language client, as an editor would.

The protocol tests need pygls (the ``lsp`` extra) and are skipped without it; everything
else runs with the checker alone. Every wait on the server has a timeout, so a hung server
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bilstm_dsl
from bilstm_dsl import lsp
from bilstm_dsl.diagnostics import Diagnostic, Severity
from bilstm_dsl.shapes import fmt

BROKEN = "input(20, 1) -> lstm(32) -> lstm(16)"
FIXED = "input(20, 1) -> lstm(32, seq) -> lstm(16)"
# `é` is 1 UTF-16 unit and 2 UTF-8 bytes; `🎉` (outside the BMP) is 2 UTF-16 units and 4
# UTF-8 bytes. Both stand on the line of the E102 on `bogus`, before it.
WIDE = 'input(20, 1) -> lstm(32, name="é🎉", bogus=1)'


def wide_error() -> Diagnostic:
    (diag,) = [d for d in bilstm_dsl.check(WIDE).diagnostics if d.code == "E102"]
    assert WIDE[diag.span.start : diag.span.end] == "bogus"
    return diag


TIMEOUT = 10.0
PACKAGE_ROOT = str(Path(bilstm_dsl.__file__).resolve().parent.parent)
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
}


# -- positions -----------------------------------------------------------------------------


def test_position_mapping_counts_code_units_of_the_negotiated_encoding() -> None:
    diag = wide_error()
    start, end = diag.span.start, diag.span.end
    assert (diag.span.line, diag.span.column) == (1, start + 1)  # the checker: code points
    for encoding, shift in (("utf-32", 0), ("utf-16", 1), ("utf-8", 1 + 3)):
        lines = lsp.LineMap(WIDE, encoding)
        assert lines.range(start, end) == ((0, start + shift), (0, end + shift)), encoding
        assert lines.offset(0, start + shift) == start
        assert lines.offset(0, end + shift) == end
    assert lsp.LineMap(WIDE).encoding == "utf-16"  # the LSP default


def test_position_mapping_inside_a_surrogate_pair_and_past_the_end() -> None:
    text = "a🎉b\nxy"
    lines = lsp.LineMap(text, "utf-16")
    assert lines.position(2) == (0, 3)  # `b`
    assert lines.offset(0, 2) == 2  # the middle of the pair: the character after it
    assert lines.offset(0, 99) == 3  # clamped to the line's end, before the newline
    assert lines.offset(5, 0) == len(text)
    assert lines.position(len(text)) == (1, 2)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_position_mapping_follows_lsp_line_breaks(newline: str) -> None:
    text = newline.join(["input(20, 1)", "  -> lstm(32)", "  -> lstm(16)"])
    (diag,) = bilstm_dsl.check(text).diagnostics
    lines = lsp.LineMap(text)
    assert lines.range(diag.span.start, diag.span.end) == ((1, 5), (1, 13))
    assert lines.offset(1, 5) == diag.span.start
    assert lines.position(len("input(20, 1)") + len(newline)) == (1, 0)
    assert lines.position(len("input(20, 1)")) == (0, 12)


def test_diagnostic_dict_carries_code_severity_source_and_help() -> None:
    text = "input(20, 1) -> lstm(32, seq) -> dense(1)\n"  # N401, a note
    (note,) = bilstm_dsl.check(text).diagnostics
    assert note.severity is Severity.NOTE
    data = lsp.diagnostic_dict(note, lsp.LineMap(text))
    assert data["severity"] == 3  # Information
    assert (data["code"], data["source"]) == ("N401", "bilstm-dsl")
    assert data["message"] == f"{note.message}\nhelp: {note.help}"
    (error,) = bilstm_dsl.check(BROKEN).diagnostics
    assert lsp.diagnostic_dict(error, lsp.LineMap(BROKEN))["severity"] == 1


# -- hover and completion, without the protocol ---------------------------------------------


def test_hover_shows_class_shape_and_params_of_every_stage() -> None:
    text = "input(20, 1) -> lstm(32, seq) -> bilstm(16, concat) -> td(dense(1))"
    result = bilstm_dsl.check(text)
    analysis = lsp.Analysis.of(text)
    first = lsp.hover_at(analysis, 2)
    assert first is not None and "`(None, 20, 1)`" in first.markdown
    for stage in result.stages:
        found = lsp.hover_at(analysis, stage.span.start + 1)
        assert found is not None
        assert fmt(stage.shapes[0]) in found.markdown
        assert f"{stage.params:,}" in found.markdown
    bilstm = lsp.hover_at(analysis, text.index("bilstm"))
    assert bilstm is not None and "Bidirectional(LSTM)" in bilstm.markdown
    td = lsp.hover_at(analysis, text.index("td("))
    assert td is not None and "TimeDistributed(Dense)" in td.markdown
    assert lsp.hover_at(analysis, text.index("->")) is None


def test_hover_in_a_file_with_errors_keeps_the_stages_before_the_error() -> None:
    text = "input(20, 1) -> lstm(32, seq) -> lstm(16) -> lstm(8) -> dense(1)"
    analysis = lsp.Analysis.of(text)
    assert not analysis.result.ok and analysis.result.stages == ()
    good = bilstm_dsl.check("input(20, 1) -> lstm(32, seq) -> lstm(16)").stages
    for stage in good:
        found = lsp.hover_at(analysis, stage.span.start)
        assert found is not None and fmt(stage.shapes[0]) in found.markdown
    after = lsp.hover_at(analysis, text.index("lstm(8)"))
    assert after is not None and "LSTM" in after.markdown and "unknown" in after.plain
    assert lsp.hover_at(lsp.Analysis.of("input(20, 1) -> ->"), 0) is None  # no parse


def _labels(text: str) -> list[str]:
    return [s.label for s in lsp.complete_at(text, len(text))]


def test_completion_of_layer_names_arguments_flags_and_values() -> None:
    assert _labels("") == ["input"]
    after_arrow = _labels("input(20, 1) -> ")
    assert {"lstm", "bilstm", "td", "maxpool1d", "dense"} <= set(after_arrow)
    assert "input" not in after_arrow
    assert _labels("input(20, 1) -> bil") == after_arrow  # the client filters by prefix
    inside = _labels("input(20, 1) -> lstm(32, ")
    assert {"return_sequences=", "seq", "dropout="} <= set(inside)
    assert "units=" not in inside and "merge_mode=" not in inside
    assert "seq" not in _labels("input(20, 1) -> lstm(32, seq, ")
    bi = _labels("input(20, 1) -> bilstm(32, ")
    assert {"concat", "merge_mode=", "return_sequences="} <= set(bi)
    assert "go_backwards=" not in bi
    assert "dense" in _labels("input(20, 1) -> td(")
    wrapped = _labels("input(20, 1) -> bidirectional(")
    assert {"lstm", "gru"} <= set(wrapped) and "dense" not in wrapped
    assert "relu" in _labels("input(20, 1) -> lstm(32, activation=")
    assert _labels("input(20, 1) -> lstm(32)  # lstm(") == []
    assert _labels('input(20, 1) -> lstm(32, name="a') == []
    details = {s.label: s.detail for s in lsp.complete_at("x -> lstm(", 10)}
    assert details["return_sequences="] == "boolean, default false"
    assert details["units="] == "integer, required"


# -- the command line ----------------------------------------------------------------------


def test_the_cli_runs_the_server_for_lsp() -> None:
    from bilstm_dsl.cli import build_parser

    parser = build_parser("lsp")
    args = parser.parse_args(["lsp", "--stdio"])
    assert args.run is lsp.cmd_lsp
    assert "language server" in parser._subparsers._group_actions[0].choices["lsp"].description


def test_completion_marks_the_default_value() -> None:
    def details(text: str) -> dict[str, str]:
        return {s.label: s.detail for s in lsp.complete_at(text, len(text))}

    assert details("input(20, 1) -> lstm(32, activation=")["tanh"] == "activation (default)"
    assert details("input(20, 1) -> lstm(32, activation=")["relu"] == "activation"
    assert details("input(20, 1) -> bilstm(32, merge_mode=")["concat"] == "merge_mode (default)"
    assert details("input(20, 1) -> bilstm(32, ")["concat"] == "merge_mode (default)"
    assert details("input(20, 1) -> bilstm(32, ")["sum"] == "merge_mode"


def test_missing_pygls_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from bilstm_dsl.cli import UsageError

    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)  # makes the import fail
    with pytest.raises(UsageError, match=r"pip install 'bilstm-dsl\[lsp\]'"):
        lsp.main()


def test_importing_the_module_does_not_import_pygls() -> None:
    code = "import sys, bilstm_dsl.lsp; print('pygls' in sys.modules, 'lsprotocol' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=ENV,
        check=True,
    )
    assert out.stdout.split() == ["False", "False"]


# -- the server over stdio -----------------------------------------------------------------


class _Session:
    """A pygls client talking to ``python -m bilstm_dsl.lsp`` in a subprocess, collecting
    the diagnostics it publishes."""

    def __init__(self) -> None:
        from pygls.lsp.client import LanguageClient

        self.client = LanguageClient("bilstm-dsl-tests", "0")
        self.published: asyncio.Queue = asyncio.Queue()

        @self.client.feature("textDocument/publishDiagnostics")
        def _published(params) -> None:  # noqa: ANN001
            self.published.put_nowait(params)

    async def start(self, encodings: list[str] | None = None) -> object:
        from lsprotocol import types

        await self.client.start_io(
            sys.executable,
            "-m",
            "bilstm_dsl.lsp",
            env=ENV,
        )
        general = types.GeneralClientCapabilities(position_encodings=encodings)
        params = types.InitializeParams(
            capabilities=types.ClientCapabilities(general=general if encodings else None),
            process_id=os.getpid(),
        )
        result = await asyncio.wait_for(self.client.initialize_async(params), TIMEOUT)
        self.client.initialized(types.InitializedParams())
        return result

    async def diagnostics(self, uri: str, version: int) -> list:
        """The diagnostics published for ``uri`` at ``version``."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)

    async def stop(self) -> int | None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        server = self.client._server
        return server.returncode if server is not None else None

    async def kill(self) -> None:
        """Make sure the server process is gone, whatever happened in the test."""
        server = self.client._server
        if server is not None and server.returncode is None:
            server.kill()
            await asyncio.wait_for(server.wait(), TIMEOUT)
        if not self.client.stopped:
            self.client._stop_event.set()


def _run(scenario) -> None:  # noqa: ANN001 - an async function taking a _Session
    async def guarded() -> None:
        session = _Session()
        try:
            await asyncio.wait_for(scenario(session), 4 * TIMEOUT)
        finally:
            await session.kill()

    asyncio.run(guarded())


def test_server_diagnostics_hover_and_completion_over_stdio() -> None:
    pytest.importorskip("pygls")
    from lsprotocol import types

    uri = "file:///tmp/model.arch"

    async def scenario(session: _Session) -> None:
        init = await session.start()
        caps = init.capabilities
        assert caps.hover_provider and caps.completion_provider is not None
        client = session.client

        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "arch", 1, BROKEN))
        )
        (diag,) = await session.diagnostics(uri, 1)
        (expected,) = bilstm_dsl.check(BROKEN).diagnostics
        assert diag.code == "E201" == expected.code
        assert diag.source == "bilstm-dsl"
        assert diag.severity == types.DiagnosticSeverity.Error
        start = BROKEN.index("lstm(32)")
        assert (diag.range.start.line, diag.range.start.character) == (0, start)
        assert (diag.range.end.line, diag.range.end.character) == (0, start + len("lstm(32)"))
        assert diag.message == f"{expected.message}\nhelp: {expected.help}"

        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(2, uri),
                [types.TextDocumentContentChangeWholeDocument(FIXED)],
            )
        )
        assert await session.diagnostics(uri, 2) == []

        stages = bilstm_dsl.check(FIXED).stages
        for stage in stages:  # the second stage, `lstm(32, seq)`, and the third
            line, char = 0, stage.span.start + 2
            hover = await asyncio.wait_for(
                client.text_document_hover_async(
                    types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, char))
                ),
                TIMEOUT,
            )
            assert hover is not None
            text = hover.contents.value
            assert stage.layer.keras_class in text
            assert fmt(stage.shapes[0]) in text
            assert f"{stage.params:,}" in text
            assert hover.range.start.character == stage.span.start

        versions = iter(range(3, 100))

        async def complete(text: str) -> list[str]:
            """Labels offered at the end of ``text``, made the document's content."""
            version = next(versions)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version, uri),
                    [types.TextDocumentContentChangeWholeDocument(text)],
                )
            )
            await session.diagnostics(uri, version)
            found = await asyncio.wait_for(
                client.text_document_completion_async(
                    types.CompletionParams(
                        types.TextDocumentIdentifier(uri), types.Position(0, len(text))
                    )
                ),
                TIMEOUT,
            )
            items = found.items if isinstance(found, types.CompletionList) else found
            return [item.label for item in items]

        layers = await complete("input(20, 1) -> ")
        assert {"lstm", "bilstm", "td"} <= set(layers)
        arguments = await complete("input(20, 1) -> lstm(32, ")
        assert "return_sequences=" in arguments and "seq" in arguments
        assert not any(label.startswith("merge_mode") for label in arguments)

        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        assert await session.stop() == 0

    _run(scenario)


@pytest.mark.parametrize(
    ("offered", "negotiated", "shift"),
    [(None, "utf-16", 1), (["utf-32"], "utf-32", 0), (["utf-8", "utf-16"], "utf-8", 4)],
)
def test_server_positions_around_a_character_outside_the_bmp(
    offered: list[str] | None, negotiated: str, shift: int
) -> None:
    pytest.importorskip("pygls")
    from lsprotocol import types

    uri = "file:///tmp/emoji.arch"
    expected = wide_error()
    start, end = expected.span.start, expected.span.end

    async def scenario(session: _Session) -> None:
        init = await session.start(offered)
        assert init.capabilities.position_encoding == negotiated
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "arch", 1, WIDE))
        )
        (diag,) = [d for d in await session.diagnostics(uri, 1) if d.code == "E102"]
        assert diag.range.start.character == start + shift
        assert diag.range.end.character == end + shift
        hover = await asyncio.wait_for(
            session.client.text_document_hover_async(
                types.HoverParams(
                    types.TextDocumentIdentifier(uri), types.Position(0, start + shift)
                )
            ),
            TIMEOUT,
        )
        assert hover is not None and "lstm(32, " in hover.contents.value
        assert hover.range.end.character == len(WIDE) + shift
        assert await session.stop() == 0

    _run(scenario)


# -- hover on a checked document -----------------------------------------------------------

SPEC_500_LINES = "input(20, 1)\n" + "".join(
    f"  -> lstm(32, seq)  # layer {i}\n" if i % 2 else "  -> dense(32)\n" for i in range(499)
)


def test_hover_on_a_checked_document_is_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from bilstm_dsl import parser

    analysis = lsp.Analysis.of(SPEC_500_LINES)
    parses = []
    monkeypatch.setattr(parser, "_parse", lambda text: parses.append(text))  # any parse fails
    lines = analysis.line_map("utf-16")
    seconds = []
    for line in (300, 100, 498):
        start = time.perf_counter()
        found = lsp.hover_at(analysis, lines.offset(line, 6))
        seconds.append(time.perf_counter() - start)
        assert found is not None and "(None, 20, 32)" in found.plain
    assert not parses  # the stages come from the parse the check made
    assert min(seconds) < 0.005, seconds  # issue 15: under 5 ms


def test_hover_on_sizes_past_int64_says_why() -> None:
    """Hundred-digit sizes are errors (E104, E214), so hover never has a number too long
    to print: it points at the error instead."""
    nines = "9" * 99
    text = f"input({', '.join([nines] * 50)}) -> flatten()"
    found = lsp.hover_at(lsp.Analysis.of(text), text.index("flatten"))
    assert found is not None and "(E104)" in found.plain
    text = f"input(20, 3) -> dense({nines})"
    found = lsp.hover_at(lsp.Analysis.of(text), text.index("dense"))
    assert found is not None and "(E214)" in found.plain


# -- the transport ---------------------------------------------------------------------------


def _frame(body: bytes, header: bytes | None = None) -> bytes:
    return (
        (header if header is not None else b"Content-Length: %d" % len(body)) + b"\r\n\r\n" + body
    )


def test_framer_cuts_messages_wherever_the_reads_end() -> None:
    second = '{"b": "é"}'.encode()  # the length counts bytes, not characters
    headers = b"Content-Type: application/vscode-jsonrpc\r\nContent-Length: %d" % len(second)
    stream = _frame(b'{"a": 1}') + _frame(second, headers)
    framer = lsp.Framer()
    bodies = [body for i in range(len(stream)) for body in framer.feed(stream[i : i + 1])]
    assert bodies == [b'{"a": 1}', second]
    assert framer.skipped == 0


@pytest.mark.parametrize(
    "bad",
    [
        b"Content-Length: abc",  # not a number
        b"Content-Lenght: 8",  # no Content-Length at all
        b"Content-Length: 8\r\nContent-Length: 9",  # two
        b"Content-Length: 99999999999",  # beyond MAX_MESSAGE_BYTES
        b"garbage without a colon",
    ],
)
def test_framer_skips_a_malformed_header_and_finds_the_next_message(bad: bytes) -> None:
    framer = lsp.Framer()
    good = _frame(b'{"id": 2}')
    assert framer.feed(_frame(b'{"id": 1}', bad) + good[:10]) == []
    assert framer.feed(good[10:]) == [b'{"id": 2}']
    assert framer.skipped >= 1


class _Raw:
    """The server in a subprocess, spoken to byte by byte (pygls's client would not send
    the malformed messages these tests need)."""

    async def start(self) -> _Raw:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bilstm_dsl.lsp",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=ENV,
        )
        return self

    async def send(self, *messages: dict | bytes) -> None:
        """Write the messages at once (one write: the server reads them together)."""
        data = b"".join(
            m if isinstance(m, bytes) else _frame(json.dumps(m).encode()) for m in messages
        )
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        await self.proc.stdin.drain()

    async def receive(self) -> dict:
        async def one() -> dict:
            assert self.proc.stdout is not None
            length = 0
            while (line := await self.proc.stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            return json.loads(await self.proc.stdout.readexactly(length))

        return await asyncio.wait_for(one(), TIMEOUT)

    async def answer(self, msg_id: int) -> dict:
        """The response to request ``msg_id``, whatever comes before it."""
        while (message := await self.receive()).get("id") != msg_id or "method" in message:
            pass
        return message

    async def close(self) -> int:
        await self.send(_request(99, "shutdown", None), _notification("exit", None))
        return await asyncio.wait_for(self.proc.wait(), TIMEOUT)

    async def kill(self) -> None:
        """Make sure the server process is gone, whatever happened in the test."""
        if self.proc.returncode is None:
            self.proc.kill()
            await asyncio.wait_for(self.proc.wait(), TIMEOUT)


def _request(msg_id: int, method: str, params: object) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}


def _notification(method: str, params: object) -> dict:
    return {"jsonrpc": "2.0", "method": method, "params": params}


_INITIALIZE = _request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})


def _opened(uri: str, text: str) -> dict:
    document = {"uri": uri, "languageId": "arch", "version": 1, "text": text}
    return _notification("textDocument/didOpen", {"textDocument": document})


def _changed(uri: str, version: int, text: str) -> dict:
    return _notification(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )


def _hover(msg_id: int, uri: str, line: int = 0, character: int = 0) -> dict:
    position = {"line": line, "character": character}
    return _request(
        msg_id, "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
    )


def _run_raw(scenario) -> None:  # noqa: ANN001 - an async function taking a _Raw
    pytest.importorskip("pygls")

    async def guarded() -> None:
        raw = await _Raw().start()
        try:
            await asyncio.wait_for(scenario(raw), 4 * TIMEOUT)
        finally:
            await raw.kill()

    asyncio.run(guarded())


def test_server_answers_every_request_the_protocol_asks_it_to() -> None:
    uri = "file:///tmp/model.arch"

    async def scenario(raw: _Raw) -> None:
        # Before `initialize`: requests get ServerNotInitialized, notifications are dropped.
        await raw.send(_hover(0, uri), _opened(uri, FIXED))
        assert (await raw.answer(0))["error"]["code"] == -32002
        await raw.send(_INITIALIZE)
        assert "capabilities" in (await raw.answer(1))["result"]
        await raw.send(_notification("initialized", {}), _hover(2, uri, 0, 20))
        assert (await raw.answer(2))["result"] is None  # the early didOpen was dropped
        # Params that do not fit the method: InvalidParams, saying what is wrong.
        await raw.send(_request(3, "textDocument/hover", {"textDocument": {"uri": uri}}))
        error = (await raw.answer(3))["error"]
        assert error["code"] == -32602 and "$.params.position" in error["message"]
        # A malformed header loses that message only.
        await raw.send(b'Content-Length: 1x\r\n\r\n{"jsonrpc": "2.0", "id": 4, "method": "x"}')
        await raw.send(_opened(uri, FIXED), _hover(5, uri, 0, 20))
        assert "LSTM" in (await raw.answer(5))["result"]["contents"]["value"]
        # After `shutdown`: InvalidRequest.
        await raw.send(_request(6, "shutdown", None), _hover(7, uri, 0, 20))
        assert (await raw.answer(6))["result"] is None
        assert (await raw.answer(7))["error"]["code"] == -32600
        await raw.send(_notification("exit", None))
        assert await asyncio.wait_for(raw.proc.wait(), TIMEOUT) == 0

    _run_raw(scenario)


def test_hover_on_a_document_that_is_not_open_reads_no_file(tmp_path: Path) -> None:
    fifo = tmp_path / "model.arch"
    os.mkfifo(fifo)  # opening it to read would block until a writer comes
    uri = fifo.as_uri()

    async def scenario(raw: _Raw) -> None:
        await raw.send(_INITIALIZE, _notification("initialized", {}))
        await raw.answer(1)
        await raw.send(_hover(2, uri))
        assert (await raw.answer(2))["result"] is None
        completion = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
        await raw.send(_request(3, "textDocument/completion", completion))
        assert (await raw.answer(3))["result"]["items"] == []
        assert await raw.close() == 0

    _run_raw(scenario)


def test_a_burst_of_changes_is_checked_once_at_its_last_version() -> None:
    uri = "file:///tmp/model.arch"

    async def scenario(raw: _Raw) -> None:
        await raw.send(_INITIALIZE, _notification("initialized", {}), _opened(uri, FIXED))
        await raw.answer(1)
        published = await raw.receive()
        assert published["params"]["version"] == 1
        changes = [_changed(uri, v, f"input(20, 1) -> lstm({v}) -> lstm(2)") for v in range(2, 32)]
        await raw.send(*changes)
        published = await raw.receive()
        assert published["method"] == "textDocument/publishDiagnostics"
        assert published["params"]["version"] == 31  # not 2, 3, ...: superseded, never checked
        (diagnostic,) = published["params"]["diagnostics"]
        assert diagnostic["code"] == "E201" and "`lstm(31, seq)`" in diagnostic["message"]
        assert await raw.close() == 0

    _run_raw(scenario)


def test_a_request_is_cancelled_or_outdated_by_what_the_client_sent_after_it() -> None:
    uri = "file:///tmp/model.arch"

    async def scenario(raw: _Raw) -> None:
        await raw.send(_INITIALIZE, _notification("initialized", {}), _opened(uri, FIXED))
        await raw.answer(1)
        await raw.send(_hover(2, uri, 0, 20), _notification("$/cancelRequest", {"id": 2}))
        assert (await raw.answer(2))["error"]["code"] == -32800  # RequestCancelled
        await raw.send(_hover(3, uri, 0, 20), _changed(uri, 2, BROKEN))
        assert (await raw.answer(3))["error"]["code"] == -32801  # ContentModified
        await raw.send(_hover(4, uri, 0, 20))
        assert "LSTM" in (await raw.answer(4))["result"]["contents"]["value"]
        assert await raw.close() == 0

    _run_raw(scenario)


# -- graphs

SEQ2SEQ = (Path(__file__).parent.parent / "examples" / "seq2seq" / "train.arch").read_text()


def test_hover_on_a_graph_shows_layers_and_tensors() -> None:
    from bilstm_dsl.lsp_graph import hover

    analysis = lsp.Analysis.of(SEQ2SEQ)
    decoder = hover(analysis, SEQ2SEQ.index("lstm(64, seq"))
    assert decoder is not None and "`lstm_1`" in decoder.markdown
    assert "(None, None, 64) (None, 64) (None, 64)" in decoder.plain and "19,712" in decoder.plain
    use = SEQ2SEQ.index("state_h, state_c]")
    state = hover(analysis, use + 1)
    assert state is not None and "Shape: (None, 64)" in state.plain
    assert "Made by: lstm, output 1" in state.plain and "Defined: line 6" in state.plain
    assert (state.start, state.end) == (use, use + len("state_h"))
    source = hover(analysis, SEQ2SEQ.index("encoder_inputs ->"))
    assert source is not None and "Dtype: float32" in source.plain


def test_definition_and_completion_of_tensor_names() -> None:
    from bilstm_dsl.lsp_graph import definition

    analysis = lsp.Analysis.of(SEQ2SEQ)
    start = SEQ2SEQ.index("state_h")
    assert definition(analysis, SEQ2SEQ.index("state_h, state_c]") + 2) == (start, start + 7)
    assert definition(analysis, SEQ2SEQ.index("lstm(64, seq")) is None
    head = "x = input(5, 3)\ny = x -> lstm(2, state)\nenc = lstm(4)\n"
    assert _labels(head + "z = ")[:2] == ["x", "y"]
    assert _labels(head + "z = [x, ")[:2] == ["x", "y"]
    assert _labels(head + "z = x -> lstm(2, initial_state=[")[:2] == ["x", "y"]
    assert _labels(head + "model(inputs=[x], outputs=")[:2] == ["x", "y"]
    after_arrow = _labels(head + "z = x -> ")
    assert after_arrow[0] == "enc" and "lstm" in after_arrow and "x" not in after_arrow


def test_server_hover_and_definition_on_a_graph() -> None:
    pytest.importorskip("pygls")
    from lsprotocol import types

    uri = "file:///tmp/g.arch"
    line = SEQ2SEQ[: SEQ2SEQ.index("state_h, state_c]")].count("\n")
    col = SEQ2SEQ.split("\n")[line].index("state_h, state_c]") + 1
    where = types.TextDocumentIdentifier(uri)

    async def scenario(session: _Session) -> None:
        await session.start()
        client = session.client
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "arch", 1, SEQ2SEQ))
        )
        await session.diagnostics(uri, 1)
        hover = await client.text_document_hover_async(
            types.HoverParams(where, types.Position(line, col))
        )
        assert hover is not None and "(None, 64)" in hover.contents.value
        place = await client.text_document_definition_async(
            types.DefinitionParams(where, types.Position(line, col))
        )
        assert place.range.start.line == 5 and place.range.start.character == 3
        items = await client.text_document_completion_async(
            types.CompletionParams(where, types.Position(line, col - 1))
        )
        assert "encoder_inputs" in [i.label for i in items.items]
        await session.stop()

    _run(scenario)
