"""`scr run PATH...` (the briefing author's one command) and `scr refresh [INBOX]` (the nightly job).

Thin callers of pipeline.ops: they parse, take the lock, call, and print a summary table (or one JSON
object with --json, also when they cannot start: {"exit_code", "error"}). Exit codes: 0 all well; 1 some
inputs failed and were recorded; 2 bad usage or configuration; 75 another command writing the store
holds its lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pipeline.cli.context import app_context, is_terminal, print_json
from pipeline.errors import ScrError


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
    """The table on stdout (rows for replaced, aliases, failed before, waiting and unsupported files only
    when there are some), then one line on stderr per file that needs a look."""
    rows = [
        ("documents added", summary.added, True),
        ("  of which replaced", summary.replaced, summary.replaced),
        ("documents skipped", summary.skipped, True),
        ("aliases", summary.aliases, summary.aliases),
        ("documents failed", summary.failed, True),
        ("failed before", len(summary.failed_before), summary.failed_before),
        ("files waiting", len(summary.waiting), summary.waiting),
        ("unsupported files", len(summary.unsupported), summary.unsupported),
        ("sentences", summary.sentences, True),
        ("tags", summary.tags, True),
        ("documents re-tagged", summary.retagged, summary.retagged),
        ("themes touched", len(summary.themes_touched), True),
    ]
    typer.echo(f"run {summary.run_id} ({summary.command}): {summary.outcome}, {summary.seconds:.1f} s")
    for name, value, shown in rows:
        if shown:
            typer.echo(f"  {name:<19} {value:>7}")
    if summary.retagged:
        typer.echo("  (re-tagged: stored documents tagged again because the tagger changed)")
    if summary.aliases:
        typer.echo("  (aliases: same bytes as a stored document under another name; not read again)")
    if summary.themes_touched:
        shown = ", ".join(summary.themes_touched[:12]) + (" ..." if len(summary.themes_touched) > 12 else "")
        typer.echo(f"  themes: {shown}")
    if summary.themes_rebuild_reason:
        typer.echo(f"  themes rebuilt because {summary.themes_rebuild_reason}")
    for run in summary.interrupted:
        typer.echo(f"interrupted: run {run.run_id} (`scr {run.command}`, started {run.started_at}) was killed "
                   f"after storing {run.added} document(s); this run finished its work", err=True)
    for failure in summary.failures:
        typer.echo(f"failed: {failure.path}: {failure.cause}", err=True)
    for failure in summary.failed_before:
        typer.echo(f"failed before: {failure.path}: {failure.cause}; not tried again until the file changes",
                   err=True)
    for path in summary.waiting:
        typer.echo(f"waiting: {path} (still being written; next run)", err=True)
    if summary.unsupported:
        from pipeline.ingest.batch import unsupported_line

        typer.echo(unsupported_line(summary.unsupported), err=True)


def _finish(summary, as_json: bool) -> None:
    if as_json:
        print_json(summary.to_dict())
    else:
        _print_summary(summary)
    raise typer.Exit(summary.exit_code)


def _refused(exc: ScrError, command: str, as_json: bool) -> None:
    """A run that could not start (store busy, bad usage): the one error line on stderr, and with --json
    also one JSON object on stdout, which monitoring parses."""
    if not as_json:
        raise exc
    print_json({"command": command, "exit_code": exc.exit_code, "error": str(exc)})
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


def run(
    ctx: typer.Context,
    paths: List[Path] = typer.Argument(..., help="Review PDFs or .txt files, or folders of them (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
) -> None:
    """Ingest, tag, embed and assign to themes a batch of reviews (clustering when there are no themes
    yet), then print a summary: documents added, skipped, failed; sentences; tags; themes touched.

    Files already in the store (same bytes) are skipped; a bad file is reported, recorded and skipped
    while the batch goes on (exit 1). Takes the store's lock, as `scr refresh` does (exit 75 at once
    while another command writes the store)."""
    try:
        summary = _run(app_context(ctx).settings, paths, _Reporter(quiet=as_json))
    except ScrError as exc:
        _refused(exc, "run", as_json)
    _finish(summary, as_json)


def _run(settings, paths: List[Path], reporter: _Reporter):
    from pipeline.errors import UsageError
    from pipeline.ingest.batch import find_inputs, unsupported_line
    from pipeline.ops.run import run_batch
    from pipeline.ops.writer import store_writer

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    found = find_inputs(paths)
    if not found.files:
        raise UsageError(f"no PDF or .txt files found in {', '.join(map(str, paths))}"
                         + (f"; {unsupported_line(found.unsupported)}" if found.unsupported else ""))
    with store_writer(settings, "run") as writer:
        return run_batch(paths, writer.conn, settings, progress=reporter.progress, command="run",
                         listener=reporter.listen, interrupted=writer.interrupted)


def refresh(
    ctx: typer.Context,
    inbox: Optional[Path] = typer.Argument(None, help="Folder to pick new reviews from (default: `inbox` in the config, corpus/inbox)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object instead of a table."),
) -> None:
    """The nightly job: take only new or changed files in the inbox (by content hash) through every
    stage, update the themes (a rebuild only past the drift threshold), record the run in the store and
    write JSON log lines to `refresh.log_file`.

    When the tagger changed since the store was last wholly tagged (a new model from `scr train`, an edited
    coding frame or context rules, an upgrade), the stored sentences are tagged again and the themes
    rebuilt; the summary says how many documents were re-tagged and why the themes were rebuilt.

    Files still being written (recent mtime, *.part, *.crdownload, ~$*, hidden) wait for the next run.
    Files whose bytes failed before are named with their earlier cause each run, and tried again only
    once they change; files of other types (.docx...) are counted as ignored.
    Exit 0 all well, 1 some inputs failed (recorded), 2 bad usage or configuration, 75 another command
    writing the store holds its lock `<store>.lock` (exits at once; the message names it)."""
    from pipeline.ops.refresh import refresh as refresh_store

    reporter = _Reporter(quiet=as_json)
    try:
        summary = refresh_store(app_context(ctx).settings, inbox, progress=reporter.progress,
                                listener=reporter.listen)
    except ScrError as exc:
        _refused(exc, "refresh", as_json)
    _finish(summary, as_json)


def register(app: typer.Typer) -> None:
    """Add `scr run` and `scr refresh`."""
    app.command("run")(run)
    app.command("refresh")(refresh)
