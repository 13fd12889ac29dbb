"""The generated SCR-shaped PDFs match their ground truth, page by page, as read back by pypdfium2."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.helpers.review_text import case_for_seed, write_review
from tests.helpers.scr_layout import BODY_SIZE
from tests.helpers.scr_pdf import FICTIONAL_LINE, make_scr_pdf


def _page_texts(path: Path, min_size: float | None = None, max_size: float | None = None) -> list[str]:
    """Each page's text, optionally only characters within a font-size range (line breaks kept),
    with words hyphenated across line ends joined and whitespace collapsed."""
    out = []
    for page in pdfium.PdfDocument(path):
        tp = page.get_textpage()
        text = tp.get_text_range()
        if min_size is not None or max_size is not None:
            keep = []
            for i, ch in enumerate(text):
                size = pdfium_c.FPDFText_GetFontSize(tp.raw, i)
                if ch in "\r\n" or ((min_size is None or size >= min_size) and (max_size is None or size <= max_size)):
                    keep.append(ch)
            text = "".join(keep)
        text = text.replace("\r\n", "\n").replace("\ufffe\n", "").replace("\ufffe", "")
        out.append(re.sub(r"\s+", " ", text).strip())
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("scr") / "review.pdf"
    start = time.perf_counter()
    truth = make_scr_pdf(path, seed=7, pages_target=48)
    return path, truth, time.perf_counter() - start


def test_page_count_and_parts(generated):
    path, truth, seconds = generated
    assert len(pdfium.PdfDocument(path)) == truth.pages
    assert 40 <= truth.pages <= 120 and abs(truth.pages - 48) <= 3
    assert truth.footnotes and truth.table_cells and truth.list_items and truth.two_column_pages
    assert truth.hyphenated_words >= 20
    assert "Agency" in truth.table_cells and "MARAC" in truth.table_cells
    assert any(line.startswith("Appendix A") for line in truth.contents_lines)
    assert seconds < 15, f"generation took {seconds:.1f}s"


def test_every_sentence_starts_on_its_page(generated):
    path, truth, _ = generated
    body = _page_texts(path, min_size=BODY_SIZE - 1.5)  # drops header, footer, footnotes, markers, tables
    missing = []
    for s in truth.sentences:
        page = body[s.page - 1]
        if s.text in page:
            continue
        nxt = body[s.page] if s.page < len(body) else ""
        # runs over the page break (possibly hyphenated there): a prefix ends this page, the rest starts the next
        if not any(page.endswith(s.text[:k].rstrip()) and s.text[k:].lstrip() and nxt.startswith(s.text[k:].lstrip())
                   for k in range(1, len(s.text))) and not any(
                page.endswith(s.text[:k] + "-") and nxt.startswith(s.text[k:]) for k in range(3, len(s.text))):
            missing.append(s)
    assert not missing, missing[:3]
    assert len(truth.sentences) > 800


def test_header_footer_contents_and_footnotes_printed(generated):
    path, truth, _ = generated
    full = _page_texts(path)
    small = _page_texts(path, max_size=8.5)
    assert truth.title in full[0] and FICTIONAL_LINE in full[0]
    for n, text in enumerate(full[1:], 2):
        assert truth.header_text in text
        assert truth.footer_pattern.format(page=n, pages=truth.pages) in text
    for line, page in zip(truth.contents_lines, truth.contents_pages):
        assert re.search(re.escape(line) + r" \.{3,} " + str(page), full[1])
    for note in truth.footnotes:
        assert f"{note.marker} {note.text}" in small[note.page - 1]
    headings = {s.heading for s in truth.sections}
    assert {s.section for s in truth.sentences} <= headings


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    ta = make_scr_pdf(a, seed=11, pages_target=40)
    tb = make_scr_pdf(b, seed=11, pages_target=40)
    make_scr_pdf(c, seed=12, pages_target=40)
    assert a.read_bytes() == b.read_bytes() and ta == tb
    assert a.read_bytes() != c.read_bytes()
    with pytest.raises(ValueError):
        make_scr_pdf(tmp_path / "d.pdf", pages_target=20)


def test_prose_varies_by_seed_and_carries_denials_and_learning():
    texts = {}
    for seed in range(6):
        case = case_for_seed(seed)
        assert 3 <= len(case.themes) <= 6
        blocks = write_review(case, 120)
        sents = [s.text for b in blocks for s in getattr(b, "sentences", getattr(b, "items", ()))]
        assert len(set(sents)) / len(sents) > 0.95, "sentences repeat within a review"
        assert any(s.startswith("Recommendation ") for s in sents)
        assert any(re.search(r"\b(no evidence|denied|no concerns|There was no)\b", s) for s in sents)
        assert any(re.search(r"Professionals should|The review found that", s) for s in sents)
        texts[seed] = (case.themes, set(sents))
    assert len({themes for themes, _ in texts.values()}) >= 4
    assert len(texts[0][1] & texts[1][1]) < 0.3 * len(texts[0][1])
