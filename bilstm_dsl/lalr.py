"""The table parser: Lark's LALR tables for the whole grammar, run without Lark.

The grammar file is the single source of truth for the syntax. Lark compiles it once, and
`lark_tables` exports the result as plain JSON data shipped in the package: the LALR
tables, the terminals (which the `lexer` turns into one regular expression) and which
children of each rule a tree keeps. `Machine` runs it: tuples for tokens, and the
`Builder` callbacks, with the children filtered and inlined as Lark's tree builder would.
Lark's general runtime spent ~8 us per token on bookkeeping this language does not need,
and importing Lark is a third of a `bilstm-dsl` process, so successful parses do not
import it at all. `tests/test_grammar.py` checks the machine against Lark's runtime on
samples and on thousands of random token soups.

Every file can be parsed here; `parser` first tries its chain reader, which builds the
same nodes for a plain chain several times faster, and comes here for everything else
(graphs, and text with an error, which the machine rejects and `syntax_errors` explains).
"""

from __future__ import annotations

import functools

from . import ast, lexer
from .diagnostics import Diagnostic, LineIndex, Severity, Span
from .lark_tables import load
from .lexer import MAX_DEPTH, MAX_DIGITS, unescape

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "Builder", "Limit", "Machine", "Reject", "machine"]


# A token, as the fast loop makes it: (type, text, start, end, line index).
Tok = tuple[str, str, int, int, LineIndex]


def _span(first: Tok, last: Tok | None = None) -> Span:
    return Span(first[2], (first if last is None else last)[3], first[4])


class Limit(Exception):
    """A literal beyond a documented limit; carries its diagnostic."""

    def __init__(self, diag: Diagnostic) -> None:
        self.diag = diag


class Builder:
    """One method per grammar rule (or alias): each gets the children of the rule that
    Lark's tree builder would keep (tokens as `Tok` tuples) and returns an `ast` node."""

    def start(self, children: list) -> ast.Chain | ast.Program | None:
        """The file: nothing, one plain chain (checked as chains always were), or a
        program of statements (a graph)."""
        if not children:
            return None
        first = children[0]
        if len(children) == 1 and not first.targets and type(first.flow.source) is ast.Call:
            steps = first.flow.steps
            if all(type(step.layer) is ast.Call for step in steps):
                source = first.flow.source
                head = ast.Stage(source, first.flow.source_assertion, _stage_span(first.flow))
                stages = (head,) + tuple(ast.Stage(s.layer, s.assertion, s.span) for s in steps)
                return ast.Chain(stages, first.span)
        return ast.Program(tuple(children), first.span.cover(children[-1].span))

    def assignment(self, children: list) -> ast.Statement:
        targets, _, flow = children
        return ast.Statement(targets, flow, targets[0].span.cover(flow.span))

    def bare(self, children: list) -> ast.Statement:
        (flow,) = children
        return ast.Statement((), flow, flow.span)

    def targets(self, children: list) -> tuple[ast.Target, ...]:
        return tuple(children)

    def target(self, children: list) -> ast.Target:
        (name,) = children
        return ast.Target(name[1], _span(name))

    def call_flow(self, children: list) -> ast.Flow:
        stage = children[0]
        steps = tuple(c for c in children[1:] if type(c) is ast.Step)
        end = steps[-1].span if steps else stage.span
        return ast.Flow(stage.call, stage.assertion, steps, stage.span.cover(end))

    def ref_flow(self, children: list) -> ast.Flow:
        return self._flow(children)

    def merge_flow(self, children: list) -> ast.Flow:
        return self._flow(children)

    def _flow(self, children: list) -> ast.Flow:
        source = children[0]
        assertion = None
        # children: the source, its assertion if any, then `->` tokens and steps
        if len(children) > 1 and type(children[1]) not in (ast.Step, tuple):
            assertion = children[1]
        steps = tuple(c for c in children if type(c) is ast.Step)
        end = steps[-1].span if steps else (assertion.span if assertion else source.span)
        return ast.Flow(source, assertion, steps, source.span.cover(end))

    def call_step(self, children: list) -> ast.Step:
        call = children[0]
        assertion = children[1] if len(children) > 1 else None
        span = call.span if assertion is None else call.span.cover(assertion.span)
        return ast.Step(call, assertion, span)

    def use_step(self, children: list) -> ast.Step:
        name = children[0]
        assertion = children[1] if len(children) > 1 else None
        use = ast.Use(name[1], _span(name))
        span = use.span if assertion is None else use.span.cover(assertion.span)
        return ast.Step(use, assertion, span)

    def ref(self, children: list) -> ast.Ref:
        (token,) = children
        return _ref(token)

    def merge(self, children: list) -> ast.Merge:
        refs = tuple(c for c in children if type(c) is ast.Ref)
        return ast.Merge(refs, _span(children[0], children[-1]))

    def source_assertion(self, children: list) -> ast.Value:
        return children[1]

    def indexed(self, children: list) -> ast.Ref:
        (token,) = children
        return _ref(token)

    def stage(self, children: list) -> ast.Stage:
        call = children[0]
        assertion = children[1] if len(children) > 1 else None
        span = call.span if assertion is None else call.span.cover(assertion.span)
        return ast.Stage(call, assertion, span)

    def assertion(self, children: list) -> ast.Value:
        return children[1]

    def call(self, children: list) -> ast.Call:
        name, rpar = children[0], children[-1]
        args = children[2] if len(children) == 4 else ()
        index = name[4]
        return ast.Call(name[1], Span(name[2], name[3], index), args, Span(name[2], rpar[3], index))

    def arguments(self, children: list) -> tuple[ast.Arg, ...]:
        return tuple(children)

    def argument(self, children: list) -> ast.Arg:
        value = children[0]
        return ast.Arg(None, None, value, value.span)

    def keyword(self, children: list) -> ast.Arg:
        name, _, value = children
        key_span = Span(name[2], name[3], name[4])
        return ast.Arg(name[1], key_span, value, key_span.cover(value.span))

    def int(self, children: list) -> ast.Int:
        (token,) = children
        text = token[1]
        if len(text) > MAX_DIGITS and (digits := len(text) - text.startswith("-")) > MAX_DIGITS:
            raise Limit(
                Diagnostic(
                    "E009",
                    Severity.ERROR,
                    _span(token),
                    f"integer literal has {digits} digits, more than the limit of {MAX_DIGITS}",
                    help="write a size Keras can allocate, such as `32` or `256`",
                )
            )
        return ast.Int(int(text), Span(token[2], token[3], token[4]))

    def float(self, children: list) -> ast.Float:
        (token,) = children
        return ast.Float(float(token[1]), _span(token))

    def string(self, children: list) -> ast.String:
        (token,) = children
        return ast.String(unescape(token[1][1:-1]), _span(token))

    def word(self, children: list) -> ast.Word:
        (token,) = children
        return ast.Word(token[1], Span(token[2], token[3], token[4]))

    def tuple(self, children: list) -> ast.Tuple:
        return ast.Tuple(tuple(children[1:-1]), _span(children[0], children[-1]))

    def list(self, children: list) -> ast.List:
        return ast.List(tuple(children[1:-1]), _span(children[0], children[-1]))

    def value(self, children: list) -> ast.Value:
        return children[0]


def _ref(token: Tok) -> ast.Ref:
    """``h`` or ``dec[0]`` (one token: the index is written without spaces)."""
    text = token[1]
    if text.endswith("]"):
        name, _, index = text[:-1].partition("[")
        return ast.Ref(name, int(index), _span(token))
    return ast.Ref(text, None, _span(token))


def _stage_span(flow: ast.Flow) -> Span:
    source = flow.source
    assertion = flow.source_assertion
    return source.span if assertion is None else source.span.cover(assertion.span)


class Reject(Exception):
    """The fast loop met something it does not accept; Lark will say what."""


class Machine:
    """Runs the exported tables: a loop specialised to this grammar that only ever
    accepts; anything else raises `Reject`."""

    def __init__(self, tables: dict, builder: Builder) -> None:
        reductions = []
        for origin, size, callback, plan in tables["rules"]:
            method = getattr(builder, callback, None) if callback else None
            if callback and not callable(method):
                raise ValueError(f"Builder has no method for rule {callback!r}")
            reductions.append((size, origin, method, None if set(plan) <= {"k"} else plan))
        # Each action becomes (shift target, None) or (None, reduction).
        self.states = {
            state: {
                kind: (target, None) if target >= 0 else (None, reductions[-1 - target])
                for kind, target in actions.items()
            }
            for state, actions in tables["states"].items()
        }
        self.start, self.end = tables["start"], tables["end"]
        # One match per token: whitespace and comments are skipped inside the expression.
        self.lexer = lexer.significant()

    def parse(self, text: str) -> ast.Chain | None:
        index = LineIndex(text)
        states, match, end_state = self.states, self.lexer, self.end
        state_stack = [self.start]
        value_stack: list = []
        push_state, push_value = state_stack.append, value_stack.append
        pos, depth = 0, 0
        opening, closing = ("LPAR", "LSQB"), ("RPAR", "RSQB")
        while True:
            m = match(text, pos)
            if m is None:
                raise Reject
            kind = m.lastgroup
            if kind is None:  # only ignored text was left
                kind, token = "$END", None
            else:
                if kind in opening:
                    depth += 1
                    if depth > MAX_DEPTH:  # the bracket scan reports it (E009)
                        raise Reject
                elif kind in closing:
                    depth -= 1
                start, pos = m.span(kind)
                token = (kind, text[start:pos], start, pos, index)
            while True:
                action = states[state_stack[-1]].get(kind)
                if action is None:
                    raise Reject
                shift, reduce = action
                if shift is not None:
                    if token is None:
                        raise Reject
                    push_state(shift)
                    push_value(token)
                    break
                n, origin, method, plan = reduce
                if n:
                    children = value_stack[-n:]
                    del state_stack[-n:]
                    del value_stack[-n:]
                    if plan is not None:
                        children = _filter(children, plan)
                else:
                    children = []
                goto = states[state_stack[-1]][origin][0]
                push_state(goto)
                push_value(children if method is None else method(children))
                if token is None and goto == end_state:
                    return value_stack[-1]


def _filter(children: list, plan: str) -> list:
    """Keep, drop or inline each child as Lark's tree builder does. A rule's first child
    is the left recursion of a ``*`` repetition: its list is extended in place, as Lark's
    ``ChildFilterLALR`` does, so a chain of n stages is built in O(n), not O(n^2)."""
    if plan[0] == "i":
        kept = children[0]
        start = 1
    else:
        kept = []
        start = 0
    for i in range(start, len(plan)):
        mode = plan[i]
        if mode == "k":
            kept.append(children[i])
        elif mode == "i":
            kept.extend(children[i])
    return kept


@functools.cache
def machine() -> Machine:
    return Machine(load(), Builder())
