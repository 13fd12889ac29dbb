"""Every command that writes the store takes its lock and, while another holds it, exits 75 at once with
one line naming the holder (command, pid, start); read-only commands never take it; `scr run --json` and
`scr refresh --json` still print one JSON object when refused."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.errors import StoreLocked
from pipeline.ops.lock import lock_holder, lock_path_for, refresh_lock
from pipeline.store import connect
from tests.helpers.ops import make_inbox, write_config

WRITERS = {
    "ingest": lambda d: ["ingest", str(d / "inbox")],
    "extract": lambda d: ["extract"],
    "cluster": lambda d: ["cluster"],
    "brief --batch": lambda d: ["brief", "--batch", str(d / "inbox"), "-o", str(d / "b.html")],
    "run": lambda d: ["run", str(d / "inbox")],
    "refresh": lambda d: ["refresh"],
}


def _setup(tmp_path):
    make_inbox(tmp_path / "inbox", 1, seed=5, bad=False)
    connect(tmp_path / "scr.db").close()
    return write_config(tmp_path)


def _rows(db, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("command", list(WRITERS))
def test_each_store_writer_exits_75_naming_the_holder_and_writes_nothing(tmp_path, command):
    config = _setup(tmp_path)
    with refresh_lock(tmp_path / "scr.db", "run"):
        started = time.perf_counter()
        result = CliRunner().invoke(app, ["--config", str(config), *WRITERS[command](tmp_path)])
        took = time.perf_counter() - started
    assert result.exit_code == 75, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"error: the store is busy: `scr run` (pid {os.getpid()}, since ")
    assert "try again when it ends" in lines[0]
    assert took < 5  # refused before any model loads
    assert _rows(tmp_path / "scr.db", "runs") == 0 and _rows(tmp_path / "scr.db", "documents") == 0


@pytest.mark.parametrize("command", ["refresh", "run"])
def test_a_refused_run_or_refresh_still_prints_one_json_object(tmp_path, command):
    config = _setup(tmp_path)
    with refresh_lock(tmp_path / "scr.db", "ingest"):
        result = CliRunner().invoke(app, ["--config", str(config), *WRITERS[command](tmp_path), "--json"])
    assert result.exit_code == 75
    data = json.loads(result.stdout)
    assert data["exit_code"] == 75 and data["command"] == command
    assert data["error"].startswith("the store is busy: `scr ingest` (pid ")


def test_read_only_commands_work_while_a_writer_holds_the_lock(tmp_path):
    config = _setup(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(config), "run", str(tmp_path / "inbox")]).exit_code == 0
    with refresh_lock(tmp_path / "scr.db", "refresh"):
        for args in (["status", "--json"], ["themes", "--json"], ["query", "abuse", "--mode", "keyword", "--json"]):
            result = runner.invoke(app, ["--config", str(config), *args])
            assert result.exit_code == 0, (args, result.output)
        status = json.loads(runner.invoke(app, ["--config", str(config), "status", "--json"]).stdout)
    assert status["busy"]["command"] == "refresh" and status["busy"]["pid"] == os.getpid()


def test_the_lock_file_names_its_holder_and_lock_holder_reads_it(tmp_path):
    store = tmp_path / "scr.db"
    assert lock_holder(store) is None and not lock_path_for(store).exists()  # never creates the file
    with refresh_lock(store, "cluster"):
        recorded = json.loads(lock_path_for(store).read_text())
        assert recorded["command"] == "cluster" and recorded["pid"] == os.getpid() and recorded["since"]
        holder = lock_holder(store)
        assert (holder.command, holder.pid) == ("cluster", os.getpid())
        with pytest.raises(StoreLocked, match=r"`scr cluster` \(pid \d+, since \d\d:\d\d\)"):
            with refresh_lock(store, "ingest"):
                pass
    assert lock_holder(store) is None
    with refresh_lock(store, "ingest"):  # the next holder replaces the record, no stale bytes left over
        assert json.loads(lock_path_for(store).read_text())["command"] == "ingest"


def test_a_status_probe_never_makes_a_writer_exit_75(tmp_path):
    """`scr status` holds a shared lock for a moment to see whether a writer runs; a writer that meets
    it tries again instead of refusing."""
    store = tmp_path / "scr.db"
    with refresh_lock(store):
        pass
    fd = os.open(lock_path_for(store), os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    release = threading.Timer(0.03, lambda: (fcntl.flock(fd, fcntl.LOCK_UN), os.close(fd)))
    release.start()
    try:
        with refresh_lock(store, "refresh"):
            pass
    finally:
        release.join()
