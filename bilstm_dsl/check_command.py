"""`bilstm-dsl check`: every file of a batch checked (a saved model imported first), the
findings written as text, JSON rows, SARIF or GitHub annotations, and the worst status."""

from __future__ import annotations

from .files import check_file, exit_status, is_model_path
from .streams import out, plural, print_diagnostics

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

    from .model import CheckResult


def _check_any(path: str) -> CheckResult:
    """A spec, or a saved Keras model (named .keras, .json, .h5): imported in memory, then
    checked. A file that cannot be read is E013 either way, so a batch goes on."""
    if is_model_path(path):
        from .saved_check import check_saved

        return check_saved(path)
    return check_file(path)


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
            print_diagnostics(result, to_stdout=True)
        from .diagnostics import Severity

        counts = {s: 0 for s in Severity}
        for result in results:
            for diag in result.diagnostics:
                counts[diag.severity] += 1
        files = plural(len(results), "file")
        if not any(counts.values()):
            out(f"ok: {files} checked, no problems found\n")
        else:
            found = ", ".join(plural(n, str(s)) for s, n in counts.items() if n)
            out(f"found {found} in {files}\n")
    return status


def _json_rows(results: Iterable[CheckResult]) -> None:
    """The diagnostics as one JSON array, an object per line, written as they are made:
    a 2 MiB spec can hold 200,000 diagnostics, and json.dumps(indent=...) builds the whole
    text from millions of pieces in Python, at seconds and hundreds of megabytes."""
    from .diagnostics import json_string

    first = True
    batch: list[str] = []
    for result in results:
        if is_model_path(result.path):  # rows name the layer instead of a line
            import json

            from .saved_check import rows

            texts: Iterable[str] = (json.dumps(row) for row in rows(result))
        else:
            path = json_string(result.path)  # json.dumps(path), without loading json
            texts = (diag.json_text(path) for diag in result.diagnostics)
        for text in texts:
            batch.append(("[\n  " if first else ",\n  ") + text)
            first = False
            if len(batch) == 256:  # a write per few hundred rows
                out("".join(batch))
                batch.clear()
    batch.append("[]\n" if first else "\n]\n")
    out("".join(batch))
