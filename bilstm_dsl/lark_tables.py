"""The grammar, compiled by Lark: the one module that reads Lark's internals.

`grammar/arch.lark` is the single source of truth for the syntax. Lark compiles it into
LALR tables, a list of terminals and the rules' child filters; `build_tables` exports
exactly that as plain JSON data, shipped in the package (`TABLES`), so that the parser's
fast path (`lalr.Machine`) and the lexer (`lexer`) run it without importing Lark.

No public Lark API offers that export, so `build_tables` reads Lark's internals:

- the LALR table, ``Lark.parser.parser._parse_table`` (``states``, ``start_states``,
  ``end_states``), and ``lark.parsers.lalr_analysis.Shift``, the marker of a shift;
- the compiled rules, ``lark.grammar.Rule`` (``origin``, ``expansion``, ``alias``,
  ``options``), and which children Lark's tree builder drops (``filter_out`` and ``_``
  names, as ``lark/parse_tree_builder.py`` decides);
- the terminals, ``lark.lexer.TerminalDef`` (``pattern``, ``priority``), in the order
  ``BasicLexer`` in ``lark/lexer.py`` tries them;
- Lark's own serialisation (``Lark.memo_serialize``, ``Lark._load_from_dict``), so that
  explaining a syntax error does not compile the grammar again.

A Lark release that moves any of these makes `build_tables` raise `LarkChanged`, which
names the Lark version and the missing piece (``tests/test_grammar.py`` runs the export
against the installed Lark). Checking never depends on them at run time: the shipped
tables are plain data, and `lark_parser` loads Lark's serialised parser only when the
tables were made by the very same Lark version, else compiles the grammar with Lark's
public API.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from collections.abc import Callable

TYPE_CHECKING = False  # typing's own constant, without importing typing on every start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import TypeVar

    from lark import Lark

    T = TypeVar("T")

OPTIONS = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}
"""How the grammar is compiled, for the tables and for Lark's own parser alike."""

_HERE = os.path.dirname(os.path.abspath(__file__))

TABLES = os.path.join(_HERE, "_grammar_tables.json")
"""The tables for the grammar, precomputed: building them takes ~45 ms plus ~40 ms to
import Lark, a bad start for a command that should answer in a tenth of a second. They are
derived data, keyed by the grammar's text (held in them: comparing it costs less than
importing hashlib at every start); when the grammar differs they are rebuilt from it, so
stale tables can slow startup but never change what parses. Regenerate with
``python scripts/update_grammar_tables.py``; a test fails while they are stale."""

TABLES_FORMAT = 3


class LarkChanged(RuntimeError):
    """The installed Lark no longer has an internal that `build_tables` reads."""


def grammar_path() -> Path:
    """The grammar file inside the installed package, else the repository's copy."""
    from pathlib import Path

    return Path(_grammar_file())


def _grammar_file() -> str:
    for candidate in (
        os.path.join(_HERE, "grammar", "arch.lark"),
        os.path.join(os.path.dirname(_HERE), "grammar", "arch.lark"),
    ):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("grammar/arch.lark is missing from the bilstm_dsl installation")


def grammar_sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _private(what: str, get: Callable[[], T]) -> T:
    """``get()``, which reads Lark internal ``what``; a Lark without it is `LarkChanged`."""
    try:
        return get()
    except (ImportError, AttributeError, KeyError, TypeError, IndexError) as error:
        import lark

        made_with = _shipped_lark_version()
        fallback = f", or install lark=={made_with}, which made the shipped tables"
        raise LarkChanged(
            f"lark {lark.__version__} changed {what}, which bilstm_dsl/lark_tables.py reads "
            f"to export the parser tables ({type(error).__name__}: {error}); adapt "
            "lark_tables.py to this Lark" + (fallback if made_with else "")
        ) from error


def _shipped_lark_version() -> str | None:
    try:
        with open(TABLES, encoding="utf-8") as shipped:
            return json.loads(shipped.read())["lark"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def build_tables(text: str) -> dict[str, object]:
    """Compile grammar ``text`` with Lark and export what the parser and lexer need, as
    JSON data:

    - ``terminals``: ``[name, regex]`` in the order Lark's lexer tries them; ``ignore``:
      the names of those the grammar ignores (whitespace, comments);
    - ``states``: per state, per terminal or rule name, a shift target (an int >= 0) or a
      reduction (``-1 - rule``);
    - ``rules``: ``[origin, size, callback, plan]``; ``callback`` names the parser's
      builder method (None for Lark's internal ``_`` rules, whose children the parent
      inlines) and ``plan`` has a letter per child: ``k`` keep, ``d`` drop (punctuation
      Lark filters out), ``i`` inline.

    Lark's own serialised parser rides along (``lark``) so that explaining a syntax error
    does not rebuild it either.
    """
    import lark
    from lark import Lark

    parser = Lark(text, **OPTIONS)
    shift = _private(
        "lark.parsers.lalr_analysis.Shift",
        lambda: importlib.import_module("lark.parsers.lalr_analysis").Shift,
    )
    table = _private(
        "the LALR table (Lark.parser.parser._parse_table)",
        lambda: parser.parser.parser._parse_table,
    )
    rules, number = _private("the compiled rules (lark.grammar.Rule)", lambda: _rules(parser))
    states = _private(
        "the LALR table's actions",
        lambda: {
            state: {
                kind: (arg if action is shift else -1 - number[arg])
                for kind, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        },
    )
    terminals = _private("the terminals (lark.lexer.TerminalDef)", lambda: _terminals(parser))
    ignore = _private("Lark.lexer_conf.ignore", lambda: sorted(parser.lexer_conf.ignore))
    start, end = _private(
        "the LALR table's start and end states",
        lambda: (table.start_states["start"], table.end_states["start"]),
    )
    data, memo = _private("Lark.memo_serialize", lambda: _serialise(parser))
    return {
        "format": TABLES_FORMAT,
        "grammar_sha256": grammar_sha(text),
        "grammar": text,
        "terminals": terminals,
        "ignore": ignore,
        "start": start,
        "end": end,
        "states": states,
        "rules": rules,
        "lark": {"version": lark.__version__, "data": data, "memo": memo},
    }


def _rules(parser: Lark) -> tuple[list[list[object]], dict[object, int]]:
    rules: list[list[object]] = []
    number: dict[object, int] = {}
    for rule in parser.rules:
        if rule.options.expand1 or rule.options.keep_all_tokens:
            raise ValueError(f"rule {rule.origin.name}: `?` and `!` rules are not supported")
        # Which children Lark's tree builder keeps (lark/parse_tree_builder.py): filtered
        # punctuation and `_` terminals are dropped, `_` rules are inlined into the parent.
        plan = "".join(
            ("d" if sym.filter_out or sym.name.startswith("_") else "k")
            if sym.is_term
            else ("i" if sym.name.startswith("_") else "k")
            for sym in rule.expansion
        )
        callback = None if rule.origin.name.startswith("_") else (rule.alias or rule.origin.name)
        number[rule] = len(rules)
        rules.append([rule.origin.name, len(rule.expansion), callback, plan])
    return rules, number


def _terminals(parser: Lark) -> list[list[str]]:
    terminals = sorted(
        parser.terminals,
        # the order of Lark's own lexer (lark/lexer.py, BasicLexer)
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    return [[t.name, t.pattern.to_regexp()] for t in terminals]


def _serialise(parser: Lark) -> tuple[object, object]:
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    return parser.memo_serialize([TerminalDef, Rule])


def _int_keys(pairs: list[tuple[str, object]]) -> dict[object, object]:
    # JSON keys are strings; the tables index states (and Lark's memo) by integer.
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


@functools.cache
def load() -> dict:
    """The shipped tables when they match the grammar, else tables built from it."""
    with open(_grammar_file(), encoding="utf-8", newline="") as grammar:
        text = grammar.read()
    try:
        with open(TABLES, encoding="utf-8") as shipped:
            tables = json.loads(shipped.read(), object_pairs_hook=_int_keys)
    except (OSError, ValueError):
        tables = None
    if tables is None or (tables.get("format"), tables.get("grammar")) != (TABLES_FORMAT, text):
        tables = json.loads(json.dumps(build_tables(text)), object_pairs_hook=_int_keys)
    return tables


@functools.cache
def lark_parser() -> Lark:
    """Lark's own parser (plain trees), to explain syntax errors: loaded from the tables
    when they were made by this Lark version, else compiled from the grammar."""
    import lark
    from lark import Lark

    saved = load()["lark"]
    if saved["version"] == lark.__version__:
        return Lark._load_from_dict(saved["data"], saved["memo"])
    return Lark(grammar_path().read_text(encoding="utf-8"), **OPTIONS)
