"""The coding frame's labels beside the tagger's measured quality, as one list of rows.

The web page /labels, the JSON API /api/labels and the export's `labels` table all read these rows, so
the three never disagree on a label's name, numbers or verdict (and agree with `scr labels --json`).
"""

from __future__ import annotations

from typing import Any

from pipeline.extract.quality import MIN_REAL, RELIABLE_F1, Quality, label_quality
from pipeline.report.labels import LabelBook, load_label_book

ROW_KEYS = ("label", "name", "kind", "description", "f1_real", "n_real", "f1_written", "n_written", "verdict")
"""The keys of a row, in the order `scr labels --json` prints them."""


def frame_quality(settings) -> tuple[LabelBook, Quality]:
    """The taxonomy's label book and the tagger's verdicts on its labels, in the taxonomy's order.

    A taxonomy that cannot be loaded gives an empty book, and so no rows, rather than an error: the pages
    and the other export tables do not depend on it."""
    book = load_label_book(settings)
    return book, label_quality(settings, list(book.names))


def label_rows(book: LabelBook, quality: Quality) -> list[dict[str, Any]]:
    """One dict a label of the book (keys ROW_KEYS), with its name, kind, description, F1 and verdict."""
    rows = []
    for label in book.names:
        q = quality.of(label)
        rows.append({"label": label, "name": book.name(label), "kind": book.kinds.get(label, ""),
                     "description": book.description(label), "f1_real": q.f1_real, "n_real": q.n_real,
                     "f1_written": q.f1_written, "n_written": q.n_written, "verdict": q.verdict})
    return rows


def labels_document(book: LabelBook, quality: Quality) -> dict[str, Any]:
    """The JSON object of /api/labels: `scr labels --json` without the taxonomy's file path (a server
    detail), plus the one-sentence summary the page shows."""
    return {
        "tagger": quality.tagger, "measured_on": quality.measured_on, "micro_f1_real": quality.micro_f1_real,
        "real_sentences": quality.real_sentences, "reliable_f1": RELIABLE_F1, "min_real": MIN_REAL,
        "summary": quality.summary(), "labels": label_rows(book, quality),
    }


def label_table_rows(settings) -> list[tuple]:
    """The export's `labels` table: the rows of `label_rows` with the tagger's version, as tuples in the
    column order of pipeline.export.tables."""
    book, quality = frame_quality(settings)
    return [tuple(row[k] for k in ROW_KEYS) + (quality.tagger,) for row in label_rows(book, quality)]
