"""The refresh lock: held means StoreLocked at once; a killed holder never blocks; the crash hook kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.errors import EXIT_LOCKED, StoreLocked
from pipeline.ops.lock import lock_path_for, refresh_lock

HOLD = (
    "import sys, time\n"
    "from pipeline.ops.lock import refresh_lock\n"
    "with refresh_lock(sys.argv[1]):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(60)\n"
)


def test_lock_file_sits_beside_the_store(tmp_path):
    assert lock_path_for(tmp_path / "scr.db") == tmp_path / "scr.db.lock"


def test_second_holder_is_refused_at_once_and_the_lock_frees_after_the_block(tmp_path):
    store = tmp_path / "scr.db"
    with refresh_lock(store):
        started = time.perf_counter()
        with pytest.raises(StoreLocked) as info:
            with refresh_lock(store):
                pass
        assert time.perf_counter() - started < 0.5
        assert info.value.exit_code == EXIT_LOCKED
        assert f"pid {os.getpid()}" in str(info.value)
        assert "\n" not in str(info.value)
    with refresh_lock(store):  # free again
        pass


def test_a_lock_held_by_a_killed_process_never_blocks(tmp_path):
    store = tmp_path / "scr.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True,
                              cwd=os.getcwd())
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked, match=f"pid {holder.pid}"):
            with refresh_lock(store):
                pass
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        with refresh_lock(store):
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert lock_path_for(store).exists()  # the file stays; only the OS lock mattered


def test_crash_point_kills_only_at_its_stage_and_count(tmp_path):
    code = (
        "from pipeline.ops.crashpoint import crash_point\n"
        "crash_point('extract', 5); crash_point('ingest', 1); print('one', flush=True)\n"
        "crash_point('ingest', 2); print('two', flush=True)\n"
    )
    env = dict(os.environ, SCR_TEST_KILL_AFTER="ingest:2")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.split() == ["one"]
    env.pop("SCR_TEST_KILL_AFTER")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.split() == ["one", "two"]
