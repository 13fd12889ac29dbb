"""Hybrid sentence search: FTS5 BM25 and embedding similarity, fused by reciprocal rank fusion.

`search(conn, text, filters, embedder)` ranks sentences by keyword (BM25 over the FTS5 index, any of
the query's content words) and by meaning (cosine similarity of the query's embedding to the cached
sentence vectors), each restricted by the filters, and fuses the two rankings with reciprocal rank
fusion: score = sum over rankings of 1 / (RRF_K + rank). Without an embedder (or without vectors in the
store) the search is keyword only; sentences with no cached vector are found by keyword only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from pipeline.errors import UsageError
from pipeline.query.filters import QueryFilters, allowed_documents, allowed_sentence_rowids
from pipeline.query.terms import fts_expression, highlight_spans, query_terms
from pipeline.query.vectors import VectorIndex, vector_index

RRF_K = 60
CANDIDATES = 200
"""How many sentences each ranking contributes to the fusion."""
SEMANTIC_FLOOR_Z = 1.5
"""A sentence joins the semantic ranking only when its similarity to the query lies at least this many
standard deviations above the query's mean similarity to all sentences (so unrelated text is left out)."""
MODES = ("hybrid", "keyword", "semantic")


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
    """Number of fused candidates (an upper bound for paging)."""
    offset: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "mode": self.mode, "filters": self.filters.to_dict(), "total": self.total,
            "offset": self.offset, "hits": [h.to_dict() for h in self.hits],
        }


def keyword_ranking(conn: sqlite3.Connection, terms: list[str], filters: QueryFilters,
                    limit: int = CANDIDATES, subject: bool = True) -> list[int]:
    """Sentence rowids by BM25, best first, within the filters."""
    expression = fts_expression(terms)
    if expression is None:
        return []
    doc_clauses, doc_params = filters.document_clauses(subject=subject)
    sent_clauses, sent_params = filters.sentence_clauses()
    if not doc_clauses and not sent_clauses:  # FTS5 orders by rank with a LIMIT without a join: fastest
        sql = "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?"
        return [row[0] for row in conn.execute(sql, (expression, limit))]
    join = " JOIN documents d ON d.doc_id = s.doc_id" if doc_clauses else ""
    where = " AND ".join(["sentences_fts MATCH ?"] + doc_clauses + sent_clauses)
    sql = (
        "SELECT s.rowid FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid" + join
        + " WHERE " + where + " ORDER BY bm25(sentences_fts) LIMIT ?"
    )
    return [row[0] for row in conn.execute(sql, [expression, *doc_params, *sent_params, limit])]


def semantic_ranking(conn: sqlite3.Connection, index: VectorIndex, query_vector: np.ndarray,
                     filters: QueryFilters, limit: int = CANDIDATES,
                     subject: bool = True) -> list[tuple[int, float]]:
    """(rowid, cosine) pairs, best first, within the filters."""
    sims = index.similarities(query_vector)
    mask = index.mask(allowed_documents(conn, filters, subject=subject), allowed_sentence_rowids(conn, filters))
    if len(sims) > 1:
        sample = sims[:: max(1, len(sims) // 20_000)]  # the background from an evenly spread sample
        floor = sims >= float(sample.mean()) + SEMANTIC_FLOOR_Z * float(sample.std())
        mask = floor if mask is None else (mask & floor)
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
    if offset < 0 or context < 0 or context > 10:
        raise UsageError("offset must be >= 0 and context between 0 and 10")
    terms = query_terms(text)
    if not terms and not (text or "").strip():
        raise UsageError("the query is empty")
    depth = max(CANDIDATES, offset + limit)
    index = vector_index(conn, embedder.name) if (embedder is not None and mode != "keyword") else None
    if mode == "semantic" and index is None:
        raise UsageError("semantic search needs sentence vectors in the store (run `scr cluster` or `scr run`)")
    keyword = keyword_ranking(conn, terms, filters, depth) if mode != "semantic" else []
    semantic: list[tuple[int, float]] = []
    if index is not None:
        query_vector = embedder.embed([text])[0]
        semantic = semantic_ranking(conn, index, query_vector, filters, depth)
    ran = "keyword" if index is None else ("semantic" if mode == "semantic" else "hybrid")
    fused = fuse([keyword, [r for r, _ in semantic]])
    order = sorted(fused, key=lambda r: (-fused[r], r))
    page = order[offset: offset + limit]
    hits = _hits(conn, page, fused, keyword, semantic, terms, context)
    return SearchResults(text, ran, filters, len(order), offset, tuple(hits))


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
