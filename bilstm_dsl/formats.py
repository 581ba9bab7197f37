"""Machine-readable reports of `bilstm-dsl check` for CI: SARIF and GitHub Actions.

- `sarif` builds a SARIF 2.1.0 log, the format GitHub code scanning ingests
  (``github/codeql-action/upload-sarif``): one rule per catalogue code, one result per
  diagnostic, paths relative to the repository root.
- `github` writes GitHub Actions workflow commands (``::error file=...::message``), which
  the runner turns into annotations on the pull request's diff.

Both use only the standard library, like the rest of the checking path.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .checker import CheckResult
from .diagnostics import CATALOGUE, CodeInfo, Diagnostic

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "bilstm-dsl"
INFORMATION_URI = "https://pypi.org/project/bilstm-dsl/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "bilstmDslLineHash/v1"
STDIN = "<stdin>"

_EXAMPLE_LIMIT = 200
"""Catalogue examples longer than this (the size limits, E011 and E012, run to megabytes)
are described rather than copied into every log."""

_RULE_INDEX = {code: index for index, code in enumerate(CATALOGUE)}


# -- SARIF


def sarif(results: Iterable[CheckResult], root: Path | None = None) -> dict[str, object]:
    """A SARIF 2.1.0 log of ``results``: paths relative to ``root`` (default: the current
    directory) under the ``%SRCROOT%`` base, as GitHub code scanning needs them."""
    base = _absolute(root if root is not None else Path.cwd())
    seen: dict[str, int] = {}
    sarif_results = [
        _sarif_result(diag, result, base, seen) for result in results for diag in result.diagnostics
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(info) for info in CATALOGUE.values()],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(base)}},
                # Columns count characters (code points), as the checker's spans do.
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
            }
        ],
    }


def rule_name(summary: str) -> str:
    """A PascalCase rule name from a catalogue summary: "a value of the wrong type" ->
    ``ValueOfTheWrongType`` (a leading article is dropped, punctuation and backticks too)."""
    words = re.findall(r"[A-Za-z0-9]+", summary.replace("'", ""))
    if len(words) > 1 and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    return "".join(word[:1].upper() + word[1:] for word in words)


def _rule(info: CodeInfo) -> dict[str, object]:
    example = _example(info.example)
    summary = _sentence(info.summary)
    indented = "\n".join("    " + line for line in example.split("\n"))
    return {
        "id": info.code,
        "name": rule_name(info.summary),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": f"{info.code} ({info.severity}): {info.summary}."},
        "help": {
            "text": f"{summary}.\n\nAn example that reports {info.code}:\n\n{indented}\n",
            "markdown": (
                f"**{info.code}** ({info.severity}): {info.summary}.\n\n"
                f"An example that reports {info.code}:\n\n```arch\n{example}\n```\n"
            ),
        },
        "defaultConfiguration": {"level": info.severity.value},
    }


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _example(example: str) -> str:
    """A catalogue example as printable text: lone surrogates stand for raw bytes (E007)
    and are shown as ``\\xff``; the megabyte-long limit examples are described."""
    text = example.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if len(text) > _EXAMPLE_LIMIT:
        text = f"{text[:60]}...  ({len(text):,} characters in all)"
    return text


def _sarif_result(
    diag: Diagnostic, result: CheckResult, base: Path, seen: dict[str, int]
) -> dict[str, object]:
    span = diag.span
    region: dict[str, int] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        # Both SARIF and the checker count 1-based columns and end one past the last
        # character ("the column number of the character following the end of the region").
        "endColumn": span.end_column,
    }
    relative = None if result.path == STDIN else _relative(result.path, base)
    artifact: dict[str, object]
    if result.path == STDIN:
        # No file to point at: SARIF allows an artifact location without a URI.
        artifact = {"description": {"text": "standard input"}}
    elif relative is not None:
        artifact = {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
    else:  # outside the root: an absolute file URI is the honest answer
        artifact = {"uri": _absolute(Path(result.path)).as_uri()}
    out: dict[str, object] = {"ruleId": diag.code}
    if diag.code in _RULE_INDEX:
        out["ruleIndex"] = _RULE_INDEX[diag.code]
    out["level"] = diag.severity.value
    out["message"] = {"text": _message(diag)}
    out["locations"] = [{"physicalLocation": {"artifactLocation": artifact, "region": region}}]
    out["partialFingerprints"] = {
        FINGERPRINT_KEY: _fingerprint(diag, result, relative or result.path, seen)
    }
    return out


def _fingerprint(diag: Diagnostic, result: CheckResult, path: str, seen: dict[str, int]) -> str:
    """A hash of the code, the path and the text of the line (whitespace removed), so an
    alert keeps its identity when lines move; ``:N`` tells repeats on equal lines apart."""
    lines = result.source.split("\n")
    line = lines[diag.span.line - 1] if 1 <= diag.span.line <= len(lines) else ""
    text = "".join(line.split())
    key = "\0".join((diag.code, path, text)).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(key).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _message(diag: Diagnostic) -> str:
    return diag.message + (f"\nhelp: {diag.help}" if diag.help else "")


# -- paths


def _directory_uri(path: Path) -> str:
    uri = path.as_uri()
    return uri if uri.endswith("/") else uri + "/"  # a base URI must end with a slash


def _absolute(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def _relative(path: str, base: Path) -> str | None:
    """``path`` (as given on the command line) relative to ``base``, with forward slashes;
    None when it lies outside ``base``."""
    absolute = _absolute(Path(path))
    real = (Path(os.path.realpath(absolute)), Path(os.path.realpath(base)))
    for candidate, root in ((absolute, base), real):  # a symlinked root, e.g. macOS /tmp
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    return None


# -- GitHub Actions workflow commands

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Escape the message of a workflow command, as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (``:`` and ``,`` too)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(results: Iterable[CheckResult], root: Path | None = None) -> str:
    """One GitHub Actions workflow command per diagnostic (``::error``, ``::warning`` or
    ``::notice``), each on its own line; the empty string when there is nothing to say."""
    base = _absolute(root if root is not None else Path.cwd())
    lines = []
    for result in results:
        path = None if result.path == STDIN else _relative(result.path, base)
        if path is None and result.path != STDIN:
            path = result.path.replace(os.sep, "/")
        for diag in result.diagnostics:
            lines.append(_command(diag, path))
    return "".join(line + "\n" for line in lines)


def _command(diag: Diagnostic, path: str | None) -> str:
    span = diag.span
    props: list[tuple[str, object]] = []
    if path is not None:
        props.append(("file", path))
    props.append(("line", span.line))
    if span.end_line == span.line:
        # GitHub takes columns only within one line; endColumn is exclusive, as ours.
        props.append(("col", span.column))
        if span.end_column > span.column:
            props += [("endLine", span.end_line), ("endColumn", span.end_column)]
    else:
        props.append(("endLine", span.end_line))
    props.append(("title", diag.code))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    command = _COMMANDS.get(diag.severity.value, "error")
    return f"::{command} {joined}::{escape_data(_message(diag))}"
