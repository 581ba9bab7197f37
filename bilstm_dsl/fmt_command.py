"""`bilstm-dsl fmt`: format files in place (safely, see `files`), or report (`--check`)
or show (`--diff`) what would change, going through every file of a batch."""

from __future__ import annotations

import argparse
import sys

from .diagnostics import printable, render
from .files import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    OutputError,
    ReadError,
    TargetChanged,
    read_source,
    unreadable,
)
from .limits import MAX_SOURCE_BYTES
from .streams import err, out, print_diagnostics, use_color


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
    from .fmt import format_source

    try:
        source_file = read_source(path)
    except ReadError as error:
        print_diagnostics(unreadable(error))
        return EXIT_USAGE
    shown, data = source_file.shown, source_file.data
    source = None
    if len(data) <= MAX_SOURCE_BYTES:  # past it, formatting the first 2 MiB would truncate it
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if source is None:  # the checker says what is wrong: E011, or E007 at the bad byte
        from .checker import check_bytes

        print_diagnostics(check_bytes(data, shown))
        return EXIT_PROBLEMS
    formatted = format_source(source)
    if formatted.text is None:
        color = use_color(sys.stderr)
        for diag in formatted.diagnostics:
            err(render(diag, source, shown, color))
        return EXIT_PROBLEMS
    if formatted.text != source and args.diff:
        import difflib

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
    from .writes import output_target, write_text  # only to write: it loads tempfile

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
