"""Generated 40-120 page SCR-shaped PDFs (tests/helpers/scr_pdf.py): sentences come back exactly."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from pipeline.ingest.reader import read_document

scr_pdf = pytest.importorskip("tests.helpers.scr_pdf")


@pytest.mark.parametrize("seed,pages", [(0, 60), (5, 45)])
def test_generated_review_sentences_pages_and_no_furniture(tmp_path, seed, pages):
    from pipeline.config import Settings

    path = tmp_path / "review.pdf"
    truth = scr_pdf.make_scr_pdf(path, seed=seed, pages_target=pages)
    doc = read_document(path, Settings())
    assert len(doc.pages) == truth.pages
    ours = defaultdict(list)
    for s in doc.sentences:
        ours[s.text].append(s)
    found = right_page = right_section = 0
    for t in truth.sentences:
        if ours[t.text]:
            s = ours[t.text].pop(0)
            found += 1
            right_page += s.page == t.page
            right_section += s.section == t.section
    n = len(truth.sentences)
    assert found >= 0.99 * n and right_page >= 0.99 * n and right_section >= 0.98 * n, (found, right_page, n)
    contents = set(truth.contents_lines)
    for s in doc.sentences:
        assert truth.header_text not in s.text
        assert not re.search(r"Page \d+ of \d+", s.text)
        assert s.text not in contents and "....." not in s.text
        assert s.text not in set(truth.table_cells)
    assert [(f.marker, f.page) for f in doc.footnotes] == [(f.marker, f.page) for f in truth.footnotes]
    assert doc.meta.review_type == truth.review_type and doc.meta.year == truth.year
