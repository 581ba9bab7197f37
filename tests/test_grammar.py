"""The grammar file: strict under Lark, and the shipped tables in step with it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from lark import Lark, Transformer
from lark.exceptions import UnexpectedInput

from bilstm_dsl import ast, lalr, lark_tables, lexer, parser, syntax_errors
from bilstm_dsl.diagnostics import LineIndex
from bilstm_dsl.lalr import Builder
from bilstm_dsl.lark_tables import OPTIONS, TABLES, TABLES_FORMAT, grammar_path, grammar_sha

SAMPLES = [
    "input(20, 1) -> lstm(32, seq) -> bilstm(32, concat) -> td(dense(1)) : (20, 1)",
    'input(shape=(none, 3), dtype="int32") -> x(a=-1e-3, b=[(1, 2)], c=(1,), d="q\\"")',
    "input(20, 1)\n  -> lstm(32)  # c\n  -> dense(1)",
    "input(20, 1) -> -> dense(1)",
    "input(20, 1) lstm(3)",
    "input(20, 1) -> dense(1) : ",
    "x(=1)",
]


def test_grammar_is_lalr_and_strict():
    # strict=True makes Lark reject shift/reduce conflicts and colliding terminals.
    Lark(grammar_path().read_text(), parser="lalr", strict=True)


def test_shipped_tables_match_the_grammar():
    with open(grammar_path(), encoding="utf-8", newline="") as grammar:
        text = grammar.read()
    shipped = json.loads(Path(TABLES).read_text(encoding="utf-8"))
    fresh = (shipped["format"], shipped["grammar"], shipped["grammar_sha256"])
    assert fresh == (TABLES_FORMAT, text, grammar_sha(text)), (
        "grammar/arch.lark changed: run `python scripts/update_grammar_tables.py`"
    )


def test_checking_valid_text_does_not_import_lark():
    import subprocess
    import sys

    script = (
        "import sys; from bilstm_dsl import check; "
        "assert check('input(20, 1) -> lstm(8, seq) -> dense(1)').ok; "
        "print('lark' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class _FromTree(Transformer, Builder):
    """The same AST builder, run over the tree Lark's own runtime makes."""

    def __init__(self, text: str) -> None:
        Transformer.__init__(self, visit_tokens=True)
        self.index = LineIndex(text)

    def __default_token__(self, token):
        return (token.type, str(token), token.start_pos, token.end_pos, self.index)


def _reference(text: str) -> object:
    """What Lark's own parser makes of ``text``: the AST, or where it fails."""
    lark = Lark(grammar_path().read_text(), **OPTIONS)
    try:
        tree = lark.parse(text)
    except UnexpectedInput as error:
        return ("rejected", type(error).__name__, error.pos_in_stream)
    return _FromTree(text).transform(tree)


def _fast(text: str) -> object:
    try:
        return lalr.machine().parse(text)
    except lalr.Reject:
        return "rejected"


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_loop_parses_exactly_like_lark(text):
    reference = _reference(text)
    fast = _fast(text)
    if isinstance(reference, tuple) and reference[0] == "rejected":
        assert fast == "rejected"
    else:
        assert fast == reference


_ALPHABET = ["input", "lstm", "(", ")", "[", "]", ",", "->", ":", "=", "1", "-2", "0.5", "1e3",
             '"s"', "none", "seq", " ", "\n", "# c\n", "x", "_", "-", ">", ".", "'"]  # fmt: skip


def test_fast_loop_agrees_with_lark_on_token_soup():
    rng = random.Random(20261127)
    lark = Lark(grammar_path().read_text(), **OPTIONS)
    disagreements = []
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.5:
            text = "input(1) -> " + text
        try:
            lark.parse(text)
            accepted = True
        except UnexpectedInput:
            accepted = False
        if accepted != (_fast(text) != "rejected"):
            disagreements.append(text)
    assert not disagreements, disagreements[:10]


@pytest.mark.parametrize("text", SAMPLES)
def test_chain_reader_builds_what_lark_builds(text):
    reference = _reference(text)
    read = parser.read_chain(text)
    if type(reference) is ast.Chain:
        assert read == reference
    else:
        assert read is None


def _random_value(rng: random.Random, depth: int) -> list[str]:
    pick = rng.randrange(9 if depth < 3 else 6)
    if pick < 6:
        return [rng.choice(["1", "-2", "0.5", "1e3", '"s"', '"a\\"b"', "none", "seq", "x[0]"])]
    if pick < 8:
        items = [_random_value(rng, depth + 1) for _ in range(rng.randrange(3))]
        open_, close = rng.choice(["()", "[]"])
        return [open_, *sum(([*item, ","] for item in items), [])[: -1 or None], close]
    return _random_call(rng, depth + 1)


def _random_call(rng: random.Random, depth: int = 0) -> list[str]:
    args = []
    for _ in range(rng.randrange(4)):
        key = [rng.choice(["units", "x"]), "="] if rng.random() < 0.3 else []
        args += [*key, *_random_value(rng, depth), ","]
    if args and rng.random() < 0.7:
        args.pop()  # no trailing comma
    return [rng.choice(["input", "lstm", "td", "dense"]), "(", *args, ")"]


def _random_chain(rng: random.Random) -> str:
    """A plain chain, then, half the time, a token or two inserted, dropped or replaced."""
    tokens = _random_call(rng)
    for _ in range(rng.randrange(4)):
        tokens += ["->", *_random_call(rng)]
        if rng.random() < 0.2:
            tokens += [":", *_random_value(rng, 0)]
    for _ in range(rng.randrange(3) if rng.random() < 0.5 else 0):
        i = rng.randrange(len(tokens) + 1)
        noise = rng.choice(_ALPHABET + ["x[0]", "$", "\r", "é", "1" * 101, "a = "])
        tokens[i : i + rng.randrange(2)] = [noise]
    return rng.choice([" ", "", "\n  # c\n"]).join(tokens)


def test_chain_reader_agrees_with_the_tables_on_random_chains():
    """The reader may decline what the tables accept (it hands them graphs), but what it
    accepts, the tables accept too and build the very same tree; and it reads every plain
    chain."""
    rng = random.Random(20261201)
    accepted = 0
    for _ in range(5000):
        text = _random_chain(rng)
        read = parser.read_chain(text)
        try:
            tables = lalr.machine().parse(text)
        except (lalr.Reject, lalr.Limit):
            tables = None
        if type(tables) is ast.Chain:
            assert read == tables, text
            accepted += 1
        else:
            assert read is None, text
    assert 1000 < accepted < 4500, accepted


def test_chain_reader_leaves_the_limits_to_the_tables():
    def nested(depth: int) -> str:
        return "input(1) -> " + "td(" * (depth - 1) + "dense(1)" + ")" * (depth - 1)

    assert parser.read_chain(nested(parser.MAX_DEPTH)) is not None
    assert parser.read_chain(nested(parser.MAX_DEPTH + 1)) is None
    assert parser.read_chain("input(1) -> dense(" + "1" * 101 + ")") is None


def test_tables_are_used_when_current(monkeypatch):
    def no_build(*args, **kwargs):
        raise AssertionError("built the tables from the grammar instead of loading them")

    lark_tables.load.cache_clear()
    monkeypatch.setattr(lark_tables, "build_tables", no_build)
    try:
        assert lark_tables.load()["grammar_sha256"]
    finally:
        lark_tables.load.cache_clear()


def test_tables_rebuilt_when_stale(monkeypatch, tmp_path):
    stale = tmp_path / "tables.json"
    stale.write_text(json.dumps({"format": TABLES_FORMAT, "grammar": "start: NAME"}))
    lark_tables.load.cache_clear()
    lalr.machine.cache_clear()
    monkeypatch.setattr(lark_tables, "TABLES", str(stale))
    try:
        assert lalr.machine().parse("input(1) -> dense(1)") is not None
    finally:
        lark_tables.load.cache_clear()
        lalr.machine.cache_clear()


def test_long_chain_is_built_in_linear_time():
    import time

    def seconds(n: int) -> float:
        text = "input(8)" + " -> dense(8)" * n
        start = time.process_time()  # CPU time: other processes on the machine do not count
        chain = lalr.machine().parse(text)
        assert len(chain.stages) == n + 1
        return time.process_time() - start

    seconds(1000)
    small, large = min(seconds(5000) for _ in range(3)), min(seconds(40000) for _ in range(3))
    assert large / small < 8 * 3, (small, large)  # 8x the input; quadratic would be 64x


# -- the lexer ------------------------------------------------------------------------------

_LEXER_ALPHABET = _ALPHABET + ["\r", "\r\n", "# c\r", '"a\\"b"', '"open', "$", "\v", "é"]


def _soups(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_LEXER_ALPHABET) for _ in range(rng.randint(0, 16)))
        for _ in range(count)
    ]


def test_lexer_tokens_are_larks_own_and_cover_the_text():
    from lark.exceptions import UnexpectedCharacters

    ignored = []  # Lark's lexer hands the tokens it ignores to the callbacks only
    basic = Lark(
        grammar_path().read_text(),
        parser=None,
        lexer="basic",
        lexer_callbacks={"WS": ignored.append, "COMMENT": ignored.append},
    )
    for text in SAMPLES + _soups(2000, 20261201):
        tokens = list(lexer.tokens(text))
        assert "".join(t.text for t in tokens) == text, text
        assert all(text[t.start : t.end] == t.text for t in tokens), text
        recovered = [t for t in tokens if t.kind in (lexer.ERROR, lexer.UNCLOSED_STRING)]
        ignored.clear()
        try:
            found = list(basic.lex(text))
        except UnexpectedCharacters as error:
            assert recovered and recovered[0].start == error.pos_in_stream, text
            continue
        assert not recovered, text
        larks = sorted(found + ignored, key=lambda t: t.start_pos)
        assert [(t.kind, t.text) for t in tokens] == [(t.type, str(t)) for t in larks], text


@pytest.mark.parametrize(
    "keep",
    # the scans the package makes: the parser's bracket recovery, fmt's verbatim stages,
    # the parser's search for the code before a token
    [syntax_errors.BRACKETS, {"COMMENT"}, frozenset(lexer.kinds()) - lexer.ignored()],
    ids=["brackets", "comments", "code"],
)
def test_a_scan_finds_what_the_full_token_stream_holds(keep):
    for text in SAMPLES + _soups(2000, 7):
        expected = [t for t in lexer.tokens(text) if t.kind in keep]
        assert list(lexer.scan(text, keep)) == expected, text


def test_the_parsers_scan_skips_only_whitespace_and_comments():
    match = lexer.significant()
    for text in SAMPLES + _soups(2000, 11):
        tokens = [t for t in lexer.tokens(text) if t.kind not in lexer.ignored()]
        found, pos = [], 0
        while (m := match(text, pos)) is not None and m.lastgroup is not None:
            start, pos = m.span(m.lastgroup)
            found.append((m.lastgroup, text[start:pos]))
        errors = [i for i, t in enumerate(tokens) if t.kind in (lexer.ERROR, "UNCLOSED_STRING")]
        upto = errors[0] if errors else len(tokens)
        assert found == [(t.kind, t.text) for t in tokens[:upto]], text
        assert (m is None) == bool(errors), text


def test_lines_end_at_cr_lf_and_crlf_in_comments_and_strings():
    kinds = [(t.kind, t.text) for t in lexer.tokens('# a\rx # b\r\ny "s\r"')]
    assert kinds == [
        ("COMMENT", "# a"), ("WS", "\r"), ("NAME", "x"), ("WS", " "), ("COMMENT", "# b"),
        ("WS", "\r\n"), ("NAME", "y"), ("WS", " "), ("UNCLOSED_STRING", '"s'), ("WS", "\r"),
        ("UNCLOSED_STRING", '"'),
    ]  # fmt: skip


# -- the Lark internals behind the tables ---------------------------------------------------


def test_the_lark_internals_the_export_reads_are_there():
    """Fails, naming the Lark version and the missing piece, on a Lark release that moved
    an internal `lark_tables.build_tables` reads."""
    import lark

    try:
        tables = lark_tables.build_tables(grammar_path().read_text(encoding="utf-8"))
    except lark_tables.LarkChanged as error:
        pytest.fail(str(error))
    assert tables["lark"]["version"] == lark.__version__
    rebuilt = lalr.Machine(json.loads(json.dumps(tables), object_pairs_hook=_int_keys), Builder())
    for text in SAMPLES:
        reference = _reference(text)
        try:
            got = rebuilt.parse(text)
        except lalr.Reject:
            got = "rejected"
        assert got == ("rejected" if isinstance(reference, tuple) else reference), text


def _int_keys(pairs):
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


def test_a_moved_lark_internal_is_reported_with_the_lark_version(monkeypatch):
    import lark
    from lark.utils import Serialize

    # A Lark release without the serialisation the export reads (Lark itself runs on).
    monkeypatch.delattr(Serialize, "memo_serialize")
    with pytest.raises(lark_tables.LarkChanged) as raised:
        lark_tables.build_tables(grammar_path().read_text(encoding="utf-8"))
    message = str(raised.value)
    assert f"lark {lark.__version__} changed Lark.memo_serialize" in message
    assert "lark_tables.py" in message


def test_larks_own_parser_is_loaded_from_the_tables_only_for_the_same_version(monkeypatch):
    import lark

    lark_tables.lark_parser.cache_clear()
    monkeypatch.setattr(lark, "__version__", "0.0.0-another")
    try:
        other = lark_tables.lark_parser()  # compiled from the grammar, public API only
        assert other.parse("input(1) -> dense(1)").data == "start"
    finally:
        lark_tables.lark_parser.cache_clear()


def test_chain_reader_pattern_is_the_grammars():
    # `lexer.texts` reads a pattern written out by scripts/update_grammar_tables.py, so
    # that a plain chain is read without the tables; it must be what the terminals give.
    import importlib.util

    assert lexer.TEXTS == lexer.texts_pattern(), (
        "grammar/arch.lark changed: run `python scripts/update_grammar_tables.py`"
    )
    script = Path(__file__).resolve().parent.parent / "scripts" / "update_grammar_tables.py"
    spec = importlib.util.spec_from_file_location("update_grammar_tables", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines, writes nothing unless run as a script
    source = Path(lexer.__file__).read_text(encoding="utf-8")
    assert module.lexer_with_texts(source) == source  # written as the script writes it


def test_a_plain_chain_loads_neither_the_tables_nor_their_module():
    import subprocess
    import sys

    code = (
        "import sys; from bilstm_dsl import parser; "
        "assert parser.parse('input(2) -> dense(1)').chain is not None; "
        "print(sorted(m for m in sys.modules if m.endswith(('lalr', 'lark_tables'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
