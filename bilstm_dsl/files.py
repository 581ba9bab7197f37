"""Files in: reading specs; the errors and exit codes every command shares.

Reading. `read_source` reads a spec (``-`` is standard input) up to one byte past the
size limit, so a huge file costs no more than the limit. A file that cannot be read raises
`ReadError`; `check_file` turns that into diagnostic E013 instead, so a batch (`check a b
c`) reports it and goes on. An empty or binary file is not an I/O problem: the checker
reports it (E008, E007).

Writing is `writes.py`'s.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys

from .limits import MAX_SOURCE_BYTES

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from .model import CheckResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
"""0 no error found (warnings and notes allowed), 1 errors found in a spec, 2 a usage or
I/O problem, 3 an internal error (a bug in bilstm-dsl)."""

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5", ".json")
"""File names `bilstm-dsl check` reads as saved models (`saved`) rather than `.arch` specs."""


def is_model_path(path: str) -> bool:
    """Whether `bilstm-dsl check` treats ``path`` as a saved model (by its name)."""
    return path.lower().endswith(MODEL_SUFFIXES)


def model_name(path: str, override: str | None = None) -> str:
    """The model's name: ``--name`` as given, else the spec's file name made a name
    TensorFlow takes as a root name scope, as the model's name is when it trains or predicts
    (``_VALID_OP_NAME_REGEX`` in ``tensorflow/python/framework/ops.py``: ASCII, not ``_`` first):
    ``my-model.arch`` -> ``my_model``, ``_x.arch`` -> ``x``, ``modèle.arch`` -> ``mod_le``."""
    if override:
        return override
    stem = re.sub(r"\.arch$", "", path.replace("\\", "/").rsplit("/", 1)[-1])
    if path in ("<stdin>", "<string>"):
        return "model"
    return re.sub(r"[^A-Za-z0-9_]", "_", stem).lstrip("_") or "model"


READ_ERROR = "E013"
"""The diagnostic of a spec that cannot be read at all (missing, a directory, no
permission, an I/O error)."""


class UsageError(Exception):
    """A problem with the command line or the files it names (exit 2)."""


class ReadError(UsageError):
    """A spec that cannot be read: ``shown`` names it, ``reason`` says why."""

    def __init__(self, shown: str, reason: str) -> None:
        where = "standard input" if shown == "<stdin>" else shown
        super().__init__(f"{where}: cannot read: {reason}")
        self.shown = shown
        self.reason = reason


class OutputError(UsageError):
    """The output path cannot be written (missing directory, permissions, not a file)."""


class TargetChanged(Exception):
    """The file to be replaced changed since it was read (someone saved an edit)."""


class Interrupted(BaseException):
    """A signal arrived while a file was being written; the temporary file is gone.
    A BaseException, like KeyboardInterrupt, so no ``except Exception`` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


# -- reading


class Source:
    """A spec as read: the name to show, its bytes (at most the size limit plus one), and
    the status of the file it came from (None for standard input). (Not a `Record`: every
    command imports this module first, and nothing compares sources.)"""

    __slots__ = ("shown", "data", "stat")

    def __init__(self, shown: str, data: bytes, stat: os.stat_result | None = None) -> None:
        self.shown = shown
        self.data = data
        self.stat = stat


def read_source(path: str) -> Source:
    """Read the spec at ``path`` (``-`` is standard input); `ReadError` if it cannot be."""
    if path == "-":
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            raise ReadError("<stdin>", "it is closed")
        try:
            return Source("<stdin>", stdin.buffer.read(MAX_SOURCE_BYTES + 1))
        except (OSError, ValueError, AttributeError) as error:
            raise ReadError("<stdin>", reason(error)) from None
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):  # some systems open directories for reading
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except IsADirectoryError:
        raise ReadError(path, "it is a directory, not an .arch file") from None
    except (OSError, ValueError) as error:
        raise ReadError(path, reason(error)) from None
    return Source(path, data, info)


def read_bytes(path: str) -> tuple[str, bytes]:
    """The display name and raw bytes of a spec file; ``-`` is standard input."""
    source = read_source(path)
    return source.shown, source.data


def check_path(path: str, input_shape: tuple[int | None, ...] | None = None) -> CheckResult:
    """Read and check one spec; `ReadError` when it cannot be read (for commands that
    take one file, where that ends the run). ``input_shape``: as `checker.check`'s."""
    from .checker import check_bytes  # not before: `fmt`, `--help` read without checking

    source = read_source(path)
    return check_bytes(source.data, source.shown, input_shape)


def check_file(path: str) -> CheckResult:
    """Read and check one spec of a batch: a file that cannot be read is diagnostic E013
    in its result, so the batch goes on."""
    try:
        return check_path(path)
    except ReadError as error:
        return unreadable(error)


def unreadable(error: ReadError) -> CheckResult:
    """The result of a spec that could not be read: one E013 diagnostic."""
    from .diagnostics import Diagnostic, Severity, Span
    from .model import CheckResult

    diag = Diagnostic(
        READ_ERROR,
        Severity.ERROR,
        Span.at("", 0, 0),
        f"cannot read the file: {error.reason}",
        help="check the path and its permissions; an .arch spec is a text file",
    )
    return CheckResult("", error.shown, (diag,), None, ())


def exit_status(result: CheckResult) -> int:
    """The exit code one spec's result calls for: 2 when it could not be read, 1 when it
    has errors, 0 otherwise."""
    if any(d.code == READ_ERROR for d in result.diagnostics):
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def reason(error: BaseException) -> str:
    """What went wrong, as the system says it."""
    return getattr(error, "strerror", None) or str(error)
