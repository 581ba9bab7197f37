"""Writing output files without ever leaving a half-written or clobbered one.

Every command that writes goes through `atomic_write`: the data goes to a temporary file
in the target directory (same filesystem, so the final rename is atomic), is flushed to
disk, and only then renamed over the target. On any error the temporary file is removed
and an existing file at the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class OutputError(Exception):
    """The output path cannot be written (missing directory, permissions, ...)."""


def check_output_path(target: str | os.PathLike[str], *inputs: str | os.PathLike[str]) -> Path:
    """Refuse an output path that cannot work, before any work is done."""
    path = Path(target)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: the directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: the directory {str(parent)!r} is not writable")
    for source in inputs:
        with contextlib.suppress(OSError):
            if path.exists() and path.samefile(source):
                raise OutputError(f"{path}: is the input file; it would be overwritten")
    return path


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` to produce the file at a temporary path, then rename it over
    ``target``. The temporary name keeps the target's suffix (Keras insists on
    ``.keras``)."""
    path = Path(target)
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix or ".tmp"
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions of the file being replaced.
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Atomically write ``text`` (UTF-8) to ``target``."""
    atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
