"""Ruled tables, found from the page's drawn lines and cell borders (pdfium path objects).

Rules that touch are grouped; each group's distinct x edges give the columns and its y edges the rows;
the text segments whose centre falls in a cell fill it. A grid is kept as a table (out of the prose)
only when its cells are short, as data tables' are: the coroners' forms are one big two-column grid of
numbered sections whose cells hold paragraphs, and those stay prose. This needs no second parse of the
page (pdfplumber's find_tables costs ~1 s a page; this costs milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.ingest.pdf_layout import Line, PageLayout

MIN_PATHS = 4
"""A page with fewer path objects than this has no ruled table worth looking for."""
THIN = 3.0
TOUCH = 2.5


@dataclass(frozen=True)
class FoundTable:
    page: int
    bbox: tuple[float, float, float, float]
    """x0, top, x1, bottom in page units from the top-left corner."""
    rows: tuple[tuple[str, ...], ...]


def is_data_table(rows: list[list[str]]) -> bool:
    """A table of short cells (data) rather than a layout grid around paragraphs of prose."""
    cells = [" ".join((c or "").split()) for r in rows for c in r]
    filled = [c for c in cells if c]
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2 or len(filled) < 3:
        return False
    longest = max(len(c) for c in filled)
    mean = sum(len(c) for c in filled) / len(filled)
    return longest <= 200 and mean <= 60


def _groups(boxes: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
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


def _grid(group: list[tuple[float, float, float, float]]) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for x0, top, x1, bottom in group:
        w, h = x1 - x0, bottom - top
        if w <= THIN and h > THIN:  # vertical rule
            xs.append((x0 + x1) / 2)
            ys += [top, bottom]
        elif h <= THIN and w > THIN:  # horizontal rule
            ys.append((top + bottom) / 2)
            xs += [x0, x1]
        elif w > THIN and h > THIN:  # a cell border drawn as a rectangle
            xs += [x0, x1]
            ys += [top, bottom]
    return _edges(xs), _edges(ys)


def page_tables(page: PageLayout) -> list[FoundTable]:
    """Data tables on one page."""
    if page.paths < MIN_PATHS:
        return []
    rules = [r for r in page.rules if (r[2] - r[0]) < page.width * 0.98 or (r[3] - r[1]) <= THIN]
    found: list[FoundTable] = []
    for group in _groups(rules):
        if len(group) < MIN_PATHS:
            continue
        xs, ys = _grid(group)
        if len(xs) < 3 or len(ys) < 3:
            continue
        cells: dict[tuple[int, int], list[Line]] = {}
        for seg in page.segments:
            cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
            if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
                continue
            col = max(i for i in range(len(xs) - 1) if xs[i] <= cx)
            row = max(j for j in range(len(ys) - 1) if ys[j] <= cy)
            cells.setdefault((row, col), []).append(seg)
        if not cells:
            continue
        rows = []
        for j in range(len(ys) - 1):
            row = [" ".join(s.text for s in sorted(cells.get((j, i), []), key=lambda s: (s.top, s.x0)))
                   for i in range(len(xs) - 1)]
            if any(row):
                rows.append(row)
        if is_data_table(rows):
            found.append(FoundTable(page.number, (xs[0], ys[0], xs[-1], ys[-1]), tuple(tuple(r) for r in rows)))
    return found


def inside(line: Line, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cy = (line.top + line.bottom) / 2
    cx = (line.x0 + line.x1) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1
