"""Extraction's tables: `sentence_tagging` (one row per tagged sentence, with the tagger version) and `tags`
(one row per label a sentence mentions; affirmed labels are assertion 'present', the others keep the
assertion that kept them from being affirmed: negated, other_person, hypothetical or historical)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Sequence

from pipeline.records import TaggedSentence
from pipeline.store.connection import utcnow


@dataclass(frozen=True)
class PendingSentence:
    sentence_id: str
    doc_id: str
    text: str
    section: str | None


def pending_sentences(conn: sqlite3.Connection, tagger_version: str,
                      doc_ids: Sequence[str] | None = None) -> list[PendingSentence]:
    """Sentences with no tagging row or one from another tagger version, in document order."""
    sql = (
        "SELECT s.sentence_id, s.doc_id, s.text, s.section FROM sentences s "
        "LEFT JOIN sentence_tagging t ON t.sentence_id = s.sentence_id "
        "WHERE (t.sentence_id IS NULL OR t.tagger_version != ?)"
    )
    params: list = [tagger_version]
    if doc_ids:
        sql += f" AND s.doc_id IN ({','.join('?' * len(doc_ids))})"
        params.extend(doc_ids)
    sql += " ORDER BY s.doc_id, s.ordinal"
    return [PendingSentence(r[0], r[1], r[2], r[3]) for r in conn.execute(sql, params)]


def write_tagged(conn: sqlite3.Connection, tagged: Sequence[TaggedSentence], tagger_version: str,
                 model_version: str) -> int:
    """Replace the tags of these sentences (call inside a transaction). Returns the number of affirmed tags
    (assertion present), the count `scr status` shows; denied and other mentions are stored too."""
    now = utcnow()
    rows = 0
    for sentence in tagged:
        conn.execute("DELETE FROM tags WHERE sentence_id = ?", (sentence.sid,))
        conn.execute(
            "INSERT INTO sentence_tagging(sentence_id, tagger_version, learning_point, learning_point_score, tagged_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(sentence_id) DO UPDATE SET tagger_version = excluded.tagger_version,"
            " learning_point = excluded.learning_point, learning_point_score = excluded.learning_point_score,"
            " tagged_at = excluded.tagged_at",
            (sentence.sid, tagger_version, int(sentence.learning_point), float(sentence.learning_point_score), now),
        )
        conn.executemany(
            "INSERT INTO tags(sentence_id, label, kind, score, assertion, start, end, source, model_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(sentence.sid, t.label, t.kind, float(t.score), t.assertion, t.start, t.end, t.source, model_version)
             for t in sentence.tags],
        )
        rows += sum(1 for t in sentence.tags if t.assertion == "present")
    return rows
