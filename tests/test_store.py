"""The store: migrations recorded, WAL and foreign keys on, one transaction per unit of work."""

import sqlite3

import pytest

from pipeline.errors import StoreError
from pipeline.store import connect, transaction
from pipeline.store.connection import migrations


def test_new_store_is_migrated_with_wal_and_foreign_keys(store):
    versions = [row[0] for row in store.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [v for v, _, _ in migrations()]
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_applies_nothing_twice(settings):
    connect(settings.store_path).close()
    conn = connect(settings.store_path)
    n = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert n == len(migrations())


def _add_doc(conn, doc_id="d1"):
    conn.execute(
        "INSERT INTO documents(doc_id, path, source_format, pages, sentences, ingested_at) "
        "VALUES (?, 'x.pdf', 'pdf', 1, 1, 'now')",
        (doc_id,),
    )
    conn.execute(
        "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, text, text_hash) "
        "VALUES (?, ?, 0, 1, 0, 30, 'Information was not shared.', 'h')",
        (doc_id + ":0", doc_id),
    )


def test_transaction_rolls_back_everything_on_error(store):
    with pytest.raises(RuntimeError):
        with transaction(store):
            _add_doc(store)
            raise RuntimeError("crash mid-document")
    assert store.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    assert store.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == 0


def test_fts_follows_sentences_and_cascade_deletes(store):
    with transaction(store):
        _add_doc(store)
    hits = store.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH 'shared'").fetchall()
    assert len(hits) == 1
    with transaction(store):
        store.execute("DELETE FROM documents WHERE doc_id = 'd1'")
    assert store.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] == 0
    assert store.execute("SELECT COUNT(*) FROM sentences_fts WHERE sentences_fts MATCH 'shared'").fetchone()[0] == 0


def test_readonly_connection_cannot_write(settings, store):
    ro = connect(settings.store_path, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("INSERT INTO meta(key, value) VALUES ('a', 'b')")


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a scr-themes store"):
        connect(bad)


def test_readonly_on_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="run `scr ingest`"):
        connect(tmp_path / "none.db", readonly=True)
