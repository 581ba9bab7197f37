"""`bilstm-dsl lsp`: position mapping, hover and completion as plain functions, and the
server itself driven over stdio by pygls's own language client, as an editor would.

The protocol tests need pygls (the ``lsp`` extra) and are skipped without it; everything
else runs with the checker alone. Every wait on the server has a timeout, so a hung server
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bilstm_dsl
from bilstm_dsl import lsp
from bilstm_dsl.diagnostics import Severity
from bilstm_dsl.shapes import fmt

BROKEN = "input(20, 1) -> lstm(32) -> lstm(16)"
FIXED = "input(20, 1) -> lstm(32, seq) -> lstm(16)"
TIMEOUT = 10.0
PACKAGE_ROOT = str(Path(bilstm_dsl.__file__).resolve().parent.parent)
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
}


# -- positions -----------------------------------------------------------------------------


def test_position_mapping_counts_code_units_of_the_negotiated_encoding() -> None:
    # `é` is 1 UTF-16 unit and 2 UTF-8 bytes; `🎉` (outside the BMP) is 2 UTF-16 units
    # and 4 UTF-8 bytes. Both stand on the error's line, before it.
    text = 'input(20, 1, name="é🎉") -> lstm(32) -> lstm(16)'
    (diag,) = bilstm_dsl.check(text).diagnostics
    assert diag.code == "E201"
    start, end = diag.span.start, diag.span.end
    assert text[start:end] == "lstm(32)"
    assert (diag.span.line, diag.span.column) == (1, start + 1)  # the checker: code points
    for encoding, shift in (("utf-32", 0), ("utf-16", 1), ("utf-8", 1 + 3)):
        lines = lsp.LineMap(text, encoding)
        assert lines.range(start, end) == ((0, start + shift), (0, end + shift)), encoding
        assert lines.offset(0, start + shift) == start
        assert lines.offset(0, end + shift) == end
    assert lsp.LineMap(text).encoding == "utf-16"  # the LSP default


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


def test_add_parser_registers_the_subcommand() -> None:
    parser = argparse.ArgumentParser()
    lsp.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["lsp", "--stdio"])
    assert args.run is lsp.cmd_lsp


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
    text = 'input(20, 1, name="é🎉") -> lstm(32) -> lstm(16)'
    start = text.index("lstm(32)")

    async def scenario(session: _Session) -> None:
        init = await session.start(offered)
        assert init.capabilities.position_encoding == negotiated
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "arch", 1, text))
        )
        (diag,) = await session.diagnostics(uri, 1)
        assert diag.range.start.character == start + shift
        assert diag.range.end.character == start + len("lstm(32)") + shift
        hover = await asyncio.wait_for(
            session.client.text_document_hover_async(
                types.HoverParams(
                    types.TextDocumentIdentifier(uri), types.Position(0, start + shift)
                )
            ),
            TIMEOUT,
        )
        assert hover is not None and "lstm(32)" in hover.contents.value
        assert await session.stop() == 0

    _run(scenario)
