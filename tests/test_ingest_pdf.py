"""Ingestion of a small fixture review PDF whose text we know (tests/helpers/ingest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.reader import read_document
from tests.helpers.ingest import HEADER, make_review_pdf


@pytest.fixture(scope="module")
def fixture_doc(tmp_path_factory):
    from pipeline.config import Settings

    path = tmp_path_factory.mktemp("pdf") / "review.pdf"
    truth = make_review_pdf(path)
    return truth, read_document(path, Settings())


def test_every_sentence_comes_back_exactly_on_its_page(fixture_doc):
    truth, doc = fixture_doc
    got = [(s.text, s.page) for s in doc.sentences if s.page > 1]
    assert got == [(t, p) for t, p, _, _ in truth.sentences]


def test_sections_and_paragraph_numbers(fixture_doc):
    truth, doc = fixture_doc
    by_text = {s.text: s for s in doc.sentences}
    for text, _, section, paragraph in truth.sentences:
        assert by_text[text].section == section
        if by_text[text].kind == "body":
            assert by_text[text].paragraph == paragraph, text
    numbers = [s.number for s in doc.sections]
    assert {"1", "2", "3", "4", "Appendix A"} <= set(numbers)


def test_no_furniture_contents_or_table_text_in_sentences(fixture_doc):
    truth, doc = fixture_doc
    for s in doc.sentences:
        assert HEADER not in s.text and "Page " not in s.text
        assert not any(c in s.text for c in ("Contents", "....", "Health visiting", "Primary care"))
    assert not any(HEADER in p.text for p in doc.pages)
    assert "Page 3 of 5" not in doc.pages[2].text


def test_offsets_point_into_the_page_text(fixture_doc):
    _, doc = fixture_doc
    pages = {p.number: p.text for p in doc.pages}
    for s in doc.sentences:
        page_text = pages[s.page]
        if s.end <= len(page_text):
            assert page_text[s.start:s.end] == s.text
        else:  # runs over the page break: the start still matches
            assert s.text.startswith(page_text[s.start:])


def test_footnote_table_and_metadata(fixture_doc):
    truth, doc = fixture_doc
    assert [(f.marker, f.text, f.page) for f in doc.footnotes] == truth.footnotes
    assert not any("Working Together" in s.text for s in doc.sentences)
    assert len(doc.tables) == 1
    assert [c for row in doc.tables[0].rows for c in row] == truth.table_cells
    meta = doc.meta
    assert meta.title == "Serious Case Review: Child Q"
    assert (meta.review_type, meta.year, meta.area) == ("SCR", 2019, "Northshire")
    assert (meta.subject.age_text, meta.subject.outcome) == ("3 months", "death")
    assert meta.subject.age_years == pytest.approx(0.25)


def test_list_items_are_marked(fixture_doc):
    _, doc = fixture_doc
    items = [s.text for s in doc.sentences if s.kind == "list"]
    assert items == ["Agencies should record where the baby sleeps at every home visit.",
                     "The partnership should audit how referrals are shared."]


def test_two_column_page_reads_column_by_column(tmp_path: Path):
    from pipeline.config import Settings
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    left = ["The first column starts", "here and it goes on", "to the end of it."]
    right = ["The second column then", "follows it and it ends", "at the bottom here."]
    for i, (a, b) in enumerate(zip(left, right)):
        pdf.text(20, 40 + 6 * i, a)
        pdf.text(110, 40 + 6 * i, b)
    path = tmp_path / "cols.pdf"
    pdf.output(str(path))
    doc = read_document(path, Settings())
    assert [s.text for s in doc.sentences] == [" ".join(left), " ".join(right)]
