"""What ops keeps in the store besides runs: the 'themes pending' mark and the checks a refresh makes.

The mark (meta key `ops.themes_pending`) is set before a run writes anything and cleared only after
the themes were updated, so a run killed at any point leaves it behind and the next run finishes the
work even when no new file arrives. Checking it and the untagged sentences costs milliseconds, which
keeps a refresh with nothing new fast.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from pipeline.store import transaction, utcnow
from pipeline.store.connection import get_meta, set_meta

PENDING_KEY = "ops.themes_pending"


def themes_pending(conn: sqlite3.Connection) -> str | None:
    """The run id that left theme work pending, or None."""
    return get_meta(conn, PENDING_KEY)


def mark_themes_pending(conn: sqlite3.Connection, run_id: str) -> None:
    with transaction(conn):
        set_meta(conn, PENDING_KEY, run_id)


def clear_themes_pending(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))


def untagged_doc_ids(conn: sqlite3.Connection) -> list[str]:
    """Documents with at least one sentence the tagger has not seen (new, or left by a killed run)."""
    rows = conn.execute(
        "SELECT DISTINCT s.doc_id FROM sentences s"
        " WHERE NOT EXISTS (SELECT 1 FROM sentence_tagging t WHERE t.sentence_id = s.sentence_id)"
        " ORDER BY s.doc_id"
    )
    return [row[0] for row in rows]


@dataclass(frozen=True)
class InterruptedRun:
    """A run found still marked 'running' by the next writer: its process died (kill -9, power cut)."""

    run_id: str
    command: str
    started_at: str
    added: int
    """Documents it had stored (new or replacing) before it died; the next run tags and themes them."""
    failed: int


def close_interrupted_runs(conn: sqlite3.Connection) -> list[InterruptedRun]:
    """Close the runs still marked 'running' as 'interrupted', with the counts the store can tell of what
    they did (documents stored, inputs failed). Only call under the store lock: every writer holds it
    while its run is open, so a run still 'running' then belongs to a dead process."""
    rows = conn.execute("SELECT run_id, command, started_at FROM runs WHERE outcome = 'running' ORDER BY started_at")
    closed = []
    for run_id, command, started_at in rows.fetchall():
        added, sentences = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(sentences), 0) FROM documents WHERE run_id = ?", (run_id,)).fetchone()
        failed = conn.execute("SELECT COUNT(*) FROM failures WHERE run_id = ?", (run_id,)).fetchone()[0]
        closed.append(InterruptedRun(run_id, command, started_at, int(added), int(failed)))
        counts = {"added": int(added), "sentences": int(sentences), "failed": int(failed), "interrupted": True}
        with transaction(conn):
            conn.execute("UPDATE runs SET outcome = 'interrupted', ended_at = ?, counts_json = ? WHERE run_id = ?",
                         (utcnow(), json.dumps(counts, sort_keys=True), run_id))
    return closed
