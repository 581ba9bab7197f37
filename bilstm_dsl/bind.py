"""Binding: each stage's call resolved against the registry into a `Layer`.

Names are looked up (with a did-you-mean), short forms expanded (``bilstm(32, concat)`` is
``bidirectional(lstm(32), merge_mode="concat")``), arguments matched Python-style
(positionals in Keras's order, then keywords, bare flags for booleans), each value coerced
and range-checked by its `values` type, and the rules Keras's constructors apply to
arguments taken together are checked. Every problem is reported on the context; a stage
that fails to bind resolves to None, and inference skips it."""

from __future__ import annotations

from . import ast
from . import values as v
from .diagnostics import Span
from .explain import example_value, value_help
from .layers import ALIASES, INPUT, KNOWN_NAMES, LAYERS, LayerSpec
from .lints import argument_ignored
from .model import Context, Layer
from .objects import layer_as_object, rank_problem
from .symbolic import Sym

# -- resolution: calls -> layers


def resolve_input(ctx: Context) -> Layer | None:
    call = ctx.stages[0].call
    if call.name.lower() != "input":
        ctx.report(
            "E111",
            call.name_span,
            f"the chain starts with `{call.name}`, but a model starts with `input(...)`",
            help="write the per-sample shape first, e.g. `input(20, 1) -> ...`",
            stage=0,
        )
        ctx.layers.append(None)
        return None
    layer = bind_input(ctx, call, 0)
    ctx.layers.append(layer)
    return layer


def bind_input(ctx: Context, call: ast.Call, index: int) -> Layer | None:
    """``input(20, 1)`` or ``input(shape=(20, 1), ...)`` at stage ``index``."""
    layer = Layer(INPUT, "input", call)
    dims: list[ast.Arg] = []
    rest: list[ast.Arg] = []
    for arg in call.args:
        (dims if arg.key is None else rest).append(arg)
    ok = True
    for arg in dims:
        value = arg.value
        if isinstance(value, ast.Word) and (value.lower == "none" or _dim_name(value)):
            continue
        if not isinstance(value, ast.Int) or not 0 < value.value < 2**63:
            ok = False
            nested = isinstance(value, ast.Tuple)
            ctx.report(
                "E104",
                arg.span,
                f"input dims are positive integers, `none` or names such as `T`, got "
                f"`{ctx.text(arg.span)}`"
                + (
                    " (past 2**63, which TensorFlow cannot hold)"
                    if isinstance(value, ast.Int)
                    else ""
                ),
                help="write the dims without the extra brackets, e.g. `input(20, 1)`, or "
                "`input(shape=(20, 1))`"
                if nested
                else "write the per-sample shape without the batch, e.g. `input(20, 1)`",
                stage=index,
            )
    ok = bind(ctx, layer, rest, index, provided=("shape",)) and ok
    if dims and "shape" in layer.args:
        ok = False
        ctx.report(
            "E105",
            layer.spans["shape"],
            "the input shape is given twice, as dims and as `shape=`",
            help="keep one of them",
            stage=index,
        )
    elif dims and ok:
        layer.args["shape"] = tuple(_dim(a.value) for a in dims)
        layer.spans["shape"] = dims[0].span.cover(dims[-1].span)
    elif "shape" not in layer.args and ok:
        ok = False
        ctx.report(
            "E107",
            call.span,
            "`input` needs the per-sample shape",
            help="write e.g. `input(20, 1)` for 20 steps of 1 feature",
            stage=index,
        )
    return layer if ok else None


def _dim_name(word: ast.Word) -> bool:
    """A named input dim, ``T`` in ``input(T, 8)``: a name that is not a keyword."""
    return word.lower not in ("none", "true", "false") and word.value.isidentifier()


def _dim(value: ast.Value) -> int | Sym | None:
    if isinstance(value, ast.Word):
        return None if value.lower == "none" else Sym.named(value.value)
    assert isinstance(value, ast.Int)
    return value.value


def resolve_stage(ctx: Context, stage: ast.Stage, index: int) -> Layer | None:
    """A stage after the first: any layer, but not another ``input`` (E111)."""
    call = stage.call
    if call.name.lower() == "input":
        message, help = _LATE_INPUT["graph" if ctx.graph else "chain"]
        ctx.report("E111", call.name_span, message, help=help, stage=index)
        return None
    return resolve(ctx, call, index)


_LATE_INPUT = {
    "chain": ("`input` can only start the chain", "a model has one input; remove this stage"),
    "graph": (
        "`input` starts a chain; it cannot take a tensor",
        "name the input on a line of its own: `x = input(20, 1)`",
    ),
}


def resolve(ctx: Context, call: ast.Call, index: int) -> Layer | None:
    name = call.name.lower()
    alias = ALIASES.get(name)
    if alias is not None and alias.inner is not None:
        return resolve_bidirectional_sugar(ctx, call, alias.inner, index)
    spec = LAYERS.get(alias.wrapper if alias else name)
    if spec is None:  # opaque(...), a plugin's layer or E101: their modules load only now
        from . import opaque, plugins

        if name == opaque.NAME:
            return opaque.bind_opaque(ctx, call, index, bind)
        spec = plugins.find(name)
    if spec is None:
        plugins.report_broken(ctx, call.name_span, index)
        close = v.suggest(name, _LAYER_NAMES | frozenset(plugins.registry().specs))
        ctx.report(
            "E101",
            call.name_span,
            f"unknown layer `{call.name}`",
            help=f"did you mean `{close}`?" if close else "see the layer list in docs/language.md",
            stage=index,
        )
        return None
    layer = Layer(spec, call.name, call)
    ok = bind(ctx, layer, call.args, index)
    return validate(ctx, layer, index) if ok else None


_LAYER_NAMES = KNOWN_NAMES - {"input"}
"""What a stage after the first may be, for a did-you-mean."""

_WRAPPER_ARGS = ("merge_mode", "name", "trainable", "initial_state")
"""What ``bilstm(...)`` gives the `bidirectional` wrapper rather than the inner layer."""


def resolve_bidirectional_sugar(
    ctx: Context, call: ast.Call, inner_name: str, index: int
) -> Layer | None:
    """``bilstm(32, concat, seq)``: the merge mode (a bare word or ``merge_mode=``),
    ``name``, ``trainable`` and ``initial_state`` go to the wrapper; everything else to the
    inner layer."""
    wrapper_spec = LAYERS["bidirectional"]
    outer: list[ast.Arg] = []
    inner_args: list[ast.Arg] = []
    for arg in call.args:
        value = arg.value
        is_mode = (
            arg.key is None
            and isinstance(value, ast.Word)
            and value.lower in v.MERGE_MODES + ("none",)
        )
        if is_mode or (arg.key and arg.key.lower() in _WRAPPER_ARGS):
            outer.append(ast.Arg(arg.key or "merge_mode", arg.key_span, value, arg.span))
        else:
            inner_args.append(arg)
    inner = Layer(LAYERS[inner_name], call.name, call)
    layer = Layer(wrapper_spec, call.name, call, inner=inner)
    ok = bind(ctx, inner, inner_args, index)
    ok = bind(ctx, layer, outer, index, provided=("layer",)) and ok
    if not ok:
        return None
    layer.args["layer"] = inner
    return validate(ctx, layer, index)


def bind(
    ctx: Context,
    layer: Layer,
    args: list[ast.Arg] | tuple[ast.Arg, ...],
    index: int,
    provided: tuple[str, ...] = (),
) -> bool:
    """Match ``args`` to the layer's parameters, Python-style: positionals in Keras's
    order, then keywords; bare flags set booleans."""
    spec, ok = layer.spec, True
    flags = spec.flags
    position = 0
    keyword_seen = False
    for arg in args:
        if arg.key is None:
            value = arg.value
            if type(value) is ast.Word and (flag := flags.get(value.value.lower())):
                if flag in layer.args:
                    ok = assign(ctx, layer, flag, value, arg.span, index) and False
                else:
                    layer.args[flag] = True
                    layer.spans[flag] = arg.span
                continue
            if keyword_seen:
                ok = False
                ctx.report(
                    "E108",
                    arg.span,
                    "a positional argument follows a keyword argument",
                    help="give it by name, or move it before the keyword arguments",
                    stage=index,
                )
                continue
            if position >= len(spec.positional):
                ok = False
                taken = ", ".join(f"`{p}`" for p in spec.positional) or "none"
                ctx.report(
                    "E106",
                    arg.span,
                    f"`{layer.written}` takes at most {len(spec.positional)} positional "
                    f"arguments ({taken}), this is one more",
                    help=flag_help(ctx, spec, value) or "give it by name: `name=value`",
                    stage=index,
                )
                continue
            name = spec.positional[position]
            position += 1
            ok = assign(ctx, layer, name, value, arg.span, index) and ok
        else:
            keyword_seen = True
            key = arg.key
            if key not in spec.by_name and key.lower() in spec.by_name:
                key = key.lower()
            if key not in spec.by_name:
                ok = False
                close = v.suggest(key, spec.by_name)
                ctx.report(
                    "E102",
                    arg.key_span or arg.span,
                    f"`{layer.written}` has no argument `{key}`",
                    help=f"did you mean `{close}`?"
                    if close
                    else f"`{spec.keras_class}` takes "
                    + ", ".join(f"`{p.name}`" for p in spec.params),
                    stage=index,
                )
                continue
            ok = assign(ctx, layer, key, arg.value, arg.span, index) and ok
    for param in spec.required:
        missing = param.name not in layer.args and param.name not in provided
        if missing and ok:
            ok = False
            ctx.report(
                "E107",
                layer.call.span,
                f"`{layer.written}` needs `{param.name}`",
                help=f"write e.g. `{layer.written}({example_value(param.name)})`",
                stage=index,
            )
    return ok


def flag_help(ctx: Context, spec: LayerSpec, value: ast.Value) -> str | None:
    if isinstance(value, ast.Word) and spec.flags:
        close = v.suggest(value.lower, spec.flags)
        if close:
            return f"did you mean the flag `{close}`?"
    return None


def assign(ctx: Context, layer: Layer, name: str, value: ast.Value, span: Span, index: int) -> bool:
    if name in layer.args:
        ctx.report(
            "E105",
            span,
            f"`{name}` is given twice",
            help=f"keep one value for `{name}`",
            stage=index,
        )
        return False
    param = layer.spec.by_name[name]
    kind = param.type  # `kind(name, value)`, without the call through `Type.__call__`
    try:
        if kind.nullable and type(value) is ast.Word and value.value.lower() == "none":
            coerced = None
        else:
            coerced = kind.coerce(name, value)
    except v.ArgError as error:
        if error.code == "E117" and isinstance(value, ast.Call):
            error = layer_as_object(name, kind.name, value, KNOWN_NAMES) or error
        ctx.report(
            error.code,
            error.span or (value.span if hasattr(value, "span") else span),
            error.message,
            error.help,
            index,
        )
        return False
    if param.check is not None:
        reason = param.check(name, coerced)
        if reason:
            ctx.report(
                "E104",
                value.span,
                f"invalid value for `{name}`: {reason}",
                help=value_help(name),
                stage=index,
            )
            return False
    if kind.name in v.OBJECT_EXAMPLES and (why := rank_problem(layer.keras_class, name, coerced)):
        ctx.report("E133", value.span, why[0], help=why[1], stage=index)
        return False
    if param.legacy is not None:
        argument_ignored(ctx, layer, name, span, param.legacy, index)
    if type(coerced) is tuple and coerced and all(type(c) is ast.Call for c in coerced):
        # a list of layers (``stackedrnncells([lstmcell(8), grucell(4)])``)
        made = [resolve(ctx, c, index) for c in coerced]
        if any(m is None for m in made):
            return False
        coerced = tuple(made)
    if type(coerced) is ast.Call:
        inner = resolve(ctx, coerced, index)
        if inner is None:
            return False
        if name == "backward_layer":
            layer.backward = inner
        else:
            layer.inner = inner
        coerced = inner
    layer.args[name] = coerced
    layer.spans[name] = span
    return True


def validate(ctx: Context, layer: Layer, index: int) -> Layer | None:
    """Rules about a layer's arguments taken together (Keras's ``__init__`` checks)."""
    if "initial_state" in layer.args and not ctx.graph:
        ctx.report(
            "E131",
            layer.spans["initial_state"],
            "`initial_state` names tensors, but a chain has no named tensors",
            help="write the model as a graph, naming the states: "
            "`out, h, c = enc -> lstm(8, state)`, then `dec -> lstm(8, initial_state=[h, c])`",
            stage=index,
        )
        return None
    if layer.keras_class != "Bidirectional":
        return layer
    ok = True
    for role, wrapped in (("layer", layer.inner), ("backward_layer", layer.backward)):
        if wrapped is None:
            continue
        if wrapped.spec.family != "recurrent":
            ok = False
            fix = f"td({ctx.text(wrapped.call.span)})"
            ctx.report(
                "E112",
                wrapped.call.span,
                f"`bidirectional` wraps a recurrent layer (lstm, gru, simplernn), "
                f"not `{wrapped.written}`",
                help=f"to apply `{wrapped.written}` to every step, write `{fix}`",
                stage=index,
            )
        elif role == "layer" and wrapped.get("go_backwards"):
            ok = False
            ctx.report(
                "E113",
                wrapped.spans.get("go_backwards", wrapped.call.span),
                "`go_backwards=true` inside `bidirectional`: Keras 3 rejects it, the "
                "wrapper already runs a backward copy",
                help="remove `go_backwards`",
                stage=index,
            )
    back = layer.backward
    if ok and back is not None and layer.inner is not None:
        if not back.get("go_backwards"):
            ok = False
            ctx.report(
                "E113",
                back.call.span,
                "the `backward_layer` of `bidirectional` must read the sequence backwards",
                help="add `go_backwards=true` to the backward layer",
                stage=index,
            )
        else:
            # Keras's `_verify_layer_config` (keras/src/layers/rnn/bidirectional.py).
            for arg in ("stateful", "return_sequences", "return_state"):
                if bool(back.get(arg)) != bool(layer.inner.get(arg)):
                    ok = False
                    ctx.report(
                        "E119",
                        back.call.span,
                        f"the forward and backward layers of `bidirectional` disagree on `{arg}`",
                        help=f"give both layers the same `{arg}`",
                        stage=index,
                    )
            forward_units, backward_units = layer.inner.get("units"), back.get("units")
            if forward_units != backward_units:
                ok = False
                mode = layer.get("merge_mode")
                if mode in ("sum", "mul", "ave"):
                    message = (
                        f"`merge_mode={mode}` combines both directions per element, so both "
                        "need the same `units`"
                    )
                else:
                    # `compute_output_shape` reads the forward layer alone: the model
                    # declares one width and computes another, and fails when called.
                    message = (
                        f"the backward layer has {backward_units} units and the forward "
                        f"layer {forward_units}: Keras takes the output shape of "
                        "`bidirectional` from the forward layer alone, so the model builds "
                        "but fails when called"
                    )
                ctx.report(
                    "E119",
                    back.call.span,
                    message,
                    help="give both layers the same `units`",
                    stage=index,
                )
    return layer if ok else None
