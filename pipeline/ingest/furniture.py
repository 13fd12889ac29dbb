"""Running headers, footers and page numbers: found by repetition across pages and taken out.

A line near the top or bottom of a page is furniture when, with its digits normalised ("Page 3 of 40"
and "Page 4 of 40" read the same), it recurs on enough of the document's pages; a line there that is
only a page number ("7", "- 7 -", "Page 7", "Page 7 of 40", "vii") is furniture on any page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from pipeline.ingest.pdf_layout import Line, PageLayout

EDGE_LINES = 3
"""How many lines at each end of a page are candidates."""
EDGE_SHARE = 0.22
"""...and they must lie within this share of the page height from its top or bottom edge."""

_PAGE_NUMBER = re.compile(
    r"^[\s\-\u2013\u2014|\[\(]*(page|p\.|pg\.?)?\s*(\d{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*\d{1,4})?[\s\-\u2013\u2014|\]\)]*$",
    re.IGNORECASE,
)


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


def furniture_lines(pages: Sequence[PageLayout]) -> set[str]:
    """The normalised texts that recur as headers or footers in this document."""
    counts: Counter[str] = Counter()
    for page in pages:
        seen = {normalise(page.lines[i].text) for i in _edges(page)}
        counts.update(s for s in seen if s and s != "#")
    n = len(pages)
    if n < 2:
        return set()
    need = max(2, math.ceil(0.4 * n)) if n >= 4 else 2
    return {text for text, c in counts.items() if c >= need}


def remove_furniture(pages: Sequence[PageLayout]) -> list[PageLayout]:
    """The pages with their running headers, footers and page numbers taken out (same objects, new lists)."""
    repeated = furniture_lines(pages)
    for page in pages:
        drop = set()
        for i in _edges(page):
            line: Line = page.lines[i]
            if is_page_number(line.text) or normalise(line.text) in repeated:
                drop.add(i)
        # A repeated footer can run to several lines; drop any edge-zone line of the repeated set too.
        for i, line in enumerate(page.lines):
            if i not in drop and normalise(line.text) in repeated and _in_edge_zone(page, line):
                drop.add(i)
        page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]
    return list(pages)


def _in_edge_zone(page: PageLayout, line: Line) -> bool:
    return line.top <= page.height * EDGE_SHARE or line.bottom >= page.height * (1 - EDGE_SHARE)
