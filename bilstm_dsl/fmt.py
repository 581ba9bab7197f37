"""`bilstm-dsl fmt`: one canonical layout for `.arch` files.

The layout is built from the parsed AST, so formatting can only move whitespace: every
literal is copied from the source as written (numbers, strings, names and short forms
keep their spelling), and comments are kept where they were:

- a chain written on one line stays on one line while it fits in 100 columns; a chain
  written over several lines (or too long for one) gets one stage per line, each after
  ``  -> ``;
- inside a call: ``name(a, b, key=value)``; tuples ``(3, 3)`` and ``(3,)``; a shape
  assertion is `` : (20, 64)``;
- a comment after a stage stays on its line (two spaces before ``#``); comment lines stay
  on their own lines; runs of blank lines shrink to one.

A stage with a comment inside its brackets is copied verbatim: there is no canonical place
for such a comment, and moving it could attach it to another argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import ast
from .parser import parse

WIDTH = 100
_COMMENT = re.compile(r"#[^\n]*")


@dataclass(frozen=True)
class Formatted:
    text: str | None
    """The formatted text, or None when the file does not parse."""
    diagnostics: tuple


def _value(node: ast.Value, source: str) -> str:
    if isinstance(node, ast.Call):
        return _call(node, source)
    if isinstance(node, ast.Tuple):
        inner = ", ".join(_value(v, source) for v in node.items)
        return f"({inner},)" if len(node.items) == 1 else f"({inner})"
    if isinstance(node, ast.List):
        return "[" + ", ".join(_value(v, source) for v in node.items) + "]"
    return source[node.span.start : node.span.end]


def _call(call: ast.Call, source: str) -> str:
    args = []
    for arg in call.args:
        value = _value(arg.value, source)
        args.append(value if arg.key is None else f"{arg.key}={value}")
    return f"{call.name}({', '.join(args)})"


def _comments(source: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every comment, found by the lexer's own rule: outside strings."""
    found = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == '"':
            j = i + 1
            while j < n and source[j] not in '"\n':
                j += 2 if source[j] == "\\" else 1
            i = j + 1
        elif ch == "#":
            m = _COMMENT.match(source, i)
            assert m is not None
            found.append((i, m.end(), m.group().rstrip()))
            i = m.end()
        else:
            i += 1
    return found


def _line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset)


def format_source(source: str) -> Formatted:
    """Format ``source``; a file that does not parse is returned as None with its syntax
    diagnostics (formatting never guesses)."""
    parsed = parse(source)
    if parsed.diagnostics:
        return Formatted(None, parsed.diagnostics)
    comments = _comments(source)
    if parsed.chain is None:
        body: list[str] = []
        previous_end = 0
        for start, _, text in comments:
            _blank_line_if(body, source, previous_end, start)
            body.append(text)
            previous_end = start + len(text)
        return Formatted(("\n".join(body) + "\n") if body else "", ())
    stages = parsed.chain.stages
    rendered = []
    for stage in stages:
        inside = [c for c in comments if stage.span.start < c[0] < stage.span.end]
        if inside:
            text = source[stage.span.start : stage.span.end]
        else:
            text = _call(stage.call, source)
            if stage.assertion is not None:
                text += " : " + _value(stage.assertion, source)
        rendered.append(text)
    outside = [c for c in comments if not any(s.span.start < c[0] < s.span.end for s in stages)]
    chain_start, chain_end = stages[0].span.start, stages[-1].span.end
    between = [c for c in outside if chain_start < c[0] < chain_end]
    multiline = "\n" in source[chain_start:chain_end] or any("\n" in r for r in rendered)
    one_line = " -> ".join(rendered)
    lines: list[str] = []
    previous_end = 0
    # Comments (and blank lines) before the chain.
    for start, _, text in (c for c in outside if c[0] < chain_start):
        _blank_line_if(lines, source, previous_end, start)
        lines.append(text)
        previous_end = start + len(text)
    _blank_line_if(lines, source, previous_end, chain_start)
    if not multiline and not between and len(one_line) <= WIDTH:
        trailing = [c for c in outside if c[0] > chain_end]
        same_line = [c for c in trailing if _line_of(source, c[0]) == _line_of(source, chain_end)]
        lines.append(one_line + ("  " + same_line[0][2] if same_line else ""))
        previous_end = same_line[0][1] if same_line else chain_end
        rest = [c for c in trailing if c not in same_line]
    else:
        previous_end = chain_start
        for i, (stage, text) in enumerate(zip(stages, rendered)):
            own = [c for c in between if previous_end <= c[0] < stage.span.start]
            for start, _, comment in own:
                if _line_of(source, start) == _line_of(source, previous_end) and i and lines:
                    lines[-1] += "  " + comment  # a trailing comment of the stage before
                else:
                    _blank_line_if(lines, source, previous_end, start)
                    lines.append(("  " if i else "") + comment)
                previous_end = start + len(comment)
            if own:
                _blank_line_if(lines, source, previous_end, stage.span.start)
            prefix = "  -> " if i else ""
            lines.append(prefix + text)
            previous_end = stage.span.end
        rest = [c for c in outside if c[0] > chain_end]
    for start, _, text in rest:
        if _line_of(source, start) == _line_of(source, previous_end) and lines:
            lines[-1] += "  " + text
        else:
            _blank_line_if(lines, source, previous_end, start)
            lines.append(text)
        previous_end = start + len(text)
    return Formatted("\n".join(lines) + "\n", ())


_BLANK = re.compile(r"\n[ \t\r]*\n")


def _blank_line_if(lines: list[str], source: str, start: int, end: int) -> None:
    """Keep one blank line where the source had at least one between two items."""
    if lines and lines[-1] != "" and _BLANK.search(source, start, max(start, end)):
        lines.append("")
