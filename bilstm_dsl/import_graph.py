"""A saved functional model that is not a chain, written as a graph `.arch`.

`importer` tries the chain first (most models are one); a model with several inputs or
outputs, a merge, a branch, a layer applied twice, ``initial_state`` or one output of a
``return_state`` layer kept comes here. The model's calls (`Node`: one per call of a saved
layer, from its ``inbound_nodes``) are put in an order a person would write them, then
grouped into statements:

- a call follows the one before with an arrow when it takes that call's only tensor and
  nothing else does (``f = r -> dense(16, relu) -> dense(8)``);
- otherwise it starts a statement from named tensors: ``h``, or ``[a, b]`` for a merge or
  an attention layer (`MultiHeadAttention`'s query, value and key too);
- each statement names what it gives: one name, or one per tensor of a layer that returns
  several (``enc, enc_h, enc_c = ...``), ``_`` for a tensor nothing uses; names come from
  the layers' names (`tensor_name`);
- a layer applied more than once is named on a line of its own before its first use
  (``lstm = lstm(8)``) and applied by that name (``ea = a -> lstm``);
- ``initial_state=[h, c]`` is written into the call that takes it.

Which names to keep is settled over the calls in the order they are written, as for a
chain (`arch_text.settle_names`). ``model(inputs=..., outputs=...)`` is added by
`importer` only when the defaults (`graph_model.ModelPart.model`) differ from the saved
ones. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import arch_text
from .arch_text import Call, ImportProblem, LayerRef
from .keras_config import Unexpressible
from .layers import INPUT, LAYERS, STATES
from .model import CheckResult

Tensor = tuple[str, int, int]
"""A tensor in a functional config: (layer name, node index, tensor index)."""

NodeKey = tuple[str, int]

_SPECS = {spec.keras_class: spec for spec in LAYERS.values()}


@dataclass
class Node:
    """One call of a saved layer (an InputLayer is one node of its own)."""

    layer: dict[str, object]
    name: str
    index: int
    inputs: list[Tensor]
    listed: bool = False
    """Called on a list of tensors (``Concatenate()([a, b])``)."""
    states: list[Tensor] = field(default_factory=list)
    call: dict[str, object] = field(default_factory=dict)
    """Call arguments `.arch` writes as the layer's (``return_attention_scores``)."""
    ports: int = 1

    @property
    def key(self) -> NodeKey:
        return (self.name, self.index)

    @property
    def is_input(self) -> bool:
        return self.layer.get("class_name") == "InputLayer"


_CALL_ARGS = ("return_attention_scores", "use_causal_mask")
_IGNORED = ("training",)
_PORT_NAMES = {
    "LSTM": ("", "_h", "_c"),
    "GRU": ("", "_h"),
    "SimpleRNN": ("", "_h"),
}


def problem(message: str, layer: dict[str, object] | None) -> ImportProblem:
    return ImportProblem(
        "I103",
        message,
        LayerRef.of(layer),
        help="write this part of the model in .arch by hand, or keep it in Python",
    )


def read_nodes(
    layers: list[dict[str, object]], masks: set[str], name_of, collect, is_tensor
) -> dict[NodeKey, Node]:  # noqa: ANN001
    """Every call of every layer, in the config's order."""
    nodes: dict[NodeKey, Node] = {}
    for layer in layers:
        name = name_of(layer)
        if layer.get("class_name") == "InputLayer":
            nodes[(name, 0)] = Node(layer, name, 0, [])
            continue
        raw = layer.get("inbound_nodes") or []
        for index, entry in enumerate(raw if isinstance(raw, list) else []):
            node = Node(layer, name, index, [])
            if isinstance(entry, dict):
                _keras3(node, entry, masks, collect)
            elif isinstance(entry, list):
                _keras2(node, entry, is_tensor)
            node.ports = _ports(node)
            _takes_one(node)
            nodes[node.key] = node
        if not raw:
            raise problem("the layer is not connected to the model's input", layer)
    return nodes


def _keras3(node: Node, entry: dict, masks: set[str], collect) -> None:  # noqa: ANN001
    args, kwargs = entry.get("args") or [], entry.get("kwargs") or {}
    layer = node.layer
    if not isinstance(args, list) or not isinstance(kwargs, dict) or not args:
        raise ImportProblem(
            "I105", "a call of the layer is not one Keras writes", LayerRef.of(layer)
        )
    if len(args) == 1 and isinstance(args[0], list):
        node.listed = True
        collect(args[0], node.inputs)
    else:
        for arg in args:
            found: list[Tensor] = []
            collect(arg, found)
            if len(found) != 1:
                raise problem("the layer is called on a value that is not a tensor", layer)
            node.inputs += found
    for key, value in kwargs.items():
        if value is None or key in _IGNORED:
            continue
        given: list[Tensor] = []
        collect(value, given)
        if key == "mask" and all(t[0] in masks for t in given):
            continue  # the mask Keras computes by itself, computed again when rebuilt
        if key == "initial_state" and given:
            node.states = given
        elif key == "key" and len(given) == 1:
            node.inputs += given
        elif key in _CALL_ARGS and isinstance(value, bool):
            node.call[key] = value
        else:
            raise problem(f"the layer is called with `{key}=`, which .arch cannot pass", layer)


def _keras2(node: Node, entry: list, is_tensor) -> None:  # noqa: ANN001
    for item in entry:
        if not is_tensor(item):
            continue
        node.inputs.append((item[0], item[1], item[2]))
        kwargs = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
        for key, value in kwargs.items():
            if key not in _IGNORED and key != "mask" and value is not None:
                raise problem(
                    f"the layer is called with `{key}=`, which .arch cannot pass", node.layer
                )
    if len(node.inputs) > 1:
        if _recurrent_class(node.layer) is not None:
            node.inputs, node.states = node.inputs[:1], node.inputs[1:]
        else:
            node.listed = True


def _takes_one(node: Node) -> None:
    """A layer that takes one tensor, saved as called on several: Keras would have refused
    to build it (a hand-edited file, or a merge layer missing)."""
    spec = _SPECS.get(str(node.layer.get("class_name")))
    if spec is not None and spec.inputs == "one" and len(node.inputs) > 1:
        named = ", ".join(repr(t[0]) for t in node.inputs)
        raise problem(
            f"the layer is called on {len(node.inputs)} tensors ({named}), as a merge is, "
            f"but a {spec.keras_class} takes one",
            node.layer,
        )


def _recurrent_class(layer: dict[str, object]) -> str | None:
    """The recurrent class of ``layer``, or of the layer a Bidirectional wraps."""
    cls = layer.get("class_name")
    if isinstance(cls, str) and cls in STATES:
        return cls
    config = layer.get("config")
    inner = config.get("layer") if isinstance(config, dict) else None
    wrapped = inner.get("class_name") if isinstance(inner, dict) else None
    if cls == "Bidirectional" and isinstance(wrapped, str) and wrapped in STATES:
        return wrapped
    return None


def _ports(node: Node) -> int:
    """How many tensors the call returns: a recurrent layer's output and, with
    ``return_state``, its states (a Bidirectional's forward ones, then backward ones); an
    attention layer's output and, asked for, its scores."""
    cls = _recurrent_class(node.layer)
    config = node.layer.get("config")
    if cls is not None and isinstance(config, dict):
        inner = config.get("layer") if node.layer.get("class_name") == "Bidirectional" else None
        own = inner.get("config") if isinstance(inner, dict) else config
        if isinstance(own, dict) and own.get("return_state"):
            return 1 + STATES[cls] * (2 if inner is not None else 1)
    return 2 if node.call.get("return_attention_scores") else 1


def port_suffixes(node: Node) -> tuple[str, ...]:
    cls = _recurrent_class(node.layer)
    if node.ports > 1 and cls is not None:
        own = _PORT_NAMES[cls]
        if node.layer.get("class_name") == "Bidirectional":
            states = own[1:]
            return ("", *(f"_f{s[1:]}" for s in states), *(f"_b{s[1:]}" for s in states))
        return own
    if node.ports == 2 and node.call.get("return_attention_scores"):
        return ("", "_scores")
    return tuple("" if p == 0 else f"_{p}" for p in range(node.ports))


# -- the order a person writes


def writing_order(nodes: dict[NodeKey, Node], inputs: list[Tensor]) -> list[Node]:
    """Every node after the ones it takes, a chain kept together: of the calls ready, the
    one that takes the tensor made last; an input only when nothing else is ready, in the
    order of the model's inputs."""
    position: dict[NodeKey, int] = {}
    order: list[Node] = []
    rank = {key: n for n, key in enumerate(nodes)}
    waiting_inputs = [(t[0], 0) for t in inputs if (t[0], 0) in nodes]
    waiting_inputs += [k for k, n in nodes.items() if n.is_input and k not in waiting_inputs]
    pending = [n for n in nodes.values() if not n.is_input]
    while pending or waiting_inputs:
        best, best_score = None, None
        for node in pending:
            needed = [(t[0], t[1]) for t in node.inputs + node.states]
            if any(k not in position for k in needed):
                continue
            score = (-max((position[k] for k in needed), default=-1), rank[node.key])
            if best_score is None or score < best_score:
                best, best_score = node, score
        if best is not None:
            pending.remove(best)
        elif waiting_inputs:
            best = nodes[waiting_inputs.pop(0)]
        else:
            missing = pending[0]
            raise problem("the layer takes a tensor no layer of the model makes", missing.layer)
        position[best.key] = len(order)
        order.append(best)
    return order


# -- statements


@dataclass
class Statement:
    nodes: list[Node]
    source: str = ""
    """What the flow starts from: ``h``, ``[a, b]``; empty for an input or a definition."""
    targets: list[str] = field(default_factory=list)
    definition: Node | None = None
    """A shared layer named on a line of its own."""


class GraphWriter:
    """The statements of a saved functional model, and the text they make."""

    def __init__(
        self, nodes: dict[NodeKey, Node], inputs: list[Tensor], outputs: list[Tensor]
    ) -> None:
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.users: dict[Tensor, int] = {}
        for node in nodes.values():
            for t in node.inputs + node.states:
                self.users[t] = self.users.get(t, 0) + 1
        for t in outputs:
            self.users[t] = self.users.get(t, 0) + 1
        calls: dict[str, int] = {}
        for node in nodes.values():
            calls[node.name] = calls.get(node.name, 0) + 1
        self.shared = {name for name, count in calls.items() if count > 1}
        self.names: dict[Tensor, str] = {}
        self.taken: set[str] = set()
        self.layer_vars: dict[str, str] = {}
        self.calls: dict[str, Call] = {}
        self.stages: list[Node] = []
        """The node behind each stage of the written text, in order."""

    def statements(self) -> list[Statement]:
        statements: list[Statement] = []
        last: Node | None = None
        for node in writing_order(self.nodes, self.inputs):
            fused = last is not None and self.follows(node, last)
            if node.name in self.shared and node.name not in self.layer_vars:
                # named on a line of its own, before the statement that first applies it
                self.define(node, statements, len(statements) - fused)
            if fused:
                statement = next(s for s in reversed(statements) if s.definition is None)
                statement.nodes.append(node)
            else:
                source = "" if node.is_input else self.source(node)
                statement = Statement([node], source)
                statements.append(statement)
            last = node
            self.name_outputs(statement)
        return statements

    def define(self, node: Node, statements: list[Statement], at: int) -> None:
        layer = node.layer
        calls = [n for n in self.nodes.values() if n.name == node.name]
        if any(n.states for n in calls):
            raise problem(
                "a layer applied more than once and given `initial_state=`: a shared layer "
                "is applied by its name, which takes no arguments",
                layer,
            )
        if any(n.call != node.call for n in calls):
            raise problem("a layer applied more than once with different call arguments", layer)
        var = self.fresh(tensor_name(node.name))
        self.layer_vars[node.name] = var
        statements.insert(at, Statement([], targets=[var], definition=node))

    def follows(self, node: Node, last: Node) -> bool:
        """Whether ``node`` is written as an arrow after ``last``."""
        if last.is_input or last.ports != 1 or node.is_input or node.listed:
            return False
        made = (last.name, last.index, 0)
        return node.inputs == [made] and self.users.get(made) == 1 and made not in self.outputs

    def source(self, node: Node) -> str:
        refs = [self.names[t] for t in node.inputs]
        if node.listed or len(refs) != 1:
            return f"[{', '.join(refs)}]"
        return refs[0]

    def name_outputs(self, statement: Statement) -> None:
        """Name the tensors of the statement's last node (again, as it grows)."""
        node = statement.nodes[-1]
        for t in [t for t in self.names if t[:2] == node.key]:
            self.taken.discard(self.names.pop(t))
        for stale in statement.nodes[:-1]:
            for t in [t for t in self.names if t[:2] == stale.key]:
                self.taken.discard(self.names.pop(t))
        base = tensor_name(node.name)
        if node.name in self.shared:  # `lstm_a`, `lstm_b`: the shared layer on `a`, on `b`
            first = statement.nodes[0].inputs
            base = "_".join([base] + [self.names.get(t, "") for t in first])[:40].rstrip("_")
        targets = []
        for port, suffix in enumerate(port_suffixes(node)):
            t = (node.name, node.index, port)
            if node.ports > 1 and not self.users.get(t):
                targets.append("_")
                continue
            self.names[t] = self.fresh(base + suffix)
            targets.append(self.names[t])
        statement.targets = targets

    def fresh(self, name: str) -> str:
        candidate, number = name, 1
        while candidate in self.taken or candidate.lower() in _RESERVED:
            number += 1
            candidate = f"{name}_{number}"
        self.taken.add(candidate)
        return candidate

    # -- text

    def settle(self, statements: list[Statement]) -> None:
        """Translate every layer made, and settle its name in the order it is written."""
        made: list[Call] = []
        for statement in statements:
            for node in [statement.definition] if statement.definition else statement.nodes:
                if node.is_input:
                    call = arch_text.translate_input(node.layer)
                elif node.name in self.calls:
                    continue  # a shared layer, applied again
                else:
                    call = arch_text.translate(node.layer)
                    call.args.update({k: x for k, x in node.call.items() if x})
                self.calls[node.name] = call
                made.append(call)
        for call in made:
            if call.spec is INPUT:
                call.name = call.name or "input_layer"
        arch_text.settle_names(made)

    def text(self, statements: list[Statement]) -> str:
        lines = []
        for statement in statements:
            if statement.definition is not None:
                node = statement.definition
                self.stages.append(node)
                lines.append(f"{statement.targets[0]} = {self.write(node, define=True)}")
                continue
            parts = [statement.source] if statement.source else []
            for node in statement.nodes:
                self.stages.append(node)
                parts.append(self.write(node))
            left = ", ".join(statement.targets)
            lines.append(f"{left} = {' -> '.join(parts)}")
        return "\n".join(lines) + "\n"

    def write(self, node: Node, define: bool = False) -> str:
        if node.name in self.layer_vars and not define:
            return self.layer_vars[node.name]
        call = self.calls[node.name]
        if node.states:
            call.extra = (f"initial_state=[{', '.join(self.names[t] for t in node.states)}]",)
        try:
            return arch_text.write(call)
        except Unexpressible as error:
            raise ImportProblem("I102", f"{error}, which .arch cannot write", call.ref) from None

    def model_line(self) -> str:
        def listed(tensors: list[Tensor]) -> str:
            names = [self.names[t] for t in tensors]
            return names[0] if len(names) == 1 else f"[{', '.join(names)}]"

        return f"model(inputs={listed(self.inputs)}, outputs={listed(self.outputs)})"


_RESERVED = {"model", "true", "false", "none", "input", "_"}


def tensor_name(layer_name: str) -> str:
    """A layer's name as a tensor's: a word of letters, digits and ``_``, not starting with
    ``_`` (which `.arch` reads as a tensor left unused) or a digit."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", layer_name).lstrip("_")
    if not name or name[0].isdigit():
        name = "t_" + name
    return name


def names_keras_gives(
    writer: GraphWriter,
    statements: list[Statement],
    head: str,
    path: str,
    text: str,
    result: CheckResult,
) -> tuple[str, CheckResult]:
    """``text`` without the names Keras gives by itself to a layer after a masked call's
    operation moved its counter on (`LayerSpec.mask_ops`: a masked ``concatenate`` makes
    the next one ``concatenate_2``), which `arch_text.settle_names`, knowing no masks,
    kept. Which calls had masks only the check tells: the names are dropped, the text
    checked again, and a name that then changes is written again (which can move the
    names after it back: again, until every stage has its saved name)."""
    from .checker import check

    dropped = [
        call
        for call in writer.calls.values()
        if call.keep_name
        and call.spec.mask_ops
        and _looks_automatic(str(call.name), call.spec.snake_name)
    ]
    if not dropped or not result.ok:
        return text, result
    names = {stage.index: stage.name for stage in result.inferred}
    while dropped:
        for call in dropped:
            call.keep_name = False
        writer.stages.clear()
        shorter = head + writer.text(statements)
        again = check(shorter, path)
        if not again.ok:
            break
        by_stage = [writer.calls.get(node.name) for node in writer.stages]
        wrong = {  # the calls whose stages changed name (None: a stage without one)
            id(by_stage[stage.index] if stage.index < len(by_stage) else None)
            for stage in again.inferred
            if names.get(stage.index) != stage.name
        }
        if not wrong:
            return shorter, again
        kept = [call for call in dropped if id(call) not in wrong]
        if len(kept) == len(dropped):  # another layer's name moved: give up, keep them all
            break
        for call in dropped:
            call.keep_name = id(call) in wrong
        dropped = kept
    for call in dropped:
        call.keep_name = True
    writer.stages.clear()
    writer.text(statements)
    return text, result


def _looks_automatic(name: str, base: str) -> bool:
    """Whether ``name`` is one Keras gives a layer of ``base``'s class: ``base_N``."""
    number = name[len(base) + 1 :]
    return name.startswith(base + "_") and number.isdigit() and not number.startswith("0")
