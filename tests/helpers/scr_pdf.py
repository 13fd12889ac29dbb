"""Generated review PDFs shaped like English serious case reviews, with their exact ground truth.

    truth = make_scr_pdf(path, seed=3, pages_target=60)

writes a 40 to 120 page PDF (cover; contents with dotted leaders; a two-column executive summary;
numbered sections "4." and "4.2" in larger bold type; numbered paragraphs with the number in the
margin ("4.2.7"); justified text with some words hyphenated across line ends; footnotes with
superscript markers; bullet lists; an agency table; appendices with a glossary table; a running
header with the review's name and a "Page N of M" footer on every page after the cover) and returns
`ScrPdfTruth`. The prose is fictional (tests/helpers/review_text.py). Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tests.helpers.review_text import (
    MONTHS, Bullets, Heading, Para, ReviewCase, Table, case_for_seed, headline, write_review,
)
from tests.helpers.scr_layout import (
    BODY_LH, BODY_SIZE, COL_LH, COL_SIZE, HEAD, LEFT, RIGHT, TEXT_X, Layout, Word, draw_pages,
)

FICTIONAL_LINE = "Illustrative review written for scr-themes: all people and events are fictional"
FOOTER_PATTERN = "Page {page} of {pages}"


class TruthSentence(NamedTuple):
    text: str
    """Exact sentence text as it should come back: hyphenated words joined, no footnote marker,
    no paragraph number, single spaces."""
    page: int
    """1-based physical page where the sentence starts."""
    section: str
    """The innermost heading as printed, number included: "4.2 March 2018 to June 2018",
    "Executive summary", "Appendix A: Terms of reference"."""
    paragraph: str | None
    """The printed paragraph number ("4.2.7", "1.3"), or None (executive summary, bullets, appendices)."""


class TruthFootnote(NamedTuple):
    marker: str
    """The superscript marker in the body ("1", "2", ...); the footnote line starts with it too."""
    text: str
    """The footnote's text without its marker."""
    page: int


class TruthSection(NamedTuple):
    number: str | None
    """"4", "4.2"; None for unnumbered headings (executive summary, appendices)."""
    title: str
    """Title without the number."""
    heading: str
    """As printed: "4. Summary of key events", "4.2 March 2018 to June 2018"."""
    level: int
    page: int


@dataclass(frozen=True)
class ScrPdfTruth:
    """Everything the generated PDF holds, for checking an extractor against it."""

    title: str
    """Cover title, also the running header text."""
    pages: int
    header_text: str
    """The running header printed at the top of pages 2..N."""
    footer_pattern: str
    """str.format pattern of the footer on pages 2..N: "Page {page} of {pages}"."""
    sentences: tuple[TruthSentence, ...]
    """Body sentences in reading order (two-column pages column by column), bullet items included.
    Cover, contents, table cells, headings and footnotes are not sentences."""
    list_items: tuple[str, ...]
    """The texts of the sentences that are bullet items."""
    footnotes: tuple[TruthFootnote, ...]
    table_cells: tuple[str, ...]
    """Every table cell's full text (header cells included), table by table, row by row."""
    contents_lines: tuple[str, ...]
    """Contents entries as printed before the dotted leader (the heading text); the page follows."""
    contents_pages: tuple[int, ...]
    """The page printed after each contents entry (the physical page of that heading)."""
    sections: tuple[TruthSection, ...]
    two_column_pages: tuple[int, ...]
    hyphenated_words: int
    """How many words were split with a hyphen across a line end."""
    review_type: str
    """"SCR" or "CSPR"."""
    year: int
    area: str
    """The partnership named on the cover."""
    subject_age: str
    """"4 months", "15 years"."""
    outcome: str
    cause: str
    fictional_line: str = FICTIONAL_LINE


def make_scr_pdf(path: Path, seed: int = 0, pages_target: int = 60, title: str | None = None,
                 case: ReviewCase | None = None) -> ScrPdfTruth:
    """Writes the review PDF for `seed` (or `case`) to `path`, about `pages_target` pages (40-120)."""
    if not 40 <= pages_target <= 120:
        raise ValueError(f"pages_target must be between 40 and 120, got {pages_target}")
    case = case or case_for_seed(seed)
    title = title or f"{case.review_name}: {case.child}"
    base = _paginate(write_review(case, 0), case, title)[0].page
    probe_n = pages_target * 2
    probe = _paginate(write_review(case, probe_n), case, title)[0].page
    per_event = max((probe - base) / probe_n, 1e-3)
    n = max(0, round((pages_target - base) / per_event))
    lay, truth = _paginate(write_review(case, n), case, title)
    if abs(lay.page - pages_target) > 1:
        n = max(0, n + round((pages_target - lay.page) / per_event))
        lay, truth = _paginate(write_review(case, n), case, title)
    created = dt.datetime(case.year, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
    pdf = draw_pages(lay.pages, title, FOOTER_PATTERN, created, title, case.author)
    Path(path).write_bytes(bytes(pdf.output()))
    return truth


def _paginate(blocks, case: ReviewCase, title: str) -> tuple[Layout, ScrPdfTruth]:
    lay = Layout(case.seed)
    lay.new_page()  # cover
    lay.new_page()  # contents, drawn once the heading pages are known
    sents: list[tuple[str, int, str, str | None]] = []
    items: list[str] = []
    notes: list[tuple[str, str, int]] = []
    cells: list[str] = []
    sections: list[TruthSection] = []
    two_col: set[int] = set()
    n1 = c1 = sub = c2 = 0
    columns, section = 1, ""
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                if block.numbered:
                    n1 += 1
                    number, printed = str(n1), f"{n1}. {block.title}"
                else:
                    number, printed = None, block.title
                c1, sub = 0, 0
                if block.new_page or block.columns != columns or columns == 2:
                    lay.new_page()
                columns = block.columns
            else:
                c1 += 1
                sub, c2 = c1, 0
                number, printed = f"{n1}.{c1}", f"{n1}.{c1} {block.title}"
            size, lh, before = HEAD[block.level]
            if lay.y > lay.top:
                lay.ensure(before + lh + 2 * BODY_LH)
                if lay.y > lay.top:
                    lay.y += before
            fx = lay.frames[lay.frame][0]
            lay.op("t", fx, lay.y + size * 0.3528 * 0.8, "B", size, printed, 0.0)
            lay.y += lh
            sections.append(TruthSection(number, block.title, printed, block.level, lay.page))
            section = printed
            if block.level == 1 and columns == 2:
                lay.set_columns(2, lay.y)
        elif isinstance(block, Para):
            number = None
            if block.numbered and columns == 1:
                if sub:
                    c2 += 1
                    number = f"{n1}.{sub}.{c2}"
                else:
                    c1 += 1
                    number = f"{n1}.{c1}"
            words, fn = _words(block.sentences, lay, sents, section, number, notes)
            size, lh = (COL_SIZE, COL_LH) if columns == 2 else (BODY_SIZE, BODY_LH)
            indent = 0.0 if columns == 2 else TEXT_X - LEFT
            if number and columns == 1:  # a long number ("4.2.100") widens the hanging indent, as a typesetter would
                indent = max(indent, lay.m.width(number, size) + 2.0)
            start = lay.page
            lay.flow(words, number, indent, fn, size, lh)
            if columns == 2:
                two_col.update(range(start, lay.page + 1))
            lay.y += 2.5
        elif isinstance(block, Bullets):
            for item in block.items:
                items.append(item.text)
                words, fn = _words((item,), lay, sents, section, None, notes)
                lay.flow(words, None, TEXT_X - LEFT + 7.0, fn, BODY_SIZE, BODY_LH, bullet=True)
                lay.y += 1.2
            lay.y += 2.0
        elif isinstance(block, Table):
            cells.extend(block.header)
            for row in block.rows:
                cells.extend(row)
            lay.table(block.header, block.rows, block.widths)
    lay.finish_page_notes()
    _cover(lay, case, title)
    contents = [s for s in sections if s.level == 1 or len(sections) <= 34]
    _contents(lay, contents)
    truth = ScrPdfTruth(
        title=title, pages=lay.page, header_text=title, footer_pattern=FOOTER_PATTERN,
        sentences=tuple(TruthSentence(t, lay.sent_pages[i], s, p) for t, i, s, p in sents),
        list_items=tuple(items),
        footnotes=tuple(TruthFootnote(m, t, _note_page(lay, m)) for m, t, _ in notes),
        table_cells=tuple(cells), contents_lines=tuple(s.heading for s in contents),
        contents_pages=tuple(s.page for s in contents), sections=tuple(sections),
        two_column_pages=tuple(sorted(two_col)), hyphenated_words=lay.hyphenations,
        review_type=case.review_type, year=case.year, area=case.partnership, subject_age=case.age_text,
        outcome=case.outcome, cause=case.cause,
    )
    return lay, truth


def _words(sentences, lay: Layout, sents: list, section: str, number: str | None, notes: list):
    words: list[Word] = []
    fn: dict[int, str] = {}
    for s in sentences:
        idx = len(lay.sent_pages)
        lay.sent_pages.append(0)
        sents.append((s.text, idx, section, number))
        parts = s.text.split(" ")
        sw = [Word(p, idx) for p in parts]
        if s.footnote:
            marker = str(len(notes) + 1)
            notes.append((marker, s.footnote, idx))
            fn[int(marker)] = s.footnote
            at = s.anchor if 0 <= s.anchor < len(sw) else len(sw) - 1
            sw[at].marker = marker
        words.extend(sw)
    return words, fn


def _note_page(lay: Layout, marker: str) -> int:
    for page, notes in enumerate(lay.notes, 1):
        if any(m == marker for m, _ in notes):
            return page
    raise AssertionError(f"footnote {marker} was not placed")


def _cover(lay: Layout, case: ReviewCase, title: str) -> None:
    ops = lay.pages[0]
    y = 40.0

    def text(line: str, size: float, style: str = "", gap: float = 1.5) -> None:
        nonlocal y
        for part in lay.wrap_plain(line, RIGHT - LEFT, size, style):
            ops.append(("t", LEFT, y + size * 0.3528, style, size, part, 0.0))
            y += size * 0.3528 * 1.35
        y += gap

    text(case.partnership, 16, "B", 30.0)
    text(title, 24, "B", 6.0)
    text(headline(case)[0], 13, "", 30.0)
    text(f"Published {MONTHS[(case.seed * 5) % 12]} {case.year}", 12)
    text(f"Independent reviewer: {case.author}", 12, "", 60.0)
    text(FICTIONAL_LINE, 10, "I")


def _contents(lay: Layout, sections: list[TruthSection]) -> None:
    ops = lay.pages[1]
    ops.append(("t", LEFT, 34.0, "B", 14, "Contents", 0.0))
    y = 46.0
    dot = lay.m.width(".", BODY_SIZE)
    for s in sections:
        x = LEFT if s.level == 1 else LEFT + 8.0
        page = str(s.page)
        pw = lay.m.width(page, BODY_SIZE)
        start = x + lay.m.width(s.heading + " ", BODY_SIZE)
        dots = "." * max(3, int((RIGHT - pw - 2.0 - start) / dot))
        ops.append(("t", x, y, "", BODY_SIZE, s.heading, 0.0))
        ops.append(("t", start, y, "", BODY_SIZE, dots, 0.0))
        ops.append(("t", RIGHT - pw, y, "", BODY_SIZE, page, 0.0))
        y += 6.4
