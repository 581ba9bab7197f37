"""A saved Keras model's config turned into `.arch` text: `bilstm-dsl import`.

The input is the model's serialized config (`saved.read_model` reads it from a `.keras`,
`.json` or `.h5` file); Keras 2 configs are first brought to Keras 3 (`keras2.modernize`,
which says what it changed). Then:

1. the model is walked as a chain (`chain`): a Sequential's layers in order, or a
   functional model whose every layer takes the one tensor (or all the tensors) of the
   layer before. Any other functional model (several inputs or outputs, a merge, a branch,
   a layer applied twice, ``initial_state``) is written as a graph (`import_graph`); what
   neither can express (a model inside the model) is `ImportProblem` I103, naming the
   construct and its layer;
2. each layer becomes a call (`arch_text.translate`): its class looked up in the registry
   (`layers.py`), every saved value read back into the value `.arch` writes
   (`keras_config`), and every argument that holds Keras's default left out;
3. layer names are kept only where they differ from what Keras would name the layer in the
   rebuilt model (`arch_text.settle_names`: the rule of `naming.name_layers`);
4. the calls are written out in the shortest form that means the same (`arch_text.write`).

The text is then checked (`checker.check`): the result travels with it, for `check
MODEL.keras` to report, and it confirms what only inference knows, such as how many
tensors the last layer returns. Standard library only: neither Keras nor TensorFlow is
imported, and no weight is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import arch_text
from .arch_text import ImportProblem, LayerRef
from .checker import CheckResult, check
from .keras2 import modernize
from .keras_config import Unexpressible

__all__ = ["CODES", "ImportProblem", "Imported", "LayerRef", "import_model"]

CODES = {
    "I101": "a layer class .arch has no form for",
    "I102": "an argument or value .arch cannot write",
    "I103": "a construct a graph cannot express (a nested model, a call with arguments .arch "
    "cannot pass)",
    "I104": "a model saved without an input shape",
    "I105": "a config Keras would not have written (a damaged or hand-edited file)",
}
"""The problems `import` (and `check MODEL.keras`) can report; stable, never reused. They
concern the saved model rather than a spec, so they live here rather than in the
diagnostics catalogue, whose examples are `.arch` text."""


class NotAChain(ImportProblem):
    """The model is not a chain: `import_graph` writes it as a graph instead."""


def _not_a_chain(message: str, layer: LayerRef | None) -> ImportProblem:
    return NotAChain("I103", message, layer)


@dataclass(frozen=True)
class Imported:
    """A saved model as `.arch`."""

    text: str
    """The spec: notes as ``#`` comments first, then the chain, one stage per line."""
    notes: tuple[str, ...]
    """What changed on the way from Keras 2 to Keras 3, one line each."""
    layers: tuple[LayerRef, ...]
    """The saved layer behind each stage (0 is the input), as the file names it."""
    result: CheckResult
    """The check of `text`."""
    name: str | None = None
    """The model's name in the file (`.arch` has no place for it; `compile --name`)."""


def import_model(model: dict[str, object], path: str = "<model>") -> Imported:
    """The `.arch` form of ``model`` (``{"class_name": ..., "config": {...}}``, as a
    `.keras` archive's config.json holds it). Raises `ImportProblem` for a model `.arch`
    cannot express; ``path`` names the model in the check's result."""
    try:
        model, notes = modernize(model)
        head = "".join(f"# note: {note}\n" for note in notes)
        try:
            text, refs, result = _as_chain(model, head, path)
        except NotAChain:
            text, refs, result = _as_graph(model, head, path)
    except RecursionError:  # layers wrapped in layers, hundreds deep: not from Keras
        raise _malformed("the config nests layers inside layers too deeply to read") from None
    config = model.get("config")
    name = config.get("name") if isinstance(config, dict) else None
    return Imported(text, tuple(notes), refs, result, name if isinstance(name, str) else None)


def _as_chain(model: dict[str, object], head: str, path: str):  # noqa: ANN202
    """The model as a chain, one stage per line; `NotAChain` where it is not one."""
    entries, outputs = chain(model)
    stages = [arch_text.translate_input(entries[0])]
    stages += [arch_text.translate(entry) for entry in entries[1:]]
    arch_text.settle_names(stages[1:])
    lines = [_write(stages[0])]
    lines += ["  -> " + _write(stage) for stage in stages[1:]]
    text = head + "\n".join(lines) + "\n"
    refs = tuple(stage.ref for stage in stages)
    result = check(text, path)
    _confirm(result, refs, entries, outputs)
    return text, refs, result


def _as_graph(model: dict[str, object], head: str, path: str):  # noqa: ANN202
    """The functional model as a graph (`import_graph`), with ``model(...)`` only where
    the defaults would give other inputs or outputs than the saved ones."""
    from . import import_graph  # only for graphs: a chain's cold path stays as it was

    config = model["config"]
    assert isinstance(config, dict)
    layers = [layer for layer in config["layers"] if isinstance(layer, dict)]
    outputs = _tensors(config.get("output_layers"))
    masks = _mask_ops(layers, outputs)
    layers = [layer for layer in layers if _name(layer) not in masks]
    nodes = import_graph.read_nodes(layers, masks, _name, _collect, _is_tensor)
    inputs = _tensors(config.get("input_layers"))
    for node in nodes.values():
        for t in [*node.inputs, *node.states]:
            made = nodes.get(t[:2])
            if made is None or not 0 <= t[2] < made.ports:
                raise _malformed(f"the layer takes {t[0]!r}'s tensor {t[2]}, which is not "
                                 "in the model", LayerRef.of(node.layer))  # fmt: skip
    for t in [*inputs, *outputs]:
        made = nodes.get(t[:2])
        if made is None or not 0 <= t[2] < made.ports or (t in inputs and not made.is_input):
            raise _malformed(f"the model's input or output {t[0]!r} is not one of its layers")
    writer = import_graph.GraphWriter(nodes, inputs, outputs)
    statements = writer.statements()
    writer.settle(statements)
    text = head + writer.text(statements)
    refs = tuple(LayerRef.of(node.layer) or LayerRef("?", "?") for node in writer.stages)
    result = check(text, path)
    text, result = import_graph.names_keras_gives(writer, statements, head, path, text, result)
    graph = result.graph
    stages = writer.stages
    if (
        graph is None
        or [stages[s].name for s in graph.inputs] != [t[0] for t in inputs]
        or [(stages[s].name, stages[s].index, port) for s, port in graph.outputs] != outputs
    ):
        text += writer.model_line() + "\n"
        result = check(text, path)
    return text, refs, result


def _write(call: arch_text.Call) -> str:
    try:
        return arch_text.write(call)
    except Unexpressible as error:
        raise ImportProblem("I102", f"{error}, which .arch cannot write", call.ref) from None


def _malformed(what: str, layer: LayerRef | None = None) -> ImportProblem:
    return ImportProblem(
        "I105",
        what,
        layer,
        help="the file is damaged or was edited by hand: save the model again from Keras",
    )


# -- the chain


Tensor = tuple[str, int, int]
"""A tensor in a functional config: (layer name, node index, tensor index)."""


def chain(model: dict[str, object]) -> tuple[list[dict[str, object]], list[Tensor] | None]:
    """The model's layers in chain order, an InputLayer first, and (for a functional
    model) the tensors it outputs."""
    cls = model.get("class_name")
    config = model.get("config")
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise _malformed(f"a {cls} model without a list of layers")
    layers = [layer for layer in config["layers"] if isinstance(layer, dict)]
    for layer in layers:
        if layer.get("class_name") in _MODELS:
            raise ImportProblem(
                "I103",
                "a model used as a layer (a nested model)",
                LayerRef.of(layer),
                help="import the inner model on its own, or write its layers in its place",
            )
    if cls == "Sequential":
        return _sequential(config, layers), None
    if cls in _MODELS:
        return _functional(config, layers)
    raise ImportProblem("I101", f"`{cls}` is not a Keras model class", None)


_MODELS = ("Sequential", "Functional", "Model")


def _sequential(config: dict[str, object], layers: list[dict[str, object]]):  # noqa: ANN202
    if layers and layers[0].get("class_name") == "InputLayer":
        return layers
    shape = config.get("build_input_shape")
    if not isinstance(shape, list) or not shape:
        raise ImportProblem(
            "I104",
            "the Sequential model was saved before it was built: nothing in it says the "
            "shape of its input",
            None,
            help="give it an input first (`keras.Input(shape)` as its first layer, or "
            "`model.build((None, 20, 1))`) and save it again",
        )
    return [{"class_name": "InputLayer", "config": {"batch_shape": shape}}] + layers


def _functional(config: dict[str, object], layers: list[dict[str, object]]):  # noqa: ANN202
    by_name = {_name(layer): layer for layer in layers}
    inputs = _tensors(config.get("input_layers"))
    outputs = _tensors(config.get("output_layers"))
    if len(inputs) != 1:
        named = ", ".join(repr(t[0]) for t in inputs) or "none"
        raise _not_a_chain(
            f"the model has {len(inputs)} inputs ({named}); a chain has one",
            LayerRef.of(by_name.get(inputs[1][0])) if len(inputs) > 1 else None,
        )
    sources = {t[0] for t in outputs}
    if not sources:
        raise _malformed("the model has no output")
    masks = _mask_ops(layers, outputs)
    layers = [layer for layer in layers if _name(layer) not in masks]
    feeds: dict[str, list[str]] = {}
    taken: dict[str, list[int]] = {}
    for layer in layers:
        if layer.get("class_name") == "InputLayer":
            continue
        nodes = _nodes(layer, masks)
        if len(nodes) != 1:
            raise _not_a_chain(
                f"the layer is applied {len(nodes)} times (a shared layer)"
                if nodes
                else "the layer is not connected to the model's input",
                LayerRef.of(layer),
            )
        producers = sorted({t[0] for t in nodes[0]})
        if len(producers) != 1:
            raise _not_a_chain(
                f"the layer takes tensors from {len(producers)} layers "
                f"({', '.join(map(repr, producers))}): a merge",
                LayerRef.of(layer),
            )
        feeds.setdefault(producers[0], []).append(_name(layer))
        taken[_name(layer)] = [t[2] for t in nodes[0]]
    if inputs[0][0] not in by_name:
        raise _malformed(f"the model's input {inputs[0][0]!r} is not among its layers")
    entries = [by_name[inputs[0][0]]]
    seen = {inputs[0][0]}
    last = inputs[0][0]
    while feeds.get(last):
        after = feeds[last]
        if len(after) > 1 or last in sources:
            users = ", ".join([repr(n) for n in after] + ["the model output"] * (last in sources))
            raise _not_a_chain(
                f"the output of this layer goes to {len(after) + (last in sources)} places "
                f"({users}): a branch",
                LayerRef.of(by_name.get(last)),
            )
        last = after[0]
        if last in seen:
            raise _not_a_chain("the layers form a cycle", LayerRef.of(by_name.get(last)))
        seen.add(last)
        entry = dict(by_name[last])
        entry["_taken"] = taken[last]
        entries.append(entry)
    if sources != {last}:
        other = sorted(sources - {last})[0]
        raise _not_a_chain(
            f"the model outputs {other!r}, which is not at the end of the chain from the "
            f"input (it ends at {last!r})",
            LayerRef.of(by_name.get(other)),
        )
    stray = [layer for layer in layers if _name(layer) not in seen]
    if stray:
        raise _not_a_chain("the layer is not on the chain from the input", LayerRef.of(stray[0]))
    return entries, outputs


def _name(layer: dict[str, object] | None) -> str:
    config = layer.get("config") if layer else None
    name = config.get("name") if isinstance(config, dict) else None
    if not isinstance(name, str) and layer is not None:
        name = layer.get("name")
    return name if isinstance(name, str) else ""


def _tensors(value: object) -> list[Tensor]:
    """``["a", 0, 0]`` (Keras 3, one tensor) or ``[["a", 0, 0], ...]``."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [(t[0], int(t[1]), int(t[2])) for t in value if _is_tensor(t)]


def _is_tensor(item: object) -> bool:
    return (
        isinstance(item, list | tuple)
        and len(item) >= 3
        and isinstance(item[0], str)
        and all(isinstance(i, int) and not isinstance(i, bool) for i in item[1:3])
    )


def _mask_ops(layers: list[dict[str, object]], outputs: list[Tensor]) -> set[str]:
    """The operations Keras records when layers compute masks, which the rebuilt model
    computes again by itself: Embedding(mask_zero) is ``not_equal(ids, 0)``, Masking
    ``any(not_equal(x, value), axis=-1)``, a merge of masked tensors ``logical_or`` (or
    ``logical_and``, ``concatenate``) of their masks (``compute_mask`` in
    keras/src/layers/core/embedding.py, core/masking.py, merging/base_merge.py). An
    operation is one of them when only ``mask=`` arguments, or other such operations, take
    its tensors; any other operation is a layer .arch has no form for (I101)."""
    masks = {
        _name(layer)
        for layer in layers
        if isinstance(layer.get("module"), str)
        and str(layer.get("module")).startswith("keras.src.ops")
    }
    masks -= {t[0] for t in outputs}
    changed = True
    while changed:
        changed = False
        for layer in layers:
            if _name(layer) in masks:
                continue
            nodes = layer.get("inbound_nodes")
            for node in nodes if isinstance(nodes, list) else []:
                if not isinstance(node, dict):
                    continue
                kwargs = node.get("kwargs") if isinstance(node.get("kwargs"), dict) else {}
                used: list[Tensor] = []
                _collect(node.get("args"), used)
                _collect([x for k, x in kwargs.items() if k != "mask"], used)  # type: ignore[union-attr]
                hit = {t[0] for t in used} & masks
                if hit:
                    masks -= hit
                    changed = True
    return masks


def _nodes(layer: dict[str, object], masks: set[str]) -> list[list[Tensor]]:
    """The tensors each call of ``layer`` takes (Keras 3's or Keras 2's node format);
    `ImportProblem` for a call with anything more than its one input (``initial_state``,
    a second positional input, a ``mask`` other than the one Keras computed, in
    ``masks``)."""
    nodes = layer.get("inbound_nodes") or []
    found: list[list[Tensor]] = []
    for node in nodes if isinstance(nodes, list) else []:
        tensors: list[Tensor] = []
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            args = node.get("args") or []
            kwargs = node.get("kwargs") or {}
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise _malformed("a call of the layer is not one Keras writes", LayerRef.of(layer))
            if len(args) != 1:
                _extra_input(layer, f"{len(args)} positional inputs")
            if isinstance(args[0], list):
                raise _not_a_chain(
                    "the layer is called on a list of tensors, which a chain cannot pass",
                    LayerRef.of(layer),
                )
            _collect(args, tensors)
            for key, value in kwargs.items():
                if key == "mask" and value is not None:
                    given: list[Tensor] = []
                    _collect(value, given)
                    if given and all(t[0] in masks for t in given):
                        continue
                if key != "training" and value is not None:
                    _extra_input(layer, f"`{key}=`")
        elif isinstance(node, list):  # Keras 2: [[name, node, index, kwargs], ...]
            for item in node:
                if _is_tensor(item):
                    tensors.append((item[0], item[1], item[2]))
                    kwargs = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
                    for key, value in kwargs.items():
                        if key != "training" and value is not None:
                            _extra_input(layer, f"`{key}=`")
        found.append(tensors)
    return found


def _collect(value: object, into: list[Tensor]) -> None:
    if isinstance(value, dict):
        config = value.get("config")
        history = config.get("keras_history") if isinstance(config, dict) else None
        if value.get("class_name") == "__keras_tensor__" and _is_tensor(history):
            into.append((history[0], history[1], history[2]))
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, into)


def _extra_input(layer: dict[str, object], what: str) -> None:
    raise _not_a_chain(
        f"the layer is called with {what} besides its input, which a chain cannot pass",
        LayerRef.of(layer),
    )


def _confirm(
    result: CheckResult,
    refs: tuple[LayerRef, ...],
    entries: list[dict[str, object]],
    outputs: list[Tensor] | None,
) -> None:
    """What the walk could not know without inference: each layer takes every tensor the
    one before returns (the chain passes them all on), and the model outputs every tensor
    of the last layer."""
    counts = {info.index: len(info.shapes) for info in result.inferred}
    counts[0] = 1
    for index, entry in enumerate(entries[1:], 1):
        taken = entry.get("_taken")
        made = counts.get(index - 1)
        if taken is None or made is None or taken == list(range(made)):
            continue
        raise _not_a_chain(
            f"the layer takes {_tensor_list(taken)} of the {made} tensors "
            f"{refs[index - 1].name!r} returns, but a chain passes them all on",
            refs[index],
        )
    if outputs is not None:
        last = len(entries) - 1
        indices = [t[2] for t in outputs]
        made = counts.get(last)
        if made is not None and indices != list(range(made)):
            raise _not_a_chain(
                f"the model outputs {_tensor_list(indices)} of the {made} tensors the layer "
                "returns, but a chain outputs them all",
                refs[last],
            )


def _tensor_list(indices: list[int]) -> str:
    shown = ", ".join(str(i) for i in indices)
    return f"tensor {shown}" if len(indices) == 1 else f"tensors {shown}"
