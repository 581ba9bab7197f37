"""The pre-commit hooks, run for real through `pre-commit try-repo` on a scratch
repository holding a good spec and a broken one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    repo = tmp_path_factory.mktemp("repo")
    (repo / "good.arch").write_text("input(20, 1) -> lstm(32, seq) -> bilstm(16) -> dense(1)\n")
    (repo / "broken.arch").write_text("input(20, 1)\n  -> lstm(32)\n  -> lstm(16)\n")
    (repo / "messy.arch").write_text("input(20,1)->dense(1)\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("cache"))}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "specs"], cwd=repo, check=True)
    return repo, env


def try_repo(scratch, hook: str, *files: str) -> subprocess.CompletedProcess:
    repo, env = scratch
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_hook_passes_a_good_spec(scratch):
    proc = try_repo(scratch, "bilstm-dsl-check", "good.arch")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def test_check_hook_fails_a_broken_spec(scratch):
    proc = try_repo(scratch, "bilstm-dsl-check", "good.arch", "broken.arch")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout and "broken.arch:2:6: error[E201]" in proc.stdout


def test_format_hook_rewrites_a_messy_spec(scratch):
    repo, _ = scratch
    proc = try_repo(scratch, "bilstm-dsl-format", "messy.arch", "good.arch")
    assert proc.returncode == 1 and "files were modified by this hook" in proc.stdout
    assert (repo / "messy.arch").read_text() == "input(20, 1) -> dense(1)\n"
    assert try_repo(scratch, "bilstm-dsl-format", "messy.arch").returncode == 0
