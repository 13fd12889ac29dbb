"""Document screening: rank reviews for a research question and decide, per review, `relevant`.

How the decision is made (the CLI's --help says the same):
1. Semantic evidence. The query is embedded once and compared with every sentence vector in the store.
   A review's evidence is the mean cosine of its TOP_K best sentences, expressed as a z-score against
   the query's similarity to all sentences in the store (the background): z = (mean_top - mean_all) /
   sd_all. This calibrates the score per query and per model: a passage that is truly about the
   question lies several standard deviations into the tail, whatever the model's raw cosine scale. A query
   whose best cosine anywhere in the store is under the model's absolute floor (search.SEMANTIC_FLOOR: a
   nonsense word) has no semantic evidence, as its tail is noise: it is screened by keyword only.
   Each review's keyword hits (sentences matching any query word, FTS5) add KEYWORD_WEIGHT * log2(1+hits).
2. Subject filters (--min-age/--max-age/--outcome/--cause) are judged per review: 'match', 'unknown' or
   'conflict' (pipeline.query.subject). Any conflict makes the review not relevant.
3. Thresholds on the evidence: Z_MATCHED when every subject filter matches, Z_UNKNOWN when some are
   unknown (the text must carry more of the case), Z_PLAIN when no subject filter is set.
Keyword only (no vectors in the store): evidence = keyword hits, thresholds KW_MATCHED, KW_UNKNOWN,
KW_PLAIN sentences. Non-subject filters (type, years, area, labels, theme, learning points) restrict
which reviews and sentences count, as in search. Mode 'keyword' screens by keyword even where the store
has vectors; there is no 'semantic' screening (its decision needs the keyword evidence and thresholds
above), so that mode is a usage error, as is neighbouring-sentence context (each review shows its
evidence sentences instead). Results page with `limit` and `offset` like search.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from pipeline.errors import UsageError
from pipeline.query.filters import QueryFilters, allowed_documents, allowed_sentence_rowids
from pipeline.query.search import similarity_floor
from pipeline.query.subject import SubjectCheck, judge_subject, stated_ages_by_document
from pipeline.query.terms import fts_expression, highlight_spans, query_terms
from pipeline.query.vectors import vector_index

TOP_K = 3
KEYWORD_WEIGHT = 0.5
Z_MATCHED = 2.0
Z_UNKNOWN = 3.0
Z_PLAIN = 2.5
KW_MATCHED, KW_UNKNOWN, KW_PLAIN = 1, 3, 2


@dataclass(frozen=True)
class Evidence:
    sentence_id: str
    page: int
    section: str | None
    text: str
    similarity: float | None
    keyword: bool
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class DocumentVerdict:
    doc_id: str
    title: str
    review_type: str
    year: int | None
    area: str
    relevant: bool
    evidence: float
    """Calibrated evidence score (z-score plus keyword bonus; keyword hits in keyword-only mode)."""
    threshold: float
    keyword_hits: int
    reason: str
    subject: tuple[SubjectCheck, ...] = ()
    sentences: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["subject"] = [asdict(c) for c in self.subject]
        out["sentences"] = [dict(asdict(e), highlights=[list(h) for h in e.highlights]) for e in self.sentences]
        return out


@dataclass(frozen=True)
class ScreeningResults:
    query: str
    mode: str
    filters: QueryFilters
    considered: int
    relevant: int
    documents: tuple[DocumentVerdict, ...] = field(default_factory=tuple)
    offset: int = 0
    listed: int = 0
    """Documents in the ranking (only the relevant ones with relevant_only); every page lies within them."""

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "mode": self.mode, "filters": self.filters.to_dict(),
                "considered": self.considered, "relevant": self.relevant, "listed": self.listed,
                "offset": self.offset, "documents": [d.to_dict() for d in self.documents]}


SCREENING_MODES = ("hybrid", "keyword")


def check_screening_options(mode: str = "hybrid", context: int = 0) -> None:
    """A UsageError naming the option when a search option does not apply to document screening."""
    if mode not in SCREENING_MODES:
        raise UsageError(f"mode: document screening is {' or '.join(SCREENING_MODES)}, found {mode!r} "
                         "(semantic search ranks sentences only)")
    if context:
        raise UsageError("context: neighbouring sentences apply to sentence results; document screening shows "
                         "each review's evidence sentences instead")


def screen_documents(conn: sqlite3.Connection, text: str, filters: QueryFilters | None = None, embedder=None,
                     limit: int = 50, relevant_only: bool = False, offset: int = 0,
                     mode: str = "hybrid") -> ScreeningResults:
    """Every review within the non-subject filters, judged and ranked (relevant first, then evidence);
    the `limit` documents after the first `offset`."""
    filters = (filters or QueryFilters()).validated()
    check_screening_options(mode)
    terms = query_terms(text)
    if not terms and not (text or "").strip():
        raise UsageError("the query is empty")
    if limit < 1:
        raise UsageError(f"limit: must be at least 1, found {limit}")
    if offset < 0:
        raise UsageError(f"offset: must be at least 0, found {offset}")
    docs_allowed = allowed_documents(conn, filters, subject=False)
    rows_allowed = allowed_sentence_rowids(conn, filters)
    keyword = _keyword_hits(conn, terms, filters)
    index = vector_index(conn, embedder.name) if (embedder is not None and mode != "keyword") else None
    semantic: dict[str, list[tuple[int, float]]] = {}
    z_of: dict[str, float] = {}
    sims = index.similarities(embedder.embed([text])[0]) if index is not None and len(index) else None
    floor = similarity_floor(index.model) if index is not None else None
    if sims is not None and floor is not None and float(sims.max()) < floor:
        index = sims = None  # near nothing in the store: its z-scores are noise; screen by keyword instead
    if index is not None and sims is not None:
        mean, sd = float(sims.mean()), float(sims.std()) or 1.0
        semantic = _top_per_document(index, sims, index.mask(docs_allowed, rows_allowed))
        for doc_id, best in semantic.items():
            z_of[doc_id] = (float(np.mean([s for _, s in best])) - mean) / sd
    mode = "hybrid" if index is not None else "keyword"
    sql = "SELECT doc_id, title, review_type, year, area, subject_age, outcome, cause FROM documents d"
    clauses, params = filters.document_clauses(subject=False)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    docs = conn.execute(sql, params).fetchall()
    need_ages = (filters.min_age is not None or filters.max_age is not None)
    stated = stated_ages_by_document(conn, [d["doc_id"] for d in docs if d["subject_age"] is None]) if need_ages else {}
    verdicts = []
    for row in docs:
        doc_id = row["doc_id"]
        hits = keyword.get(doc_id, [])
        if mode == "hybrid":
            evidence = z_of.get(doc_id, float("-inf")) + KEYWORD_WEIGHT * math.log2(1 + len(hits))
        else:
            evidence = float(len(hits))
        checks = judge_subject(filters, row, stated.get(doc_id))
        relevant, threshold, reason = _decide(mode, evidence, checks, filters.has_subject)
        if relevant_only and not relevant:
            continue
        verdicts.append((row, relevant, evidence, threshold, reason, checks, hits))
    verdicts.sort(key=lambda v: (not v[1], -v[2] if math.isfinite(v[2]) else math.inf, v[0]["doc_id"]))
    n_relevant = sum(1 for v in verdicts if v[1])
    shown = verdicts[offset: offset + limit]
    evidence_rows = _evidence_sentences(conn, shown, semantic, index, terms)
    documents = tuple(
        DocumentVerdict(
            doc_id=row["doc_id"], title=row["title"], review_type=row["review_type"], year=row["year"],
            area=row["area"], relevant=relevant, evidence=round(evidence, 3) if math.isfinite(evidence) else -99.0,
            threshold=threshold, keyword_hits=len(hits), reason=reason, subject=checks,
            sentences=evidence_rows.get(row["doc_id"], ()),
        )
        for row, relevant, evidence, threshold, reason, checks, hits in shown
    )
    return ScreeningResults(text, mode, filters, len(docs), n_relevant, documents, offset, len(verdicts))


def _decide(mode: str, evidence: float, checks: tuple[SubjectCheck, ...], has_subject: bool):
    conflicts = [c for c in checks if c.verdict == "conflict"]
    if conflicts:
        c = conflicts[0]
        return False, 0.0, f"{c.field} is {c.found} ({c.source}), asked {c.wanted}"
    unknown = [c.field for c in checks if c.verdict == "unknown"]
    if mode == "hybrid":
        threshold = Z_UNKNOWN if unknown else (Z_MATCHED if has_subject else Z_PLAIN)
    else:
        threshold = float(KW_UNKNOWN if unknown else (KW_MATCHED if has_subject else KW_PLAIN))
    subject = ("subject " + ", ".join(unknown) + " unknown; " if unknown
               else ("subject matches; " if has_subject else ""))
    shown = f"{evidence:.2f}" if math.isfinite(evidence) else "none"
    if evidence >= threshold:
        return True, threshold, f"{subject}evidence {shown} >= {threshold:g}"
    return False, threshold, f"{subject}evidence {shown} < {threshold:g}"


def _keyword_hits(conn, terms: list[str], filters: QueryFilters) -> dict[str, list[int]]:
    """Sentence rowids matching any query word, per document, best (BM25) first."""
    expression = fts_expression(terms)
    if expression is None:
        return {}
    clauses, params = filters.sentence_clauses()
    sql = ("SELECT s.doc_id, s.rowid FROM sentences_fts JOIN sentences s ON s.rowid = sentences_fts.rowid"
           " WHERE " + " AND ".join(["sentences_fts MATCH ?"] + clauses) + " ORDER BY bm25(sentences_fts)")
    out: dict[str, list[int]] = {}
    for doc_id, rowid in conn.execute(sql, [expression, *params]):
        out.setdefault(doc_id, []).append(rowid)
    return out


def _top_per_document(index, sims: np.ndarray, mask) -> dict[str, list[tuple[int, float]]]:
    """The TOP_K most similar (rowid, cosine) per document among the allowed rows."""
    rows = np.flatnonzero(mask) if mask is not None else np.arange(len(sims))
    if rows.size == 0:
        return {}
    order = rows[np.lexsort((-sims[rows], index.doc_codes[rows]))]
    codes = index.doc_codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    out = {}
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(order)
        picked = order[start: min(end, start + TOP_K)]
        out[index.doc_ids[codes[start]]] = [(int(index.rowids[j]), float(sims[j])) for j in picked]
    return out


def _evidence_sentences(conn, shown, semantic, index, terms) -> dict[str, tuple[Evidence, ...]]:
    """The sentences that justify each shown document: its best semantic passages, else its keyword hits."""
    wanted: dict[str, list[tuple[int, float | None]]] = {}
    for row, _, _, _, _, _, hits in shown:
        doc_id = row["doc_id"]
        picks = list(semantic.get(doc_id, []))
        if not picks:
            picks = [(r, None) for r in hits[:TOP_K]]
        wanted[doc_id] = picks
    all_rows = [r for picks in wanted.values() for r, _ in picks]
    if not all_rows:
        return {}
    keyword_rows = {r for *_, hits in shown for r in hits}
    details = {}
    for start in range(0, len(all_rows), 500):
        chunk = all_rows[start: start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
                f"SELECT rowid, sentence_id, page, section, text FROM sentences WHERE rowid IN ({marks})", chunk):
            details[row[0]] = row
    out = {}
    for doc_id, picks in wanted.items():
        out[doc_id] = tuple(
            Evidence(details[r][1], details[r][2], details[r][3], details[r][4],
                     round(sim, 4) if sim is not None else None, r in keyword_rows,
                     highlight_spans(details[r][4], terms))
            for r, sim in picks if r in details
        )
    return out
