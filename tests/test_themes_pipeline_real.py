"""Themes through the real pipeline (ingest, tag, embed, cluster) on a subset of the real PFD reports plus two
sample reviews: the information_sharing and domestic_abuse themes come out named, with quotes; few outliers; a
rebuild keeps every ID; 10% more reports keep >= 97% of the clustered sentences' IDs."""

from __future__ import annotations

import shutil

import pytest

from pipeline.ops.run import run_batch
from pipeline.store.themes import member_map
from pipeline.themes.quality import store_quality
from pipeline.themes.read import list_themes
from pipeline.themes.update import update_themes
from tests.helpers.themes import write_pfd_texts

REPORTS = 80
SAMPLES = ("riverford_cspr_child_t_2024.pdf", "eastmoor_scr_child_j_2017.pdf")


@pytest.mark.slow
def test_real_pipeline_names_themes_and_keeps_ids(pfd_jsonl, repo_root, settings, store, real_embedder, tmp_path):
    batch = tmp_path / "batch"
    write_pfd_texts(pfd_jsonl, batch, limit=REPORTS)
    for sample in SAMPLES:
        shutil.copy(repo_root / "corpus" / "samples" / sample, batch / sample)
    summary = run_batch([batch], store, settings, embedder=real_embedder)
    assert not summary.failures

    themes = list_themes(store)
    by_name = {t.name: t for t in themes}
    for label in ("information_sharing", "domestic_abuse"):
        assert label in by_name, [(t.name, t.keywords[:3]) for t in themes]
        theme = by_name[label]
        assert theme.label == label and theme.size >= settings.cluster.min_cluster_size
        assert theme.quotes and all(q.page >= 1 and q.doc_id and q.text for q in theme.quotes)
    quality = store_quality(store, settings.cluster.include)
    assert quality.outlier_share <= 0.05, quality

    before = member_map(store)
    update_themes(store, settings, real_embedder, rebuild=True)
    assert member_map(store) == before

    extra = tmp_path / "extra"
    write_pfd_texts(pfd_jsonl, extra, limit=REPORTS // 10, start=REPORTS)
    run_batch([extra], store, settings, embedder=real_embedder)
    after = member_map(store)
    kept = sum(after.get(sid) == tid for sid, tid in before.items()) / len(before)
    assert kept >= 0.97, kept
