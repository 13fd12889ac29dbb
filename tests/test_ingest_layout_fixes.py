"""Layout fixes: narrative (chronology) tables read into the prose, cells cut at the ruling lines,
unruled data tables, a short right-hand column, and spaces pdfium loses or adds (pdf_layout.py,
tables.py). The PDFs are made here with fpdf2 (and one by hand, for a kerned TJ array)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.ingest.reader import read_document
from pipeline.ingest.tables import is_data_table, is_narrative

BODY = [
    "The review was commissioned by the partnership after the death of Child Q in the spring of 2020.",
    "Child Q lived with her mother and two older brothers in a rented flat on the edge of the town.",
    "Several agencies knew the family, but none of them held the whole picture of what was happening.",
    "The reviewer met the practitioners who worked with the family and read each agency's records.",
    "Her mother took part in the review and her account is reflected throughout this report.",
    "The findings are set out in the order in which the events happened, and each ends with learning.",
]
AFTER = [
    "The panel agreed the chronology at its second meeting and each agency checked its own entries.",
    "The agencies listed above each provided a chronology and a report for the panel to read.",
]
CHRONOLOGY = [
    ("Date", "Agency", "Event and analysis"),
    ("12 March 2019", "Adult social care (duty team)",
     "Mother rang to say she could not cope with the children at weekends. The duty worker gave advice and "
     "closed the contact without an assessment."),
    ("2 April 2019", "Police",
     "Officers attended a report of shouting at the address. Both adults said it was a verbal argument and no "
     "further action was taken."),
    ("19 May 2019", "Health visiting service",
     "The health visitor saw the baby at home and noted that the flat was cold. She did not ask about domestic "
     "abuse because the father was present."),
]
DATA = [("Agency", "Contacts", "Period"), ("Adult social care (duty team)", "14", "2018 to 2020"),
        ("Health visiting service", "6", "2019"), ("Police", "3", "2019 to 2020")]


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    return pdf


def _wrap(pdf, text: str, width: float) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if pdf.get_string_width(trial) > width and cur:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + [cur]


def _paragraphs(pdf, y: float, texts: list[str], x: float = 72, width: float = 451) -> float:
    pdf.set_font("Helvetica", "", 11)
    for text in texts:
        for line in _wrap(pdf, text, width):
            pdf.text(x, y, line)
            y += 15
        y += 10
    return y


def _ruled_table(pdf, y: float, rows, widths, pad: float = 4) -> float:
    """Cells drawn as rectangles, each line of a cell its own text object (as fpdf2 and Word do)."""
    pdf.set_font("Helvetica", "", 9)
    for row in rows:
        cells = [_wrap(pdf, c, w - 2 * pad) for c, w in zip(row, widths)]
        height = max(len(c) for c in cells) * 12 + 8
        x = 72.0
        for lines, w in zip(cells, widths):
            pdf.rect(x, y, w, height)
            for k, line in enumerate(lines):
                pdf.text(x + pad, y + 12 + 12 * k, line)
            x += w
        y += height
    return y


def _heading(pdf, y: float, text: str) -> float:
    pdf.set_font("Helvetica", "B", 14)
    pdf.text(72, y, text)
    return y + 26


def _sentences(path: Path) -> tuple[list[str], object]:
    from pipeline.config import Settings

    doc = read_document(path, Settings())
    return [s.text for s in doc.sentences], doc


def test_chronology_table_is_read_row_by_row_and_data_table_kept_cell_for_cell(tmp_path: Path):
    pdf = _pdf()
    pdf.add_page()
    y = _heading(pdf, 90, "1. Introduction")
    _paragraphs(pdf, y, BODY)
    pdf.add_page()
    y = _heading(pdf, 90, "Appendix B: Chronology")
    y = _ruled_table(pdf, y, CHRONOLOGY, [90, 120, 241])
    _paragraphs(pdf, y + 30, AFTER[:1])
    pdf.add_page()
    y = _heading(pdf, 90, "Appendix C: Agencies")
    pdf.set_font("Helvetica", "", 9)
    first = pdf.get_string_width(DATA[1][0]) + 4  # cells run up to the rule: pdfium joins them
    y = _ruled_table(pdf, y, DATA, [first, 60, 90], pad=1.5)
    _paragraphs(pdf, y + 30, AFTER[1:])
    path = tmp_path / "chronology.pdf"
    pdf.output(str(path))

    sentences, doc = _sentences(path)
    assert "12 March 2019, Adult social care (duty team): Mother rang to say she could not cope with the " \
           "children at weekends." in sentences
    assert "2 April 2019, Police: Officers attended a report of shouting at the address." in sentences
    assert "19 May 2019, Health visiting service: The health visitor saw the baby at home and noted that the " \
           "flat was cold." in sentences
    for row in CHRONOLOGY[1:]:
        for tail in re.split(r"(?<=\.) ", row[2])[1:]:
            assert sentences.count(tail) == 1, tail
    assert not any("Event and analysis" in s or "Contacts" in s for s in sentences)
    assert [t.rows for t in doc.tables] == [tuple(DATA)]
    assert [s for s in sentences if s in BODY + AFTER] == BODY + AFTER


def test_table_kinds():
    form = [["", "REGULATION 28 REPORT TO PREVENT FUTURE DEATHS"],
            ["1", "CORONER I am the assistant coroner for the area. I make this report under the Act."],
            ["2", "CIRCUMSTANCES OF THE DEATH The deceased was found at home by her neighbour on the morning."],
            ["9", "21 April 2023 Senior Coroner"]]
    chronology = [list(r) for r in CHRONOLOGY]
    assert not is_narrative(form) and not is_data_table(form)
    assert is_narrative(chronology) and not is_data_table(chronology)
    assert is_data_table([list(r) for r in DATA]) and not is_narrative([list(r) for r in DATA])


def test_unruled_table_is_a_data_table(tmp_path: Path):
    pdf = _pdf()
    pdf.add_page()
    y = _heading(pdf, 90, "1. Agencies involved")
    y = _paragraphs(pdf, y, BODY[:3])
    pdf.set_font("Helvetica", "", 9)
    for row in DATA:
        for x, cell in zip((76, 256, 336), row):
            pdf.text(x, y, cell)
        y += 18
    _paragraphs(pdf, y + 20, BODY[3:])
    path = tmp_path / "unruled.pdf"
    pdf.output(str(path))

    sentences, doc = _sentences(path)
    assert [t.rows for t in doc.tables] == [tuple(DATA)]
    assert not any("Contacts" in s or "2018 to 2020" in s for s in sentences)
    assert [s for s in sentences if s in BODY] == BODY


def test_short_right_column_is_read_after_the_left_one(tmp_path: Path):
    text = " ".join(BODY[:4])
    pdf = _pdf()
    pdf.add_page()
    y = _heading(pdf, 80, "Executive summary")
    pdf.set_font("Helvetica", "", 11)
    lines = _wrap(pdf, text, 220)
    left, right = lines[:-2], lines[-2:]  # the text flows on into two lines of the right column
    for k, line in enumerate(left):
        pdf.text(72, y + 15 * k, line)
    for k, line in enumerate(right):
        pdf.text(318, y + 15 * k, line)
    y = _paragraphs(pdf, y + 15 * len(left) + 20, BODY[4:])
    # a single-column block with a wide line on the right beside short labels stays row by row
    pdf.set_font("Helvetica", "", 11)
    for k, (label, value) in enumerate([("Signed:", "The independent reviewer for the board"),
                                        ("Name:", "J. Bloggs"), ("Role:", "Independent reviewer")]):
        pdf.text(72, y + 15 * k, label)
        pdf.text(310 if k == 0 else 150, y + 15 * k, value)
    path = tmp_path / "columns.pdf"
    pdf.output(str(path))

    sentences, _ = _sentences(path)
    assert sentences[:6] == BODY
    assert any(s.startswith("Signed: The independent reviewer") for s in sentences)


def _kerned_pdf(lines: list[tuple[float, str]]) -> bytes:
    """A one-page PDF in core Helvetica whose lines are TJ arrays (kerning numbers included)."""
    content = "".join(f"BT /F1 11 Tf 72 {y} Td [{tj}] TJ ET\n" for y, tj in lines).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_spaces_pdfium_drops_or_adds(tmp_path: Path):
    """A space set as its own text object and overlapped by the next word is dropped by pdfium's text
    ("Inmy"); a space kerned back under the next digit is kept ("197 4"). Both are read as printed."""
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    tight = {"In my opinion there is a risk that future deaths will occur.": 0,
             "You may write to me about the release of your response.": 4,
             "The Coroners and Justice Act 2009 and the Regulations apply.": 4}
    y = 100.0
    for sentence, k_tight in tight.items():
        x = 72.0
        words = sentence.split()
        for k, word in enumerate(words):
            pdf.text(x, y, word)
            x += pdf.get_string_width(word)
            if k < len(words) - 1:
                pdf.text(x, y, " ")
                x += 0.6 if k == k_tight else pdf.get_string_width(" ")
        y += 20
    _paragraphs(pdf, y + 10, BODY)
    path = tmp_path / "spaces.pdf"
    pdf.output(str(path))
    sentences, _ = _sentences(path)
    assert list(tight) == sentences[:3]
    assert sentences[3:] == BODY

    kerned = tmp_path / "kerned.pdf"
    kerned.write_bytes(_kerned_pdf([(700, "(It was inspected under the Health and Safety at Work Act 197) ( ) 300 "
                                          "(4 in the spring.)"),
                                    (680, "(The Act) ( ) 40 (of 1974 applies, and) ( ) 200 (the rest is spaced.)")]))
    sentences, _ = _sentences(kerned)
    assert sentences == ["It was inspected under the Health and Safety at Work Act 1974 in the spring.",
                         "The Act of 1974 applies, and the rest is spaced."]


def test_real_reports_words_match_pdfplumbers(real_dir: Path):
    """No word of ours is two of pdfplumber's run together, nor one of its split in two."""
    import pdfplumber
    import pypdfium2 as pdfium

    from pipeline.ingest.pdf_layout import page_layout

    word = re.compile(r"[A-Za-z0-9]+")
    run_together, split = [], []
    for path in sorted(real_dir.glob("*.pdf")):
        doc = pdfium.PdfDocument(str(path))
        with pdfplumber.open(str(path)) as plumbed:
            for i in range(len(doc)):
                ours = [w for ln in page_layout(doc, i).lines for w in word.findall(ln.text)]
                theirs = word.findall(plumbed.pages[i].extract_text() or "")
                their_pairs = {a + b for a, b in zip(theirs, theirs[1:])}
                our_pairs = {a + b for a, b in zip(ours, ours[1:])}
                run_together += [(path.name, i + 1) for w in set(ours) - set(theirs) if w in their_pairs]
                split += [(path.name, i + 1) for w in set(theirs) - set(ours) if w in our_pairs]
        doc.close()
    assert not run_together and not split, (run_together, split)



def test_narrative_table_rows_do_not_set_the_body_type_size():
    """Where a chronology in 9 pt fills more of the document than the 11 pt prose, the body size (and the
    line pitch that tells paragraphs apart) still come from the prose, so its lines are not read as headings."""
    from pipeline.ingest.paragraphs import body_size, line_pitch
    from pipeline.ingest.pdf_layout import Line

    prose = [Line("The review was commissioned by the partnership after the death.", 72, 520, 100 + 15 * i,
                  111 + 15 * i, 11.0) for i in range(6)]
    rows = [Line("12 March 2019, Police: officers attended a report of shouting at the address and left.",
                 72, 520, 100 + 12 * i, 109 + 12 * i, 9.0, table_row=True) for i in range(40)]
    assert body_size([prose, rows]) == 11.0
    assert line_pitch([prose, rows], 11.0) == 15.0
