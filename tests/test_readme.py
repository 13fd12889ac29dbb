"""Docs are tested: every command the README lists exists with --help, and every make target it names exists."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    return sorted(set(re.findall(r"^\s+scr ([a-z]+)", README, flags=re.M)))


def test_readme_lists_the_commands():
    assert len(_readme_commands()) >= 10


@pytest.mark.parametrize("command", _readme_commands())
def test_every_readme_command_has_help(command: str):
    from pipeline.cli.main import app

    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_every_cli_command_is_in_the_readme():
    from pipeline.cli.main import app
    import typer.main

    group = typer.main.get_command(app)
    missing = [name for name in group.commands if f"scr {name}" not in README]
    assert missing == []


def test_make_targets_named_in_readme_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))
    named = set(re.findall(r"`?make ([a-z-]+)`?", README))
    assert named and named <= targets, named - targets
