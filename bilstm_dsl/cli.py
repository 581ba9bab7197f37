"""The `bilstm-dsl` command line.

Exit codes, relied on by scripts and CI: 0 no error found, 1 errors found in a spec, 2 a
usage or I/O problem (missing or unreadable file). Backends that import heavy frameworks are
loaded only inside the commands that need them, so `check` and `summary` start fast and never
import TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .checker import MAX_SOURCE_BYTES, CheckResult, check_bytes
from .diagnostics import Severity, render
from .shapes import fmt

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or the files it names (exit 2)."""


def read_bytes(path: str) -> tuple[str, bytes]:
    """The display name and raw bytes of a spec file; ``-`` is standard input."""
    try:
        if path == "-":
            if sys.stdin is None or sys.stdin.closed:
                raise UsageError("cannot read standard input: it is closed")
            shown, data = "<stdin>", sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
        elif os.path.isdir(path):
            raise UsageError(f"{path}: is a directory, not an .arch file")
        else:
            with open(path, "rb") as handle:
                shown, data = path, handle.read(MAX_SOURCE_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"{path}: cannot read: {reason}") from None
    if not data.strip():
        raise UsageError(
            f"{shown}: is empty; an .arch file holds a chain like `input(20, 1) -> ...`"
        )
    if b"\0" in data[:8192]:
        raise UsageError(
            f"{shown}: looks like a binary file (it holds NUL bytes), not an .arch spec"
        )
    return shown, data


def check_path(path: str) -> CheckResult:
    shown, data = read_bytes(path)
    return check_bytes(data, shown)


def use_color(stream) -> bool:  # noqa: ANN001
    """Colour for a terminal, unless NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_check(args: argparse.Namespace) -> int:
    results: list[CheckResult] = []
    for path in args.paths:
        results.append(check_path(path))
    if args.format == "json":
        rows = [d.to_json(r.path) for r in results for d in r.diagnostics]
        print(json.dumps(rows, indent=2))
    elif args.format == "sarif":
        from .formats import sarif

        print(json.dumps(sarif(results), indent=2))
    elif args.format == "github":
        from .formats import github

        sys.stdout.write(github(results))
    else:
        color = use_color(sys.stdout)
        for result in results:
            for diag in result.diagnostics:
                print(render(diag, result.source, result.path, color))
        counts = {s: 0 for s in Severity}
        for result in results:
            for diag in result.diagnostics:
                counts[diag.severity] += 1
        files = _plural(len(results), "file")
        if not any(counts.values()):
            print(f"ok: {files} checked, no problems found")
        else:
            found = ", ".join(_plural(n, str(s)) for s, n in counts.items() if n)
            print(f"found {found} in {files}")
    return EXIT_PROBLEMS if any(not r.ok for r in results) else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    result = check_path(args.path)
    if not result.ok:
        _print_diagnostics(result, sys.stderr)
        return EXIT_PROBLEMS
    summary = result.summary
    assert summary is not None
    if args.format == "json":
        print(json.dumps(summary, indent=2))
    else:
        from .backends.plan import model_name

        print(summary_table(result, model_name(result.path)))
    return EXIT_OK


def _bytes(params: int) -> str:
    size = params * 4.0  # float32 weights, as Keras's summary assumes for the default dtype
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    raise AssertionError


def summary_table(result: CheckResult, name: str) -> str:
    """The table Keras's ``model.summary()`` prints, computed without Keras."""
    summary = result.summary
    assert summary is not None and result.input is not None
    input_name = str(result.input.args.get("name") or "input_layer")
    rows = [(f"{input_name} (InputLayer)", fmt(result.input_shape), "0")]
    for stage in result.stages:
        shapes = (
            " ".join(fmt(s) for s in stage.shapes)
            if len(stage.shapes) > 1
            else fmt(stage.shapes[0])
        )
        rows.append((f"{stage.name} ({stage.layer.keras_class})", shapes, f"{stage.params:,}"))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(_HEADERS)]
    widths = [max(w, m) for w, m in zip(widths, (30, 24, 10))]

    def line(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row(cells: Sequence[str], edge: str) -> str:
        padded = [cells[0].ljust(widths[0]), cells[1].ljust(widths[1]), cells[2].rjust(widths[2])]
        return edge + edge.join(f" {c} " for c in padded) + edge

    out = [
        f'Model: "{name}"',
        line("┏", "┳", "┓", "━"),
        row(_HEADERS, "┃"),
        line("┡", "╇", "┩", "━"),
    ]
    for i, cells in enumerate(rows):
        out.append(row(cells, "│"))
        out.append(line("├", "┼", "┤", "─") if i < len(rows) - 1 else line("└", "┴", "┘", "─"))
    for label, key in (
        ("Total params", "total_params"),
        ("Trainable params", "trainable_params"),
        ("Non-trainable params", "non_trainable_params"),
    ):
        count = int(summary[key])  # type: ignore[call-overload]
        out.append(f" {label}: {count:,} ({_bytes(count)})")
    return "\n".join(out)


_HEADERS = ("Layer (type)", "Output Shape", "Param #")


def _print_diagnostics(result: CheckResult, stream) -> None:  # noqa: ANN001
    color = use_color(stream)
    for diag in result.diagnostics:
        print(render(diag, result.source, result.path, color), file=stream)


def cmd_compile(args: argparse.Namespace) -> int:
    """Check, then emit the model; nothing is written unless the spec checks clean."""
    from .backends.plan import model_name, plan
    from .files import OutputError, atomic_write, check_output_path, write_text

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
    try:
        target = check_output_path(args.output, args.path) if args.output else None
    except OutputError as error:
        raise UsageError(str(error)) from None
    result = check_path(args.path)
    if not result.ok:
        _print_diagnostics(result, sys.stderr)
        return EXIT_PROBLEMS
    if result.diagnostics:  # warnings and notes: worth seeing, not worth stopping for
        _print_diagnostics(result, sys.stderr)
    name = model_name(result.path, args.name)
    if emit == "python":
        from .backends.python import emit_python

        source_name = "<stdin>" if result.path == "<stdin>" else os.path.basename(result.path)
        text = emit_python(plan(result, name), source_name)
    else:
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
                raise UsageError(f"{target}: cannot write: {error.strerror or error}") from None
            print(f"wrote {target} ({model.count_params():,} params)", file=sys.stderr)
            return EXIT_OK
        text = model.to_json(indent=2) + "\n"
    if target is None:
        sys.stdout.write(text)
    else:
        try:
            write_text(target, text)
        except OSError as error:
            raise UsageError(f"{target}: cannot write: {error.strerror or error}") from None
        print(f"wrote {target}", file=sys.stderr)
    return EXIT_OK


def cmd_fmt(args: argparse.Namespace) -> int:
    """Format files in place (atomically), or report (`--check`) / show (`--diff`) what
    would change. Exit 1 when `--check`/`--diff` find a file to change or a file does not
    parse; such a file is never touched."""
    import difflib

    from .files import write_text
    from .fmt import format_source

    changed = failed = 0
    for path in args.paths:
        shown, data = read_bytes(path)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            result = check_bytes(data, shown)
            _print_diagnostics(result, sys.stderr)
            failed += 1
            continue
        formatted = format_source(source)
        if formatted.text is None:
            for diag in formatted.diagnostics:
                print(render(diag, source, shown), file=sys.stderr)
            failed += 1
            continue
        if formatted.text != source and args.diff:
            old, new = source.splitlines(True), formatted.text.splitlines(True)
            sys.stdout.writelines(difflib.unified_diff(old, new, shown, shown))
        if path == "-":
            if not args.diff:
                sys.stdout.write(formatted.text)
            changed += formatted.text != source
            continue
        if formatted.text == source:
            continue
        changed += 1
        if args.check:
            print(f"would reformat {path}")
        elif not args.diff:
            try:
                write_text(path, formatted.text)
            except OSError as error:
                raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
            print(f"reformatted {path}", file=sys.stderr)
    if (args.check or args.diff) and changed or failed:
        return EXIT_PROBLEMS
    return EXIT_OK


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``command``, when known, spares loading other commands."""
    parser = argparse.ArgumentParser(
        prog="bilstm-dsl",
        description="Check, summarise, compile, draw and format .arch descriptions of "
        "recurrent Keras models.",
    )
    parser.add_argument("--version", action="version", version=f"bilstm-dsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("check", help="report every problem in .arch files")
    p.add_argument("paths", nargs="+", metavar="PATH", help="an .arch file, or - for stdin")
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="text for people; json; sarif for GitHub code scanning; github for annotations",
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("summary", help="print the layer table model.summary() would print")
    p.add_argument("path", metavar="PATH", help="an .arch file, or - for stdin")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_summary)

    p = sub.add_parser(
        "compile",
        help="build the Keras model: a .keras file, Python source, or the model's JSON config",
    )
    p.add_argument("path", metavar="PATH", help="an .arch file, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="the file to write (atomically)")
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
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in ("check", "summary", "compile", "fmt") else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse has printed its usage message
        return EXIT_USAGE if exit.code else EXIT_OK
    try:
        return args.run(args)
    except UsageError as error:
        print(f"bilstm-dsl: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`bilstm-dsl check x | head`); nothing left to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, not a user error
        traceback.print_exc()
        print(
            "bilstm-dsl: internal error: this is a bug in bilstm-dsl, please report it with "
            "the file that caused it",
            file=sys.stderr,
        )
        return 3


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
