"""Quotes for the briefing: representative sentences of each leading theme, and the batch's learning points.

Every quote is a stored sentence whose words appear on the page it cites (checked against the page's
text, whitespace aside); a sentence that runs over a page break is not quoted, so a citation never
points at a page that holds only half the quote.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from typing import Iterable, Sequence

from pipeline.records import Quote
from pipeline.report.labels import display_title
from pipeline.report.model import LearningGroup, LearningPoint, ThemeQuotes, ThemeRow
from pipeline.report.prevalence import LABEL_THEME_PREFIX, batch_json

MIN_WORDS = 8
MAX_WORDS = 80
PER_REVIEW = 2
"""At most this many quotes of one theme from the same review, so the quotes show the batch, not one report."""

_RECOMMENDATION = re.compile(
    r"^\s*(recommendation\b|it is recommended|we recommend|the review recommends)|\brecommend(s|ed)? that\b",
    re.IGNORECASE,
)

_SENTENCE_COLUMNS = (
    "s.sentence_id, s.doc_id, s.page, s.section, s.text, s.text_hash, s.kind, s.ordinal, d.title, d.path"
)


def squash(text: str) -> str:
    """Whitespace collapsed: the form in which a quote is compared with its page."""
    return " ".join(text.split())


class PageText:
    """Page texts of the batch, loaded once per page and kept squashed for the word-for-word check."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._pages: dict[tuple[str, int], str] = {}

    def holds(self, doc_id: str, page: int, text: str) -> bool:
        key = (doc_id, page)
        if key not in self._pages:
            row = self._conn.execute("SELECT text FROM pages WHERE doc_id = ? AND page = ?", key).fetchone()
            self._pages[key] = squash(row[0]) if row else ""
        return squash(text) in self._pages[key]


def _quotable(row: sqlite3.Row, pages: PageText) -> bool:
    words = len(row["text"].split())
    return MIN_WORDS <= words <= MAX_WORDS and pages.holds(row["doc_id"], row["page"], row["text"])


def _quote(row: sqlite3.Row) -> Quote:
    return Quote(
        sentence_id=row["sentence_id"], doc_id=row["doc_id"], title=display_title(row["title"], row["path"]),
        page=row["page"],
        section=row["section"] or None, text=squash(row["text"]),
    )


def _pick(rows: Iterable[sqlite3.Row], pages: PageText, limit: int, used: set[str]) -> list[Quote]:
    """The first `limit` quotable rows, each text once, at most PER_REVIEW per review."""
    chosen: list[Quote] = []
    per_doc: dict[str, int] = defaultdict(int)
    for row in rows:
        if len(chosen) >= limit:
            break
        if row["text_hash"] in used or per_doc[row["doc_id"]] >= PER_REVIEW or not _quotable(row, pages):
            continue
        used.add(row["text_hash"])
        per_doc[row["doc_id"]] += 1
        chosen.append(_quote(row))
    return chosen


def _candidates(conn: sqlite3.Connection, theme: ThemeRow, doc_ids: Sequence[str]) -> list[sqlite3.Row]:
    """The theme's batch sentences, most central first (similarity to the centroid, or tag score for labels)."""
    if theme.theme_id.startswith(LABEL_THEME_PREFIX):
        sql = f"""
            SELECT {_SENTENCE_COLUMNS}, g.score AS centrality
            FROM tags g JOIN sentences s ON s.sentence_id = g.sentence_id JOIN documents d ON d.doc_id = s.doc_id
            WHERE g.label = ? AND g.assertion = 'present' AND s.doc_id IN (SELECT value FROM json_each(?))
            ORDER BY centrality DESC, s.doc_id, s.ordinal"""
        key = theme.label
    else:
        sql = f"""
            SELECT {_SENTENCE_COLUMNS}, m.similarity AS centrality
            FROM theme_members m JOIN sentences s ON s.sentence_id = m.sentence_id
            JOIN documents d ON d.doc_id = s.doc_id
            WHERE m.theme_id = ? AND s.doc_id IN (SELECT value FROM json_each(?))
            ORDER BY centrality DESC, s.doc_id, s.ordinal"""
        key = theme.theme_id
    return conn.execute(sql, (key, batch_json(doc_ids))).fetchall()


def theme_quotes(
    conn: sqlite3.Connection, themes: Sequence[ThemeRow], doc_ids: Sequence[str], per_theme: int = 5
) -> list[ThemeQuotes]:
    """Up to `per_theme` representative quotes for each theme given (themes without a quotable sentence are left out)."""
    pages = PageText(conn)
    used: set[str] = set()
    out = []
    for theme in themes:
        quotes = _pick(_candidates(conn, theme, doc_ids), pages, per_theme, used)
        if quotes:
            out.append(ThemeQuotes(theme.theme_id, theme.name, tuple(quotes)))
    return out


def is_recommendation(text: str, section: str | None) -> bool:
    return bool(section and "recommend" in section.lower()) or bool(_RECOMMENDATION.search(text))


def _heading_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def learning_groups(
    conn: sqlite3.Connection, themes: Sequence[ThemeRow], doc_ids: Sequence[str], book_name, per_group: int = 8
) -> list[LearningGroup]:
    """The batch's learning points and recommendations, grouped by theme (theme order), strongest first.

    A learning point joins the theme it is a member of; failing that, the learning-theme label it is
    most surely tagged with; failing that, 'Other learning'. `book_name(label)` names label groups.
    A label group that would carry the same heading as a theme (the theme named after that label) is
    merged into the theme's group, so each heading appears once and a topic's learning is read in one place.
    """
    rows = conn.execute(
        f"""
        SELECT {_SENTENCE_COLUMNS}, t.learning_point_score AS score, m.theme_id,
               (SELECT g.label FROM tags g WHERE g.sentence_id = s.sentence_id AND g.assertion = 'present'
                ORDER BY (g.kind = 'learning_theme') DESC, g.score DESC, g.label LIMIT 1) AS top_label
        FROM sentence_tagging t JOIN sentences s ON s.sentence_id = t.sentence_id
        JOIN documents d ON d.doc_id = s.doc_id
        LEFT JOIN theme_members m ON m.sentence_id = s.sentence_id
        WHERE t.learning_point = 1 AND s.doc_id IN (SELECT value FROM json_each(?))
        ORDER BY t.learning_point_score DESC, s.doc_id, s.ordinal
        """,
        (batch_json(doc_ids),),
    ).fetchall()
    names = {t.theme_id: t.name for t in themes}
    order = {t.theme_id: i for i, t in enumerate(themes)}
    by_heading = {_heading_key(t.name): t.theme_id for t in reversed(themes)}  # the first theme wins a tie
    grouped: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in rows:
        if row["theme_id"] in names:
            key = row["theme_id"]
        elif row["top_label"]:
            key = LABEL_THEME_PREFIX + row["top_label"]
            key = by_heading.get(_heading_key(book_name(row["top_label"])), key)
        else:
            key = "other"
        grouped[key].append(row)
    pages = PageText(conn)
    groups = []
    for key, members in grouped.items():
        picked = _pick(members, pages, per_group, set())
        if not picked:
            continue
        by_id = {row["sentence_id"]: row for row in members}
        points = sorted(
            (LearningPoint(q, is_recommendation(q.text, q.section), float(by_id[q.sentence_id]["score"])) for q in picked),
            key=lambda p: not p.recommendation,  # recommendations first, each kind strongest first (stable sort)
        )
        if key in names:
            name = names[key]
        elif key.startswith(LABEL_THEME_PREFIX):
            name = book_name(key[len(LABEL_THEME_PREFIX):])
        else:
            name = "Other learning"
        groups.append(LearningGroup(key, name, tuple(points), len(members)))
    groups.sort(key=lambda g: (g.key == "other", order.get(g.key, len(order)), -g.total, g.name))
    return groups
