"""`scr cluster` and `scr themes`: build or update the themes, list them with their quality figures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.context import app_context, is_terminal, print_json


def _progress(label: str, quiet: bool, total: int):
    """A progress callback (bar on a terminal, plain lines otherwise) and its closer."""
    if quiet or total == 0:
        return None, lambda: None
    if is_terminal():
        bar = typer.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()
        return bar.update, lambda: bar.__exit__(None, None, None)
    done = [0]

    def log(n: int) -> None:
        done[0] += n
        if done[0] % 2048 < n:
            typer.echo(f"{label} {done[0]}/{total}", err=True)

    return log, lambda: None


def _count(n: int, noun: str) -> str:
    """'1 document', '2 documents'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def cluster(
    ctx: typer.Context,
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-cluster everything (IDs carried over by matching)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object (or, with "
                                 "--from-jsonl, one JSON line per sentence)."),
    from_jsonl: Optional[Path] = typer.Option(None, "--from-jsonl", help="Cluster the sentences of this JSON Lines "
                                              "file ({\"text\", \"sid\"} per line) instead of the store; prints "
                                              "{\"sid\", \"theme_id\", \"theme_name\"} per line (theme_id null for "
                                              "an outlier). Writes nothing."),
) -> None:
    """Build or update the themes of the theme-bearing sentences (settings cluster.include).

    First run: cluster them (PCA + k-means, deterministic). Later runs: assign new sentences to the existing
    themes when their cosine to a theme passes cluster.assign_threshold; rebuild when more than
    cluster.rebuild_drift of them fit no theme, when the coding frame, the tagger behind the stored tags or
    the embedding model changed since the themes were built (the line after the summary says which), or
    with --rebuild. Theme IDs (T0001...) stay stable and are never reused; a theme left without sentences is
    retired. Holds the store's lock while it runs (exit 75 at once while another command writes it).
    """
    from pipeline.embed.model import load_embedder

    app = app_context(ctx)
    settings = app.settings
    if from_jsonl is not None:
        from pipeline.errors import UsageError
        from pipeline.themes.adhoc import cluster_sentences, read_jsonl

        if not from_jsonl.is_file():
            raise UsageError(f"no such file: {from_jsonl}")
        sentences = read_jsonl(from_jsonl)
        results = cluster_sentences(sentences, settings, load_embedder(settings.embed))
        import json

        for r in results:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        return
    from pipeline.ops.writer import store_writer
    from pipeline.store.runs import error_cause, finish_run, start_run
    from pipeline.themes.update import update_themes

    with store_writer(settings, "cluster") as writer:  # before the model loads: a busy store refuses at once
        embedder = load_embedder(settings.embed)
        conn = writer.conn
        run_id = start_run(conn, "cluster")
        from pipeline.themes.select import theme_sentences

        total = len(theme_sentences(conn, settings.cluster.include))
        update, close = _progress("embedding", as_json, total)
        try:
            report = update_themes(conn, settings, embedder, rebuild=rebuild, run_id=run_id, progress=update)
        except BaseException as exc:
            finish_run(conn, run_id, "error", {}, error_cause(exc))
            raise
        finally:
            close()
        finish_run(conn, run_id, "ok", report.to_dict())
    if as_json:
        print_json({"run_id": run_id, **report.to_dict()})
        return
    verb = "rebuilt" if report.rebuilt else "updated"
    typer.echo(f"{verb} themes: {report.themes_total} themes, {report.assigned} sentences assigned, "
               f"{report.outliers} outliers, {len(report.themes_touched)} themes touched in {report.seconds:.1f} s")
    if report.reason:
        typer.echo(f"rebuilt because {report.reason}")
    if report.retired and not report.rebuilt:
        typer.echo(f"retired {_count(len(report.retired), 'theme')} left without sentences: "
                   f"{', '.join(report.retired)}")


def themes(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print {\"themes\": [...], \"quality\": {...}} as JSON."),
    quality: bool = typer.Option(False, "--quality", help="Also compute the quality figures: outlier share, "
                                 "silhouette, keyword coherence (NPMI), agreement with tags (NMI)."),
    quotes: int = typer.Option(3, "--quotes", help="Representative quotes per theme."),
) -> None:
    """List the themes, largest first: id, name, taxonomy label, keywords, size, documents, by year, quotes."""
    from dataclasses import asdict

    from pipeline.themes.quality import store_quality
    from pipeline.themes.read import list_themes

    from pipeline.errors import UsageError

    if quotes < 0:
        raise UsageError(f"--quotes: must be 0 or more, found {quotes}")
    app = app_context(ctx)
    conn = app.connect(readonly=True)
    try:
        items = list_themes(conn, with_quotes=quotes)
        figures = store_quality(conn, app.settings.cluster.include).to_dict() if quality else None
    finally:
        conn.close()
    if as_json:
        data = {"themes": [asdict(t) for t in items]}
        if figures is not None:
            data["quality"] = figures
        print_json(data)
        return
    if not items:
        typer.echo("No themes yet. Run `scr cluster` (after `scr ingest` and `scr extract`).")
    from pipeline.report.labels import load_label_book, theme_display_name

    book = load_label_book(app.settings)
    for t in items:
        years = ", ".join(f"{y}: {n}" for y, n in sorted(t.by_year.items()))
        name = theme_display_name(t.name, t.label, book)
        typer.echo(f"{t.theme_id}  {name}  ({_count(t.size, 'sentence')}, {_count(t.documents, 'document')})")
        typer.echo(f"    keywords: {', '.join(t.keywords)}")
        if years:
            typer.echo(f"    documents by year:  {years}")
        for q in t.quotes:
            typer.echo(f"    - \"{q.text}\" ({q.title}, p. {q.page})")
    if figures is not None:
        typer.echo("quality: " + ", ".join(f"{k} {v}" for k, v in figures.items()))


def register(app: typer.Typer) -> None:
    """Add this area's commands to `app`."""
    app.command("cluster")(cluster)
    app.command("themes")(themes)
