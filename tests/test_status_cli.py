"""`scr status` says what each count counts: sentences processed by the tagger apart from those that
carry a label."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli.main import app
from tests.helpers.research import DOCS, research_settings


def test_status_counts_processed_and_labelled_sentences_apart(tmp_path):
    settings, built = research_settings(tmp_path, fillers=0)  # every sentence tagged; some with no label
    labelled = sum(1 for d in DOCS for s in d.sentences if s[3])
    assert 0 < labelled < built.sentences
    db = ["--db", str(settings.store_path), "status"]
    result = CliRunner().invoke(app, db)
    assert result.exit_code == 0, result.output
    rows = {line[:30].strip(): line[30:].strip() for line in result.stdout.splitlines()}
    assert rows["sentences tagged (processed)"] == str(built.sentences)
    assert rows["sentences with a label"] == str(labelled)
    assert "tagged sentences" not in result.stdout
    data = json.loads(CliRunner().invoke(app, [*db, "--json"]).stdout)
    assert data["tagged_sentences"] == built.sentences and data["labelled_sentences"] == labelled


def _failure(conn, path, cause, digest=None, at="2026-11-01T10:00:00+00:00"):
    conn.execute("INSERT INTO failures(path, cause, content_hash, stage, failed_at) VALUES (?, ?, ?, 'ingest', ?)",
                 (path, cause, digest, at))


def test_failures_count_files_still_failing_not_events(settings, store):
    """A file retried (or copied) and failing again is one file; one read since (after --ocr), or whose
    path holds good bytes since, no longer counts. Every event stays in `failure_events`."""
    from pipeline.store import transaction
    from pipeline.store.status import store_status

    with transaction(store):
        store.execute("INSERT INTO documents(doc_id, path, source_format, pages, sentences, ingested_at)"
                      " VALUES ('h-ocr', '/in/scan.pdf', 'pdf', 1, 0, '2026-11-02T10:00:00+00:00')")
        store.execute("INSERT INTO document_paths(path, doc_id, seen_at) VALUES ('/in/scan.pdf', 'h-ocr', ?)",
                      ("2026-11-02T10:00:00+00:00",))
        store.execute("INSERT INTO document_paths(path, doc_id, seen_at) VALUES ('/in/empty.pdf', 'h-ocr', ?)",
                      ("2026-11-02T10:00:00+00:00",))
        _failure(store, "/in/scan.pdf", "no text layer: needs OCR", "h-ocr")  # read since with --ocr
        for _ in range(3):
            _failure(store, "/in/bad.pdf", "not a PDF", "h-bad")
        _failure(store, "/in/bad copy.pdf", "not a PDF", "h-bad")  # the same bytes under another name
        _failure(store, "/in/empty.pdf", "empty file")  # good bytes at that path since
        _failure(store, "/in/zero.pdf", "empty file")
    status = store_status(store, str(settings.store_path))
    assert (status.failures, status.failure_events) == (2, 7)
    assert status.failures_by_cause == {"empty file": 1, "not a PDF": 1}
    assert sorted((f["path"], f["events"]) for f in status.failing_files) == [("/in/bad copy.pdf", 4), ("/in/zero.pdf", 1)]

    result = CliRunner().invoke(app, ["--db", str(settings.store_path), "status"])
    rows = {line[:30].strip(): line[30:].strip() for line in result.stdout.splitlines()}
    assert rows["failures (still failing)"] == "2 files (7 events)"
    assert "still failing: /in/zero.pdf: empty file" in result.stdout
    data = json.loads(CliRunner().invoke(app, ["--db", str(settings.store_path), "status", "--json"]).stdout)
    assert (data["failures"], data["failure_events"]) == (2, 7)


def test_a_run_left_running_with_the_lock_free_is_shown_as_interrupted(settings, store):
    import datetime as dt

    from pipeline.ops.lock import refresh_lock
    from pipeline.store import transaction
    from pipeline.store.status import store_status

    now = dt.datetime.now(dt.timezone.utc)
    with transaction(store):
        store.execute("INSERT INTO runs(run_id, command, started_at, outcome) VALUES ('dead', 'refresh', ?, 'running')",
                      ((now - dt.timedelta(hours=1)).isoformat(timespec="seconds"),))
    status = store_status(store, str(settings.store_path))
    assert status.last_run["outcome"] == "interrupted" and status.last_refresh["outcome"] == "interrupted"
    assert status.busy is None
    text = CliRunner().invoke(app, ["--db", str(settings.store_path), "status"]).stdout
    assert "(interrupted: rerun `scr refresh`)" in text and "(running)" not in text
    with refresh_lock(settings.store_path, "refresh"):
        # a live writer that took the lock after that run began: the old run is still dead
        assert store_status(store, str(settings.store_path)).last_run["outcome"] == "interrupted"
        with transaction(store):
            store.execute("INSERT INTO runs(run_id, command, started_at, outcome) VALUES ('live', 'refresh', ?, 'running')",
                          (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),))
        status = store_status(store, str(settings.store_path))
        assert (status.last_run["run_id"], status.last_run["outcome"]) == ("live", "running")
        assert status.busy["command"] == "refresh"
