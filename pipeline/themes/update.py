"""Build or update the themes of the store, keeping theme IDs stable.

First time (or `rebuild`, or a new embedder): cluster every theme-bearing sentence (pipeline.themes.cluster),
starting from the existing themes' centroids when there are any, and carry IDs over by one-to-one matching
(pipeline.themes.stable_ids). Later: only sentences not judged yet are assigned to the nearest existing theme
when their cosine passes `assign_threshold`; existing members never move. The themes are rebuilt instead
when more than `rebuild_drift` of the new sentences fit no theme, or when the coding frame or the tagger
changed since they were built (pipeline.themes.provenance); the report says why. A theme left without
members is retired, never listed as active. Everything is written in one transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from pipeline.config import Settings
from pipeline.embed.base import Embedder
from pipeline.embed.cache import embed_cached
from pipeline.store import themes as store
from pipeline.store.connection import transaction
from pipeline.themes import provenance
from pipeline.themes.cluster import Clustering, cluster_vectors, nearest_centroids
from pipeline.themes.keywords import KeywordRules, keyword_rules, theme_keywords
from pipeline.themes.naming import label_descriptions, name_themes
from pipeline.themes.select import ThemeSentence, present_tags, theme_sentences
from pipeline.themes.stable_ids import match_ids


@dataclass(frozen=True)
class ClusterReport:
    themes_total: int
    themes_touched: tuple[str, ...]
    assigned: int
    """Sentences placed in a theme by this call."""
    outliers: int
    """Theme-bearing sentences that fit no theme (all of them after a rebuild, the new ones otherwise)."""
    rebuilt: bool
    seconds: float
    reason: str | None = None
    """Why the themes were rebuilt unasked (drift, a new coding frame, tagger or embedder); None otherwise."""
    retired: tuple[str, ...] = ()
    """Themes retired by this call because no sentence is left in them."""

    def to_dict(self) -> dict:
        return {"themes_total": self.themes_total, "themes_touched": list(self.themes_touched),
                "assigned": self.assigned, "outliers": self.outliers, "rebuilt": self.rebuilt,
                "reason": self.reason, "retired": list(self.retired), "seconds": round(self.seconds, 3)}


def label_vectors(settings: Settings, embedder: Embedder) -> dict[str, np.ndarray]:
    descriptions = label_descriptions(settings.path(settings.taxonomy))
    if not descriptions:
        return {}
    labels = sorted(descriptions)
    vectors = embedder.embed([descriptions[label] for label in labels])
    return dict(zip(labels, vectors))


def describe_clusters(texts: Sequence[str], tags: Sequence[Sequence[str]], clustering: Clustering,
                      label_vecs: dict[str, np.ndarray], rules: KeywordRules | None = None) -> tuple[dict, dict]:
    """(keywords, names) per cluster index, from members' texts, tags and the centroids."""
    k = len(clustering.centroids)
    texts_by: dict[int, list[str]] = {c: [] for c in range(k)}
    tags_by: dict[int, list[Sequence[str]]] = {c: [] for c in range(k)}
    for i, c in enumerate(clustering.labels):
        if c >= 0:
            texts_by[int(c)].append(texts[i])
            tags_by[int(c)].append(tags[i])
    keywords = theme_keywords(texts_by, rules=rules)
    names = name_themes(tags_by, {c: clustering.centroids[c] for c in range(k)}, keywords, label_vecs)
    return keywords, names


def same_model(stored: str | None, current: str) -> bool:
    """Whether the themes' centroids and the current vectors come from one model: its stock and ONNX variants
    ("all-MiniLM-L6-v2", ".../onnx-int8", ".../onnx-int8-single") agree at cosine 0.99, so a rebuild after
    a change of backend or recipe starts from the old centroids and matches them, and theme IDs carry over."""
    return stored is not None and stored.split("/")[0] == current.split("/")[0]


def _rebuild(conn, settings, embedder, sents, vectors, run_id, built: provenance.BuiltWith,
             reason: str | None = None) -> ClusterReport:
    started = time.perf_counter()
    old_centroids = store.active_centroids(conn)
    same_space = same_model(store.embedder_of_themes(conn), embedder.name)
    init = np.vstack(list(old_centroids.values())) if old_centroids and same_space else None
    clustering = cluster_vectors(vectors, settings.cluster, init)
    sids = [s.sentence_id for s in sents]
    label_vecs = label_vectors(settings, embedder)
    tags = present_tags(conn, sids)
    if label_vecs:  # tags of labels the coding frame no longer has (not re-extracted yet) name no theme
        tags = {sid: tuple(label for label in labels if label in label_vecs) for sid, labels in tags.items()}
    keywords, names = describe_clusters([s.text for s in sents], [tags.get(sid, ()) for sid in sids], clustering,
                                        label_vecs, keyword_rules(settings))
    k = len(clustering.centroids)
    new_members: list[set[str]] = [set() for _ in range(k)]
    for sid, c in zip(sids, clustering.labels):
        if c >= 0:
            new_members[int(c)].add(sid)
    old_members: dict[str, set[str]] = defaultdict(set)
    for sid, tid in store.member_map(conn).items():
        old_members[tid].add(sid)
    for tid in old_centroids:
        old_members.setdefault(tid, set())
    match = match_ids(old_members, old_centroids if same_space else {}, new_members, clustering.centroids,
                      store.next_theme_number(conn))
    labels, sims = _sticky(vectors, sids, clustering, match.ids, store.member_map(conn),
                           settings.cluster.assign_threshold)
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    rows = [store.ThemeRow(match.ids[c], names[c].name, names[c].label, keywords[c], int(sizes[c]),
                           clustering.centroids[c]) for c in range(k)]
    members = [(sid, match.ids[int(c)], float(s)) for sid, c, s in zip(sids, labels, sims) if c >= 0]
    outliers = [(sid, float(s)) for sid, c, s in zip(sids, labels, sims) if c < 0]
    with _writing(conn):
        store.replace_members(conn, [], [])
        store.write_themes(conn, rows, run_id)
        store.retire_themes(conn, match.retired, run_id)
        store.add_members(conn, members, outliers)
        store.record_events(conn, [(e.event, e.theme_id, e.related) for e in match.events], run_id)
        emptied = _retire_empty(conn, run_id)
        store.set_state(conn, match.next_number, embedder.name)
        provenance.record(conn, built)
    return ClusterReport(_active_count(conn), tuple(sorted(set(match.ids) - set(emptied))), len(members),
                         len(outliers), True, time.perf_counter() - started, reason, emptied)


def _retire_empty(conn: sqlite3.Connection, run_id: str | None) -> tuple[str, ...]:
    """Retire the active themes no sentence is left in (their members' tags changed, or a rebuild's
    sticky step took every member back to an older theme): an empty theme is never listed as active."""
    empty = tuple(r[0] for r in conn.execute(
        "SELECT theme_id FROM themes t WHERE status = 'active' AND NOT EXISTS"
        " (SELECT 1 FROM theme_members m WHERE m.theme_id = t.theme_id) ORDER BY theme_id"))
    store.retire_themes(conn, empty, run_id)
    store.record_events(conn, [("retired", tid, ()) for tid in empty], run_id)
    return empty


def _active_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM themes WHERE status = 'active'").fetchone()[0])


STICKY_MARGIN = 0.05
"""On a rebuild a sentence stays in its old theme (if that ID lives on) when its cosine to that theme's new
centroid is within this margin of its best: boundary sentences do not flip between near-equal themes."""


def _sticky(vectors: np.ndarray, sids: Sequence[str], clustering: Clustering, ids: Sequence[str],
            previous: dict[str, str], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    labels, sims = clustering.labels.copy(), clustering.similarity.copy()
    index = {tid: c for c, tid in enumerate(ids)}
    for row, sid in enumerate(sids):
        c = index.get(previous.get(sid, ""))
        if c is None or c == labels[row]:
            continue
        sim = float(vectors[row] @ clustering.centroids[c])
        if sim >= threshold and sim >= clustering.similarity[row] - STICKY_MARGIN:
            labels[row], sims[row] = c, sim
    return labels, sims


def _writing(conn: sqlite3.Connection):
    if conn.in_transaction:
        from contextlib import nullcontext

        return nullcontext(conn)
    return transaction(conn)


def update_themes(conn: sqlite3.Connection, settings: Settings, embedder: Embedder, rebuild: bool = False,
                  run_id: str | None = None, progress: Callable[[int], None] | None = None) -> ClusterReport:
    """Cluster (first time, rebuild) or assign new theme-bearing sentences to the existing themes."""
    started = time.perf_counter()
    sents = theme_sentences(conn, settings.cluster.include)
    vectors = embed_cached(conn, embedder, [s.text for s in sents], progress)
    centroids = store.active_centroids(conn)
    built = provenance.current(conn, settings, provenance.recorded(conn))
    reason = None if rebuild or not centroids else _stale(conn, settings, embedder, built)
    if rebuild or not centroids or reason:
        report = _rebuild(conn, settings, embedder, sents, vectors, run_id, built, reason)
        return _with_seconds(report, started)
    current = store.member_map(conn)
    judged = set(current) | store.outlier_ids(conn)
    bearing = {s.sentence_id for s in sents}
    gone = [sid for sid in judged if sid not in bearing]
    new = [i for i, s in enumerate(sents) if s.sentence_id not in judged]
    ids = list(centroids)
    nearest, sim = nearest_centroids(vectors[new], np.vstack([centroids[t] for t in ids])) if new else ([], [])
    fits = [bool(s >= settings.cluster.assign_threshold) for s in sim]
    unfit = len(fits) - sum(fits)
    if len(new) >= settings.cluster.min_cluster_size and unfit > settings.cluster.rebuild_drift * len(new):
        reason = (f"{unfit} of {len(new)} new sentences fit no theme (more than cluster.rebuild_drift, "
                  f"{settings.cluster.rebuild_drift:.0%})")
        return _with_seconds(_rebuild(conn, settings, embedder, sents, vectors, run_id, built, reason), started)
    members = [(sents[i].sentence_id, ids[int(c)], float(s)) for i, c, s, ok in zip(new, nearest, sim, fits) if ok]
    outliers = [(sents[i].sentence_id, float(s)) for i, s, ok in zip(new, sim, fits) if not ok]
    touched = sorted({tid for _, tid, _ in members} | {current[sid] for sid in gone if sid in current})
    with _writing(conn):
        store.drop_members(conn, gone)
        store.add_members(conn, members, outliers)
        store.refresh_sizes(conn, touched, run_id)
        emptied = _retire_empty(conn, run_id)
        provenance.record(conn, built)
    return ClusterReport(_active_count(conn), tuple(t for t in touched if t not in emptied), len(members),
                         len(outliers), False, time.perf_counter() - started, None, emptied)


def _stale(conn: sqlite3.Connection, settings: Settings, embedder: Embedder, built: provenance.BuiltWith) -> str | None:
    """Why the existing themes cannot take new sentences as they are (a rebuild is due), or None."""
    stored = store.embedder_of_themes(conn)
    if stored != embedder.name:
        return (f"the embedding model changed since the themes were built ({stored} -> {embedder.name})" if stored
                else "the store does not record the themes' embedding model")
    return provenance.stale_reason(conn, settings, built)


def _with_seconds(report: ClusterReport, started: float) -> ClusterReport:
    from dataclasses import replace

    return replace(report, seconds=time.perf_counter() - started)
