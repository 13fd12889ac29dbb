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


def _help_paragraphs(output: str) -> list[str]:
    """The prose paragraphs above the first option box of a rendered --help."""
    prose = output.split("╭", 1)[0].split("Usage:", 1)[1].split("\n", 1)[1]
    return [p for p in re.split(r"\n\s*\n", prose) if p.strip()]


@pytest.mark.parametrize("argv", [["ingest"], ["tag"], ["refresh"], ["annotate", "export"]])
def test_help_prose_is_wrapped_by_the_terminal_not_the_source(argv: list[str]):
    """On a wide terminal each paragraph of a command's description is one line: the source's line
    breaks (docstrings wrapped at 120 columns) must not cut it into ragged half-lines."""
    from pipeline.cli.main import app

    result = CliRunner().invoke(app, [*argv, "--help"], env={"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"})
    assert result.exit_code == 0, result.output
    paragraphs = _help_paragraphs(result.output)
    assert len(paragraphs) >= 2, result.output
    for paragraph in paragraphs:
        assert len(paragraph.strip().splitlines()) == 1, paragraph


def test_reflow_keeps_paragraphs_and_list_items():
    from pipeline.cli.main import reflow

    doc = """First line
    goes on.

    Body starts
    and ends.
    - item one
      continues
    - item two
    """
    assert reflow(doc) == "First line goes on.\n\nBody starts and ends.\n- item one continues\n- item two"
