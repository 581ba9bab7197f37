"""`Kept`: what one check leaves for the next, bounded.

A process that checks again and again (the language server at every keystroke, a test
suite, a project's specs) meets the same calls again, and what a call's text alone
decides is kept by three passes: the parser's node templates (`parser._calls`), binding's
recipes (`recipes._recipes`) and the shape rules' outputs (`infer._outputs`); see
docs/architecture.md, "What is kept between checks". Each is a `Kept`, one policy for all
three:

- a key is kept the second time it is offered (`met_before`): a key met once costs a set
  entry, not the work of keeping it, so a file of calls all new pays little;
- at most `MOST` entries; when full, all go at once (`keep`). Not the oldest alone: a
  dict walks its deleted slots to find its first entry, which made eviction quadratic;
- only keys of calls of at most `TEXT_AT_MOST` characters, checked by the callers: what
  is kept stays small, whatever the files checked.
"""

from __future__ import annotations

MOST = 4096
"""Entries a `Kept` holds (each a few hundred bytes); past it all go."""

TEXT_AT_MOST = 200
"""Longest call text anything is kept for."""


class Kept(dict):
    """A dict of what was kept, with the keys offered once (`met`)."""

    __slots__ = ("most", "met")

    def __init__(self, most: int = MOST) -> None:
        super().__init__()
        self.most = most
        self.met: set[object] = set()
        """Keys offered once, at most four times `most` of them."""

    def met_before(self, key: object) -> bool:
        """Whether ``key`` was offered before; the first time, it is remembered."""
        met = self.met
        if key in met:
            return True
        if len(met) >= 4 * self.most:
            met.clear()
        met.add(key)
        return False

    def keep(self, key: object, value: object) -> None:
        """Keep ``value`` for ``key``; a full `Kept` empties first."""
        if len(self) >= self.most:
            self.clear()
        self[key] = value

    def forget(self) -> None:
        """Nothing kept, nothing met."""
        self.clear()
        self.met.clear()
