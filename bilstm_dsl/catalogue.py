"""The catalogue of diagnostic codes: every code the tools report, with its severity, a
one-line summary and an example that triggers it. Codes are stable and never reused; a
problem gets its own code (pyflakes's ``messages.py`` gives each message its own class).
docs/diagnostics.md and the README's table are generated from here (`docs`), and
tests/test_catalogue.py checks that every example triggers its code and that the checker
reports no code missing here."""

from __future__ import annotations

from collections.abc import Callable

from .diagnostics import Severity
from .records import Record


class CodeInfo(Record):
    __slots__ = ("code", "severity", "summary", "source")

    def __init__(
        self, code: str, severity: Severity, summary: str, source: str | Callable[[], str]
    ) -> None:
        self.code = code
        self.severity = severity
        self.summary = summary
        self.source = source
        """The example spec, or a function making it (the limit examples are megabytes, not
        worth building at every import)."""

    @property
    def example(self) -> str:
        """A spec that triggers this code."""
        return self.source if isinstance(self.source, str) else self.source()


def _entries(*rows: tuple[str, Severity, str, str | Callable[[], str]]) -> dict[str, CodeInfo]:
    return {code: CodeInfo(code, sev, summary, example) for code, sev, summary, example in rows}


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

READ_CODES = frozenset({"E013"})

GIVEN_SHAPES: dict[str, tuple[int | None, ...]] = {"E216": (8,)}
"""Codes whose example is checked with an input shape given from outside, as
``--input-shape 8`` does (`docs.example_result`)."""

PLUGIN_EXAMPLES: dict[str, str] = {
    "E143": "no_such_plugin_module:LAYERS",
    "E144": "bilstm_dsl.docs:EXAMPLE_PLUGIN",
}
"""Codes about layer plugins: their example is checked with this one entry point installed
(`docs.example_result`), a plugin that fails to load and one that rejects its input."""
"""Codes the file reader reports, not the checker: no spec text triggers them, so their
catalogue example is a path that cannot be read (`files.check_file`)."""

FAMILIES = (
    ("E0", "The text itself"),
    ("E1", "Names and arguments"),
    ("E2", "Shapes"),
    ("W3", "Performance"),
    ("N4", "Notes"),
    ("W5", "Where Keras silently surprises"),
)
"""Code prefix -> family, in the order the docs list them."""

CATALOGUE: dict[str, CodeInfo] = _entries(
    # -- the text itself
    ("E001", E, "unexpected character", "input(20, 1) -> lstm(32) $"),
    ("E002", E, "unexpected token", "input(20, 1) -> -> dense(1)"),
    ("E003", E, "unclosed or mismatched bracket", "input(20, 1 -> dense(1)"),
    ("E004", E, "unexpected end of input", "input(20, 1) ->"),
    ("E005", E, "a closing bracket that closes nothing", "input(20, 1)) -> dense(1)"),
    ("E006", E, "missing `->` between stages", "input(20, 1)\nlstm(32)"),
    ("E007", E, "the file is not valid UTF-8 text", "input(20, \udcff)"),
    ("E008", E, "the file holds no model", "# only a comment"),
    (
        "E009",
        E,
        "a limit of the checker is exceeded (nesting depth, digits)",
        "input(20, 1) -> dense(" + "1" * 101 + ")",
    ),
    ("E010", E, "unterminated string", 'input(20, 1) -> dense(1, activation="relu)'),
    (
        "E011",
        E,
        "the spec is larger than 2 MiB",
        lambda: "input(20, 1) -> dense(1)  # " + "x" * 2_100_000,
    ),
    (
        "E012",
        E,
        "the chain has more than 100,000 stages",
        lambda: "input(1)" + " -> dense(1)" * 100_000,
    ),
    ("E013", E, "cannot read the file", "no/such/file.arch"),
    # -- names and arguments
    ("E101", E, "unknown layer", "input(20, 1) -> lstn(32)"),
    ("E102", E, "unknown keyword argument", "input(20, 1) -> lstm(32, retrun_sequences=true)"),
    ("E103", E, "a value of the wrong type", 'input(20, 1) -> lstm(units="32")'),
    ("E104", E, "an invalid argument value", "input(20, 1) -> lstm(0)"),
    ("E105", E, "an argument given twice", "input(20, 1) -> lstm(32, units=64)"),
    ("E106", E, "too many positional arguments", "input(20, 1) -> dropout(0.2, none, 3, 4)"),
    (
        "E107",
        E,
        "a required argument is missing",
        "input(20, 1) -> lstm(32) -> dense(activation=relu)",
    ),
    (
        "E108",
        E,
        "a positional argument after a keyword argument",
        "input(20, 1) -> lstm(32) -> dense(units=1, relu)",
    ),
    ("E109", E, "unknown activation", "input(20, 1) -> lstm(32) -> dense(1, activation=sigmoide)"),
    ("E110", E, "unknown merge mode", "input(20, 1) -> bilstm(32, merge_mode=avg)"),
    (
        "E111",
        E,
        "`input(...)` later in a chain: a chain has one input, first or left out",
        "input(20, 1) -> lstm(8) -> input(8)",
    ),
    (
        "E112",
        E,
        "`bidirectional` wraps a recurrent layer only",
        "input(20, 1) -> bidirectional(dense(4))",
    ),
    (
        "E113",
        E,
        "`go_backwards=true` inside `bidirectional`",
        "input(20, 1) -> bilstm(32, go_backwards=true)",
    ),
    ("E114", E, "`stateful=true` needs a fixed `batch_size`", "input(20, 1) -> lstm(8, stateful)"),
    (
        "E115",
        E,
        "`unroll=true` needs a known number of time steps",
        "input(none, 1) -> lstm(8, unroll=true)",
    ),
    ("E116", E, "a value written where a layer is meant", "input(20, 1) -> td(32)"),
    (
        "E117",
        E,
        "unknown name for an initializer, regularizer, constraint or dtype",
        'input(20, 1) -> lstm(8, kernel_initializer="glorot")',
    ),
    (
        "E118",
        E,
        "a layer name used twice",
        'input(20, 1) -> lstm(8, seq, name="enc") -> lstm(4, name="enc")',
    ),
    (
        "E119",
        E,
        "the forward and backward layers of `bidirectional` disagree",
        "input(20, 1) -> bidirectional(lstm(8), backward_layer=lstm(4, go_backwards=true))",
    ),
    (
        "E120",
        E,
        "`strides` > 1 together with `dilation_rate` > 1",
        "input(20, 3) -> conv1d(8, 3, strides=2, dilation_rate=2)",
    ),
    (
        "E121",
        E,
        "`groups` does not divide the filters or the input channels",
        "input(20, 4) -> conv1d(6, 3, groups=4)",
    ),
    (
        "E122",
        E,
        "an activation Keras knows by name but cannot run as a layer's `activation`",
        "input(20, 1) -> lstm(8) -> dense(4, activation=glu)",
    ),
    (
        "E123",
        E,
        "`use_cudnn=true` with a setting that rules out the cuDNN kernel",
        "input(20, 1) -> lstm(8, activation=relu, use_cudnn=true)",
    ),
    ("E124", E, "an unknown tensor or layer name", "x = input(20, 3)\ny = z -> lstm(8)"),
    (
        "E125",
        E,
        "a name defined twice",
        "x = input(20, 3)\nx = input(20, 3)\ny = x -> lstm(8)",
    ),
    (
        "E126",
        E,
        "a name used before the line that defines it (or a cycle)",
        "y = x -> lstm(8)\nx = input(20, 3)",
    ),
    (
        "E127",
        E,
        "unpacking into more or fewer names than the tensors given",
        "x = input(20, 3)\nout, h = x -> lstm(8, state)",
    ),
    (
        "E128",
        E,
        "an index past the tensors a name holds",
        "x = input(20, 3)\ny = x -> lstm(8, state)\nz = y[3] -> dense(1)",
    ),
    (
        "E129",
        E,
        "a `model(...)` line that names no input or output tensor",
        "x = input(20, 3)\ny = x -> lstm(8)\nz = y -> dense(1)\nmodel(inputs=[y], outputs=z)",
    ),
    (
        "E130",
        E,
        "a layer used as a tensor, or a tensor as a layer",
        "x = input(20, 3)\nshared = lstm(8)\ny = shared -> dense(1)",
    ),
    (
        "E131",
        E,
        "`initial_state` in a chain, which has no named tensors",
        "input(20, 3) -> lstm(8, initial_state=[h, c])",
    ),
    (
        "E132",
        E,
        "an initializer, regularizer or constraint given to an argument of another kind",
        "input(20, 1) -> lstm(8, kernel_regularizer=max_norm(3))",
    ),
    (
        "E133",
        E,
        "an initializer or regularizer that needs a matrix, on a weight of another rank",
        "input(20, 1) -> lstm(8, bias_initializer=orthogonal())",
    ),
    (
        "E134",
        E,
        "a recurrent cell where a layer is meant, or a layer where a cell is meant",
        "input(20, 1) -> rnn(lstm(8))",
    ),
    (
        "E140",
        E,
        "an opaque layer's class not written as a string `module:Class`",
        "input(20, 8) -> opaque(Block, output=(none, 64), params=0)",
    ),
    (
        "E141",
        E,
        "an opaque layer without its class, `output=` shape or `params=` count",
        'input(20, 8) -> opaque("mypkg.layers:Block", params=4160)',
    ),
    (
        "E142",
        E,
        "an opaque layer's declared `output=` that is not a shape, or `params=` not a count",
        'input(20, 8) -> opaque("mypkg.layers:Block", output=(20, 64), params=4160)',
    ),
    (
        "E143",
        E,
        "a layer plugin that fails to load, or whose rule fails or gives no shape or count",
        "input(20, 8) -> attentionblok(16)",
    ),
    (
        "E144",
        E,
        "a plugin layer that rejects its input or arguments (its plugin says why)",
        "input(8) -> windowsum()",
    ),
    # -- shapes
    (
        "E201",
        E,
        "a layer needs a sequence but the layer before returns one step",
        "input(20, 1) -> lstm(32) -> lstm(32)",
    ),
    (
        "E202",
        E,
        "a layer fed several tensors takes one",
        "input(20, 1) -> bilstm(8, none) -> dense(1)",
    ),
    ("E203", E, "input of the wrong rank for the layer", "input(20) -> lstm(8)"),
    (
        "E204",
        E,
        "an unknown (`none`) dimension where the layer's weights need a size",
        "input(20, none) -> lstm(8)",
    ),
    (
        "E205",
        E,
        "the shape assertion does not match the inferred shape",
        "input(20, 1) -> lstm(8) : (20, 8)",
    ),
    ("E206", E, "a shape assertion that is not a shape", "input(20, 1) -> lstm(8) : relu"),
    ("E207", E, "a kernel or pool longer than the sequence", "input(5, 3) -> conv1d(8, 7)"),
    ("E208", E, "a reshape that changes the number of values", "input(20, 3) -> reshape((7, 4))"),
    (
        "E209",
        E,
        "integer, boolean or string values into a layer that has no kernel for them",
        'input(20, 3, dtype="int32") -> dropout(0.2)',
    ),
    (
        "E210",
        E,
        "an `axis` that is not a feature axis of the input",
        "input(20, 3) -> layernormalization(axis=0)",
    ),
    (
        "E211",
        E,
        "a `noise_shape` that does not broadcast against the input",
        "input(20, 3) -> dropout(0.5, noise_shape=(none, 4, 1))",
    ),
    (
        "E212",
        E,
        "tensors a merge or attention layer cannot combine",
        "a = input(20, 3)\nb = input(20, 4)\nc = [a, b] -> add()",
    ),
    (
        "E213",
        E,
        "`initial_state` with the wrong number or shape of states",
        "x = input(20, 3)\nh = input(8)\ny = x -> lstm(8, initial_state=[h])",
    ),
    (
        "E214",
        E,
        "a dimension or weight count past what TensorFlow holds (2**63)",
        "input(20, 1) -> dense(99999999999999999999)",
    ),
    (
        "E215",
        E,
        "a shared layer called on a tensor its weights, built at its first call, do not fit",
        "a = input(20, 3)\nb = input(20, 4)\nencoder = lstm(8)\nx = a -> encoder\ny = b -> encoder",
    ),
    (
        "E216",
        E,
        "`--input-shape` (or `input_shape=`) with another number of dims than the input",
        "input(20, 1) -> lstm(8)",
    ),
    # -- performance
    (
        "W301",
        W,
        "an LSTM/GRU setting that rules out the cuDNN kernel on a GPU",
        "input(20, 1) -> lstm(32, activation=relu)",
    ),
    (
        "W302",
        W,
        "`use_cudnn=true`: the model runs only on a GPU with cuDNN",
        "input(20, 1) -> lstm(8, use_cudnn=true)",
    ),
    # -- notes
    (
        "N401",
        N,
        "`dense` on a sequence applies to every time step",
        "input(20, 1) -> lstm(32, seq) -> dense(1)",
    ),
    (
        "N402",
        N,
        "a mask reaching an LSTM/GRU: cuDNN needs right-padded sequences",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> lstm(8)',
    ),
    (
        "N403",
        N,
        "what Keras does at this stage depends on a size not written yet; checking stops",
        "input(T, 8) -> conv1d(16, 3, strides=2) -> lstm(8)",
    ),
    (
        "N410",
        N,
        "an opaque layer: its shape and params are trusted as declared, and `compile` "
        "imports its module only with `--allow-import`",
        'input(20, 8) -> opaque("mypkg.layers:Block", output=(none, 64), params=4160, units=64)',
    ),
    # -- where Keras silently surprises
    (
        "W501",
        W,
        "a layer that does not support masking loses the mask",
        'input(50, dtype="int32") -> embedding(1000, 16, mask_zero) -> flatten() -> dense(1)',
    ),
    (
        "W502",
        W,
        "an embedding fed floats (Keras casts them to int)",
        "input(50) -> embedding(9, 4)",
    ),
    (
        "W503",
        W,
        "a channels_first convolution, which runs on a CPU only with TensorFlow's oneDNN",
        "input(8, 20) -> conv1d(16, 3, data_format=channels_first)",
    ),
    (
        "W504",
        W,
        "weights larger than this machine's memory",
        "input(20, 1) -> lstm(1000000000)",
    ),
    (
        "W505",
        W,
        "an input or a named tensor that nothing uses",
        "x = input(20, 3)\nm = input(5)\ny = x -> lstm(8)",
    ),
    (
        "W506",
        W,
        "a Keras 2 argument Keras 3 accepts and ignores (`input_length`, `input_shape`)",
        'input(50, dtype="int32") -> embedding(1000, 16, input_length=50)',
    ),
)
