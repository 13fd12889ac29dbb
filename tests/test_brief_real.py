"""A briefing for a batch of the real reports (../shared/corpus/real), processed by run_batch, in every format.

Checks the promises a briefing author relies on: every quote is word for word on the page it cites,
the HTML fetches nothing, the DOCX opens with its tables and charts, and Chromium renders the HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers.brief import (
    external_references, html_quotes, parse_citation, png_variance, quote_on_page, render_png,
)

pytestmark = [pytest.mark.slow, pytest.mark.real]

BATCH_SIZE = 6


@pytest.fixture(scope="module")
def processed(real_dir, tmp_path_factory):
    """Every real report through run_batch into a fresh store; the batch is six of them."""
    pytest.importorskip("pipeline.ingest.batch", reason="ingestion stage not installed")
    pytest.importorskip("pipeline.extract.run", reason="extraction stage not installed")
    pytest.importorskip("pipeline.themes.update", reason="theme stage not installed")
    from pipeline.config import load_settings
    from pipeline.ops.run import run_batch
    from pipeline.report.batch import batch_from_paths
    from pipeline.store import connect

    tmp = tmp_path_factory.mktemp("brief-real")
    settings = load_settings(Path(__file__).resolve().parents[1] / "configs" / "settings.yaml").replace(
        store=str(tmp / "scr.db"), inbox=str(tmp / "inbox"), out_dir=str(tmp / "out"))
    files = sorted(p for p in real_dir.iterdir() if p.suffix in (".pdf", ".txt"))
    conn = connect(settings.store_path)
    summary = run_batch(files, conn, settings)
    assert summary.added >= BATCH_SIZE
    stored = batch_from_paths(conn, files)
    batch_files = [f for f in files if f not in stored.pending][:BATCH_SIZE]
    doc_ids = batch_from_paths(conn, batch_files).doc_ids
    yield conn, settings, batch_files, doc_ids, summary.run_id, tmp
    conn.close()


@pytest.fixture(scope="module")
def briefing(processed):
    from pipeline.report.brief import build_briefing

    conn, settings, _, doc_ids, run_id, _ = processed
    return build_briefing(conn, doc_ids, settings, run_id=run_id)


def test_every_quote_is_on_its_cited_page(processed, briefing):
    conn, _, _, doc_ids, run_id, _ = processed
    quotes = [q for tq in briefing.quotes for q in tq.quotes] + [p.quote for g in briefing.learning for p in g.points]
    assert len(quotes) >= 5
    for q in quotes:
        assert q.doc_id in doc_ids
        assert quote_on_page(conn, q.doc_id, q.page, q.text), (q.sentence_id, q.page)
    assert briefing.summary.reviews == len(doc_ids) and briefing.appendix.run_id == run_id
    assert briefing.themes and all(3 <= len(tq.quotes) <= 5 for tq in briefing.quotes[:1])


def test_html_is_self_contained_and_its_citations_hold(processed, briefing):
    from pipeline.report.brief import write_briefing

    conn, _, _, _, _, tmp = processed
    html = write_briefing(briefing, tmp / "brief.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    by_title: dict[str, list[str]] = {}
    for review in briefing.appendix.reviews:
        by_title.setdefault(review.title, []).append(review.doc_id)
    pairs = html_quotes(html)
    assert pairs
    for text, cite in pairs:
        title, page, _ = parse_citation(cite)
        assert any(quote_on_page(conn, d, page, text) for d in by_title[title]), cite


def test_markdown_and_docx(processed, briefing):
    import docx

    from pipeline.report.brief import write_briefing

    _, _, _, _, _, tmp = processed
    md_path = write_briefing(briefing, tmp / "md" / "brief.md")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md_path.read_text(encoding="utf-8"))
    assert images and all((md_path.parent / name).is_file() for name in images)
    doc = docx.Document(str(write_briefing(briefing, tmp / "brief.docx")))
    assert len(doc.tables) >= 4 and len(doc.inline_shapes) >= 1
    assert any(p.style.name == "Quote" for p in doc.paragraphs)


def test_chromium_renders_the_html(processed, briefing, chromium_path):
    from pipeline.report.brief import write_briefing

    _, _, _, _, _, tmp = processed
    html = write_briefing(briefing, tmp / "render.html")
    assert png_variance(render_png(chromium_path, html, tmp / "render.png")) > 100


def test_cli_brief_on_files_already_in_the_store(processed):
    from pipeline.cli.main import app

    _, settings, batch_files, _, _, tmp = processed
    out = tmp / "cli.html"
    result = CliRunner().invoke(
        app, ["--db", str(settings.store_path), "brief", "--batch", *map(str, batch_files), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out.resolve())
    assert len(html_quotes(out.read_text(encoding="utf-8"))) >= 5
