"""`build_briefing`: one batch of reviews in the store -> a typed Briefing, ready for any writer.

It only reads the store (a read-only connection works), so it can run while a refresh writes.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Sequence

from pipeline.config import Settings
from pipeline.errors import UsageError
from pipeline.records import Quote
from pipeline.report.labels import LabelBook, display_title, distinct_titles, load_label_book
from pipeline.report.model import Appendix, Briefing, LearningGroup, ReviewRow, ThemeQuotes
from pipeline.report.prevalence import batch_json, cooccurrence, has_themes, label_theme_rows, risk_grid, theme_rows
from pipeline.report.quotes import learning_groups, theme_quotes
from pipeline.report.summary import describe, summarise
from pipeline.report.trust import shown_labels, tag_trust, trust_notes
from pipeline.store.connection import utcnow

LEADING_THEMES = 6
"""Themes given representative quotes."""
QUOTES_PER_THEME = 5
LEARNING_PER_THEME = 8

METHOD = (
    "Each review was read from its PDF or text file: headers, footers and page numbers were removed, and the "
    "text was cut into sentences that keep their page and section.",
    "Each sentence was tagged with the project's taxonomy of risk factors and learning themes by rules (with "
    "negation handling: a factor mentioned only to deny it is not counted) and, where a trained model is "
    "installed, by a classifier over sentence embeddings; sentences stating a finding, lesson or "
    "recommendation were flagged as learning points.",
    "Theme-bearing sentences were embedded with a sentence-transformer and grouped into themes; a theme "
    "matching a taxonomy label carries its name and description, others are marked emerging.",
    "Prevalence is the share of reviews with at least one sentence in the theme, for this batch and for "
    "every review in the store. Quotes are the sentences closest to each theme's centre, at most two per "
    "review, each checked word for word against the page it cites.",
    "This is a machine-made first draft: check each quote in its context before relying on it.",
)


def _reviews(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> tuple[list[ReviewRow], list[float | None]]:
    rows = conn.execute(
        """SELECT doc_id, title, review_type, year, area, subject_age, subject_age_text, outcome, cause, pages, path
           FROM documents WHERE doc_id IN (SELECT value FROM json_each(?))
           ORDER BY year IS NULL, year, title, doc_id""",
        (batch_json(doc_ids),),
    ).fetchall()
    titles = distinct_titles([(r["doc_id"], display_title(r["title"], r["path"])) for r in rows])
    reviews = [
        ReviewRow(
            doc_id=r["doc_id"], title=titles[r["doc_id"]], review_type=r["review_type"], year=r["year"], area=r["area"],
            subject_age=r["subject_age_text"], outcome=r["outcome"], cause=r["cause"], pages=r["pages"], path=r["path"],
        )
        for r in rows
    ]
    return reviews, [r["subject_age"] for r in rows]


def _cited_by(titles: dict[str, str], quotes: list[ThemeQuotes], learning: list[LearningGroup]):
    """Quotes and learning points citing their review by its briefing title (told apart where titles repeat)."""
    def retitle(q: Quote) -> Quote:
        title = titles.get(q.doc_id, q.title)
        return q if q.title == title else dataclasses.replace(q, title=title)

    quotes = [dataclasses.replace(tq, quotes=tuple(retitle(q) for q in tq.quotes)) for tq in quotes]
    learning = [
        dataclasses.replace(g, points=tuple(dataclasses.replace(p, quote=retitle(p.quote)) for p in g.points))
        for g in learning
    ]
    return quotes, learning


def _distinct(conn: sqlite3.Connection, sql: str, doc_ids: Sequence[str]) -> list[str]:
    return [r[0] for r in conn.execute(sql, (batch_json(doc_ids),)) if r[0]]


def _listed(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "none recorded"


def _tag_models(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> list[str]:
    """Model versions that made the batch's tags: the tagger whose scores the appendix should show."""
    return _distinct(conn, """SELECT DISTINCT g.model_version FROM tags g
            JOIN sentences s ON s.sentence_id = g.sentence_id
            WHERE s.doc_id IN (SELECT value FROM json_each(?)) ORDER BY 1""", doc_ids)


def _versions(conn: sqlite3.Connection, settings: Settings, book: LabelBook, doc_ids: Sequence[str]) -> tuple:
    versions = [
        ("Taxonomy", f"{book.version or 'unknown version'} ({book.source})"),
        ("Tagger", _listed(_distinct(conn, """SELECT DISTINCT t.tagger_version FROM sentence_tagging t
            JOIN sentences s ON s.sentence_id = t.sentence_id
            WHERE s.doc_id IN (SELECT value FROM json_each(?)) ORDER BY 1""", doc_ids))),
        ("Tag models", _listed(_tag_models(conn, doc_ids))),
        ("Embedding model", f"{settings.embed.model} ({settings.embed.backend})"),
        ("Clustering", f"min cluster size {settings.cluster.min_cluster_size}, "
                       f"assignment threshold {settings.cluster.assign_threshold}"),
    ]
    for key, value in conn.execute("SELECT key, value FROM meta ORDER BY key"):
        if len(value) <= 120 and ("version" in key or "model" in key):
            versions.append((key, value))
    try:
        from importlib.metadata import version

        versions.append(("scr-themes", version("scr-themes")))
    except Exception:  # running from a source tree that was never installed
        pass
    return tuple(versions)


def _latest_run(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def build_briefing(
    conn: sqlite3.Connection,
    doc_ids: Sequence[str],
    settings: Settings,
    run_id: str | None = None,
    title: str = "Thematic briefing",
) -> Briefing:
    """The briefing for the reviews `doc_ids` (documents in the store), compared with every review in the store."""
    doc_ids = list(dict.fromkeys(doc_ids))
    if not doc_ids:
        raise UsageError("no reviews to brief on: the batch is empty")
    reviews, ages = _reviews(conn, doc_ids)
    missing = set(doc_ids) - {r.doc_id for r in reviews}
    if missing:
        raise UsageError(f"{len(missing)} document id(s) not in the store, e.g. {sorted(missing)[0][:16]}")
    corpus_total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    book = load_label_book(settings)
    notes = []
    if has_themes(conn):
        source, themes = "themes", theme_rows(conn, doc_ids, corpus_total, book)
    else:
        source, themes = "labels", label_theme_rows(conn, doc_ids, corpus_total, book)
        notes.append("No themes have been built in this store yet (run `scr cluster`): the taxonomy labels "
                     "tagged in the reviews stand in for themes.")
    tagged = conn.execute(
        "SELECT COUNT(*) FROM sentence_tagging t JOIN sentences s ON s.sentence_id = t.sentence_id"
        " WHERE s.doc_id IN (SELECT value FROM json_each(?))", (batch_json(doc_ids),)).fetchone()[0]
    if not tagged:
        notes.append("These reviews have not been tagged yet (run `scr extract`): themes, risk factors and "
                     "learning points are missing.")
    grid = risk_grid(conn, reviews, book)
    pairs = cooccurrence(grid)
    quotes = theme_quotes(conn, themes[:LEADING_THEMES], doc_ids, QUOTES_PER_THEME)
    learning = learning_groups(conn, themes, doc_ids, book.name, LEARNING_PER_THEME)
    quotes, learning = _cited_by({r.doc_id: r.title for r in reviews}, quotes, learning)
    if tagged and not learning:
        notes.append("No learning points or recommendations were found in these reviews.")
    trust = tag_trust(settings, book, _tag_models(conn, doc_ids))
    notes += trust_notes(trust, shown_labels(grid, themes, learning))
    summary = summarise(reviews, ages, corpus_total)
    summary = dataclasses.replace(summary, sentences=describe(summary, themes, grid, pairs))
    appendix = Appendix(
        method=METHOD,
        versions=_versions(conn, settings, book, doc_ids),
        run_id=run_id or _latest_run(conn),
        generated_at=utcnow(),
        reviews=tuple(reviews),
        trust=trust,
    )
    return Briefing(
        title=title, summary=summary, themes=tuple(themes), theme_source=source, grid=grid,
        cooccurrence=tuple(pairs), quotes=tuple(quotes), learning=tuple(learning), appendix=appendix,
        notes=tuple(notes),
    )
