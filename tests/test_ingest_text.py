"""Plain-text reports: headings, paragraphs, form-feed pages, and the real .txt reports."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.ingest.reader import read_document


def test_form_feeds_are_page_breaks_and_sentences_run_over_them(tmp_path: Path):
    text = ("SERIOUS CASE REVIEW: CHILD T\n\n1. INTRODUCTION\n1.1 The review looked at the care of Child T "
            "between 2016 and\f2018. It found that agencies did not share information.\n\n2. FINDINGS\n"
            "2.1 The health visitor was not told about the domestic abuse.\n")
    path = tmp_path / "review.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path, Settings())
    assert [(s.text, s.page, s.paragraph) for s in doc.sentences] == [
        ("The review looked at the care of Child T between 2016 and 2018.", 1, "1.1"),
        ("It found that agencies did not share information.", 2, "1.1"),
        ("The health visitor was not told about the domestic abuse.", 2, "2.1"),
    ]
    assert [s.section for s in doc.sentences] == ["1. INTRODUCTION", "1. INTRODUCTION", "2. FINDINGS"]
    assert doc.meta.review_type == "SCR"


def test_real_text_reports(real_dir: Path):
    files = sorted(real_dir.glob("*.txt"))
    assert len(files) == 16
    for path in files:
        doc = read_document(path, Settings())
        assert len(doc.pages) == 1 and len(doc.sentences) >= 3, path.name
        assert doc.meta.review_type == "PFD", path.name
        headings = {s.heading for s in doc.sections}
        assert any("CONCERNS" in h.upper() for h in headings), (path.name, headings)
        for s in doc.sentences:
            assert doc.pages[0].text[s.start:s.end] == s.text
