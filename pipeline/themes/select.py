"""Which sentences carry themes (settings.cluster.include): learning points, tagged sentences, or all."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class ThemeSentence:
    sentence_id: str
    doc_id: str
    text: str
    text_hash: str


def _condition(include: Sequence[str]) -> str:
    if "all" in include:
        return "1"
    parts = []
    if "learning_points" in include:
        parts.append("EXISTS (SELECT 1 FROM sentence_tagging g WHERE g.sentence_id = s.sentence_id"
                     " AND g.learning_point = 1)")
    if "tagged" in include:
        parts.append("EXISTS (SELECT 1 FROM tags t WHERE t.sentence_id = s.sentence_id AND t.assertion = 'present')")
    return " OR ".join(parts) if parts else "0"


def theme_sentences(conn: sqlite3.Connection, include: Sequence[str]) -> list[ThemeSentence]:
    """Theme-bearing sentences in sentence-id order (a fixed order keeps clustering deterministic)."""
    rows = conn.execute(
        f"SELECT s.sentence_id, s.doc_id, s.text, s.text_hash FROM sentences s WHERE {_condition(include)}"
        " ORDER BY s.sentence_id"
    )
    return [ThemeSentence(*row) for row in rows]


def present_tags(conn: sqlite3.Connection, sentence_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Affirmed labels of each sentence (only sentences with at least one)."""
    wanted = set(sentence_ids)
    found: dict[str, list[str]] = {}
    for sid, label in conn.execute("SELECT sentence_id, label FROM tags WHERE assertion = 'present' ORDER BY label"):
        if sid in wanted:
            found.setdefault(sid, []).append(label)
    return {sid: tuple(labels) for sid, labels in found.items()}
