"""Structured run log: one JSON object a line, appended to `settings.refresh.log_file`.

Each line names the run, the stage, the document (a doc id or a file name, never review text), the
duration in seconds where one applies, and the outcome. Failure lines carry the short cause
('encrypted PDF'), never the detail text. A listener (the CLI's stage lines) may watch the events.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterator

Listener = Callable[[dict], None]


class RunLog:
    """Appends JSON lines for one run; `path=None` keeps events in memory only (tests, dry calls)."""

    def __init__(self, path: Path | None, run_id: str, command: str, listener: Listener | None = None) -> None:
        self.path = Path(path) if path else None
        self.run_id = run_id
        self.command = command
        self.listener = listener
        self.events: list[dict] = []
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def event(
        self,
        stage: str,
        outcome: str,
        document: str | None = None,
        duration_s: float | None = None,
        **fields: Any,
    ) -> dict:
        record: dict[str, Any] = {
            "ts": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
            "run_id": self.run_id,
            "command": self.command,
            "stage": stage,
            "document": document,
            "duration_s": None if duration_s is None else round(duration_s, 4),
            "outcome": outcome,
        }
        record.update(fields)
        self.events.append(record)
        if self.path is not None:
            line = json.dumps(record, ensure_ascii=False, sort_keys=False, default=str) + "\n"
            # O_APPEND: lines from concurrent writers (a refresh and a `scr run`) never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
        if self.listener is not None:
            self.listener(record)
        return record

    @contextlib.contextmanager
    def stage(self, stage: str, document: str | None = None, **fields: Any) -> Iterator[dict]:
        """Time a stage; logs outcome 'ok' (plus what the block put in the yielded dict) or 'error'."""
        extra: dict[str, Any] = dict(fields)
        started = time.perf_counter()
        try:
            yield extra
        except BaseException as exc:
            self.event(stage, "error", document, time.perf_counter() - started, error=type(exc).__name__)
            raise
        outcome = extra.pop("outcome", "ok")
        self.event(stage, outcome, document, time.perf_counter() - started, **extra)
