"""Documents in the store: identity by content hash, aliases, versions, failures.

- the same bytes again at a known path: skipped;
- the same bytes at another path: an alias row in document_paths;
- changed bytes at a known path: a new version; the old document's rows go (cascade) unless the old
  bytes are still known at another path, and document_versions keeps the history.
Each call runs in ONE transaction (pipeline.store.transaction).
"""

from __future__ import annotations

import json
import os
import sqlite3

from pipeline.records import Document, text_hash
from pipeline.store.connection import transaction, utcnow


def known_hash_for_path(conn: sqlite3.Connection, path: str) -> str | None:
    row = conn.execute("SELECT doc_id FROM document_paths WHERE path = ?", (str(path),)).fetchone()
    return row[0] if row else None


def document_exists(conn: sqlite3.Connection, doc_id: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None


def _stat(path: str) -> tuple[float | None, int | None]:
    try:
        st = os.stat(path)
        return st.st_mtime, st.st_size
    except OSError:
        return None, None


def _set_path(conn: sqlite3.Connection, path: str, doc_id: str) -> None:
    mtime, size = _stat(path)
    conn.execute(
        "INSERT INTO document_paths(path, doc_id, mtime, size, seen_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, mtime = excluded.mtime, "
        "size = excluded.size, seen_at = excluded.seen_at",
        (path, doc_id, mtime, size, utcnow()),
    )


def _retire(conn: sqlite3.Connection, old: str, new: str, path: str) -> None:
    conn.execute("INSERT INTO document_versions(old_doc_id, new_doc_id, path, replaced_at) VALUES (?, ?, ?, ?)",
                 (old, new, path, utcnow()))
    others = conn.execute("SELECT COUNT(*) FROM document_paths WHERE doc_id = ? AND path != ?", (old, path)).fetchone()
    if others[0] == 0:
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (old,))


def add_alias(conn: sqlite3.Connection, doc_id: str, path: str) -> str:
    """Record `path` for bytes already stored: 'skipped' when the path was known for them, else 'alias'
    (or 'replaced' when the path held other bytes before)."""
    path = str(path)
    with transaction(conn):
        old = known_hash_for_path(conn, path)
        if old == doc_id:
            _set_path(conn, path, doc_id)
            return "skipped"
        _set_path(conn, path, doc_id)
        if old is not None:
            _retire(conn, old, doc_id, path)
            return "replaced"
        return "alias"


def save_document(conn: sqlite3.Connection, doc: Document, run_id: str | None) -> str:
    """Store one document in one transaction: 'added', 'skipped', 'alias' or 'replaced'."""
    if document_exists(conn, doc.doc_id):
        return add_alias(conn, doc.doc_id, doc.path)
    with transaction(conn):
        old = known_hash_for_path(conn, doc.path)
        m = doc.meta
        conn.execute(
            "INSERT INTO documents(doc_id, path, source_format, title, review_type, year, area, subject_age,"
            " subject_age_text, outcome, cause, pages, sentences, size_bytes, ingested_at, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.doc_id, doc.path, doc.source_format, m.title, m.review_type, m.year, m.area, m.subject.age_years,
             m.subject.age_text, m.subject.outcome, m.subject.cause, len(doc.pages), len(doc.sentences),
             doc.size_bytes, utcnow(), run_id),
        )
        conn.executemany("INSERT INTO pages(doc_id, page, text) VALUES (?, ?, ?)",
                         [(doc.doc_id, p.number, p.text) for p in doc.pages])
        conn.executemany(
            "INSERT INTO sections(doc_id, ordinal, heading, level, number, page) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc.doc_id, s.ordinal, s.heading, s.level, s.number, s.page) for s in doc.sections])
        from pipeline.records import sentence_id

        conn.executemany(
            "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, section, paragraph, kind, text,"
            " text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(sentence_id(doc.doc_id, s.ordinal), doc.doc_id, s.ordinal, s.page, s.start, s.end, s.section,
              s.paragraph, s.kind, s.text, text_hash(s.text)) for s in doc.sentences])
        conn.executemany("INSERT INTO footnotes(doc_id, page, marker, text) VALUES (?, ?, ?, ?)",
                         [(doc.doc_id, f.page, f.marker, f.text) for f in doc.footnotes])
        conn.executemany("INSERT INTO tables(doc_id, page, ordinal, rows_json) VALUES (?, ?, ?, ?)",
                         [(doc.doc_id, t.page, t.ordinal, json.dumps(t.rows, ensure_ascii=False))
                          for t in doc.tables])
        _set_path(conn, doc.path, doc.doc_id)
        if old is not None and old != doc.doc_id:
            _retire(conn, old, doc.doc_id, doc.path)
            return "replaced"
    return "added"


def record_failure(conn: sqlite3.Connection, path: str, cause: str, detail: str, run_id: str | None,
                   stage: str = "ingest", content_hash: str | None = None) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO failures(path, cause, detail, content_hash, stage, run_id, failed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(path), cause, detail, content_hash, stage, run_id, utcnow()),
        )
