"""tools.render_pfd: real PFD records (and awkward characters) become readable Regulation 28 PDFs."""

from __future__ import annotations

import json
import re

import pypdfium2 as pdfium

from tools.render_pfd import latin1, render_reports

HEADINGS = ("REGULATION 28: REPORT TO PREVENT FUTURE DEATHS", "1 CORONER", "2 CORONER'S LEGAL POWERS",
            "3 INVESTIGATION and INQUEST", "4 CIRCUMSTANCES OF THE DEATH", "5 CORONER'S CONCERNS")


def _text(path) -> tuple[str, int]:
    doc = pdfium.PdfDocument(path)
    pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    return re.sub(r"\s+", " ", " ".join(pages)), len(pages)


def test_five_real_reports_render_with_form_headings(pfd_jsonl, tmp_path):
    paths = render_reports(pfd_jsonl, tmp_path, limit=5)
    records = [json.loads(line) for line in pfd_jsonl.read_text(encoding="utf-8").splitlines()[:5]]
    assert len(paths) == 5 and len({p.name for p in paths}) == 5
    for path, record in zip(paths, records):
        text, pages = _text(path)
        for heading in HEADINGS:
            assert heading in text, (path.name, heading)
        assert f"Page {pages} of {pages}" in text
        words = latin1(record["circumstances"]).split()
        assert " ".join(words[:12]) in text
        assert " ".join(words[-8:]) in text


def test_non_latin1_characters_are_transliterated(tmp_path):
    record = {"id": "test-1", "date": "2024-02-03", "coroner": "A. Ma\u0142ecki", "area": "Testshire",
              "receiver": "Chief Executive, Example Trust", "investigation": "An inquest was opened.",
              "circumstances": "He said \u201cI\u2019m fine\u201d \u2014 then left\u2026 \u2713 caf\u00e9.",
              "concerns": "Waiting lists \u2013 too long."}
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [path] = render_reports(jsonl, tmp_path / "out")
    text, _ = _text(path)
    assert "He said \"I'm fine\" - then left... ? caf\u00e9." in text
    assert "A. Malecki" in text and "Waiting lists - too long." in text
    assert path.read_bytes() == render_reports(jsonl, tmp_path / "again")[0].read_bytes()
