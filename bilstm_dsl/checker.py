"""AST -> checked model: every stage resolved against the registry, its shapes and weights
inferred as Keras 3 would, and every problem collected as a diagnostic.

The checker never raises on user input. It resolves all stages first (so argument mistakes
are reported everywhere), then walks the chain with the shape rules of `shapes`; after the
first shape error the shapes further down are unknown, so it stops inferring rather than
report a cascade.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from . import ast
from . import values as v
from .diagnostics import Diagnostic, Severity, Span
from .layers import ACTIVATION_INT, ALIASES, INPUT, KNOWN_NAMES, LAYERS, LayerSpec
from .parser import parse
from .shapes import Output, Shape, ShapeError, fmt

ERROR, WARNING, NOTE = Severity.ERROR, Severity.WARNING, Severity.NOTE


class Layer:
    """A call resolved against the registry: the Keras class and the arguments the user
    gave, coerced to Python values. Defaults are not stored, so the backend can emit only
    what was written."""

    __slots__ = ("spec", "written", "call", "args", "spans", "inner", "backward")

    def __init__(self, spec: LayerSpec, written: str, call: ast.Call, inner: Layer | None = None):
        self.spec = spec
        self.written = written
        self.call = call
        self.args: dict[str, object] = {}
        self.spans: dict[str, Span] = {}
        self.inner = inner
        self.backward: Layer | None = None

    def get(self, name: str) -> object:
        """The value of ``name``, Keras's default when not written; None for an argument
        this layer does not have."""
        args = self.args
        return args[name] if name in args else self.spec.defaults.get(name)

    @property
    def keras_class(self) -> str:
        return self.spec.keras_class

    def span_of(self, name: str) -> Span | None:
        """Where argument ``name`` was written, here or in a wrapped layer."""
        for layer in (self, self.inner, self.backward):
            if layer is not None and name in layer.spans:
                return layer.spans[name]
        return None


@dataclass(slots=True)
class StageInfo:
    """One checked stage: what Keras will build there and what comes out."""

    index: int
    name: str
    layer: Layer
    shapes: tuple[Shape, ...]
    trainable: int
    non_trainable: int
    span: Span

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


@dataclass(frozen=True)
class CheckResult:
    source: str
    path: str
    diagnostics: tuple[Diagnostic, ...]
    input: Layer | None
    stages: tuple[StageInfo, ...]
    """The layers after the input, when the whole chain checked without error."""
    inferred: tuple[StageInfo, ...] = ()
    """Every stage inferred, kept even when there are errors (an editor's hover)."""

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def input_shape(self) -> Shape:
        assert self.input is not None
        return (self.input.get("batch_size"),) + tuple(self.input.get("shape"))  # type: ignore[arg-type]

    @property
    def summary(self) -> dict[str, object] | None:
        """The `summary --format json` object, or None when the spec has errors."""
        if not self.ok or self.input is None:
            return None
        layers = [
            {
                "name": s.name,
                "type": s.layer.keras_class,
                "output_shape": _jsonable(s.shapes),
                "params": s.params,
            }
            for s in self.stages
        ]
        trainable = sum(s.trainable for s in self.stages)
        non_trainable = sum(s.non_trainable for s in self.stages)
        last = self.stages[-1].shapes if self.stages else (self.input_shape,)
        return {
            "layers": layers,
            "output_shape": _jsonable(last),
            "total_params": trainable + non_trainable,
            "trainable_params": trainable,
            "non_trainable_params": non_trainable,
        }


def _jsonable(shapes: tuple[Shape, ...]) -> list:
    if len(shapes) == 1:
        return list(shapes[0])
    return [list(s) for s in shapes]


MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""Largest spec accepted (E011): real specs are a few hundred bytes, and a bound keeps a
stray multi-megabyte file from costing seconds and hundreds of megabytes."""


def _too_large(size: int, source: str, path: str) -> CheckResult:
    diag = Diagnostic(
        "E011",
        ERROR,
        Span.at(source, 0, 0),
        f"the spec is {size:,} bytes, more than the limit of {MAX_SOURCE_BYTES:,}",
        help="a model is a chain of a few layers; is this the right file?",
    )
    return CheckResult(source, path, (diag,), None, ())


def check(source: str, path: str = "<string>") -> CheckResult:
    """Check ``source``; whatever the text, the result is diagnostics, never an exception.

    The cyclic garbage collector is paused meanwhile: a check builds only acyclic data
    (reference counting frees all of it), and on a 20,000-stage chain the collector's
    repeated passes over the growing tree made checking time grow faster than linearly."""
    if len(source) > MAX_SOURCE_BYTES:
        return _too_large(len(source.encode("utf-8", "surrogatepass")), "", path)
    paused = gc.isenabled()
    gc.disable()
    try:
        return _Checker(source, path).run()
    finally:
        if paused:
            gc.enable()


def check_bytes(data: bytes, path: str = "<string>") -> CheckResult:
    """Check a file's raw bytes: UTF-8 (a leading BOM is skipped); invalid UTF-8 is
    diagnostic E007 at the first bad byte, not an exception."""
    if len(data) > MAX_SOURCE_BYTES:
        return _too_large(len(data), "", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8")
        text = good + data[error.start :].decode("utf-8", errors="replace")
        diag = Diagnostic(
            "E007",
            ERROR,
            Span.at(text, len(good), len(good) + 1),
            f"the file is not valid UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start})",
            help="save the file as UTF-8; .arch files are plain text",
        )
        return CheckResult(text, path, (diag,), None, ())
    return check(text, path)


@dataclass(slots=True)
class _Flow:
    """What flows from one stage to the next, with the provenance messages need."""

    shapes: tuple[Shape, ...]
    stage: int
    collapsed_at: int | None = None
    """The stage of the recurrent layer that dropped the time axis, if it still matters."""
    multi_at: int | None = None
    """The stage that split the flow into several tensors."""
    masked_at: int | None = None
    """The stage whose Keras mask travels with the tensor (embedding(mask_zero), masking)."""
    dtype: str = "float32"
    """The input's dtype, until a layer that computes in float32 (all but Flatten/Reshape)."""


class _Checker:
    def __init__(self, source: str, path: str) -> None:
        self.source = source
        self.path = path
        self.diags: list[Diagnostic] = []
        self.layers: list[Layer | None] = []
        self.stages: list[ast.Stage] = []
        self.noted_mask = False

    # -- reporting

    def report(
        self,
        code: str,
        span: Span,
        message: str,
        help: str | None = None,
        stage: int | None = None,
        severity: Severity = ERROR,
    ) -> None:
        self.diags.append(Diagnostic(code, severity, span, message, help, stage))

    def line_of(self, stage: int) -> int:
        return self.stages[stage].call.span.line

    def text(self, span: Span) -> str:
        return self.source[span.start : span.end]

    # -- the pipeline

    def run(self) -> CheckResult:
        parsed = parse(self.source)
        if parsed.diagnostics:
            return CheckResult(self.source, self.path, parsed.diagnostics, None, ())
        if parsed.chain is None:
            self.report(
                "E008",
                Span.at(self.source, 0, 0),
                "the file holds no model",
                help="write a chain such as `input(20, 1) -> lstm(32) -> dense(1)`",
            )
            return self.result(None, ())
        self.stages = list(parsed.chain.stages)
        input_layer = self.resolve_input()
        for index, stage in enumerate(self.stages[1:], 1):
            self.layers.append(self.resolve_stage(stage, index))
        self.unique_names()
        infos = self.infer(input_layer)
        self.cudnn_warnings()
        return self.result(input_layer, tuple(infos))

    def result(self, input_layer: Layer | None, infos: tuple[StageInfo, ...]) -> CheckResult:
        # A warning on the very span of an error adds nothing: the error must be fixed.
        error_spans = {d.span for d in self.diags if d.is_error}
        diags = sorted(
            (d for d in self.diags if d.is_error or d.span not in error_spans),
            key=lambda d: (d.span.start, d.code),
        )
        ok = not any(d.is_error for d in diags)
        return CheckResult(
            self.source, self.path, tuple(diags), input_layer, infos if ok else (), infos
        )

    def unique_names(self) -> None:
        """Keras refuses a model whose layers share a name."""
        seen: dict[str, int] = {}
        for index, layer in enumerate(self.layers):
            name = layer.args.get("name") if layer is not None else None
            if not name:
                continue
            if name in seen:
                self.report(
                    "E104",
                    layer.spans["name"],
                    f"the layer name `{name}` is already used on line {self.line_of(seen[name])}",
                    help="give each layer its own name",
                    stage=index,
                )
            else:
                seen[str(name)] = index

    # -- resolution: calls -> layers

    def resolve_input(self) -> Layer | None:
        call = self.stages[0].call
        if call.name.lower() != "input":
            self.report(
                "E111",
                call.name_span,
                f"the chain starts with `{call.name}`, but a model starts with `input(...)`",
                help="write the per-sample shape first, e.g. `input(20, 1) -> ...`",
                stage=0,
            )
            self.layers.append(None)
            return None
        layer = Layer(INPUT, "input", call)
        dims: list[ast.Arg] = []
        rest: list[ast.Arg] = []
        for arg in call.args:
            (dims if arg.key is None else rest).append(arg)
        ok = True
        for arg in dims:
            value = arg.value
            if isinstance(value, ast.Word) and value.lower == "none":
                continue
            if not isinstance(value, ast.Int) or value.value <= 0:
                ok = False
                nested = isinstance(value, ast.Tuple)
                self.report(
                    "E104",
                    arg.span,
                    f"input dims are positive integers or `none`, got `{self.text(arg.span)}`",
                    help="write the dims without the extra brackets, e.g. `input(20, 1)`, or "
                    "`input(shape=(20, 1))`"
                    if nested
                    else "write the per-sample shape without the batch, e.g. `input(20, 1)`",
                    stage=0,
                )
        ok = self.bind(layer, rest, 0, provided=("shape",)) and ok
        if dims and "shape" in layer.args:
            ok = False
            self.report(
                "E105",
                layer.spans["shape"],
                "the input shape is given twice, as dims and as `shape=`",
                help="keep one of them",
                stage=0,
            )
        elif dims and ok:
            layer.args["shape"] = tuple(
                None if isinstance(a.value, ast.Word) else a.value.value  # type: ignore[union-attr]
                for a in dims
            )
            layer.spans["shape"] = dims[0].span.cover(dims[-1].span)
        elif "shape" not in layer.args and ok:
            ok = False
            self.report(
                "E107",
                call.span,
                "`input` needs the per-sample shape",
                help="write e.g. `input(20, 1)` for 20 steps of 1 feature",
                stage=0,
            )
        self.layers.append(layer if ok else None)
        return layer if ok else None

    def resolve_stage(self, stage: ast.Stage, index: int) -> Layer | None:
        call = stage.call
        if call.name.lower() == "input":
            self.report(
                "E111",
                call.name_span,
                "`input` can only start the chain",
                help="a model has one input; remove this stage",
                stage=index,
            )
            return None
        return self.resolve(call, index)

    def resolve(self, call: ast.Call, index: int) -> Layer | None:
        name = call.name.lower()
        alias = ALIASES.get(name)
        if alias is not None and alias.inner is not None:
            return self.resolve_bidirectional_sugar(call, alias.inner, index)
        spec = LAYERS.get(alias.wrapper if alias else name)
        if spec is None:
            close = v.suggest(name, KNOWN_NAMES - {"input"})
            self.report(
                "E101",
                call.name_span,
                f"unknown layer `{call.name}`",
                help=f"did you mean `{close}`?"
                if close
                else "see the layer list in docs/language.md",
                stage=index,
            )
            return None
        layer = Layer(spec, call.name, call)
        ok = self.bind(layer, call.args, index)
        return self.validate(layer, index) if ok else None

    def resolve_bidirectional_sugar(
        self, call: ast.Call, inner_name: str, index: int
    ) -> Layer | None:
        """``bilstm(32, concat, seq)``: the merge mode (a bare word or ``merge_mode=``),
        ``name`` and ``trainable`` go to the wrapper; everything else to the inner layer."""
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
            if is_mode or (arg.key and arg.key.lower() in ("merge_mode", "name", "trainable")):
                outer.append(ast.Arg(arg.key or "merge_mode", arg.key_span, value, arg.span))
            else:
                inner_args.append(arg)
        inner = Layer(LAYERS[inner_name], call.name, call)
        layer = Layer(wrapper_spec, call.name, call, inner=inner)
        ok = self.bind(inner, inner_args, index)
        ok = self.bind(layer, outer, index, provided=("layer",)) and ok
        if not ok:
            return None
        layer.args["layer"] = inner
        return self.validate(layer, index)

    def bind(
        self,
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
                        ok = self.assign(layer, flag, value, arg.span, index) and False
                    else:
                        layer.args[flag] = True
                        layer.spans[flag] = arg.span
                    continue
                if keyword_seen:
                    ok = False
                    self.report(
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
                    self.report(
                        "E106",
                        arg.span,
                        f"`{layer.written}` takes at most {len(spec.positional)} positional "
                        f"arguments ({taken}), this is one more",
                        help=self.flag_help(spec, value) or "give it by name: `name=value`",
                        stage=index,
                    )
                    continue
                name = spec.positional[position]
                position += 1
                ok = self.assign(layer, name, value, arg.span, index) and ok
            else:
                keyword_seen = True
                key = arg.key
                if key not in spec.by_name and key.lower() in spec.by_name:
                    key = key.lower()
                if key not in spec.by_name:
                    ok = False
                    close = v.suggest(key, spec.by_name)
                    self.report(
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
                ok = self.assign(layer, key, arg.value, arg.span, index) and ok
        for param in spec.required:
            missing = param.name not in layer.args and param.name not in provided
            if missing and ok:
                ok = False
                self.report(
                    "E107",
                    layer.call.span,
                    f"`{layer.written}` needs `{param.name}`",
                    help=f"write e.g. `{layer.written}({_example(param)})`",
                    stage=index,
                )
        return ok

    def flag_help(self, spec: LayerSpec, value: ast.Value) -> str | None:
        if isinstance(value, ast.Word) and spec.flags:
            close = v.suggest(value.lower, spec.flags)
            if close:
                return f"did you mean the flag `{close}`?"
        return None

    def assign(self, layer: Layer, name: str, value: ast.Value, span: Span, index: int) -> bool:
        if name in layer.args:
            self.report(
                "E105",
                span,
                f"`{name}` is given twice",
                help=f"keep one value for `{name}`",
                stage=index,
            )
            return False
        param = layer.spec.by_name[name]
        try:
            coerced = param.type(name, value)
        except v.ArgError as error:
            self.report(
                error.code,
                value.span if hasattr(value, "span") else span,
                error.message,
                error.help,
                index,
            )
            return False
        if param.check is not None:
            reason = param.check(name, coerced)
            if reason:
                self.report(
                    "E104",
                    value.span,
                    f"invalid value for `{name}`: {reason}",
                    help=_value_help(name),
                    stage=index,
                )
                return False
        if isinstance(coerced, ast.Call):
            inner = self.resolve(coerced, index)
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

    def validate(self, layer: Layer, index: int) -> Layer | None:
        """Rules about a layer's arguments taken together (Keras's ``__init__`` checks)."""
        if layer.keras_class != "Bidirectional":
            return layer
        ok = True
        for role, wrapped in (("layer", layer.inner), ("backward_layer", layer.backward)):
            if wrapped is None:
                continue
            if wrapped.spec.family != "recurrent":
                ok = False
                fix = f"td({self.text(wrapped.call.span)})"
                self.report(
                    "E112",
                    wrapped.call.span,
                    f"`bidirectional` wraps a recurrent layer (lstm, gru, simplernn), "
                    f"not `{wrapped.written}`",
                    help=f"to apply `{wrapped.written}` to every step, write `{fix}`",
                    stage=index,
                )
            elif role == "layer" and wrapped.get("go_backwards"):
                ok = False
                self.report(
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
                self.report(
                    "E113",
                    back.call.span,
                    "the `backward_layer` of `bidirectional` must read the sequence backwards",
                    help="add `go_backwards=true` to the backward layer",
                    stage=index,
                )
            else:
                for arg in ("return_sequences", "return_state"):
                    if bool(back.get(arg)) != bool(layer.inner.get(arg)):
                        ok = False
                        self.report(
                            "E104",
                            back.call.span,
                            "the forward and backward layers of `bidirectional` disagree on "
                            f"`{arg}`",
                            help=f"give both layers the same `{arg}`",
                            stage=index,
                        )
                if layer.get("merge_mode") in ("sum", "mul", "ave") and back.get(
                    "units"
                ) != layer.inner.get("units"):
                    ok = False
                    self.report(
                        "E104",
                        back.call.span,
                        f"`merge_mode={layer.get('merge_mode')}` combines both directions per "
                        "element, so both need the same `units`",
                        help="give both layers the same `units`, or use `concat`",
                        stage=index,
                    )
        return layer if ok else None

    # -- shapes

    def infer(self, input_layer: Layer | None) -> list[StageInfo]:
        infos: list[StageInfo] = []
        names = _Namer(self.layers)
        if input_layer is None:
            return infos
        start: Shape = (input_layer.get("batch_size"),) + tuple(input_layer.get("shape"))  # type: ignore[arg-type]
        flow: _Flow | None = _Flow((start,), 0, dtype=str(input_layer.get("dtype")))
        self.check_assertion(0, flow.shapes)
        for index in range(1, len(self.stages)):
            layer = self.layers[index]
            if layer is None or flow is None:
                flow = None
                continue
            if _int_dtype_mode(layer) == "fail" and flow.dtype.startswith(("int", "uint", "bool")):
                self.report(
                    "E209",
                    self.stages[index].call.span,
                    f"`{layer.written}` receives {flow.dtype} values: Keras builds it, but "
                    "it fails when called (there is no integer kernel for it)",
                    help="token ids go through `embedding(...)` first; numbers through "
                    'a float input, e.g. `input(20, 3, dtype="float32")`',
                    stage=index,
                )
                flow = None
                continue
            try:
                out = layer.spec.rule(layer, flow.shapes)
            except ShapeError as error:
                self.shape_error(error, layer, index, flow)
                flow = None
                continue
            self.notes(layer, index, flow)
            flow = self.next_flow(flow, out, index)
            trainable, frozen = (out.trainable, out.non_trainable)
            if not layer.get("trainable"):
                trainable, frozen = 0, trainable + frozen
            infos.append(
                StageInfo(
                    index,
                    names.name(index),
                    layer,
                    out.shapes,
                    trainable,
                    frozen,
                    self.stages[index].span,
                )
            )
            self.check_assertion(index, out.shapes)
        return infos

    def next_flow(self, flow: _Flow, out: Output, index: int) -> _Flow:
        same_rank = len(out.shapes) == len(flow.shapes) and all(
            len(a) == len(b) for a, b in zip(out.shapes, flow.shapes)
        )
        collapsed = index if out.collapses else (flow.collapsed_at if same_rank else None)
        layer = self.layers[index]
        assert layer is not None
        return _Flow(
            out.shapes,
            index,
            collapsed,
            index if len(out.shapes) > 1 else None,
            self.next_mask(layer, index, flow),
            flow.dtype if _int_dtype_mode(layer) == "keep" else "float32",
        )

    def next_mask(self, layer: Layer, index: int, flow: _Flow) -> int | None:
        """Follow a Keras mask: which stage's mask leaves this one, warning where Keras
        silently loses it (``supports_masking=False``)."""
        mode = layer.spec.mask
        if mode == "source":
            if layer.keras_class == "Masking" or layer.get("mask_zero"):
                return index
            return None
        masked = flow.masked_at
        if masked is None:
            return None
        if mode == "recurrent":
            inner = layer.inner if layer.keras_class == "Bidirectional" else layer
            assert inner is not None
            if inner.spec.cudnn and inner.get("use_cudnn") is not False and not self.noted_mask:
                self.noted_mask = True  # once per spec is enough
                self.masked_cudnn(layer, index, masked)
            return masked if inner.get("return_sequences") else None
        if mode == "drop":
            source = self.layers[masked]
            assert source is not None
            self.report(
                "W501",
                self.stages[index].call.span,
                f"`{layer.written}` does not support masking: the mask made by "
                f"`{source.written}` on line {self.line_of(masked)} is lost here, and the "
                "layers after it see the padding as data",
                help="use a mask-aware layer here (`globalaveragepooling1d()` reduces a "
                "sequence using its mask), or drop the mask where it is made",
                stage=index,
                severity=WARNING,
            )
            return None
        return None if mode == "consume" else masked

    def masked_cudnn(self, layer: Layer, index: int, masked: int) -> None:
        self.report(
            "N402",
            self.stages[index].call.span,
            f"`{layer.written}` receives a mask (from line {self.line_of(masked)}): on a GPU "
            "Keras uses the cuDNN kernel only if every sequence in the batch is right-padded; "
            "left padding, the default of `keras.utils.pad_sequences`, takes the slower path",
            help='pad with `pad_sequences(..., padding="post")` to keep the fast path',
            stage=index,
            severity=NOTE,
        )

    def shape_error(self, error: ShapeError, layer: Layer, index: int, flow: _Flow) -> None:
        here = self.stages[index].call
        line = here.span.line
        got = flow.shapes[0] if flow.shapes else ()
        if error.code == "E203" and error.min_rank and len(got) < error.min_rank:
            if flow.collapsed_at is not None:
                return self.needs_sequence(layer, index, flow.collapsed_at)
            if flow.stage == 0:
                source = self.stages[0].call
                return self.report(
                    "E203",
                    source.span,
                    f"`{layer.written}` on line {line} needs {error.min_rank}-D input "
                    f"{_axes(error.min_rank)}, but `{self.text(source.span)}` gives "
                    f"{len(got)}-D {fmt(got)}",
                    help=f"add a feature axis: `{_add_axis(self.text(source.span))}`",
                    stage=0,
                )
        producer = self.layers[flow.stage] if flow.stage else None
        if (
            error.code == "E203"
            and layer.keras_class == "RepeatVector"
            and len(got) == 3
            and producer is not None
            and any(lay.get("return_sequences") for lay in _walk(producer))
        ):
            return self.report(
                "E203",
                producer.span_of("return_sequences") or producer.call.span,
                f"`{producer.written}` returns every step, {fmt(got)}, but `{layer.written}` "
                f"on line {line} repeats one vector",
                help="remove `seq`: an encoder hands its last step to `repeatvector`",
                stage=flow.stage,
            )
        if error.code == "E204" and producer is not None and producer.keras_class == "Flatten":
            return self.report(
                "E204",
                producer.call.span,
                f"`{producer.written}` over a variable-length axis gives {fmt(got)}, but "
                f"`{layer.written}` on line {line} needs a known size",
                help="reduce the time axis with `globalmaxpooling1d()` or "
                "`globalaveragepooling1d()`, or give it a size in `input(...)`",
                stage=flow.stage,
            )
        if (
            error.code == "E203"
            and error.min_rank == 3
            and len(got) > 3
            and layer.spec.family != "core"
        ):
            error.help = f"to run it over the first axis, wrap it: `td({self.text(here.span)})`"
        if error.code == "E202" and flow.multi_at is not None:
            return self.several_tensors(layer, index, flow)
        if error.code == "E204" and flow.stage == 0:
            source = self.stages[0].call
            return self.report(
                "E204",
                self.layers[0].spans.get("shape", source.span) if self.layers[0] else source.span,
                f"{error.message} (the last dimension of the input is `none`)",
                help="give the last dimension of `input(...)` a size, e.g. `input(20, 8)`",
                stage=0,
            )
        span = here.span
        if error.blame.startswith("arg:"):
            span = layer.span_of(error.blame[4:]) or span
        self.report(error.code, span, error.message, error.help, stage=index)

    def needs_sequence(self, layer: Layer, index: int, collapsed: int) -> None:
        """E201, the mistake this project exists for: blame the layer that dropped the
        time axis, and show it with ``seq`` added."""
        culprit = self.layers[collapsed]
        assert culprit is not None
        call, fixed = self.with_sequences(culprit)
        if collapsed == index - 1:
            consumer = f"the `{layer.written}` after it"
        else:
            consumer = f"`{layer.written}` on line {self.line_of(index)}"
        self.report(
            "E201",
            call.span,
            f"`{culprit.written}` returns only its last step, but {consumer} needs the whole "
            "sequence",
            help=f"return every step: `{fixed}`",
            stage=collapsed,
        )

    def with_sequences(self, layer: Layer) -> tuple[ast.Call, str]:
        """The call that holds ``return_sequences`` for ``layer``, and its text fixed."""
        target = layer
        if layer.keras_class == "Bidirectional" and layer.inner is not None:
            target = layer.inner
        call = target.call
        text = self.text(call.span)
        span = target.spans.get("return_sequences")
        if span is not None:
            start, end = span.start - call.span.start, span.end - call.span.start
            return call, text[:start] + "return_sequences=true" + text[end:]
        closing = text.rstrip()[:-1].rstrip()
        if any(a.key for a in call.args):
            return call, f"{closing}, return_sequences=true)"
        return call, f"{closing}, seq)"

    def several_tensors(self, layer: Layer, index: int, flow: _Flow) -> None:
        origin = flow.multi_at
        assert origin is not None
        producer = self.layers[origin]
        assert producer is not None
        count = len(flow.shapes)
        here = f"`{layer.written}` on line {self.line_of(index)} takes one tensor"
        if producer.keras_class == "Bidirectional" and producer.get("merge_mode") is None:
            span = producer.span_of("merge_mode") or producer.call.span
            what = (
                f"`merge_mode=none` makes `{producer.written}` return its {count} directions apart"
            )
            help = "merge the directions with `concat`, `sum`, `mul` or `ave`"
            if any(lay.get("return_state") for lay in _walk(producer)):
                help += ", and remove `return_state`"
        else:
            span = producer.span_of("return_state") or producer.call.span
            what = (
                f"`return_state=true` makes `{producer.written}` return {count} tensors "
                "(output and states)"
            )
            help = "remove `return_state`; a chain passes one tensor from stage to stage"
        self.report("E202", span, f"{what}, but {here}", help=help, stage=origin)

    def check_assertion(self, index: int, shapes: tuple[Shape, ...]) -> None:
        value = self.stages[index].assertion
        if value is None:
            return
        expected = _assertion_shapes(value)
        if expected is None:
            self.report(
                "E206",
                value.span,
                f"a shape assertion is a tuple of sizes, got `{self.text(value.span)}`",
                help="write e.g. `: (20, 64)`, or `: [(20, 32), (20, 32)]` for several tensors",
                stage=index,
            )
            return
        actual = tuple(s[1:] for s in shapes)
        if _matches(expected, actual):
            return
        shown = _show_shapes(actual)
        help = f"write `: {shown}`"
        if _matches(expected, tuple(s for s in shapes)):
            help = "assertions leave out the batch dimension, as `input(...)` does: " + help
        what = "this stage" if index else "the input"
        self.report(
            "E205",
            value.span,
            f"{what} produces {shown}, not {self.text(value.span)}",
            help=help,
            stage=index,
        )

    # -- warnings and notes

    def notes(self, layer: Layer, index: int, flow: _Flow) -> None:
        x = flow.shapes[0]
        for inner in _walk(layer):
            # Measured on TensorFlow 2.21: the ungrouped NCHW kernel is GPU-only; grouped
            # convolutions take another path that runs on a CPU.
            if (
                inner.keras_class == "Conv1D"
                and inner.get("data_format") == "channels_first"
                and inner.get("groups") == 1
            ):
                self.report(
                    "W503",
                    inner.span_of("data_format") or inner.call.span,
                    "TensorFlow has no CPU kernel for `channels_first` convolutions: the model "
                    "builds, and runs on a GPU, but fails when called on a CPU",
                    help="keep `channels_last` (the default) unless the model only ever runs "
                    "on a GPU",
                    stage=index,
                    severity=WARNING,
                )
        if layer.keras_class == "Embedding" and not flow.dtype.startswith(("int", "uint")):
            self.report(
                "W502",
                self.stages[index].call.span,
                f"`{layer.written}` looks up integer token ids, but its input is "
                f"{flow.dtype}: Keras casts the values to int without a word",
                help='declare the input as integers, e.g. `input(200, dtype="int32")`',
                stage=index,
                severity=WARNING,
            )
        if layer.keras_class == "Dense" and len(flow.shapes) == 1 and len(x) >= 3:
            steps = "every time step" if x[1] is None else f"each of the {x[1]} time steps"
            self.report(
                "N401",
                self.stages[index].call.span,
                f"`{layer.written}` applies to {steps} of its {fmt(x)} input",
                help=f"that is `td({self.text(self.stages[index].call.span)})`; for one output per "
                "sequence, drop `seq` from the layer before",
                stage=index,
                severity=NOTE,
            )

    def cudnn_warnings(self) -> None:
        for index, top in enumerate(self.layers):
            for layer in _walk(top):
                if layer.spec.cudnn and layer.get("use_cudnn") is not False:
                    self.cudnn_layer(layer, index)

    def cudnn_layer(self, layer: Layer, index: int) -> None:
        written = layer.args
        for arg in _CUDNN_BREAKERS.keys() & written.keys():
            breaks, what = _CUDNN_BREAKERS[arg]
            if breaks(written[arg]):
                self.report(
                    "W301",
                    layer.spans[arg],
                    f"{what} takes `{layer.written}` off the cuDNN kernel; on a GPU it runs the "
                    "generic implementation, several times slower",
                    help="keep Keras's default for the fast path, or add `use_cudnn=false` "
                    "to say the slow path is intended",
                    stage=index,
                    severity=WARNING,
                )


# What keeps LSTM/GRU off cuDNN (keras/src/backend/tensorflow/rnn.py, ``cudnn_ok``, and the
# ``recurrent_dropout`` test in lstm.py/gru.py ``call``): argument -> (breaks it?, wording).
_CUDNN_BREAKERS = {
    "activation": (lambda v: v != "tanh", "an activation other than `tanh`"),
    "recurrent_activation": (
        lambda v: v != "sigmoid",
        "a recurrent activation other than `sigmoid`",
    ),
    "recurrent_dropout": (bool, "`recurrent_dropout`"),
    "unroll": (bool, "`unroll=true`"),
    "use_bias": (lambda v: not v, "`use_bias=false`"),
    "reset_after": (lambda v: not v, "`reset_after=false`"),
}


def _int_dtype_mode(layer: Layer) -> str:
    """What ``layer`` does with integer input: float, keep or fail (see LayerSpec.dtype)."""
    mode = layer.spec.dtype
    if mode == "activation":
        return ACTIVATION_INT.get(str(layer.get("activation")), "fail")
    return mode


def _walk(layer: Layer | None):  # noqa: ANN202
    while layer is not None:
        yield layer
        if layer.backward is not None:
            yield layer.backward
        layer = layer.inner


class _Namer:
    """Layer names as Keras makes them (``lstm``, ``lstm_1``, ...), unless given."""

    def __init__(self, layers: list[Layer | None]) -> None:
        self.taken = {
            str(lay.args["name"]) for lay in layers if lay is not None and lay.args.get("name")
        }
        self.counts: dict[str, int] = {}

        self.names: dict[int, str] = {}
        for index, layer in enumerate(layers):
            if layer is None or index == 0:
                continue
            given = layer.args.get("name")
            self.names[index] = str(given) if given else self.fresh(layer.spec.snake_name)

    def fresh(self, base: str) -> str:
        count = self.counts.get(base, 0)
        while True:
            candidate = base if count == 0 else f"{base}_{count}"
            count += 1
            if candidate not in self.taken:
                self.counts[base] = count
                self.taken.add(candidate)
                return candidate

    def name(self, index: int) -> str:
        return self.names[index]


def _axes(rank: int) -> str:
    return {2: "(batch, features)", 3: "(batch, time, features)"}.get(rank, "")


def _add_axis(text: str) -> str:
    closing = text.rstrip()[:-1].rstrip()
    return f"{closing}, 1)"


def _example(param) -> str:  # noqa: ANN001
    return {"units": "32", "rate": "0.2", "activation": "relu", "layer": "lstm(32)"}.get(
        param.name, f"{param.name}=..."
    )


def _value_help(name: str) -> str | None:
    if name in ("rate", "dropout", "recurrent_dropout"):
        return (
            f"write a fraction such as `{name}=0.2`"
            if name != "rate"
            else "write e.g. `dropout(0.2)`"
        )
    if name in ("units", "batch_size"):
        return f"write a positive size such as `{name}=32`"
    return None


def _assertion_shapes(value: ast.Value) -> tuple[tuple[object, ...], ...] | None:
    items = value.items if isinstance(value, ast.List) else (value,)
    shapes = []
    for item in items:
        if not isinstance(item, ast.Tuple):
            return None
        dims: list[object] = []
        for dim in item.items:
            if isinstance(dim, ast.Int) and dim.value >= 0:
                dims.append(dim.value)
            elif isinstance(dim, ast.Word) and dim.lower == "none":
                dims.append(None)
            elif isinstance(dim, ast.Word) and dim.value == "_":
                dims.append(_ANY)
            else:
                return None
        shapes.append(tuple(dims))
    return tuple(shapes) if shapes else None


_ANY = object()


def _matches(expected: tuple[tuple[object, ...], ...], actual: tuple[Shape, ...]) -> bool:
    return len(expected) == len(actual) and all(
        len(e) == len(a) and all(d is _ANY or d == b for d, b in zip(e, a))
        for e, a in zip(expected, actual)
    )


def _show_shapes(shapes: tuple[Shape, ...]) -> str:
    if len(shapes) == 1:
        return fmt(shapes[0])
    return "[" + ", ".join(fmt(s) for s in shapes) + "]"
