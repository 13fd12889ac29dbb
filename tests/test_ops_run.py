"""run_batch in process: every stage for a small batch, the run recorded, the model loaded once and
only when there is work, a 'themes pending' mark left by a killed run finished by the next one."""

from __future__ import annotations

import json

from pipeline.embed.base import HashingEmbedder
from pipeline.ops.run import run_batch
from pipeline.ops.state import mark_themes_pending, themes_pending
from pipeline.store.status import store_status
from tests.helpers.ops import make_inbox


def _small(settings):
    return settings.replace(
        extract=settings.extract.__class__(**{**settings.extract.__dict__, "model_dir": "no-model-here"}),
        cluster=settings.cluster.__class__(**{**settings.cluster.__dict__, "min_cluster_size": 3}),
        ingest=settings.ingest.__class__(**{**settings.ingest.__dict__, "workers": 1}),
    )


def _counting_loader(monkeypatch):
    import pipeline.embed.model as embed_model

    loads = []

    def load(embed_settings):
        loads.append(embed_settings)
        return HashingEmbedder(64)

    monkeypatch.setattr(embed_model, "load_embedder", load)
    return loads


def test_run_batch_takes_a_batch_through_every_stage_and_records_it(tmp_path, settings, store, monkeypatch):
    settings = _small(settings)
    loads = _counting_loader(monkeypatch)
    batch = make_inbox(tmp_path / "batch", 3, seed=5)
    ticks = []
    summary = run_batch([tmp_path / "batch"], store, settings, progress=ticks.append)
    assert len(loads) == 1  # loaded once, shared by the tagger and the theme stage
    assert (summary.added, summary.failed, summary.exit_code, summary.outcome) == (3, 1, 1, "failures")
    assert summary.failures[0].path.endswith("broken.pdf") and summary.failures[0].cause
    assert sum(ticks) == len(batch)
    assert summary.sentences == store.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] > 0
    assert summary.tags == store.execute("SELECT COUNT(*) FROM tags WHERE assertion = 'present'").fetchone()[0] > 0
    assert summary.documents_tagged == 3 and summary.themes_total > 0 and summary.themes_touched
    assert themes_pending(store) is None
    run = store.execute("SELECT * FROM runs WHERE run_id = ?", (summary.run_id,)).fetchone()
    assert run["command"] == "run" and run["outcome"] == "failures" and run["ended_at"]
    assert json.loads(run["counts_json"])["added"] == 3
    status = store_status(store, "x")
    assert [f["cause"] for f in status.last_run_failures] == [summary.failures[0].cause]
    log = [json.loads(x) for x in settings.path(settings.refresh.log_file).read_text().splitlines()]
    per_doc = {(e["stage"], e["outcome"]) for e in log if e["document"]}
    assert {("ingest", "added"), ("ingest", "failed"), ("extract", "ok")} <= per_doc
    assert all(e["duration_s"] is not None for e in log if e["stage"] == "extract" and e["document"])

    again = run_batch([tmp_path / "batch"], store, settings, embedder=HashingEmbedder(64))
    assert (again.added, again.skipped, again.tags) == (0, 3, 0)
    assert len(loads) == 1  # nothing new: no model load; and a given embedder is used as it is


def test_a_themes_pending_mark_is_finished_by_the_next_run_even_with_nothing_new(tmp_path, settings, store, monkeypatch):
    settings = _small(settings)
    loads = _counting_loader(monkeypatch)
    make_inbox(tmp_path / "batch", 3, seed=9, bad=False)
    run_batch([tmp_path / "batch"], store, settings)
    themes = store.execute("SELECT COUNT(*) FROM theme_members").fetchone()[0]
    store.execute("DELETE FROM theme_members")
    store.execute("DELETE FROM themes")  # as if a run was killed before its theme update
    mark_themes_pending(store, "killed-run")
    summary = run_batch([], store, settings)
    assert len(loads) == 2 and summary.added == 0
    assert store.execute("SELECT COUNT(*) FROM theme_members").fetchone()[0] == themes > 0
    assert themes_pending(store) is None
    run_batch([], store, settings)
    assert len(loads) == 2  # and then there is nothing to do
