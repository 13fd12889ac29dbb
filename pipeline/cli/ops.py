"""`scr run PATH...` (the briefing author's one command) and `scr refresh [INBOX]` (the nightly job).

Thin callers of pipeline.ops: they parse, take the lock, call, and print a summary table (or one JSON
object with --json). Exit codes: 0 all well; 1 some inputs failed and were recorded; 2 bad usage or
configuration; 75 another refresh holds the lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pipeline.cli.context import app_context, is_terminal, print_json


class _Reporter:
    """Stage lines on stderr; a progress bar for the ingest stage on a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        self.bar_cm = None

    def progress(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def listen(self, event: dict) -> None:
        if self.quiet or event.get("document") is not None or event["stage"] == "run":
            return  # per-document lines go to the log file; failures are listed at the end
        stage, outcome = event["stage"], event["outcome"]
        if outcome == "started":
            if stage == "ingest" and event.get("documents") and is_terminal():
                self.bar_cm = typer.progressbar(length=event["documents"], label="ingest", file=_stderr())
                self.bar = self.bar_cm.__enter__()
            return
        if self.bar_cm is not None:
            self.bar_cm.__exit__(None, None, None)
            self.bar_cm = self.bar = None
        took = f" in {event['duration_s']:.1f} s" if event.get("duration_s") is not None else ""
        typer.echo(f"{stage}: {outcome}{took}", err=True)


def _stderr():
    import sys

    return sys.stderr


def _print_summary(summary) -> None:
    rows = [
        ("documents added", summary.added),
        ("documents skipped", summary.skipped),
        ("documents failed", summary.failed),
        ("sentences", summary.sentences),
        ("tags", summary.tags),
        ("themes touched", len(summary.themes_touched)),
    ]
    if summary.waiting:
        rows.append(("files waiting", len(summary.waiting)))
    typer.echo(f"run {summary.run_id} ({summary.command}): {summary.outcome}, {summary.seconds:.1f} s")
    for name, value in rows:
        typer.echo(f"  {name:<18} {value:>7}")
    if summary.themes_touched:
        shown = ", ".join(summary.themes_touched[:12]) + (" ..." if len(summary.themes_touched) > 12 else "")
        typer.echo(f"  themes: {shown}")
    for failure in summary.failures:
        typer.echo(f"failed: {failure.path}: {failure.cause}", err=True)
    for path in summary.waiting:
        typer.echo(f"waiting: {path} (still being written; next run)", err=True)


def _finish(summary, as_json: bool) -> None:
    if as_json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)
    raise typer.Exit(summary.exit_code)


def run(
    ctx: typer.Context,
    paths: List[Path] = typer.Argument(..., help="Review PDFs or .txt files, or folders of them (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
) -> None:
    """Ingest, tag, embed and assign to themes a batch of reviews (clustering when there are no themes
    yet), then print a summary: documents added, skipped, failed; sentences; tags; themes touched.

    Files already in the store (same bytes) are skipped; a bad file is reported, recorded and skipped
    while the batch goes on (exit 1). Takes the same lock as `scr refresh` (exit 75 while one runs)."""
    from pipeline.errors import UsageError
    from pipeline.ops.lock import refresh_lock
    from pipeline.ops.run import run_batch
    from pipeline.store import connect

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    app = app_context(ctx)
    settings = app.settings
    reporter = _Reporter(quiet=as_json)
    with refresh_lock(settings.store_path):
        conn = connect(settings.store_path)
        try:
            summary = run_batch(paths, conn, settings, progress=reporter.progress, command="run",
                                listener=reporter.listen)
        finally:
            conn.close()
    _finish(summary, as_json)


def refresh(
    ctx: typer.Context,
    inbox: Optional[Path] = typer.Argument(None, help="Folder to pick new reviews from (default: `inbox` in the config, corpus/inbox)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
) -> None:
    """The nightly job: take only new or changed files in the inbox (by content hash) through every
    stage, update the themes (a rebuild only past the drift threshold), record the run in the store and
    write JSON log lines to `refresh.log_file`.

    Files still being written (recent mtime, *.part, *.crdownload, ~$*, hidden) wait for the next run.
    Exit 0 all well, 1 some inputs failed (recorded), 2 bad usage or configuration, 75 another refresh
    holds the lock `<store>.lock` (exits at once)."""
    from pipeline.ops.refresh import refresh as refresh_store

    settings = app_context(ctx).settings
    reporter = _Reporter(quiet=as_json)
    summary = refresh_store(settings, inbox, progress=reporter.progress, listener=reporter.listen)
    _finish(summary, as_json)


def register(app: typer.Typer) -> None:
    """Add `scr run` and `scr refresh`."""
    app.command("run")(run)
    app.command("refresh")(refresh)
