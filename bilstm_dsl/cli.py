"""The `bilstm-dsl` command line.

Exit codes, relied on by scripts and CI: 0 no error found, 1 errors found in a spec, 2 a
usage or I/O problem (a file that cannot be read, an output that cannot be written), 3 an
internal error (a bug: a traceback and a request to report it), 128 + N when signal N
(SIGTERM, SIGINT, SIGHUP) stopped a write. A batch (`check a b c`, `fmt a b c`) goes
through every file and exits with the worst status of them.

Backends that import heavy frameworks are loaded only inside the commands that need them,
so `check` and `summary` start fast and never import TensorFlow. Reading specs and
writing outputs is `files`'s job; this module wires arguments to it and to the checker.

Output is robust to the ordinary faults of a command line: a reader that goes away (`|
head`) ends the output quietly without changing the exit code, a full disk or closed
standard output is a one-line error (exit 2), and text that the terminal's encoding cannot
show is written as backslash escapes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import traceback
from collections.abc import Iterable, Sequence

from . import __version__
from .checker import CheckResult, check_bytes
from .diagnostics import Severity, printable, render
from .files import (
    EXIT_BUG,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Interrupted,
    OutputError,
    ReadError,
    TargetChanged,
    UsageError,
    check_file,
    check_output_path,
    check_path,
    exit_status,
    output_target,
    read_bytes,
    read_source,
    unreadable,
)
from .model import MEMORY_VARIABLE, memory_bytes, readable_size, weights_bytes
from .saved import is_model_path

__all__ = [
    "EXIT_BUG",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "UsageError",
    "build_parser",
    "check_path",
    "main",
    "read_bytes",
]


# -- standard streams


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
        _discard(stream)
    except OSError as error:
        _Streams.stdout_gone = True
        _discard(stream)
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
        _discard(stream)


def _discard(stream: io.TextIOBase) -> None:
    """Point the stream's descriptor at /dev/null, so what is still buffered (and the
    interpreter's final flush) goes nowhere instead of failing again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def _finish(status: int) -> int:
    """Flush standard output; a failure there is the command's failure too."""
    stream = sys.stdout
    if stream is None or _Streams.stdout_gone:
        return status
    try:
        stream.flush()
    except BrokenPipeError:
        _discard(stream)
    except OSError as error:
        _discard(stream)
        err(f"bilstm-dsl: error: cannot write to standard output: {error.strerror or error}")
        return max(status, EXIT_USAGE)
    return status


def _prepare_streams() -> None:
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
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                reconfigure(errors="backslashreplace")


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _print_diagnostics(result: CheckResult, to_stdout: bool = False) -> None:
    stream = sys.stdout if to_stdout else sys.stderr
    color = use_color(stream)
    if is_model_path(result.path):  # a saved model: its findings are at its layers
        from .saved_check import rendered

        texts = rendered(result, color)
    else:
        texts = (render(d, result.source, result.path, color) for d in result.diagnostics)
    for text in texts:
        if to_stdout:
            out(text + "\n")
        else:
            err(text)


def _check_any(path: str) -> CheckResult:
    """A spec, or a saved Keras model (named .keras, .json, .h5): imported in memory, then
    checked. A file that cannot be read is E013 either way, so a batch goes on."""
    if is_model_path(path):
        from .saved_check import check_saved

        return check_saved(path)
    return check_file(path)


# -- check


def cmd_check(args: argparse.Namespace) -> int:
    results = [_check_any(path) for path in args.paths]
    status = max(exit_status(result) for result in results)
    if args.format == "json":
        _json_rows(results)
    elif args.format == "sarif":
        from .formats import sarif_text

        for piece in sarif_text(results):
            out(piece)
    elif args.format == "github":
        from .formats import github

        out(github(results))
    else:
        for result in results:
            _print_diagnostics(result, to_stdout=True)
        counts = {s: 0 for s in Severity}
        for result in results:
            for diag in result.diagnostics:
                counts[diag.severity] += 1
        files = _plural(len(results), "file")
        if not any(counts.values()):
            out(f"ok: {files} checked, no problems found\n")
        else:
            found = ", ".join(_plural(n, str(s)) for s, n in counts.items() if n)
            out(f"found {found} in {files}\n")
    return status


def _json_rows(results: Iterable[CheckResult]) -> None:
    """The diagnostics as one JSON array, an object per line, written as they are made:
    a 2 MiB spec can hold 200,000 diagnostics, and json.dumps(indent=...) builds the whole
    text from millions of pieces in Python, at seconds and hundreds of megabytes."""
    first = True
    for result in results:
        if is_model_path(result.path):  # rows name the layer instead of a line
            from .saved_check import rows
        else:
            rows = _spec_rows
        for row in rows(result):
            out(("[\n  " if first else ",\n  ") + json.dumps(row))
            first = False
    out("[]\n" if first else "\n]\n")


def _spec_rows(result: CheckResult) -> Iterable[dict[str, object]]:
    return (diag.to_json(result.path) for diag in result.diagnostics)


# -- summary


def cmd_summary(args: argparse.Namespace) -> int:
    name = None
    if is_model_path(args.path):
        from .saved_check import SavedResult, check_saved

        result = check_saved(args.path)
        name = result.name if isinstance(result, SavedResult) else None
    else:
        result = check_path(args.path)
    if not result.ok:
        _print_diagnostics(result)
        return exit_status(result)
    summary = result.summary
    assert summary is not None
    found = None
    if args.batch_size is not None or args.steps is not None:
        from .costs import CostError, costs, with_costs

        for flag, value in (("--batch-size", args.batch_size), ("--steps", args.steps)):
            if value is not None and value < 1:
                raise UsageError(f"{flag} {value}: give a positive number")
        try:
            found = costs(result, args.batch_size, args.steps)
        except CostError as error:
            raise UsageError(f"{printable(result.path)}: {error}") from None
        summary = with_costs(summary, found)
    if args.format == "json":
        out(json.dumps(summary, indent=2) + "\n")
    else:
        from .backends.plan import model_name
        from .summary import summary_table

        out(summary_table(result, name or model_name(result.path), found) + "\n")
    return EXIT_OK


# -- import


def cmd_import(args: argparse.Namespace) -> int:
    """A saved Keras model written as .arch: notes (what changed from Keras 2) on standard
    error, a model .arch cannot express one error (exit 1), a file that is not a saved
    model exit 2 (`saved.read_model` raises a UsageError)."""
    from .arch_text import ImportProblem
    from .files import write_text
    from .importer import import_model
    from .saved import read_model
    from .saved_check import from_import, from_problem

    target = check_output_path(args.output, args.path) if args.output else None
    saved = read_model(args.path)
    try:
        imported = import_model(saved.config, args.path)
    except ImportProblem as problem:
        _print_diagnostics(from_problem(args.path, problem))
        return EXIT_PROBLEMS
    for note in imported.notes:
        err(f"{printable(args.path)}: note: {printable(note)}")
    if target is None or os.fspath(target) == "-":
        out(imported.text)
    else:
        try:
            write_text(target, imported.text)
        except OSError as error:
            raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
        _wrote(target, f" ({len(imported.layers) - 1} layers)")
    if not imported.result.ok:  # written all the same: the user can see and fix it
        _print_diagnostics(from_import(args.path, imported))
        return EXIT_PROBLEMS
    return EXIT_OK


# -- compile


def cmd_compile(args: argparse.Namespace) -> int:
    """Check, then emit the model; nothing is written unless the spec checks clean."""
    from .backends.plan import model_name, plan
    from .files import atomic_write, write_text

    if args.name is not None:
        check_model_name(args.name)
    emit = args.emit or ("keras" if args.output and args.output.endswith(".keras") else None)
    if emit is None:
        raise UsageError(
            "compile needs `-o OUT.keras` for a model file, or `--emit python` / "
            "`--emit json` to print to standard output"
        )
    if emit == "keras":
        if not args.output:
            raise UsageError("`--emit keras` writes a file: give `-o OUT.keras`")
        if not args.output.endswith(".keras"):
            raise UsageError(f"{args.output}: a Keras model file must end in `.keras`")
    target = check_output_path(args.output, args.path) if args.output else None
    result = check_path(args.path)
    if not result.ok:
        _print_diagnostics(result)
        return EXIT_PROBLEMS
    if result.diagnostics:  # warnings and notes: worth seeing, not worth stopping for
        _print_diagnostics(result)
    name = model_name(result.path, args.name)
    if emit == "python":
        from .backends.python import emit_python

        source_name = "<stdin>" if result.path == "<stdin>" else os.path.basename(result.path)
        text = emit_python(plan(result, name), source_name)
    else:
        check_memory(result)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        try:
            from .backends.keras import build_model, save_model
        except ImportError as error:
            raise UsageError(
                f"compile --emit {emit} needs Keras ({error}); "
                "install it with: pip install 'bilstm-dsl[keras]'"
            ) from None
        model = build_model(result, name)
        if emit == "keras":
            assert target is not None
            try:
                atomic_write(target, lambda tmp: save_model(model, tmp))
            except OSError as error:
                raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
            _wrote(target, f" ({model.count_params():,} params)")
            return EXIT_OK
        text = model.to_json(indent=2) + "\n"
    if target is None or os.fspath(target) == "-":
        out(text)
    else:
        try:
            write_text(target, text)
        except OSError as error:
            raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
        _wrote(target)
    return EXIT_OK


def _wrote(target: os.PathLike[str], detail: str = "") -> None:
    if os.fspath(target) != "-":
        err(f"wrote {printable(os.fspath(target))}{detail}")


def check_model_name(name: str) -> None:
    """Refuse a ``--name`` Keras cannot take or that would corrupt what is written: Keras
    refuses ``/`` (keras/src/ops/operation.py); undecodable bytes cannot be written to a
    .keras file's JSON or a Python file; control characters would reach terminals."""
    shown = printable(name)
    if not name:
        raise UsageError("--name: the model's name is empty")
    if "/" in name:
        raise UsageError(f"--name {shown}: Keras model names cannot contain `/`")
    if shown != name:
        raise UsageError(
            f"--name {shown}: a model name must be printable UTF-8 text, without control "
            "characters or undecodable bytes"
        )
    from .values import scope_name_fix, scope_name_problem

    problem = scope_name_problem(name, root=True)
    if problem:
        raise UsageError(f"--name {shown}: {problem}; e.g. --name {scope_name_fix(name)}")


def available_memory() -> int | None:
    """Bytes this process can expect to allocate: the smallest of the memory the system has
    available (MemAvailable in /proc/meminfo, else the physical memory), a container's
    memory limit (cgroup) less what it uses, and the address-space limit (ulimit -v);
    None when none of them is known."""
    found: list[int] = []
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
    if not found:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            found.append(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ):
        with contextlib.suppress(OSError, ValueError):
            with open(limit_file, encoding="ascii") as handle:
                limit = int(handle.read().strip())  # "max": no limit, a ValueError
            with open(usage_file, encoding="ascii") as handle:
                used = int(handle.read().strip())
            if limit < 1 << 60:  # cgroup v1 writes "no limit" as a huge number
                found.append(max(0, limit - used))
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            found.append(soft)
    return min(found) if found else None


def check_memory(result: CheckResult) -> None:
    """Refuse, before Keras is imported, a model whose float32 weights alone need more
    memory than this process can have: building it would take minutes and then die
    (`lstm(10**9)` needs 14 exabytes). ``BILSTM_DSL_MEMORY`` (bytes) sets the limit, as
    it does for the checker's W504; otherwise it is what `available_memory` finds."""
    need = weights_bytes(result.stages)
    have = memory_bytes() if os.environ.get(MEMORY_VARIABLE) else available_memory()
    if have is not None and need > have:
        exact = f" ({need:,} bytes)"
        raise UsageError(
            f"{printable(result.path)}: the model's weights need {readable_size(need)}"
            f"{exact} of memory, more than the {readable_size(have)} available here; "
            "make the layers smaller"
        )


# -- fmt


def cmd_fmt(args: argparse.Namespace) -> int:
    """Format files in place (atomically), or report (`--check`) / show (`--diff`) what
    would change. Every file is visited; the exit code is the worst of them: 2 a file
    that cannot be read or written, 1 a file that does not parse or is too large, or
    (`--check`/`--diff`) one that would change, or one edited while being formatted."""
    status = EXIT_OK
    for path in args.paths:
        status = max(status, _fmt_one(path, args))
    return status


def _fmt_one(path: str, args: argparse.Namespace) -> int:
    import difflib

    from .checker import MAX_SOURCE_BYTES
    from .files import write_text
    from .fmt import format_source

    try:
        source_file = read_source(path)
    except ReadError as error:
        _print_diagnostics(unreadable(error))
        return EXIT_USAGE
    shown, data = source_file.shown, source_file.data
    if len(data) > MAX_SOURCE_BYTES:  # E011; formatting the first 2 MiB would truncate it
        _print_diagnostics(check_bytes(data, shown))
        return EXIT_PROBLEMS
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        _print_diagnostics(check_bytes(data, shown))
        return EXIT_PROBLEMS
    formatted = format_source(source)
    if formatted.text is None:
        color = use_color(sys.stderr)
        for diag in formatted.diagnostics:
            err(render(diag, source, shown, color))
        return EXIT_PROBLEMS
    if formatted.text != source and args.diff:
        old, new = source.splitlines(True), formatted.text.splitlines(True)
        out("".join(difflib.unified_diff(old, new, shown, shown)))
    if path == "-":
        if not args.diff:
            out(formatted.text)
        return EXIT_PROBLEMS if formatted.text != source and (args.check or args.diff) else 0
    if formatted.text == source:
        return EXIT_OK
    if args.check:
        out(f"would reformat {printable(path)}\n")
        return EXIT_PROBLEMS
    if args.diff:
        return EXIT_PROBLEMS
    try:
        where = output_target(path)
        if where.kind != "file":
            raise OutputError(
                f"{path}: is not a regular file; fmt rewrites files in place "
                "(format a stream with `fmt -`)"
            )
        write_text(path, formatted.text, unchanged=source_file)
    except TargetChanged:
        err(
            f"bilstm-dsl: {printable(path)}: changed while it was being formatted; "
            "left as it is, run fmt again"
        )
        return EXIT_PROBLEMS
    except OutputError as error:
        err(f"bilstm-dsl: error: {printable(str(error))}")
        return EXIT_USAGE
    except OSError as error:
        err(f"bilstm-dsl: error: {printable(path)}: cannot write: {error.strerror or error}")
        return EXIT_USAGE
    err(f"reformatted {printable(path)}")
    return EXIT_OK


# -- the parser and main


class _Parser(argparse.ArgumentParser):
    """argparse, writing its help and usage through `out` and `err`: its own writer drops
    every OSError, so `bilstm-dsl --help > /dev/full` lost the help and exited 0."""

    def _print_message(self, message: str, file=None) -> None:  # noqa: ANN001
        if not message:
            return
        if file is None or file is sys.stdout:
            out(message)
        else:
            err(message.rstrip("\n"))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``command``, when known, spares loading other commands."""
    parser = _Parser(
        prog="bilstm-dsl",
        description="Check, summarise, compile, draw and format .arch descriptions of "
        "recurrent Keras models.",
    )
    parser.add_argument("--version", action="version", version=f"bilstm-dsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("check", help="report every problem in .arch files")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="an .arch file, - for stdin, or a saved Keras model (.keras, .json, .h5)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="text for people; json; sarif for GitHub code scanning; github for annotations",
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("summary", help="print the layer table model.summary() would print")
    p.add_argument(
        "path", metavar="PATH", help="an .arch file, - for stdin, or a saved Keras model"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help="add multiply-adds per sample, activation memory for N samples and weight "
        "memory (docs/costs.md)",
    )
    p.add_argument(
        "--steps", type=int, metavar="N", help="the length of every `none` dim of the input"
    )
    p.set_defaults(run=cmd_summary)

    p = sub.add_parser(
        "import", help="write a saved Keras model (.keras, .json, .h5) as .arch, without Keras"
    )
    p.add_argument("path", metavar="MODEL", help="a .keras, .json or .h5 model file")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the .arch file to write (atomically); default stdout"
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser(
        "compile",
        help="build the Keras model: a .keras file, Python source, or the model's JSON config",
    )
    p.add_argument("path", metavar="PATH", help="an .arch file, or - for stdin")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the file to write (atomically), or - for stdout"
    )
    p.add_argument(
        "--emit",
        choices=("keras", "python", "json"),
        help="what to produce (default: keras when OUT ends in .keras)",
    )
    p.add_argument("--name", help="the model's name (default: the spec's file name)")
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("fmt", help="rewrite .arch files in the one canonical layout")
    p.add_argument("paths", nargs="+", metavar="PATH", help="an .arch file, or - for stdin")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    mode.add_argument("--diff", action="store_true", help="print the changes, write nothing")
    p.set_defaults(run=cmd_fmt)

    # draw and lsp load their modules only when they run (the checking commands should not
    # pay for them at start-up); --help still lists them.
    if command in (None, "draw"):
        from . import draw

        draw.add_parser(sub)
    else:
        sub.add_parser("draw", help="draw the model unrolled over time, as SVG or PNG")
    if command in (None, "lsp"):
        from . import lsp

        lsp.add_parser(sub)
    else:
        sub.add_parser("lsp", help="run the language server over stdio")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _prepare_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(
        command if command in ("check", "summary", "compile", "fmt", "import") else None
    )
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit:  # argparse has printed its usage message, or --help
            return _finish(EXIT_USAGE if exit.code else EXIT_OK)
        return _finish(args.run(args))
    except UsageError as error:
        err(f"bilstm-dsl: error: {printable(str(error))}")
        return _finish(EXIT_USAGE)
    except Interrupted as stop:
        return stop.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output written past `out` (a module printing by itself) whose reader went away:
        # the command did not finish its output, which is an I/O failure.
        _discard(sys.stdout)
        return EXIT_USAGE
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, not a user error
        with contextlib.suppress(OSError):
            traceback.print_exc()
        err(
            "bilstm-dsl: internal error: this is a bug in bilstm-dsl, please report it with "
            "the file that caused it"
        )
        return EXIT_BUG


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
