"""Page layout for the generated review PDFs: line breaking (with hyphenation), justification,
footnotes, columns, tables and pagination, done here so the ground truth is known exactly.

`Layout` turns blocks into pages of drawing operations and records, for every sentence, the page it
starts on. `draw_pages` writes the operations with fpdf2 (core Helvetica, latin-1 text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from fpdf import FPDF

PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT = 25.0, 190.0
TEXT_X = 38.0  # numbered paragraphs: the number sits at LEFT, the text starts here
BODY_TOP, BODY_BOTTOM = 26.0, 274.0
BODY_SIZE, BODY_LH = 11.0, 5.4
COL_SIZE, COL_LH = 10.0, 4.9
NOTE_SIZE, NOTE_LH = 8.0, 3.6
SUP_SIZE, SUP_RISE = 7.0, 1.6
TABLE_SIZE, TABLE_LH = 9.0, 4.3
HEAD = {1: (14.0, 7.5, 5.0), 2: (12.0, 6.5, 3.0)}  # level -> size, line height, space before


@dataclass
class Word:
    text: str
    sent: int  # index into Layout.sent_pages (-1: not a tracked sentence)
    marker: str = ""


@dataclass
class Metrics:
    """String widths in mm for Helvetica, cached (fpdf's width tables)."""

    pdf: FPDF = field(default_factory=lambda: FPDF(unit="mm", format="A4"))
    cache: dict = field(default_factory=dict)

    def width(self, text: str, size: float, style: str = "") -> float:
        key = (text, size, style)
        w = self.cache.get(key)
        if w is None:
            self.pdf.set_font("Helvetica", style, size)
            w = self.cache[key] = self.pdf.get_string_width(text)
        return w


class Layout:
    """Paginates blocks; `pages[i]` holds the drawing operations of physical page i + 1."""

    def __init__(self, seed: int):
        self.m = Metrics()
        self.rng = random.Random(f"layout:{seed}")
        self.pages: list[list[tuple]] = []
        self.notes: list[list[tuple[str, list[str]]]] = []  # per page: (marker, wrapped lines)
        self.sent_pages: list[int] = []
        self.frames: list[tuple[float, float]] = [(LEFT, RIGHT - LEFT)]
        self.frame = 0
        self.top = BODY_TOP
        self.y = BODY_TOP
        self.hyphenations = 0

    # pages and frames -------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return len(self.pages)

    def new_page(self, columns: int = 1) -> None:
        self.pages.append([])
        self.notes.append([])
        self.set_columns(columns, BODY_TOP)

    def set_columns(self, columns: int, top: float) -> None:
        if columns == 2:
            self.frames = [(LEFT, 78.0), (RIGHT - 78.0, 78.0)]
        else:
            self.frames = [(LEFT, RIGHT - LEFT)]
        self.frame, self.top, self.y = 0, top, top

    def next_frame(self) -> None:
        if self.frame + 1 < len(self.frames):
            self.frame += 1
            self.y = self.top
        else:
            self.new_page(len(self.frames))

    def limit(self, extra_notes: list[list[str]] = ()) -> float:
        lines = sum(len(n[1]) for n in self.notes[-1]) + sum(len(n) for n in extra_notes)
        if not lines:
            return BODY_BOTTOM
        return BODY_BOTTOM - lines * NOTE_LH - 4.0

    def ensure(self, height: float) -> None:
        if self.y + height > self.limit():
            self.next_frame()

    def op(self, *args) -> None:
        self.pages[-1].append(args)

    # text ---------------------------------------------------------------------------------------
    def wrap_plain(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        lines, cur = [], ""
        for word in text.split():
            cand = f"{cur} {word}" if cur else word
            if cur and self.m.width(cand, size, style) > width:
                lines.append(cur)
                cur = word
            else:
                cur = cand
        return lines + [cur] if cur else lines

    def break_lines(self, words: list[Word], width: float, size: float) -> list[list[Word]]:
        """Greedy line breaking; some long lowercase words are split with a hyphen at the line end."""
        space = self.m.width(" ", size)
        lines: list[list[Word]] = []
        cur: list[Word] = []
        cur_w = 0.0
        queue = list(words)
        while queue:
            word = queue.pop(0)
            ww = self.m.width(word.text, size) + (self.m.width(word.marker, SUP_SIZE) if word.marker else 0.0)
            need = ww if not cur else cur_w + space + ww
            if need <= width or not cur:
                cur.append(word)
                cur_w = need
                continue
            head = self._hyphen_split(word, width - cur_w - space, size)
            if head:
                cur.append(Word(head + "-", word.sent))
                queue.insert(0, Word(word.text[len(head):], -1, word.marker))
            else:
                queue.insert(0, word)
            lines.append(cur)
            cur, cur_w = [], 0.0
        if cur:
            lines.append(cur)
        return lines

    def _hyphen_split(self, word: Word, room: float, size: float) -> str:
        t = word.text
        if word.marker or len(t) < 8 or not t.isalpha() or not t.islower() or self.rng.random() < 0.35:
            return ""
        for cut in range(len(t) - 3, 2, -1):
            if self.m.width(t[:cut] + "-", size) <= room:
                self.hyphenations += 1
                return t[:cut]
        return ""

    def draw_line(self, line: list[Word], x: float, width: float, size: float, justify: bool) -> None:
        texts = [w.text for w in line]
        natural = sum(self.m.width(t, size) for t in texts) + self.m.width(" ", size) * (len(texts) - 1)
        natural += sum(self.m.width(w.marker, SUP_SIZE) for w in line if w.marker)
        ws = (width - natural) / (len(texts) - 1) if justify and len(texts) > 1 else 0.0
        if ws > 4.0 or ws < 0:
            ws = 0.0
        base = self.y + size * 0.3528 * 0.8
        seg, cx = "", x
        for i, w in enumerate(line):
            seg += (" " if i else "") + w.text
            if w.marker:
                self.op("t", cx, base, "", size, seg, ws)
                cx += self.m.width(seg, size) + ws * seg.count(" ")
                self.op("t", cx, base - SUP_RISE, "", SUP_SIZE, w.marker, 0.0)
                cx += self.m.width(w.marker, SUP_SIZE)
                seg = ""
        if seg:
            self.op("t", cx, base, "", size, seg, ws)

    def flow(self, words: list[Word], number: str | None, indent: float, notes: dict[int, str], size: float,
             lh: float, bullet: bool = False) -> None:
        """Lays out one paragraph (or bullet item) in the current frame, page by page."""
        fx, fw = self.frames[self.frame]
        lines = self.break_lines(words, fw - indent, size)
        for i, line in enumerate(lines):
            new_notes = [self.wrap_plain(f"{w.marker} {notes[int(w.marker)]}", RIGHT - LEFT, NOTE_SIZE)
                         for w in line if w.marker]
            if self.y + lh > self.limit(new_notes):
                self.next_frame()
                fx, fw = self.frames[self.frame]
            for w in line:
                if w.sent >= 0 and self.sent_pages[w.sent] == 0:
                    self.sent_pages[w.sent] = self.page
                if w.marker:
                    self.notes[-1].append((w.marker, self.wrap_plain(
                        f"{w.marker} {notes[int(w.marker)]}", RIGHT - LEFT, NOTE_SIZE)))
            if i == 0 and number:
                self.op("t", fx, self.y + size * 0.3528 * 0.8, "", size, number, 0.0)
            if i == 0 and bullet:
                self.op("dot", fx + indent - 4.0, self.y + lh * 0.45, 0.7)
            self.draw_line(line, fx + indent, fw - indent, size, justify=i < len(lines) - 1)
            self.y += lh

    def finish_page_notes(self) -> None:
        for page, notes in zip(self.pages, self.notes):
            if not notes:
                continue
            total = sum(len(n[1]) for n in notes)
            y = BODY_BOTTOM - total * NOTE_LH
            page.append(("l", LEFT, y - 2.0, LEFT + 50.0, y - 2.0))
            for marker, lines in notes:
                for line in lines:
                    page.append(("t", LEFT, y + NOTE_LH * 0.75, "", NOTE_SIZE, line, 0.0))
                    y += NOTE_LH

    # tables -------------------------------------------------------------------------------------
    def table(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...]) -> None:
        total = RIGHT - LEFT
        cols = [total * f for f in widths]

        def row_cells(cells, style):
            wrapped = [self.wrap_plain(c, w - 3.0, TABLE_SIZE, style) for c, w in zip(cells, cols)]
            return wrapped, max(len(x) for x in wrapped) * TABLE_LH + 2.5

        head = row_cells(header, "B")
        self.ensure(head[1] + row_cells(rows[0], "")[1])
        self._row(*head, cols, "B")
        for row in rows:
            wrapped, h = row_cells(row, "")
            if self.y + h > self.limit():
                self.next_frame()
                self._row(*head, cols, "B")
            self._row(wrapped, h, cols, "")
        self.y += 4.0

    def _row(self, wrapped: list[list[str]], h: float, cols: list[float], style: str) -> None:
        x = LEFT
        self.op("l", LEFT, self.y, RIGHT, self.y)
        self.op("l", LEFT, self.y + h, RIGHT, self.y + h)
        for lines, w in zip(wrapped, cols):
            self.op("l", x, self.y, x, self.y + h)
            for j, line in enumerate(lines):
                self.op("t", x + 1.5, self.y + 1.2 + TABLE_LH * j + TABLE_LH * 0.75, style, TABLE_SIZE, line, 0.0)
            x += w
        self.op("l", RIGHT, self.y, RIGHT, self.y + h)
        self.y += h


class _PDF(FPDF):
    def put_text(self, x: float, y: float, text: str, ws: float) -> None:
        """Like FPDF.text, with PDF word spacing (Tw) for justified lines."""
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        tw = f"{ws * self.k:.3f} Tw " if ws else ""
        reset = " 0 Tw" if ws else ""
        enc = self.current_font.encode_text(self.normalize_text(text))
        self._out(f"BT {tw}{x * self.k:.2f} {(self.h - y) * self.k:.2f} Td {enc} ET{reset}")


def draw_pages(pages: list[list[tuple]], header: str, footer: str, created, title: str, author: str) -> FPDF:
    """Draws the laid-out pages; pages after the first get the running header and the footer."""
    pdf = _PDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("scr-themes test material")
    pdf.set_producer("scr-themes")
    pdf.set_line_width(0.2)
    n = len(pages)
    for i, ops in enumerate(pages, 1):
        pdf.add_page()
        font = None
        if i > 1:
            pdf.set_font("Helvetica", "", 8)
            font = ("", 8.0)
            pdf.put_text(LEFT, 14.0, header, 0.0)
            pdf.line(LEFT, 16.0, RIGHT, 16.0)
            foot = footer.format(page=i, pages=n)
            pdf.put_text((PAGE_W - pdf.get_string_width(foot)) / 2, 287.0, foot, 0.0)
        for op in ops:
            if op[0] == "t":
                _, x, y, style, size, text, ws = op
                if font != (style, size):
                    pdf.set_font("Helvetica", style, size)
                    font = (style, size)
                pdf.put_text(x, y, text, ws)
            elif op[0] == "l":
                pdf.line(*op[1:])
            elif op[0] == "dot":
                _, x, y, r = op
                pdf.circle(x, y, r, style="F")
    return pdf
