"""Tables: ruled grids found from the page's drawn lines and cell borders (pdfium path objects), and
unruled ones found from text set in aligned columns.

Rules that touch are grouped; each group's distinct x edges give the columns and its y edges the rows;
the text segments whose centre falls in a cell fill it (pdf_layout cuts a line of text where it crosses
a vertical rule, so cells stay apart even where pdfium puts no space between them). A grid is one of:

- a data table (short cells, no prose): taken out of the prose and kept cell for cell;
- a narrative table (a column of prose beside label columns, as a chronology's Date | Agency | Event):
  its rows are read into the prose, one line per row ("12 March 2019, Police: Officers attended...");
- a layout grid (the coroners' forms: numbered sections whose cells hold paragraphs): left as prose.

This needs no second parse of the page (pdfplumber's find_tables costs ~1 s a page; this costs
milliseconds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from pipeline.ingest.pdf_layout import Line, PageLayout

MIN_PATHS = 4
"""A page with fewer path objects than this has no ruled table worth looking for."""
THIN = 3.0
TOUCH = 2.5
PROSE_WORDS = 8
"""A cell of at least this many words holding a full stop (or over PROSE_CHARS) is prose."""
PROSE_CHARS = 150
MIN_UNRULED_ROWS = 3
"""Rows of text aligned in at least three columns that make an unruled data table."""
ALIGN = 3.0
"""Points within which cells of one column start (or, right-aligned, end) at the same x."""

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom in page units from the top-left corner."""


@dataclass(frozen=True)
class FoundTable:
    page: int
    bbox: Box
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Grid:
    """A ruled grid: its column and row edges, and the vertical rules inside it, as (x, top, bottom)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cuts: tuple[tuple[float, float, float], ...]

    @property
    def bbox(self) -> Box:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell(self, seg: Line) -> tuple[int, int] | None:
        """(row, column) of the cell holding a segment's centre, or None outside the grid."""
        cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
        xs, ys = self.xs, self.ys
        if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
            return None
        col = max(i for i in range(len(xs) - 1) if xs[i] <= cx)
        row = max(j for j in range(len(ys) - 1) if ys[j] <= cy)
        return row, col

    def cells(self, segments: Sequence[Line]) -> list[list[list[Line]]]:
        """The grid's non-empty rows, each a list of cells, each the segments in it in reading order."""
        found: dict[tuple[int, int], list[Line]] = {}
        for seg in segments:
            at = self.cell(seg)
            if at is not None:
                found.setdefault(at, []).append(seg)
        rows = []
        for j in range(len(self.ys) - 1):
            row = [sorted(found.get((j, i), []), key=lambda s: (s.top, s.x0)) for i in range(len(self.xs) - 1)]
            if any(row):
                rows.append(row)
        return rows


def cell_text(cell: Sequence[Line]) -> str:
    return " ".join(s.text for s in cell)


def is_prose(cell: str) -> bool:
    """A cell that reads as sentences: long, or several words with a full stop after a word."""
    words = cell.split()
    return len(cell) > PROSE_CHARS or (len(words) >= PROSE_WORDS and bool(re.search(r"[a-z)][.!?](\s|$)", cell)))


def prose_columns(rows: list[list[str]]) -> list[int]:
    """Columns where at least half the filled cells (below a header row) are prose."""
    body = rows[1:] if len(rows) > 1 and is_header(rows[0]) else rows
    out = []
    for i in range(max((len(r) for r in rows), default=0)):
        filled = [r[i] for r in body if i < len(r) and r[i].strip()]
        if filled and sum(is_prose(c) for c in filled) * 2 >= len(filled):
            out.append(i)
    return out


def _is_label(cell: str) -> bool:
    """A short label (a date, an agency): filled, not prose, not a bare section number."""
    c = cell.strip()
    return bool(c) and not is_prose(c) and not re.fullmatch(r"\(?(\d{1,3}|[ivxIVX]{1,4}|[a-zA-Z])[.)]?", c)


def is_narrative(rows: list[list[str]]) -> bool:
    """A column of prose beside a column of labels filled in at least two rows (a chronology). The
    coroners' forms, whose other column holds only section numbers, are not."""
    if len(rows) < 2:
        return False
    prose = prose_columns(rows)
    if not prose:
        return False
    return any(sum(_is_label(r[i]) for r in rows if i < len(r)) >= 2
               for i in range(max(len(r) for r in rows)) if i not in prose)


def is_header(row: list[str]) -> bool:
    """A table's first row of column names: no digits, no prose, a few words a cell."""
    return all(not re.search(r"\d", c) and len(c.split()) <= 5 for c in row)


def _numbered(rows: list[list[str]]) -> bool:
    """The first column holds nothing but section numbers (a form's layout grid)."""
    return all(re.fullmatch(r"\d{0,2}", r[0].strip()) for r in rows if r)


def is_data_table(rows: list[list[str]]) -> bool:
    """A table of short cells (data) rather than a layout grid around paragraphs of prose (a form's
    numbered sections) or a table with prose in it (narrative)."""
    cells = [" ".join((c or "").split()) for r in rows for c in r]
    filled = [c for c in cells if c]
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2 or len(filled) < 3:
        return False
    longest = max(len(c) for c in filled)
    mean = sum(len(c) for c in filled) / len(filled)
    return longest <= 200 and mean <= 60 and not any(is_prose(c) for c in filled) and not _numbered(rows)


def _groups(boxes: list[Box]) -> list[list[Box]]:
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    for a_pos, a in enumerate(order):
        ax0, at, ax1, ab = boxes[a]
        for b in order[a_pos + 1:]:
            bx0, bt, bx1, bb = boxes[b]
            if bt > ab + TOUCH:
                break
            if bx0 <= ax1 + TOUCH and ax0 <= bx1 + TOUCH:
                parent[find(a)] = find(b)
    groups: dict[int, list] = {}
    for i, box in enumerate(boxes):
        groups.setdefault(find(i), []).append(box)
    return list(groups.values())


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOUCH:
            out.append(v)
    return out


def _grid(group: list[Box]) -> Grid:
    xs, ys, cuts = [], [], []
    for x0, top, x1, bottom in group:
        w, h = x1 - x0, bottom - top
        if w <= THIN and h > THIN:  # vertical rule
            xs.append((x0 + x1) / 2)
            ys += [top, bottom]
            cuts.append(((x0 + x1) / 2, top, bottom))
        elif h <= THIN and w > THIN:  # horizontal rule
            ys.append((top + bottom) / 2)
            xs += [x0, x1]
        elif w > THIN and h > THIN:  # a cell border drawn as a rectangle
            xs += [x0, x1]
            ys += [top, bottom]
            cuts += [(x0, top, bottom), (x1, top, bottom)]
    return Grid(tuple(_edges(xs)), tuple(_edges(ys)), tuple(cuts))


def find_grids(rules: list[Box], width: float) -> list[Grid]:
    """Ruled grids (at least 2 x 2 cells) among a page's path boxes; page-wide rules are left out."""
    if len(rules) < MIN_PATHS:
        return []
    rules = [r for r in rules if (r[2] - r[0]) < width * 0.98 or (r[3] - r[1]) <= THIN]
    grids = []
    for group in _groups(rules):
        if len(group) >= MIN_PATHS:
            grid = _grid(group)
            if len(grid.xs) >= 3 and len(grid.ys) >= 3:
                grids.append(grid)
    return grids


def page_tables(page: PageLayout) -> list[FoundTable]:
    """Data tables on one page: ruled grids of short cells, and unruled columns of short cells."""
    found: list[FoundTable] = []
    grids = page.grids if page.grids is not None else find_grids(page.rules, page.width)
    for grid in grids:
        rows = [[cell_text(c) for c in r] for r in grid.cells(page.segments)]
        if rows and is_data_table(rows):
            found.append(FoundTable(page.number, grid.bbox, tuple(tuple(r) for r in rows)))
    ruled = [g.bbox for g in grids]
    for bbox, rows in unruled_tables([s for s in page.segments if not any(inside(s, b) for b in ruled)]):
        found.append(FoundTable(page.number, bbox, tuple(tuple(r) for r in rows)))
    return found


def _columns(row: list[Line], columns: list[tuple[float, float]]) -> list[int] | None:
    """The column each segment of a row falls in (by its left or right edge), or None if one falls
    in none or two share one."""
    out = []
    for seg in row:
        hit = [i for i, (x0, x1) in enumerate(columns) if abs(seg.x0 - x0) <= ALIGN or abs(seg.x1 - x1) <= ALIGN]
        if len(hit) != 1 or hit[0] in out:
            return None
        out.append(hit[0])
    return out


def _short(cell: str) -> bool:
    return len(cell) <= 40 and len(cell.split()) <= 6 and not is_prose(cell)


def unruled_tables(segments: Sequence[Line]) -> list[tuple[Box, list[list[str]]]]:
    """Runs of at least MIN_UNRULED_ROWS consecutive rows of segments (a line of text cut at wide
    gaps), the first cut into three or more short cells and each of the others into two or more that
    line up with the first row's. Two columns of prose, paragraph numbers beside their paragraphs and
    a contents page's titles and page numbers do not qualify: their cells are long, or there are only
    two, or the last column holds only page numbers."""
    if len(segments) - len({round(s.top) for s in segments}) < 2 * MIN_UNRULED_ROWS - 2:
        return []  # too few lines hold more than one segment
    from pipeline.ingest.pdf_layout import rows_of

    rows = rows_of(list(segments))
    out: list[tuple[Box, list[list[str]]]] = []
    i = 0
    while i < len(rows):
        head = rows[i]
        columns = [(s.x0, s.x1) for s in head]
        j = i
        picked: list[list[int]] = []
        while j < len(rows) and len(rows[j]) >= 2 and all(_short(s.text) for s in rows[j]):
            cols = _columns(rows[j], columns) if len(head) >= 3 else None
            if cols is None or (j > i and rows[j][0].top - rows[j - 1][0].bottom > 2.5 * rows[j][0].height):
                break
            picked.append(cols)
            j += 1
        if j - i >= MIN_UNRULED_ROWS and not _page_numbers(rows[i:j], picked):
            table = []
            for row, cols in zip(rows[i:j], picked):
                cells = [""] * len(columns)
                for seg, c in zip(row, cols):
                    cells[c] = seg.text
                table.append(cells)
            segs = [s for r in rows[i:j] for s in r]
            bbox = (min(s.x0 for s in segs), min(s.top for s in segs), max(s.x1 for s in segs),
                    max(s.bottom for s in segs))
            out.append((bbox, table))
            i = j
        else:
            i += 1
    return out


def _page_numbers(rows: list[list[Line]], cols: list[list[int]]) -> bool:
    """The last column holds only page numbers (a contents page set without leaders)."""
    last = max(c for cs in cols for c in cs)
    cells = [s.text for r, cs in zip(rows, cols) for s, c in zip(r, cs) if c == last]
    return bool(cells) and all(re.fullmatch(r"\d{1,3}|[ivxlc]{1,5}", t.strip()) for t in cells)


def inside(line: Line, bbox: Box) -> bool:
    x0, top, x1, bottom = bbox
    cy = (line.top + line.bottom) / 2
    cx = (line.x0 + line.x1) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1
