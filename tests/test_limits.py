"""Hostile sizes and bytes: each gives a clear diagnostic or a documented limit, in
bounded time, never a RecursionError, MemoryError or hang. The bounds are generous (the
machines are shared); the point is that nothing grows out of control."""

from __future__ import annotations

import io
import sys
import time

import pytest

from bilstm_dsl import check, check_bytes
from bilstm_dsl.checker import MAX_SOURCE_BYTES
from bilstm_dsl.parser import MAX_DEPTH, MAX_STAGES


def timed(fn, *args):
    """The result and the CPU seconds it took (other processes on the machine do not
    count; the bounds below are ~10x what an idle machine needs)."""
    start = time.process_time()
    result = fn(*args)
    return result, time.process_time() - start


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def test_ten_megabyte_file_is_refused_at_once():
    data = b"input(20, 1) -> dense(1)\n" + b"# padding\n" * 1_000_000
    result, seconds = timed(check_bytes, data, "big.arch")
    assert codes(result) == ["E011"] and seconds < 2


def test_largest_accepted_file_is_checked():
    text = "input(20, 1) -> dense(1)  # " + "x" * (MAX_SOURCE_BYTES - 40) + "\n"
    result, seconds = timed(check, text)
    assert result.ok and seconds < 5


def test_hundred_thousand_stage_chain_is_refused_and_just_below_is_checked():
    over = "input(8)" + " -> dense(8)" * MAX_STAGES
    result, seconds = timed(check, over)
    assert codes(result) == ["E012"] and seconds < 2
    assert result.diagnostics[0].span.start == over.find("->") + 12 * (MAX_STAGES - 1)


@pytest.mark.slow
def test_long_chain_below_the_limit_is_checked_in_bounded_time():
    text = "input(8)" + " -> dense(8)" * (MAX_STAGES - 1)
    result, seconds = timed(check, text)
    assert result.ok and len(result.stages) == MAX_STAGES - 1
    assert seconds < 30


def test_wrappers_nested_ten_thousand_deep():
    text = "input(4, 5, 6) -> " + "td(" * 10_000 + "dense(1)" + ")" * 10_000
    result, seconds = timed(check, text)
    assert codes(result) == ["E009"] and seconds < 2
    assert result.diagnostics[0].span.start == text.index("td(") + 3 * MAX_DEPTH + 2


def test_nesting_at_the_limit_is_fine():
    depth = 20
    text = (
        f"input({', '.join(['2'] * (depth + 1))}, 3) -> " + "td(" * depth + "dense(1)" + ")" * depth
    )
    result = check(text)
    assert result.ok, result.diagnostics


def test_integer_with_hundreds_of_digits():
    result = check("input(20, 1) -> dense(" + "7" * 400 + ")")
    assert codes(result) == ["E009"]


def test_float_overflow_is_a_value_error_not_a_crash():
    result = check("input(20, 1) -> dropout(1e999)")
    assert codes(result) == ["E104"]


def test_million_character_line():
    text = 'input(20, 1) -> dense(1, name="' + "a" * 1_000_000 + '")'
    result, seconds = timed(check, text)
    assert result.ok and seconds < 2
    bad = "input(20, 1) -> dense(1)" + " " * 1_000_000 + "$"
    result, seconds = timed(check, bad)
    assert codes(result) == ["E001"] and seconds < 2


def test_nul_bytes():
    assert codes(check("input(20, 1)\0 -> dense(1)")) == ["E001"]


def test_invalid_utf8():
    result = check_bytes(b"input(20, 1) -> dense(1) # \xff\xfe", "bad.arch")
    assert codes(result) == ["E007"] and result.diagnostics[0].span.column == 28


def test_lone_surrogates_and_odd_line_breaks():
    assert check("input(20, 1) -> dense(1) # \ud800").ok
    assert codes(check("input(20, 1)\u2028-> dense(1)")) == ["E001"]


# -- rendering many diagnostics


def many_diagnostics(count: int, one_line: bool):
    """A result with ``count`` E101 diagnostics, one per line or all on one line (made
    directly: the checker's own cost is not what is measured here)."""
    from bilstm_dsl.diagnostics import Diagnostic, Severity, Span

    stage = " -> lstn(1)" if one_line else "\n  -> lstn(1)"
    source = "input(20, 1)" + stage * count + "\n"
    first, step = 12 + len(stage) - 7, len(stage)
    diags = tuple(
        Diagnostic(
            "E101",
            Severity.ERROR,
            Span.at(source, first + i * step, first + i * step + 4),
            "unknown layer `lstn`",
            help="did you mean `lstm`?",
        )
        for i in range(count)
    )
    assert source[diags[-1].span.start : diags[-1].span.end] == "lstn"
    return check("input(1)", "many.arch").replace(source=source, diagnostics=diags)


@pytest.mark.parametrize("one_line", [False, True], ids=["lines", "one-line"])
def test_rendering_a_hundred_thousand_diagnostics_is_linear(one_line):
    """Each rendering used to split the whole source into lines: 100,000 diagnostics took
    more than two minutes. Now each costs what its window of the line costs."""
    from bilstm_dsl.diagnostics import render

    def render_all(result):
        return [render(d, result.source, result.path) for d in result.diagnostics]

    small, big = many_diagnostics(10_000, one_line), many_diagnostics(100_000, one_line)
    rendered, small_seconds = timed(render_all, small)
    assert rendered[0].splitlines()[3].endswith("^^^^")
    rendered, big_seconds = timed(render_all, big)
    assert len(rendered) == 100_000 and rendered[-1].splitlines()[3].endswith("^^^^")
    assert big_seconds < 5 and big_seconds < 25 * max(small_seconds, 0.01)


class _Sink(io.TextIOBase):
    """A standard output that keeps nothing (so only the writer's memory is measured)."""

    written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


@pytest.mark.parametrize("form", ["json", "sarif", "text"])
def test_output_of_many_diagnostics_is_streamed(form, monkeypatch):
    """`check --format json` of a 2 MiB spec took 2.3 GB: json.dumps(indent=2) built the
    whole text from millions of pieces (20,000 diagnostics: 42 MB as JSON, 121 MB as
    SARIF). Each diagnostic is now written as it is made."""
    import tracemalloc

    import bilstm_dsl.check_command
    import bilstm_dsl.cli

    result = many_diagnostics(20_000, one_line=False)
    monkeypatch.setattr(bilstm_dsl.check_command, "check_file", lambda path: result)
    sink = _Sink()
    monkeypatch.setattr(sys, "stdout", sink)
    tracemalloc.start()
    code, seconds = timed(bilstm_dsl.cli.main, ["check", "--format", form, "many.arch"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1 and sink.written > 20_000 * 100
    assert peak < 15_000_000, f"{peak:,} bytes at the peak"
    assert seconds < 60  # under tracemalloc, several times slower than without
