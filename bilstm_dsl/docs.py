"""The diagnostics reference (docs/diagnostics.md), generated from the catalogue so the
two cannot disagree: every code with its summary, its example and what the checker prints.
``python -m bilstm_dsl.docs > docs/diagnostics.md`` regenerates it; a test compares."""

from __future__ import annotations

from .checker import check_bytes
from .diagnostics import CATALOGUE, render

_FAMILIES = [
    ("E0", "The text itself"),
    ("E1", "Names and arguments"),
    ("E2", "Shapes"),
    ("W3", "Performance"),
    ("N4", "Notes"),
    ("W5", "Where Keras silently surprises"),
]


def example_bytes(example: str) -> bytes:
    """Catalogue examples are text; lone surrogates stand for raw bytes (E007)."""
    return example.encode("utf-8", "surrogateescape")


def diagnostics_markdown() -> str:
    out = [
        "# Diagnostics",
        "",
        "Every diagnostic `bilstm-dsl check` can report. Codes are stable and never reused;",
        "`E` codes are errors (exit 1), `W` warnings and `N` notes (exit 0). This page is",
        "generated from `bilstm_dsl/diagnostics.py` by `python -m bilstm_dsl.docs`.",
        "",
    ]
    for prefix, title in _FAMILIES:
        out += [f"## {title}", ""]
        for code, info in CATALOGUE.items():
            if not code.startswith(prefix):
                continue
            data = example_bytes(info.example)
            result = check_bytes(data, "example.arch")
            shown = "\n\n".join(
                render(d, result.source, "example.arch")
                for d in result.diagnostics
                if d.code == code
            )
            source = data.decode("utf-8", "backslashreplace")
            if len(source) > 200:  # the limit examples: describe them, do not print them
                source = f"{source[:60]}...  ({len(source):,} characters in all)"
            out += [
                f"### {code}: {info.summary}",
                "",
                f"Severity: {info.severity}.",
                "",
                "```arch",
                source,
                "```",
                "",
                "```text",
                shown,
                "```",
                "",
            ]
    return "\n".join(out)


if __name__ == "__main__":
    print(diagnostics_markdown(), end="")
