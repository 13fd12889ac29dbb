"""What every command shares: the settings (loaded once, with --db applied) and store connections."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from pipeline.config import Settings, load_settings
from pipeline.errors import UsageError


@dataclass
class AppContext:
    db: Path | None = None
    config: Path | None = None
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            settings = load_settings(self.config)
            if self.db is not None:
                settings = settings.replace(store=str(Path(self.db).resolve()))
            self._settings = settings
        return self._settings

    @property
    def store_path(self) -> Path:
        return self.settings.store_path

    def connect(self, readonly: bool = False) -> sqlite3.Connection:
        from pipeline.store import connect

        return connect(self.store_path, readonly=readonly)


def app_context(ctx: typer.Context) -> AppContext:
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        root.obj = AppContext()
    return root.obj


def print_json(data: Any) -> None:
    """One JSON document on stdout (non-ASCII kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def is_terminal() -> bool:
    return sys.stderr.isatty()


def input_file(path: Path) -> Path:
    """`path` when it is a file this process can read; otherwise a UsageError (exit 2), as `scr ingest` gives
    for a missing path: a wrong argument is bad usage, not an input that failed. '-' (stdin) passes."""
    if str(path) != "-":
        try:
            Path(path).open("rb").close()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    return path
