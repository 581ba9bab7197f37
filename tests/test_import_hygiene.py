"""`check` and `summary` must not import TensorFlow or Keras: that is the point."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES

SCRIPT = """
import sys
from bilstm_dsl.cli import main
for argv in (
    ["check", {good!r}, {bad!r}],
    ["summary", {good!r}],
    ["summary", "--format", "json", {good!r}],
):
    main(argv)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "numpy"))
print("HEAVY:", heavy)
"""


def test_check_and_summary_import_only_lark_and_the_standard_library():
    script = SCRIPT.format(
        good=str(EXAMPLES / "stacked_lstm_bilstm.arch"),
        bad=str(EXAMPLES / "broken" / "missing_seq.arch"),
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY: []"


# -- the cold path: what each start imports (issue 15)
#
# A module imported at start-up is paid for by every run of the command. These lists are
# what each start needs beyond the console script's own `import re, sys`; a module that
# appears on one of them makes its test fail with the module that imported it, so that a
# new import on the cold path is a decision, not an accident. Measured with -X importtime.

ARGPARSE = {"argparse", "gettext", "locale", "_locale", "warnings"}
CHECKING = {"__future__", "errno", "bisect", "_bisect", "_json", "collections.abc", "gc", "math"}

STDLIB_ALLOWED = {
    "--version": {"__future__", "errno"},
    "--help": {"__future__", "errno"},  # the help is written without argparse
    "check": CHECKING | ARGPARSE,
    "check --format json": CHECKING | ARGPARSE,
    "summary": CHECKING | ARGPARSE,
}

MEASURED_ON = (3, 11)
"""The Python the lists above were read on; on another, only `HEAVY` is checked."""

HEAVY = {"typing", "dataclasses", "inspect", "ast", "dis", "tokenize", "json", "pathlib",
         "hashlib", "urllib", "urllib.parse", "ipaddress", "importlib.metadata", "tempfile",
         "threading", "shutil", "difflib", "contextlib", "asyncio", "zipfile", "lark"}  # fmt: skip
"""Modules that cost a millisecond or more and were once on the cold path; none may be,
whatever the Python."""

PACKAGE_AT_START = {"bilstm_dsl", "bilstm_dsl.cli", "bilstm_dsl.files", "bilstm_dsl.limits",
                    "bilstm_dsl.streams"}  # fmt: skip
"""All of the package that `--version` and `--help` load."""

NOT_FOR_CHECKING = (
    "bilstm_dsl.lalr",  # graph files only
    "bilstm_dsl.lark_tables",
    "bilstm_dsl.syntax_errors",  # text with a syntax error only
    "bilstm_dsl.catalogue",
    "bilstm_dsl.backends",
    "bilstm_dsl.costs",  # summary --batch-size only
    "bilstm_dsl.compile_command",
    "bilstm_dsl.fmt_command",
    "bilstm_dsl.writes",
    "bilstm_dsl.plugins",  # a name that is not built in only
    "bilstm_dsl.opaque",
    "bilstm_dsl.saved",  # a saved model's path only
    "bilstm_dsl.graph",
)


def imported(argv: list[str]) -> dict[str, str]:
    """Each module the command imports beyond ``import re, sys``, with the module that
    imported it (from -X importtime's nesting)."""

    def run(code: str) -> list[tuple[int, str]]:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        lines = []
        for line in proc.stderr.splitlines():
            if line.startswith("import time:") and not line.endswith("| package"):
                name = line.rsplit("|", 1)[1]
                lines.append(((len(name) - len(name.lstrip())) // 2, name.strip()))
        return lines

    base = {name for _, name in run("import re, sys")}
    lines = run(f"import re, sys; from bilstm_dsl.cli import main; main({argv!r})")
    found = {}
    for i, (depth, name) in enumerate(lines):  # a parent is listed after its children
        parent = next((n for d, n in lines[i + 1 :] if d < depth), "the command")
        if name not in base:
            found[name] = parent
    return found


BROKEN = str(EXAMPLES / "broken" / "missing_seq.arch")
COMMANDS = {
    "--version": ["--version"],
    "--help": ["--help"],
    "check": ["check", BROKEN],
    "check --format json": ["check", "--format", "json", BROKEN],
    "summary": ["summary", str(EXAMPLES / "stacked_lstm_bilstm.arch")],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_start_imports_only_what_its_command_needs(command):
    found = imported(COMMANDS[command])
    stdlib = {m: p for m, p in found.items() if not m.startswith(("bilstm_dsl", "lark"))}
    heavy = {m: p for m, p in found.items() if m in HEAVY or m.startswith("lark.")}
    assert not heavy, f"on the cold path of `{command}` (module: imported by): {heavy}"
    if sys.version_info[:2] == MEASURED_ON:  # another Python's modules import others
        new = {m: p for m, p in stdlib.items() if m not in STDLIB_ALLOWED[command]}
        assert not new, f"new on the cold path of `{command}` (module: imported by): {new}"
    package = {m: p for m, p in found.items() if m.startswith("bilstm_dsl")}
    if command in ("--version", "--help"):
        assert set(package) <= PACKAGE_AT_START, sorted(set(package) - PACKAGE_AT_START)
    else:
        loaded = {m: p for m, p in package.items() if m.startswith(NOT_FOR_CHECKING)}
        assert not loaded, f"`{command}` loads (module: imported by): {loaded}"
        assert "bilstm_dsl.checker" in package


def test_the_help_is_as_wide_as_argparse_would_make_it(monkeypatch):
    import argparse

    from bilstm_dsl.cli import build_parser

    for columns in ("37", "80", "131"):
        monkeypatch.setenv("COLUMNS", columns)
        ours = build_parser()._get_formatter()._width
        assert ours == argparse.HelpFormatter("bilstm-dsl")._width == int(columns) - 2
