"""Fuzzing: the checker never raises on any input, and agrees with Keras on random chains.

The long runs (2,000 chains against Keras, 100,000 hostile inputs) are bench/bench_fuzz.py
and bench/bench_robustness.py; these are the quick versions that run with every test run.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilstm_dsl import check, check_bytes, render

try:
    from tests.fuzz.chains import judge, random_case
    from tests.fuzz.inputs import random_inputs
    from tests.parity.harness import keras_truth
except ModuleNotFoundError:  # pragma: no cover - depends on how pytest was started
    from fuzz.chains import judge, random_case  # type: ignore[no-redef]
    from fuzz.inputs import random_inputs  # type: ignore[no-redef]
    from parity.harness import keras_truth  # type: ignore[no-redef]


def test_front_end_never_raises_on_random_input():
    rng = random.Random(5)
    for kind, data in random_inputs(rng, 3000):
        result = check_bytes(data, "fuzz.arch")  # must not raise
        for diag in result.diagnostics:
            render(diag, result.source, "fuzz.arch")  # nor may rendering
        assert result.ok or result.diagnostics, (kind, data)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from('inputlsmd()[],->:=0123456789. \n#"_seqbr'), max_size=80))
def test_checker_never_raises_on_generated_text(text):
    result = check(text)
    assert result.ok or result.diagnostics


@pytest.mark.keras
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.randoms(use_true_random=False))
def test_checker_agrees_with_keras_on_random_chains(rng):
    case = random_case(rng)
    verdict = judge(case, check(case.arch), keras_truth(case))
    assert verdict.agree, f"{verdict.kind}: {verdict.detail}\n{case.arch}"
