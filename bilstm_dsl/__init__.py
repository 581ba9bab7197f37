"""bilstm-dsl: describe recurrent Keras models in `.arch` files, check their shapes without
TensorFlow, and compile them to Keras.

The public API::

    result = bilstm_dsl.check(text, path)      # diagnostics + per-stage shapes, never raises
    summary = bilstm_dsl.summarize(text, path) # the `summary --format json` object
    model = bilstm_dsl.build(text_or_path)     # a keras.Model (imports keras on first use)

Every failure a user can cause is an `ArchError`, which carries the diagnostics.
"""

from __future__ import annotations

from .checker import CheckResult, check, check_bytes
from .diagnostics import CATALOGUE, Diagnostic, Severity, Span, render

__all__ = [
    "CATALOGUE",
    "ArchError",
    "CheckResult",
    "Diagnostic",
    "Severity",
    "Span",
    "check",
    "check_bytes",
    "render",
    "summarize",
]

__version__ = "0.1.0"


class ArchError(Exception):
    """A spec with errors. ``diagnostics`` holds every problem found; ``str()`` renders
    them as the CLI does."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        self.diagnostics = result.errors
        super().__init__(
            "\n".join(render(d, result.source, result.path) for d in result.diagnostics)
        )


def summarize(source: str, path: str = "<string>") -> dict[str, object]:
    """The `summary --format json` object for ``source``; raises `ArchError` on errors."""
    result = check(source, path)
    summary = result.summary
    if summary is None:
        raise ArchError(result)
    return summary
