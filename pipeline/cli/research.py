"""Research commands: `scr query`, `scr show`, `scr export`, `scr serve`. Thin callers of pipeline.query,
pipeline.export and pipeline.web."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from pipeline.cli.context import app_context, print_json
from pipeline.errors import UsageError

_SCREENING_HELP = (
    "Rank documents instead of sentences, each with a `relevant` decision and the sentences that justify "
    "it. The decision: a review's evidence is how far its 3 best-matching sentences lie above the query's "
    "similarity to all sentences in the store, in standard deviations (a z-score, so it is calibrated per "
    "query and model), plus 0.5 x log2(1 + sentences matching a query word). Subject filters (--min-age, "
    "--max-age, --outcome, --cause) are judged per review from its metadata (ages stated in the text when "
    "the metadata has none): a conflict makes it not relevant; when all match it is relevant at evidence "
    ">= 2.0; when one is unknown, at >= 3.0; with no subject filter, at >= 2.5. Keyword-only stores (no "
    "vectors), --mode keyword, and questions whose best similarity anywhere is under the model's absolute "
    "floor (0.40 for all-MiniLM-L6-v2): 1 / 3 / 2 matching sentences. Pages with --limit and --offset."
)


def _filters(label, doc_label, theme, review_type, year_from, year_to, area, learning_points, min_age, max_age,
             outcome, cause):
    from pipeline.query.filters import QueryFilters

    return QueryFilters(
        labels=tuple(label or ()), doc_labels=tuple(doc_label or ()), theme=theme, review_type=review_type,
        year_from=year_from, year_to=year_to, area=area, learning_points=learning_points, min_age=min_age,
        max_age=max_age, outcome=outcome, cause=cause,
    ).validated()


def query_embedder(conn, settings, mode: str = "hybrid"):
    """The embedder for a query, or None (keyword only) when the store has no vectors or mode is keyword."""
    from pipeline.query.vectors import stored_models

    if mode == "keyword" or not stored_models(conn):
        return None
    from pipeline.embed.model import load_embedder

    embedder = load_embedder(settings.embed)
    if embedder.name not in stored_models(conn):
        typer.echo(f"note: the store has no vectors for {embedder.name}; keyword search only", err=True)
        return None
    return embedder


def _shown(offset: int, n: int) -> str:
    """'showing 1-20' (results numbered from 1; "showing 20 from 1" read as "20 of 1")."""
    if n == 0:
        return "none to show" if offset == 0 else f"none to show after result {offset}"
    return f"showing {offset + 1}" + (f"-{offset + n}" if n > 1 else "")


def _styled(text: str, spans, colour: bool) -> str:
    from pipeline.query.terms import split_highlights

    if not colour:
        return text
    return "".join(typer.style(p, fg=typer.colors.YELLOW, bold=True) if hit else p
                   for p, hit in split_highlights(text, spans))


def query(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="What to look for: words or a question."),
    label: Optional[List[str]] = typer.Option(None, "--label", help="Sentence carries this label, affirmed (repeatable: all of them)."),
    doc_label: Optional[List[str]] = typer.Option(None, "--doc-label", help="Document has an affirmed sentence with this label (repeatable)."),
    theme: Optional[str] = typer.Option(None, "--theme", help="Sentence belongs to this theme (T0001...)."),
    review_type: Optional[str] = typer.Option(None, "--type", help="Review type: SCR, CSPR, SAR, DHR, PFD, other."),
    year_from: Optional[int] = typer.Option(None, "--year-from", help="Published in or after this year."),
    year_to: Optional[int] = typer.Option(None, "--year-to", help="Published in or before this year."),
    area: Optional[str] = typer.Option(None, "--area", help="Area or partnership contains this text (any case)."),
    learning_points: bool = typer.Option(False, "--learning-points", help="Only sentences that are learning points."),
    min_age: Optional[float] = typer.Option(None, "--min-age", help="Subject's age at the incident, at least (years)."),
    max_age: Optional[float] = typer.Option(None, "--max-age", help="Subject's age at the incident, at most (years)."),
    outcome: Optional[str] = typer.Option(None, "--outcome", help="Subject's outcome: death or 'serious harm'."),
    cause: Optional[str] = typer.Option(None, "--cause", help="Cause: suicide, homicide, maltreatment, 'sudden unexpected infant death', accident, illness, other."),
    context: int = typer.Option(0, "--context", help="Also show N sentences before and after each hit (0-10; not with --documents)."),
    limit: int = typer.Option(20, "--limit", help="Results to show."),
    offset: int = typer.Option(0, "--offset", help="Skip this many results (paging; documents with --documents)."),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid (default; keyword only when the store has no vectors), keyword or semantic (sentences only: --documents is hybrid or keyword)."),
    documents: bool = typer.Option(False, "--documents", help=_SCREENING_HELP),
    relevant_only: bool = typer.Option(False, "--relevant-only", help="With --documents: list only relevant documents."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Search the corpus: keyword (BM25) and semantic search over sentences fused by reciprocal rank fusion,
    with filters; or, with --documents, screen whole reviews for a research question."""
    from pipeline.query.filters import check_filter_values
    from pipeline.query.screening import check_screening_options, screen_documents
    from pipeline.query.search import search

    app = app_context(ctx)
    filters = _filters(label, doc_label, theme, review_type, year_from, year_to, area, learning_points, min_age,
                       max_age, outcome, cause)
    if documents:
        check_screening_options(mode, context)  # before loading a model: --mode semantic, --context
    elif relevant_only:
        raise UsageError("--relevant-only: applies to --documents only")
    conn = app.connect(readonly=True)
    try:
        check_filter_values(conn, app.settings, filters)
        embedder = query_embedder(conn, app.settings, mode)
        if documents:
            result = screen_documents(conn, text, filters, embedder, limit=limit, relevant_only=relevant_only,
                                      offset=offset, mode=mode)
        else:
            result = search(conn, text, filters, embedder, limit=limit, offset=offset, context=context, mode=mode)
    finally:
        conn.close()
    if as_json:
        print_json(result.to_dict())
        return
    colour = sys.stdout.isatty()
    if documents:
        typer.echo(f"{result.relevant} relevant of {result.considered} documents ({result.mode}); "
                   f"{_shown(result.offset, len(result.documents))}")
        for d in result.documents:
            mark = "RELEVANT" if d.relevant else "-"
            typer.echo(f"\n[{mark}] {d.title} ({d.review_type}, {d.year or 'year unknown'}) {d.doc_id[:12]}")
            typer.echo(f"  {d.reason}")
            for e in d.sentences:
                typer.echo(f"  p.{e.page}: {_styled(e.text, e.highlights, colour)}")
        return
    typer.echo(f"{result.total_text} candidates ({result.mode}); {_shown(result.offset, len(result.hits))}")
    for h in result.hits:
        where = f"p.{h.page}" + (f", {h.section}" if h.section else "")
        tags = f"  [{', '.join(h.labels)}]" if h.labels else ""
        typer.echo(f"\n{h.title} ({h.year or 'year unknown'}) {where}  score {h.score:.4f}{tags}")
        for t in h.before:
            typer.echo(f"    {t}")
        typer.echo(f"  > {_styled(h.text, h.highlights, colour)}")
        for t in h.after:
            typer.echo(f"    {t}")


def show(
    ctx: typer.Context,
    doc: str = typer.Argument(..., help="Document id (or at least 6 leading characters of it)."),
    all_sentences: bool = typer.Option(False, "--all", help="Every sentence, not only tagged ones and learning points."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """One document: metadata, subject, themes, and its tagged sentences by page."""
    from pipeline.query.show import show_document
    from pipeline.report.labels import load_label_book

    app = app_context(ctx)
    conn = app.connect(readonly=True)
    try:
        view = show_document(conn, doc, all_sentences=all_sentences, label_book=load_label_book(app.settings))
    finally:
        conn.close()
    if as_json:
        print_json(view.to_dict())
        return
    typer.echo(f"{view.title}\n{view.doc_id}\n{view.path}")
    typer.echo(f"type {view.review_type}  year {view.year or 'unknown'}  area {view.area}  pages {view.pages}"
               f"  sentences {view.sentences}")
    typer.echo(f"subject: age {view.subject_age_text}, outcome {view.outcome}, cause {view.cause}")
    if view.themes:
        typer.echo("themes: " + "; ".join(f"{t} {n} ({c})" for t, n, c in view.themes))
    if view.labels:
        typer.echo("labels: " + ", ".join(f"{k} {v}" for k, v in view.labels.items()))
    for page in view.by_page:
        typer.echo(f"\n--- page {page.page}")
        for s in page.sentences:
            marks = list(s.labels) + [f"not {x}" for x in s.negated] + (["learning point"] if s.learning_point else [])
            para = f"{s.paragraph} " if s.paragraph else ""
            typer.echo(f"  {para}{s.text}" + (f"  [{', '.join(marks)}]" if marks else ""))


def export(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", help="csv, parquet or jsonl."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder to write into (default: <out_dir>/export)."),
    tables: Optional[List[str]] = typer.Option(None, "--table", help="Only this table (repeatable): documents, sentences, tags, themes, theme_members, labels."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object describing what was written."),
) -> None:
    """Write tidy tables (documents, sentences, tags, themes, theme_members, labels) and a data dictionary
    (data_dictionary.csv, .md) to a folder. Column names are stable; files load in pandas and R as they are."""
    from dataclasses import asdict

    from pipeline.export.write import export_tables
    from pipeline.report.labels import load_label_book

    app = app_context(ctx)
    out_dir = out or app.settings.path(app.settings.out_dir) / "export"
    conn = app.connect(readonly=True)
    try:
        report = export_tables(conn, out_dir, fmt, tables, label_names=load_label_book(app.settings).names,
                               settings=app.settings)
    finally:
        conn.close()
    if as_json:
        print_json(asdict(report))
        return
    for name, n in report.rows.items():
        typer.echo(f"{name:<14} {n:>9} rows")
    typer.echo(f"wrote {len(report.files)} files to {report.out_dir} in {report.seconds:.1f} s")
    if report.stale:
        names = ", ".join(Path(p).name for p in report.stale)
        typer.echo(f"note: {report.out_dir} also holds files an earlier export wrote, not rewritten now: {names}")


def serve(
    ctx: typer.Context,
    host: Optional[str] = typer.Option(None, "--host", help="Address to bind (default: web.host, 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default: web.port, 8000)."),
) -> None:
    """Serve the web pages (themes, search, documents) and the JSON API under /api (schema at
    /api/openapi.json), read-only on the store."""
    import uvicorn

    from pipeline.web.app import create_app

    app = app_context(ctx)
    settings = app.settings
    if not settings.store_path.exists():
        from pipeline.errors import UsageError

        raise UsageError(f"no store at {settings.store_path}: run `scr run PATH` first")
    host, port = host or settings.web.host, port or settings.web.port
    _check_can_listen(host, port)
    web = create_app(settings)
    uvicorn.run(web, host=host, port=port, log_level="info")


def _check_can_listen(host: str, port: int) -> None:
    """Bind (and release) host:port before starting uvicorn, which on a port in use prints its log lines
    and exits 3; this makes it the project's one-line usage error (exit 2) naming the port."""
    import errno
    import socket

    from pipeline.errors import UsageError

    if not 0 < port < 65536:
        raise UsageError(f"--port: must lie between 1 and 65535, found {port}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise UsageError(f"--host {host!r}: not an address this machine can listen on ({exc.strerror})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} on {host} is already in use: choose another with --port "
                                 f"(e.g. --port {port + 1 if port < 65535 else 8001})") from None
            raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


def register(app: typer.Typer) -> None:
    """Add this area's commands to `app`."""
    app.command("query")(query)
    app.command("show")(show)
    app.command("export")(export)
    app.command("serve")(serve)
