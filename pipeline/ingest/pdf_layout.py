"""Per-page layout from pypdfium2: lines with position, font size and weight, in reading order.

pdfium gives the page text (with its own line breaks) in one call and each character's box in one
call per character; font size and name are read only where they matter (the first character of each
line and digits, which may be footnote markers). That is 10-20x faster than pdfplumber's
character-level parse, which we call only on pages that draw ruled tables (see tables.py).

Reading order: lines are sorted top to bottom; on a two-column page, the left column is read before
the right one (full-width lines separate column runs). A line of text is also cut where it crosses a
table's vertical rule, so cells stay apart, and a narrative table (tables.py) is read row by row.

Spaces: pdfium's text drops a space set as its own glyph and overlapped by the next word ("Inmy"),
and keeps one kerned back under the next digit ("197 4"). Words the lexicon does not know that split
into known ones, and spaces between digits, are checked against the glyphs' advance boxes
(`_spacing`): a few boxes a page.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.tables import Grid, cell_text, find_grids, is_header, is_narrative, prose_columns

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
    table_row: bool = False
    """A narrative table's row read into the prose (its size is the table's, not the body text's)."""

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
    """The line segments before rows were merged, cut where they cross a table's vertical rules (cells)."""
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Boxes (x0, top, x1, bottom) of the page's path objects: ruling lines and cell borders."""
    grids: list[Grid] | None = None
    """The ruled grids found among `rules` (None: not looked for yet)."""


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
        self.rect = pdfium_c.FS_RECTF()
        self.buf = ctypes.create_string_buffer(128)

    def box(self, i: int) -> tuple[float, float, float, float]:
        """x0, x1, top, bottom (top-down page coordinates)."""
        pdfium_c.FPDFText_GetCharBox(self.raw, i, self.L, self.R, self.B, self.T)
        return self.L.value, self.R.value, self.height - self.T.value, self.height - self.B.value

    def advance(self, i: int) -> tuple[float, float, float]:
        """x0, x1 and height of the loose box: from the glyph's origin over its advance width, font
        ascent to descent (so kerning shows, where the tight box shows only the ink)."""
        r = self.rect
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, i, r)
        return r.left, r.right, abs(r.top - r.bottom)

    def font(self, i: int) -> tuple[float, bool]:
        return _font(self.raw, i, self.buf)


MISSING_SPACE = 0.03
"""A gap between two glyphs' advance boxes, as a share of the font height, above which (and above the
word's other gaps by SPACE_MARGIN) a space the text lacks is put back."""
SPACE_MARGIN = 0.025
EXTRA_SPACE = 0.01
"""A space between digits whose neighbours' advance boxes are closer than this share of the font
height is dropped."""
_LONG_TOKEN = re.compile(r"[A-Za-z0-9]{4,}")
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")
_UNITS = re.compile(r"\d+(st|nd|rd|th|am|pm|s)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """Known words (the lexicon paragraphs.py uses for hyphens, plus function words), and the
    function words alone."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from pipeline.ingest.paragraphs import lexicon

    small = frozenset(w for w in STOP_WORDS if len(w) >= 2)
    return lexicon() | small, small


@lru_cache(maxsize=65536)
def _joins(token: str) -> tuple[int, ...]:
    """Offsets where a token the lexicon does not know may be two words run together: "Inmy",
    "2009and", "aboutthe", "ituseful" (a function word or a number beside a known word or a run of
    three letters or more); never before fewer than four digits (a footnote marker glued to its word
    is no missing space)."""
    words, small = _words()
    if token.lower() in words or token.isdigit() or _UNITS.fullmatch(token):
        return ()

    def known(part: str) -> bool:
        return part.isdigit() or part.lower() in words

    def glue(part: str) -> bool:
        return part.isdigit() or part.lower() in small

    out = []
    for k in range(2, len(token) - 1):
        a, b = token[:k], token[k:]
        if b[0].isdigit() and len(b) < 4:
            continue
        if (known(a) and known(b)) or (glue(a) and b.isalpha() and len(b) >= 3) or \
                (glue(b) and a.isalpha() and len(a) >= 3):
            out.append(k)
    return tuple(out)


def _spacing(text: str, boxes: _Boxes) -> dict[int, bool]:
    """Spaces to put back or take out, by character index: True, a space goes before it; False, the
    space at it goes. Only where the glyphs' advance boxes say so: a missing space leaves a gap (the
    space glyph, kerned over, that pdfium dropped) wider than the word's other gaps; a spurious one (a
    scanned text layer's "197 4") has its neighbours touching. Only words the lexicon does not know
    that split into known ones are measured (a few a page), and spaces between digits."""
    edits: dict[int, bool] = {}
    for token in {t for t in set(_LONG_TOKEN.findall(text)) if _joins(t)}:
        at = text.find(token)
        while at != -1:
            end = at + len(token)
            if not (text[at - 1:at].isalnum() or text[end:end + 1].isalnum()):
                for k in _joins(token):
                    if _gap_is_space(boxes, at + k, at, end):
                        edits[at + k] = True
            at = text.find(token, end)
    for m in _DIGIT_SPACE.finditer(text):
        a, b = boxes.advance(m.start() - 1), boxes.advance(m.end())
        if b[0] - a[1] < EXTRA_SPACE * (max(a[2], b[2]) or 10.0):
            edits[m.start()] = False
    return edits


def _gap_is_space(boxes: _Boxes, i: int, start: int, end: int) -> bool:
    """Whether the gap before character i of the word text[start:end] is a space pdfium lost: at least
    MISSING_SPACE of the font height, and SPACE_MARGIN wider than the gaps beside it."""
    lo = max(start, i - 2)
    adv = [boxes.advance(k) for k in range(lo, min(end, i + 2))]
    height = max(a[2] for a in adv) or 10.0
    gaps = [b[0] - a[1] for a, b in zip(adv, adv[1:])]
    gap = gaps.pop(i - 1 - lo)
    return gap >= max(MISSING_SPACE * height, max(gaps, default=0.0) + SPACE_MARGIN * height)


def _segment(text: str, start: int, end: int, boxes: _Boxes, hyphen: bool, edits: dict[int, bool]) -> Line | None:
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
    index = None  # body offset -> character index, where edits change the text
    if edits and any(start < i < end for i in edits):
        chars, index = [], []
        for i in range(start, end):
            edit = edits.get(i)
            if edit is True and chars and chars[-1] != " ":
                chars.append(" ")
                index.append(i)
            if edit is not False:
                chars.append(text[i])
                index.append(i)
        body = "".join(chars)
    markers: list[tuple[int, str]] = []
    if any(c in MARKER_CHARS for c in body):
        kept, last = [], 0
        for m in _MARKER_RUN.finditer(body):
            csize, _ = boxes.font(index[m.start()] if index else start + m.start())
            if csize < 0.8 * size:
                kept.append(body[last:m.start()])
                markers.append((sum(len(k) for k in kept), m.group()))
                last = m.end()
        if markers:
            kept.append(body[last:])
            body = "".join(kept)
    return Line(body + ("-" if hyphen else ""), x0, max(x1, x0), min(top, top2), max(bottom, bottom2), size or 10.0,
                bold, hyphen, markers)


Cut = tuple[float, float, float]
"""A vertical rule: x, top, bottom."""


def _at_rules(start: int, end: int, boxes: _Boxes, cuts: list[Cut]) -> list[int]:
    """Where text[start:end] crosses vertical rules: the index of the first character right of each
    (a table's cells that pdfium ran together, with or without a space)."""
    x0, _, top, bottom = boxes.box(start)
    x1 = boxes.box(end - 1)[1]
    mid = (top + bottom) / 2
    out = []
    for x, rtop, rbottom in sorted(cuts):
        if x0 + 1 < x < x1 - 1 and rtop <= mid <= rbottom:
            lo, hi = start, end - 1  # the first character whose centre is right of the rule
            while lo < hi:
                k = (lo + hi) // 2
                b = boxes.box(k)
                if (b[0] + b[1]) / 2 > x:
                    hi = k
                else:
                    lo = k + 1
            if start < lo and (not out or lo > out[-1]):
                out.append(lo)
    return out


def _segments(text: str, raw, height: float, cuts: list[Cut] | None = None) -> tuple[list[Line], list[Line]]:
    """Cut the page's text into line segments, at pdfium's line breaks and at wide horizontal gaps (two
    columns, or a table's cells, printed on one line): the segments, and the same with those that
    cross vertical rules cut there too (a table's cells)."""
    boxes = _Boxes(raw, height)
    edits = _spacing(text, boxes)
    out: list[Line] = []
    cells: list[Line] = []

    def add(start: int, end: int, hyphen: bool) -> None:
        seg = _segment(text, start, end, boxes, hyphen, edits)
        if seg is None:
            return
        out.append(seg)
        at = _at_rules(start, end, boxes, cuts) if cuts else []
        if not at:
            cells.append(seg)
            return
        bounds = [start] + at + [end]
        for n in range(len(bounds) - 1):
            piece = _segment(text, bounds[n], bounds[n + 1], boxes, hyphen and n == len(bounds) - 2, edits)
            if piece:
                cells.append(piece)

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
                    add(cut, k, False)
                    cut = j
            k = text.find(" ", j, end)
        add(cut, end, hyphen)
        pos = m.end() if m else len(text)
    return out, cells


def _same_row(a: Line, b: Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height or 1, b.height or 1)


def rows_of(lines: list[Line]) -> list[list[Line]]:
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


def _crosses(s: Line, mid: float) -> bool:
    return s.x0 < mid - 2 and s.x1 > mid + 2


def _two_columns(lines: list[Line], width: float) -> tuple[float, float, float] | None:
    """Where a page is set in two columns: the band (top, bottom) of its rows to read column by column
    and the x where the right column starts, or None. The right column is the wide lines right of the
    middle that start at one x (at least half of those lines), beside left-hand lines and with no line
    crossing the middle at their height. Three right-hand lines suffice (beside three left-hand ones;
    the band then runs from the first of them to the page's end); one or two (the end of a text that
    flows on from the left column) do when the left-hand lines beside and below them make a column:
    the first right-hand line level with a left-hand one, and from there at least three left-hand
    lines, most reaching the gutter, before a line crosses the middle or a gap wider than the column's
    line spacing."""
    mid = width / 2
    wide = [s for s in lines if s.x0 >= mid - 2 and s.x1 - s.x0 > 0.15 * width]
    if not wide:
        return None
    x = max((s.x0 for s in wide), key=lambda x0: sum(1 for s in wide if abs(s.x0 - x0) <= 4))
    right = [s for s in wide if abs(s.x0 - x) <= 4]
    if len(right) < 0.5 * len(wide):
        return None
    top, bottom = min(s.top for s in right), max(s.bottom for s in right)
    band = [s for s in lines if top - 1 <= (s.top + s.bottom) / 2 <= bottom + 1]
    if any(_crosses(s, mid) for s in band):
        return None
    if len(right) >= 3:
        return (top, float("inf"), x) if sum(1 for s in band if s.x1 <= mid + 2) >= 3 else None
    first = min(right, key=lambda s: s.top)
    if not any(s.x1 <= mid + 2 and _same_row(s, first) for s in lines):
        return None
    column: list[Line] = []
    taken = {id(s) for s in right}
    for row in rows_of([s for s in lines if s.top >= first.top - 1 and id(s) not in taken]):
        if any(_crosses(s, mid) for s in row):
            break
        left = [s for s in row if s.x1 <= mid + 2]
        if len(column) >= 3 and left:
            pitch = statistics.median(b.top - a.top for a, b in zip(column, column[1:]))
            if left[0].top - column[-1].top > 1.8 * pitch:
                break
        column += left[:1]
    full = sum(1 for s in column if s.x1 >= x - 0.15 * width)
    if len(column) < 3 or full * 2 <= len(column):
        return None
    return top, max(bottom, column[-1].bottom), x


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """Order a page's segments: rows top to bottom; where the page is set in two columns, column by
    column (a line crossing the middle, or one above or below the columns, ends a run of columns)."""
    region = _two_columns(lines, width)
    if region is None:
        return [_merge_row(r) for r in rows_of(lines)]
    mid = width / 2
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        out.extend(_merge_row(r) for r in rows_of(left))
        out.extend(_merge_row(r) for r in rows_of(right))
        left.clear()
        right.clear()

    top, bottom, x = region
    for row in rows_of(lines):
        outside = all(s.bottom < top - 1 or s.top > bottom + 1 for s in row) and \
            not any(abs(s.x0 - x) <= 4 for s in row)  # a header or footer, not a column's first or last line
        if outside or any(_crosses(s, mid) for s in row):
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


def _join_cell(cell: list[Line]) -> tuple[str, list[tuple[int, str]]]:
    """A cell's lines as one text (a word hyphenated at a line end joined when the joined word is
    known) and its footnote markers."""
    text, markers = "", []
    for seg in cell:
        piece = seg.text
        if text.endswith("-") and text[-2:-1].isalpha() and piece[:1].isalpha():
            word = re.search(r"([A-Za-z]+)-$", text).group(1) + re.match(r"[A-Za-z]+", piece).group()
            if word.lower() in _words()[0]:
                text = text[:-1]
        elif text:
            text += " "
        markers += [(len(text) + o, m) for o, m in seg.markers]
        text += piece
    return text, markers


def _row_line(row: list[list[Line]], prose: list[int]) -> Line | None:
    """A narrative table's row as one line: its labels, then its prose ("12 March 2019, Police: ...")."""
    segs = [s for cell in row for s in cell]
    if not segs:
        return None
    labels = [_join_cell(c) for i, c in enumerate(row) if c and i not in prose]
    texts = [_join_cell(c) for i, c in enumerate(row) if c and i in prose]
    text, markers = "", []
    for n, (piece, marks) in enumerate(labels + texts):
        if n:
            text += ", " if n < len(labels) else ": " if n == len(labels) else " "
        markers += [(len(text) + o, m) for o, m in marks]
        text += piece
    main = max((s for i in prose if i < len(row) for s in row[i]), key=lambda s: len(s.text), default=segs[0])
    return Line(text, min(s.x0 for s in segs), max(s.x1 for s in segs), min(s.top for s in segs),
                max(s.bottom for s in segs), main.size, all(s.bold for s in segs), False, markers, table_row=True)


def narrative_flow(segments: list[Line], cells: list[Line], grids: list[Grid]) -> list[Line]:
    """The page's segments with each narrative table's replaced by one line a row, made from the
    segments cut at the table's rules (`cells`); its header row, the column names, is left out."""
    out = segments
    for grid in grids:
        rows = grid.cells(cells)
        texts = [[cell_text(c) for c in r] for r in rows]
        if not is_narrative(texts):
            continue
        prose = prose_columns(texts)
        if is_header(texts[0]):
            rows = rows[1:]
        lines = [ln for ln in (_row_line(r, prose) for r in rows) if ln]
        out = [s for s in out if grid.cell(s) is None] + lines
    return out


def page_layout(pdf: pdfium.PdfDocument, index: int) -> PageLayout:
    page = pdf[index]
    width, height = page.get_size()
    images, rules = _objects(page, height)
    grids = find_grids(rules, width)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        text = textpage.get_text_range() if count > 0 else ""
        if len(text) != count:  # characters outside the BMP: read them one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(count))
        segments, cells = _segments(text, raw, height, [c for g in grids for c in g.cuts])
    finally:
        textpage.close()
    page.close()
    flow = narrative_flow(segments, cells, grids) if grids else segments
    return PageLayout(index + 1, width, height, reading_order(flow, width), count, images, len(rules),
                      cells, rules, grids)
