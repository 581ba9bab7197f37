"""`bilstm-dsl fmt`: one canonical layout for `.arch` files.

The layout is built from the parsed AST, so formatting can only move whitespace: every
literal is copied from the source as written (numbers, strings, names and short forms
keep their spelling), and comments are kept where they were:

- a chain written on one line stays on one line while it fits in 100 columns; a chain
  written over several lines (or too long for one) gets one stage per line, each after
  ``  -> ``; a graph's statements are laid out the same way, one after another, after
  their names (``_, h, c = x -> lstm(8, state)``);
- inside a call: ``name(a, b, key=value)``; tuples ``(3, 3)`` and ``(3,)``; a shape
  assertion is `` : (20, 64)``;
- a comment after a stage stays on its line (two spaces before ``#``), even one written
  against it (``dense(1)# note``); comment lines stay on their own lines; runs of blank
  lines shrink to one;
- line ends keep the file's style: the first line end in the file (``\\n``, ``\\r\\n`` or a
  lone ``\\r``) is used throughout, ``\\n`` in a file without one (as ``ruff format`` does
  by default);
- a UTF-8 byte order mark at the start of the text is kept (`check` accepts one).

A stage with a comment inside its brackets is copied verbatim (line ends aside): there is
no canonical place for such a comment, and moving it could attach it to another argument.

Formatting takes time linear in the length of the file: one lexer scan finds the comments,
and one walk in source order places them among the stages.
"""

from __future__ import annotations

import re

from . import ast, lexer
from .diagnostics import LINE_END
from .parser import parse
from .records import Record
from .shapes import tuple_text

WIDTH = 100
BOM = "\ufeff"

_BLANK = re.compile(f"(?:{LINE_END.pattern})[ \t]*(?:{LINE_END.pattern})")
"""A blank line: two line ends with nothing but spaces between them."""


class Formatted(Record):
    __slots__ = ("text", "diagnostics")

    def __init__(self, text: str | None, diagnostics: tuple) -> None:
        self.text = text
        """The formatted text, or None when the file does not parse."""
        self.diagnostics = diagnostics


def _value(node: ast.Value, source: str) -> str:
    if isinstance(node, ast.Call):
        return _call(node, source)
    if isinstance(node, ast.Tuple):
        return tuple_text([_value(v, source) for v in node.items])
    if isinstance(node, ast.List):
        return "[" + ", ".join(_value(v, source) for v in node.items) + "]"
    return source[node.span.start : node.span.end]


def _call(call: ast.Call, source: str) -> str:
    args = []
    for arg in call.args:
        value = _value(arg.value, source)
        args.append(value if arg.key is None else f"{arg.key}={value}")
    return f"{call.name}({', '.join(args)})"


def format_source(source: str) -> Formatted:
    """Format ``source``; a file that does not parse is returned as None with its syntax
    diagnostics (formatting never guesses). A leading byte order mark is kept; the
    diagnostics' positions are those `check` gives, which skips it."""
    bom = BOM if source.startswith(BOM) else ""
    text = source[len(bom) :]
    parsed = parse(text)
    if parsed.diagnostics:
        return Formatted(None, parsed.diagnostics)
    out = _Layout(text)
    if parsed.program is not None:
        for statement in parsed.program.statements:
            out.statement(statement)
        out.comments(len(text))
    elif parsed.chain is None:
        if lexer.significant()(text, 0).lastgroup is not None:
            # Code the parser accepted as neither a chain nor statements: laying out only
            # the comments would delete it, so it is left as written.
            return Formatted(source, ())
        out.comments(len(text))
    else:
        out.chain(parsed.chain.stages)
    lines, newline = out.lines, out.newline
    return Formatted(bom + (newline.join(lines) + newline if lines else ""), ())


class _Layout:
    """The output lines, written in source order; ``end`` is where the last item written
    ends in the source, to tell whether the next one shares its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        first = LINE_END.search(source)
        self.newline = first.group() if first else "\n"
        self.lines: list[str] = []
        self.end = 0
        self.comment = lexer.pattern("COMMENT")

    def blank_line_if(self, start: int) -> None:
        """Keep one blank line where the source had at least one before ``start``."""
        lines = self.lines
        if lines and lines[-1] != "" and _BLANK.search(self.source, self.end, max(self.end, start)):
            lines.append("")

    def comments(self, until: int, indent: str = "") -> bool:
        """Write the comments between the last item written and ``until``; whether there
        were any. That stretch lies outside every stage: only whitespace, arrows and
        comments, so each ``#`` there starts a comment, and the grammar's own COMMENT
        pattern finds them. A comment on the line of the item before follows it; any other
        starts a line, after a blank line where the source had one."""
        stretch = self.source[self.end : until]
        texts = self.comment.findall(stretch)
        if not texts:
            return False
        gaps = self.comment.split(stretch)  # around the comments: len(texts) + 1
        lines, first = self.lines, texts[0].rstrip()
        if lines and not LINE_END.search(gaps[0]):
            lines[-1] += "  " + first
        else:
            if lines and lines[-1] and _BLANK.search(gaps[0]):
                lines.append("")
            lines.append(indent + first)
        # Each later comment starts a line: a comment runs to the end of its line.
        blank, append = _BLANK.search, lines.append
        for gap, text in zip(gaps[1:], texts[1:]):
            if blank(gap):
                append("")
            append(indent + text.rstrip())
        self.end = until - len(gaps[-1]) - len(texts[-1]) + len(texts[-1].rstrip())
        return True

    def render(self, start: int, end: int, written: str) -> str:
        """``written``, unless the source has a comment in ``[start, end)``: then that
        stretch as it is (line ends aside), as there is no canonical place for it."""
        source = self.source
        if source.find("#", start, end) >= 0 and any(lexer.scan(source[start:end], ("COMMENT",))):
            return LINE_END.sub(self.newline, source[start:end])
        return written

    def chain(self, stages: tuple[ast.Stage, ...]) -> None:
        items = []
        for stage in stages:
            text = _call(stage.call, self.source)
            if stage.assertion is not None:
                text += " : " + _value(stage.assertion, self.source)
            items.append((stage.span.start, stage.span.end, text))
        self.flow(items, "")
        self.comments(len(self.source))

    def statement(self, statement: ast.Statement) -> None:
        """``a, b = source -> step -> ...`` laid out as a chain is, after its names."""
        source, flow = self.source, statement.flow
        head = flow.source
        if isinstance(head, ast.Call):
            text = _call(head, source)
        elif isinstance(head, ast.Merge):
            text = "[" + ", ".join(source[r.span.start : r.span.end] for r in head.refs) + "]"
        else:
            text = source[head.span.start : head.span.end]
        end = head.span.end
        if flow.source_assertion is not None:
            text += " : " + _value(flow.source_assertion, source)
            end = flow.source_assertion.span.end
        items = [(head.span.start, end, text)]
        for step in flow.steps:
            layer = step.layer
            text = _call(layer, source) if isinstance(layer, ast.Call) else layer.name
            if step.assertion is not None:
                text += " : " + _value(step.assertion, source)
            items.append((step.span.start, step.span.end, text))
        prefix = ", ".join(t.name for t in statement.targets)
        self.flow(items, prefix + " = " if prefix else "", statement.span.start)

    def flow(
        self, items: list[tuple[int, int, str]], prefix: str, start: int | None = None
    ) -> None:
        """Items joined by ``->``: on one line when the source had them on one line and
        it fits, else one per line after ``  -> ``; comments kept where they were."""
        source, lines = self.source, self.lines
        rendered = [self.render(a, b, text) for a, b, text in items]
        flow_start = items[0][0] if start is None else start
        flow_end = items[-1][1]
        self.comments(flow_start)
        self.blank_line_if(flow_start)
        one_line = prefix + " -> ".join(rendered)
        if (
            len(one_line) <= WIDTH
            and not LINE_END.search(source, flow_start, flow_end)
            and not any(
                self.comment.search(source, before[1], after[0])
                for before, after in zip(items, items[1:])
            )
        ):
            lines.append(one_line)
        else:
            for i, ((item_start, item_end, _), text) in enumerate(zip(items, rendered)):
                if i and self.comments(item_start, "  "):
                    self.blank_line_if(item_start)
                lines.append(("  -> " if i else prefix) + text)
                self.end = item_end
        self.end = flow_end
