"""`check --format sarif` and `--format github`: SARIF valid against the official 2.1.0
schema (tests/data/sarif-schema-2.1.0.json, the OASIS file, kept verbatim), and workflow
commands escaped the way GitHub's runner reads them."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from bilstm_dsl import CATALOGUE, Diagnostic, Severity, Span, __version__, check, check_bytes, files
from bilstm_dsl.cli import build_parser, main
from bilstm_dsl.docs import example_result
from bilstm_dsl.files import READ_ERROR
from bilstm_dsl.formats import escape_data, escape_property, github, rule_name, sarif, sarif_text
from bilstm_dsl.importer import CODES as IMPORT_CODES

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
# The vendored schema, byte for byte (oasis-tcs/sarif-spec,
# Documents/CommitteeSpecifications/2.1.0/sarif-schema-2.1.0.json).
SCHEMA_SHA256 = "80cd7ffb9b62a4162d541aa9170862dd264f6cce0f04c57f1ac9f2337b808958"

BROKEN = EXAMPLES / "broken"
GOOD = EXAMPLES / "stacked_lstm_bilstm.arch"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_file(path: Path) -> object:
    """Check a file under its absolute path, as `check` would with that argument."""
    return check_bytes(path.read_bytes(), str(path))


def validate(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    json.dumps(log, ensure_ascii=False).encode("utf-8")  # serialisable, no lone surrogates


def only_run(log: dict) -> dict:
    (run,) = log["runs"]
    return run


# -- the schema itself


def test_vendored_schema_is_the_official_draft_07_file():
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft7Validator


def test_schema_rejects_a_broken_log(validator):
    """The schema is really applied: a wrong level and a 0 line are caught."""
    log = sarif([check_file(BROKEN / "missing_seq.arch")], root=ROOT)
    result = only_run(log)["results"][0]
    result["level"] = "fatal"
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    artifact["uri"] = "a spec.arch"  # a space is no URI: caught once a URI checker is installed
    messages = {e.message for e in validator.iter_errors(log)}
    assert any("fatal" in m for m in messages) and any("0 is less than" in m for m in messages)
    if "uri-reference" in validator.format_checker.checkers:
        assert any("uri-reference" in m for m in messages)


# -- SARIF


def test_every_broken_example_gives_valid_sarif(validator):
    results = [check_file(p) for p in sorted(BROKEN.glob("*.arch"))]
    log = sarif(results, root=ROOT)
    validate(validator, log)
    run = only_run(log)
    assert log["version"] == "2.1.0" and log["$schema"].startswith("https://")
    assert len(run["results"]) == sum(len(r.diagnostics) for r in results) > 9
    assert {r["level"] for r in run["results"]} == {"error"}


def test_clean_example_gives_valid_sarif_with_no_results(validator):
    log = sarif([check_file(GOOD)], root=ROOT)
    validate(validator, log)
    run = only_run(log)
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(CATALOGUE) + len(IMPORT_CODES)


def test_every_catalogue_example_gives_valid_sarif(validator, tmp_path):
    """All codes, the megabyte-long limit examples and the invalid UTF-8 one included.
    E013 (a file that cannot be read) comes from reading, not from any text."""
    results = [
        example_result(code, f"examples/{code}.arch") for code in CATALOGUE if code != READ_ERROR
    ]
    results.append(files.check_file(str(tmp_path / "missing.arch")))
    log = sarif(results, root=ROOT)
    validate(validator, log)
    assert {r["ruleId"] for r in only_run(log)["results"]} == set(CATALOGUE)


def test_driver_and_rules():
    driver = only_run(sarif([], root=ROOT))["tool"]["driver"]
    assert driver["name"] == "bilstm-dsl" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    # every code, in catalogue order, then the import problems of saved models
    assert [r["id"] for r in rules] == list(CATALOGUE) + list(IMPORT_CODES)
    names = [r["name"] for r in rules]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", n) for n in names), names
    for rule in rules[len(CATALOGUE) :]:
        assert rule["defaultConfiguration"]["level"] == "error"
        assert "docs/importing.md" in rule["help"]["markdown"]
    for rule in rules[: len(CATALOGUE)]:
        info = CATALOGUE[rule["id"]]
        assert rule["defaultConfiguration"]["level"] == info.severity.value
        assert rule["shortDescription"]["text"].lower() == info.summary.lower()
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "```arch\n" in rule["help"]["markdown"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["E201"]["help"]["markdown"].count(CATALOGUE["E201"].example) == 1
    assert "\\xff" in by_id["E007"]["help"]["text"]  # the raw byte, shown, not a surrogate
    assert len(json.dumps(rules)) < 60_000  # the 2 MiB limit example is described, not copied


def test_rule_names():
    assert rule_name("a value of the wrong type") == "ValueOfTheWrongType"
    assert rule_name("missing `->` between stages") == "MissingBetweenStages"
    assert rule_name("an LSTM/GRU setting that rules out the cuDNN kernel on a GPU") == (
        "LSTMGRUSettingThatRulesOutTheCuDNNKernelOnAGPU"
    )
    assert "LayersWeights" in rule_name(CATALOGUE["E204"].summary)


def test_results_point_at_catalogue_rules_by_id_and_index():
    log = sarif([check_file(p) for p in sorted(BROKEN.glob("*.arch"))], root=ROOT)
    run = only_run(log)
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert result["ruleId"] in CATALOGUE
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == CATALOGUE[result["ruleId"]].severity.value


def test_result_message_location_and_region():
    log = sarif([check_file(BROKEN / "missing_seq.arch")], root=ROOT)
    (result,) = only_run(log)["results"]
    assert result["ruleId"] == "E201" and result["level"] == "error"
    assert result["message"]["text"] == (
        "`lstm` returns only its last step, but the `bilstm` after it needs the whole sequence"
        "\nhelp: return every step: `lstm(32, seq)`"
    )
    (location,) = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "examples/broken/missing_seq.arch",
        "uriBaseId": "%SRCROOT%",
    }
    region = physical["region"]
    assert region == {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 14}
    # SARIF's endColumn is "the column number of the character following the end of the
    # region", so the region covers exactly the carets of the text output.
    line = (BROKEN / "missing_seq.arch").read_text().split("\n")[2]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "lstm(32)"


def test_paths_are_relative_to_the_root_with_forward_slashes(tmp_path, monkeypatch):
    nested = tmp_path / "models" / "my spec.arch"
    nested.parent.mkdir()
    nested.write_bytes((BROKEN / "missing_seq.arch").read_bytes())
    # given relative to the current directory, which is the default root
    monkeypatch.chdir(tmp_path)
    relative = check_bytes(nested.read_bytes(), "models/my spec.arch")
    dotted = check_bytes(nested.read_bytes(), "./models/../models/my spec.arch")
    for result in (relative, dotted):
        (row,) = only_run(sarif([result]))["results"]
        artifact = row["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"uri": "models/my%20spec.arch", "uriBaseId": "%SRCROOT%"}
    base = only_run(sarif([relative]))["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")
    # given absolute, with an explicit root
    (row,) = only_run(sarif([check_file(nested)], root=tmp_path))["results"]
    uri = row["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "models/my%20spec.arch"


def test_a_file_outside_the_root_gets_an_absolute_file_uri(tmp_path, validator):
    log = sarif([check_file(BROKEN / "missing_seq.arch")], root=tmp_path)
    validate(validator, log)
    artifact = only_run(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"].startswith("file:///") and "uriBaseId" not in artifact
    assert artifact["uri"].endswith("/examples/broken/missing_seq.arch")


def test_stdin_has_a_region_but_no_uri(validator):
    result = check((BROKEN / "missing_seq.arch").read_text(), "<stdin>")
    log = sarif([result], root=ROOT)
    validate(validator, log)
    physical = only_run(log)["results"][0]["locations"][0]["physicalLocation"]
    assert "uri" not in physical["artifactLocation"]
    assert physical["region"]["startLine"] == 3


def test_levels_follow_severity(validator):
    warning = check("input(20, 1) -> lstm(32, activation=relu) -> dense(1)", "w.arch")
    note = check("input(20, 1) -> lstm(32, seq) -> dense(1)", "n.arch")
    log = sarif([warning, note], root=ROOT)
    validate(validator, log)
    assert [(r["ruleId"], r["level"]) for r in only_run(log)["results"]] == [
        ("W301", "warning"),
        ("N401", "note"),
    ]


def fingerprints(source: str, path: str = "spec.arch") -> list[str]:
    log = sarif([check(source, path)], root=ROOT)
    return [r["partialFingerprints"]["bilstmDslLineHash/v1"] for r in only_run(log)["results"]]


def test_fingerprints_are_stable_when_lines_move_and_differ_otherwise():
    source = (BROKEN / "missing_seq.arch").read_text()
    first = fingerprints(source)
    assert first == fingerprints(source)  # deterministic
    moved = "# a new comment line\n\n" + source.replace("  -> lstm(32)", "    ->   lstm(32)")
    assert fingerprints(moved) == first  # line numbers and indentation do not count
    assert fingerprints(source, "other.arch") != first
    assert fingerprints(source.replace("lstm(32)\n", "lstm(33)\n")) != first


def test_equal_lines_get_distinct_fingerprints():
    same = "  -> lstm(8, seq, activation=relu)\n"
    prints = fingerprints("input(20, 1)\n" + same + same)
    assert len(prints) == 2 and len(set(prints)) == 2
    assert prints[0].endswith(":1") and prints[1].endswith(":2")


# -- GitHub Actions workflow commands


def test_github_lines_for_a_broken_file_match_exactly():
    text = github([check_file(BROKEN / "typos.arch")], root=ROOT)
    assert text == (
        "::error file=examples/broken/typos.arch,line=3,col=6,endLine=3,endColumn=10,"
        "title=E101::unknown layer `lstn`%0Ahelp: did you mean `lstm`?\n"
        "::error file=examples/broken/typos.arch,line=4,col=17,endLine=4,endColumn=33,"
        "title=E102::`bilstm` has no argument `retrun_sequences`"
        "%0Ahelp: did you mean `return_sequences`?\n"
        "::error file=examples/broken/typos.arch,line=5,col=26,endLine=5,endColumn=34,"
        "title=E109::unknown activation `sigmoide` for `activation`"
        "%0Ahelp: did you mean `sigmoid`?\n"
    )


def test_github_clean_file_prints_nothing():
    assert github([check_file(GOOD)], root=ROOT) == ""


def test_github_warning_and_note_commands():
    warning = check("input(20, 1) -> lstm(32, activation=relu) -> dense(1)", "w.arch")
    note = check("input(20, 1) -> lstm(32, seq) -> dense(1)", "n.arch")
    lines = github([warning, note], root=Path.cwd()).splitlines()
    assert lines[0].startswith("::warning file=w.arch,line=1,") and "title=W301::" in lines[0]
    assert lines[1].startswith("::notice file=n.arch,line=1,") and "title=N401::" in lines[1]


def with_diagnostic(source: str, path: str, diag: Diagnostic):
    return check(source, path).replace(diagnostics=(diag,))


def test_github_escapes_message_and_properties(tmp_path):
    source = "input(20, 1)\n  -> dense(1)\n"
    diag = Diagnostic(
        "E104",
        Severity.ERROR,
        Span.at(source, 18, 23),
        "100% sure: a, b\r\nthen: more",
        help="write 5%, not 50%",
    )
    path = tmp_path / "odd:name,1.arch"
    line = github([with_diagnostic(source, str(path), diag)], root=tmp_path)
    assert line == (
        "::error file=odd%3Aname%2C1.arch,line=2,col=6,endLine=2,endColumn=11,title=E104"
        "::100%25 sure: a, b%0D%0Athen: more%0Ahelp: write 5%25, not 50%25\n"
    )
    assert escape_data("a%b\nc\rd:e,f") == "a%25b%0Ac%0Dd:e,f"
    assert escape_property("a%b\nc\rd:e,f") == "a%25b%0Ac%0Dd%3Ae%2Cf"


def test_github_multiline_span_and_stdin():
    source = "input(20, 1)\n  -> dense(1)\n"
    diag = Diagnostic("E205", Severity.ERROR, Span.at(source, 4, 20), "spans two lines")
    (line,) = github([with_diagnostic(source, "<stdin>", diag)]).splitlines()
    # no file for stdin; columns only on single-line spans, as GitHub takes them
    assert line == "::error line=1,endLine=2,title=E205::spans two lines"


# -- the command line (once cli.py offers the formats)


def cli_formats() -> tuple[str, ...]:
    parser = build_parser("check")
    for action in parser._subparsers._group_actions[0].choices["check"]._actions:
        if action.dest == "format":
            return tuple(action.choices)
    return ()


needs_cli = pytest.mark.skipif(
    not {"sarif", "github"} <= set(cli_formats()),
    reason="`bilstm-dsl check --format sarif|github` is not wired into cli.py yet",
)


@needs_cli
def test_cli_sarif_and_exit_codes(capsys, monkeypatch, validator):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--format", "sarif", "examples/broken/missing_seq.arch"]) == 1
    log = json.loads(capsys.readouterr().out)
    validate(validator, log)
    assert only_run(log)["results"][0]["ruleId"] == "E201"
    assert main(["check", "--format", "sarif", "examples/stacked_lstm_bilstm.arch"]) == 0
    assert only_run(json.loads(capsys.readouterr().out))["results"] == []


@needs_cli
def test_cli_github_and_exit_codes(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--format", "github", "examples/broken/missing_seq.arch"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=examples/broken/missing_seq.arch,line=3,col=6,")
    assert main(["check", "--format", "github", "examples/stacked_lstm_bilstm.arch"]) == 0
    assert capsys.readouterr().out == ""


# -- hostile input: many results, odd file names, escape sequences


def test_streamed_sarif_is_the_same_log(validator, tmp_path):
    """`check --format sarif` writes the log piece by piece; it is the log `sarif` builds."""
    results = [check_file(p) for p in sorted(BROKEN.glob("*.arch"))]
    results.append(files.check_file(str(tmp_path / "missing.arch")))
    text = "".join(sarif_text(results, root=ROOT))
    assert json.loads(text) == sarif(results, root=ROOT)
    validate(validator, json.loads(text))
    empty = "".join(sarif_text([check_file(GOOD)], root=ROOT))
    assert json.loads(empty) == sarif([check_file(GOOD)], root=ROOT)


def test_many_results_are_streamed_in_linear_time_and_bounded_memory():
    """Each line's fingerprint is hashed once, and no result list is held: 20,000
    diagnostics on one line used to hash the whole line 20,000 times."""
    import time
    import tracemalloc

    source = "input(20, 1) -> dense(1" + ", q=1" * 20_000 + ")"
    diags = tuple(
        Diagnostic("E102", Severity.ERROR, Span.at(source, 24 + 5 * i, 27 + 5 * i), "no `q`")
        for i in range(20_000)
    )
    result = check("input(1)", "many.arch").replace(source=source, diagnostics=diags)
    tracemalloc.start()
    start = time.process_time()
    size = sum(len(piece) for piece in sarif_text([result], root=ROOT))
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert size > 20_000 * 300
    assert seconds < 10 and peak < 20_000_000, (seconds, peak)


def test_non_utf8_file_names_in_every_format(tmp_path):
    """A file name's undecodable bytes neither crash a format nor vanish: SARIF
    percent-encodes the byte, the text and GitHub outputs show it escaped."""
    import subprocess
    import sys

    name = b"bad\xff\x1b[31m.arch"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as spec:
        spec.write(b"input(20) -> lstm(8)\n")
    outputs = {}
    for form in ("text", "json", "sarif", "github"):
        proc = subprocess.run(
            [sys.executable, "-m", "bilstm_dsl", "check", "--format", form, name],
            cwd=tmp_path,
            capture_output=True,
            check=False,
        )
        assert proc.returncode == 1 and proc.stderr == b"", (form, proc.stderr)
        assert b"\x1b" not in proc.stdout and b"\xff" not in proc.stdout, form
        outputs[form] = proc.stdout.decode("utf-8")
    assert outputs["text"].startswith("bad\\xff\\x1b[31m.arch:1:1: error[E203]")
    assert json.loads(outputs["json"])[0]["path"] == os.fsdecode(name)
    artifact = only_run(json.loads(outputs["sarif"]))["results"][0]["locations"][0]
    assert artifact["physicalLocation"]["artifactLocation"]["uri"] == "bad%FF%1B%5B31m.arch"
    assert outputs["github"].startswith("::error file=bad\\xff\\x1b[31m.arch,line=1,")


def test_github_shows_escape_sequences_escaped(tmp_path):
    source = 'input(20, 1) -> dense(1, name="\x1b[2J\u202e")\n'
    (line,) = github([check(source, "spec.arch")], root=Path.cwd()).splitlines()
    assert "\x1b" not in line and "\u202e" not in line
    assert "\\x1b" in line and "\\u202e" in line


@needs_cli
@pytest.mark.parametrize("form", ["text", "json", "sarif", "github"])
def test_cli_batch_reports_every_file_in_every_format(form, tmp_path, capsys, monkeypatch):
    """An unreadable file, a directory, an empty and a binary file are reported each as a
    diagnostic of its own; the run goes on and exits with the worst status (2: I/O)."""
    monkeypatch.chdir(tmp_path)
    Path("empty.arch").write_bytes(b"")
    Path("binary.arch").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    Path("folder").mkdir()
    Path("broken.arch").write_bytes((BROKEN / "missing_seq.arch").read_bytes())
    paths = ["empty.arch", "missing.arch", "binary.arch", "folder", "broken.arch"]
    assert main(["check", "--format", form, *paths]) == 2
    out = capsys.readouterr().out
    expected = ["E008", "E013", "E007", "E013", "E201"]
    if form == "text":
        found = re.findall(r"^(\S+):\d+:\d+: error\[(E\d+)\]", out, re.M)
        assert found == list(zip(paths, expected))
        assert out.rstrip().endswith("found 5 errors in 5 files")
    elif form == "json":
        assert [(r["path"], r["code"]) for r in json.loads(out)] == list(zip(paths, expected))
    elif form == "sarif":
        rows = only_run(json.loads(out))["results"]
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in rows]
        assert list(zip(uris, [r["ruleId"] for r in rows])) == list(zip(paths, expected))
    else:
        found = re.findall(r"^::error file=([^,]+),.*title=(E\d+)::", out, re.M)
        assert found == list(zip(paths, expected))


@pytest.mark.parametrize("path", ["example.arch", "dir/ä ö.arch", "odd\udcff\x1bname.arch"])
def test_json_rows_are_exactly_what_json_dumps_writes(path):
    """`check --format json` writes each row with Diagnostic.json_text, which must give the
    bytes json.dumps gives for Diagnostic.to_json: every catalogue example (help or none,
    fixes included), under names that need escaping."""
    diagnostics = [d for code in CATALOGUE for d in example_result(code).diagnostics]
    assert any(d.fix is not None for d in diagnostics)
    quoted = json.dumps(path)
    for diag in diagnostics:
        assert diag.json_text(quoted) == json.dumps(diag.to_json(path)), diag.code
    odd = Diagnostic("E201", Severity.ERROR, Span.at("x", 0, 1), 'a "quote" \\ é \x01', None)
    assert odd.json_text(quoted) == json.dumps(odd.to_json(path))
