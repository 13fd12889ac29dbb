"""The store's sentence vectors as one numpy matrix per process, for fast similarity search.

Vectors come from the `embeddings` cache (float32, L2-normalised) keyed by (model, text_hash) and are
joined to sentences by text hash. The matrix is loaded once per (store file, model) and reloaded when
the store's sentences or vectors change (newest rowids and counts). A query is one matrix-vector
product; filters become boolean masks. Sentences with no cached vector take part in keyword search only.

Large stores (more than TWO_STAGE_MIN rows): reading 200,000 x 384 float32 (300 MB) per query is bound by
memory bandwidth, so the index also keeps the vectors projected onto their top REDUCED_DIM principal
directions (uncentred SVD of a sample; sentence embeddings are far from isotropic, so dot products are
well kept). A query scores all rows in the reduced space, keeps the best RERANK_POOL, and scores those
exactly with the full vectors. Similarities outside the pool are the reduced-space estimates.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np

TWO_STAGE_MIN = 50_000
REDUCED_DIM = 96
RERANK_POOL = 4_000
_CACHE: dict[tuple[str, str], "VectorIndex"] = {}
_LOCK = threading.Lock()


@dataclass
class VectorIndex:
    model: str
    rowids: np.ndarray
    """int64 sentence rowids, ascending; row i of `matrix` is the vector of sentence rowids[i]."""
    doc_codes: np.ndarray
    """int32 index into `doc_ids` per row."""
    doc_ids: list[str]
    matrix: np.ndarray
    """float32 (n, dim), rows L2-normalised."""
    signature: tuple
    projection: np.ndarray | None = None
    """(dim, REDUCED_DIM) float32 for the two-stage search of a large index, else None."""
    reduced: np.ndarray | None = None
    """(n, REDUCED_DIM) float32: the rows projected."""

    def __len__(self) -> int:
        return int(self.rowids.shape[0])

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1]) if self.matrix.ndim == 2 else 0

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row to the (normalised) query vector."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.dim:
            raise ValueError(f"query vector has {q.shape[0]} dimensions, the store's vectors {self.dim}")
        if self.reduced is None:
            return self.matrix @ q
        sims = self.reduced @ (q @ self.projection)
        pool = np.argpartition(-sims, min(RERANK_POOL, len(sims) - 1))[:RERANK_POOL]
        sims[pool] = self.matrix[pool] @ q
        return sims

    def exact_similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row, always with the full vectors (slower on large stores)."""
        return self.matrix @ np.asarray(query, dtype=np.float32).reshape(-1)

    def rows_allowed(self, allowed: np.ndarray) -> np.ndarray:
        """Boolean row mask from a rowid-indexed boolean array (rowids beyond its end are not allowed)."""
        keep = np.zeros(len(self), dtype=bool)
        inside = self.rowids < len(allowed)
        keep[inside] = allowed[self.rowids[inside]]
        return keep

    def mask(self, doc_ids: list[str] | None, rowids: list[int] | None) -> np.ndarray | None:
        """Boolean row mask for the allowed documents and sentence rowids (None = no restriction)."""
        if doc_ids is None and rowids is None:
            return None
        keep = np.ones(len(self), dtype=bool)
        if doc_ids is not None:
            code_of = {d: i for i, d in enumerate(self.doc_ids)}
            codes = np.fromiter((code_of[d] for d in doc_ids if d in code_of), dtype=np.int32)
            keep &= np.isin(self.doc_codes, codes)
        if rowids is not None:
            wanted = np.zeros(len(self), dtype=bool)
            r = np.asarray(rowids, dtype=np.int64)
            pos = np.searchsorted(self.rowids, r)
            pos_ok = pos < len(self)
            hit = pos[pos_ok][self.rowids[pos[pos_ok]] == r[pos_ok]]
            wanted[hit] = True
            keep &= wanted
        return keep


def _store_key(conn: sqlite3.Connection) -> str:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2] or f"memory:{id(conn)}"
    return f"memory:{id(conn)}"


def _signature(conn: sqlite3.Connection, model: str) -> tuple:
    # max(rowid) is a b-tree lookup; count(*) on the small model index keeps deletions visible.
    sentences = conn.execute("SELECT coalesce(max(rowid), 0) FROM sentences").fetchone()[0]
    vectors = conn.execute("SELECT coalesce(max(rowid), 0) FROM embeddings").fetchone()[0]
    has_model = conn.execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", (model,)).fetchone()
    return (sentences, vectors, 1 if has_model else 0)


def stored_models(conn: sqlite3.Connection) -> list[str]:
    """Models with cached vectors in this store."""
    return [row[0] for row in conn.execute("SELECT DISTINCT model FROM embeddings")]


def _load(conn: sqlite3.Connection, model: str, signature: tuple) -> VectorIndex:
    rows = conn.execute(
        "SELECT s.rowid, s.doc_id, e.vector FROM sentences s"
        " JOIN embeddings e ON e.model = ? AND e.text_hash = s.text_hash ORDER BY s.rowid",
        (model,),
    ).fetchall()
    doc_code: dict[str, int] = {}
    rowids = np.empty(len(rows), dtype=np.int64)
    codes = np.empty(len(rows), dtype=np.int32)
    blobs = []
    for i, (rowid, doc_id, blob) in enumerate(rows):
        rowids[i] = rowid
        codes[i] = doc_code.setdefault(doc_id, len(doc_code))
        blobs.append(blob)
    if rows:
        dim = len(blobs[0]) // 4
        matrix = np.frombuffer(b"".join(blobs), dtype=np.float32)
        if matrix.shape[0] != dim * len(rows):
            raise ValueError(f"vectors of model {model!r} in the store have mixed dimensions")
        matrix = matrix.reshape(len(rows), dim)
    else:
        matrix = np.zeros((0, 0), dtype=np.float32)
    index = VectorIndex(model, rowids, codes, list(doc_code), matrix, signature)
    if len(rows) > TWO_STAGE_MIN and matrix.shape[1] > REDUCED_DIM:
        sample = matrix[np.random.default_rng(0).choice(len(rows), size=20_000, replace=False)]
        _, _, vt = np.linalg.svd(sample, full_matrices=False)
        index.projection = np.ascontiguousarray(vt[:REDUCED_DIM].T, dtype=np.float32)
        index.reduced = np.ascontiguousarray(matrix @ index.projection)
    return index


def vector_index(conn: sqlite3.Connection, model: str) -> VectorIndex | None:
    """The cached index of `model`'s vectors for this store (reloaded when the store changed);
    None when the store holds no vectors of that model."""
    signature = _signature(conn, model)
    if signature[2] == 0:
        return None
    key = (_store_key(conn), model)
    with _LOCK:
        index = _CACHE.get(key)
        if index is None or index.signature != signature:
            index = _load(conn, model, signature)
            _CACHE[key] = index
    return index


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
