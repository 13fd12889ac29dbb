"""Learning points outside any theme, tagged with the label a theme is named after, join that theme's group:
the heading appears once under 'Learning points and recommendations' in every format."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.report.brief import build_briefing, write_briefing
from tests.helpers.brief import fill_brief_store

OUTSIDE = "The review found that agencies did not share what they knew about the partner's violent history."


@pytest.fixture
def briefing(store, settings):
    """The test store with one learning point tagged information_sharing taken out of its theme (T0001,
    named 'Information sharing'), as clustering leaves many learning points outside every theme."""
    made = fill_brief_store(store)
    store.execute("DELETE FROM theme_members WHERE sentence_id IN (SELECT sentence_id FROM sentences WHERE text = ?)",
                  (OUTSIDE,))
    return build_briefing(store, made.batch, settings)


def _repeated(headings: list[str]) -> list[str]:
    return [h for h, n in Counter(headings).items() if n > 1]


def test_label_group_named_like_a_theme_is_merged_into_it(briefing):
    names = [g.name for g in briefing.learning]
    assert _repeated(names) == []
    group = next(g for g in briefing.learning if g.name == "Information sharing")
    assert group.key == "T0001" and group.total == 4
    assert OUTSIDE in {p.quote.text for p in group.points}
    assert not any(g.key.startswith("label:") and g.name == "Information sharing" for g in briefing.learning)


def test_each_learning_heading_once_in_md_html_and_docx(briefing, tmp_path):
    import docx

    md = write_briefing(briefing, tmp_path / "b.md").read_text(encoding="utf-8")
    md_learning = md[md.index("## Learning points and recommendations"):md.index("## Appendix")]
    md_heads = re.findall(r"^### (.*)$", md_learning, re.M)
    assert "Information sharing" in md_heads and _repeated(md_heads) == []

    html = write_briefing(briefing, tmp_path / "b.html").read_text(encoding="utf-8")
    html_learning = html[html.index('<section id="learning">'):html.index('<section id="appendix">')]
    html_heads = re.findall(r"<h3>(.*?)</h3>", html_learning)
    assert "Information sharing" in html_heads and _repeated(html_heads) == []

    paras = docx.Document(str(write_briefing(briefing, tmp_path / "b.docx"))).paragraphs
    texts = [p.text for p in paras]
    start, end = texts.index("Learning points and recommendations"), texts.index("Appendix: method and sources")
    docx_heads = [p.text for p in paras[start:end] if p.style.name == "Heading 2"]
    assert "Information sharing" in docx_heads and _repeated(docx_heads) == []
