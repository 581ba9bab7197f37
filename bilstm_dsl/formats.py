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
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .arch_text import LayerRef
from .catalogue import CATALOGUE, CodeInfo
from .checker import CheckResult
from .diagnostics import Diagnostic, printable
from .importer import CODES as IMPORT_CODES
from .saved_check import SavedResult

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

_RULE_INDEX = {code: index for index, code in enumerate([*CATALOGUE, *IMPORT_CODES])}


# -- SARIF


def sarif(results: Iterable[CheckResult], root: Path | None = None) -> dict[str, object]:
    """A SARIF 2.1.0 log of ``results``: paths relative to ``root`` (default: the current
    directory) under the ``%SRCROOT%`` base, as GitHub code scanning needs them."""
    base = _absolute(root if root is not None else Path.cwd())
    return _log(base, list(_results(results, base)))


def sarif_text(results: Iterable[CheckResult], root: Path | None = None) -> Iterator[str]:
    """The `sarif` log as JSON text, piece by piece: the envelope indented for people,
    then each result on a line of its own as it is made. A 2 MiB spec can hold 200,000
    diagnostics, and one ``json.dumps(indent=2)`` of them all took 11 s and 1.6 GB."""
    base = _absolute(root if root is not None else Path.cwd())
    head, _, tail = json.dumps(_log(base, []), indent=2).rpartition('"results": []')
    yield head + '"results": ['
    first = True
    for result in _results(results, base):
        yield ("\n" if first else ",\n") + " " * 8 + json.dumps(result)
        first = False
    yield ("]" if first else "\n      ]") + tail + "\n"


def _results(results: Iterable[CheckResult], base: Path) -> Iterator[dict[str, object]]:
    seen: dict[str, int] = {}
    for result in results:
        artifact, path = _artifact(result, base)
        if isinstance(result, SavedResult):
            for diag, layer in zip(result.diagnostics, result.locations):
                yield _saved_result(diag, layer, artifact, path, seen)
            continue
        fingerprint = _Fingerprints(result.source, path, seen)
        for diag in result.diagnostics:
            yield _sarif_result(diag, artifact, fingerprint)


def _log(base: Path, results: list[dict[str, object]]) -> dict[str, object]:
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
                        "rules": [_rule(info) for info in CATALOGUE.values()]
                        + [_import_rule(code, text) for code, text in IMPORT_CODES.items()],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(base)}},
                # Columns count characters (code points), as the checker's spans do.
                "columnKind": "unicodeCodePoints",
                "results": results,
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


def _import_rule(code: str, summary: str) -> dict[str, object]:
    """A rule for an import problem (I1xx): about a saved model, so its help points at the
    page that lists them rather than at an `.arch` example."""
    text = f"{_sentence(summary)}: `bilstm-dsl check` on a saved Keras model found it."
    return {
        "id": code,
        "name": rule_name(summary),
        "shortDescription": {"text": _sentence(summary)},
        "fullDescription": {"text": f"{code} (error): {summary}."},
        "help": {
            "text": f"{text} See docs/importing.md.",
            "markdown": f"**{code}** (error): {summary}. See `docs/importing.md`.",
        },
        "defaultConfiguration": {"level": "error"},
    }


def _saved_result(
    diag: Diagnostic,
    layer: LayerRef | None,
    artifact: dict[str, object],
    path: str,
    seen: dict[str, int],
) -> dict[str, object]:
    """A result in a saved model: the file, and the layer as a logical location (a model
    has no lines); fingerprinted by code, file and layer name."""
    out: dict[str, object] = {"ruleId": diag.code}
    if diag.code in _RULE_INDEX:
        out["ruleIndex"] = _RULE_INDEX[diag.code]
    out["level"] = diag.severity.value
    prefix = f"{layer}: " if layer is not None else ""
    out["message"] = {"text": prefix + _message(diag)}
    location: dict[str, object] = {"physicalLocation": {"artifactLocation": artifact}}
    if layer is not None:
        location["logicalLocations"] = [
            {"name": layer.name, "kind": "member", "decoratedName": str(layer)}
        ]
    out["locations"] = [location]
    name = layer.name if layer is not None else ""
    data = "\0".join((diag.code, path, name)).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(data).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    out["partialFingerprints"] = {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"}
    return out


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _example(example: str) -> str:
    """A catalogue example as printable text: lone surrogates stand for raw bytes (E007)
    and are shown as ``\\xff``; the megabyte-long limit examples are described."""
    text = example.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if len(text) > _EXAMPLE_LIMIT:
        text = f"{text[:60]}...  ({len(text):,} characters in all)"
    return text


def _artifact(result: CheckResult, base: Path) -> tuple[dict[str, object], str]:
    """Where a result's file is, as a SARIF artifact location, and the path its
    fingerprints hash."""
    if result.path == STDIN:
        # No file to point at: SARIF allows an artifact location without a URI.
        return {"description": {"text": "standard input"}}, result.path
    relative = _relative(result.path, base)
    if relative is None:  # outside the root: an absolute file URI is the honest answer
        return {"uri": _absolute(Path(result.path)).as_uri()}, result.path
    # A file name's undecodable bytes (lone surrogates here) are percent-encoded as the
    # bytes they are, which is what a URI holds.
    return {"uri": quote(os.fsencode(relative), safe="/"), "uriBaseId": SRCROOT}, relative


def _sarif_result(
    diag: Diagnostic, artifact: dict[str, object], fingerprint: _Fingerprints
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
    out: dict[str, object] = {"ruleId": diag.code}
    if diag.code in _RULE_INDEX:
        out["ruleIndex"] = _RULE_INDEX[diag.code]
    out["level"] = diag.severity.value
    out["message"] = {"text": _message(diag)}
    out["locations"] = [{"physicalLocation": {"artifactLocation": artifact, "region": region}}]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(diag)}
    return out


class _Fingerprints:
    """Fingerprints of one file's diagnostics: a hash of the code, the path and the text of
    the line (whitespace removed), so an alert keeps its identity when lines move; ``:N``
    tells repeats on equal lines apart. Each line is hashed once per code: a 2 MiB line
    can carry 100,000 diagnostics."""

    def __init__(self, source: str, path: str, seen: dict[str, int]) -> None:
        self.source = source
        self.path = path
        self.seen = seen
        self.digests: dict[tuple[str, int], str] = {}

    def __call__(self, diag: Diagnostic) -> str:
        span = diag.span
        key = (diag.code, span.line)
        digest = self.digests.get(key)
        if digest is None:
            source = self.source
            at = max(0, min(span.start, len(source)))
            stop = _LINE_BREAK.search(source, at)
            line = source[at - (span.column - 1) : stop.start() if stop else len(source)]
            text = "".join(line.split())
            data = "\0".join((diag.code, self.path, text)).encode("utf-8", "surrogatepass")
            digest = self.digests[key] = hashlib.sha256(data).hexdigest()[:32]
        seen = self.seen
        seen[digest] = seen.get(digest, 0) + 1
        return f"{digest}:{seen[digest]}"


_LINE_BREAK = re.compile(r"[\r\n]")


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
        if isinstance(result, SavedResult):
            for diag, layer in zip(result.diagnostics, result.locations):
                lines.append(_saved_command(diag, layer, path))
            continue
        for diag in result.diagnostics:
            lines.append(_command(diag, path))
    return "".join(line + "\n" for line in lines)


def _saved_command(diag: Diagnostic, layer: LayerRef | None, path: str | None) -> str:
    """An annotation on a saved model: on the file (it has no lines), the layer named in
    the message."""
    props = [("file", printable(path))] if path is not None else []
    props.append(("title", diag.code))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    command = _COMMANDS.get(diag.severity.value, "error")
    message = f"{printable(str(layer))}: " if layer is not None else ""
    return f"::{command} {joined}::{escape_data(_printable_lines(message + _message(diag)))}"


def _command(diag: Diagnostic, path: str | None) -> str:
    span = diag.span
    props: list[tuple[str, object]] = []
    if path is not None:
        props.append(("file", printable(path)))
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
    return f"::{command} {joined}::{escape_data(_printable_lines(_message(diag)))}"


def _printable_lines(text: str) -> str:
    """``text`` with escape sequences and other controls shown escaped, so a spec cannot
    drive the terminal of whoever reads the log; line breaks stay, `escape_data` encodes
    them as the runner expects."""
    return "".join(p if p in ("\r", "\n") else printable(p) for p in _BREAKS.split(text))


_BREAKS = re.compile(r"([\r\n])")
