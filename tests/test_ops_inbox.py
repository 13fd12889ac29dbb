"""Inbox scanning: new and changed files by content hash, unchanged by path/size/mtime without reading,
files still being written wait, bytes that failed before are not retried, the run log holds no text."""

from __future__ import annotations

import hashlib
import json
import os
import time

from pipeline.ops.inbox import file_hash, is_temporary, scan_inbox
from pipeline.ops.runlog import RunLog
from pipeline.store import transaction, utcnow


def _known(conn, path, doc_id=None):
    st = path.stat()
    doc_id = doc_id or file_hash(path)
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO documents(doc_id, path, source_format, pages, sentences, ingested_at)"
            " VALUES (?, ?, 'txt', 1, 0, ?)", (doc_id, str(path), utcnow()))
        conn.execute("INSERT OR REPLACE INTO document_paths(path, doc_id, mtime, size, seen_at) VALUES (?, ?, ?, ?, ?)",
                     (str(path), doc_id, st.st_mtime, st.st_size, utcnow()))
    return doc_id


def _age(path, seconds=60):
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_scan_sorts_new_unchanged_changed_and_waiting(tmp_path, store, settings):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    known = inbox / "known.txt"
    known.write_text("a known review\n")
    touched = inbox / "touched.txt"
    touched.write_text("same bytes, new mtime\n")
    changed = inbox / "changed.txt"
    changed.write_text("first version\n")
    for p in (known, touched, changed):
        _age(p)
        _known(store, p.resolve())
    new = inbox / "sub" / "new.pdf"
    new.write_bytes(b"%PDF-1.4 new bytes")
    changed.write_text("second version, longer\n")
    _age(new)
    _age(changed, 30)
    _age(touched, 10)
    for name in ("download.pdf.part", "x.crdownload", "~$draft.txt", ".hidden.pdf"):
        (inbox / name).write_bytes(b"partial")
    (inbox / "notes.docx").write_bytes(b"not ours")
    (inbox / ".DS_Store").write_bytes(b"finder")
    fresh = inbox / "fresh.txt"
    fresh.write_text("still being copied\n")

    scan = scan_inbox(inbox, store, settings.replace(refresh=settings.refresh.__class__(settle_seconds=5.0)))
    names = lambda paths: sorted(p.name for p in paths)  # noqa: E731
    assert names(scan.unchanged) == ["known.txt", "touched.txt"]
    assert names(scan.new) == ["changed.txt", "new.pdf"]
    assert names(scan.waiting) == [".hidden.pdf", "download.pdf.part", "fresh.txt", "x.crdownload", "~$draft.txt"]
    assert scan.failed_before == ()
    assert names(scan.unsupported) == ["notes.docx"]  # reported; .DS_Store is hidden, not a document


def test_settled_file_is_taken_on_the_next_scan(tmp_path, store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    f = inbox / "r.txt"
    f.write_text("arriving\n")
    slow = settings.replace(refresh=settings.refresh.__class__(settle_seconds=30.0))
    assert [p.name for p in scan_inbox(inbox, store, slow).waiting] == ["r.txt"]
    later = scan_inbox(inbox, store, slow, now=time.time() + 31)
    assert [p.name for p in later.new] == ["r.txt"] and later.waiting == ()


def test_bytes_that_failed_before_wait_for_new_bytes(tmp_path, store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "bad.pdf"
    bad.write_bytes(b"<html>not a pdf</html>")
    _age(bad)
    with transaction(store):
        store.execute("INSERT INTO failures(path, cause, content_hash, stage, failed_at) VALUES (?, 'not a PDF', ?, 'ingest', ?)",
                      (str(bad), hashlib.sha256(bad.read_bytes()).hexdigest(), utcnow()))
    scan = scan_inbox(inbox, store, settings)
    assert [(f.path.name, f.cause) for f in scan.failed_before] == [("bad.pdf", "not a PDF")]
    bad.write_bytes(b"%PDF-1.4 fixed")
    _age(bad)
    assert [p.name for p in scan_inbox(inbox, store, settings).new] == ["bad.pdf"]


def test_unchanged_files_are_not_read(tmp_path, store, settings, monkeypatch):
    import pipeline.ops.inbox as inbox_mod

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        f = inbox / f"r{i}.txt"
        f.write_text(f"known {i}\n")
        _age(f)
        _known(store, f.resolve())
    (inbox / "new.txt").write_text("new\n")
    _age(inbox / "new.txt")
    hashed = []
    real_hash = inbox_mod.file_hash
    monkeypatch.setattr(inbox_mod, "file_hash", lambda p: hashed.append(p.name) or real_hash(p))
    scan = scan_inbox(inbox, store, settings)
    assert len(scan.unchanged) == 3 and [p.name for p in scan.new] == ["new.txt"]
    assert hashed == ["new.txt"]


def test_temporary_names():
    patterns = ("*.part", "*.crdownload", "*.tmp", "~$*", ".*")
    assert is_temporary("Report.PDF.PART", patterns) and is_temporary("~$x.txt", patterns)
    assert not is_temporary("report.pdf", patterns)


def test_run_log_lines_are_json_with_run_stage_document_duration_outcome(tmp_path):
    path = tmp_path / "logs" / "refresh.jsonl"
    log = RunLog(path, "R1", "refresh")
    log.event("ingest", "added", "abc123", 0.5, pages=3)
    try:
        with log.stage("themes") as extra:
            extra["assigned"] = 4
            raise ValueError("boom")
    except ValueError:
        pass
    with log.stage("extract", "abc123") as extra:
        extra.update(tags=2)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(e["stage"], e["outcome"]) for e in lines] == [("ingest", "added"), ("themes", "error"), ("extract", "ok")]
    for e in lines:
        assert {"ts", "run_id", "command", "stage", "document", "duration_s", "outcome"} <= set(e)
        assert e["run_id"] == "R1"
    assert lines[0]["document"] == "abc123" and lines[0]["pages"] == 3
    assert lines[1]["error"] == "ValueError" and "boom" not in path.read_text()
    assert lines[2]["tags"] == 2 and lines[2]["duration_s"] >= 0


def test_a_failure_without_hash_counts_when_recorded_after_the_last_change(tmp_path, store, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    empty = inbox / "empty.pdf"
    empty.write_bytes(b"")
    _age(empty, 120)
    with transaction(store):
        store.execute("INSERT INTO failures(path, cause, stage, failed_at) VALUES (?, 'empty file', 'ingest', ?)",
                      (str(empty.resolve()), utcnow()))
    assert [(f.path.name, f.cause) for f in scan_inbox(inbox, store, settings).failed_before] == [
        ("empty.pdf", "empty file")]
    empty.write_bytes(b"%PDF-1.4 now with bytes")  # changed after the failure: try again
    assert [p.name for p in scan_inbox(inbox, store, settings, now=time.time() + 5).new] == ["empty.pdf"]
