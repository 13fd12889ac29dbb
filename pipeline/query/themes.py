"""Theme reads for the research views: the list with trends, and one theme with quotes and documents.

The list, the trends and the quotes come from pipeline.themes.read (the themes stage owns them); this
module adds the per-theme view (documents, status) and the JSON shape the web app serves.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.errors import UsageError
from pipeline.query.show import EMPTY_BOOK
from pipeline.records import Theme
from pipeline.report.labels import LabelBook, theme_display_name
from pipeline.themes.read import list_themes, theme_quotes  # noqa: F401 (list_themes re-exported for the web app)


class ThemeNotFound(UsageError):
    """No theme with that id."""


@dataclass(frozen=True)
class ThemeDocument:
    doc_id: str
    title: str
    year: int | None
    review_type: str
    sentences: int


@dataclass(frozen=True)
class ThemeDetail:
    theme: Theme
    status: str
    documents: tuple[ThemeDocument, ...]

    def to_dict(self, label_book: LabelBook | None = None) -> dict[str, Any]:
        out = theme_to_dict(self.theme, label_book)
        out["status"] = self.status
        out["document_list"] = [asdict(d) for d in self.documents]
        return out


def theme_to_dict(theme: Theme, label_book: LabelBook | None = None) -> dict[str, Any]:
    """The theme as the API serves it: the stored fields ("name" as stored, "label" the label id), plus
    "display_name" and "label_name" spelt as the pages spell them, from the coding frame's names in
    `label_book` (without one, label ids are made readable: 'unsafe_sleep' -> 'Unsafe sleep')."""
    book = label_book if label_book is not None else EMPTY_BOOK
    out = asdict(theme)
    out["display_name"] = theme_display_name(theme.name or "", theme.label, book)
    out["label_name"] = book.name(theme.label) if theme.label else None
    out["keywords"] = list(theme.keywords)
    out["by_year"] = {str(k): v for k, v in sorted(theme.by_year.items())}
    out["quotes"] = [asdict(q) for q in theme.quotes]
    return out


def theme_detail(conn: sqlite3.Connection, theme_id: str, quotes: int = 10) -> ThemeDetail:
    """One theme with its best quotes and the documents it appears in."""
    row = conn.execute("SELECT theme_id, name, label, keywords_json, status FROM themes WHERE theme_id = ?",
                       (theme_id,)).fetchone()
    if row is None:
        raise ThemeNotFound(f"no theme {theme_id!r} in the store")
    documents = tuple(ThemeDocument(*r) for r in conn.execute(
        "SELECT d.doc_id, d.title, d.year, d.review_type, count(*) AS n FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id JOIN documents d ON d.doc_id = s.doc_id"
        " WHERE m.theme_id = ? GROUP BY d.doc_id ORDER BY n DESC, d.year DESC, d.doc_id", (theme_id,)))
    years: dict[int, int] = {}
    for d in documents:
        if d.year is not None:
            years[d.year] = years.get(d.year, 0) + 1
    theme = Theme(
        theme_id=row[0], name=row[1], label=row[2], keywords=tuple(json.loads(row[3] or "[]")),
        size=sum(d.sentences for d in documents), documents=len(documents), by_year=dict(sorted(years.items())),
        quotes=theme_quotes(conn, theme_id, quotes),
    )
    return ThemeDetail(theme, row[4], documents)
