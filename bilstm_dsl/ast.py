"""The syntax tree of an `.arch` file: small frozen dataclasses, each with its source span.

The parser builds these; nothing here knows about layers or shapes. Values keep the text
they were written with, so the checker can say exactly what it saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Span


@dataclass(frozen=True, slots=True)
class Int:
    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class Float:
    value: float
    span: Span


@dataclass(frozen=True, slots=True)
class String:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Word:
    """A bare name used as a value: `relu`, `seq`, `true`, `none`, `concat`."""

    value: str
    span: Span

    @property
    def lower(self) -> str:
        return self.value.lower()


@dataclass(frozen=True, slots=True)
class Tuple:
    items: tuple[Value, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class List:
    items: tuple[Value, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a call: positional when ``key`` is None."""

    key: str | None
    key_span: Span | None
    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """``name(args...)``: a layer, the input, or a wrapper's inner layer."""

    name: str
    name_span: Span
    args: tuple[Arg, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Stage:
    call: Call
    assertion: Value | None
    span: Span


@dataclass(frozen=True, slots=True)
class Chain:
    stages: tuple[Stage, ...]
    span: Span


Value = Int | Float | String | Word | Tuple | List | Call


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
    }[type(value)]
