"""While a refresh writes: a reader never sees 'database is locked' or half a document; a second
refresh exits 75 at once; files still being written wait for the next run; `scr run` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from pipeline.store import connect
from tests.helpers.ops import REPO, fingerprint, make_inbox, run_scr, scr_command, write_config


def test_reader_sees_consistent_data_and_second_refresh_exits_75_while_one_writes(tmp_path):
    make_inbox(tmp_path / "inbox", 12, seed=40, bad=False)
    config = write_config(tmp_path)
    out = tmp_path / "reader.json"
    connect(tmp_path / "scr.db").close()  # an existing (empty) store, as researchers query between refreshes
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("SCR_TEST_KILL_AFTER", None)
    reader = subprocess.Popen([sys.executable, "-m", "tests.helpers.ops", "reader", str(tmp_path / "scr.db"), str(out), "300"],
                              cwd=REPO, env=env)
    writer = subprocess.Popen(scr_command(config, "refresh", "--json"), cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock = tmp_path / "scr.db.lock"
        deadline = time.time() + 120
        while not (lock.exists() and '"pid"' in lock.read_text()) and time.time() < deadline:
            time.sleep(0.05)  # the writer holds the lock once it wrote its pid there
        second = run_scr(config, "refresh")
        stdout, stderr = writer.communicate(timeout=300)
    finally:
        (tmp_path / "reader.json.stop").write_text("")
        reader.wait(timeout=60)
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, stderr
    assert json.loads(stdout)["added"] == 12
    assert second.returncode == 75 and f"`scr refresh` (pid {writer.pid}, since" in second.stderr
    seen = json.loads(out.read_text())
    assert seen["errors"] == [] and seen["half"] == []
    assert seen["reads"] > 20
    assert len(seen["documents_seen"]) >= 3, seen["documents_seen"]  # it really read while documents arrived


def test_files_still_being_written_wait_for_the_next_run(tmp_path):
    make_inbox(tmp_path / "inbox", 2, seed=60, bad=False)
    inbox = tmp_path / "inbox"
    (inbox / "download.txt.part").write_text((inbox / "review_060.txt").read_text() + "More text.\n")
    fresh = inbox / "copying.txt"
    fresh.write_text((inbox / "review_061.txt").read_text() + "Still copying.\n")
    config = write_config(tmp_path, settle_seconds=30)
    first = run_scr(config, "refresh", "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["added"] == 2
    assert sorted(os.path.basename(p) for p in data["waiting"]) == ["copying.txt", "download.txt.part"]
    (inbox / "download.txt.part").rename(inbox / "download.txt")
    past = time.time() - 60
    for p in (inbox / "download.txt", fresh):
        os.utime(p, (past, past))
    second = json.loads(run_scr(config, "refresh", "--json").stdout)
    assert (second["added"], second["skipped"], second["waiting"]) == (2, 2, [])
    log = [json.loads(line) for line in (tmp_path / "logs" / "refresh.jsonl").read_text().splitlines()]
    waiting = [e["document"] for e in log if e["outcome"] == "waiting"]
    assert sorted(waiting) == ["copying.txt", "download.txt.part"]
    text = (tmp_path / "logs" / "refresh.jsonl").read_text()
    assert "domestic abuse" not in text and "health visitor" not in text  # never review text


def test_scr_run_prints_the_summary_table_and_skips_what_it_has(tmp_path):
    make_inbox(tmp_path / "batch", 3, seed=80)
    config = write_config(tmp_path)
    first = run_scr(config, "run", str(tmp_path / "batch"))
    assert first.returncode == 1, first.stderr  # broken.pdf is reported, recorded and skipped
    for row in ("documents added", "documents skipped", "documents failed", "sentences", "tags", "themes touched"):
        assert row in first.stdout
    assert "broken.pdf" in first.stderr and "Traceback" not in first.stderr
    second = json.loads(run_scr(config, "run", str(tmp_path / "batch"), "--json").stdout)
    assert (second["added"], second["skipped"]) == (0, 3)
    fp = fingerprint(tmp_path / "scr.db")
    assert len(fp["documents"]) == 3 and fp["duplicate_sentences"] == 0 and fp["tags"]
    missing = run_scr(config, "run", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
