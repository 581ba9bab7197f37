"""Hostile sizes and bytes: each gives a clear diagnostic or a documented limit, in
bounded time, never a RecursionError, MemoryError or hang. The bounds are generous (the
machines are shared); the point is that nothing grows out of control."""

from __future__ import annotations

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
