"""Shared fixtures. Keras is imported lazily, once per session, by the tests that need it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
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
