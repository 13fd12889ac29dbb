"""Counts and the latest run: what `scr status` and monitoring read.

Failures are counted per file still failing, not per event: a file retried and failing again, or the same
bytes under two names, is one file; a file since read into the store (after `--ocr`, or fixed and saved
again at the same path) no longer counts. A run still marked 'running' while no process holds the store
lock died without closing (kill -9, power cut): it is shown as 'interrupted'.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass, field

INTERRUPTED_HINT = "rerun `scr refresh`"


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
    """Files still failing: distinct files (by content hash, else path) whose latest failure was not
    followed by their bytes, or new bytes at their path, entering the store."""
    labelled_sentences: int = 0
    """Sentences carrying at least one affirmed label."""
    failure_events: int = 0
    """Every failure ever recorded (each retry of each file), for the record."""
    failures_by_cause: dict[str, int] = field(default_factory=dict)
    """Files still failing, by the cause of their latest failure."""
    failing_files: list[dict] = field(default_factory=list)
    """The files still failing, latest first (path, cause, detail, failed_at, events)."""
    recent_failures: list[dict] = field(default_factory=list)
    last_run: dict | None = None
    last_run_failures: list[dict] = field(default_factory=list)
    """Inputs that failed in the last run (path, cause, stage): what monitoring alerts on."""
    last_refresh: dict | None = None
    """The latest `scr refresh` run (the nightly job), whatever ran since."""
    busy: dict | None = None
    """The command holding the store lock now (command, pid, since), or None when no writer runs."""

    def to_dict(self) -> dict:
        return asdict(self)


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def failing_files(conn: sqlite3.Connection) -> tuple[list[dict], int]:
    """(the files still failing, latest first, each with its number of failure events; all events)."""
    rows = [dict(r) for r in conn.execute(
        "SELECT failure_id, path, cause, detail, content_hash, failed_at FROM failures ORDER BY failure_id")]
    latest_at_path = {r["path"]: r for r in rows}  # a later failure at a path supersedes an earlier one there
    events: dict[str, int] = {}
    for r in rows:
        key = r["content_hash"] or r["path"]
        events[key] = events.get(key, 0) + 1
    files: dict[str, dict] = {}
    for r in sorted(latest_at_path.values(), key=lambda r: r["failure_id"]):
        if r["content_hash"] and conn.execute(
                "SELECT 1 FROM documents WHERE doc_id = ?", (r["content_hash"],)).fetchone():
            continue  # these bytes were read since (with --ocr, a longer time limit...)
        if conn.execute("SELECT 1 FROM document_paths WHERE path = ? AND seen_at >= ?",
                        (r["path"], r["failed_at"])).fetchone():
            continue  # good bytes arrived at this path since
        key = r["content_hash"] or r["path"]
        files[key] = {"path": r["path"], "cause": r["cause"], "detail": r["detail"], "failed_at": r["failed_at"],
                      "events": events[key]}
    return sorted(files.values(), key=lambda f: f["failed_at"], reverse=True), len(rows)


def store_status(conn: sqlite3.Connection, store: str, recent: int = 10, check_lock: bool = True) -> StoreStatus:
    """The counts of the store at `store`; with `check_lock`, runs left 'running' by a dead process (the
    store lock is free, or held by a writer that started after them) are reported as 'interrupted'."""
    failing, events = failing_files(conn)
    by_cause: dict[str, int] = {}
    for f in failing:
        by_cause[f["cause"]] = by_cause.get(f["cause"], 0) + 1
    recent_rows = [
        dict(row)
        for row in conn.execute(
            "SELECT path, cause, detail, stage, run_id, failed_at FROM failures ORDER BY failure_id DESC LIMIT ?",
            (recent,),
        )
    ]
    holder = None
    if check_lock:
        from pipeline.ops.lock import lock_holder

        holder = lock_holder(store)
    last_run = _run(conn.execute("SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1").fetchone(),
                    check_lock, holder)
    last_refresh = _run(conn.execute(
        "SELECT * FROM runs WHERE command = 'refresh' ORDER BY started_at DESC, rowid DESC LIMIT 1").fetchone(),
        check_lock, holder)
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
        failures=len(failing),
        labelled_sentences=_count(conn, "SELECT COUNT(DISTINCT sentence_id) FROM tags WHERE assertion = 'present'"),
        failure_events=events,
        failures_by_cause=dict(sorted(by_cause.items(), key=lambda kv: (-kv[1], kv[0]))),
        failing_files=failing[:recent],
        recent_failures=recent_rows,
        last_run=last_run,
        last_run_failures=last_run_failures,
        last_refresh=last_refresh,
        busy=holder.to_dict() if holder is not None else None,
    )


def _run(row: sqlite3.Row | None, check_lock: bool, holder) -> dict | None:
    if row is None:
        return None
    run = dict(row)
    run["counts"] = json.loads(run.pop("counts_json") or "{}")
    if check_lock and run["outcome"] == "running" and not _live(run, holder):
        run["outcome"] = "interrupted"
        run["hint"] = INTERRUPTED_HINT
    return run


def _live(run: dict, holder) -> bool:
    """Whether the process of this 'running' run may still be at work: a writer holds the lock, and took
    it no later than the run began (a writer records its run after taking the lock)."""
    if holder is None:
        return False
    started = holder.started()
    if started is None:
        return True
    try:
        run_start = dt.datetime.fromisoformat(run["started_at"])
    except (TypeError, ValueError):
        return True
    if run_start.tzinfo is None:
        run_start = run_start.replace(tzinfo=dt.timezone.utc)
    return run_start >= started - dt.timedelta(seconds=1)
