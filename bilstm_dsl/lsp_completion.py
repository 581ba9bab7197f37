"""Completion for the language server, in plain Python (no pygls): layer names (long forms,
short forms, Keras aliases) where a layer can go, the keyword arguments and bare flags of
the layer being written, and the values of arguments that take a known name
(``activation=``, ``merge_mode=``, ...). The registry is the only source: a new layer
completes with no change here."""

from __future__ import annotations

import re
from typing import NamedTuple

from . import lexer
from . import values as v
from .layers import ALIASES, FLAGS, INPUT, LAYERS, REQUIRED, LayerSpec, Param
from .shapes import tuple_text


class Suggestion(NamedTuple):
    """One completion item, independent of the protocol library."""

    label: str
    kind: str
    """``layer``, ``keyword``, ``flag`` or ``value``."""
    detail: str
    insert_text: str
    sort_text: str
    filter_text: str | None = None


class _Frame:
    """An open bracket: a call (``name(``), or a tuple or list when ``call`` is None.
    ``current`` holds the tokens, (kind, text), of the argument being written."""

    __slots__ = ("call", "keys", "words", "positional", "current")

    def __init__(self, call: str | None) -> None:
        self.call = call
        self.keys: set[str] = set()
        self.words: set[str] = set()
        self.positional = 0
        self.current: list[tuple[str, str]] = []

    def close_argument(self) -> None:
        toks = self.current
        if len(toks) >= 2 and toks[0][0] == "NAME" and toks[1][0] == "EQUALS":
            self.keys.add(toks[0][1].lower())
        elif len(toks) == 1 and toks[0][0] == "NAME":
            self.words.add(toks[0][1].lower())
        elif toks:
            self.positional += 1
        self.current = []


class _Context(NamedTuple):
    """Where the cursor is, for completion."""

    kind: str
    """``start``, ``layer`` (after ``->``), ``argument`` (a new argument of ``frame``),
    ``value`` (after ``key=`` in ``frame``), or ``none``."""
    frame: _Frame | None = None
    key: str | None = None


_OPENING, _CLOSING = ("LPAR", "LSQB"), ("RPAR", "RSQB")


def _context(text: str, offset: int) -> _Context:
    """Scan the tokens before the cursor (tolerating any mistake in them) for what may go
    there: the open calls, the argument being written, the token before it."""
    prefix = text[:offset]
    stack: list[_Frame] = []
    top: list[tuple[str, str]] = []  # significant tokens outside any bracket
    last: tuple[str, str] | None = None
    for token in lexer.tokens(prefix):
        kind, tok, at_cursor = token.kind, token.text, token.end == len(prefix)
        if kind == "WS":
            continue
        if kind == "COMMENT":
            if at_cursor:
                return _Context("none")
            continue
        if kind == lexer.UNCLOSED_STRING and at_cursor:
            return _Context("none")  # inside a string being written
        if kind == "NAME" and at_cursor:
            break  # the word being completed
        current = stack[-1].current if stack else top
        if kind in _OPENING:
            name = last[1] if last is not None and last[0] == "NAME" and kind == "LPAR" else None
            if name is not None and current and current[-1] == ("NAME", name):
                current.pop()
            stack.append(_Frame(name))
        elif kind in _CLOSING:
            if stack:
                frame = stack.pop()
                outer = stack[-1].current if stack else top
                outer.append(("value", frame.call or "tuple"))
        elif kind == "_COMMA" and stack:
            stack[-1].close_argument()
        else:
            current.append((kind, tok))
        last = (kind, tok)
    if not stack:
        if not top:
            return _Context("start")
        return _Context("layer" if top[-1][0] == "ARROW" else "none")
    frame = stack[-1]
    if frame.call is None:
        return _Context("none")
    toks = frame.current
    if not toks:
        return _Context("argument", frame)
    if len(toks) == 2 and toks[0][0] == "NAME" and toks[1][0] == "EQUALS":
        return _Context("value", frame, toks[0][1].lower())
    return _Context("none")


def _spec_params(call: str) -> tuple[LayerSpec | None, tuple[Param, ...], tuple[str, ...]]:
    """The spec a call name resolves to, the parameters it accepts as written (for
    ``bilstm``: the LSTM's plus the wrapper's merge mode, name and trainable), and which
    may be given positionally."""
    name = call.lower()
    if name == "input":
        return INPUT, INPUT.params, ()
    alias = ALIASES.get(name)
    if alias is not None and alias.inner is not None:
        inner = LAYERS[alias.inner]
        outer = LAYERS["bidirectional"]
        params = tuple(
            p for p in inner.params if p.name not in ("go_backwards", "name", "trainable")
        )
        params += tuple(p for p in outer.params if p.name in ("merge_mode", "name", "trainable"))
        positional = tuple(p for p in inner.positional or () if p != "go_backwards")
        return outer, params, positional
    spec = LAYERS.get(alias.wrapper if alias else name)
    if spec is None:
        return None, (), ()
    return spec, spec.params, tuple(spec.positional or ())


def _dsl_value(value: object) -> str:
    """A default value as it would be written in `.arch`."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return tuple_text([_dsl_value(x) for x in value])
    return str(value)


def _is_default(choice: str, param: Param) -> bool:
    """Whether the value ``choice`` (a bare word, or quoted) is ``param``'s default."""
    if param.default is REQUIRED:
        return False
    return choice.strip('"') == _dsl_value(param.default).strip('"')


def _layer_suggestions(only: frozenset[str] | None = None) -> list[Suggestion]:
    """Every layer name (or those in ``only``): long forms in registry order, each followed
    by its short forms and Keras aliases."""
    out: list[Suggestion] = []
    for spec in LAYERS.values():
        if only is not None and spec.name not in only:
            continue
        out.append(
            Suggestion(spec.name, "layer", f"keras.layers.{spec.keras_class}", spec.name, "")
        )
        for short, alias in ALIASES.items():
            if alias.wrapper != spec.name:
                continue
            if alias.inner is None:
                detail = f"keras.layers.{spec.keras_class} (short for {spec.name})"
            else:
                inner = LAYERS[alias.inner].keras_class
                detail = f"Bidirectional({inner}): short for {spec.name}({alias.inner}(...))"
            out.append(Suggestion(short, "layer", detail, short, ""))
    return [
        Suggestion(s.label, s.kind, s.detail, s.insert_text, f"{i:03d}") for i, s in enumerate(out)
    ]


_RECURRENT = frozenset(s.name for s in LAYERS.values() if s.family == "recurrent")
_CELLS = frozenset(s.name for s in LAYERS.values() if s.family == "cell")

_MERGE_CHOICES = v.MERGE_MODES + ("none",)
"""What `merge_mode` takes: the merge modes, or `none` to keep the directions apart."""

_CHOICES: dict[int, tuple[str, ...]] = {
    id(v.ACTIVATION): tuple(sorted(v.ACTIVATIONS)),
    id(v.INITIALIZER): tuple(sorted(v.INITIALIZERS)),
    id(v.REGULARIZER): tuple(sorted(v.REGULARIZERS)) + ("none",),
    id(v.CONSTRAINT): tuple(sorted(v.CONSTRAINTS)) + ("none",),
    id(v.MERGE_MODE): _MERGE_CHOICES,
    id(v.DTYPE): tuple(f'"{d}"' for d in sorted(v.DTYPES)),
    id(v.BOOL): ("true", "false"),
    id(v.CONV_PADDING): ("valid", "same", "causal"),
    id(v.POOL_PADDING): ("valid", "same"),
    id(v.DATA_FORMAT): ("channels_last", "channels_first"),
    id(v.USE_CUDNN): ("auto", "true", "false"),
}
"""Values to offer after ``key=``, by argument type."""


def _argument_suggestions(frame: _Frame) -> list[Suggestion]:
    call = frame.call or ""
    name = call.lower()
    spec, params, positional = _spec_params(name)
    out: list[Suggestion] = []
    if spec is None:
        return out
    filled = set(positional[: frame.positional]) | frame.keys
    flags = dict(spec.flags)
    if name in ALIASES and ALIASES[name].inner is not None:
        inner_flags = LAYERS[ALIASES[name].inner].flags
        flags = {f: a for f, a in inner_flags.items() if a != "go_backwards"}
    filled |= {flags[w] for w in frame.words if w in flags}
    sugar = name in ALIASES and ALIASES[name].inner is not None  # bilstm, bigru, birnn
    wrapper_slot = frame.positional == 0 and "layer" not in frame.keys
    if spec.family == "wrapper" and not sugar and wrapper_slot:
        only = _RECURRENT if spec.name == "bidirectional" else None
        out += [s for s in _layer_suggestions(only) if s.label != "input"]
    for short, arg in FLAGS.items():
        if short in flags and arg not in filled:
            out.append(Suggestion(short, "flag", f"{arg}=true", short, f"1{short}"))
    if sugar and "merge_mode" not in filled and not frame.words & set(_MERGE_CHOICES):
        merge_mode = next(p for p in params if p.name == "merge_mode")
        for mode in _MERGE_CHOICES:
            detail = "merge_mode" + (" (default)" if _is_default(mode, merge_mode) else "")
            out.append(Suggestion(mode, "value", detail, mode, f"2{mode}"))
    for index, param in enumerate(params):
        if param.name in filled:
            continue
        if param.default is REQUIRED:
            detail = f"{param.type.name}, required"
        else:
            detail = f"{param.type.name}, default {_dsl_value(param.default)}"
        out.append(
            Suggestion(
                f"{param.name}=", "keyword", detail, f"{param.name}=", f"3{index:03d}", param.name
            )
        )
    return out


def _value_suggestions(frame: _Frame, key: str) -> list[Suggestion]:
    _, params, _ = _spec_params(frame.call or "")
    param = next((p for p in params if p.name == key), None)
    if param is None:
        return []
    if param.type in (v.LAYER, v.OPT_LAYER, v.LAYER_LIST):
        only = _RECURRENT if (frame.call or "").lower() == "bidirectional" else None
        if param.name == "cell":  # `rnn(cell=...)`: the cells, a stack included
            only = _CELLS
        elif param.name == "cells":  # `stackedrnncells(cells=[...])`: one-step cells
            only = _CELLS - {"stackedrnncells"}
        return _layer_suggestions(only)
    return [
        Suggestion(
            choice,
            "value",
            f"{key} (default)" if _is_default(choice, param) else key,
            choice,
            f"{i:03d}",
        )
        for i, choice in enumerate(_CHOICES.get(id(param.type), ()))
    ]


_DEFINED = re.compile(
    r"^[ \t]*([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*)[ \t]*=(?!=)[ \t]*(.*)$", re.M
)
_NAME_LIST = r"(?:[A-Za-z_]\w*(?:\[-?\d+\])?[ \t]*,[ \t]*)*[A-Za-z_]?\w*$"
_TENSOR_PLACES = (
    re.compile(r"^[ \t]*(?:[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*[ \t]*=[ \t]*)?\w*$"),
    re.compile(r"^[ \t]*(?:[A-Za-z_][\w, \t]*=[ \t]*)?\[[ \t]*" + _NAME_LIST),
    re.compile(r"initial_state[ \t]*=[ \t]*\[[ \t]*" + _NAME_LIST),
    re.compile(r"\b(?:inputs|outputs)[ \t]*=[ \t]*\[?[ \t]*" + _NAME_LIST),
)


def _names_before(text: str, offset: int) -> tuple[list[str], list[str]]:
    """The tensor names and the shared layers' names defined on the lines before the
    cursor's, in order (a graph file's ``a, b = ...`` lines)."""
    tensors: list[str] = []
    layers: list[str] = []
    line_start = text.rfind("\n", 0, offset) + 1
    for match in _DEFINED.finditer(text, 0, line_start):
        flow = match.group(2).strip()
        shared = "->" not in flow and re.match(r"[A-Za-z_]\w*\s*\(", flow) is not None
        shared = shared and not flow.lower().startswith("input")
        for name in (n.strip() for n in match.group(1).split(",")):
            kept = layers if shared else tensors
            if name != "_" and name not in tensors and name not in layers:
                kept.append(name)
    return tensors, layers


def _tensor_suggestions(text: str, offset: int) -> list[Suggestion] | None:
    """Tensor names, where a graph expects a tensor: a statement's start of flow, a merge's
    ``[``, ``initial_state=[``, ``model(inputs=..., outputs=...)``; None elsewhere."""
    tensors, _ = _names_before(text, offset)
    if not tensors:
        return None
    line = text[text.rfind("\n", 0, offset) + 1 : offset]
    if not any(place.search(line) for place in _TENSOR_PLACES):
        return None
    return [
        Suggestion(name, "variable", "tensor defined above", name, f"0{i:03d}")
        for i, name in enumerate(tensors)
    ]


def complete_at(text: str, offset: int) -> list[Suggestion]:
    """What may be written at ``offset``: layer names, arguments, flags or values, and in
    a graph file the tensor names defined above where a tensor is expected."""
    tensors = _tensor_suggestions(text, offset)
    if tensors is not None:
        where = _context(text, offset)
        if where.kind == "start":
            tensors.append(
                Suggestion("input", "layer", "keras.Input: the per-sample shape", "input", "1")
            )
        return tensors
    where = _context(text, offset)
    if where.kind == "layer":
        _, shared = _names_before(text, offset)
        found = [
            Suggestion(name, "variable", "layer defined above (shared weights)", name, f"0{i:03d}")
            for i, name in enumerate(shared)
        ]
        return found + _layer_suggestions()
    if where.kind == "start":
        return [Suggestion("input", "layer", "keras.Input: the per-sample shape", "input", "000")]
    if where.kind == "layer":
        return _layer_suggestions()
    if where.kind == "argument" and where.frame is not None:
        return _argument_suggestions(where.frame)
    if where.kind == "value" and where.frame is not None and where.key is not None:
        return _value_suggestions(where.frame, where.key)
    return []
