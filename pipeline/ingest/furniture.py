"""Running headers, footers and page numbers: found by repetition across pages and taken out.

A line near the top or bottom of a page is furniture when, with its digits normalised ("Page 3 of 40"
and "Page 4 of 40" read the same), it recurs at the same height (within POSITION_TOLERANCE, in the
same margin) on enough of the document's pages: on 40% of them, or on 40% of its odd or of its even
pages (headers that alternate between facing pages), or, in a short document, on any two pages when
it holds a page number ("Domestic Homicide Review into the death of Ms Y Page 3"). A line there that
is only a page number ("7", "- 7 -", "Page 7", "Page 7 of 40", "vii") is furniture on any page. The
same words repeated in the body, or in the margin at another height, stay.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Sequence

from pipeline.ingest.pdf_layout import Line, PageLayout

EDGE_LINES = 3
"""How many lines at each end of a page are candidates."""
EDGE_SHARE = 0.22
"""...and they must lie within this share of the page height from its top or bottom edge."""
SHARE = 0.4
"""The share of the pages (all, or the odd or the even ones) a running line must be on."""
POSITION_TOLERANCE = 8.0
"""Points by which a running line's distance from its page edge may vary between pages."""
SHORT_DOCUMENT = 8
"""Pages up to which two pages suffice for a margin line that holds a page number."""

_PAGE_NUMBER = re.compile(
    r"^[\s\-\u2013\u2014|\[\(]*(page|p\.|pg\.?)?\s*(\d{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*\d{1,4})?[\s\-\u2013\u2014|\]\)]*$",
    re.IGNORECASE,
)
_HAS_PAGE_NUMBER = re.compile(r"\b(?:page|pg|p\.)\s*#|#\s*(?:of|/)\s*#")
"""In a normalised line: "page #", "# of #"."""

Position = tuple[str, float]
"""('top', distance from the top edge) or ('bottom', distance from the bottom edge)."""


def normalise(text: str) -> str:
    """A line's identity for repetition: lower case, digits as '#', spaces and edge punctuation dropped."""
    t = re.sub(r"\d+", "#", text.lower())
    t = re.sub(r"\s+", " ", t)
    return t.strip(" .-\u2013\u2014|:")


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip())) and bool(text.strip())


def _edges(page: PageLayout) -> list[int]:
    """Indices of the candidate lines at the top and bottom of a page."""
    lines = page.lines
    if not lines:
        return []
    by_top = sorted(range(len(lines)), key=lambda i: lines[i].top)
    top = [i for i in by_top[:EDGE_LINES] if lines[i].top <= page.height * EDGE_SHARE]
    bottom = [i for i in by_top[-EDGE_LINES:] if lines[i].bottom >= page.height * (1 - EDGE_SHARE)]
    return sorted(set(top + bottom))


def _position(page: PageLayout, line: Line) -> Position:
    if line.top <= page.height * EDGE_SHARE:
        return "top", line.top
    return "bottom", page.height - line.bottom


def _need(n: int) -> int:
    return max(2, math.ceil(SHARE * n)) if n >= 4 else 2


def _recurs(pages_at: set[int], n_pages: int, text: str) -> bool:
    """Whether a line found at one height on the pages numbered `pages_at` is running furniture."""
    if len(pages_at) >= _need(n_pages):
        return True
    for parity in (0, 1):
        n_side = (n_pages + parity) // 2  # even pages (parity 0) or odd pages (parity 1)
        if n_side >= 2 and sum(1 for k in pages_at if k % 2 == parity) >= _need(n_side):
            return True
    return n_pages <= SHORT_DOCUMENT and len(pages_at) >= 2 and bool(_HAS_PAGE_NUMBER.search(text))


def furniture_lines(pages: Sequence[PageLayout]) -> dict[str, list[Position]]:
    """The normalised texts that recur as headers or footers in this document, with the heights
    (from their page edge) at which they recur."""
    n = len(pages)
    if n < 2:
        return {}
    seen: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for page in pages:
        for i in _edges(page):
            key = normalise(page.lines[i].text)
            if key and key != "#":
                seen[key].append((page.number, *_position(page, page.lines[i])))
    found: dict[str, list[Position]] = {}
    for key, hits in seen.items():
        for side, offset in sorted({(s, round(o)) for _, s, o in hits}):
            at = {p for p, s, o in hits if s == side and abs(o - offset) <= POSITION_TOLERANCE}
            if _recurs(at, n, key):
                found.setdefault(key, []).append((side, offset))
    return found


def _known(positions: list[Position], where: Position) -> bool:
    return any(s == where[0] and abs(o - where[1]) <= POSITION_TOLERANCE for s, o in positions)


def remove_furniture(pages: Sequence[PageLayout]) -> list[PageLayout]:
    """The pages with their running headers, footers and page numbers taken out (same objects, new lists)."""
    repeated = furniture_lines(pages)

    def running(page: PageLayout, line: Line) -> bool:
        return _known(repeated.get(normalise(line.text), []), _position(page, line))

    for page in pages:
        drop = set()
        for i in _edges(page):
            line: Line = page.lines[i]
            if is_page_number(line.text) or running(page, line):
                drop.add(i)
        # A repeated footer can run to several lines; drop any edge-zone line of the repeated set too.
        for i, line in enumerate(page.lines):
            if i not in drop and _in_edge_zone(page, line) and running(page, line):
                drop.add(i)
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]
    return list(pages)


def _in_edge_zone(page: PageLayout, line: Line) -> bool:
    return line.top <= page.height * EDGE_SHARE or line.bottom >= page.height * (1 - EDGE_SHARE)


_FORM_TITLE = re.compile(r"(?:(?:(?:REGULATION28|SPECIMEN):?)?REPORTTOPREVENT(?:FUTURE)?DEATHS(?:\(\d\))?"
                         r"|THISREPORTISBEINGSENTTO:?)+")
"""The Regulation 28 form's own title lines, spaces taken out: "REGULATION 28: REPORT TO PREVENT FUTURE
DEATHS (1)", "REGULATION 28 REPORT TO PREVENT DEATHS", "THIS REPORT IS BEING SENT TO:". Capitals only:
the form prints them so, and a sentence that mentions the report is not one of them."""


def form_title_lengths(texts: Sequence[str]) -> list[int]:
    """For consecutive blocks' texts, how many characters at the start of each are the Regulation 28
    form's title lines (a title may be broken over blocks: "REGULATION 28 REPORT TO PREVENT" |
    "FUTURE DEATHSTHIS REPORT IS BEING SENT" | "TO:"). They are form furniture, not sentences; the
    metadata reads the review type from the first page's lines before this."""
    chars = [(k, j) for k, t in enumerate(texts) for j, c in enumerate(t) if not c.isspace()]
    flat = "".join(texts[k][j] for k, j in chars)
    starts: dict[int, int] = {}
    for pos, (k, _) in enumerate(chars):
        starts.setdefault(k, pos)
    out = [0] * len(texts)
    k = 0
    while k < len(texts):
        m = _FORM_TITLE.match(flat, starts[k]) if k in starts else None
        if not m:
            k += 1
            continue
        last, j = chars[m.end() - 1]
        text = texts[last]
        if j + 1 < len(text) and not text[j + 1].isspace():  # the title runs into a word: not the form's line
            k += 1
            continue
        for b in range(k, last):
            out[b] = len(texts[b])
        out[last] = len(text) - len(text[j + 1:].lstrip())
        k = last + 1
    return out
