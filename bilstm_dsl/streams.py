"""The standard streams of the command line, made safe for its ordinary faults: a reader
that goes away (`| head`) ends the output quietly without changing the exit code, a full
disk or closed standard output is a one-line error (exit 2), and text the terminal's
encoding cannot show is written as backslash escapes. Diagnostics are printed here too,
in colour on a terminal."""

from __future__ import annotations

import io
import os
import sys

from .files import EXIT_USAGE, UsageError, is_model_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from .model import CheckResult


class _Streams:
    """Whether standard output still has a reader (it stops having one at `| head`)."""

    stdout_gone = False


def out(text: str) -> None:
    """Write ``text`` to standard output. A reader that went away ends the output quietly
    (the command's exit code stands); any other failure, such as a full disk, is a
    `UsageError`. Standard output closed from the start is one too: output is what was
    asked for."""
    if _Streams.stdout_gone:
        return
    stream = sys.stdout
    if stream is None:
        raise UsageError("cannot write to standard output: it is closed")
    try:
        stream.write(text)
    except BrokenPipeError:
        _Streams.stdout_gone = True
        discard(stream)
    except OSError as error:
        _Streams.stdout_gone = True
        discard(stream)
        raise UsageError(f"cannot write to standard output: {error.strerror or error}") from None


def err(text: str) -> None:
    """Write a line to standard error, if there is one that can take it."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except OSError:
        discard(stream)


def discard(stream: io.TextIOBase) -> None:
    """Point the stream's descriptor at /dev/null, so what is still buffered (and the
    interpreter's final flush) goes nowhere instead of failing again at exit. (try/except
    rather than `contextlib.suppress` here: contextlib is a module every start would load.)"""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def finish(status: int) -> int:
    """Flush standard output; a failure there is the command's failure too."""
    stream = sys.stdout
    if stream is None or _Streams.stdout_gone:
        return status
    try:
        stream.flush()
    except BrokenPipeError:
        discard(stream)
    except OSError as error:
        discard(stream)
        err(f"bilstm-dsl: error: cannot write to standard output: {error.strerror or error}")
        return max(status, EXIT_USAGE)
    return status


def prepare_streams() -> None:
    """Make the standard streams safe to use: descriptors 0-2 that are closed are held open
    on /dev/null (so a file opened later cannot take their number and receive what is
    meant for standard output), and text the terminal's encoding cannot show (a
    strict-ASCII locale, cp1252, a file name's undecodable bytes) becomes backslash
    escapes rather than an exception."""
    _Streams.stdout_gone = False
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            except OSError:
                pass
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, io.UnsupportedOperation):
                pass


def use_color(stream) -> bool:  # noqa: ANN001
    """Colour for a terminal, unless NO_COLOR is set (https://no-color.org) or the terminal
    says it cannot show it (TERM=dumb)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_diagnostics(result: CheckResult, to_stdout: bool = False) -> None:
    stream = sys.stdout if to_stdout else sys.stderr
    color = use_color(stream)
    if is_model_path(result.path):  # a saved model: its findings are at its layers
        from .saved_check import rendered

        texts = rendered(result, color)
    else:
        from .diagnostics import render

        texts = (render(d, result.source, result.path, color) for d in result.diagnostics)
    if not to_stdout:
        for text in texts:
            err(text)
        return
    batch: list[str] = []
    for text in texts:  # a write per few hundred diagnostics, not per diagnostic
        batch.append(text)
        if len(batch) == _BATCH:
            batch.append("")
            out("\n".join(batch))
            batch.clear()
    if batch:
        batch.append("")
        out("\n".join(batch))


_BATCH = 256
