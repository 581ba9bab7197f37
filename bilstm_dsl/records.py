"""`Record`: the value classes on the checking path, without `dataclasses`.

``import dataclasses`` costs about 14 ms (it imports `inspect`, which imports `ast`, `dis`
and `tokenize`), and each ``@dataclass`` about 0.7 ms more, since it compiles its methods
from source at import: together a third of a cold `bilstm-dsl check`. The classes that
`check` loads are therefore written out: each declares its fields in ``__slots__`` and
writes its own ``__init__`` (as fast as a dataclass's), and `Record` gives them what a
dataclass would: equality and hashing by fields, a readable ``repr``, and `replace`.

A record is a value: treat it as immutable. It is not enforced (a ``__setattr__`` that
refuses would slow every construction), as `Diagnostic` and the AST nodes already were.
"""

from __future__ import annotations

from operator import attrgetter

__all__ = ["Record", "replace"]


class Record:
    """Fields are the names in ``__slots__`` along the class's bases, in order, except
    those starting with ``_`` (a cache) and those in ``_computed`` (made by ``__init__``
    from the fields, as a dataclass's ``field(init=False)``)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _computed: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = klass.__dict__.get("__slots__", ())
            names.extend((slots,) if type(slots) is str else slots)
        fields = cls._fields = tuple(n for n in names if n[0] != "_" and n not in cls._computed)
        # The fields' values as a tuple, in one C call: equality and hashing are hot.
        values = (
            attrgetter(*fields)
            if len(fields) > 1
            else lambda record: tuple(getattr(record, name) for name in fields)
        )
        cls._values = staticmethod(values)  # type: ignore[assignment]

    @staticmethod
    def _values(record: Record) -> tuple[object, ...]:
        return ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values(self) == other._values(other)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.__class__, self._values(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__name__}({shown})"

    def replace(self, **changes: object):  # noqa: ANN201 - the same class as self
        """A copy with ``changes``, as `dataclasses.replace` makes one."""
        unknown = changes.keys() - set(self._fields)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {sorted(unknown)[0]!r}")
        values = {name: getattr(self, name) for name in self._fields}
        return self.__class__(**(values | changes))


def replace(record: Record, **changes: object):  # noqa: ANN201
    """`Record.replace` as a function, as `dataclasses.replace` is called."""
    return record.replace(**changes)
