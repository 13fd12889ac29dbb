"""Read-only views of the themes for the CLI, the briefing and the web page (work on a read-only connection)."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import defaultdict
from typing import Sequence

from pipeline.records import Quote, Theme


def theme_prevalence_by_year(conn: sqlite3.Connection) -> dict[str, dict[int, int]]:
    """theme_id -> {year of review: number of documents with at least one member} (active themes)."""
    out: dict[str, dict[int, int]] = defaultdict(dict)
    rows = conn.execute(
        "SELECT m.theme_id, d.year, count(DISTINCT d.doc_id) FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id JOIN documents d ON d.doc_id = s.doc_id"
        " JOIN themes t ON t.theme_id = m.theme_id AND t.status = 'active'"
        " WHERE d.year IS NOT NULL GROUP BY m.theme_id, d.year ORDER BY m.theme_id, d.year"
    )
    for tid, year, n in rows:
        out[tid][int(year)] = int(n)
    return dict(out)


def theme_quotes(conn: sqlite3.Connection, theme_id: str, n: int) -> tuple[Quote, ...]:
    """The theme's most central members (highest cosine to its centroid), one per document first, and never
    the same wording twice (reviews repeat sentences)."""
    rows = conn.execute(
        "SELECT s.sentence_id, s.doc_id, d.title, s.page, s.section, s.text FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id JOIN documents d ON d.doc_id = s.doc_id"
        " WHERE m.theme_id = ? ORDER BY m.similarity DESC, s.sentence_id LIMIT ?",
        (theme_id, max(n * 10, n)),
    ).fetchall()
    unique, seen = [], set()
    for row in rows:
        wording = " ".join(row[5].lower().split())
        if wording not in seen:
            unique.append(row)
            seen.add(wording)
    picked, docs = [], set()
    for row in unique:  # prefer quotes from different documents
        if row[1] not in docs:
            picked.append(row)
            docs.add(row[1])
    picked += [r for r in unique if r not in picked]
    return tuple(Quote(sid, doc, title, int(page), section, text) for sid, doc, title, page, section, text in picked[:n])


def list_themes(conn: sqlite3.Connection, with_quotes: int = 3) -> list[Theme]:
    """Active themes, largest first: name, taxonomy label, keywords, size, documents, counts by year, quotes.
    A theme without members is not listed (the theme update retires one; a store written before it did may
    still hold some marked active)."""
    by_year = theme_prevalence_by_year(conn)
    docs = dict(conn.execute(
        "SELECT m.theme_id, count(DISTINCT s.doc_id) FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id GROUP BY m.theme_id"
    ).fetchall())
    rows = conn.execute(
        "SELECT theme_id, name, label, keywords_json, size FROM themes t WHERE status = 'active'"
        " AND EXISTS (SELECT 1 FROM theme_members m WHERE m.theme_id = t.theme_id)"
        " ORDER BY size DESC, theme_id"
    ).fetchall()
    return [
        Theme(theme_id=tid, name=name, label=label, keywords=tuple(json.loads(kw or "[]")), size=int(size),
              documents=int(docs.get(tid, 0)), by_year=by_year.get(tid, {}),
              quotes=theme_quotes(conn, tid, with_quotes) if with_quotes > 0 else ())
        for tid, name, label, kw, size in rows
    ]


def risk_cooccurrence(conn: sqlite3.Connection, doc_ids: Sequence[str] | None = None) -> dict[tuple[str, str], int]:
    """(label_a, label_b) with a < b -> number of documents where both risk factors are affirmed."""
    rows = conn.execute(
        "SELECT DISTINCT s.doc_id, t.label FROM tags t JOIN sentences s ON s.sentence_id = t.sentence_id"
        " WHERE t.kind = 'risk_factor' AND t.assertion = 'present' ORDER BY s.doc_id, t.label"
    )
    wanted = set(doc_ids) if doc_ids is not None else None
    labels_of: dict[str, list[str]] = defaultdict(list)
    for doc, label in rows:
        if wanted is None or doc in wanted:
            labels_of[doc].append(label)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for labels in labels_of.values():
        for a, b in itertools.combinations(sorted(set(labels)), 2):
            counts[(a, b)] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
