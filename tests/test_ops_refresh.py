"""`scr refresh`: the lock (a second refresh exits 75 at once), a refresh with nothing new (no model,
no file read, a run recorded), runs left 'running' by a killed refresh, status for monitoring."""

from __future__ import annotations

import json
import os
import time

import pytest

from pipeline.errors import UsageError
from pipeline.ops.lock import refresh_lock
from pipeline.ops.refresh import refresh
from pipeline.store import connect, transaction
from pipeline.store.status import store_status
from tests.helpers.ops import run_scr, write_config


def _no_model(monkeypatch):
    import pipeline.embed.model as embed_model

    def refuse(settings):
        raise AssertionError("a refresh with nothing new must not load the embedding model")

    monkeypatch.setattr(embed_model, "load_embedder", refuse)


def test_refresh_with_nothing_new_loads_no_model_and_records_the_run(settings, monkeypatch):
    _no_model(monkeypatch)
    settings.path(settings.inbox).mkdir(parents=True)
    summary = refresh(settings)
    assert (summary.added, summary.failed, summary.exit_code, summary.outcome) == (0, 0, 0, "ok")
    conn = connect(settings.store_path, readonly=True)
    try:
        runs = [dict(r) for r in conn.execute("SELECT * FROM runs")]
        status = store_status(conn, str(settings.store_path))
    finally:
        conn.close()
    assert len(runs) == 1 and runs[0]["command"] == "refresh" and runs[0]["outcome"] == "ok"
    assert runs[0]["ended_at"] and json.loads(runs[0]["counts_json"])["added"] == 0
    assert status.last_refresh["run_id"] == summary.run_id and status.last_run_failures == []
    log = [json.loads(line) for line in settings.path(settings.refresh.log_file).read_text().splitlines()]
    assert [e["outcome"] for e in log if e["stage"] == "run"] == ["started", "ok"]
    assert {e["run_id"] for e in log} == {summary.run_id}


def test_runs_left_running_by_a_killed_refresh_are_closed_as_interrupted(settings, monkeypatch):
    _no_model(monkeypatch)
    settings.path(settings.inbox).mkdir(parents=True)
    conn = connect(settings.store_path)
    with transaction(conn):
        conn.execute("INSERT INTO runs(run_id, command, started_at, outcome) VALUES ('old', 'refresh', '2026-01-01', 'running')")
        conn.execute("INSERT INTO runs(run_id, command, started_at, outcome) VALUES ('other', 'ingest', '2026-01-01', 'running')")
    conn.close()
    summary = refresh(settings)
    conn = connect(settings.store_path, readonly=True)
    outcomes = dict(conn.execute("SELECT run_id, outcome FROM runs WHERE run_id IN ('old', 'other')").fetchall())
    counts = json.loads(conn.execute("SELECT counts_json FROM runs WHERE run_id = 'old'").fetchone()[0])
    conn.close()
    # every writer holds the lock while its run is open: under the lock, any run still 'running' is dead
    assert outcomes == {"old": "interrupted", "other": "interrupted"}
    assert counts == {"added": 0, "failed": 0, "interrupted": True, "sentences": 0}
    assert [(r.run_id, r.command) for r in summary.interrupted] == [("old", "refresh"), ("other", "ingest")]


def test_missing_inbox_is_a_usage_error(settings):
    with pytest.raises(UsageError, match="inbox folder not found"):
        refresh(settings)


def test_second_refresh_exits_75_at_once_with_one_line(tmp_path):
    config = write_config(tmp_path)
    (tmp_path / "inbox").mkdir()
    with refresh_lock(tmp_path / "scr.db"):
        started = time.perf_counter()
        done = run_scr(config, "refresh")
        took = time.perf_counter() - started
    assert done.returncode == 75, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "scr.db.lock") in lines[0]
    assert f"the store is busy: `scr refresh` (pid {os.getpid()}, since " in lines[0]
    assert took < 10  # process start-up included; no waiting on the lock
    assert not (tmp_path / "scr.db").exists()  # refused before touching the store

    done = run_scr(config, "refresh", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["command"] == "refresh" and data["added"] == 0 and data["exit_code"] == 0
    status = run_scr(config, "status", "--json")
    assert json.loads(status.stdout)["last_refresh"]["run_id"] == data["run_id"]


def test_refresh_with_nothing_new_reports_the_themes_the_store_holds(settings, monkeypatch):
    """themes_total is the store's active themes, not 0 because the theme stage had nothing to do."""
    _no_model(monkeypatch)
    settings.path(settings.inbox).mkdir(parents=True)
    conn = connect(settings.store_path)
    with transaction(conn):
        for n, status in ((1, "active"), (2, "active"), (3, "retired")):
            conn.execute("INSERT INTO themes(theme_id, name, keywords_json, size, status, updated_at)"
                         " VALUES (?, ?, '[]', 0, ?, '2026-11-26')", (f"T000{n}", f"theme {n}", status))
    conn.close()
    summary = refresh(settings)
    assert summary.themes_total == 2 and summary.to_dict()["themes_total"] == 2
    log = [json.loads(line) for line in settings.path(settings.refresh.log_file).read_text().splitlines()]
    assert [e["themes_total"] for e in log if e["stage"] == "run" and e["outcome"] == "ok"] == [2]
