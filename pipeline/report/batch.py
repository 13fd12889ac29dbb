"""Which reviews a briefing covers: given files, documents added since a date, or document ids.

A review is its bytes (doc_id = sha256 of the file), so a file is "in the store" when its hash is a
document, whatever its name; files that are not are returned as pending, for the caller to process
(`scr brief` runs them through pipeline.ops.run.run_batch first).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pipeline.errors import UsageError
from pipeline.records import file_document_id


@dataclass(frozen=True)
class PathBatch:
    doc_ids: tuple[str, ...]
    """Documents in the store for the files given."""
    pending: tuple[Path, ...]
    """Files whose bytes are not in the store yet."""


def _known(conn: sqlite3.Connection, doc_id: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None


def batch_from_paths(conn: sqlite3.Connection, paths: Sequence[Path]) -> PathBatch:
    """Split the files under `paths` (files or folders) into stored documents and files still to process."""
    from pipeline.ingest.batch import discover

    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    files = discover([Path(p) for p in paths])
    if not files:
        raise UsageError("no PDF or text files found in the batch given")
    doc_ids, pending = [], []
    for path in files:
        try:
            doc_id = file_document_id(path)
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if _known(conn, doc_id):
            doc_ids.append(doc_id)
        else:
            pending.append(path)
    return PathBatch(tuple(dict.fromkeys(doc_ids)), tuple(pending))


def batch_since(conn: sqlite3.Connection, since: str) -> tuple[str, ...]:
    """Documents first ingested on or after `since` (an ISO date, YYYY-MM-DD, or date and time)."""
    try:
        moment = dt.datetime.fromisoformat(since)
    except ValueError:
        raise UsageError(f"--since: expected a date as YYYY-MM-DD, found {since!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    rows = conn.execute("SELECT doc_id, ingested_at FROM documents ORDER BY ingested_at, doc_id").fetchall()
    out = []
    for doc_id, ingested_at in rows:
        when = dt.datetime.fromisoformat(ingested_at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        if when >= moment:
            out.append(doc_id)
    return tuple(out)


def batch_from_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> tuple[str, ...]:
    """Document ids in full or as a unique prefix (at least 6 characters); 'all' means every document."""
    if any(i.lower() == "all" for i in ids):
        return tuple(r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id"))
    out = []
    for given in ids:
        given = given.strip().lower()
        if len(given) < 6:
            raise UsageError(f"document id {given!r} is too short: give at least 6 characters, or 'all'")
        rows = conn.execute(
            "SELECT doc_id FROM documents WHERE doc_id >= ? AND doc_id < ? LIMIT 2", (given, given + "\uffff")
        ).fetchall()
        if not rows:
            raise UsageError(f"no document with id {given!r} in the store (see `scr status` or `scr show`)")
        if len(rows) > 1:
            raise UsageError(f"document id {given!r} matches several documents: give more characters")
        out.append(rows[0][0])
    return tuple(dict.fromkeys(out))
