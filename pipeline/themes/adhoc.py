"""Cluster an ad-hoc set of sentences ({"text", "sid"} per JSON line) with the same method as the store's themes.

IDs are local to the set (T0001... in order of size); names come from the taxonomy descriptions and
keywords (the sentences carry no tags here). Nothing is written to the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pipeline.config import Settings
from pipeline.embed.base import Embedder
from pipeline.errors import InputError
from pipeline.jsonl import json_lines
from pipeline.themes.cluster import cluster_vectors
from pipeline.themes.stable_ids import format_id


@dataclass(frozen=True)
class AdhocSentence:
    sid: str
    text: str


@dataclass(frozen=True)
class AdhocAssignment:
    sid: str
    theme_id: str | None
    theme_name: str | None

    def to_dict(self) -> dict:
        return {"sid": self.sid, "theme_id": self.theme_id, "theme_name": self.theme_name}


def read_jsonl(path: Path) -> list[AdhocSentence]:
    """Read {"text", "sid"} lines; a line without text is an input error naming the line."""
    out = []
    for number, item in json_lines(path, "not JSON Lines"):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(str(path), "missing text", f"line {number}")
        out.append(AdhocSentence(str(item.get("sid", number)), item["text"]))
    return out


def cluster_sentences(sentences: Sequence[AdhocSentence], settings: Settings, embedder: Embedder) -> list[AdhocAssignment]:
    """Theme ID and name for each sentence (None for an outlier)."""
    from pipeline.themes.keywords import keyword_rules
    from pipeline.themes.update import describe_clusters, label_vectors

    if not sentences:
        return []
    texts = [s.text for s in sentences]
    vectors = embedder.embed(texts)
    clustering = cluster_vectors(vectors, settings.cluster)
    _, names = describe_clusters(texts, [()] * len(texts), clustering, label_vectors(settings, embedder),
                                 keyword_rules(settings))
    return [
        AdhocAssignment(s.sid, format_id(int(c) + 1) if c >= 0 else None, names[int(c)].name if c >= 0 else None)
        for s, c in zip(sentences, clustering.labels)
    ]
