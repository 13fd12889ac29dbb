"""What `scr refresh` and `scr run` tell the user: files that failed before (named, with the earlier
cause), files of unsupported type, replaced and alias files as rows of their own, and the work of a run
killed with kill -9 (status says 'interrupted'; the next refresh names it and what it had stored)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time

from typer.testing import CliRunner

from pipeline.cli.main import app
from tests.helpers.ops import make_inbox, review_text, run_scr, write_config


def scr(config, *args):
    return CliRunner().invoke(app, ["--config", str(config), *args])


def _rows(stdout: str) -> dict[str, int]:
    """The summary table's rows: {'documents added': 1, 'of which replaced': 1, ...}."""
    rows = {}
    for line in stdout.splitlines():
        name, _, value = line.strip().rpartition(" ")
        if line.startswith("  ") and value.isdigit():
            rows[name.strip()] = int(value)
    return rows


def _age(*paths, seconds=60):
    past = time.time() - seconds
    for p in paths:
        os.utime(p, (past, past))


def test_a_file_that_failed_before_is_named_with_its_cause_on_every_refresh(tmp_path):
    inbox = tmp_path / "inbox"
    make_inbox(inbox, 2, seed=20)  # and broken.pdf, zero bytes
    (inbox / "page.pdf").write_text("<html><body>Not found</body></html>")
    _age(inbox / "page.pdf")
    config = write_config(tmp_path)
    first = scr(config, "refresh", "--json")
    assert first.exit_code == 1 and json.loads(first.stdout)["failed"] == 2
    shutil.copy(inbox / "page.pdf", inbox / "page copy.pdf")  # the same bad bytes under a new name
    _age(inbox / "page copy.pdf")

    second = scr(config, "refresh")
    assert second.exit_code == 0, second.output  # reported, not an error again every night
    rows = _rows(second.stdout)
    assert (rows["documents skipped"], rows["failed before"], rows["documents failed"]) == (2, 3, 0)
    assert f"failed before: {inbox / 'broken.pdf'}: empty file; not tried again until the file changes" in second.stderr
    assert f"failed before: {inbox / 'page copy.pdf'}: not a PDF;" in second.stderr

    third = json.loads(scr(config, "refresh", "--json").stdout)
    assert third["skipped"] == 2 and third["exit_code"] == 0
    assert sorted((os.path.basename(f["path"]), f["cause"]) for f in third["failed_before"]) == [
        ("broken.pdf", "empty file"), ("page copy.pdf", "not a PDF"), ("page.pdf", "not a PDF")]
    conn = sqlite3.connect(tmp_path / "scr.db")
    counts = json.loads(conn.execute("SELECT counts_json FROM runs WHERE run_id = ?", (third["run_id"],)).fetchone()[0])
    conn.close()
    assert counts["failed_before"] == 3


def test_replaced_and_alias_files_get_rows_of_their_own(tmp_path):
    inbox = tmp_path / "inbox"
    a, b = make_inbox(inbox, 2, seed=30, bad=False)
    config = write_config(tmp_path)
    assert scr(config, "refresh").exit_code == 0
    a.write_text(review_text(99), encoding="utf-8")  # changed bytes at a known path
    shutil.copy(b, inbox / "copy of b.txt")  # known bytes under a new name
    _age(a, inbox / "copy of b.txt")
    result = scr(config, "refresh")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert rows["documents added"] == 1 and rows["of which replaced"] == 1
    assert rows["documents skipped"] == 1 and rows["aliases"] == 1
    assert "failed before" not in rows and "unsupported files" not in rows  # rows only when non-zero


def test_unsupported_files_are_counted_in_one_line_by_refresh_and_run(tmp_path):
    inbox = tmp_path / "inbox"
    make_inbox(inbox, 1, seed=40, bad=False)
    for name in ("notes.docx", "draft.docx", "old.doc", ".DS_Store", "~$notes.docx"):
        (inbox / name).write_bytes(b"PK\x03\x04 not ours")
    _age(*inbox.iterdir())
    config = write_config(tmp_path)
    result = scr(config, "refresh")
    assert result.exit_code == 0, result.output
    assert "ignored 3 files of unsupported type (.docx x2, .doc x1)" in result.stderr
    assert _rows(result.stdout)["unsupported files"] == 3
    data = json.loads(scr(config, "refresh", "--json").stdout)
    assert sorted(os.path.basename(p) for p in data["unsupported"]) == ["draft.docx", "notes.docx", "old.doc"]

    ran = scr(config, "run", str(inbox), "--json")
    assert ran.exit_code == 0 and len(json.loads(ran.stdout)["unsupported"]) == 3
    only = tmp_path / "only-docx"
    only.mkdir()
    (only / "review.docx").write_bytes(b"PK\x03\x04")
    refused = scr(config, "run", str(only))
    assert refused.exit_code == 2
    assert f"no PDF or .txt files found in {only}; ignored 1 file of unsupported type (.docx x1)\n" in refused.stderr


def test_a_refresh_killed_mid_ingest_shows_as_interrupted_and_the_next_names_what_it_stored(tmp_path):
    make_inbox(tmp_path / "inbox", 4, seed=50, bad=False)
    config = write_config(tmp_path)
    killed = run_scr(config, "refresh", kill_after="ingest:2")
    assert killed.returncode == -9

    status = json.loads(run_scr(config, "status", "--json").stdout)
    assert status["last_run"]["outcome"] == "interrupted" and status["busy"] is None
    assert "interrupted: rerun `scr refresh`" in run_scr(config, "status").stdout

    again = run_scr(config, "refresh", "--json")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["added"] == 2  # the other two came in with the killed run
    [dead] = data["interrupted"]
    assert (dead["command"], dead["added"], dead["failed"]) == ("refresh", 2, 0)
    conn = sqlite3.connect(tmp_path / "scr.db")
    outcome, counts = conn.execute("SELECT outcome, counts_json FROM runs WHERE run_id = ?", (dead["run_id"],)).fetchone()
    conn.close()
    assert outcome == "interrupted" and json.loads(counts)["added"] == 2
