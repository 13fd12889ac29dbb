"""`scr status`: counts of documents, pages, sentences, tags, themes, failures, and the last run."""

from __future__ import annotations

import typer

from pipeline.cli.context import app_context, print_json


def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (for monitoring)."),
) -> None:
    """Counts, the last run and recent failures with their causes."""
    from pipeline.store.status import store_status

    app = app_context(ctx)
    if not app.store_path.exists():
        report = None
    else:
        conn = app.connect(readonly=True)
        try:
            report = store_status(conn, str(app.store_path))
        finally:
            conn.close()
    if as_json:
        print_json(report.to_dict() if report else {"store": str(app.store_path), "documents": 0, "exists": False})
        return
    if report is None:
        typer.echo(f"No store yet at {app.store_path}. Run `scr run PATH` or `scr ingest PATH` first.")
        return
    typer.echo(f"store      {report.store}")
    failures = (f"{report.failures} file{'' if report.failures == 1 else 's'} "
                f"({report.failure_events} event{'' if report.failure_events == 1 else 's'})")
    for name, value in (("documents", report.documents), ("pages", report.pages), ("sentences", report.sentences),
                        ("sentences tagged (processed)", report.tagged_sentences),
                        ("sentences with a label", report.labelled_sentences), ("tags (affirmed)", report.tags),
                        ("themes (active)", report.themes), ("failures (still failing)", failures)):
        typer.echo(f"{name:<30} {value:>8}")
    for cause, n in report.failures_by_cause.items():
        typer.echo(f"  failed: {cause:<30} {n:>5}")
    for failure in report.failing_files:
        typer.echo(f"  still failing: {failure['path']}: {failure['cause']}")
    if report.busy:
        from pipeline.ops.lock import LockHolder

        typer.echo(f"busy       {LockHolder(**report.busy).describe()} is writing the store")
    if report.last_run:
        typer.echo(_run_line("last run  ", report.last_run))
        for failure in report.last_run_failures:
            typer.echo(f"  failed in last run: {failure['path']}: {failure['cause']}")
    refresh = report.last_refresh
    if refresh and (not report.last_run or refresh["run_id"] != report.last_run["run_id"]):
        typer.echo(_run_line("last refresh", refresh))


def _run_line(label: str, run: dict) -> str:
    outcome = run.get("outcome") or "running"
    if run.get("cause"):
        outcome += f": {run['cause']}"
    elif run.get("hint"):
        outcome += f": {run['hint']}"
    command = f" {run['command']}" if label.startswith("last run") else ""
    return f"{label} {run['run_id']}{command} {run['started_at']} -> {run.get('ended_at') or '...'} ({outcome})"


def register(app: typer.Typer) -> None:
    app.command("status")(status)
