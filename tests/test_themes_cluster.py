"""Themes on a tiny synthetic store (HashingEmbedder): determinism, outliers, stable IDs, names, reads."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed.base import HashingEmbedder
from pipeline.store import connect
from pipeline.store.themes import member_map
from pipeline.themes.stable_ids import match_ids
from pipeline.themes.update import update_themes
from tests.helpers.themes import add_documents


def _snapshot(conn):
    themes = [tuple(r) for r in conn.execute(
        "SELECT theme_id, name, label, keywords_json, size, status, centroid FROM themes ORDER BY theme_id")]
    members = [tuple(r) for r in conn.execute("SELECT sentence_id, theme_id, similarity FROM theme_members ORDER BY 1")]
    return themes, members


def test_same_input_gives_identical_themes_and_ids(settings, tmp_path):
    snaps = []
    for i in range(2):
        conn = connect(tmp_path / f"s{i}.db")
        add_documents(conn, 24)
        update_themes(conn, settings, HashingEmbedder(256))
        snaps.append(_snapshot(conn))
        conn.close()
    assert snaps[0] == snaps[1]
    assert len(snaps[0][0]) >= 6


def test_outliers_are_few_and_only_below_the_threshold(settings, store):
    add_documents(store, 30)
    report = update_themes(store, settings, HashingEmbedder(256))
    total = report.assigned + report.outliers
    assert total == 900 and report.rebuilt
    assert report.outliers / total <= 0.05
    threshold = settings.cluster.assign_threshold
    assert store.execute("SELECT min(similarity) FROM theme_members").fetchone()[0] >= threshold
    worst = store.execute("SELECT max(similarity) FROM theme_outliers").fetchone()[0]
    assert worst is None or worst < threshold


@pytest.mark.parametrize("rebuild", [False, True])
def test_ten_percent_more_documents_keep_theme_ids(settings, store, rebuild):
    embedder = HashingEmbedder(256)
    add_documents(store, 40)
    update_themes(store, settings, embedder)
    before = member_map(store)
    add_documents(store, 4, start=40)
    report = update_themes(store, settings, embedder, rebuild=rebuild)
    assert report.rebuilt == rebuild
    after = member_map(store)
    kept = sum(1 for sid, tid in before.items() if after.get(sid) == tid) / len(before)
    assert kept >= 0.97, kept
    assert len(after) >= len(before) + 100


def test_a_new_topic_rebuilds_and_ids_are_never_reused(settings, store):
    embedder = HashingEmbedder(256)
    add_documents(store, 20, topics=("domestic_abuse", "case_closure", "voice_of_child"))
    update_themes(store, settings, embedder)
    first_ids = {r[0] for r in store.execute("SELECT theme_id FROM themes")}
    last_event = store.execute("SELECT max(event_id) FROM theme_events").fetchone()[0]
    add_documents(store, 12, start=20, topics=("unsafe_sleep", "parental_substance_misuse"))
    report = update_themes(store, settings, embedder)
    assert report.rebuilt  # most new sentences fit no theme: drift past rebuild_drift
    rows = store.execute("SELECT theme_id, status FROM themes").fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids))
    created = {e[0] for e in store.execute(
        "SELECT theme_id FROM theme_events WHERE event IN ('created', 'split') AND event_id > ?", (last_event,))}
    assert created and not (created & first_ids)
    labels = {r[0] for r in store.execute("SELECT label FROM themes WHERE status = 'active'")}
    assert {"unsafe_sleep", "parental_substance_misuse", "domestic_abuse"} <= labels


def test_match_ids_records_splits_merges_and_fresh_numbers():
    a, b = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    old = {"T0001": set(range(0, 100)), "T0002": set(range(100, 140)), "T0003": set(range(140, 180))}
    cents = {"T0001": a, "T0002": b, "T0003": b}
    new = [set(range(0, 50)), set(range(50, 100)), set(range(100, 180))]  # T0001 splits; T0002+T0003 merge
    match = match_ids(old, cents, new, np.vstack([a, a, b]), next_number=7)
    assert match.ids[0] == "T0001" and match.ids[1] == "T0007" and match.ids[2] in ("T0002", "T0003")
    events = {(e.event, e.theme_id) for e in match.events}
    assert ("split", "T0007") in events
    assert any(e.event == "merged" and e.related == (match.ids[2],) for e in match.events)
    assert match.next_number == 8


def test_names_keywords_and_reads(settings, store):
    from pipeline.themes.read import list_themes, risk_cooccurrence, theme_prevalence_by_year

    made = add_documents(store, 30)
    update_themes(store, settings, HashingEmbedder(256))
    themes = list_themes(store, with_quotes=2)
    assert themes and all(len(t.quotes) == 2 for t in themes)
    by_label = {t.label for t in themes}
    assert {"domestic_abuse", "information_sharing", "unsafe_sleep"} <= by_label
    da = next(t for t in themes if t.name == "domestic_abuse")
    assert {"abuse", "domestic", "violence", "marac", "coercive", "perpetrator"} & set(da.keywords)
    assert all(made.topic_of[q.sentence_id] == "domestic_abuse" for q in da.quotes)
    prevalence = theme_prevalence_by_year(store)
    assert sum(prevalence[da.theme_id].values()) == da.documents
    pairs = risk_cooccurrence(store)
    assert pairs[("domestic_abuse", "parental_substance_misuse")] >= 20
    assert risk_cooccurrence(store, doc_ids=made.doc_ids[:1]) and not risk_cooccurrence(store, doc_ids=[])


def test_quality_figures(settings, store):
    from pipeline.themes.quality import store_quality

    add_documents(store, 30)
    update_themes(store, settings, HashingEmbedder(256))
    q = store_quality(store, settings.cluster.include)
    assert q.sentences == 900 and q.outlier_share <= 0.05
    assert q.silhouette is not None and -1 <= q.silhouette <= 1
    assert q.npmi is not None and q.npmi > 0.2
    assert q.nmi_tags is not None and q.nmi_tags > 0.5


class _Variant:
    """The same model by another backend or recipe ('<model>/<variant>'): vectors at cosine ~0.99 to it."""

    def __init__(self, inner, variant: str) -> None:
        self.inner, self.name, self.dim = inner, f"{inner.name}/{variant}", inner.dim

    def embed(self, texts):
        from pipeline.embed.base import normalise

        vectors = self.inner.embed(texts)
        noise = np.random.default_rng(len(texts)).normal(0, 0.1 / np.sqrt(self.dim), vectors.shape)
        return normalise((vectors + noise).astype(np.float32))


def test_a_new_backend_of_the_same_model_rebuilds_from_the_old_centroids_and_keeps_ids(settings, store):
    """An upgrade that changes the embedding recipe (batched int8 to a sentence a run) re-embeds and rebuilds;
    the old centroids still seed and match the rebuild, so the themes keep their IDs and members."""
    from pipeline.themes.update import same_model

    base = HashingEmbedder(256)
    add_documents(store, 40)
    update_themes(store, settings, base)
    before = member_map(store)
    report = update_themes(store, settings, _Variant(base, "onnx-int8-single"))
    assert report.rebuilt
    after = member_map(store)
    kept = sum(1 for sid, tid in before.items() if after.get(sid) == tid) / len(before)
    assert kept >= 0.95, kept
    assert same_model("all-MiniLM-L6-v2/onnx-int8", "all-MiniLM-L6-v2/onnx-int8-single")
    assert same_model("all-MiniLM-L6-v2", "all-MiniLM-L6-v2/onnx-int8-single")
    assert not same_model("hashing-256", "all-MiniLM-L6-v2") and not same_model(None, "all-MiniLM-L6-v2")
