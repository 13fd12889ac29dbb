"""The refresh lock: an fcntl lock on `<store>.lock` beside the store.

Only one writer pipeline (`scr refresh` or `scr run`) works on a store at a time. The lock is an
operating-system lock (flock), so it dies with the process that holds it: a refresh killed with
kill -9 never blocks the next one. The file itself stays; it holds the pid and start time of the
latest holder, for the message a second refresh prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
from pathlib import Path
from typing import Iterator

from pipeline.errors import StoreLocked


def lock_path_for(store_path: str | os.PathLike) -> Path:
    store = Path(store_path)
    return store.with_name(store.name + ".lock")


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return text.splitlines()[0] if text else ""


@contextlib.contextmanager
def refresh_lock(store_path: str | os.PathLike) -> Iterator[Path]:
    """Hold the lock beside the store for the duration of the block; raise StoreLocked at once if held."""
    path = lock_path_for(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = _holder(fd)
            raise StoreLocked(
                f"another refresh holds the lock {path}" + (f" ({holder})" if holder else "") + "; try again later"
            ) from None
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {started}\n".encode(), 0)
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
