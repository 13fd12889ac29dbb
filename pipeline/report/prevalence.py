"""How common each theme and risk factor is: in the batch, in the whole corpus, review by review.

Prevalence is a share of reviews (a theme counts once per review however many of its sentences the
review holds), so a long review does not outweigh a short one. Themes come from the store's clusters
(`themes`, `theme_members`); where no themes have been built yet, the affirmed taxonomy labels of the
sentences stand in for them (theme ids 'label:<id>'), so a briefing is never empty for want of a
clustering run.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import Sequence

from pipeline.report.labels import LabelBook, theme_display_name
from pipeline.report.model import Cooccurrence, ReviewRow, RiskGrid, ThemeRow

LABEL_THEME_PREFIX = "label:"


def batch_json(doc_ids: Sequence[str]) -> str:
    """The batch as one SQL parameter: `doc_id IN (SELECT value FROM json_each(?))`."""
    return json.dumps(list(doc_ids))


def has_themes(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM themes t JOIN theme_members m ON m.theme_id = t.theme_id WHERE t.status = 'active' LIMIT 1"
    ).fetchone()
    return row is not None


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def _emerging_description(keywords: Sequence[str]) -> str:
    if not keywords:
        return "Emerging theme (no taxonomy label): sentences grouped by their wording."
    return "Emerging theme (no taxonomy label): sentences that share the words " + ", ".join(keywords[:6]) + "."


def theme_rows(conn: sqlite3.Connection, doc_ids: Sequence[str], corpus_total: int, book: LabelBook) -> list[ThemeRow]:
    """Themes with at least one sentence in the batch, most prevalent in the batch first."""
    rows = conn.execute(
        """
        SELECT t.theme_id, t.name, t.label, t.keywords_json,
               COUNT(DISTINCT s.doc_id) AS corpus_docs,
               COUNT(DISTINCT CASE WHEN s.doc_id IN (SELECT value FROM json_each(:batch)) THEN s.doc_id END) AS batch_docs,
               SUM(CASE WHEN s.doc_id IN (SELECT value FROM json_each(:batch)) THEN 1 ELSE 0 END) AS batch_sentences
        FROM themes t
        JOIN theme_members m ON m.theme_id = t.theme_id
        JOIN sentences s ON s.sentence_id = m.sentence_id
        WHERE t.status = 'active'
        GROUP BY t.theme_id
        """,
        {"batch": batch_json(doc_ids)},
    ).fetchall()
    out = []
    for r in rows:
        if not r["batch_docs"]:
            continue
        keywords = tuple(str(k) for k in json.loads(r["keywords_json"] or "[]"))
        label = r["label"]
        description = book.description(label) if label else ""
        if not description:
            description = _emerging_description(keywords) if not label else f"Matches the taxonomy label {label}."
        out.append(
            ThemeRow(
                theme_id=r["theme_id"], name=theme_display_name(r["name"], label, book), label=label, description=description, keywords=keywords,
                batch_reviews=r["batch_docs"], batch_share=_share(r["batch_docs"], len(doc_ids)),
                corpus_reviews=r["corpus_docs"], corpus_share=_share(r["corpus_docs"], corpus_total),
                batch_sentences=r["batch_sentences"] or 0,
            )
        )
    return _ranked(out)


def label_theme_rows(conn: sqlite3.Connection, doc_ids: Sequence[str], corpus_total: int, book: LabelBook) -> list[ThemeRow]:
    """Stand-in themes from affirmed taxonomy labels, for a store where no themes were built."""
    rows = conn.execute(
        """
        SELECT g.label, MIN(g.kind) AS kind,
               COUNT(DISTINCT s.doc_id) AS corpus_docs,
               COUNT(DISTINCT CASE WHEN s.doc_id IN (SELECT value FROM json_each(:batch)) THEN s.doc_id END) AS batch_docs,
               SUM(CASE WHEN s.doc_id IN (SELECT value FROM json_each(:batch)) THEN 1 ELSE 0 END) AS batch_sentences
        FROM tags g JOIN sentences s ON s.sentence_id = g.sentence_id
        WHERE g.assertion = 'present'
        GROUP BY g.label
        """,
        {"batch": batch_json(doc_ids)},
    ).fetchall()
    out = []
    for r in rows:
        if not r["batch_docs"]:
            continue
        label = r["label"]
        kind = "risk factor" if r["kind"] == "risk_factor" else "learning theme"
        out.append(
            ThemeRow(
                theme_id=LABEL_THEME_PREFIX + label, name=book.name(label), label=label,
                description=book.description(label) or f"Sentences tagged with the {kind} {label}.", keywords=(),
                batch_reviews=r["batch_docs"], batch_share=_share(r["batch_docs"], len(doc_ids)),
                corpus_reviews=r["corpus_docs"], corpus_share=_share(r["corpus_docs"], corpus_total),
                batch_sentences=r["batch_sentences"] or 0,
            )
        )
    return _ranked(out)


def _ranked(rows: list[ThemeRow]) -> list[ThemeRow]:
    return sorted(rows, key=lambda t: (-t.batch_share, -t.batch_sentences, -t.corpus_share, t.theme_id))


def risk_grid(conn: sqlite3.Connection, reviews: Sequence[ReviewRow], book: LabelBook) -> RiskGrid:
    """Sentences affirming each risk factor, review by review; factors ordered by how many reviews show them."""
    counts: dict[tuple[str, str], int] = {}
    rows = conn.execute(
        """
        SELECT s.doc_id, g.label, COUNT(*) AS n
        FROM tags g JOIN sentences s ON s.sentence_id = g.sentence_id
        WHERE g.assertion = 'present' AND g.kind = 'risk_factor'
          AND s.doc_id IN (SELECT value FROM json_each(?))
        GROUP BY s.doc_id, g.label
        """,
        (batch_json([r.doc_id for r in reviews]),),
    ).fetchall()
    for r in rows:
        counts[(r["doc_id"], r["label"])] = r["n"]
    labels = sorted({label for _, label in counts})
    reach = {label: sum(1 for (_, lab) in counts if lab == label) for label in labels}
    labels.sort(key=lambda lab: (-reach[lab], lab))
    cells = tuple(tuple(counts.get((review.doc_id, label), 0) for label in labels) for review in reviews)
    return RiskGrid(tuple(labels), tuple(book.name(lab) for lab in labels), tuple(reviews), cells)


def cooccurrence(grid: RiskGrid, limit: int = 12) -> list[Cooccurrence]:
    """Pairs of risk factors affirmed in the same review, most frequent first."""
    pairs = []
    for a, b in itertools.combinations(range(len(grid.labels)), 2):
        n = sum(1 for row in grid.cells if row[a] > 0 and row[b] > 0)
        if n:
            pairs.append(Cooccurrence(grid.labels[a], grid.names[a], grid.labels[b], grid.names[b], n))
    pairs.sort(key=lambda c: (-c.n, c.label_a, c.label_b))
    return pairs[:limit]


def pairs_with(grid: RiskGrid, n: int) -> int:
    """How many pairs of risk factors appeared together in exactly `n` reviews (ties at the top of
    `cooccurrence`, which lists at most a few of them, alphabetically)."""
    return sum(1 for c in cooccurrence(grid, limit=len(grid.labels) ** 2) if c.n == n)
