"""Crash safety: `scr refresh` killed with SIGKILL at several points, then run again, ends in the state of
an uninterrupted run (documents, sentence counts, tags, theme memberships; no duplicates, no half
document). Also timed kills at arbitrary moments, and a real-model run killed mid-way (slow)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.ops import REPO, fingerprint, half_documents, make_inbox, run_scr, scr_command, write_config

N_DOCS = 5
KILL_POINTS = ("start:0", "ingest:2", "extract:2", "themes:0", "themes:1", "finish:0")


def _setup(folder: Path) -> Path:
    make_inbox(folder / "inbox", N_DOCS, seed=3)
    return write_config(folder)


def _clean_run(folder: Path) -> dict:
    config = _setup(folder)
    done = run_scr(config, "refresh", "--json")
    assert done.returncode == 1, done.stderr  # broken.pdf failed and was recorded; the rest went through
    summary = json.loads(done.stdout)
    assert summary["added"] == N_DOCS and summary["failed"] == 1 and summary["tags"] > 0
    fp = fingerprint(folder / "scr.db")
    assert fp["members"], "the test inbox must produce theme members, or the comparison proves little"
    return fp


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The state an uninterrupted refresh of the same inbox reaches, for the tagger version at hand (made
    again when the rule files changed since, as they may while the project is being worked on)."""
    first = _clean_run(tmp_path_factory.mktemp("clean"))
    made = {tuple(first["tagger_versions"]): first}

    def reference(versions: list[str]) -> dict:
        assert len(versions) == 1, f"the rule files changed while this test ran ({versions}): run it again"
        if tuple(versions) not in made:
            fp = _clean_run(tmp_path_factory.mktemp("clean"))
            made[tuple(fp["tagger_versions"])] = fp
            assert fp["tagger_versions"] == versions, "the rule files changed while this test ran: run it again"
        return made[tuple(versions)]

    return reference


def _assert_same(db: Path, clean) -> None:
    fp = fingerprint(db)
    assert fp["duplicate_sentences"] == 0
    expected = clean(fp["tagger_versions"])
    for key in ("documents", "sentence_counts", "tags", "tagging", "members", "themes", "failures", "paths"):
        assert fp[key] == expected[key], key


def test_killed_at_every_point_in_turn_then_rerun_equals_a_clean_run(tmp_path, clean):
    """Each refresh is killed at the next point and the following one recovers from it: start, after the
    2nd ingested document, after the 2nd tagged document, before and after the theme update, before the
    run is closed. Then one more refresh finishes, and a last one finds nothing to do."""
    config = _setup(tmp_path)
    db = tmp_path / "scr.db"
    for point in KILL_POINTS:
        killed = run_scr(config, "refresh", kill_after=point)
        assert killed.returncode == -signal.SIGKILL, f"kill point {point} never reached: {killed.stderr[-500:]}"
        assert half_documents(db) == [], point
        assert fingerprint(db)["duplicate_sentences"] == 0, point
    rerun = run_scr(config, "refresh", "--json")
    assert rerun.returncode in (0, 1), rerun.stderr
    _assert_same(db, clean)
    again = run_scr(config, "refresh", "--json")  # and now there is nothing left to do
    assert again.returncode == 0 and json.loads(again.stdout)["added"] == 0
    _assert_same(db, clean)
    status = json.loads(run_scr(config, "status", "--json").stdout)
    assert status["last_refresh"]["outcome"] == "ok"
    outcomes = [json.loads(line)["outcome"] for line in (tmp_path / "logs" / "refresh.jsonl").read_text().splitlines()
                if json.loads(line)["stage"] == "run" and json.loads(line)["outcome"] != "started"]
    assert outcomes[-2:] in (["failures", "ok"], ["ok", "ok"])


def _count(db: Path, sql: str) -> int:
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kills_at_unplanned_moments_then_rerun_equal_a_clean_run(tmp_path, clean):
    """kill -9 from outside (the whole process group, as systemd does) at moments no hook chose: a little
    after the first document lands, after tagging began, after the theme stage began embedding."""
    config = _setup(tmp_path)
    db = tmp_path / "scr.db"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("SCR_TEST_KILL_AFTER", None)
    triggers = (("SELECT COUNT(*) FROM documents", 0.15), ("SELECT COUNT(*) FROM sentence_tagging", 0.05),
                ("SELECT COUNT(*) FROM embeddings", 0.0))
    kills = 0
    for sql, delay in triggers:
        before = _count(db, sql)
        proc = subprocess.Popen(scr_command(config, "refresh"), cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 300
        while proc.poll() is None and time.time() < deadline and _count(db, sql) <= before:
            time.sleep(0.02)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        assert half_documents(db) == []
    assert kills >= 2
    rerun = run_scr(config, "refresh")
    assert rerun.returncode in (0, 1), rerun.stderr
    _assert_same(db, clean)


@pytest.mark.slow
def test_real_scr_refresh_killed_mid_extract_then_rerun_equals_a_clean_run(tmp_path):
    """`scr` with the project's own settings: the real embedding model and the trained tagger when present."""
    clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
    fps = []
    for folder, point in ((clean_dir, None), (killed_dir, "extract:2")):
        folder.mkdir()
        make_inbox(folder / "inbox", 4, seed=11, bad=False)
        config = write_config(folder, real_model=True)
        done = run_scr(config, "refresh", kill_after=point, timeout=600)
        if point:
            assert done.returncode == -signal.SIGKILL, done.stderr[-500:]
            done = run_scr(config, "refresh", timeout=600)
        assert done.returncode == 0, done.stderr[-500:]
        fps.append(fingerprint(folder / "scr.db"))
    for key in ("documents", "sentence_counts", "tags", "tagging", "members", "themes", "paths", "embeddings"):
        assert fps[0][key] == fps[1][key], key
    assert fps[1]["duplicate_sentences"] == 0 and fps[0]["embeddings"] > 0
