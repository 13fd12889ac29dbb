"""Quality of a clustering in numbers: outlier share, silhouette (cosine, on a fixed sample), keyword
coherence (NPMI of keyword pairs over the theme-bearing sentences) and agreement with tags (NMI between theme
and first affirmed label, over members that carry a label)."""

from __future__ import annotations

import itertools
import math
import sqlite3
from dataclasses import asdict, dataclass
from typing import Mapping, Sequence

import numpy as np

from pipeline.themes.keywords import lemma_terms

SILHOUETTE_SAMPLE = 5000


@dataclass(frozen=True)
class ThemeQuality:
    sentences: int
    themes: int
    outlier_share: float
    silhouette: float | None
    npmi: float | None
    nmi_tags: float | None

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def silhouette(vectors: np.ndarray, labels: np.ndarray, seed: int = 0) -> float | None:
    from sklearn.metrics import silhouette_score

    mask = labels >= 0
    if len(set(labels[mask].tolist())) < 2 or mask.sum() < 3:
        return None
    x, y = vectors[mask], labels[mask]
    if len(x) > SILHOUETTE_SAMPLE:
        idx = np.sort(np.random.default_rng(seed).choice(len(x), SILHOUETTE_SAMPLE, replace=False))
        x, y = x[idx], y[idx]
        if len(set(y.tolist())) < 2:
            return None
    return float(silhouette_score(x, y, metric="cosine"))


def npmi_coherence(texts: Sequence[str], keywords: Mapping[object, Sequence[str]], top: int = 5) -> float | None:
    """Mean NPMI over pairs of each theme's top single-word keywords; sentences are the co-occurrence windows."""
    n = len(texts)
    if n == 0:
        return None
    wanted = {w for words in keywords.values() for w in list(words) if " " not in w}
    where: dict[str, set[int]] = {w: set() for w in wanted}
    for i, text in enumerate(texts):
        for term in set(lemma_terms(text)) & wanted:
            where[term].add(i)
    scores = []
    for words in keywords.values():
        words = [w for w in words if " " not in w][:top]
        for a, b in itertools.combinations(words, 2):
            na, nb, nab = len(where[a]), len(where[b]), len(where[a] & where[b])
            if nab == 0:
                scores.append(-1.0)
                continue
            p_ab, p_a, p_b = nab / n, na / n, nb / n
            scores.append(1.0 if p_ab >= 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return float(np.mean(scores)) if scores else None


def nmi_with_tags(labels: Sequence[int], tags: Sequence[Sequence[str]]) -> float | None:
    from sklearn.metrics import normalized_mutual_info_score

    pairs = [(lab, sorted(t)[0]) for lab, t in zip(labels, tags) if lab >= 0 and t]
    if len(pairs) < 2:
        return None
    return float(normalized_mutual_info_score([p[0] for p in pairs], [p[1] for p in pairs]))


def measure(vectors: np.ndarray, labels: np.ndarray, texts: Sequence[str], keywords: Mapping[object, Sequence[str]],
            tags: Sequence[Sequence[str]] | None = None, seed: int = 0) -> ThemeQuality:
    labels = np.asarray(labels)
    n = len(labels)
    return ThemeQuality(
        sentences=n,
        themes=len(set(labels[labels >= 0].tolist())),
        outlier_share=float((labels < 0).mean()) if n else 0.0,
        silhouette=silhouette(vectors, labels, seed) if n else None,
        npmi=npmi_coherence(texts, keywords),
        nmi_tags=nmi_with_tags(labels.tolist(), tags) if tags is not None else None,
    )


def store_quality(conn: sqlite3.Connection, include: Sequence[str], embedder_name: str | None = None) -> ThemeQuality:
    """Quality of the themes in the store, from cached vectors (no model needed)."""
    import json

    from pipeline.store.themes import embedder_of_themes, member_map
    from pipeline.themes.select import present_tags, theme_sentences

    sents = theme_sentences(conn, include)
    members = member_map(conn)
    ids = sorted(set(members.values()))
    index = {tid: i for i, tid in enumerate(ids)}
    labels = np.array([index.get(members.get(s.sentence_id, ""), -1) for s in sents], dtype=np.int64)
    model = embedder_name or embedder_of_themes(conn) or ""
    vectors = _vectors(conn, model, [s.text_hash for s in sents])
    keywords = {tid: json.loads(kw) for tid, kw in conn.execute(
        "SELECT theme_id, keywords_json FROM themes WHERE status = 'active'")}
    tags = present_tags(conn, [s.sentence_id for s in sents])
    quality = measure(vectors if vectors is not None else np.zeros((len(sents), 1), np.float32), labels,
                      [s.text for s in sents], keywords, [tags.get(s.sentence_id, ()) for s in sents])
    if vectors is None:
        quality = ThemeQuality(quality.sentences, quality.themes, quality.outlier_share, None, quality.npmi,
                               quality.nmi_tags)
    return quality


def _vectors(conn: sqlite3.Connection, model: str, hashes: Sequence[str]) -> np.ndarray | None:
    rows = {}
    for start in range(0, len(hashes), 500):
        part = list(hashes[start : start + 500])
        marks = ",".join("?" * len(part))
        for h, blob in conn.execute(
            f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})", [model, *part]
        ):
            rows[h] = np.frombuffer(blob, dtype=np.float32)
    if not hashes or len(rows) < len(set(hashes)):
        return None
    return np.vstack([rows[h] for h in hashes])
