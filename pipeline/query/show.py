"""One document: metadata, subject, themes, and its tagged sentences by page (`scr show`, /documents)."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.errors import UsageError
from pipeline.report.labels import LabelBook, theme_display_name

EMPTY_BOOK = LabelBook({}, {}, {}, None, "none")
"""No taxonomy at hand: label ids are made readable ('unsafe_sleep' -> 'Unsafe sleep')."""


class DocumentNotFound(UsageError):
    """No document with that id (or id prefix) in the store."""


@dataclass(frozen=True)
class SentenceView:
    sentence_id: str
    ordinal: int
    section: str | None
    paragraph: str | None
    text: str
    labels: tuple[str, ...] = ()
    """Affirmed labels."""
    negated: tuple[str, ...] = ()
    learning_point: bool = False
    theme_id: str | None = None


@dataclass(frozen=True)
class PageView:
    page: int
    sentences: tuple[SentenceView, ...]


@dataclass(frozen=True)
class DocumentView:
    doc_id: str
    title: str
    path: str
    review_type: str
    year: int | None
    area: str
    subject_age: float | None
    subject_age_text: str
    outcome: str
    cause: str
    pages: int
    sentences: int
    ingested_at: str
    themes: tuple[tuple[str, str, int], ...] = ()
    """(theme_id, display name, sentences of this document in it), largest first."""
    labels: dict[str, int] = field(default_factory=dict)
    """Affirmed label -> number of sentences."""
    by_page: tuple[PageView, ...] = ()
    label_names: dict[str, str] = field(default_factory=dict)
    """Label id -> the coding frame's name for it, for every label (affirmed or denied) the view shows: the
    names the pages print beside the ids the fields hold."""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        # "name" has always been the display name here; "display_name" says so, as /api/themes has it
        out["themes"] = [{"theme_id": t, "name": n, "display_name": n, "sentences": c} for t, n, c in self.themes]
        return out


def resolve_doc_id(conn: sqlite3.Connection, ref: str) -> str:
    """The full doc_id for an id or a unique prefix of at least 6 characters."""
    ref = (ref or "").strip().lower()
    if len(ref) < 6 or not all(c in "0123456789abcdef" for c in ref):
        raise DocumentNotFound(f"no document {ref!r} (give its id or at least 6 leading characters of it)")
    rows = conn.execute("SELECT doc_id FROM documents WHERE doc_id >= ? AND doc_id < ? LIMIT 2",
                        (ref, ref + "g")).fetchall()
    if not rows:
        raise DocumentNotFound(f"no document {ref!r} in the store")
    if len(rows) > 1 and rows[0][0] != ref:
        raise DocumentNotFound(f"{ref!r} matches several documents; give more of the id")
    return rows[0][0]


def show_document(conn: sqlite3.Connection, ref: str, all_sentences: bool = False,
                  label_book: LabelBook | None = None) -> DocumentView:
    """The document's view; only tagged sentences and learning points unless `all_sentences`.

    Theme names spell their taxonomy label as the label's name ('Unsafe sleep: parent bed', not
    'unsafe_sleep: parent bed'), as the themes list and the briefing do; `label_book` gives the taxonomy's
    names (without it the label id is made readable)."""
    book = label_book if label_book is not None else EMPTY_BOOK
    doc_id = resolve_doc_id(conn, ref)
    d = conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    tags: dict[str, tuple[list[str], list[str]]] = {}
    for sid, label, assertion in conn.execute(
            "SELECT t.sentence_id, t.label, t.assertion FROM tags t JOIN sentences s ON s.sentence_id = t.sentence_id"
            " WHERE s.doc_id = ? ORDER BY t.label", (doc_id,)):
        present, negated = tags.setdefault(sid, ([], []))
        (present if assertion == "present" else negated if assertion == "negated" else []).append(label)
    pages: dict[int, list[SentenceView]] = {}
    labels: dict[str, int] = {}
    for row in conn.execute(
            "SELECT s.sentence_id, s.ordinal, s.page, s.section, s.paragraph, s.text,"
            " coalesce(st.learning_point, 0) AS lp, tm.theme_id FROM sentences s"
            " LEFT JOIN sentence_tagging st ON st.sentence_id = s.sentence_id"
            " LEFT JOIN theme_members tm ON tm.sentence_id = s.sentence_id"
            " WHERE s.doc_id = ? ORDER BY s.ordinal", (doc_id,)):
        present, negated = tags.get(row["sentence_id"], ([], []))
        for label in present:
            labels[label] = labels.get(label, 0) + 1
        if not (all_sentences or present or negated or row["lp"] or row["theme_id"]):
            continue
        pages.setdefault(row["page"], []).append(SentenceView(
            row["sentence_id"], row["ordinal"], row["section"], row["paragraph"], row["text"], tuple(present),
            tuple(negated), bool(row["lp"]), row["theme_id"]))
    themes = tuple(
        (r[0], theme_display_name(r[1] or "", r[3], book), r[2]) for r in conn.execute(
            "SELECT t.theme_id, t.name, count(*) AS n, t.label FROM theme_members m JOIN themes t ON t.theme_id = m.theme_id"
            " JOIN sentences s ON s.sentence_id = m.sentence_id WHERE s.doc_id = ?"
            " GROUP BY t.theme_id ORDER BY n DESC, t.theme_id", (doc_id,))
    )
    shown = set(labels) | {label for views in pages.values() for s in views for label in s.labels + s.negated}
    return DocumentView(
        doc_id=doc_id, title=d["title"], path=d["path"], review_type=d["review_type"], year=d["year"],
        area=d["area"], subject_age=d["subject_age"], subject_age_text=d["subject_age_text"], outcome=d["outcome"],
        cause=d["cause"], pages=d["pages"], sentences=d["sentences"], ingested_at=d["ingested_at"], themes=themes,
        labels=dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_page=tuple(PageView(p, tuple(s)) for p, s in sorted(pages.items())),
        label_names={label: book.name(label) for label in sorted(shown)},
    )
