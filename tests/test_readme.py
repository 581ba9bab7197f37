"""The README is the front door: its console examples are real output, and CI runs its
test command verbatim."""

from __future__ import annotations

import re
import shlex

import pytest
from conftest import ROOT

from bilstm_dsl.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    """The shell commands of the README's "Quick start" section."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


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
    commands = _setup_commands()
    assert len(commands) == 2, "the README's quick start shows two set-up commands"
    assert commands[1] in ci.splitlines()


@pytest.mark.keras
def test_readme_main_command_runs(tmp_path, monkeypatch, capsys):
    """The bilstm-dsl part of the README's first command (after the install) succeeds."""
    import glob

    main_command = _setup_commands()[0]
    calls = [c.strip() for c in main_command.split("&&") if "bin/bilstm-dsl " in c]
    assert [c.split()[1] for c in calls] == ["check", "compile"]
    monkeypatch.chdir(ROOT)
    for call in calls:
        argv = []
        for word in shlex.split(call)[1:]:
            argv += sorted(glob.glob(word)) if "*" in word else [word]
        if argv[0] == "compile":
            argv[argv.index("-o") + 1] = str(tmp_path / argv[argv.index("-o") + 1])
        assert main(argv) == 0, capsys.readouterr()
    assert (tmp_path / "stacked_lstm_bilstm.keras").stat().st_size > 0
