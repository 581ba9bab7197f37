"""The syntax tree of an `.arch` file: small dataclasses, each with its source span.

The parser builds these; nothing here knows about layers or shapes. Treat them as
immutable: they are not declared ``frozen`` only because a frozen dataclass costs three
times as much to create, and a check creates dozens of nodes in a budget of microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Span


@dataclass(slots=True)
class Int:
    value: int
    span: Span


@dataclass(slots=True)
class Float:
    value: float
    span: Span


@dataclass(slots=True)
class String:
    value: str
    span: Span


@dataclass(slots=True)
class Word:
    """A bare name used as a value: `relu`, `seq`, `true`, `none`, `concat`."""

    value: str
    span: Span

    @property
    def lower(self) -> str:
        return self.value.lower()


@dataclass(slots=True)
class Tuple:
    items: tuple[Value, ...]
    span: Span


@dataclass(slots=True)
class List:
    items: tuple[Value, ...]
    span: Span


@dataclass(slots=True)
class Arg:
    """One argument of a call: positional when ``key`` is None."""

    key: str | None
    key_span: Span | None
    value: Value
    span: Span


@dataclass(slots=True)
class Call:
    """``name(args...)``: a layer, the input, or a wrapper's inner layer."""

    name: str
    name_span: Span
    args: tuple[Arg, ...]
    span: Span


@dataclass(slots=True)
class Stage:
    call: Call
    assertion: Value | None
    span: Span


@dataclass(slots=True)
class Chain:
    stages: tuple[Stage, ...]
    span: Span


@dataclass(slots=True)
class Ref:
    """A tensor named by an earlier line: ``h``, or one of several outputs: ``dec[0]``.
    As a value (``initial_state=[h, c]``) a plain name is a `Word`; ``dec[0]`` is a Ref."""

    name: str
    index: int | None
    span: Span


@dataclass(slots=True)
class Merge:
    """Several tensors fed to one layer: ``[a, b] -> concatenate()``."""

    refs: tuple[Ref, ...]
    span: Span


@dataclass(slots=True)
class Use:
    """A step that applies a layer defined on an earlier line: ``-> shared`` (its weights are
    shared by every use)."""

    name: str
    span: Span


@dataclass(slots=True)
class Step:
    """One arrow's target in a graph file: a call, or a defined layer used by name."""

    layer: Call | Use
    assertion: Value | None
    span: Span


@dataclass(slots=True)
class Flow:
    """``source -> step -> step`` on one statement. The source is a call (``input(...)``,
    or a layer being defined), one tensor (`Ref`) or several (`Merge`)."""

    source: Call | Ref | Merge
    source_assertion: Value | None
    steps: tuple[Step, ...]
    span: Span


@dataclass(slots=True)
class Target:
    name: str
    span: Span


@dataclass(slots=True)
class Statement:
    """``a, b = flow``, or a flow alone (the model's output, or ``model(...)``)."""

    targets: tuple[Target, ...]
    flow: Flow
    span: Span


@dataclass(slots=True)
class Program:
    """A graph file: statements in order. A file that is one plain chain parses as a
    `Chain` instead, checked exactly as before graphs existed."""

    statements: tuple[Statement, ...]
    span: Span


Value = Int | Float | String | Word | Tuple | List | Call | Ref


def describe(value: Value) -> str:
    """How a value reads in a message: `an integer`, `a string`, ..."""
    return {
        Int: "an integer",
        Float: "a number",
        String: "a string",
        Word: "a name",
        Tuple: "a tuple",
        List: "a list",
        Call: "a layer",
        Ref: "a tensor",
    }[type(value)]
