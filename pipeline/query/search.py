"""Hybrid sentence search: FTS5 BM25 and embedding similarity, fused by reciprocal rank fusion.

`search(conn, text, filters, embedder)` ranks sentences by keyword (BM25 over the FTS5 index: sentences
with all the query's content words first, then, when those are fewer than the candidates wanted, those
with any of them) and by meaning (cosine similarity of the query's embedding to the cached sentence
vectors), each restricted by the filters (a numpy mask over sentence rowids, pipeline.query.rowmap),
and fuses the two rankings with reciprocal rank fusion: score = sum over rankings of 1 / (RRF_K + rank). Without an embedder (or without vectors in the
store) the search is keyword only; sentences with no cached vector are found by keyword only.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from pipeline.errors import UsageError
from pipeline.query.filters import QueryFilters
from pipeline.query.rowmap import RowMask, filter_mask
from pipeline.query.terms import fts_all_expression, fts_expression, highlight_spans, query_terms
from pipeline.query.vectors import VectorIndex, vector_index

RRF_K = 60
CANDIDATES = 200
"""How many sentences each ranking contributes to the fusion."""
SEMANTIC_FLOOR_Z = 1.5
"""A sentence joins the semantic ranking only when its similarity to the query lies at least this many
standard deviations above the query's mean similarity to all sentences (so unrelated text is left out)."""
SEMANTIC_FLOOR = {"all-MiniLM-L6-v2": 0.40}
"""And only when its cosine reaches this absolute floor, per model (the name before '/recipe'): the z-score
is relative, so a query near nothing still has a tail. Measured on the 4-sample store (6,068 vectors) and
a store of the 715 PFD reports and the real reports (22,467): the best cosine of 14 nonsense queries
("zzqqxxyy", "asdfgh qwerty", "lorem ipsum dolor sit amet", ...) was at most 0.371 and 0.392, while
on-topic queries ("information not shared", "domestic abuse", "case closed too soon", "child not seen",
"risk assessment", ...) keep 10 to 800 sentences at 0.40. A model without a measured floor has none."""
KEYWORD_ENOUGH = 50
KEYWORD_ENOUGH_SHARE = 0.25
"""Hybrid search: sentences with every query word are enough keyword candidates (no pass for sentences with
any of the words, which costs BM25 over many more matches) once there are at least KEYWORD_ENOUGH of them,
this share of the candidates wanted, and offset + limit; single-word matches would rank below them and
reach a page only through fusion. Keyword-only search always fills up with single-word matches."""
MODES = ("hybrid", "keyword", "semantic")
_UNSET = object()
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="scr-keyword")


@dataclass(frozen=True)
class SearchHit:
    sentence_id: str
    doc_id: str
    title: str
    year: int | None
    review_type: str
    page: int
    section: str | None
    paragraph: str | None
    text: str
    score: float
    """Fused reciprocal-rank score (higher is better)."""
    keyword_rank: int | None
    semantic_rank: int | None
    similarity: float | None
    labels: tuple[str, ...] = ()
    learning_point: bool = False
    theme_id: str | None = None
    highlights: tuple[tuple[int, int], ...] = ()
    """Character spans of words matching the query, in `text`."""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("labels", "before", "after"):
            out[key] = list(out[key])
        out["highlights"] = [list(span) for span in self.highlights]
        return out


@dataclass(frozen=True)
class SearchResults:
    query: str
    mode: str
    """'hybrid', 'keyword' or 'semantic': what actually ran."""
    filters: QueryFilters
    total: int
    """Number of fused candidates: every page lies within them."""
    offset: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)
    total_exact: bool = True
    """False when a ranking stopped at its depth, so more sentences match than `total` (shown as "N+")."""

    @property
    def total_text(self) -> str:
        return f"{self.total}" if self.total_exact else f"{self.total}+"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "mode": self.mode, "filters": self.filters.to_dict(), "total": self.total,
            "total_exact": self.total_exact, "offset": self.offset, "hits": [h.to_dict() for h in self.hits],
        }


def keyword_ranking(conn: sqlite3.Connection, terms: list[str], filters: QueryFilters,
                    limit: int = CANDIDATES, subject: bool = True, rowmask: RowMask | None | object = _UNSET,
                    enough: int | None = None) -> list[int]:
    """Sentence rowids, best first, within the filters: those with every term by BM25, then (when fewer than
    `enough`, default `limit`) those with any term by BM25, up to `limit`. `rowmask` is the filters' mask
    when the caller has it."""
    if not terms:
        return []
    if rowmask is _UNSET:
        rowmask = filter_mask(conn, filters, subject=subject)
    if rowmask is not None and rowmask.count == 0:
        return []
    expressions = [fts_expression(terms)] if len(terms) == 1 else [fts_all_expression(terms), fts_expression(terms)]
    enough = limit if enough is None else min(limit, enough)
    out: list[int] = []
    seen: set[int] = set()
    for expression in expressions:
        if out and len(out) >= enough:
            break
        for rowid in _ranked(conn, expression, rowmask, limit):
            if rowid not in seen:
                seen.add(rowid)
                out.append(rowid)
    return out[:limit]


def _ranked(conn: sqlite3.Connection, expression: str, rowmask: RowMask | None, limit: int) -> list[int]:
    """Top `limit` rowids matching an FTS5 expression by BM25, within the mask: a deeper top-k filtered in
    numpy, all matches only when that was not enough. (`ORDER BY bm25(...)` measured about a quarter faster
    than `ORDER BY rank` on 200,000 sentences, same order.)"""
    sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts)"
    if rowmask is None:
        return [row[0] for row in conn.execute(sql + " LIMIT ?", (expression, limit))]
    share = rowmask.count / max(1, rowmask.total)
    depth = max(4 * limit, int(2 * limit / max(share, 1e-4)))
    rows = conn.execute(sql + " LIMIT ?", (expression, depth)).fetchall()
    kept = rowmask.keep(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
    if len(kept) < limit and len(rows) == depth:
        rows = conn.execute(sql, (expression,)).fetchall()
        kept = rowmask.keep(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
    return kept[:limit].tolist()


def semantic_ranking(conn: sqlite3.Connection, index: VectorIndex, query_vector: np.ndarray,
                     filters: QueryFilters, limit: int = CANDIDATES, subject: bool = True,
                     rowmask: RowMask | None | object = _UNSET) -> list[tuple[int, float]]:
    """(rowid, cosine) pairs, best first, within the filters."""
    if rowmask is _UNSET:
        rowmask = filter_mask(conn, filters, subject=subject)
    sims = index.similarities(query_vector)
    mask = None if rowmask is None else index.rows_allowed(rowmask.allowed)
    if len(sims) > 1:
        sample = sims[:: max(1, len(sims) // 20_000)]  # the background from an evenly spread sample
        floor = sims >= float(sample.mean()) + SEMANTIC_FLOOR_Z * float(sample.std())
        mask = floor if mask is None else (mask & floor)
    absolute = similarity_floor(index.model)
    if absolute is not None:
        mask = (sims >= absolute) if mask is None else (mask & (sims >= absolute))
    if mask is not None:
        sims = np.where(mask, sims, -np.inf)
        available = int(mask.sum())
    else:
        available = len(sims)
    k = min(limit, available)
    if k <= 0:
        return []
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    top = top[np.argsort(-sims[top], kind="stable")]
    top = top[np.isfinite(sims[top])]
    return list(zip(index.rowids[top].tolist(), sims[top].tolist()))


def similarity_floor(model: str) -> float | None:
    """The absolute cosine floor of the semantic ranking for a stored model name, or None."""
    return SEMANTIC_FLOOR.get(model.split("/", 1)[0])


def fuse(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion of several rankings of the same items."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def search(conn: sqlite3.Connection, text: str, filters: QueryFilters | None = None, embedder=None,
           limit: int = 20, offset: int = 0, context: int = 0, mode: str = "hybrid") -> SearchResults:
    """Rank sentences for `text` within `filters`; see the module docstring."""
    filters = (filters or QueryFilters()).validated()
    if mode not in MODES:
        raise UsageError(f"mode: allowed {', '.join(MODES)}; found {mode!r}")
    if limit < 1 or limit > 1000:
        raise UsageError(f"limit: must lie between 1 and 1000, found {limit}")
    if offset < 0:
        raise UsageError(f"offset: must be 0 or more, found {offset}")
    if context < 0 or context > 10:
        raise UsageError(f"context: must lie between 0 and 10, found {context}")
    terms = query_terms(text)
    if not terms and not (text or "").strip():
        raise UsageError("the query is empty")
    depth = max(CANDIDATES, offset + limit)
    index = vector_index(conn, embedder.name) if (embedder is not None and mode != "keyword") else None
    if mode == "semantic" and index is None:
        raise UsageError("semantic search needs sentence vectors in the store (run `scr cluster` or `scr run`)")
    rowmask = filter_mask(conn, filters)
    keyword: list[int] = []
    semantic: list[tuple[int, float]] = []
    if index is None:
        keyword = keyword_ranking(conn, terms, filters, depth, rowmask=rowmask) if mode != "semantic" else []
    else:
        # BM25 in SQLite (which releases the GIL) runs beside the query embedding and the vector stage.
        enough = max(offset + limit, KEYWORD_ENOUGH, int(depth * KEYWORD_ENOUGH_SHARE))
        pending = _POOL.submit(keyword_ranking, conn, terms, filters, depth, rowmask=rowmask, enough=enough) \
            if mode != "semantic" else None
        query_vector = embedder.embed([text])[0]
        semantic = semantic_ranking(conn, index, query_vector, filters, depth, rowmask=rowmask)
        if pending is not None:
            try:
                keyword = pending.result()
            except sqlite3.ProgrammingError:  # a connection bound to its creating thread
                keyword = keyword_ranking(conn, terms, filters, depth, rowmask=rowmask, enough=enough)
    ran = "keyword" if index is None else ("semantic" if mode == "semantic" else "hybrid")
    fused = fuse([keyword, [r for r, _ in semantic]])
    order = sorted(fused, key=lambda r: (-fused[r], r))
    page = order[offset: offset + limit]
    hits = _hits(conn, page, fused, keyword, semantic, terms, context)
    cut = len(keyword) >= depth or len(semantic) >= depth
    return SearchResults(text, ran, filters, len(order), offset, tuple(hits), total_exact=not cut)


def _hits(conn, rowids: list[int], fused: dict[int, float], keyword: list[int],
          semantic: list[tuple[int, float]], terms: list[str], context: int) -> list[SearchHit]:
    if not rowids:
        return []
    wanted = set(rowids)
    kw_rank = {r: i for i, r in enumerate(keyword, start=1) if r in wanted}
    sem_rank = {r: (i, s) for i, (r, s) in enumerate(semantic, start=1) if r in wanted}
    marks = ",".join("?" * len(rowids))
    rows = {
        row["rowid"]: row for row in conn.execute(
            "SELECT s.rowid AS rowid, s.sentence_id, s.doc_id, s.ordinal, s.page, s.section, s.paragraph, s.text,"
            " d.title, d.year, d.review_type, coalesce(st.learning_point, 0) AS learning_point, tm.theme_id"
            " FROM sentences s JOIN documents d ON d.doc_id = s.doc_id"
            " LEFT JOIN sentence_tagging st ON st.sentence_id = s.sentence_id"
            " LEFT JOIN theme_members tm ON tm.sentence_id = s.sentence_id"
            f" WHERE s.rowid IN ({marks})", rowids)
    }
    labels = sentence_labels(conn, [rows[r]["sentence_id"] for r in rowids if r in rows])
    hits = []
    for r in rowids:
        row = rows.get(r)
        if row is None:
            continue
        before, after = neighbours(conn, row["doc_id"], row["ordinal"], context) if context else ((), ())
        rank_sim = sem_rank.get(r)
        hits.append(SearchHit(
            sentence_id=row["sentence_id"], doc_id=row["doc_id"], title=row["title"], year=row["year"],
            review_type=row["review_type"], page=row["page"], section=row["section"], paragraph=row["paragraph"],
            text=row["text"], score=round(fused[r], 6), keyword_rank=kw_rank.get(r),
            semantic_rank=rank_sim[0] if rank_sim else None,
            similarity=round(rank_sim[1], 4) if rank_sim else None,
            labels=tuple(labels.get(row["sentence_id"], ())), learning_point=bool(row["learning_point"]),
            theme_id=row["theme_id"], highlights=highlight_spans(row["text"], terms), before=before, after=after,
        ))
    return hits


def sentence_labels(conn, sentence_ids: list[str]) -> dict[str, list[str]]:
    """Affirmed labels per sentence id."""
    out: dict[str, list[str]] = {}
    for start in range(0, len(sentence_ids), 500):
        chunk = sentence_ids[start: start + 500]
        marks = ",".join("?" * len(chunk))
        for sid, label in conn.execute(
            f"SELECT sentence_id, label FROM tags WHERE assertion = 'present' AND sentence_id IN ({marks})"
            " ORDER BY label", chunk):
            out.setdefault(sid, []).append(label)
    return out


def neighbours(conn, doc_id: str, ordinal: int, n: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts of up to n sentences before and after a sentence in its document."""
    rows = conn.execute(
        "SELECT ordinal, text FROM sentences WHERE doc_id = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
        (doc_id, ordinal - n, ordinal + n),
    ).fetchall()
    before = tuple(t for o, t in rows if o < ordinal)
    after = tuple(t for o, t in rows if o > ordinal)
    return before, after
