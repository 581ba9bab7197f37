"""The README is the front door: its console examples are real output, and CI runs its
test command verbatim."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import ROOT

from bilstm_dsl.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_blocks() -> list[tuple[str, str]]:
    """(command, expected output) for every ```console block of the README."""
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command, _, output = body.partition("\n")
        assert command.startswith("$ bilstm-dsl "), command
        blocks.append((command[2:], output))
    return blocks


@pytest.mark.parametrize(("command", "expected"), console_blocks())
def test_readme_console_output_is_real(command, expected, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    main(shlex.split(command)[1:])
    assert capsys.readouterr().out == expected


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert len(commands) == 2, "the README shows two set-up commands"
    assert commands[1] in ci.splitlines()
