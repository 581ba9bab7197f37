"""Shared fixtures. Keras is imported lazily, once per session, by the tests that need it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# TensorFlow's kernels, not oneDNN's, on every machine: oneDNN is on by default only on some
# x86 CPUs, and what a layer does with integer or channels-first data can differ there
# (tests/backends/test_keras_dtypes.py measures it; the W503 test runs both settings in
# subprocesses of its own).
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def keras():
    import keras

    return keras


def diag_tuples(source: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of every diagnostic for ``source``, in order."""
    from bilstm_dsl import check

    return [(d.code, d.span.line, d.span.column) for d in check(source).diagnostics]


def codes(source: str) -> list[str]:
    from bilstm_dsl import check

    return [d.code for d in check(source).diagnostics]
