"""Vectors cached in the store by (embedder name, text hash): each distinct text is embedded once per model."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from pipeline.embed.base import Embedder
from pipeline.records import text_hash

CHUNK = 512
"""Distinct texts embedded (and written) per step; the progress callback fires after each."""
_LOOKUP = 500


def cached_vectors(conn: sqlite3.Connection, model: str, hashes: Sequence[str], dim: int) -> dict[str, np.ndarray]:
    """The cached vectors among `hashes` for `model` (read only)."""
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(hashes), _LOOKUP):
        part = list(hashes[start : start + _LOOKUP])
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT text_hash, dim, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
            [model, *part],
        )
        for h, d, blob in rows:
            if d == dim:
                found[h] = np.frombuffer(blob, dtype=np.float32)
    return found


def _store(conn: sqlite3.Connection, model: str, dim: int, hashes: list[str], vectors: np.ndarray) -> bool:
    """Write vectors; False when the connection is read-only (then nothing is cached)."""
    rows = [(model, h, dim, v.tobytes()) for h, v in zip(hashes, vectors)]
    sql = "INSERT OR REPLACE INTO embeddings(model, text_hash, dim, vector) VALUES (?, ?, ?, ?)"
    try:
        if conn.in_transaction:  # the caller's transaction decides
            conn.executemany(sql, rows)
            return True
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            return False
        raise
    try:
        conn.executemany(sql, rows)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def embed_cached(conn: sqlite3.Connection, embedder: Embedder, texts: Sequence[str],
                 progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Vectors for `texts` (rows aligned with them), computing and storing only those not cached yet.

    On a read-only connection missing vectors are computed but not stored.
    """
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    if not texts:
        return out
    hashes = [text_hash(t) for t in texts]
    counts = Counter(hashes)
    text_of = dict(zip(hashes, texts))
    known = cached_vectors(conn, embedder.name, list(counts), embedder.dim)
    missing = [h for h in counts if h not in known]
    if known and progress:
        progress(sum(counts[h] for h in known))
    writable = True
    for start in range(0, len(missing), CHUNK):
        part = missing[start : start + CHUNK]
        vectors = np.asarray(embedder.embed([text_of[h] for h in part]), dtype=np.float32)
        if writable:
            writable = _store(conn, embedder.name, embedder.dim, part, vectors)
        known.update(zip(part, vectors))
        if progress:
            progress(sum(counts[h] for h in part))
    for i, h in enumerate(hashes):
        out[i] = known[h]
    return out
