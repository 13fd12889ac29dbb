"""Per-page layout from pypdfium2: lines with position, font size and weight, in reading order.

pdfium gives the page text (with its own line breaks) in one call and each character's box in one
call per character; font size and name are read only where they matter (the first character of each
line and digits, which may be footnote markers). That is 10-20x faster than pdfplumber's
character-level parse, which we call only on pages that draw ruled tables (see tables.py).

Reading order: lines are sorted top to bottom; on a two-column page, the left column is read before
the right one (full-width lines separate column runs).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

SOFT_HYPHEN = "\ufffe"  # pdfium's mark for a hyphen at a line end whose lines it joined
MARKER_CHARS = set("0123456789*\u2020\u2021")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    hyphen: bool = False
    """The line ended with a hyphen at a line break (pdfium's soft-hyphen mark)."""
    markers: list[tuple[int, str]] = field(default_factory=list)
    """Footnote markers (superscripts) taken out of `text`: (offset in text, marker)."""

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]
    chars: int
    images: int = 0
    paths: int = 0
    segments: list[Line] = field(default_factory=list)
    """The line segments before rows were merged (tables split them by cell)."""
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Boxes (x0, top, x1, bottom) of the page's path objects: ruling lines and cell borders."""


def _font(raw, index: int, buf) -> tuple[float, bool]:
    """(size, bold) of one character. The size is the height of pdfium's loose box (font ascent to
    descent in page units), which stays right where the text matrix scales a 1-pt font."""
    rect = pdfium_c.FS_RECTF()
    if pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
        size = abs(rect.top - rect.bottom)
    else:
        size = float(pdfium_c.FPDFText_GetFontSize(raw, index))
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buf, len(buf), ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace").lower()
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    bold = weight >= 600 or any(w in name for w in ("bold", "black", "heavy", "semibold", "demi"))
    return size, bold


_LINE_BREAK = re.compile(r"\r\n|\r|\n|\ufffe")
_MARKER_RUN = re.compile(r"(?<=[A-Za-z.,;:)\]'\"\u2019\u201d])[0-9*\u2020\u2021]{1,3}(?=[\s.,;:)]|$)")


class _Boxes:
    """Character boxes from pdfium, read on demand (one call per character asked for)."""

    def __init__(self, raw, height: float) -> None:
        self.raw, self.height = raw, height
        self.L, self.R, self.B, self.T = (ctypes.c_double() for _ in range(4))
        self.buf = ctypes.create_string_buffer(128)

    def box(self, i: int) -> tuple[float, float, float, float]:
        """x0, x1, top, bottom (top-down page coordinates)."""
        pdfium_c.FPDFText_GetCharBox(self.raw, i, self.L, self.R, self.B, self.T)
        return self.L.value, self.R.value, self.height - self.T.value, self.height - self.B.value

    def font(self, i: int) -> tuple[float, bool]:
        return _font(self.raw, i, self.buf)


def _segment(text: str, start: int, end: int, boxes: _Boxes, hyphen: bool) -> Line | None:
    """One segment: text[start:end] (no line breaks inside), its box, size, weight and footnote markers."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    x0, _, top, bottom = boxes.box(start)
    _, x1, top2, bottom2 = boxes.box(end - 1)
    size, bold = boxes.font(start)
    body = text[start:end]
    markers: list[tuple[int, str]] = []
    if any(c in MARKER_CHARS for c in body):
        kept, last = [], 0
        for m in _MARKER_RUN.finditer(body):
            csize, _ = boxes.font(start + m.start())
            if csize < 0.8 * size:
                kept.append(body[last:m.start()])
                markers.append((sum(len(k) for k in kept), m.group()))
                last = m.end()
        if markers:
            kept.append(body[last:])
            body = "".join(kept)
    return Line(body + ("-" if hyphen else ""), x0, max(x1, x0), min(top, top2), max(bottom, bottom2), size or 10.0,
                bold, hyphen, markers)


def _segments(text: str, raw, height: float) -> list[Line]:
    """Cut the page's text into line segments: at pdfium's line breaks and at wide horizontal gaps
    (two columns, or a table's cells, printed on one line)."""
    boxes = _Boxes(raw, height)
    out: list[Line] = []
    pos = 0
    for m in list(_LINE_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        hyphen = bool(m) and m.group() == SOFT_HYPHEN
        cut = pos
        size = 0.0
        k = text.find(" ", pos, end)
        while k != -1:
            j = k
            while j < end and text[j] == " ":
                j += 1
            if cut < k and j < end:
                if not size:
                    size = boxes.font(cut)[0] or 10.0
                gap = boxes.box(j)[0] - boxes.box(k - 1)[1]
                if gap > 2.2 * size or gap < -2 * size:
                    seg = _segment(text, cut, k, boxes, False)
                    if seg:
                        out.append(seg)
                    cut = j
            k = text.find(" ", j, end)
        seg = _segment(text, cut, end, boxes, hyphen)
        if seg:
            out.append(seg)
        pos = m.end() if m else len(text)
    return out


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height or 1, b.height or 1)


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda s: (s.top, s.x0)):
        if rows and _same_row(rows[-1][0], ln):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(r, key=lambda s: s.x0) for r in rows]


def _merge_row(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    text, markers = "", []
    for seg in row:
        if text:
            text += " "
        markers += [(len(text) + o, m) for o, m in seg.markers]
        text += seg.text
    body = max(row, key=lambda s: len(s.text))
    return Line(text, min(s.x0 for s in row), max(s.x1 for s in row), min(s.top for s in row),
                max(s.bottom for s in row), body.size, all(s.bold for s in row), row[-1].hyphen, markers)


def _is_two_column(lines: list[Line], width: float) -> bool:
    """Text in a right-hand column: at least three wide lines starting at one x right of the middle,
    beside at least three left-hand lines, and no line crossing the middle at that height."""
    mid = width / 2
    right = [s for s in lines if s.x0 >= mid - 2 and s.x1 - s.x0 > 0.15 * width]
    if len(right) < 3:
        return False
    starts = sorted(round(s.x0) for s in right)
    if max(sum(1 for x in starts if abs(x - s) <= 4) for s in starts) < 0.5 * len(right):
        return False
    top, bottom = min(s.top for s in right), max(s.bottom for s in right)
    band = [s for s in lines if top - 1 <= (s.top + s.bottom) / 2 <= bottom + 1]
    if any(s.x0 < mid - 2 and s.x1 > mid + 2 for s in band):
        return False
    return sum(1 for s in band if s.x1 <= mid + 2) >= 3


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """Order a page's segments: rows top to bottom; a two-column page column by column."""
    if not _is_two_column(lines, width):
        return [_merge_row(r) for r in _rows(lines)]
    mid = width / 2
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        out.extend(_merge_row(r) for r in _rows(left))
        out.extend(_merge_row(r) for r in _rows(right))
        left.clear()
        right.clear()

    for row in _rows(lines):
        spanning = [s for s in row if s.x0 < mid - 2 and s.x1 > mid + 2]
        if spanning:
            flush()
            out.append(_merge_row(row))
            continue
        for s in row:
            (left if s.x1 <= mid + 2 else right).append(s)
    flush()
    return out


MAX_RULES = 3000
"""Pages drawing more paths than this (charts, maps) are not searched for ruled tables."""


def _objects(page, height: float) -> tuple[int, list[tuple[float, float, float, float]]]:
    """(number of images, boxes of path objects) on a page."""
    raw = page.raw
    images = 0
    rules: list[tuple[float, float, float, float]] = []
    L, B, R, T = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and len(rules) <= MAX_RULES:
            if pdfium_c.FPDFPageObj_GetBounds(obj, L, B, R, T):
                rules.append((L.value, height - T.value, R.value, height - B.value))
    return images, rules


def page_layout(pdf: pdfium.PdfDocument, index: int) -> PageLayout:
    page = pdf[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        text = textpage.get_text_range() if count > 0 else ""
        if len(text) != count:  # characters outside the BMP: read them one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(count))
        segments = _segments(text, raw, height)
    finally:
        textpage.close()
    images, rules = _objects(page, height)
    page.close()
    return PageLayout(index + 1, width, height, reading_order(segments, width), count, images, len(rules),
                      segments, rules)
