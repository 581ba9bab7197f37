"""`bilstm-dsl import`: a saved Keras model (.keras, .json, .h5) written as `.arch`, without
Keras."""

from __future__ import annotations

import argparse
import os

from .files import EXIT_OK, EXIT_PROBLEMS, OutputError
from .streams import err, out, print_diagnostics


def cmd_import(args: argparse.Namespace) -> int:
    """A saved Keras model written as .arch: notes (what changed from Keras 2) on standard
    error, a model .arch cannot express one error (exit 1), a file that is not a saved
    model exit 2 (`saved.read_model` raises a UsageError)."""
    from .arch_text import ImportProblem
    from .compile_command import wrote
    from .diagnostics import printable
    from .importer import import_model
    from .saved import read_model
    from .saved_check import from_import, from_problem
    from .writes import check_output_path, write_text

    target = check_output_path(args.output, args.path) if args.output else None
    saved = read_model(args.path)
    try:
        imported = import_model(saved.config, args.path)
    except ImportProblem as problem:
        print_diagnostics(from_problem(args.path, problem))
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
        wrote(target, f" ({len(imported.layers) - 1} layers)")
    if not imported.result.ok:  # written all the same: the user can see and fix it
        print_diagnostics(from_import(args.path, imported))
        return EXIT_PROBLEMS
    return EXIT_OK
