"""One batch through every stage: ingest -> extract -> embed -> themes, recorded as a run.

`run_batch` is the heart of both `scr run PATH...` and `scr refresh`. Each stage commits one
transaction per document (ingest, extract) or one for the theme update, and the 'themes pending'
mark (pipeline.ops.state) is set before anything is written and cleared only after the themes were
updated. So a run killed at any point, then run again, ends in the same state as an uninterrupted
run: documents already ingested are skipped by their content hash, untagged sentences are tagged,
and the themes are brought up to date. The embedding model is loaded only when there is work, once,
and shared by the tagger and the theme stage.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from pipeline.config import Settings
from pipeline.errors import EXIT_INPUT_FAILED, EXIT_OK
from pipeline.ops.crashpoint import crash_point
from pipeline.ops.inbox import InboxScan
from pipeline.ops.retag import record as record_tagger_inputs
from pipeline.ops.retag import stale_doc_ids, tagger_inputs
from pipeline.ops.runlog import Listener, RunLog
from pipeline.ops.state import (InterruptedRun, clear_themes_pending, mark_themes_pending, themes_pending,
                                 untagged_doc_ids)
from pipeline.store import transaction
from pipeline.store.runs import error_cause, finish_run, start_run

Progress = Callable[[int], None]


@dataclass(frozen=True)
class FailedInput:
    path: str
    cause: str


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    added: int
    """Documents added (new bytes, including changed bytes that replaced an older version)."""
    skipped: int
    """Files not processed because the store already holds their bytes under that path (unchanged)."""
    failed: int
    sentences: int
    """Sentences of the documents added."""
    tags: int
    """Tags written by the extract stage in this run."""
    themes_touched: tuple[str, ...]
    exit_code: int
    command: str = "run"
    outcome: str = "ok"
    replaced: int = 0
    """Of `added`, documents whose changed bytes replaced an older version at the same path."""
    aliases: int = 0
    """Files whose bytes the store already holds under another path: recorded as another name, not read."""
    documents_tagged: int = 0
    retagged: int = 0
    """Of `documents_tagged`, stored documents tagged again because the tagger changed (model, frame, rules)."""
    themes_total: int = 0
    themes_rebuilt: bool = False
    themes_rebuild_reason: str | None = None
    """Why the theme stage rebuilt the themes unasked (drift, a changed coding frame or tagger), in one line."""
    failures: tuple[FailedInput, ...] = ()
    waiting: tuple[str, ...] = ()
    """Inbox files still being written, left for the next run."""
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    failed_before: tuple[FailedInput, ...] = ()
    """Inbox files whose exact bytes failed in an earlier run or ingest (with that cause): not tried again
    until they change. Reported each run; they do not make the exit code 1 again."""
    unsupported: tuple[str, ...] = ()
    """Files of a type scr does not read (a .docx...) found in the inbox or the folders given: ignored."""
    interrupted: tuple[InterruptedRun, ...] = ()
    """Runs a killed process left open, closed by this one (whose work this run finished)."""

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("themes_touched", "waiting", "unsupported"):
            data[key] = list(getattr(self, key))
        return data

    def counts(self) -> dict:
        """What the `runs` table keeps for this run."""
        return {
            "added": self.added, "skipped": self.skipped, "failed": self.failed, "replaced": self.replaced,
            "aliases": self.aliases, "sentences": self.sentences, "tags": self.tags,
            "documents_tagged": self.documents_tagged, "retagged": self.retagged,
            "themes_touched": len(self.themes_touched),
            "themes_total": self.themes_total, "themes_rebuilt": self.themes_rebuilt,
            "waiting": len(self.waiting), "failed_before": len(self.failed_before),
            "unsupported": len(self.unsupported), "seconds": round(self.seconds, 3),
        }


def _load_embedder(settings: Settings):
    from pipeline.embed import model as embed_model  # looked up at call time: heavy, and only when needed

    return embed_model.load_embedder(settings.embed)


class _Batch:
    """The mutable tallies of one run while it goes; frozen into a RunSummary at the end."""

    def __init__(self, run_id: str, command: str, log: RunLog) -> None:
        self.run_id = run_id
        self.command = command
        self.log = log
        self.added = self.replaced = self.aliases = self.skipped = self.sentences = 0
        self.tags = self.documents_tagged = self.themes_total = self.retagged = 0
        self.rebuilt = False
        self.rebuild_reason: str | None = None
        self.failures: list[FailedInput] = []
        self.failed_before: tuple[FailedInput, ...] = ()
        self.touched: tuple[str, ...] = ()
        self.waiting: tuple[str, ...] = ()
        self.unsupported: tuple[str, ...] = ()
        self.interrupted: tuple[InterruptedRun, ...] = ()
        self.stage_seconds: dict[str, float] = {}

    def summary(self, outcome: str, seconds: float) -> RunSummary:
        return RunSummary(
            run_id=self.run_id, added=self.added, skipped=self.skipped, failed=len(self.failures),
            sentences=self.sentences, tags=self.tags, themes_touched=self.touched,
            exit_code=EXIT_INPUT_FAILED if self.failures else EXIT_OK, command=self.command, outcome=outcome,
            replaced=self.replaced, aliases=self.aliases, documents_tagged=self.documents_tagged,
            retagged=self.retagged, themes_total=self.themes_total, themes_rebuilt=self.rebuilt, themes_rebuild_reason=self.rebuild_reason,
            failures=tuple(self.failures),
            waiting=self.waiting, seconds=seconds, stage_seconds=dict(self.stage_seconds),
            failed_before=self.failed_before, unsupported=self.unsupported, interrupted=self.interrupted,
        )


def _ingest(batch: _Batch, files: list[Path], conn: sqlite3.Connection, settings: Settings,
            progress: Progress | None) -> None:
    from pipeline.ingest.batch import ingest_paths

    done = 0

    def on_progress(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(n)
        crash_point("ingest", done)

    started = time.perf_counter()
    batch.log.event("ingest", "started", documents=len(files))
    with batch.log.stage("ingest", documents=len(files)) as extra:
        report = ingest_paths(files, conn, settings, run_id=batch.run_id, progress=on_progress)
        extra.update(added=len(report.added), replaced=len(report.replaced), aliases=len(report.aliases),
                     skipped=len(report.skipped), failed=len(report.failed), pages=report.pages,
                     sentences=report.sentences)
    batch.stage_seconds["ingest"] = time.perf_counter() - started
    for doc_id in report.added:
        batch.log.event("ingest", "added", doc_id)
    for doc_id in report.replaced:
        batch.log.event("ingest", "replaced", doc_id)
    for item in report.aliases:
        batch.log.event("ingest", "alias", str(item))
    for item in report.skipped:
        batch.log.event("ingest", "skipped", Path(str(item)).name if "/" in str(item) else str(item))
    for failure in report.failed:
        batch.log.event("ingest", "failed", Path(str(failure.path)).name, cause=failure.cause)
        batch.failures.append(FailedInput(str(failure.path), failure.cause))
    batch.added += len(report.added) + len(report.replaced)
    batch.replaced += len(report.replaced)
    batch.aliases += len(report.aliases)
    batch.skipped += len(report.skipped)
    batch.sentences += report.sentences


def _tagger(settings: Settings, conn: sqlite3.Connection, embedder):
    from pipeline.extract.tagger import Tagger

    # with the store's connection the tagger embeds through the cache, so the themes stage reuses the vectors
    return Tagger.from_settings(settings, embedder=embedder, conn=conn)


def _stale(batch: _Batch, conn: sqlite3.Connection, settings: Settings, embedder, inputs: str):
    """(tagger, stored documents it must tag again) when the tagger's inputs changed since the store was
    last wholly tagged; (None, []) without building the tagger when they did not (the no-op refresh)."""
    from pipeline.ops import retag

    if retag.up_to_date(conn, inputs) or not retag.any_tagged(conn):
        return None, []
    tagger = _tagger(settings, conn, embedder)
    stale = retag.stale_doc_ids(conn, tagger.version)
    if stale:
        batch.log.event("extract", "retag", documents=len(stale), tagger=tagger.version)
    return tagger, stale


def _extract(batch: _Batch, doc_ids: list[str], conn: sqlite3.Connection, settings: Settings, embedder,
             tagger=None):
    """Tags the documents one transaction each; returns the tagger used."""
    from pipeline.extract.run import extract_pending

    started = time.perf_counter()
    batch.log.event("extract", "started", documents=len(doc_ids))
    tagger = tagger or _tagger(settings, conn, embedder)
    for i, doc_id in enumerate(doc_ids, start=1):
        with batch.log.stage("extract", doc_id) as extra:
            report = extract_pending(conn, settings, tagger=tagger, doc_ids=[doc_id])
            extra.update(sentences=report.sentences_tagged, tags=report.tags,
                         learning_points=report.learning_points)
        batch.tags += report.tags
        batch.documents_tagged += 1
        crash_point("extract", i)
    batch.stage_seconds["extract"] = time.perf_counter() - started
    batch.log.event("extract", "ok", duration_s=batch.stage_seconds["extract"], documents=len(doc_ids),
                    tags=batch.tags)
    return tagger


def _themes(batch: _Batch, conn: sqlite3.Connection, settings: Settings, embedder) -> None:
    from pipeline.themes.update import update_themes

    crash_point("themes", 0)
    started = time.perf_counter()
    batch.log.event("themes", "started")
    with batch.log.stage("themes") as extra:
        report = update_themes(conn, settings, embedder, run_id=batch.run_id)
        extra.update(themes_total=report.themes_total, touched=len(report.themes_touched),
                     assigned=report.assigned, outliers=report.outliers, rebuilt=report.rebuilt)
        if report.reason:
            extra.update(reason=report.reason)
        if report.retired:
            extra.update(retired=len(report.retired))
    batch.stage_seconds["themes"] = time.perf_counter() - started
    batch.touched = tuple(report.themes_touched)
    batch.rebuilt = bool(report.rebuilt)
    batch.rebuild_reason = report.reason
    crash_point("themes", 1)


def run_batch(
    paths: Sequence[Path],
    conn: sqlite3.Connection,
    settings: Settings,
    embedder=None,
    progress: Progress | None = None,
    command: str = "run",
    *,
    scan: InboxScan | None = None,
    listener: Listener | None = None,
    interrupted: Sequence[InterruptedRun] = (),
) -> RunSummary:
    """Take `paths` (files or folders) through ingest, extract, embed and themes; record the run.

    `progress` is called with the number of documents just finished by the ingest stage. `scan` (from
    the refresh) adds the inbox's unchanged, failed-before and waiting files to the summary;
    `listener` sees every run-log event; `interrupted` are the runs the caller closed as killed (named in
    the summary). Returns the summary with the exit code of DESIGN.md (0, or 1
    when some inputs failed and were recorded). Expected input problems never raise.
    """
    started = time.perf_counter()
    with transaction(conn):
        run_id = start_run(conn, command)
    log = RunLog(settings.path(settings.refresh.log_file), run_id, command, listener)
    batch = _Batch(run_id, command, log)
    batch.interrupted = tuple(interrupted)
    log.event("run", "started", paths=len(paths))
    crash_point("start", 0)
    for run in interrupted:
        log.event("run", "interrupted", run.run_id, command_interrupted=run.command, added=run.added,
                  failed=run.failed)
    unsupported: list[Path] = []
    if scan is not None:
        batch.skipped += len(scan.unchanged)
        batch.failed_before = tuple(FailedInput(str(f.path), f.cause) for f in scan.failed_before)
        batch.waiting = tuple(str(p) for p in scan.waiting)
        unsupported += scan.unsupported
        for f in scan.failed_before:
            log.event("inbox", "failed before", f.path.name, cause=f.cause)
        for p in scan.waiting:
            log.event("inbox", "waiting", p.name)
    outcome = "error"
    cause: str | None = None
    try:
        files, ignored = _discover(paths)
        unsupported += ignored
        batch.unsupported = tuple(str(p) for p in unsupported)
        for p in unsupported:
            log.event("inbox" if scan is not None else "discover", "unsupported", Path(p).name)
        pending_before = themes_pending(conn) is not None
        if files:
            mark_themes_pending(conn, run_id)
            _ingest(batch, files, conn, settings, progress)
        todo = untagged_doc_ids(conn)
        inputs = tagger_inputs(settings)
        tagger, stale_docs = _stale(batch, conn, settings, embedder, inputs)
        if tagger is not None and embedder is None:
            embedder = tagger.embedder  # loaded by the tagger when it has a model: load it once
        batch.retagged = len(set(stale_docs) - set(todo))
        todo = sorted(set(todo) | set(stale_docs))
        # with nothing new, the themes are still rebuilt when the coding frame or the stored tags' tagger
        # changed since they were built (`scr extract` after a new frame): a hash of the taxonomy file and a
        # scan of the tagging that stops at the first row of another tagger version, no model loaded
        stale = None if (pending_before or todo or batch.added) else _themes_stale(conn, settings)
        if pending_before or todo or batch.added or stale:
            if not files:
                mark_themes_pending(conn, run_id)
            if embedder is None:
                with log.stage("load_embedder"):
                    embedder = _load_embedder(settings)
            if todo:
                tagger = _extract(batch, todo, conn, settings, embedder, tagger)
            _themes(batch, conn, settings, embedder)
        if tagger is not None and not stale_doc_ids(conn, tagger.version):
            record_tagger_inputs(conn, inputs)  # the whole store is tagged by the tagger these inputs build
        if files or pending_before or todo or batch.added or stale:
            clear_themes_pending(conn)
        batch.themes_total = _active_themes(conn)
        outcome = "failures" if batch.failures else "ok"
    except KeyboardInterrupt:
        outcome = "interrupted"
        raise
    except BaseException as exc:
        cause = error_cause(exc)
        raise
    finally:
        summary = batch.summary(outcome, time.perf_counter() - started)
        crash_point("finish", 0)
        with transaction(conn):
            finish_run(conn, run_id, outcome, summary.counts(), cause)
        extra = {"cause": cause} if cause else {}
        log.event("run", outcome, duration_s=summary.seconds, **extra, **summary.counts())
    return summary


def _themes_stale(conn: sqlite3.Connection, settings: Settings) -> str | None:
    from pipeline.themes.provenance import stale_reason

    return stale_reason(conn, settings, check_labels=False)


def _active_themes(conn: sqlite3.Connection) -> int:
    """The store's active themes, whether or not this run's theme stage ran: a run with nothing new skips
    the stage, and its summary and log said "themes_total": 0 beside a store full of themes."""
    return int(conn.execute("SELECT count(*) FROM themes WHERE status = 'active'").fetchone()[0])


def _discover(paths: Sequence[Path]) -> tuple[list[Path], tuple[Path, ...]]:
    """(files to ingest, files of unsupported type under the folders given)."""
    if not paths:
        return [], ()
    from pipeline.ingest.batch import find_inputs

    found = find_inputs([Path(p) for p in paths])
    return list(found.files), found.unsupported
