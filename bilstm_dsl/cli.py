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

import os
import sys

from . import __version__
from .files import (
    EXIT_BUG,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Interrupted,
    UsageError,
    check_path,
    read_bytes,
)
from .streams import (
    discard,
    err,
    finish,
    out,
    prepare_streams,
    use_color,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from .compile_command import available_memory, check_memory, check_model_name

# What each command needs is imported when it runs: `--version` and `--help` load none of
# it, `check` not the compiler's, `fmt` not the checker's registry
# (tests/test_import_hygiene.py).
_LAZY = {
    "available_memory": "compile_command",
    "check_memory": "compile_command",
    "check_model_name": "compile_command",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __package__), name)


__all__ = [
    "available_memory",
    "check_memory",
    "check_model_name",
    "use_color",
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


# -- arguments shared by commands


def _input_shape_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--input-shape",
        type=_shape,
        metavar="DIMS",
        help="the input's shape per sample, e.g. 20,1 (none for any length): for a spec "
        "written without input(...), or in place of the dims it writes",
    )


def _shape(text: str) -> tuple[int | None, ...]:
    import argparse

    from .open_input import parse_shape

    try:
        return parse_shape(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# -- the parser and main


def cmd_check(args: argparse.Namespace) -> int:
    from .check_command import cmd_check

    return cmd_check(args)


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary_command import cmd_summary

    return cmd_summary(args)


def cmd_import(args: argparse.Namespace) -> int:
    from .import_command import cmd_import

    return cmd_import(args)


def cmd_compile(args: argparse.Namespace) -> int:
    from .compile_command import cmd_compile

    return cmd_compile(args)


def cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt_command import cmd_fmt

    return cmd_fmt(args)


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse, writing its help and usage through `out` and `err`: its own writer drops
    every OSError, so `bilstm-dsl --help > /dev/full` lost the help and exited 0. (Made
    when asked for: `--version` does not import argparse.)"""
    import argparse

    class Parser(argparse.ArgumentParser):
        def _get_formatter(self) -> argparse.HelpFormatter:
            return self.formatter_class(prog=self.prog, width=_columns() - 2)

        def _print_message(self, message: str, file=None) -> None:  # noqa: ANN001
            if not message:
                return
            if file is None or file is sys.stdout:
                out(message)
            else:
                err(message.rstrip("\n"))

    return Parser


def _check_arguments(p: argparse.ArgumentParser) -> None:
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


def _summary_arguments(p: argparse.ArgumentParser) -> None:
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
    _input_shape_option(p)
    p.set_defaults(run=cmd_summary)


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="MODEL", help="a .keras, .json or .h5 model file")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the .arch file to write (atomically); default stdout"
    )
    p.set_defaults(run=cmd_import)


def _compile_arguments(p: argparse.ArgumentParser) -> None:
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
    p.add_argument(
        "--allow-import",
        action="append",
        metavar="MODULE",
        help="import MODULE for the opaque layers whose class it holds (never implicit: "
        "importing runs its code); repeat for several",
    )
    _input_shape_option(p)
    p.set_defaults(run=cmd_compile)


def _fmt_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="an .arch file, or - for stdin")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    mode.add_argument("--diff", action="store_true", help="print the changes, write nothing")
    p.set_defaults(run=cmd_fmt)


def _draw_arguments(p: argparse.ArgumentParser) -> None:
    from . import draw

    draw.add_arguments(p)


def _lsp_arguments(p: argparse.ArgumentParser) -> None:
    from . import lsp

    lsp.add_arguments(p)


COMMANDS = {
    "check": ("report every problem in .arch files", _check_arguments),
    "summary": ("print the layer table model.summary() would print", _summary_arguments),
    "import": (
        "write a saved Keras model (.keras, .json, .h5) as .arch, without Keras",
        _import_arguments,
    ),
    "compile": (
        "build the Keras model: a .keras file, Python source, or the model's JSON config",
        _compile_arguments,
    ),
    "fmt": ("rewrite .arch files in the one canonical layout", _fmt_arguments),
    "draw": ("draw the model unrolled over time, as SVG or PNG", _draw_arguments),
    "lsp": (
        "run the language server (diagnostics, hover, completion) over stdio",
        _lsp_arguments,
    ),
}
"""Each command: its line in ``--help``, and what adds its arguments."""


def _columns() -> int:
    """The terminal's width as `shutil.get_terminal_size` gives it to argparse's help
    (``COLUMNS``, else standard output's terminal, else 80), without importing shutil,
    which imports three compression modules: a tenth of a `--help`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for running ``command``: its arguments are added, and the other
    commands are only listed (argparse reads the arguments of the chosen command alone).
    So a start pays for one command's arguments, `--help` for none of them, and `draw` and
    `lsp` load their modules (matplotlib's caller, asyncio) only when they run."""
    parser_class = _parser_class()

    class Top(parser_class):  # type: ignore[valid-type,misc]
        def format_help(self) -> str:
            return top_help()

    parser = Top(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=VERSION)

    def make(**kwargs: object) -> object:  # a parser for the command run, a name for others
        if kwargs["prog"] == f"{parser.prog} {command}":
            return parser_class(**kwargs)
        return _Listed(kwargs["prog"])

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=make)
    for name, (help, add_arguments) in COMMANDS.items():
        p = sub.add_parser(name, help=help)
        if name == command:
            add_arguments(p)
    return parser


PROG = "bilstm-dsl"
DESCRIPTION = (
    "Check, summarise, compile, draw and format .arch descriptions of recurrent Keras models."
)
USAGE = f"usage: {PROG} [-h] [--version] COMMAND ..."
"""What argparse writes as the usage of the parser `build_parser` makes (a test says so)."""


def top_help() -> str:
    """`bilstm-dsl --help`: the commands, each with its line from `COMMANDS`, and how to
    see a command's arguments. Written here rather than by argparse, as git and cargo write
    theirs, so that it needs neither argparse nor textwrap: the help costs what
    `--version` costs. Lines are wrapped to the terminal's width, as argparse's are."""
    width = max(_columns() - 2, 20)
    column = max(len(name) for name in COMMANDS) + 4
    lines = [USAGE, "", *_wrap(DESCRIPTION, width, ""), "", "commands:"]
    for name, (line, _) in COMMANDS.items():
        lines += _wrap(line, width, " " * column, f"  {name:<{column - 2}}")
    lines += ["", "options:"]
    lines += _wrap("show this help message and exit", width, " " * 14, "  -h, --help  ")
    lines += _wrap("show the version and exit", width, " " * 14, "  --version   ")
    lines += ["", *_wrap(f"Run `{PROG} COMMAND --help` for a command's arguments.", width, "")]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` (a word longer than that has a line of its
    own), the first starting with ``first`` and the others with ``indent``."""
    lines = []
    line, empty = (indent if first is None else first), True
    for word in text.split():
        if not empty and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, empty = indent, True
        line += word if empty else " " + word
        empty = False
    return [*lines, line]


class _Listed:
    """A command listed in the help but not being run: argparse shows its help line and
    never calls on it (making a real parser for each costs a tenth of a `--help`)."""

    def __init__(self, prog: object) -> None:
        self.prog = prog

    def parse_known_args(self, *_: object) -> object:
        raise RuntimeError(f"{self.prog}: build_parser was not asked for this command")


VERSION = f"bilstm-dsl {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    prepare_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    try:
        if argv == ["--version"]:  # what argparse prints, without building the parser
            out(VERSION + "\n")
            return finish(EXIT_OK)
        if argv in (["--help"], ["-h"]):  # the parser's own help, without building it
            out(top_help())
            return finish(EXIT_OK)
        parser = build_parser(command)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit:  # argparse has printed its usage message, or --help
            return finish(EXIT_USAGE if exit.code else EXIT_OK)
        return finish(args.run(args))
    except UsageError as error:
        from .diagnostics import printable

        err(f"bilstm-dsl: error: {printable(str(error))}")
        return finish(EXIT_USAGE)
    except Interrupted as stop:
        return stop.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output written past `out` (a module printing by itself) whose reader went away:
        # the command did not finish its output, which is an I/O failure.
        discard(sys.stdout)
        return EXIT_USAGE
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, not a user error
        import contextlib
        import traceback

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
