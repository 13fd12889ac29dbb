"""`scr ingest PATH...`: PDFs and .txt reports into the store (a thin caller of pipeline.ingest.batch)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from pipeline.cli.context import app_context, is_terminal, print_json
from pipeline.errors import EXIT_INPUT_FAILED, UsageError


def pool_size(option: int | None, configured: int) -> int:
    """Worker processes for a batch: --workers when given (0 = one per core), else ingest.workers."""
    n = configured if option is None else option
    return n or os.cpu_count() or 1


def ingest(
    ctx: typer.Context,
    paths: List[Path] = typer.Argument(..., help="PDF or .txt files, or folders (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    workers: Optional[int] = typer.Option(None, "--workers", show_default=False,
                                          help="Worker processes; 0 = one per core. Not given: ingest.workers."),
    ocr: bool = typer.Option(False, "--ocr", help="OCR image-only PDFs with tesseract-ocr when it is installed."),
) -> None:
    """Read PDFs and text reports into the store: page-accurate sentences, sections, footnotes, metadata.

    A bad file (empty, corrupt, encrypted, scanned without --ocr, too long, too slow...) gets one line on
    stderr naming the file and the cause, a row in `failures`, and the batch goes on. Exits 1 when any
    file failed. Files already stored (same bytes) are skipped; other file types in the folders given
    (.docx...) are counted in one line. Holds the store's lock while it writes (exit 75 at once while
    another command writes the store).
    """
    from pipeline.ingest.batch import find_inputs, ingest_paths, unsupported_line
    from pipeline.ops.writer import store_writer
    from pipeline.store.runs import finish_run, start_run

    if workers is not None and workers < 0:
        raise UsageError(f"--workers: must be 0 (one per core) or more, found {workers}")
    app = app_context(ctx)
    settings = app.settings
    pool = pool_size(workers, settings.ingest.workers)
    if ocr:
        settings = settings.replace(ingest=settings.ingest.__class__(**{**settings.ingest.__dict__, "ocr": True}))
    missing = [str(p) for p in paths if not p.exists()]
    if missing and len(missing) == len(paths):
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    found = find_inputs(paths)
    files = list(found.files)
    ignored = unsupported_line(found.unsupported) if found.unsupported else ""
    if not files:
        raise UsageError(f"no PDF or .txt files found in {', '.join(map(str, paths))}"
                         + (f"; {ignored}" if ignored else ""))
    with store_writer(settings, "ingest") as writer:
        conn = writer.conn
        run_id = start_run(conn, "ingest")
        if is_terminal() and not as_json:
            with typer.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar:
                report = ingest_paths(files, conn, settings, run_id=run_id, progress=bar.update,
                                      workers=pool)
        else:
            done = [0]
            # failures are recorded (with this run id) before the progress tick, so the log can say how many
            # of the files so far failed: "ingested 1/1" for a file that failed misled users
            first = conn.execute("SELECT coalesce(max(failure_id), 0) FROM failures").fetchone()[0]

            def log(n: int) -> None:
                done[0] += n
                failed = conn.execute("SELECT count(*) FROM failures WHERE failure_id > ? AND run_id = ?",
                                      (first, run_id)).fetchone()[0]
                typer.echo(f"processed {done[0]}/{len(files)} files: {done[0] - failed} ok, {failed} failed",
                           err=True)

            report = ingest_paths(files, conn, settings, run_id=run_id, progress=None if as_json else log,
                                  workers=pool)
        counts = {"added": len(report.added), "replaced": len(report.replaced), "aliases": len(report.aliases),
                  "skipped": len(report.skipped), "failed": len(report.failed), "pages": report.pages,
                  "sentences": report.sentences, "unsupported": len(found.unsupported)}
        finish_run(conn, run_id, "failures" if report.failed else "ok", counts)
    for f in report.failed:
        typer.echo(f"{f.path}: {f.cause}" + (f" ({f.detail})" if f.detail else ""), err=True)
    if ignored:
        typer.echo(ignored, err=True)
    if as_json:
        print_json({"run_id": run_id, **report.to_dict(), "unsupported": [str(p) for p in found.unsupported]})
    else:
        for p in report.skipped:
            typer.echo(f"skipped (already stored): {p}")
        for p in report.aliases:
            typer.echo(f"alias (same bytes as a stored document): {p}")
        typer.echo(
            f"added {len(report.added)}, replaced {len(report.replaced)}, aliases {len(report.aliases)}, "
            f"skipped {len(report.skipped)}, failed {len(report.failed)}; {report.pages} pages, "
            f"{report.sentences} sentences in {report.seconds:.1f} s ({report.pages_per_second:.1f} pages/s)"
        )
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
