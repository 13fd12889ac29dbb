"""Lines into blocks (pipeline/ingest/paragraphs.py): footnotes only when they are footnotes, lettered
list items, sentences over a page break, paragraph numbers run into the text, headings that are not
headings, drawn bullets and line-end hyphens. Each PDF is made here with fpdf2 (points, Helvetica)."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.paragraphs import Dehyphenator
from pipeline.ingest.reader import read_document

LEFT = 72.0
BODY = 11.0
PITCH = 15.0


class _Pdf:
    """A few pages of text set line by line: `line(text, y, ...)`, `dot(x, y)`."""

    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)

    def page(self) -> None:
        self.pdf.add_page()

    def line(self, text: str, y: float, size: float = BODY, style: str = "", x: float = LEFT) -> None:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.text(x, y, text)

    def lines(self, texts: list[str], y: float, size: float = BODY, x: float = LEFT, pitch: float = PITCH) -> float:
        for text in texts:
            self.line(text, y, size, x=x)
            y += pitch
        return y

    def dot(self, x: float, y: float, r: float = 2.0) -> None:
        self.pdf.circle(x, y, r, style="F")

    def save(self, path: Path) -> Path:
        self.pdf.output(str(path))
        return path


FILLER = [  # body-size text, so that the body size is the document's main size
    "The panel met six times between 2021 and 2022 and read the records of every agency involved.",
    "Each agency wrote a report on its own involvement and the panel discussed each of them in turn.",
    "The reviewer spoke with the practitioners who knew the family and with the family themselves.",
]


def _read(path: Path):
    from pipeline.config import Settings

    return read_document(path, Settings())


def _texts(doc) -> list[str]:
    return [s.text for s in doc.sentences]


def test_small_lines_that_are_not_footnotes_stay_in_the_body(tmp_path: Path):
    pdf = _Pdf()
    pdf.page()
    y = pdf.lines(FILLER * 3, 90)
    # a small-type quote at the end of the text, one line opening with a date
    y = pdf.lines(["Her friend said:", "\"She told me on the phone that she was scared, and on",
                   "12 March she said he had taken her keys. I wish I had called someone.\""], y + 10, size=9, x=92,
                  pitch=12)
    # a real footnote, set apart below, running over two lines
    pdf.line("3 Multi-agency statutory guidance for the conduct of domestic homicide reviews, Home Office,",
             760, size=8)
    pdf.line("December 2016, paragraph 12.", 770, size=8, x=LEFT + 8)
    # a page set wholly in small type under a large heading: a line opens with "3.16,"
    pdf.page()
    pdf.line("Executive summary", 80, size=16, style="B")
    pdf.lines(["It was evident that professionals accepted the parents' accounts at",
               "face value and did not check them with other agencies. As described at para.",
               "3.16, there was a pattern of disguised compliance, with the family appearing",
               "to cooperate while little changed. The review found that practitioners did",
               "not triangulate what they were told with the information held by others."], 110, size=9.5,
              pitch=13)
    doc = _read(pdf.save(tmp_path / "notes.pdf"))
    texts = _texts(doc)
    assert [(f.page, f.marker) for f in doc.footnotes] == [(1, "3")]
    assert doc.footnotes[0].text.endswith("Home Office, December 2016, paragraph 12.")
    assert any("on 12 March she said he had taken her keys." in t for t in texts)
    assert "I wish I had called someone.\"" in texts
    assert any("As described at para. 3.16, there was a pattern of disguised compliance" in t for t in texts)
    assert "The review found that practitioners did not triangulate what they were told with the information " \
           "held by others." in texts


def test_lettered_roman_and_bracketed_items_open_their_own_sentences(tmp_path: Path):
    pdf = _Pdf()
    pdf.page()
    y = pdf.lines(FILLER, 90)
    y = pdf.lines(["In summary the following facts made a material contribution to her death:",
                   "a. Risk assessments were not performed in line with the hospital's policy.",
                   "b. There was no key worker present throughout her stay.",
                   "c. There were incomplete observations and little evidence of engagement",
                   "with her during observations. Boxes were not ticked on the records.",
                   "d. The family was not consulted about her plans."], y + 10)
    y = pdf.lines(["The matters of concern were as follows:",
                   "(i) Ms Y was not seen alone by any professional.",
                   "(ii) Her son was not asked about his experience at home.",
                   "b) The GP was not told about any of the incidents."], y + 10)
    pdf.lines(["The coroner made this report under paragraph 7 of Schedule 5 and paragraph",
               "(a) of the regulations, which apply to every inquest of this kind."], y + 10)
    doc = _read(pdf.save(tmp_path / "items.pdf"))
    texts = _texts(doc)
    for item in ("a. Risk assessments were not performed in line with the hospital's policy.",
                 "b. There was no key worker present throughout her stay.",
                 "c. There were incomplete observations and little evidence of engagement with her during "
                 "observations.",
                 "d. The family was not consulted about her plans.",
                 "(i) Ms Y was not seen alone by any professional.",
                 "(ii) Her son was not asked about his experience at home.",
                 "b) The GP was not told about any of the incidents."):
        assert item in texts, item
        assert next(s for s in doc.sentences if s.text == item).kind == "list"
    assert "In summary the following facts made a material contribution to her death:" in texts
    assert "The coroner made this report under paragraph 7 of Schedule 5 and paragraph (a) of the regulations, " \
           "which apply to every inquest of this kind." in texts


def test_a_sentence_cut_by_a_page_break_after_a_capitalised_word_is_one_sentence(tmp_path: Path):
    pdf = _Pdf()
    pdf.page()
    y = pdf.lines(FILLER, 90)
    pdf.lines(["The friend did not know where to report this and the information was never shared with",
               "the police or with the specialist service supporting Child"], y + 10)
    pdf.page()
    y = pdf.lines(["B, who attended the local primary school. The health visitor saw the family twice and",
                   "recorded that the home was clean. The"], 90)
    pdf.page()
    pdf.lines(["GP did not know that the emergency department was also working with the family."] + FILLER, 90)
    doc = _read(pdf.save(tmp_path / "breaks.pdf"))
    by_text = {s.text: s for s in doc.sentences}
    cut = ("The friend did not know where to report this and the information was never shared with the police "
           "or with the specialist service supporting Child B, who attended the local primary school.")
    assert by_text[cut].page == 1
    assert by_text["The GP did not know that the emergency department was also working with the family."].page == 2
    assert "The" not in by_text


def test_a_paragraph_number_run_into_its_first_word_is_read_when_it_continues_the_numbering(tmp_path: Path):
    pdf = _Pdf()
    pdf.page()
    y = 90.0
    for number, words in (("4.2.98", "On 29 November 2020 the practitioner asked the GP for information."),
                          ("4.2.99", "The housing officer was not aware of the earlier concerns."),
                          ("4.2.100", "On 30 November 2020, the records from the previous local authority arrived."),
                          ("4.2.101", "In November 2020, the coordinator and Mother discussed the support.")):
        pdf.line(number, y, x=LEFT)
        pdf.pdf.set_font("Helvetica", "", BODY)
        x = LEFT + max(36.0, pdf.pdf.get_string_width(number))  # a number too wide for its column touches the text
        pdf.line(words, y, x=x)
        pdf.line("This line continues the paragraph and ends it.", y + PITCH, x=LEFT + 36)
        y += 2.5 * PITCH
    doc = _read(pdf.save(tmp_path / "glued.pdf"))
    paragraphs = {s.text: s.paragraph for s in doc.sentences}
    assert paragraphs["On 30 November 2020, the records from the previous local authority arrived."] == "4.2.100"
    assert paragraphs["In November 2020, the coordinator and Mother discussed the support."] == "4.2.101"
    assert paragraphs["The housing officer was not aware of the earlier concerns."] == "4.2.99"
    assert not any(t.startswith("4.2.1") for t in paragraphs)


def test_bold_lines_that_are_not_headings_stay_in_the_body(tmp_path: Path):
    pdf = _Pdf()
    pdf.page()
    pdf.line("1. Introduction", 70, size=14, style="B")
    y = pdf.lines(FILLER + ["Copies of this report go to the bodies listed here."], 95)
    for k, name in enumerate(("Chief Executive of the Trust", "Chief Constable", "Care Quality Commission",
                              "Supported Living Limited", "Chief Coroner"), start=1):
        pdf.line(f"{k}. {name}", y, size=13 if k < 3 else 13.8, style="B", x=LEFT + 36)
        y += 11
    y = pdf.lines(FILLER + ["The medical cause of death was confirmed as:"], y + 15)
    pdf.line("1(a) Subdural Haematoma", y + 8, style="B", x=LEFT + 10)
    pdf.line("2. Findings", y + 45, size=14, style="B")
    y = pdf.lines(FILLER, y + 70)
    pdf.line("Mrs Jane Q. Smith", y + 40, style="B")
    pdf.line("Senior Coroner for Testshire", y + 40 + PITCH, style="B")
    doc = _read(pdf.save(tmp_path / "headings.pdf"))
    headings = [s.heading for s in doc.sections]
    assert headings == ["1. Introduction", "2. Findings"]
    text = " ".join(s.text for s in doc.sentences)
    for name in ("Care Quality Commission", "Supported Living Limited", "Chief Coroner", "1(a) Subdural Haematoma",
                 "Mrs Jane Q. Smith Senior Coroner for Testshire"):
        assert name in text


def test_drawn_bullets_open_list_items(tmp_path: Path):
    from pipeline.ingest.paragraphs import body_size, line_pitch, page_blocks
    from pipeline.ingest.pdf_reader import read_layouts

    pdf = _Pdf()
    pdf.page()
    y = pdf.lines(["2.1.1 The terms of reference for the review are summarised below; the full text is at",
                   "the end of the report."], 90)
    for item in (["It will consider how well information was shared between agencies."],
                 ["It will ask whether the voice and lived experience of the child informed the",
                  "decisions made."],
                 ["It will examine how agencies worked with Father."]):
        pdf.dot(LEFT + 26, y - 4)
        y = pdf.lines(item, y, x=LEFT + 36)
    pdf.lines(FILLER, y + 10)
    path = pdf.save(tmp_path / "dots.pdf")
    [layout] = read_layouts(path, path.read_bytes(), 10)
    size = body_size([layout.lines])
    blocks = page_blocks(layout.lines, 1, size, line_pitch([layout.lines], size), Dehyphenator(""),
                         shapes=layout.rules)
    items = [b.text for b in blocks if b.kind == "list"]
    assert items == ["It will consider how well information was shared between agencies.",
                     "It will ask whether the voice and lived experience of the child informed the decisions made.",
                     "It will examine how agencies worked with Father."]
    assert all(b.kind == "para" for b in page_blocks(layout.lines, 1, size, PITCH, Dehyphenator(""))
               if "It will" in b.text)  # without the shapes, no list


def test_line_end_hyphens():
    dehyph = Dehyphenator("a multi-agency meeting")
    for left, right, joined in (
            ("a one-", "off payment", "a one-off payment"),  # a compound whose halves are not both known words
            ("a follow-", "up visit", "a follow-up visit"),
            ("the co-", "ordinator", "the co-ordinator"),  # as British usage writes it
            ("pre-", "existing", "pre-existing"),
            ("short-", "ly after", "shortly after"),  # a word broken before its ending
            ("an assess-", "ment", "an assessment"),
            ("the safe-", "guarding team", "the safeguarding team"),
            ("a multi-", "agency meeting", "a multi-agency meeting"),
            ("the refer-", "ral was", "the referral was")):
        assert dehyph.join(left, right) == joined
    # the document's own spelling decides first
    assert Dehyphenator("the coordinator met the family").join("the co-", "ordinator") == "the coordinator"


def test_bullets_drawn_as_shapes_make_list_items_in_the_samples(repo_root):
    """The samples draw their bullets as small filled circles, no bullet character: the reader passes the
    page's shapes to page_blocks, so those items are 'list' sentences and carry no paragraph number."""
    from pipeline.config import load_settings
    from pipeline.ingest.reader import read_document

    doc = read_document(repo_root / "corpus" / "samples" / "eastmoor_scr_child_j_2017.pdf", load_settings(None))
    items = [s for s in doc.sentences if s.kind == "list"]
    assert len(items) >= 10 and all(s.paragraph is None for s in items)
