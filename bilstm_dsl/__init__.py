"""bilstm-dsl: describe recurrent Keras models in `.arch` files, check their shapes without
TensorFlow, and compile them to Keras.

The public API::

    result = bilstm_dsl.check(text, path)      # diagnostics + per-stage shapes, never raises
    summary = bilstm_dsl.summarize(text, path) # the `summary --format json` object
    model = bilstm_dsl.build(text_or_path)     # a keras.Model (imports keras on first use)
    source = bilstm_dsl.to_python(text_or_path) # the same model as readable Keras code

Every failure a user can cause is an `ArchError`, which carries the diagnostics.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing's own constant, without importing typing on every start
if TYPE_CHECKING:
    from typing import Any

    from .catalogue import CATALOGUE
    from .checker import CheckResult, check, check_bytes
    from .diagnostics import Diagnostic, Severity, Span, render

_LAZY = {
    "CATALOGUE": "catalogue",
    "CheckResult": "checker",
    "check": "checker",
    "check_bytes": "checker",
    "Diagnostic": "diagnostics",
    "Severity": "diagnostics",
    "Span": "diagnostics",
    "render": "diagnostics",
}
"""The public names other modules define, imported on first use (PEP 562): importing the
package, as every `bilstm-dsl` command does first, costs nothing, and `--version` or
`fmt` never load the checker's registry or the catalogue."""


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # asked once: a plain attribute from then on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "CATALOGUE",
    "ArchError",
    "build",
    "CheckResult",
    "Diagnostic",
    "Severity",
    "Span",
    "check",
    "check_bytes",
    "render",
    "summarize",
    "to_python",
]

__version__ = "0.1.0"


class ArchError(Exception):
    """A spec with errors. ``diagnostics`` holds every problem found; ``str()`` renders
    them as the CLI does."""

    def __init__(self, result: CheckResult) -> None:
        from .diagnostics import render

        self.result = result
        self.diagnostics = result.errors
        super().__init__(
            "\n".join(render(d, result.source, result.path) for d in result.diagnostics)
        )


def summarize(source: str, path: str = "<string>") -> dict[str, object]:
    """The `summary --format json` object for ``source``; raises `ArchError` on errors."""
    from .checker import check

    result = check(source, path)
    summary = result.summary
    if summary is None:
        raise ArchError(result)
    return summary


Dims = tuple[int | None, ...]


def _load(spec: str | os.PathLike[str], input_shape: Dims | None = None) -> CheckResult:
    """Check a spec given as text or as a path. A ``str`` holding ``(`` is spec text
    (every layer is a call); any other ``str``, or a path object, names a file."""
    from .checker import check, check_bytes

    if isinstance(spec, str) and "(" in spec:
        return check(spec, input_shape=input_shape)
    from pathlib import Path

    path = Path(spec)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OSError(f"cannot read the spec {str(path)!r}: {error.strerror}") from None
    return check_bytes(data, str(path), input_shape)


def _model_name(result: CheckResult, name: str | None) -> str:
    """The model's name (`files.model_name`); a ``name`` TensorFlow cannot use as a
    root name scope raises ValueError, before Keras is imported."""
    from .files import model_name
    from .open_input import not_buildable
    from .values import scope_name_problem

    if name is not None:
        problem = scope_name_problem(name, root=True)
        if problem:
            raise ValueError(f"name {name!r}: {problem}")
    problem = not_buildable(result)
    if problem:
        raise ValueError(problem.replace("--input-shape", "input_shape="))
    return model_name(result.path, name)


def build(
    spec: str | os.PathLike[str],
    *,
    name: str | None = None,
    strategy: Any = None,
    input_shape: Dims | None = None,
    allow_import: tuple[str, ...] = (),
) -> Any:
    """Build the `keras.Model` a spec describes (Keras is imported on first use).

    ``spec`` is `.arch` text or a path; ``name`` names the model (default: the file name);
    ``strategy``, a ``tf.distribute`` strategy, builds the model inside its scope so the
    same spec trains on several GPUs or a TPU; ``input_shape`` (per sample) is the input of
    a spec written without `input(...)`, or replaces the dims of the one written;
    ``allow_import`` names the modules an opaque layer's class may be imported from
    (docs/plugins.md). A spec with errors raises `ArchError` and builds nothing; one whose
    sizes are still open, or that needs a module not allowed, raises ValueError saying which.
    """
    result = _load(spec, input_shape)
    if not result.ok:
        raise ArchError(result)
    model_name = _model_name(result, name)
    from .backends.keras import build_model

    return build_model(result, model_name, strategy, allow_import)


def to_python(
    spec: str | os.PathLike[str], *, name: str | None = None, input_shape: Dims | None = None
) -> str:
    """Python source that builds the spec's model with ``import keras`` (no Keras needed
    to generate it). A spec with errors raises `ArchError`; ``input_shape`` as `build`'s."""
    result = _load(spec, input_shape)
    if not result.ok:
        raise ArchError(result)
    model_name = _model_name(result, name)
    from .backends.plan import plan
    from .backends.python import emit_python

    source_name = "<string>" if result.path == "<string>" else os.path.basename(result.path)
    return emit_python(plan(result, model_name), source_name)
