"""What ops keeps in the store besides runs: the 'themes pending' mark and the checks a refresh makes.

The mark (meta key `ops.themes_pending`) is set before a run writes anything and cleared only after
the themes were updated, so a run killed at any point leaves it behind and the next run finishes the
work even when no new file arrives. Checking it and the untagged sentences costs milliseconds, which
keeps a refresh with nothing new fast.
"""

from __future__ import annotations

import sqlite3

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


def close_interrupted_runs(conn: sqlite3.Connection, commands: tuple[str, ...] = ("run", "refresh")) -> int:
    """Runs of these commands still marked 'running' died without closing (only call under the lock)."""
    marks = ",".join("?" for _ in commands)
    with transaction(conn):
        cur = conn.execute(
            f"UPDATE runs SET outcome = 'interrupted', ended_at = ? WHERE outcome = 'running' AND command IN ({marks})",
            (utcnow(), *commands),
        )
    return cur.rowcount
