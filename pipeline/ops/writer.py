"""`store_writer`: what every store-writing command does first. Take the store lock (StoreLocked at once,
naming the holder, when another writer has it), open the store, close the runs a killed writer left
'running'. Read-only commands (query, show, themes, status, serve, export) never use it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from typing import Iterator

from pipeline.config import Settings
from pipeline.ops.lock import refresh_lock
from pipeline.ops.state import InterruptedRun, close_interrupted_runs


@dataclass
class StoreWriter:
    conn: sqlite3.Connection
    interrupted: list[InterruptedRun] = field(default_factory=list)
    """Runs found 'running' with no live holder, closed as 'interrupted' before this one began."""


@contextlib.contextmanager
def store_writer(settings: Settings, command: str) -> Iterator[StoreWriter]:
    """Hold the store lock for `scr COMMAND` and yield the open store; nothing is touched when locked."""
    from pipeline.store import connect

    with refresh_lock(settings.store_path, command):
        conn = connect(settings.store_path)
        try:
            yield StoreWriter(conn, close_interrupted_runs(conn))
        finally:
            conn.close()
