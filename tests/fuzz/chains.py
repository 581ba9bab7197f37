"""Random chains for differential fuzzing against Keras.

`random_case` draws a plausible chain (and, on purpose, the classic mistakes: a missing
`seq`, several tensors into one layer, a window longer than the sequence, values out of
range) and writes it twice, as `.arch` text and as Keras layer calls, in the corpus's
`Case` form, so Keras decides the truth independently of the checker.

`judge` compares the checker with Keras for one case, Keras's verdict including a call of
the built model in inference and training mode, and says how they agree or not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from ..parity.harness import Case, Deferred

RECURRENT = {"lstm": "LSTM", "gru": "GRU", "simplernn": "SimpleRNN"}
MERGES = ["concat", "sum", "mul", "ave", None]


@dataclass
class Spec:
    """One layer: its Keras class, positional and keyword arguments, wrapped layer."""

    cls: str
    args: tuple = ()
    kwargs: dict | None = None

    def keras(self) -> Deferred:
        args = tuple(a.keras() if isinstance(a, Spec) else a for a in self.args)
        return Deferred(self.cls, args, dict(self.kwargs or {}))

    def arch(self) -> str:
        parts = [a.arch() if isinstance(a, Spec) else _value(a) for a in self.args]
        parts += [f"{k}={_value(v)}" for k, v in (self.kwargs or {}).items()]
        return f"{self.cls.lower()}({', '.join(parts)})"


def _value(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, tuple):
        inner = ", ".join(_value(x) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    return repr(v)


def _rate(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.04:
        return rng.choice([1.0, 1.5, -0.1])  # out of range: Keras rejects or clamps
    return rng.choice([0.0, 0.1, 0.25, 0.5])


def _recurrent(rng: random.Random, inside_bidirectional: bool = False) -> Spec:
    name = rng.choice(list(RECURRENT))
    kw: dict[str, Any] = {}
    if rng.random() < 0.55:
        kw["return_sequences"] = True
    if rng.random() < 0.08:
        kw["return_state"] = True
    if rng.random() < 0.1:
        kw["dropout"] = _rate(rng)
    if rng.random() < 0.05:
        kw["recurrent_dropout"] = _rate(rng)
    if rng.random() < 0.05:
        kw["go_backwards"] = True
    if rng.random() < 0.05:
        kw["unroll"] = True
    if rng.random() < 0.05:
        kw["activation"] = rng.choice(["relu", "tanh", "sigmoid"])
    if name == "gru" and rng.random() < 0.1:
        kw["reset_after"] = False
    if rng.random() < 0.06:
        kw["use_bias"] = False
    if rng.random() < 0.04:
        kw["stateful"] = True
    units = rng.choice([1, 2, 4, 8, 16]) if rng.random() > 0.03 else 0
    del inside_bidirectional
    return Spec(RECURRENT[name], (units,), kw)


def _layer(rng: random.Random, int_input: bool) -> Spec:
    r = rng.random()
    if int_input and r < 0.6:
        kw = {"mask_zero": True} if rng.random() < 0.3 else {}
        return Spec("Embedding", (rng.choice([10, 50, 100]), rng.choice([4, 8])), kw)
    kind = rng.choices(
        [
            "recurrent", "bidirectional", "td", "dense", "dropout", "activation", "conv1d",
            "pool", "global", "flatten", "reshape", "norm", "repeat", "spatial", "noise",
            "masking",
        ],
        weights=[24, 14, 8, 10, 4, 3, 6, 4, 3, 3, 2, 4, 3, 2, 2, 2],
    )[0]  # fmt: skip
    if kind == "recurrent":
        return _recurrent(rng)
    if kind == "bidirectional":
        inner = _recurrent(rng, inside_bidirectional=True)
        kw = {"merge_mode": rng.choice(MERGES)} if rng.random() < 0.6 else {}
        return Spec("Bidirectional", (inner,), kw)
    if kind == "td":
        inner = rng.choice(
            [Spec("Dense", (rng.choice([1, 3]),)), _recurrent(rng), Spec("Dropout", (0.1,))]
        )
        return Spec("TimeDistributed", (inner,))
    if kind == "dense":
        kw = (
            {"activation": rng.choice(["relu", "softmax", "sigmoid"])} if rng.random() < 0.4 else {}
        )
        return Spec("Dense", (rng.choice([1, 2, 5, 8]),), kw)
    if kind == "dropout":
        return Spec("Dropout", (_rate(rng),))
    if kind == "activation":
        return Spec("Activation", (rng.choice(["relu", "tanh", "softmax"]),))
    if kind == "conv1d":
        kw: dict[str, Any] = {"padding": rng.choice(["valid", "same", "causal"])}
        if rng.random() < 0.3:
            kw["strides"] = rng.choice([1, 2, 3])
        if rng.random() < 0.2:
            kw["dilation_rate"] = rng.choice([1, 2])
        return Spec("Conv1D", (rng.choice([2, 4, 8]), rng.choice([1, 2, 3, 5, 9])), kw)
    if kind == "pool":
        cls = rng.choice(["MaxPooling1D", "AveragePooling1D"])
        kw = {"padding": rng.choice(["valid", "same"])} if rng.random() < 0.4 else {}
        return Spec(cls, (rng.choice([2, 3, 6]),), kw)
    if kind == "global":
        cls = rng.choice(["GlobalMaxPooling1D", "GlobalAveragePooling1D"])
        return Spec(cls, (), {"keepdims": True} if rng.random() < 0.2 else {})
    if kind == "flatten":
        return Spec("Flatten")
    if kind == "reshape":
        return Spec("Reshape", (rng.choice([(-1, 2), (-1, 4), (-1,), (2, -1)]),))
    if kind == "norm":
        return Spec(rng.choice(["LayerNormalization", "BatchNormalization"]))
    if kind == "repeat":
        return Spec("RepeatVector", (rng.choice([2, 5]),))
    if kind == "spatial":
        return Spec("SpatialDropout1D", (_rate(rng),))
    if kind == "noise":
        return Spec("GaussianNoise", (rng.choice([0.1, 0.5]),))
    return Spec("Masking")


def random_case(rng: random.Random, index: int = 0) -> Case:
    """A random chain as a corpus `Case` (its `.arch` text and its Keras layers)."""
    int_input = rng.random() < 0.12
    time = rng.choice([None, 1, 3, 5, 10, 20, 30])
    if int_input:
        dims: tuple = (time,)
    else:
        rank = rng.choices([1, 2, 3], weights=[1, 12, 1])[0]
        features = rng.choice([1, 2, 3, 4, 8]) if rng.random() > 0.03 else None
        dims = ((features,), (time, features), (rng.choice([2, 4]), time, features))[rank - 1]
    inputs: dict[str, Any] = {"shape": dims}
    batch = 4 if rng.random() < 0.06 else None
    if batch:
        inputs["batch_size"] = batch
    if int_input:
        inputs["dtype"] = "int32"
    layers = [_layer(rng, int_input and i == 0) for i in range(rng.randint(1, 5))]
    head = ", ".join(_value(d) for d in dims)
    extra = "".join(f", {k}={_value(v)}" for k, v in inputs.items() if k != "shape")
    arch = f"input({head}{extra})" + "".join(f"\n  -> {spec.arch()}" for spec in layers)
    return Case(f"fuzz_{index}", arch, inputs, lambda L, specs=layers: [s.keras() for s in specs])


# Where the checker is stricter than Keras on purpose (docs/diagnostics.md, E104/E115):
# an error with one of these codes on a spec Keras builds and runs is not a disagreement.
STRICTER_CODES = {"E104", "E115"}


@dataclass
class Verdict:
    agree: bool
    kind: str
    detail: str = ""


def keras_runs(case: Case, truth) -> str | None:  # noqa: ANN001
    """Build the model again and call it on a random batch in inference and training mode;
    None when it runs, else the error."""
    import keras
    import numpy as np

    from ..parity.harness import materialise

    keras.backend.clear_session()
    try:
        inputs = keras.Input(**case.inputs)
        x = inputs
        for record in case.deferred():
            x = materialise(record, keras.layers)(x)
        model = keras.Model(inputs, x)
    except Exception as exc:  # noqa: BLE001 - any failure is Keras's verdict
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    # A `none` axis is any length: the model runs when some length works (reshapes over a
    # variable axis need a multiple), so a few lengths are tried before calling it failed.
    lengths = (24, 48, 64) if None in inputs.shape[1:] else (None,)
    failure = None
    for length in lengths:
        shape = [d if d is not None else length for d in inputs.shape]
        shape[0] = inputs.shape[0] if inputs.shape[0] is not None else 2
        rng = np.random.default_rng(0)
        if "int" in str(inputs.dtype):
            batch = rng.integers(0, 10, size=shape).astype("int32")
        else:
            batch = rng.normal(size=shape).astype("float32")
        try:
            model(batch, training=False)
            model(batch, training=True)
        except Exception as exc:  # noqa: BLE001 - any failure is Keras's verdict
            failure = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            continue
        return None
    return failure


def judge(case: Case, check_result, truth) -> Verdict:  # noqa: ANN001
    """How the checker's result and Keras's truth agree for ``case``."""
    errors = [d for d in check_result.diagnostics if d.severity == "error"]
    runtime = keras_runs(case, truth) if truth.ok else None
    keras_ok = truth.ok and runtime is None
    warned_cpu = any(d.code == "W503" for d in check_result.diagnostics)
    if not errors:
        if not truth.ok:
            return Verdict(False, "checker-accepts-keras-rejects", truth.error or "")
        summary = check_result.summary
        ours = [(x["type"], list(x["output_shape"]), x["params"]) for x in summary["layers"]]
        theirs = [(t.type, _plain(t.output_shape), t.params) for t in truth.layers]
        if ours != theirs or summary["total_params"] != truth.total_params:
            return Verdict(False, "shapes-or-params-differ", f"{ours} != {theirs}")
        if runtime is not None and not warned_cpu:
            return Verdict(False, "checker-accepts-keras-fails-at-run-time", runtime)
        return Verdict(True, "both-accept")
    if not keras_ok:
        first = errors[0]
        if not truth.ok and (first.stage is None or first.stage > truth.fail_stage):
            return Verdict(False, "error-after-keras-failure", f"{first.code} at {first.stage}")
        return Verdict(True, "both-reject")
    if errors[0].code in STRICTER_CODES:
        return Verdict(True, "checker-stricter-documented", errors[0].code)
    return Verdict(False, "checker-rejects-keras-accepts", f"{errors[0].code}: {errors[0].message}")


def _plain(value):  # noqa: ANN001, ANN202
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
