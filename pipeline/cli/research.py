"""Commands of this area (filled in by its stage)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to `app`."""
