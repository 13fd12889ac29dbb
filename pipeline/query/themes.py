"""Theme reads for the research views: the list with trends, and one theme with quotes and documents.

`list_themes` and `theme_prevalence_by_year` use pipeline.themes.read when that module exists (the
themes stage owns them) and fall back to the small queries here, which read the same tables.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.errors import UsageError
from pipeline.records import Quote, Theme


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

    def to_dict(self) -> dict[str, Any]:
        out = theme_to_dict(self.theme)
        out["status"] = self.status
        out["document_list"] = [asdict(d) for d in self.documents]
        return out


def theme_to_dict(theme: Theme) -> dict[str, Any]:
    out = asdict(theme)
    out["keywords"] = list(theme.keywords)
    out["by_year"] = {str(k): v for k, v in sorted(theme.by_year.items())}
    out["quotes"] = [asdict(q) for q in theme.quotes]
    return out


def _theirs(name: str):
    try:
        module = __import__("pipeline.themes.read", fromlist=[name])
    except ImportError:
        return None
    return getattr(module, name, None)


def theme_prevalence_by_year(conn: sqlite3.Connection) -> dict[str, dict[int, int]]:
    """theme_id -> {year: number of documents with a sentence in the theme}."""
    theirs = _theirs("theme_prevalence_by_year")
    if theirs is not None:
        return theirs(conn)
    out: dict[str, dict[int, int]] = {}
    for theme_id, year, n in conn.execute(
            "SELECT m.theme_id, d.year, count(DISTINCT d.doc_id) FROM theme_members m"
            " JOIN sentences s ON s.sentence_id = m.sentence_id JOIN documents d ON d.doc_id = s.doc_id"
            " WHERE d.year IS NOT NULL GROUP BY m.theme_id, d.year ORDER BY d.year"):
        out.setdefault(theme_id, {})[int(year)] = n
    return out


def _quotes(conn, theme_id: str, n: int) -> tuple[Quote, ...]:
    rows = conn.execute(
        "SELECT s.sentence_id, s.doc_id, d.title, s.page, s.section, s.text FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id JOIN documents d ON d.doc_id = s.doc_id"
        " WHERE m.theme_id = ? ORDER BY m.similarity DESC, s.sentence_id LIMIT ?", (theme_id, n))
    return tuple(Quote(*row) for row in rows)


def list_themes(conn: sqlite3.Connection, with_quotes: int = 3) -> list[Theme]:
    """Active themes, largest first, with document counts, documents by year and a few quotes."""
    theirs = _theirs("list_themes")
    if theirs is not None:
        return theirs(conn, with_quotes=with_quotes)
    by_year = theme_prevalence_by_year(conn)
    docs = dict(conn.execute(
        "SELECT m.theme_id, count(DISTINCT s.doc_id) FROM theme_members m"
        " JOIN sentences s ON s.sentence_id = m.sentence_id GROUP BY m.theme_id").fetchall())
    themes = []
    for row in conn.execute(
            "SELECT t.theme_id, t.name, t.label, t.keywords_json,"
            " (SELECT count(*) FROM theme_members m WHERE m.theme_id = t.theme_id) AS n"
            " FROM themes t WHERE t.status = 'active' ORDER BY n DESC, t.theme_id"):
        themes.append(Theme(
            theme_id=row[0], name=row[1], label=row[2], keywords=tuple(json.loads(row[3] or "[]")), size=row[4],
            documents=docs.get(row[0], 0), by_year=by_year.get(row[0], {}),
            quotes=_quotes(conn, row[0], with_quotes) if with_quotes else (),
        ))
    return themes


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
        quotes=_quotes(conn, theme_id, quotes),
    )
    return ThemeDetail(theme, row[4], documents)
