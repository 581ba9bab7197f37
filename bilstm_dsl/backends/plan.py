"""A checked spec as Keras constructor calls, without importing Keras.

Generic by design: a layer becomes ``keras.layers.<Class>(*positional, **keywords)`` with
the arguments the user wrote, under their Keras names, and nothing else, so Keras's own
defaults apply (the cuDNN fast path included). The only special shapes are wrappers,
whose ``layer``/``backward_layer`` arguments are calls themselves. Both the model builder
and the Python emitter render this plan, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import CheckResult
from ..symbolic import as_keras
from .calls import Call, layer_call

if TYPE_CHECKING:
    from .graph_plan import GraphPlan


@dataclass(frozen=True)
class Step:
    """One stage of the chain: its call and where it came from."""

    call: Call
    line: int
    source: str
    """The stage's text in the spec, on one line."""
    call_kwargs: dict[str, object] = field(default_factory=dict)
    """Arguments given when the layer is called (``return_attention_scores=True``)."""


@dataclass(frozen=True)
class Plan:
    name: str
    input: dict[str, object]
    """Keyword arguments of ``keras.Input``."""
    steps: tuple[Step, ...]
    header: str
    """The spec's leading comment, for the generated code's docstring."""


def plan(result: CheckResult, name: str) -> Plan | GraphPlan:
    """The plan of a spec that checked without errors."""
    if not result.ok or result.input is None:
        raise ValueError("only a spec without errors can be compiled")
    if result.graph is not None:
        from .graph_plan import graph_plan

        return graph_plan(result, name, _header(result.source))
    inp = result.input
    inputs: dict[str, object] = {"shape": as_keras(inp.get("shape"))}  # type: ignore[arg-type]
    for key in ("batch_size", "dtype"):
        if key in inp.args:
            inputs[key] = inp.args[key]
    inputs["name"] = inp.args.get("name") or "input_layer"
    steps = []
    for stage in result.stages:
        span = stage.layer.call.span
        text = " ".join(result.source[span.start : span.end].split())
        call_kwargs = {
            p.name: stage.layer.args[p.name]
            for p in stage.layer.spec.params
            if p.call and p.name in stage.layer.args
        }
        steps.append(Step(layer_call(stage.layer, stage.name), span.line, text, call_kwargs))
    return Plan(name, inputs, tuple(steps), _header(result.source))


def _header(source: str) -> str:
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped[1:].strip())
    return "\n".join(lines).strip()
