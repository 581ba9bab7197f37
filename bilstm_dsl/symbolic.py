"""Sizes not known yet: the dims of an open input (a chain written without `input(...)`,
whose features are ``F``) and the dims a user names (``input(T, 8)``).

A `Sym` is a polynomial with integer coefficients over named sizes: ``F``, ``128*F +
4224``, ``T*F``. The shape rules compute with it as with an int (sums and products of
sizes and weight counts), so a parameter count that depends on the input comes out as its
formula. What a polynomial cannot answer for every value of its names (is ``F`` equal to
8? is ``T - 2`` positive? what is ``F // 3``?) raises `Undecided`, a `ShapeError` the
checker reports as note N403: the model's validity there depends on the size, and
checking stops at that stage until the input is written out.
"""

from __future__ import annotations

from collections.abc import Iterable

from .shapes import ShapeError

Monomial = tuple[str, ...]
"""The names multiplied in one term, sorted, repeated for powers; ``()`` for the constant."""


class Undecided(ShapeError):
    """A question about a symbolic size whose answer depends on its value."""

    def __init__(self, question: str) -> None:
        super().__init__("N403", question)


class Deciding:
    """Whether comparisons are questions the checker must answer (`checker.check` sets it
    while it runs): then ``F == 8`` raises `Undecided`. Elsewhere (drawing, hover, a
    summary) a name is simply not equal to a number."""

    on = False


class Sym:
    """A polynomial over named sizes, immutable. Build one with `Sym.named` and arithmetic;
    an operation whose result has no names gives a plain int back."""

    __slots__ = ("terms", "_hash")

    def __init__(self, terms: dict[Monomial, int]) -> None:
        self.terms = {m: c for m, c in terms.items() if c}
        self._hash: int | None = None

    @classmethod
    def named(cls, name: str) -> Sym:
        return cls({(name,): 1})

    @staticmethod
    def make(terms: dict[Monomial, int]) -> int | Sym:
        """The polynomial, or its int when no name is left in it."""
        terms = {m: c for m, c in terms.items() if c}
        if all(m == () for m in terms):
            return terms.get((), 0)
        return Sym(terms)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(n for m in self.terms for n in m)

    # -- arithmetic

    def __add__(self, other: object) -> int | Sym:
        if isinstance(other, int):
            other = Sym({(): other})
        if not isinstance(other, Sym):
            return NotImplemented
        terms = dict(self.terms)
        for m, c in other.terms.items():
            terms[m] = terms.get(m, 0) + c
        return Sym.make(terms)

    __radd__ = __add__

    def __neg__(self) -> Sym:
        return Sym({m: -c for m, c in self.terms.items()})

    def __sub__(self, other: object) -> int | Sym:
        if not isinstance(other, int | Sym):
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other: object) -> int | Sym:
        if not isinstance(other, int):
            return NotImplemented
        return (-self) + other

    def __mul__(self, other: object) -> int | Sym:
        if isinstance(other, bool):
            other = int(other)
        if isinstance(other, int):
            return Sym.make({m: c * other for m, c in self.terms.items()})
        if not isinstance(other, Sym):
            return NotImplemented
        terms: dict[Monomial, int] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                m = tuple(sorted(m1 + m2))
                terms[m] = terms.get(m, 0) + c1 * c2
        return Sym.make(terms)

    __rmul__ = __mul__

    def __floordiv__(self, other: object) -> int | Sym:
        if isinstance(other, int) and other and all(c % other == 0 for c in self.terms.values()):
            return Sym.make({m: c // other for m, c in self.terms.items()})
        raise Undecided(f"{_grouped(self)} // {other} depends on {_names(self)}")

    def __rfloordiv__(self, other: object) -> int | Sym:
        raise Undecided(f"{other} // {self} depends on {_names(self)}")

    def __mod__(self, other: object) -> int:
        if isinstance(other, int) and other and all(c % other == 0 for c in self.terms.values()):
            return 0
        raise Undecided(f"{_grouped(self)} % {other} depends on {_names(self)}")

    def __rmod__(self, other: object) -> int:
        raise Undecided(f"{other} % {self} depends on {_names(self)}")

    # -- questions

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sym):
            if self.terms == other.terms:
                return True
            difference = self - other
            if isinstance(difference, int) or not Deciding.on:
                return False
            raise Undecided(f"whether {self} equals {other} depends on {_names(difference)}")
        if isinstance(other, int) and not isinstance(other, bool) and Deciding.on:
            raise Undecided(f"whether {self} equals {other} depends on {_names(self)}")
        return False  # None, a string: never a size; a number, outside a check

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self.terms.items()))
        return self._hash

    def _order(self, other: object, op: str) -> bool:
        raise Undecided(f"whether {self} {op} {other} depends on {_names(self)}")

    def __lt__(self, other: object) -> bool:
        return self._order(other, "<")

    def __le__(self, other: object) -> bool:
        return self._order(other, "<=")

    def __gt__(self, other: object) -> bool:
        return self._order(other, ">")

    def __ge__(self, other: object) -> bool:
        return self._order(other, ">=")

    def __bool__(self) -> bool:
        raise Undecided(f"whether {self} is zero depends on {_names(self)}")

    def __index__(self) -> int:
        raise Undecided(f"{self} has no value until {_names(self)} is known")

    __int__ = __index__

    # -- values and text

    def at(self, values: dict[str, int]) -> int | Sym:
        """The polynomial with ``values`` put in for its names (those not given stay)."""
        total: int | Sym = 0
        for m, c in self.terms.items():
            term: int | Sym = c
            for name in m:
                term = term * (values[name] if name in values else Sym.named(name))
            total = total + term
        return total

    def __format__(self, spec: str) -> str:
        """``128*F + 4,224`` for ``format(p, ",")``: the spec applies to each coefficient."""
        ordered = sorted(self.terms.items(), key=lambda t: (-len(t[0]), t[0]))
        text = ""
        for m, c in ordered:
            magnitude = format(abs(c), spec)
            if m:
                factor = "*".join(m)
                part = factor if abs(c) == 1 else f"{magnitude}*{factor}"
            else:
                part = magnitude
            if not text:
                text = f"-{part}" if c < 0 else part
            else:
                text += f" - {part}" if c < 0 else f" + {part}"
        return text

    def __str__(self) -> str:
        return format(self, "")

    def __repr__(self) -> str:
        return f"Sym({self})"


def _grouped(value: Sym) -> str:
    """``value`` as an operand: in brackets when it is a sum."""
    return f"({value})" if len(value.terms) > 1 else str(value)


def _names(value: Sym | int) -> str:
    names = sorted(value.names) if isinstance(value, Sym) else []
    return " and ".join(f"`{n}`" for n in names) or "the sizes"


def is_symbolic(value: object) -> bool:
    return isinstance(value, Sym)


def names_in(values: Iterable[object]) -> frozenset[str]:
    """The names the symbolic values among ``values`` hold."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, Sym):
            found |= value.names
    return frozenset(found)


def as_keras(shape: Iterable[object]) -> tuple[int | None, ...]:
    """A shape as Keras takes it: a named size is not known when the model is built, so it
    is `None` there (the checker has made sure nothing needs its value)."""
    return tuple(None if isinstance(d, Sym) else d for d in shape)  # type: ignore[misc]
