"""Open the store: WAL mode, foreign keys, busy timeout, migrations applied in order and recorded.

Writers use `transaction(conn)` (BEGIN IMMEDIATE ... COMMIT, rollback on any error): one transaction
per document per stage, so a crash never leaves half a document behind. Readers open with
`readonly=True` and keep working while a refresh writes (WAL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Iterator

from pipeline.errors import StoreError

BUSY_TIMEOUT_MS = 30_000
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in pipeline/store/migrations, in order."""
    found = []
    folder = resources.files("pipeline.store") / "migrations"
    for entry in folder.iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _apply_migrations(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    known = migrations()
    newest_known = max((v for v, _, _ in known), default=0)
    if applied and max(applied) > newest_known:
        raise StoreError(
            f"the store's schema (version {max(applied)}) is newer than this scr-themes knows ({newest_known})"
        )
    for version, name, sql in known:
        if version in applied:
            continue
        # executescript commits first; wrap the migration itself so it lands whole or not at all.
        conn.executescript(
            "BEGIN IMMEDIATE;\n"
            + sql
            + f"\nINSERT INTO schema_migrations(version, name, applied_at) VALUES ({version}, '{name}', '{utcnow()}');\nCOMMIT;"
        )


def connect(path: str | Path, readonly: bool = False, migrate: bool = True) -> sqlite3.Connection:
    """Open (and create or upgrade, unless read-only) the store at `path`."""
    path = Path(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"no store at {path}: run `scr ingest` or `scr run` first")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                _apply_migrations(conn)
        else:
            conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a scr-themes store ({exc})") from None
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT; ROLLBACK on any exception (including KeyboardInterrupt)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
