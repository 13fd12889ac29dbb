"""Counts and the latest run: what `scr status` and monitoring read."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class StoreStatus:
    store: str
    documents: int
    pages: int
    sentences: int
    tagged_sentences: int
    """Sentences the tagger has processed, label or not."""
    tags: int
    themes: int
    failures: int
    labelled_sentences: int = 0
    """Sentences carrying at least one affirmed label."""
    failures_by_cause: dict[str, int] = field(default_factory=dict)
    recent_failures: list[dict] = field(default_factory=list)
    last_run: dict | None = None
    last_run_failures: list[dict] = field(default_factory=list)
    """Inputs that failed in the last run (path, cause, stage): what monitoring alerts on."""
    last_refresh: dict | None = None
    """The latest `scr refresh` run (the nightly job), whatever ran since."""

    def to_dict(self) -> dict:
        return asdict(self)


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def store_status(conn: sqlite3.Connection, store: str, recent: int = 10) -> StoreStatus:
    by_cause = {
        row["cause"]: row["n"]
        for row in conn.execute("SELECT cause, COUNT(*) AS n FROM failures GROUP BY cause ORDER BY n DESC")
    }
    recent_rows = [
        dict(row)
        for row in conn.execute(
            "SELECT path, cause, detail, stage, run_id, failed_at FROM failures ORDER BY failure_id DESC LIMIT ?",
            (recent,),
        )
    ]
    last_run = _run(conn.execute("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1").fetchone())
    last_refresh = _run(conn.execute(
        "SELECT * FROM runs WHERE command = 'refresh' ORDER BY started_at DESC, rowid DESC LIMIT 1").fetchone())
    last_run_failures = []
    if last_run is not None:
        last_run_failures = [
            dict(row)
            for row in conn.execute(
                "SELECT path, cause, stage, failed_at FROM failures WHERE run_id = ? ORDER BY failure_id",
                (last_run["run_id"],),
            )
        ]
    return StoreStatus(
        store=store,
        documents=_count(conn, "SELECT COUNT(*) FROM documents"),
        pages=_count(conn, "SELECT COUNT(*) FROM pages"),
        sentences=_count(conn, "SELECT COUNT(*) FROM sentences"),
        tagged_sentences=_count(conn, "SELECT COUNT(*) FROM sentence_tagging"),
        tags=_count(conn, "SELECT COUNT(*) FROM tags WHERE assertion = 'present'"),
        themes=_count(conn, "SELECT COUNT(*) FROM themes WHERE status = 'active'"),
        failures=sum(by_cause.values()),
        labelled_sentences=_count(conn, "SELECT COUNT(DISTINCT sentence_id) FROM tags WHERE assertion = 'present'"),
        failures_by_cause=by_cause,
        recent_failures=recent_rows,
        last_run=last_run,
        last_run_failures=last_run_failures,
        last_refresh=last_refresh,
    )


def _run(row: sqlite3.Row | None) -> dict | None:
    if row is None:
        return None
    run = dict(row)
    run["counts"] = json.loads(run.pop("counts_json") or "{}")
    return run
