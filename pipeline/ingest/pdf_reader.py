"""A PDF into blocks: layout by page, furniture out, tables and footnotes apart, paragraphs joined."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError, UnreadablePDF
from pipeline.ingest.furniture import remove_furniture
from pipeline.ingest.paragraphs import (Block, Dehyphenator, Piece, body_size, is_contents_page, line_pitch,
                                        merge_across_pages, page_blocks, split_footnotes)
from pipeline.ingest.pdf_layout import Line, PageLayout, page_layout
from pipeline.ingest.sections import heading_number, looks_like_heading
from pipeline.ingest.tables import inside, page_tables
from pipeline.records import Footnote, TableBlock


@dataclass
class PdfContent:
    pages: int
    blocks: list[Block]
    footnotes: list[Footnote]
    tables: list[TableBlock]
    dehyph: Dehyphenator
    first_page_lines: list[tuple[str, float]]
    """(text, size) of the first page's lines before cleaning, for the title."""
    body_size: float


def open_pdf(path: Path, data: bytes, max_pages: int):
    """Open with pdfium; map its errors to the causes of pipeline.errors.InputError."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadablePDF(str(path), "encrypted PDF", "a password is needed to open it") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise UnreadablePDF(str(path), "encrypted PDF", "unsupported security handler") from None
        raise UnreadablePDF(str(path), "truncated or corrupt PDF", str(exc).split("\n")[0][:120]) from None
    if len(pdf) == 0:
        pdf.close()
        raise UnreadablePDF(str(path), "truncated or corrupt PDF", "no pages")
    if len(pdf) > max_pages:
        n = len(pdf)
        pdf.close()
        raise InputError(str(path), "too many pages", f"{n} pages, the limit is {max_pages} (ingest.max_pages)")
    return pdf


def read_layouts(path: Path, data: bytes, max_pages: int) -> list[PageLayout]:
    pdf = open_pdf(path, data, max_pages)
    try:
        return [page_layout(pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()


_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_SENTENCE = re.compile(r"^[A-Z(\"'\u2018\u201c].*?\b[a-z]{2,}[.!?]['\"\u2019\u201d)]?(?:\s|$)")


def is_cover(page: PageLayout, size: float, pages: int) -> bool:
    """A cover page's shape: few, short lines, one set large."""
    chars = sum(len(ln.text) for ln in page.lines)
    big = any(ln.size >= size * 1.4 for ln in page.lines)
    return pages >= 3 and big and len(page.lines) <= 15 and chars <= 800


def _opens_body(lines: list[Line], i: int, size: float) -> bool:
    """Line i starts the body: a numbered section heading ("1. Summary", not a date such as "12 March
    2021"), or a body-size line that starts a full sentence ending in a full stop."""
    ln = lines[i]
    text = ln.text.strip()
    number, title = heading_number(text)
    if number and number[0].isdigit() and looks_like_heading(ln, size, False) and not _MONTH.match(title):
        return True
    if not _body_size(ln, size) or not (len(text.split()) >= 5 or text.endswith((".", "!", "?"))):
        return False
    run = []
    for other in lines[i:]:
        if not _body_size(other, size):
            break
        run.append(other.text.strip())
    m = _SENTENCE.match(" ".join(run))
    return bool(m) and len(m.group().split()) >= 5


def _body_size(line: Line, size: float) -> bool:
    return abs(line.size - size) <= max(0.75, 0.08 * size)


def cover_lines(page: PageLayout, size: float, pages: int) -> int:
    """How many lines at the top of a first page are its cover (title, partnership, date): all of them
    on a cover, none on a page of body text. A cover-shaped page whose body starts on it (a numbered
    section heading, body-size sentences) is cover only above where the body starts: body sentences
    are never dropped with a cover."""
    if not is_cover(page, size, pages):
        return 0
    for i in range(len(page.lines)):
        if _opens_body(page.lines, i, size):
            return i
    return len(page.lines)


def pdf_content(path: Path, layouts: list[PageLayout]) -> PdfContent:
    first = [(ln.text, ln.size) for ln in layouts[0].lines] if layouts else []
    remove_furniture(layouts)
    tables: list[TableBlock] = []
    for page in layouts:
        for found in page_tables(page):
            page.lines = [ln for ln in page.lines if not inside(ln, found.bbox)]
            tables.append(TableBlock(found.page, len(tables), found.rows))
    all_lines = [p.lines for p in layouts]
    size = body_size(all_lines)
    pitch = line_pitch(all_lines, size)
    dehyph = Dehyphenator("\n".join(ln.text for lines in all_lines for ln in lines))
    blocks: list[Block] = []
    footnotes: list[Footnote] = []
    for page in layouts:
        cover = len(page.lines) if is_contents_page(page.lines) else (
            cover_lines(page, size, len(layouts)) if page.number == 1 else 0)
        blocks.extend(Block("contents", [Piece(page.number, ln.text.strip())]) for ln in page.lines[:cover])
        if cover == len(page.lines):
            continue
        page.lines = page.lines[cover:]
        lines, notes = split_footnotes(page.lines, size)
        footnotes.extend(Footnote(page.number, marker, text) for marker, text in notes)
        blocks.extend(page_blocks(lines, page.number, size, pitch, dehyph, shapes=page.rules))
    blocks = merge_across_pages(blocks, dehyph)
    return PdfContent(len(layouts), blocks, footnotes, tables, dehyph, first, size)
