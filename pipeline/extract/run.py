"""`extract_pending`: tag every sentence in the store that has no tags from the current tagger version.

Incremental: a sentence tagged by this taxonomy + rules + model version is skipped; a changed taxonomy,
context rules or model re-tags everything. The document's subject age goes to the tagger, which uses it to
settle whose mental health a sentence means (subject.py). One transaction per document, so a kill never
leaves a document half-tagged.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Sequence

from pipeline.config import Settings
from pipeline.store.connection import transaction
from pipeline.store.tags import pending_sentences, write_tagged


@dataclass(frozen=True)
class ExtractReport:
    sentences_tagged: int
    tags: int
    learning_points: int
    seconds: float
    documents: int = 0
    tagger_version: str = ""

    @property
    def sentences_per_second(self) -> float:
        return self.sentences_tagged / self.seconds if self.seconds else 0.0


def subject_age(conn: sqlite3.Connection, doc_id: str) -> float | None:
    """The document's subject age in years as ingest found it (None when unknown); `scr extract` and the
    annotation export read it to settle whose mental health a sentence means."""
    row = conn.execute("SELECT subject_age FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return float(row[0]) if row is not None and row[0] is not None else None


def extract_pending(conn: sqlite3.Connection, settings: Settings, tagger=None, doc_ids: Sequence[str] | None = None,
                    progress: Callable[[int], None] | None = None) -> ExtractReport:
    started = time.perf_counter()
    if tagger is None:
        from pipeline.extract.tagger import Tagger

        tagger = Tagger.from_settings(settings, conn=conn)
    elif getattr(tagger, "conn", None) is None:
        tagger.conn = conn
    version = tagger.version
    pending = pending_sentences(conn, version, doc_ids)
    sentences = tags = learning = documents = 0
    for doc_id, group in groupby(pending, key=lambda p: p.doc_id):
        rows = list(group)
        age = subject_age(conn, doc_id)
        tagged = tagger.tag([r.text for r in rows], [r.sentence_id for r in rows], [r.section for r in rows],
                            [age] * len(rows))
        with transaction(conn):
            tags += write_tagged(conn, tagged, version, tagger.model_version)
        sentences += len(rows)
        learning += sum(t.learning_point for t in tagged)
        documents += 1
        if progress:
            progress(len(rows))
    return ExtractReport(sentences, tags, learning, round(time.perf_counter() - started, 3), documents, version)
