"""Reading and writing themes, their members, outliers and events (tables themes, theme_members,
theme_outliers, theme_events; meta keys themes.*). Writers run inside the caller's transaction."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from pipeline.store.connection import get_meta, set_meta, utcnow

NEXT_ID_KEY = "themes.next_id"
EMBEDDER_KEY = "themes.embedder"


@dataclass(frozen=True)
class ThemeRow:
    theme_id: str
    name: str
    label: str | None
    keywords: tuple[str, ...]
    size: int
    centroid: np.ndarray


def active_centroids(conn: sqlite3.Connection) -> dict[str, np.ndarray]:
    """theme_id -> centroid of every active theme, in ID order."""
    rows = conn.execute("SELECT theme_id, centroid FROM themes WHERE status = 'active' AND centroid IS NOT NULL"
                        " ORDER BY theme_id")
    return {tid: np.frombuffer(blob, dtype=np.float32).copy() for tid, blob in rows}


def theme_names(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    return {tid: (name, label) for tid, name, label in conn.execute("SELECT theme_id, name, label FROM themes")}


def member_map(conn: sqlite3.Connection) -> dict[str, str]:
    """sentence_id -> theme_id of every member."""
    return dict(conn.execute("SELECT sentence_id, theme_id FROM theme_members"))


def outlier_ids(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT sentence_id FROM theme_outliers")}


def next_theme_number(conn: sqlite3.Connection) -> int:
    """The next unused theme number: never below any ID ever given (retired ones included)."""
    stored = int(get_meta(conn, NEXT_ID_KEY, "1") or 1)
    row = conn.execute("SELECT max(CAST(substr(theme_id, 2) AS INTEGER)) FROM themes").fetchone()
    return max(stored, (row[0] or 0) + 1)


def write_themes(conn: sqlite3.Connection, themes: Sequence[ThemeRow], run_id: str | None) -> None:
    """Insert or update theme rows (active)."""
    now = utcnow()
    for t in themes:
        conn.execute(
            "INSERT INTO themes(theme_id, name, label, keywords_json, size, status, centroid, created_run,"
            " updated_run, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)"
            " ON CONFLICT(theme_id) DO UPDATE SET name = excluded.name, label = excluded.label,"
            " keywords_json = excluded.keywords_json, size = excluded.size, status = 'active',"
            " centroid = excluded.centroid, updated_run = excluded.updated_run, updated_at = excluded.updated_at",
            (t.theme_id, t.name, t.label, json.dumps(list(t.keywords)), int(t.size),
             np.asarray(t.centroid, dtype=np.float32).tobytes(), run_id, run_id, now),
        )


def retire_themes(conn: sqlite3.Connection, theme_ids: Iterable[str], run_id: str | None) -> None:
    now = utcnow()
    conn.executemany("UPDATE themes SET status = 'retired', size = 0, updated_run = ?, updated_at = ? WHERE theme_id = ?",
                     [(run_id, now, tid) for tid in theme_ids])


def replace_members(conn: sqlite3.Connection, members: Sequence[tuple[str, str, float]],
                    outliers: Sequence[tuple[str, float]]) -> None:
    """Replace every membership and outlier row (a rebuild)."""
    conn.execute("DELETE FROM theme_members")
    conn.execute("DELETE FROM theme_outliers")
    add_members(conn, members, outliers)


def add_members(conn: sqlite3.Connection, members: Sequence[tuple[str, str, float]],
                outliers: Sequence[tuple[str, float]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO theme_members(sentence_id, theme_id, similarity) VALUES (?, ?, ?)",
                     [(sid, tid, float(sim)) for sid, tid, sim in members])
    conn.executemany("INSERT OR REPLACE INTO theme_outliers(sentence_id, similarity) VALUES (?, ?)",
                     [(sid, float(sim)) for sid, sim in outliers])


def drop_members(conn: sqlite3.Connection, sentence_ids: Iterable[str]) -> None:
    """Forget sentences that no longer carry themes (their tags changed)."""
    ids = [(sid,) for sid in sentence_ids]
    conn.executemany("DELETE FROM theme_members WHERE sentence_id = ?", ids)
    conn.executemany("DELETE FROM theme_outliers WHERE sentence_id = ?", ids)


def refresh_sizes(conn: sqlite3.Connection, theme_ids: Iterable[str], run_id: str | None) -> None:
    now = utcnow()
    conn.executemany(
        "UPDATE themes SET size = (SELECT count(*) FROM theme_members m WHERE m.theme_id = themes.theme_id),"
        " updated_run = ?, updated_at = ? WHERE theme_id = ?",
        [(run_id, now, tid) for tid in theme_ids],
    )


def record_events(conn: sqlite3.Connection, events: Iterable[tuple[str, str, Sequence[str]]], run_id: str | None) -> None:
    now = utcnow()
    conn.executemany("INSERT INTO theme_events(run_id, event, theme_id, related_json, at) VALUES (?, ?, ?, ?, ?)",
                     [(run_id, event, tid, json.dumps(list(related)), now) for event, tid, related in events])


def set_state(conn: sqlite3.Connection, next_number: int, embedder_name: str) -> None:
    set_meta(conn, NEXT_ID_KEY, str(next_number))
    set_meta(conn, EMBEDDER_KEY, embedder_name)


def embedder_of_themes(conn: sqlite3.Connection) -> str | None:
    return get_meta(conn, EMBEDDER_KEY)
