"""Batch ingestion: discover files, read them in a pool of worker processes (forked on Linux from a
parent that has loaded the reader once, reused across documents), store each in one transaction.
A worker past `settings.ingest.timeout_s` is killed (the file fails as "timed out") and replaced; a bad file is recorded in `failures` and the batch goes on.

Identity is the content hash: bytes already stored are not parsed again (skipped, or an alias when
seen at a new path); the same bytes twice in one batch are read once.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Sequence

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ingest.reader import SUFFIXES, read_bytes, unsupported_type
from pipeline.records import document_id
from pipeline.store.documents import add_alias, document_exists, record_failure, save_document


@dataclass(frozen=True)
class Failure:
    path: str
    cause: str
    detail: str = ""


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Paths recorded as another name for bytes already stored."""
    skipped: tuple[str, ...] = ()
    """Paths whose bytes were already stored under that path."""
    failed: tuple[Failure, ...] = ()
    pages: int = 0
    sentences: int = 0
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """Documents this batch wrote (added or new versions)."""
        return self.added + self.replaced

    def to_dict(self) -> dict:
        return {
            "added": list(self.added), "replaced": list(self.replaced), "aliases": list(self.aliases),
            "skipped": list(self.skipped),
            "failed": [{"path": f.path, "cause": f.cause, "detail": f.detail} for f in self.failed],
            "pages": self.pages, "sentences": self.sentences, "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 1),
        }


@dataclass(frozen=True)
class Inputs:
    """What `find_inputs` found: the files to read, and the files of other types it left out."""

    files: tuple[Path, ...]
    unsupported: tuple[Path, ...] = ()
    """Visible files under the folders given whose type scr does not read (a .docx...)."""


def find_inputs(paths: Sequence[Path]) -> Inputs:
    """Files named, plus *.pdf and *.txt under folders (recursively), sorted, without duplicates; and the
    other visible files under those folders (hidden and ~$ lock files aside), to be reported, not read."""
    found: list[Path] = []
    unsupported: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file():
                    continue
                if f.suffix.lower() in SUFFIXES:
                    found.append(f)
                elif not any(part.startswith((".", "~$")) for part in f.relative_to(p).parts):
                    unsupported.append(f)
        else:
            found.append(p)
    return Inputs(_unique(found), _unique(unsupported))


def _unique(paths: list[Path]) -> tuple[Path, ...]:
    seen, out = set(), []
    for f in paths:
        key = str(f.resolve()) if f.exists() else str(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return tuple(out)


def discover(paths: Sequence[Path]) -> list[Path]:
    """Files named, plus *.pdf and *.txt under folders (recursively), sorted, without duplicates."""
    return list(find_inputs(paths).files)


def unsupported_line(paths: Sequence[Path]) -> str:
    """'ignored 3 files of unsupported type (.docx x2, .doc x1)': one line for files scr does not read."""
    counts: dict[str, int] = {}
    for p in paths:
        kind = Path(p).suffix.lower() or "no extension"
        counts[kind] = counts.get(kind, 0) + 1
    kinds = ", ".join(f"{k} x{n}" for k, n in sorted(counts.items(), key=lambda kn: (-kn[1], kn[0])))
    n = len(paths)
    return f"ignored {n} file{'' if n == 1 else 's'} of unsupported type ({kinds})"


def _worker(conn, settings: Settings) -> None:
    from pipeline.ingest.reader import read_document

    while True:
        task = conn.recv()
        if task is None:
            return
        path = Path(task)
        try:
            conn.send(("ok", read_document(path, settings)))
        except InputError as exc:
            conn.send(("err", exc.cause, exc.detail))
        except Exception as exc:  # a file the parsers choke on is a bad file, not a crash of the batch
            cause = "truncated or corrupt PDF" if path.suffix.lower() == ".pdf" else "unreadable file"
            conn.send(("err", cause, f"{type(exc).__name__}: {str(exc)[:160]}"))


@dataclass
class _Slot:
    process: mp.Process
    conn: object
    task: tuple[Path, str] | None = None
    started: float = 0.0


@dataclass
class _Batch:
    conn: sqlite3.Connection
    run_id: str | None
    progress: Callable[[int], None] | None
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    pages: int = 0
    sentences: int = 0

    def tick(self) -> None:
        if self.progress is not None:
            self.progress(1)

    def fail(self, path: Path, cause: str, detail: str, digest: str | None = None) -> None:
        self.failed.append(Failure(str(path), cause, detail))
        record_failure(self.conn, str(path), cause, detail, self.run_id, content_hash=digest)
        self.tick()

    def alias(self, path: Path, doc_id: str) -> None:
        outcome = add_alias(self.conn, doc_id, str(path))
        {"skipped": self.skipped, "alias": self.aliases, "replaced": self.aliases}[outcome].append(str(path))
        self.tick()

    def save(self, doc) -> None:
        outcome = save_document(self.conn, doc, self.run_id)
        if outcome in ("added", "replaced"):
            (self.added if outcome == "added" else self.replaced).append(doc.doc_id)
            self.pages += len(doc.pages)
            self.sentences += len(doc.sentences)
        else:
            (self.skipped if outcome == "skipped" else self.aliases).append(doc.path)
        self.tick()


def ingest_paths(paths: Sequence[Path], conn: sqlite3.Connection, settings: Settings, run_id: str | None = None,
                 progress: Callable[[int], None] | None = None, workers: int | None = None) -> IngestReport:
    """Ingest files and folders into the store; see the module docstring."""
    started = time.perf_counter()
    batch = _Batch(conn, run_id, progress)
    todo: list[tuple[Path, str]] = []
    later: list[tuple[Path, str]] = []  # same bytes as a file earlier in this batch
    queued: set[str] = set()
    for path in discover(paths):
        if not path.exists():
            batch.fail(path, "no such file", "")
            continue
        if path.suffix.lower() not in SUFFIXES:
            error = unsupported_type(path)
            batch.fail(path, error.cause, error.detail)
            continue
        try:
            digest = document_id(read_bytes(path, settings))
        except InputError as exc:
            batch.fail(path, exc.cause, exc.detail)
            continue
        if document_exists(conn, digest):
            batch.alias(path, digest)
        elif digest in queued:
            later.append((path, digest))
        else:
            queued.add(digest)
            todo.append((path, digest))
    _run_pool(todo, batch, settings, workers)
    first_of = {digest: path for path, digest in todo}
    for path, digest in later:
        if document_exists(conn, digest):
            batch.alias(path, digest)
        else:
            first = first_of[digest]
            earlier = next((f for f in batch.failed if f.path == str(first)), None)
            batch.fail(path, earlier.cause if earlier else "unreadable file",
                       f"same bytes as {first}, which failed in this batch", digest)
    return IngestReport(tuple(batch.added), tuple(batch.replaced), tuple(batch.aliases), tuple(batch.skipped),
                        tuple(batch.failed), batch.pages, batch.sentences, time.perf_counter() - started)


def _context():
    """'fork' on Linux, after loading the reader here: each worker starts in milliseconds with spaCy and
    the parsers already in memory (a 'spawn' worker spends seconds importing them). Elsewhere 'spawn'."""
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        from pipeline.ingest.reader import warm_reader

        warm_reader()
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _start(ctx, settings: Settings) -> _Slot:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_worker, args=(child, settings), daemon=True)
    process.start()
    child.close()
    return _Slot(process, parent)


def _run_pool(todo: list[tuple[Path, str]], batch: _Batch, settings: Settings, workers: int | None) -> None:
    if not todo:
        return
    n = workers or settings.ingest.workers or os.cpu_count() or 1
    ctx = _context()
    slots = [_start(ctx, settings) for _ in range(max(1, min(n, len(todo))))]
    queue = list(reversed(todo))
    timeout = settings.ingest.timeout_s
    try:
        while queue or any(s.task for s in slots):
            for slot in slots:
                if slot.task is None and queue:
                    slot.task = queue.pop()
                    slot.started = time.monotonic()
                    slot.conn.send(str(slot.task[0]))
            busy = [s for s in slots if s.task]
            now = time.monotonic()
            wait_for = max(0.01, min(s.started + timeout - now for s in busy))
            ready = wait([s.conn for s in busy], timeout=wait_for)
            for i, slot in enumerate(slots):
                if not slot.task:
                    continue
                path, digest = slot.task
                if slot.conn in ready:
                    try:
                        msg = slot.conn.recv()
                    except (EOFError, OSError):
                        msg = ("err", "truncated or corrupt PDF" if path.suffix.lower() == ".pdf" else
                               "unreadable file", "the reader process died on this file")
                        slots[i] = _replace(slot, ctx, settings)
                    slot.task = None
                    if msg[0] == "ok":
                        batch.save(msg[1])
                    else:
                        batch.fail(path, msg[1], msg[2], digest)
                elif time.monotonic() - slot.started > timeout:
                    slot.task = None
                    slots[i] = _replace(slot, ctx, settings)
                    batch.fail(path, "timed out", f"still reading after {timeout:g} s (ingest.timeout_s); stopped",
                               digest)
    finally:
        for slot in slots:
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for slot in slots:
            slot.process.join(timeout=2)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()


def _replace(slot: _Slot, ctx, settings: Settings) -> _Slot:
    slot.process.kill()
    slot.process.join()
    slot.conn.close()
    return _start(ctx, settings)
