"""Two reviews of one briefing with the same title (coroners' reports on one death, sent to two bodies):
every citation, in every format, still names one review."""

from __future__ import annotations

import re

import pytest

from pipeline.report.brief import build_briefing, write_briefing
from tests.helpers.brief import fill_brief_store, html_quotes, parse_citation, quote_on_page

SAME = "Regulation 28 report: May Stokoe"


@pytest.fixture
def same_titles(store, settings):
    made = fill_brief_store(store)
    a, b = made.batch[0], made.batch[2]  # both quoted under 'Information sharing'
    store.executemany("UPDATE documents SET title = ? WHERE doc_id = ?", [(SAME, a), (SAME, b)])
    return store, (a, b), build_briefing(store, made.batch, settings)


def _cited(briefing):
    return [q for tq in briefing.quotes for q in tq.quotes] + [p.quote for g in briefing.learning for p in g.points]


def test_colliding_titles_carry_the_short_doc_id_and_others_stay_as_they_are(same_titles):
    _, (a, b), briefing = same_titles
    titles = {r.doc_id: r.title for r in briefing.appendix.reviews}
    assert titles[a] == f"{SAME} (doc {a[:12]})" and titles[b] == f"{SAME} (doc {b[:12]})"
    assert "Safeguarding Practice Review: Child B" in titles.values()
    cited = _cited(briefing)
    assert {q.doc_id for q in cited} >= {a, b}
    assert all(q.title == titles[q.doc_id] for q in cited)


def test_html_citations_each_name_one_review(same_titles, tmp_path):
    conn, (a, b), briefing = same_titles
    html = write_briefing(briefing, tmp_path / "b.html").read_text(encoding="utf-8")
    by_title: dict[str, list[str]] = {}
    for r in briefing.appendix.reviews:
        by_title.setdefault(r.title, []).append(r.doc_id)
    assert all(len(ids) == 1 for ids in by_title.values())
    seen = set()
    for text, cite in html_quotes(html):
        title, page, _ = parse_citation(cite)
        (doc_id,) = by_title[title]
        assert quote_on_page(conn, doc_id, page, text)
        seen.add(doc_id)
    assert {a, b} <= seen


def test_markdown_and_docx_citations_tell_the_two_apart(same_titles, tmp_path):
    import docx

    _, (a, b), briefing = same_titles
    md = write_briefing(briefing, tmp_path / "b.md").read_text(encoding="utf-8")
    md_cites = re.findall(r"^\u2014 \*(.*)\*$", md, re.M)
    doc = docx.Document(str(write_briefing(briefing, tmp_path / "b.docx")))
    docx_cites = [p.text[2:] for p in doc.paragraphs if p.text.startswith("\u2014 ")]
    for cites in (md_cites, docx_cites):
        plain = [c for c in cites if c.startswith(SAME + ", page")]
        assert plain == []
        for doc_id in (a, b):
            assert any(f"(doc {doc_id[:12]}), page" in c for c in cites), doc_id
