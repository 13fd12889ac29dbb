"""The store lock: an fcntl lock on `<store>.lock` beside the store.

Every command that writes the store (`scr refresh`, `scr run`, `scr ingest`, `scr extract`, `scr cluster`,
`scr brief --batch` when it has new files to process) holds it while it writes, so only one writer works
on a store at a time; read-only commands never take it. It is an operating-system lock (flock), so it
dies with the process that holds it: a writer killed with kill -9 never blocks the next one. The file
itself stays; it holds one JSON line naming the latest holder (command, pid, start time), for the message
a refused writer prints and for `scr status`, which asks whether the lock is held (`lock_holder`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.errors import StoreLocked

_BUSY = (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)
_RETRIES = 5
"""A refused writer tries again a few times, 20 ms apart: `scr status` holds a shared lock for a moment
when it checks whether the store is busy, and must never make a nightly refresh exit 75."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) the lock, as written in the lock file."""

    command: str
    pid: int | None = None
    since: str = ""
    """ISO 8601 time in UTC when the holder took the lock."""

    def started(self) -> dt.datetime | None:
        try:
            moment = dt.datetime.fromisoformat(self.since)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)

    def describe(self) -> str:
        """'`scr run` (pid 1234, since 18:47)': the start in local time, with the date unless it is today."""
        facts = [f"pid {self.pid}"] if self.pid else []
        started = self.started()
        if started is not None:
            local = started.astimezone()
            shown = local.strftime("%H:%M") if local.date() == dt.date.today() else local.strftime("%Y-%m-%d %H:%M")
            facts.append(f"since {shown}")
        return f"`scr {self.command}`" + (f" ({', '.join(facts)})" if facts else "")

    def to_dict(self) -> dict:
        return {"command": self.command, "pid": self.pid, "since": self.since}


def lock_path_for(store_path: str | os.PathLike) -> Path:
    store = Path(store_path)
    return store.with_name(store.name + ".lock")


def busy_message(holder: LockHolder | None, path: Path) -> str:
    who = holder.describe() if holder is not None else "another scr command"
    return f"the store is busy: {who} holds its lock {path}; try again when it ends"


def _parse(text: str) -> LockHolder | None:
    line = text.strip().splitlines()[0] if text.strip() else ""
    if not line:
        return None
    try:
        data = json.loads(line)
        return LockHolder(str(data.get("command") or "?"), data.get("pid"), str(data.get("since") or ""))
    except (ValueError, AttributeError):
        pass
    old = re.match(r"pid (\d+) since (\S+)", line)  # the format before the command was recorded
    return LockHolder("refresh", int(old.group(1)), old.group(2)) if old else None


def _read_holder(fd: int) -> LockHolder | None:
    try:
        return _parse(os.pread(fd, 1000, 0).decode("utf-8", "replace"))
    except OSError:
        return None


def _try(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in _BUSY:
            raise
        return False
    return True


@contextlib.contextmanager
def refresh_lock(store_path: str | os.PathLike, command: str = "refresh") -> Iterator[Path]:
    """Hold the lock beside the store for the block, recording `command` (as in `scr COMMAND`), this pid
    and the time as its holder; raise StoreLocked at once, naming the holder, when another process holds it."""
    path = lock_path_for(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        for attempt in range(_RETRIES):
            if _try(fd, fcntl.LOCK_EX):
                break
            if attempt < _RETRIES - 1:
                time.sleep(0.02)
        else:
            raise StoreLocked(busy_message(_read_holder(fd), path)) from None
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        line = json.dumps({"command": command, "pid": os.getpid(), "since": started}) + "\n"
        data = line.encode("utf-8")
        os.pwrite(fd, data, 0)  # written before truncating: a reader never finds the file empty
        os.ftruncate(fd, len(data))
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(store_path: str | os.PathLike) -> LockHolder | None:
    """Who holds the lock now, or None when it is free (or there is no lock file). Never creates the file;
    probes with a shared lock held for a moment (a writer refused meanwhile tries again, see _RETRIES)."""
    path = lock_path_for(store_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if _try(fd, fcntl.LOCK_SH):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        return _read_holder(fd) or LockHolder("?")
    finally:
        os.close(fd)
