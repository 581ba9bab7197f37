"""`bilstm-dsl compile`: check, then emit the model (a `.keras` file, readable Python, Keras
JSON); nothing is written unless the spec checks clean, and nothing is built that cannot
fit in memory or that TensorFlow could not name. Keras is imported only here, and only
once the spec has checked."""

from __future__ import annotations

import argparse
import contextlib
import os

from .diagnostics import printable
from .files import (
    EXIT_OK,
    EXIT_PROBLEMS,
    OutputError,
    UsageError,
    check_path,
)
from .memory import MEMORY_VARIABLE, memory_bytes, readable_size, weights_bytes
from .model import CheckResult
from .streams import err, out, print_diagnostics


def cmd_compile(args: argparse.Namespace) -> int:
    """Check, then emit the model; nothing is written unless the spec checks clean."""
    from .backends.plan import plan
    from .files import model_name
    from .writes import atomic_write, check_output_path, write_text

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
    result = check_path(args.path, args.input_shape)
    if not result.ok:
        print_diagnostics(result)
        return EXIT_PROBLEMS
    if result.diagnostics:  # warnings and notes: worth seeing, not worth stopping for
        print_diagnostics(result)
    from .open_input import not_buildable

    problem = not_buildable(result)
    if problem:
        raise UsageError(f"{printable(result.path)}: {problem}")
    name = model_name(result.path, args.name)
    if emit == "python":
        from .backends.python import emit_python

        source_name = "<stdin>" if result.path == "<stdin>" else os.path.basename(result.path)
        text = emit_python(plan(result, name), source_name)
    else:
        from .opaque import import_refused

        refused = import_refused(result, args.allow_import or ())
        if refused:
            raise UsageError(f"{printable(result.path)}: {refused}")
        check_memory(result)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        try:
            from .backends.keras import build_model, save_model
        except ImportError as error:
            raise UsageError(
                f"compile --emit {emit} needs Keras ({error}); "
                "install it with: pip install 'bilstm-dsl[keras]'"
            ) from None
        model = build_model(result, name, allow_import=args.allow_import or ())
        if emit == "keras":
            assert target is not None
            try:
                atomic_write(target, lambda tmp: save_model(model, tmp))
            except OSError as error:
                raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
            wrote(target, f" ({model.count_params():,} params)")
            return EXIT_OK
        text = model.to_json(indent=2) + "\n"
    if target is None or os.fspath(target) == "-":
        out(text)
    else:
        try:
            write_text(target, text)
        except OSError as error:
            raise OutputError(f"{target}: cannot write: {error.strerror or error}") from None
        wrote(target)
    return EXIT_OK


def wrote(target: os.PathLike[str], detail: str = "") -> None:
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
