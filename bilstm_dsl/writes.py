"""Files out: writing outputs without ever leaving a half-written or clobbered one.

Writing. Every command that writes goes through `atomic_write`, which first produces the
whole content in a temporary file (beside the target, so the final rename is atomic),
flushes it to disk, and only then puts it in place:

- a regular file, or a new one, is replaced by renaming the temporary file over it; the
  mode, owner and group of the file it replaces are kept, and the directory is flushed
  after the rename;
- a symbolic link is written through: the file it points to gets the content, the link
  stays a link;
- a file with several hard links, or one whose owner or group this user cannot give a new
  file, is rewritten in place (same inode, so no link is split and owner, group, mode and
  ACLs stay) from the finished temporary copy. Room is reserved first (posix_fallocate),
  so a full disk fails before a byte of the old content changes; only a crash in the
  middle of the copy itself can leave the file half written;
- streams are written to, never created or replaced: ``-``, ``/dev/stdout``,
  ``/dev/stderr``, ``/dev/fd/N``, FIFOs and character devices (``/dev/null``, a terminal);
- everything else (directories, sockets, block devices), and read-only files (no write
  permission bit, or none for this user), are refused before any work is done.

With ``unchanged=``, the target is compared with what was read (inode, size, mtime and
content) just before it is replaced, and `TargetChanged` is raised if someone saved it in
the meantime (`fmt` must not overwrite an edit).

Signals. While a temporary file exists, SIGTERM, SIGINT and SIGHUP remove it and raise
`Interrupted`; the CLI exits with 128 + the signal number (143 for SIGTERM), the shell's
convention. During an in-place copy they are held back until the copy is complete, so the
target is never left half rewritten by a signal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .files import Interrupted, OutputError, Source, TargetChanged, reason
from .limits import MAX_SOURCE_BYTES

_FD_PATH = re.compile(r"/(?:dev|proc/self)/fd/(\d+)")
_NAMED_FDS = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}
_KINDS = {stat.S_IFSOCK: "a socket", stat.S_IFBLK: "a block device"}


@dataclass(frozen=True)
class Target:
    """Where the bytes for an output path go.

    ``kind`` is ``"new"`` (no file yet), ``"file"`` (a regular file to replace) or
    ``"stream"`` (written to, never replaced: ``fd`` is set for standard output and
    friends, otherwise ``real`` is a FIFO or character device to open)."""

    given: Path
    real: Path
    kind: str
    stat: os.stat_result | None = None
    fd: int | None = None


def output_target(target: str | os.PathLike[str]) -> Target:
    """Classify an output path; `OutputError` for one that must not be written."""
    given = Path(target)
    name = os.fspath(target)
    if name in _NAMED_FDS:
        return Target(given, given, "stream", fd=_NAMED_FDS[name])
    match = _FD_PATH.fullmatch(os.path.normpath(name))
    if match:
        return Target(given, given, "stream", fd=int(match.group(1)))
    real = Path(os.path.realpath(name))  # through symlinks, to the file that gets the bytes
    try:
        info = os.stat(real)
    except FileNotFoundError:
        parent = real.parent
        if not parent.is_dir():
            raise OutputError(f"{given}: the directory {str(parent)!r} does not exist") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"{given}: the directory {str(parent)!r} is not writable") from None
        return Target(given, real, "new")
    except OSError as error:
        raise OutputError(f"{given}: cannot write: {reason(error)}") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{given}: is a directory; give a file name")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Target(given, real, "stream", info)
    if not stat.S_ISREG(mode):
        what = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise OutputError(f"{given}: is {what}; write to a regular file, a FIFO or `-`")
    if not mode & 0o222 or not os.access(real, os.W_OK):
        raise OutputError(f"{given}: is read-only; make it writable first (chmod u+w)")
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{given}: the directory {str(real.parent)!r} is not writable")
    return Target(given, real, "file", info)


def check_output_path(target: str | os.PathLike[str], *inputs: str | os.PathLike[str]) -> Path:
    """Refuse an output path that cannot work, before any work is done: a missing or
    unwritable directory, a directory, socket or block device, a read-only file, or one
    of the input files."""
    where = output_target(target)
    if where.kind == "file":
        for source in inputs:
            with contextlib.suppress(OSError):
                if os.fspath(source) != "-" and where.real.samefile(source):
                    raise OutputError(f"{where.given}: is the input file; it would be overwritten")
    return where.given


# -- writing


def atomic_write(
    target: str | os.PathLike[str],
    write: Callable[[Path], None],
    *,
    unchanged: Source | None = None,
) -> None:
    """Call ``write(tmp)`` to produce the file at a temporary path, then put it in place at
    ``target`` as the module docstring describes. The temporary name keeps the target's
    suffix (Keras insists on ``.keras``). ``unchanged``: the file as it was read; raise
    `TargetChanged` rather than replace it if it has changed since."""
    where = output_target(target)
    suffix = where.given.suffix or ".tmp"
    if where.kind == "stream":
        with _temporary(None, where.given.name, suffix) as tmp:
            write(tmp)
            _copy_to_stream(tmp, where)
        return
    with _temporary(where.real.parent, where.real.name, suffix) as tmp:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        old = where.stat
        if old is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            in_place = False
        else:
            # chown first: it clears set-user-ID bits that the chmod then restores.
            in_place = old.st_nlink > 1 or not _give_owner(tmp, old)
            if not in_place:
                os.chmod(tmp, stat.S_IMODE(old.st_mode))
        if unchanged is not None:
            _ensure_unchanged(where.real, unchanged)
        if in_place:
            with _signals_held():
                _copy_in_place(tmp, where.real)
        else:
            os.replace(tmp, where.real)
            _fsync_directory(where.real.parent)


def write_bytes(
    target: str | os.PathLike[str], data: bytes, *, unchanged: Source | None = None
) -> None:
    """Write ``data`` to ``target`` as `atomic_write` does; a stream gets it directly."""
    where = output_target(target)
    if where.kind == "stream" and unchanged is None:
        _write_stream(where, [data])
        return
    atomic_write(target, lambda tmp: tmp.write_bytes(data), unchanged=unchanged)


def write_text(
    target: str | os.PathLike[str], text: str, *, unchanged: Source | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``target`` as `atomic_write` does."""
    write_bytes(target, text.encode("utf-8"), unchanged=unchanged)


def _give_owner(tmp: Path, old: os.stat_result) -> bool:
    """Give ``tmp`` the owner and group of the file it will replace; False when this user
    may not (then the old file is rewritten in place instead, keeping both)."""
    now = os.stat(tmp)
    if (now.st_uid, now.st_gid) == (old.st_uid, old.st_gid) or not hasattr(os, "chown"):
        return True  # no os.chown (Windows): no owner to keep
    try:
        os.chown(tmp, old.st_uid, old.st_gid)
    except PermissionError:
        return False
    return True


def _ensure_unchanged(real: Path, before: Source) -> None:
    try:
        now = os.stat(real)
        with open(real, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError:
        raise TargetChanged(str(real)) from None
    old = before.stat
    same = old is not None and (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
        old.st_dev,
        old.st_ino,
        old.st_size,
        old.st_mtime_ns,
    )
    if not same or data != before.data:
        raise TargetChanged(str(real))


def _copy_in_place(tmp: Path, real: Path) -> None:
    """Overwrite ``real`` with the content of ``tmp``, keeping its inode."""
    size = tmp.stat().st_size
    fd = os.open(real, os.O_WRONLY)
    try:
        if size:
            try:
                os.posix_fallocate(fd, 0, size)
            except OSError as error:
                if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENODEV):
                    raise
            except AttributeError:  # not on every platform
                pass
        with open(tmp, "rb") as source:
            _write_all(fd, iter(lambda: source.read(1 << 20), b""))
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_to_stream(tmp: Path, where: Target) -> None:
    with open(tmp, "rb") as source:
        _write_stream(where, iter(lambda: source.read(1 << 20), b""))


def _write_stream(where: Target, chunks) -> None:  # noqa: ANN001
    if where.fd is not None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                if stream is not None and stream.fileno() == where.fd:
                    stream.flush()
                    break
        try:
            os.fstat(where.fd)
        except OSError:
            raise OutputError(f"{where.given}: cannot write: it is closed") from None
        _write_all(where.fd, chunks)
        return
    fd = os.open(where.real, os.O_WRONLY)  # no O_CREAT, no O_TRUNC: it is not a file
    try:
        _write_all(fd, chunks)
    finally:
        os.close(fd)


def _write_all(fd: int, chunks) -> None:  # noqa: ANN001
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


def _fsync_directory(directory: Path) -> None:
    """Flush the rename itself to disk; not every system or filesystem allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- temporary files and signals

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def _temporary(directory: Path | None, name: str, suffix: str) -> Iterator[Path]:
    """A temporary file that is removed on any error and on SIGTERM, SIGINT or SIGHUP."""
    pending: list[Path] = []

    def removing(signum: int, frame: object) -> None:
        for path in pending:
            with contextlib.suppress(OSError):
                path.unlink()
        raise Interrupted(signum)

    with _handling(removing):
        with _signals_held():  # a signal now waits until the file to remove is known
            fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=suffix)
            os.close(fd)
            tmp = Path(tmp_name)
            pending.append(tmp)
        try:
            yield tmp
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextlib.contextmanager
def _handling(handler: Callable[[int, object], None]) -> Iterator[None]:
    """Install ``handler`` for the termination signals (not those ignored, e.g. SIGHUP
    under nohup), restoring the previous handlers after. Signals can only be handled in
    the main thread; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _SIGNALS:
        old = signal.getsignal(signum)
        if old is not signal.SIG_IGN:
            previous[signum] = old
            signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old if old is not None else signal.SIG_DFL)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the termination signals back meanwhile; they are delivered at the end."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
