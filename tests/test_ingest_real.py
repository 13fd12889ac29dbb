"""The real reports in ../shared/corpus/real: all ingest, no furniture in sentences, pages right."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.ingest.furniture import normalise
from pipeline.ingest.reader import read_document


@pytest.fixture(scope="module")
def real_docs(real_dir: Path):
    from pipeline.config import Settings

    files = sorted(real_dir.glob("*.pdf")) + sorted(real_dir.glob("*.txt"))
    return {p.name: read_document(p, Settings()) for p in files}


def test_all_real_files_ingest(real_docs):
    assert sum(n.endswith(".pdf") for n in real_docs) == 6
    assert sum(n.endswith(".txt") for n in real_docs) == 16
    for name, doc in real_docs.items():
        assert doc.sentences, name
        assert doc.meta.review_type == "PFD", name


def test_no_repeated_header_or_footer_in_sentences(real_docs):
    suffolk = next(d for n, d in real_docs.items() if "suffolk_joseph" in n)
    assert len(suffolk.pages) == 4
    for doc in real_docs.values():
        if len(doc.pages) < 2:
            continue
        # lines that repeat on most pages of a document must not survive into its text
        lines = Counter(t for p in doc.pages for t in {normalise(ln) for ln in p.text.split("\n") if ln.strip()})
        repeated = {t for t, c in lines.items() if c >= max(2, len(doc.pages) - 1) and len(t) > 3}
        assert not repeated, (doc.path, repeated)
        for s in doc.sentences:
            assert "Document Template Updated" not in s.text
            assert not re.fullmatch(r"(page\s*)?\d+(\s*of\s*\d+)?", s.text.strip(), re.IGNORECASE)


def test_sentences_run_over_page_breaks_with_the_right_page(real_docs):
    suffolk = next(d for n, d in real_docs.items() if "suffolk_joseph" in n)
    pages = {p.number: p.text for p in suffolk.pages}
    over = [s for s in suffolk.sentences if s.end > len(pages[s.page])]
    assert over, "a sentence of the Suffolk report runs from page 2 to page 3"
    s = over[0]
    assert s.page == 2 and s.text.startswith("If it had been possible to transfer Will")
    assert "balance of probabilities the fall" in s.text
    for doc in real_docs.values():
        texts = {p.number: p.text for p in doc.pages}
        for s in doc.sentences:
            n = min(20, len(s.text))
            assert texts[s.page][s.start:s.start + n] == s.text[:n], (doc.path, s.page, s.text[:40])


def test_form_sections_are_found(real_docs):
    for name, doc in real_docs.items():
        if name.endswith(".pdf") and "template" not in name:
            numbers = {s.number for s in doc.sections}
            assert {"4", "5"} <= numbers, (name, [s.heading for s in doc.sections])


def _flat(doc) -> str:
    return " ".join("\n".join(p.text for p in doc.pages).split())


def test_real_report_metadata_is_sensible(real_docs):
    for name, doc in real_docs.items():
        m, text = doc.meta, _flat(doc)
        assert m.review_type == "PFD" and m.subject.outcome == "death", name
        assert m.year is not None and 2013 <= m.year <= 2025, (name, m.year)
        # a short useful title, not the form's header; the name in it is the report's own
        assert len(m.title) < 120 and not m.title.upper().startswith("REGULATION 28 REPORT TO PREVENT"), m.title
        assert m.title.startswith("Regulation 28 report"), m.title
        if ": " in m.title:
            assert m.title.split(": ", 1)[1] in text, (name, m.title)
        # an age is one the report states, and never an infant's for someone the report calls Mr/Mrs/Miss/Ms
        if m.subject.age_years is not None:
            assert re.search(rf"\b{m.subject.age_text.split()[0]}\b", text), (name, m.subject.age_text)
            if re.search(r"(?i:deaths?\s+of):?\s+(?:Mr|Mrs|Miss|Ms)\.?\s+[A-Z]", text):
                assert m.subject.age_years >= 2, (name, m.subject.age_text)
        # a report that says the person took their own life, with no unlawful killing, is a suicide
        if re.search(r"\b(took|taken)\s+(his|her|their)\s+own\s+life|died\s+by\s+suicide|conclusion\s+of\s+suicide",
                     text, re.IGNORECASE) and not re.search(r"unlawful", text, re.IGNORECASE):
            assert m.subject.cause == "suicide", name
        # the coroner area, where the report names it, is found and is the report's own words
        if re.search(r"coroner'?s?\s+area\s+(of|for)\s+[A-Z]", text, re.IGNORECASE):
            assert m.area != "unknown" and m.area in text, (name, m.area)
    stated = [d for d in real_docs.values() if d.meta.subject.age_years is not None]
    assert len(stated) >= len(real_docs) // 2  # most reports state the age of the person who died
    suicides = [d for d in real_docs.values() if d.meta.subject.cause == "suicide"]
    assert suicides and all(d.meta.subject.age_years is None or d.meta.subject.age_years >= 10 for d in suicides)
