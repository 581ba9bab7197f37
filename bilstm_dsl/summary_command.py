"""`bilstm-dsl summary`: the layer table `model.summary()` prints, as text or JSON, with
multiply-adds and memory for a batch (`--batch-size`, `--steps`)."""

from __future__ import annotations

from .files import EXIT_OK, UsageError, check_path, exit_status, is_model_path
from .streams import out, print_diagnostics

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import argparse


def cmd_summary(args: argparse.Namespace) -> int:
    from .diagnostics import printable

    name = None
    if is_model_path(args.path):
        from .saved_check import SavedResult, check_saved

        result = check_saved(args.path)
        name = result.name if isinstance(result, SavedResult) else None
    else:
        result = check_path(args.path, args.input_shape)
    if not result.ok:
        print_diagnostics(result)
        return exit_status(result)
    summary = result.summary
    assert summary is not None
    found = None
    if args.batch_size is not None or args.steps is not None:
        from .symbolic import names_in

        named = names_in(result.input_shape)
        if named:
            raise UsageError(
                f"{printable(result.path)}: multiply-adds and memory need every size, and "
                f"{', '.join(sorted(named))} is open: give the input's shape with --input-shape"
            )
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
        import json

        out(json.dumps(summary, indent=2) + "\n")
    else:
        from .files import model_name
        from .summary import summary_table

        out(summary_table(result, name or model_name(result.path), found) + "\n")
    return EXIT_OK
