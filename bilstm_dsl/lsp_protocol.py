"""The language server's side of the wire, where pygls 2 leaves the protocol short.

Its own reader (`Transport`, `Framer`) survives a malformed header and reads ahead, so a
request can wait for a ``$/cancelRequest`` already sent. Its protocol class
(`protocol_class`) answers requests with invalid params (InvalidParams), requests before
``initialize`` (ServerNotInitialized) and after ``shutdown`` (InvalidRequest), which pygls
leaves unanswered or answers with an internal error. The reader is the standard library
alone; pygls and its dependencies are imported only when the protocol class is made.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

# -- the reader ----------------------------------------------------------------------------

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


# -- the protocol --------------------------------------------------------------------------

_ANSWERED = object()
"""What `structure_message` makes of a request it has already answered with an error."""


def protocol_class() -> type:
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
