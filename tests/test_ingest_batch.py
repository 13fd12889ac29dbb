"""Batch ingestion: bad inputs fail one by one while the rest lands; identity by content hash."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from pipeline.ingest.batch import ingest_paths
from tests.helpers.ingest import make_bad_inputs, make_review_pdf, make_text_pdf


def _with(settings, **changes):
    return settings.replace(ingest=dataclasses.replace(settings.ingest, **changes))


def test_each_bad_input_gets_its_cause_and_the_batch_goes_on(tmp_path, settings, store):
    cases = make_bad_inputs(tmp_path / "in")
    make_review_pdf(tmp_path / "in" / "good.pdf")
    report = ingest_paths([tmp_path / "in"], store, settings, workers=2)
    assert len(report.added) == 1 and report.pages == 5
    got = {Path(f.path).name: f.cause for f in report.failed}
    assert got == cases
    rows = {Path(r["path"]).name: r["cause"] for r in store.execute("SELECT path, cause FROM failures")}
    assert rows == cases
    assert store.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1


def test_page_limit_and_time_limit(tmp_path, settings, store):
    make_review_pdf(tmp_path / "long.pdf")
    report = ingest_paths([tmp_path / "long.pdf"], store, _with(settings, max_pages=3), workers=1)
    assert [f.cause for f in report.failed] == ["too many pages"]
    # A 40-page review takes about a second to read, a one-line text a few milliseconds: with a 0.3 s
    # limit the review's worker is stopped and replaced, and the text after it on the same slot lands.
    from tests.helpers.scr_pdf import make_scr_pdf

    make_scr_pdf(tmp_path / "slow.pdf", seed=5, pages_target=40)
    (tmp_path / "ok.txt").write_text("The review found that agencies did not share what they knew about the "
                                     "family.\n", encoding="utf-8")
    report = ingest_paths([tmp_path / "slow.pdf", tmp_path / "ok.txt"], store, _with(settings, timeout_s=0.3),
                          workers=1)
    assert {Path(f.path).name: f.cause for f in report.failed} == {"slow.pdf": "timed out"}
    assert len(report.added) == 1
    assert store.execute("SELECT cause FROM failures WHERE path LIKE '%slow.pdf'").fetchone()[0] == "timed out"
    # With a sane limit the same review is read.
    report = ingest_paths([tmp_path / "slow.pdf"], store, settings, workers=1)
    assert len(report.added) == 1 and not report.failed


def test_same_bytes_skip_alias_and_new_version(tmp_path, settings, store):
    path = tmp_path / "review.pdf"
    make_review_pdf(path)
    first = ingest_paths([path], store, settings, workers=1)
    assert len(first.added) == 1
    again = ingest_paths([path], store, settings, workers=1)
    assert again.skipped == (str(path),) and not again.added
    copy = tmp_path / "copy of review.pdf"
    shutil.copy(path, copy)
    alias = ingest_paths([copy], store, settings, workers=1)
    assert alias.aliases == (str(copy),)
    assert store.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert store.execute("SELECT COUNT(*) FROM document_paths").fetchone()[0] == 2

    other = tmp_path / "other.pdf"
    make_text_pdf(other, [["The review considered the period from January 2017 to March 2018 in detail."]])
    shutil.copy(other, path)  # changed bytes at a known path
    new = ingest_paths([path], store, settings, workers=1)
    assert len(new.replaced) == 1
    old_id = first.added[0]
    # the old bytes are still known at the copy's path, so the old document stays for it
    assert store.execute("SELECT COUNT(*) FROM documents WHERE doc_id = ?", (old_id,)).fetchone()[0] == 1
    version = store.execute("SELECT old_doc_id, new_doc_id FROM document_versions").fetchone()
    assert (version[0], version[1]) == (old_id, new.replaced[0])

    copy.unlink()
    shutil.copy(other, copy)
    ingest_paths([copy], store, settings, workers=1)  # the copy changes too: nothing holds the old bytes
    assert store.execute("SELECT COUNT(*) FROM documents WHERE doc_id = ?", (old_id,)).fetchone()[0] == 0
    assert store.execute("SELECT COUNT(*) FROM sentences WHERE doc_id = ?", (old_id,)).fetchone()[0] == 0


def test_cli_reports_failures_and_exits_1(tmp_path, settings):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    make_review_pdf(folder / "good.pdf")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", str(folder), "--json", "--workers", "1"])
    assert result.exit_code == 1
    assert f"{folder / 'empty.pdf'}: empty file" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(data["added"]) == 1 and data["pages"] == 5 and data["pages_per_second"] > 0
    again = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", str(folder / "good.pdf")])
    assert again.exit_code == 0 and "skipped (already stored)" in again.stdout


def test_cli_progress_says_how_many_files_failed(tmp_path):
    """The progress lines count failures apart: "ingested 1/1" for a file that failed misled users."""
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    (tmp_path / "empty.pdf").write_bytes(b"")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", str(tmp_path / "empty.pdf"),
                                      "--workers", "1"])
    assert result.exit_code == 1
    assert "processed 1/1 files: 0 ok, 1 failed" in result.stderr and "ingested 1/1" not in result.stderr
    assert "added 0, replaced 0, aliases 0, skipped 0, failed 1;" in result.stdout


def test_messages_name_the_cause_plainly(tmp_path, settings, store):
    """A copy of a file that failed names that file and its cause; a missing path is 'no such file'; a
    named file of another type says which type and what scr reads, without nested brackets."""
    cases = make_bad_inputs(tmp_path / "in")
    shutil.copy(tmp_path / "in" / "truncated.pdf", tmp_path / "in" / "truncated again.pdf")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 an Office file")
    report = ingest_paths([tmp_path / "in" / "truncated.pdf", tmp_path / "in" / "truncated again.pdf",
                           tmp_path / "nope.pdf", tmp_path / "notes.docx"], store, settings, workers=1)
    got = {Path(f.path).name: (f.cause, f.detail) for f in report.failed}
    assert got["truncated again.pdf"] == (
        cases["truncated.pdf"], f"same bytes as {tmp_path / 'in' / 'truncated.pdf'}, which failed in this batch")
    assert got["nope.pdf"] == ("no such file", "")
    assert got["notes.docx"] == ("unsupported file type .docx", "scr reads PDF and .txt")


def test_cli_names_folders_without_documents_and_ignored_types(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    runner = CliRunner()
    db = ["--db", str(tmp_path / "s.db")]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, [*db, "ingest", str(empty)])
    assert result.exit_code == 2 and result.stderr == f"error: no PDF or .txt files found in {empty}\n"
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.docx", "b.docx", "c.doc", ".hidden.docx"):
        (docs / name).write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, [*db, "ingest", str(docs)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: no PDF or .txt files found in {docs}; "
                             "ignored 3 files of unsupported type (.docx x2, .doc x1)\n")
    make_review_pdf(docs / "good.pdf")
    result = runner.invoke(app, [*db, "ingest", str(docs), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert "ignored 3 files of unsupported type (.docx x2, .doc x1)" in result.stderr
    assert len(json.loads(result.stdout)["unsupported"]) == 3
    result = runner.invoke(app, [*db, "ingest", str(docs), "--workers", "-3"])
    assert result.exit_code == 2 and result.stderr == "error: --workers: must be 0 (one per core) or more, found -3\n"
