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


def finish_run(conn: sqlite3.Connection, run_id: str, outcome: str, counts: dict) -> None:
    conn.execute(
        "UPDATE runs SET ended_at = ?, outcome = ?, counts_json = ? WHERE run_id = ?",
        (utcnow(), outcome, json.dumps(counts, sort_keys=True), run_id),
    )
