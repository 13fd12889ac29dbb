"""Runs: every command that writes records a run (id, command, start, end, counts, outcome)."""

from __future__ import annotations

import json
import sqlite3
import uuid

from pipeline.store.connection import utcnow


def start_run(conn: sqlite3.Connection, command: str) -> str:
    run_id = utcnow().replace(":", "").replace("-", "")[:15] + "-" + uuid.uuid4().hex[:6]
    conn.execute(
        "INSERT INTO runs(run_id, command, started_at, outcome) VALUES (?, ?, ?, 'running')",
        (run_id, command, utcnow()),
    )
    return run_id


def error_cause(exc: BaseException, limit: int = 300) -> str:
    """One line naming an error: its type and the first line of its message, at most `limit` characters."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def finish_run(conn: sqlite3.Connection, run_id: str, outcome: str, counts: dict, cause: str | None = None) -> None:
    """Close a run; `cause` is the one-line reason of a run that ended in 'error' (see `error_cause`)."""
    conn.execute(
        "UPDATE runs SET ended_at = ?, outcome = ?, counts_json = ?, cause = ? WHERE run_id = ?",
        (utcnow(), outcome, json.dumps(counts, sort_keys=True), cause, run_id),
    )
