"""Document structure read from small PDFs made here (fpdf2): a cover-shaped first page that holds the
body, false headings (form items, recipients, signatures), running headers on alternate pages, the
end of a numbered list, the Regulation 28 form's title lines, and a blank form's metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.ingest.pdf_layout import Line
from pipeline.ingest.reader import read_document

BODY = 12.0
LEFT = 72.0


def _write(path: Path, pages: list[list[tuple]]) -> Path:
    """Each page: (x, baseline y, text, size, style) items, in points on A4."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    for items in pages:
        pdf.add_page()
        for x, y, text, size, style in items:
            pdf.set_font("Helvetica", style, size)
            pdf.text(x, y, text)
    pdf.output(str(path))
    return path


def _read(path: Path):
    from pipeline.config import Settings

    return read_document(path, Settings())


def _body(y: float, lines: list[str], x: float = LEFT, size: float = BODY) -> tuple[list[tuple], float]:
    items = []
    for text in lines:
        items.append((x, y, text, size, ""))
        y += 15
    return items, y + 8


FILLER = [
    "The review looked at how agencies worked with the family over two years.",
    "Practitioners were open with the review and reflected on their practice.",
    "The findings below set out what the partnership should learn from this case.",
]


# 1. A cover-shaped first page with the body on it keeps its sentences.

def test_first_page_with_a_title_a_numbered_heading_and_sentences_keeps_its_sentences(tmp_path):
    first = [(LEFT, 80, "Safeguarding Adults Review: Adult W", 26, "B"), (LEFT, 125, "1. Summary", 15, "B")]
    items, _ = _body(150, ["Adult W was 81 years old and lived with her son, who was her carer.",
                           "Adult W died in hospital in March 2021 from infected pressure ulcers."])
    later = [_body(300, FILLER)[0], _body(300, FILLER[::-1])[0]]
    doc = _read(_write(tmp_path / "sar.pdf", [first + items] + later))
    on_page_1 = [s for s in doc.sentences if s.page == 1]
    assert [s.text for s in on_page_1] == [
        "Adult W was 81 years old and lived with her son, who was her carer.",
        "Adult W died in hospital in March 2021 from infected pressure ulcers."]
    assert all(s.section == "1. Summary" for s in on_page_1)
    # a cover (title, board, reviewer, dates) still gives no sentences
    cover = [(LEFT, 250, "Safeguarding Adults Review: Adult X", 26, "B"),
             (LEFT, 290, "Northtown Safeguarding Adults Board", 14, ""),
             (LEFT, 315, "Independent reviewer: J. Bloggs", 12, ""), (LEFT, 335, "Published March 2021", 12, ""),
             (LEFT, 360, "12 March 2021", 15, "")]
    doc = _read(_write(tmp_path / "cover.pdf", [cover] + later))
    assert not [s for s in doc.sentences if s.page == 1]
    assert doc.meta.title.startswith("Safeguarding Adults Review")


# 3. False headings: form items, signatures, recipients, numbering that breaks the document's own.

def _line(text: str, size: float = BODY, bold: bool = True) -> Line:
    return Line(text, LEFT, 300.0, 100.0, 100.0 + size, size, bold)


def test_form_items_and_signatures_are_not_headings():
    from pipeline.ingest.sections import looks_like_heading

    for text in ["1(a) Subdural Haematoma", "1(b) Fall", "1a Septic Shock", "Ia Ligature suspension",
                 "Mrs Heidi J. Connor", "Dr E A Smith", "Senior Coroner for Northfield",
                 "Area Coroner for the County of Westshire"]:
        assert not looks_like_heading(_line(text), BODY, False), text
    for text in ["4. Findings", "2.1 Terms of reference", "Ms Y: background", "Appendix A: Glossary",
                 "The coroner's concerns", "1 A new approach"]:
        assert looks_like_heading(_line(text), BODY, False), text


@pytest.mark.parametrize("numbers, breaks", [
    (["3", "4", "5", "1", "2", "3", "4", "5", "6", "7", "8"], {0, 1, 2}),  # recipients above the form's sections
    (["1", "2", "3", "7", "8", "4", "5"], {3, 4}),  # a bold numbered list inside section 3
    (["1", "3", "1", "2", "3", "1", "2"], set()),  # one heading not seen; numbering restarts in parts
    (["2", "3", "4"], set()),  # sections start late
    (["1", "2", "4", "5", "6"], set()),  # a number skipped: nothing resumes, nothing is lost
    (["1", "1.1", "2", "2.1", None, "3"], set()),
])
def test_numbering_breaks(numbers, breaks):
    from pipeline.ingest.sections import numbering_breaks

    assert numbering_breaks(numbers) == breaks


def _pfd_pages(title: list[str]) -> list[list[tuple]]:
    top = [(100, 70 + 20 * k, t, BODY, "B") for k, t in enumerate(title)]
    y = 70 + 20 * len(title) + 10
    page = top + [(120, y, "1. Chief Executive, Northfield Hospitals Trust", 14, "B"),
                  (120, y + 25, "2. Director of Adult Services, Southvale Council", 14, "B"),
                  (120, y + 50, "3. Care Standards Agency", 14, "B")]
    y += 90
    for number, heading, lines in [
        ("1", "CORONER", ["I am Anne Example, senior coroner for the coroner area of Northfield."]),
        ("2", "CORONER'S LEGAL POWERS", ["I make this report under paragraph 7, Schedule 5, of the Act."]),
        ("3", "INVESTIGATION and INQUEST", ["The inquest concluded on 3 March 2023.",
                                            "The medical cause of death was:"]),
    ]:
        page.append((LEFT, y, f"{number} {heading}", BODY, ""))
        items, y = _body(y + 20, lines, x=100)
        page += items
    page += [(100, y + 15, "1(a) Head Injury", BODY, "B"), (100, y + 45, "1(b) Fall", BODY, ""),
             (100, y + 75, "2 Frailty of Old Age", BODY, "")]
    y += 110
    page.append((LEFT, y, "4 CIRCUMSTANCES OF THE DEATH", BODY, ""))
    items, y = _body(y + 20, ["The man fell in the ward at night and struck his head.",
                              "THE TRUST HAS SINCE CHANGED ITS POLICY."], x=100)
    page += items
    page.append((LEFT, y, "5 CORONER'S CONCERNS", BODY, ""))
    items, y = _body(y + 20, ["The ward had too few staff at night to watch patients at risk of falls."], x=100)
    page += items + [(100, y + 30, "Mrs Anne B. Example", 14, "B"),
                     (100, y + 50, "Senior Coroner for Northfield", 14, "B")]
    return [page]


@pytest.mark.parametrize("title", [
    ["REGULATION 28 REPORT TO PREVENT FUTURE DEATHS", "THIS REPORT IS BEING SENT TO:"],
    ["REGULATION 28 REPORT TO PREVENT", "FUTURE DEATHSTHIS REPORT IS BEING SENT", "TO:"],  # broken over lines
])
def test_regulation_28_form_structure(tmp_path, title):
    doc = _read(_write(tmp_path / "pfd.pdf", _pfd_pages(title)))
    texts = [s.text for s in doc.sentences]
    # the form's title lines are furniture; an all-capital sentence of the report is not
    assert not [t for t in texts if re.search(r"REPORT TO PREVENT|BEING SENT|^TO:$|^FUTURE DEATHS", t)], texts
    assert "THE TRUST HAS SINCE CHANGED ITS POLICY." in texts
    # recipients, causes of death and the signature are text, not sections
    assert [s.number for s in doc.sections] == ["1", "2", "3", "4", "5"], [s.heading for s in doc.sections]
    by_text = {s.text: s for s in doc.sentences}
    assert by_text["Care Standards Agency"].paragraph == "3"
    for item in ("1(a) Head Injury", "1(b) Fall"):
        assert by_text[item].section == "3 INVESTIGATION and INQUEST"
    assert any("Mrs Anne B. Example" in t for t in texts)
    assert doc.meta.review_type == "PFD"


def test_form_title_lengths():
    from pipeline.ingest.furniture import form_title_lengths

    assert form_title_lengths(["REGULATION 28 REPORT TO PREVENT", "FUTURE DEATHSTHIS REPORT IS BEING SENT", "TO:",
                               "1. Chief Executive"]) == [31, 38, 3, 0]
    assert form_title_lengths(["THIS REPORT IS BEING SENT TO: The Chief Constable"]) == [30]
    assert form_title_lengths(["Regulation 28 report to prevent future deaths was sent.",
                               "REGULATION 28 REPORT TO PREVENT FUTURE DEATHSX"]) == [0, 0]


# 4. Running headers that alternate between odd and even pages; body lines repeated at other heights.

def test_alternating_running_headers_of_a_short_document_are_furniture(tmp_path):
    pages = [[(LEFT, 250, "Domestic Homicide Review", 26, "B"), (LEFT, 290, "Report into the death of Ms Q", 16, "")]]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    for n, day in enumerate(days, start=2):
        header = ("Domestic Homicide Review into the death of Ms Q" if n % 2
                  else "Westfield Community Safety Partnership")
        items, _ = _body(100 + 7 * n, [f"On {day} the panel heard from the agencies that knew Ms Q and her partner.",
                                       *FILLER[n % 3:], *FILLER[:n % 3]])
        pages.append([(LEFT, 40, header, 8, ""), (480, 40, f"Page {n}", 8, "")] + items)
    doc = _read(_write(tmp_path / "dhr.pdf", pages))
    assert not [s.text for s in doc.sentences if "Page" in s.text or "Homicide Review" in s.text]
    assert [s.page for s in doc.sentences if s.text.startswith("On ")] == [2, 3, 4, 5, 6]


def test_a_body_line_repeated_near_page_tops_at_other_heights_stays(tmp_path):
    pages = []
    for n in range(1, 6):
        items, _ = _body(70 + 22 * n, ["The panel met again.", f"It heard from {n + 2} agencies about the family."])
        pages.append([(LEFT, 40, "Child Safeguarding Practice Review: Child Q", 8, "")] + items
                     + _body(300, FILLER)[0])
    doc = _read(_write(tmp_path / "repeat.pdf", pages))
    assert [s.page for s in doc.sentences if s.text == "The panel met again."] == [1, 2, 3, 4, 5]
    assert not [s for s in doc.sentences if "Child Q" in s.text]


# 2. A numbered list's item number ends with the list.

def test_paragraph_number_ends_with_the_numbered_list(tmp_path):
    page = [(LEFT, 60, "3 FINDINGS", BODY, "B")]
    y = 90
    for n, text in enumerate(["The staff knew of the risk but did not record it.",
                              "No-one asked the family about her plans.",
                              "The notes of the session were not read that day."], start=1):
        page.append((LEFT, y, f"{n}. {text}", BODY, ""))
        y += 15
    items, y = _body(y + 15, ["In summary the following facts made a material contribution to the death.",
                              "The ward was short of staff on the night she died, and the checks of the",
                              "toilets were not made."])
    page += items
    page += [(LEFT, y + 15, "4.1 The trust has since changed its policy on observations, and it has", BODY, ""),
             (LEFT + 24, y + 30, "trained its staff in the new policy.", BODY, "")]
    items, _ = _body(y + 60, ["The review makes these recommendations for the trust, which it has", "accepted."])
    doc = _read(_write(tmp_path / "list.pdf", [page + items]))
    by_text = {s.text: s for s in doc.sentences}
    assert by_text["The notes of the session were not read that day."].paragraph == "3"
    assert by_text["In summary the following facts made a material contribution to the death."].paragraph is None
    assert by_text["The ward was short of staff on the night she died, and the checks of the toilets were not "
                   "made."].paragraph is None
    # a report's decimal paragraph numbers are not a list: the unnumbered line after one stays in it
    assert by_text["The review makes these recommendations for the trust, which it has accepted."].paragraph == "4.1"


# 5. A blank form is marked as such; its worked example is not a case.

def test_blank_form_metadata():
    from pipeline.ingest.metadata import document_meta

    first = [("REGULATION 28: REPORT TO PREVENT FUTURE DEATHS", 12.0), ("THIS REPORT IS BEING SENT TO:", 12.0)]
    blank = ["I am [NAME], senior coroner for the coroner area of [NAME OF AREA]. On [DATE] I commenced an "
             "investigation into the death of [NAME, AGE].",
             "On 18 June 2013 I commenced an investigation into the death of ANNE EXAMPLE, then aged 41. "
             "The conclusion of the inquest was suicide."]
    meta = document_meta(first, blank)
    assert meta.title == "Regulation 28 report (blank template)"
    assert meta.review_type == "PFD"
    assert meta.subject.age_years is None and meta.subject.cause == "unknown"
    report = ["On 18 June 2013 I commenced an investigation into the death of Anne Example, aged 41, of [REDACTED]. "
              "[REDACTED] and [REDACTED] were told. The conclusion of the inquest was suicide."]
    meta = document_meta(first, report)
    assert meta.title == "Regulation 28 report: Anne Example"
    assert meta.subject.age_years == 41 and meta.subject.cause == "suicide"


# The real coroners' reports (../shared/corpus/real), where present.

@pytest.fixture(scope="module")
def real_pdfs(real_dir: Path):
    return {p.name: _read(p) for p in sorted(real_dir.glob("*.pdf"))}


def test_real_reports_keep_their_form_structure(real_pdfs):
    from pipeline.ingest.sections import numbering_breaks

    for name, doc in real_pdfs.items():
        assert not [s.text for s in doc.sentences if re.search(r"REPORT TO PREVENT|BEING SENT TO", s.text)], name
        numbered = [s.number for s in doc.sections if s.number and s.number.isdigit()]
        assert numbered and numbered[0] == "1", (name, [s.heading for s in doc.sections])
        assert not numbering_breaks(numbered), (name, numbered)
        for section in doc.sections:
            form_item = re.match(r"^(\d{1,2}|[IVX]{1,3})\s?(\([a-h]\)|[a-h]\s)", section.heading)
            assert not form_item, (name, section.heading)
            assert not re.match(r"^(Mr|Mrs|Ms|Miss|Dr)\.?\s", section.heading), (name, section.heading)
        blank = "template" in name
        assert doc.meta.title.endswith("(blank template)") == blank, (name, doc.meta.title)
