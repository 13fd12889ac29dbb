"""Query filters as numpy masks over sentence rowids, from a per-process map of the store's sentences.

Large SQL `IN` lists and per-match joins are slow on big stores; instead the map (every sentence's rowid,
document and sentence id, loaded once per store file and reloaded when the sentences change) turns the
filters into one boolean array indexed by rowid: document filters through the few documents that pass
them, sentence filters (labels, theme, learning points) through the sentence ids their tables list; the
mask of each sentence filter is kept with the map (a few dozen at most) until its table changes.

Change detection is by cheap b-tree lookups, not counts (a count over 200,000 rows costs tens of ms per
query): the newest row of the table, and for sentences also the documents' sentence total.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field

import numpy as np

from pipeline.query.filters import QueryFilters, allowed_documents

_CACHE: dict[str, "SentenceMap"] = {}
MASKS_KEPT = 32
_LOCK = threading.Lock()


@dataclass
class SentenceMap:
    rowids: np.ndarray
    """int64 rowids of all sentences, ascending."""
    doc_codes: np.ndarray
    """int32 index into `doc_ids` per entry of `rowids`."""
    doc_ids: list[str]
    row_of: dict[str, int]
    """sentence_id -> rowid."""
    signature: tuple
    masks: dict = field(default_factory=dict)
    """(sql, params, table state) -> bool array indexed by rowid: the cached sentence-filter masks."""

    @property
    def size(self) -> int:
        """Length of a rowid-indexed array (max rowid + 1)."""
        return int(self.rowids[-1]) + 1 if len(self.rowids) else 0


@dataclass(frozen=True)
class RowMask:
    allowed: np.ndarray
    """bool, indexed by rowid (rowids beyond its end are not allowed)."""
    count: int
    """How many sentences are allowed."""
    total: int
    """How many sentences the store holds."""

    def keep(self, rowids: np.ndarray) -> np.ndarray:
        """The rowids (order kept) that pass the filters."""
        rowids = np.asarray(rowids, dtype=np.int64)
        inside = rowids < len(self.allowed)
        ok = np.zeros(len(rowids), dtype=bool)
        ok[inside] = self.allowed[rowids[inside]]
        return rowids[ok]


def _store_key(conn: sqlite3.Connection) -> str:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2] or f"memory:{id(conn)}"
    return f"memory:{id(conn)}"


def _tail(conn: sqlite3.Connection, table: str) -> tuple:
    row = conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid DESC LIMIT 1").fetchone()
    return tuple(row) if row is not None else ()


def _signature(conn: sqlite3.Connection) -> tuple:
    docs = tuple(conn.execute("SELECT count(*), coalesce(sum(sentences), 0) FROM documents").fetchone())
    row = conn.execute("SELECT rowid, sentence_id, doc_id FROM sentences ORDER BY rowid DESC LIMIT 1").fetchone()
    return docs + (tuple(row) if row is not None else ())


def sentence_map(conn: sqlite3.Connection) -> SentenceMap:
    """The cached map of this store's sentences (reloaded when their max rowid or count changed)."""
    signature = _signature(conn)
    key = _store_key(conn)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.signature == signature:
            return cached
    rows = conn.execute("SELECT rowid, sentence_id, doc_id FROM sentences ORDER BY rowid").fetchall()
    doc_code: dict[str, int] = {}
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    codes = np.fromiter((doc_code.setdefault(r[2], len(doc_code)) for r in rows), dtype=np.int32, count=len(rows))
    smap = SentenceMap(rowids, codes, list(doc_code), {r[1]: r[0] for r in rows}, signature)
    with _LOCK:
        _CACHE[key] = smap
    return smap


def filter_mask(conn: sqlite3.Connection, filters: QueryFilters, subject: bool = True,
                smap: SentenceMap | None = None) -> RowMask | None:
    """The rowid mask of sentences passing `filters` (subject filters too unless subject=False);
    None when no filter restricts sentences."""
    doc_ids = allowed_documents(conn, filters, subject=subject)
    queries = filters.sentence_id_queries()
    if doc_ids is None and not queries:
        return None
    smap = smap or sentence_map(conn)
    allowed = np.zeros(smap.size, dtype=bool)
    if doc_ids is None:
        allowed[smap.rowids] = True
    else:
        code_of = {d: i for i, d in enumerate(smap.doc_ids)}
        doc_ok = np.zeros(len(smap.doc_ids), dtype=bool)
        doc_ok[np.fromiter((code_of[d] for d in doc_ids if d in code_of), dtype=np.int64)] = True
        allowed[smap.rowids[doc_ok[smap.doc_codes]]] = True
    for sql, params in queries:
        allowed &= _sentence_filter_mask(conn, smap, sql, params)
    return RowMask(allowed, int(allowed.sum()), len(smap.rowids))


def _sentence_filter_mask(conn: sqlite3.Connection, smap: SentenceMap, sql: str, params: list) -> np.ndarray:
    table = sql.split(" FROM ", 1)[1].split()[0]
    key = (sql, tuple(params), _tail(conn, table))
    with _LOCK:
        cached = smap.masks.get(key)
    if cached is not None:
        return cached
    row_of = smap.row_of
    hits = [row_of[sid] for (sid,) in conn.execute(sql, params) if sid in row_of]
    wanted = np.zeros(smap.size, dtype=bool)
    wanted[np.asarray(hits, dtype=np.int64)] = True
    with _LOCK:
        if len(smap.masks) >= MASKS_KEPT:
            smap.masks.pop(next(iter(smap.masks)))
        smap.masks[key] = wanted
    return wanted


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()
