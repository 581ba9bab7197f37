"""The syntax tree of an `.arch` file: small records, each with its source span.

The parser builds these; nothing here knows about layers or shapes. Treat them as
immutable: they are not declared ``frozen`` only because a frozen dataclass costs three
times as much to create, and a check creates dozens of nodes in a budget of microseconds.
"""

from __future__ import annotations

from .diagnostics import Span


class _Node:
    """Equality by type and fields, and a readable repr, as a dataclass would give. The
    classes below are written out rather than made with ``@dataclass``, which compiles
    three methods per class at every start (a millisecond per class on the cold path of
    `check`); written here, they are compiled once into the bytecode cache."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a non-frozen dataclass

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Int(_Node):
    __slots__ = ("value", "span")

    def __init__(self, value: int, span: Span) -> None:
        self.value = value
        self.span = span


class Float(_Node):
    __slots__ = ("value", "span")

    def __init__(self, value: float, span: Span) -> None:
        self.value = value
        self.span = span


class String(_Node):
    __slots__ = ("value", "span")

    def __init__(self, value: str, span: Span) -> None:
        self.value = value
        self.span = span


class Word(_Node):
    """A bare name used as a value: `relu`, `seq`, `true`, `none`, `concat`."""

    __slots__ = ("value", "span")

    def __init__(self, value: str, span: Span) -> None:
        self.value = value
        self.span = span

    @property
    def lower(self) -> str:
        return self.value.lower()


class Tuple(_Node):
    __slots__ = ("items", "span")

    def __init__(self, items: tuple[Value, ...], span: Span) -> None:
        self.items = items
        self.span = span


class List(_Node):
    __slots__ = ("items", "span")

    def __init__(self, items: tuple[Value, ...], span: Span) -> None:
        self.items = items
        self.span = span


class Arg(_Node):
    """One argument of a call: positional when ``key`` is None."""

    __slots__ = ("key", "key_span", "value", "span")

    def __init__(self, key: str | None, key_span: Span | None, value: Value, span: Span) -> None:
        self.key = key
        self.key_span = key_span
        self.value = value
        self.span = span


class Call(_Node):
    """``name(args...)``: a layer, the input, or a wrapper's inner layer."""

    __slots__ = ("name", "name_span", "args", "span")

    def __init__(self, name: str, name_span: Span, args: tuple[Arg, ...], span: Span) -> None:
        self.name = name
        self.name_span = name_span
        self.args = args
        self.span = span


class Stage(_Node):
    __slots__ = ("call", "assertion", "span")

    def __init__(self, call: Call, assertion: Value | None, span: Span) -> None:
        self.call = call
        self.assertion = assertion
        self.span = span


class Chain(_Node):
    __slots__ = ("stages", "span")

    def __init__(self, stages: tuple[Stage, ...], span: Span) -> None:
        self.stages = stages
        self.span = span


class Ref(_Node):
    """A tensor named by an earlier line: ``h``, or one of several outputs: ``dec[0]``.
    As a value (``initial_state=[h, c]``) a plain name is a `Word`; ``dec[0]`` is a Ref."""

    __slots__ = ("name", "index", "span")

    def __init__(self, name: str, index: int | None, span: Span) -> None:
        self.name = name
        self.index = index
        self.span = span


class Merge(_Node):
    """Several tensors fed to one layer: ``[a, b] -> concatenate()``."""

    __slots__ = ("refs", "span")

    def __init__(self, refs: tuple[Ref, ...], span: Span) -> None:
        self.refs = refs
        self.span = span


class Use(_Node):
    """A step that applies a layer defined on an earlier line: ``-> shared`` (its weights are
    shared by every use)."""

    __slots__ = ("name", "span")

    def __init__(self, name: str, span: Span) -> None:
        self.name = name
        self.span = span


class Step(_Node):
    """One arrow's target in a graph file: a call, or a defined layer used by name."""

    __slots__ = ("layer", "assertion", "span")

    def __init__(self, layer: Call | Use, assertion: Value | None, span: Span) -> None:
        self.layer = layer
        self.assertion = assertion
        self.span = span


class Flow(_Node):
    """``source -> step -> step`` on one statement. The source is a call (``input(...)``,
    or a layer being defined), one tensor (`Ref`) or several (`Merge`)."""

    __slots__ = ("source", "source_assertion", "steps", "span")

    def __init__(
        self,
        source: Call | Ref | Merge,
        source_assertion: Value | None,
        steps: tuple[Step, ...],
        span: Span,
    ) -> None:
        self.source = source
        self.source_assertion = source_assertion
        self.steps = steps
        self.span = span


class Target(_Node):
    __slots__ = ("name", "span")

    def __init__(self, name: str, span: Span) -> None:
        self.name = name
        self.span = span


class Statement(_Node):
    """``a, b = flow``, or a flow alone (the model's output, or ``model(...)``)."""

    __slots__ = ("targets", "flow", "span")

    def __init__(self, targets: tuple[Target, ...], flow: Flow, span: Span) -> None:
        self.targets = targets
        self.flow = flow
        self.span = span


class Program(_Node):
    """A graph file: statements in order. A file that is one plain chain parses as a
    `Chain` instead, checked exactly as before graphs existed."""

    __slots__ = ("statements", "span")

    def __init__(self, statements: tuple[Statement, ...], span: Span) -> None:
        self.statements = statements
        self.span = span


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
