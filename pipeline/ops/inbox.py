"""Find what is new in the inbox: by path, size and mtime first (no reading), by content hash second.

A file is
- unchanged: its path is known with the same size and mtime, or its bytes are a known document;
- failed before: its exact bytes already failed (a row in `failures` with that content hash, or one
  at that path recorded after the file last changed); it is tried again only when its bytes change
  (except after 'timed out', which is tried again every run);
- waiting: still being written (a temporary name such as *.part, *.crdownload, ~$*, .*; or its mtime
  lies within `settle_seconds`; or its size or mtime changed while the scan read it): next run;
- new: everything else (new bytes, changed bytes at a known path, known bytes under a new name; the
  ingest stage tells these apart);
- unsupported: any other visible file (a .docx, a .doc...): never read, but reported, so a review saved
  in the wrong format is not ignored in silence.
Only new files are read by the stages, so a refresh with nothing new reads no file at all.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.records import file_document_id

DOCUMENT_SUFFIXES = (".pdf", ".txt")
"""What the ingest stage reads (pipeline.ingest.batch.discover)."""
_TEMP_SUFFIXES = (".part", ".crdownload", ".tmp")
_LASTING = "cause != 'timed out'"
"""A file that timed out may read in time on a quieter night: it is tried again; other causes last."""


@dataclass(frozen=True)
class FailedBefore:
    """An inbox file whose exact bytes failed in an earlier run or ingest: the cause recorded then."""

    path: Path
    cause: str
    failed_at: str


@dataclass(frozen=True)
class InboxScan:
    inbox: Path
    new: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    failed_before: tuple[FailedBefore, ...]
    waiting: tuple[Path, ...]
    seconds: float
    unsupported: tuple[Path, ...] = ()
    """Visible files of a type the ingest stage does not read (a .docx...)."""


file_hash = file_document_id


def is_temporary(name: str, patterns: tuple[str, ...]) -> bool:
    lower = name.lower()
    return any(fnmatch.fnmatchcase(lower, p.lower()) for p in patterns)


def _relevant(name: str) -> bool:
    """A document, or a download/temporary file that will become one."""
    lower = name.lower()
    return lower.endswith(DOCUMENT_SUFFIXES) or lower.endswith(_TEMP_SUFFIXES) or name.startswith("~$") or any(
        s in lower for s in DOCUMENT_SUFFIXES
    )


def _walk(folder: Path, patterns: tuple[str, ...]) -> tuple[list[os.DirEntry], list[Path]]:
    """(documents and files becoming one, other visible files), each sorted by path."""
    found: list[os.DirEntry] = []
    others: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        stack.append(Path(entry.path))
                elif entry.is_file() and _relevant(entry.name):
                    found.append(entry)
                elif entry.is_file() and not is_temporary(entry.name, patterns):
                    others.append(Path(entry.path))
    return sorted(found, key=lambda e: e.path), sorted(others)


def _known_paths(conn: sqlite3.Connection) -> dict[str, tuple[int | None, float | None]]:
    return {row[0]: (row[1], row[2]) for row in conn.execute("SELECT path, size, mtime FROM document_paths")}


def _same_stat(known: tuple[int | None, float | None], size: int, mtime: float) -> bool:
    k_size, k_mtime = known
    return k_size == size and k_mtime is not None and abs(k_mtime - mtime) < 1e-3


def scan_inbox(inbox: Path, conn: sqlite3.Connection, settings: Settings, now: float | None = None) -> InboxScan:
    """Sort the inbox's files into new, unchanged, failed before and waiting. Reads only files whose
    path, size or mtime the store does not know."""
    started = time.perf_counter()
    inbox = Path(inbox).resolve()
    now = time.time() if now is None else now
    settle = settings.refresh.settle_seconds
    patterns = settings.refresh.temporary_patterns
    known = _known_paths(conn)
    new: list[Path] = []
    unchanged: list[Path] = []
    failed_before: list[FailedBefore] = []
    waiting: list[Path] = []
    entries, unsupported = _walk(inbox, patterns)
    for entry in entries:
        path = Path(entry.path)
        if is_temporary(entry.name, patterns):
            waiting.append(path)
            continue
        if not entry.name.lower().endswith(DOCUMENT_SUFFIXES):
            unsupported.append(path)  # such as report.pdf.docx
            continue
        st = entry.stat()
        if now - st.st_mtime < settle:
            waiting.append(path)
            continue
        key = str(path)
        if key in known and _same_stat(known[key], st.st_size, st.st_mtime):
            unchanged.append(path)
            continue
        try:
            digest = file_hash(path)
            after = path.stat()
        except OSError:
            waiting.append(path)  # vanished or unreadable mid-scan: look again next run
            continue
        if after.st_size != st.st_size or after.st_mtime != st.st_mtime:
            waiting.append(path)
            continue
        if key in known and _path_has_doc(conn, key, digest):
            unchanged.append(path)  # touched, same bytes
        elif earlier := _failed_before(conn, key, digest, st.st_mtime):
            failed_before.append(FailedBefore(path, *earlier))
        else:
            new.append(path)
    return InboxScan(inbox, tuple(new), tuple(unchanged), tuple(failed_before), tuple(waiting),
                     time.perf_counter() - started, tuple(sorted(unsupported)))


def _path_has_doc(conn: sqlite3.Connection, path: str, doc_id: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM document_paths WHERE path = ? AND doc_id = ?", (path, doc_id)
    ).fetchone() is not None


def _failed_before(conn: sqlite3.Connection, path: str, digest: str, mtime: float) -> tuple[str, str] | None:
    """(cause, failed_at) of the latest failure of these bytes: one with their hash, or one at this path
    recorded after the file's last change (failures found before hashing, such as an empty file, carry
    no hash); None when they did not fail before."""
    row = conn.execute(
        f"SELECT cause, failed_at FROM failures WHERE content_hash = ? AND {_LASTING} ORDER BY failure_id DESC LIMIT 1",
        (digest,)).fetchone()
    if row:
        return row[0], row[1]
    changed = dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat(timespec="seconds")
    row = conn.execute(
        f"SELECT cause, failed_at FROM failures WHERE path = ? AND content_hash IS NULL AND failed_at > ? AND {_LASTING}"
        " ORDER BY failure_id DESC LIMIT 1",
        (path, changed),
    ).fetchone()
    return (row[0], row[1]) if row else None
