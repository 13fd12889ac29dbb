"""The three writers (HTML, Markdown, DOCX) and `scr brief` on the small test store."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from pipeline.errors import UsageError
from pipeline.report.brief import build_briefing, format_for, write_briefing
from tests.helpers.brief import external_references, fill_brief_store, html_quotes, parse_citation, quote_on_page


@pytest.fixture
def briefing(store, settings):
    made = fill_brief_store(store)
    return store, made, build_briefing(store, made.batch, settings)


def test_html_quotes_are_blockquotes_with_citations_on_the_cited_page(briefing, tmp_path):
    conn, made, b = briefing
    html = write_briefing(b, tmp_path / "b.html").read_text(encoding="utf-8")
    pairs = html_quotes(html)
    expected = [q for tq in b.quotes for q in tq.quotes] + [p.quote for g in b.learning for p in g.points]
    assert len(pairs) == len(expected)
    titles = {t: d for d, t in conn.execute("SELECT doc_id, title FROM documents")}
    for (text, cite), q in zip(pairs, expected):
        assert text == q.text
        title, page, section = parse_citation(cite)
        assert (title, page, section) == (q.title, q.page, q.section)
        assert quote_on_page(conn, titles[title], page, text)


def test_html_is_self_contained_and_printable(briefing, tmp_path):
    _, _, b = briefing
    html = write_briefing(b, tmp_path / "b.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    assert "<script" not in html.lower()
    assert html.count("<svg") == 2 and "@media print" in html
    for heading in ("Summary", "Themes in this batch", "Risk factors", "What the reviews say",
                    "Learning points and recommendations", "Appendix: method and sources"):
        assert f">{heading}</h2>" in html


def test_html_escapes_review_text(store, settings, tmp_path):
    made = fill_brief_store(store)
    store.execute("UPDATE documents SET title = ? WHERE doc_id = ?",
                  ('Review <script>alert("x")</script> & "B"', made.batch[0]))
    b = build_briefing(store, made.batch, settings)
    html = write_briefing(b, tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;B&#34;" in html


def test_markdown_has_the_content_and_charts_beside_it(briefing, tmp_path):
    _, _, b = briefing
    path = write_briefing(b, tmp_path / "out" / "brief.md")
    md = path.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert images == ["brief-themes.png", "brief-risks.png"]
    for name in images:
        assert (path.parent / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert md.count("\n> ") == sum(len(t.quotes) for t in b.quotes) + sum(len(g.points) for g in b.learning)
    assert "> Information about the domestic abuse incidents was held by police" in md
    assert "| Information sharing | taxonomy |" in md
    assert "children's social care" in md and "themes.model\\_version" in md


def test_docx_opens_with_tables_images_and_quotes(briefing, tmp_path):
    import docx

    _, _, b = briefing
    path = write_briefing(b, tmp_path / "brief.docx")
    doc = docx.Document(str(path))
    assert len(doc.inline_shapes) == 2
    assert len(doc.tables) == 7  # facts, themes, grid, co-occurrence, versions, tag quality, reviews
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Theme", "Kind", "Description", "This batch", "Corpus", "Difference"] in headers
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "What the reviews say" in headings and "Information sharing" in headings
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert b.quotes[0].quotes[0].text in quotes


def test_format_follows_the_extension_unless_given(tmp_path):
    assert format_for(tmp_path / "a.HTML") == "html"
    assert format_for(tmp_path / "a.md") == "md"
    assert format_for(tmp_path / "a.txt", "docx") == "docx"
    with pytest.raises(UsageError):
        format_for(tmp_path / "a.pdf")
    with pytest.raises(UsageError):
        format_for(tmp_path / "a.html", "pdf")


def test_cli_brief_docs_since_and_errors(store, settings, tmp_path):
    from pipeline.cli.main import app

    made = fill_brief_store(store)
    runner = CliRunner()
    db = ["--db", str(settings.store_path)]
    out = tmp_path / "all.html"
    result = runner.invoke(app, [*db, "brief", "--docs", "all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out.resolve()) and out.is_file()

    result = runner.invoke(app, [*db, "brief", "--docs", made.batch[0][:10], made.batch[1], "--out",
                                 str(tmp_path / "two.docx"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"reviews": 2' in result.stdout and '"format": "docx"' in result.stdout

    result = runner.invoke(app, [*db, "brief", "--since", "2000-01-01", "--out", str(tmp_path / "s"), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s").is_file()

    result = runner.invoke(app, [*db, "brief", "--since", "2999-01-01", "--out", str(tmp_path / "none.html")])
    assert result.exit_code == 2 and "no reviews" in result.output
    result = runner.invoke(app, [*db, "brief", "--docs", "abc", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "too short" in result.output
    result = runner.invoke(app, [*db, "brief", "--docs", "all", "--since", "2020-01-01", "--out", str(out)])
    assert result.exit_code == 2 and "exactly one" in result.output


def test_risk_chart_rows_use_the_review_titles_not_file_names(store, settings, tmp_path):
    """Titles of one series differ only at the end; the chart rows must still be the titles (as in the
    table beside them), not the file names."""
    from pipeline.report.charts import grid_svg
    from pipeline.report.labels import review_labels

    made = fill_brief_store(store)
    for i, doc_id in enumerate(made.batch):
        store.execute("UPDATE documents SET title = ?, path = ? WHERE doc_id = ?",
                      (f"Child Safeguarding Practice Review: Child {'MTK'[i]}", f"/r/area_cspr_child_{i}.pdf",
                       doc_id))
    b = build_briefing(store, made.batch, settings)
    svg = grid_svg(b.grid)
    assert ".pdf" not in svg
    rows = review_labels([r.title for r in b.grid.reviews], [r.path for r in b.grid.reviews])
    assert len(set(rows)) == len(rows) and all(r.startswith("Child Safeguarding") for r in rows)
    assert {r[-7:] for r in rows} == {"Child M", "Child T", "Child K"}
    assert all(f">{r}</text>" in svg for r in rows)
    md = write_briefing(b, tmp_path / "b.md").read_text(encoding="utf-8")
    assert "area\\_cspr" not in md and "Child Safeguarding Practice Review: Child M |" in md


def test_whole_corpus_briefing_says_so_instead_of_comparing(store, settings, tmp_path):
    made = fill_brief_store(store)
    b = build_briefing(store, made.corpus, settings)
    html = write_briefing(b, tmp_path / "b.html").read_text(encoding="utf-8")
    md = write_briefing(b, tmp_path / "b.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "against the whole corpus" not in text and "compared with" not in text
        assert "This batch is the whole corpus" in text
    assert "(the whole corpus)" in html
    part = build_briefing(store, made.batch, settings)
    html = write_briefing(part, tmp_path / "p.html").read_text(encoding="utf-8")
    assert "this batch against the whole corpus" in html and "compared with 5 in the corpus" in html
