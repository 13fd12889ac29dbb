"""The SQLite store: one file, WAL, foreign keys on, FTS5 over sentences, numbered migrations."""

from pipeline.store.connection import connect, transaction, utcnow

__all__ = ["connect", "transaction", "utcnow"]
