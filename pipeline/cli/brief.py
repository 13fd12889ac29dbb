"""`scr brief`: a thematic briefing draft (HTML, Markdown or DOCX) for a batch of reviews."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pipeline.cli.context import app_context, print_json
from pipeline.errors import EXIT_INPUT_FAILED, EXIT_OK, UsageError


def _batch_doc_ids(conn, settings, batch, since, docs, extra) -> tuple[tuple[str, ...], str | None, int, list[str]]:
    """(doc_ids, run_id of the processing run or None, exit code of that run, one line per file that could
    not be used)."""
    from pipeline.report.batch import batch_from_ids, batch_from_paths, batch_since

    if batch:
        paths = [Path(p) for p in [*batch, *extra]]
        found = batch_from_paths(conn, paths)
        if not found.pending:
            return found.doc_ids, None, EXIT_OK, []
        from pipeline.ops.lock import refresh_lock
        from pipeline.ops.run import run_batch  # written by the operations stage; only needed for new files

        with refresh_lock(settings.store_path, "brief --batch"):  # a writer: exit 75 while another one runs
            typer.echo(f"processing {len(found.pending)} new file(s) first...", err=True)
            summary = run_batch(list(found.pending), conn, settings, command="brief")
        found = batch_from_paths(conn, paths)
        return found.doc_ids, summary.run_id, summary.exit_code, _failure_lines(conn, summary.run_id, found.pending)
    if since:
        return batch_since(conn, since), None, EXIT_OK, []
    return batch_from_ids(conn, [*docs, *extra]), None, EXIT_OK, []


def _failure_lines(conn, run_id: str, unusable) -> list[str]:
    """'path: cause (detail)' for each batch file still not in the store after the run, as the run recorded
    it in `failures`: a count alone leaves the user to dig through `scr status` for which file and why."""
    recorded: dict[str, tuple[str, str]] = {}
    for path, cause, detail in conn.execute(
            "SELECT path, cause, detail FROM failures WHERE run_id = ? ORDER BY failure_id", (run_id,)):
        recorded.setdefault(str(Path(path).resolve()), (cause, detail or ""))
    lines = []
    for path in unusable:
        cause, detail = recorded.get(str(Path(path).resolve()), ("not processed", "see `scr status`"))
        lines.append(f"{path}: {cause}" + (f" ({detail})" if detail else ""))
    return lines


def brief(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="File to write (.html, .md or .docx). Markdown charts go beside it as PNG files."),
    batch: Optional[List[Path]] = typer.Option(
        None, "--batch", help="Review files or folders; files not yet in the store are processed first (as `scr run`)."
    ),
    since: Optional[str] = typer.Option(None, "--since", help="Reviews added to the store on or after this date (YYYY-MM-DD)."),
    docs: Optional[List[str]] = typer.Option(
        None, "--docs", help="Document ids (or unique prefixes of 6+ characters); 'all' means every review in the store."
    ),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html, md or docx (default: from the --out extension)."),
    title: str = typer.Option("Thematic briefing", "--title", help="Title at the top of the briefing."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (path, counts) instead of the path."),
    more: Optional[List[str]] = typer.Argument(
        None, metavar="MORE", help="More paths (after --batch) or ids (after --docs): `--batch new/*.pdf` works."
    ),
) -> None:
    """Write a thematic briefing draft for a batch of reviews, compared with the whole corpus.

    Contents: summary, themes by prevalence beside the corpus (chart), risk-factor grid, cited quotes,
    learning points and recommendations by theme, appendix (method, versions, run id, reviews).

    Choose the batch with exactly one of --batch, --since or --docs. Prints the path written.
    """
    from pipeline.report.brief import build_briefing, format_for, write_briefing

    chosen = [name for name, value in (("--batch", batch), ("--since", since), ("--docs", docs)) if value]
    if len(chosen) != 1:
        raise UsageError("choose the batch with exactly one of --batch PATH..., --since DATE or --docs ID... ('all')")
    if more and since:
        raise UsageError(f"unexpected extra argument(s) after --since: {' '.join(more)}")
    fmt = format_for(out, fmt)
    app = app_context(ctx)
    settings = app.settings
    conn = app.connect(readonly=not batch)
    try:
        doc_ids, run_id, exit_code, unusable = _batch_doc_ids(conn, settings, batch, since, docs or [], more or [])
        for line in unusable:
            typer.echo(f"could not read {line}", err=True)
        if not doc_ids and unusable:
            typer.echo("error: no file in this batch could be read: nothing to brief on", err=True)
            raise typer.Exit(EXIT_INPUT_FAILED)
        if not doc_ids:
            raise UsageError("no reviews in the store match this batch: nothing to brief on")
        briefing = build_briefing(conn, doc_ids, settings, run_id=run_id, title=title)
    finally:
        conn.close()
    path = write_briefing(briefing, out, fmt).resolve()
    if unusable:
        typer.echo(f"warning: {len(unusable)} file(s) could not be read and are not in the briefing", err=True)
    if as_json:
        print_json({
            "out": str(path), "format": fmt, "reviews": briefing.summary.reviews,
            "corpus_reviews": briefing.summary.corpus_reviews, "themes": len(briefing.themes),
            "quotes": sum(len(t.quotes) for t in briefing.quotes),
            "learning_points": sum(len(g.points) for g in briefing.learning), "run_id": briefing.appendix.run_id,
        })
    else:
        typer.echo(str(path))
    if exit_code:
        raise typer.Exit(exit_code)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
