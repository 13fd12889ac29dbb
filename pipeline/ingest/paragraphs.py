"""Lines into blocks: headings, paragraphs, list items; footnotes and contents pages set apart.

A block is a run of lines read as one unit (a paragraph, a bullet item, a heading). Its text is the
lines joined with words hyphenated across a line end put back together. A paragraph cut by a page
break continues on the next page as the same block, in pieces that remember their page, so sentences
run over page breaks and still know the page where they start.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.ingest.pdf_layout import Line
from pipeline.ingest.sentences import NEVER_FINAL
from pipeline.ingest.sections import HeadingInfo, heading_info, heading_number, is_numbered_caps_heading, looks_like_heading

BULLET = re.compile(r"^([\u2022\u00b7\u25aa\u25e6\u25cf\u25cb\u25a0\u2023\u2043\u2219\uf0b7\uf0a7*\-\u2013]|o(?=\s))\s+")
PARA_NUMBER = re.compile(r"^(\d{1,2}\.\d{1,3}(?:\.\d{1,3})?)\.?\s+(?=[A-Z\u2018\u201c\"'(])|^(\d{1,3})\.\s+(?=[A-Z\u2018\u201c\"'(])")
CONTENTS_LINE = re.compile(r"^(.{2,}?)(?:\s*[.\u2026_\u00b7]{4,}\s*|\s{3,}|\s)(\d{1,3}|[ivxlc]{1,5})$", re.IGNORECASE)
TERMINAL = tuple(".!?:;\"'\u2019\u201d)")
COMPOUND_PREFIXES = {
    "multi", "non", "self", "cross", "well", "ex", "semi", "anti", "co", "inter", "pre", "post", "mid", "sub",
    "over", "under", "out", "pro", "counter", "re", "step", "half", "long", "short", "full", "part", "face",
    "one", "two", "three", "four", "five", "six", "first", "second", "third", "follow", "child", "young",
}


@dataclass
class Piece:
    page: int
    text: str


@dataclass
class Block:
    kind: str
    """'heading', 'para', 'list' or 'contents'."""
    pieces: list[Piece] = field(default_factory=list)
    paragraph: str | None = None
    skip: int = 0
    """Characters at the start of the first piece that are not sentence text (a paragraph number, a bullet)."""
    heading: HeadingInfo | None = None
    x0: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """English word forms from spacy-lookups-data (~67k), to tell 'safe-guarding' from 'child-centred'."""
    try:
        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
        table = json.loads(gzip.open(path).read())
        return frozenset(k.lower() for k in table) | frozenset(v.lower() for v in table.values())
    except (ImportError, OSError, ValueError):
        return frozenset()


class Dehyphenator:
    """Decides whether 'frag-' + 'next' at a line end is one word broken in two or a real compound."""

    def __init__(self, all_text: str) -> None:
        words = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", all_text.lower())
        self.words = set(words)
        self.lex = lexicon()

    def join(self, left: str, right: str) -> str:
        """`left` ends with '-'; returns the two joined with or without the hyphen (no space)."""
        m1 = re.search(r"([A-Za-z]+)-$", left)
        m2 = re.match(r"([A-Za-z]+)", right)
        if not m1 or not m2:
            return left + right
        frag, nxt = m1.group(1).lower(), m2.group(1).lower()
        joined, hyph = frag + nxt, f"{frag}-{nxt}"
        keep = False
        if hyph in self.words:
            keep = True
        elif joined in self.words or joined in self.lex:
            keep = False
        elif frag in COMPOUND_PREFIXES and (nxt in self.lex or nxt in self.words):
            keep = True
        elif right[:1].isupper() or (frag in self.lex and nxt in self.lex and len(nxt) > 3):
            keep = True
        return left + right if keep else left[:-1] + right


def join_lines(lines: list[Line], dehyph: Dehyphenator) -> str:
    text = ""
    for line in lines:
        t = line.text.strip()
        if not text:
            text = t
        elif re.search(r"[A-Za-z]-$", text) and t[:1].isalpha():
            text = dehyph.join(text, t)
        else:
            text += " " + t
    return text


def body_size(pages_lines: list[list[Line]]) -> float:
    weights: dict[float, int] = {}
    for lines in pages_lines:
        for ln in lines:
            key = round(ln.size * 2) / 2
            weights[key] = weights.get(key, 0) + len(ln.text)
    return max(weights, key=weights.get) if weights else 10.0


def line_pitch(pages_lines: list[list[Line]], size: float) -> float:
    gaps = []
    for lines in pages_lines:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6 and 0 < b.top - a.top < 4 * size:
                gaps.append(b.top - a.top)
    return statistics.median(gaps) if gaps else size * 1.25


def split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[tuple[str, str]]]:
    """Take the footnotes (smaller lines under the body that start with a marker) off a page."""
    body_bottom = max((ln.bottom for ln in lines if ln.size >= size * 0.9), default=0.0)
    notes: list[tuple[str, str]] = []
    keep: list[Line] = []
    for ln in lines:
        small_below = ln.size < size * 0.9 and ln.top >= body_bottom - 1
        if not small_below:
            keep.append(ln)
            continue
        m = re.match(r"^(\d{1,3}|\*{1,3}|[\u2020\u2021])\s*(\S.*)$", ln.text.strip())
        if ln.markers and ln.markers[0][0] == 0:
            notes.append((ln.markers[0][1], ln.text.strip()))
        elif m:
            notes.append((m.group(1), m.group(2)))
        elif notes:
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + ln.text.strip())
        else:
            keep.append(ln)
    return keep, notes


def is_contents_page(lines: list[Line]) -> bool:
    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    if not texts:
        return False
    hits = sum(1 for t in texts if CONTENTS_LINE.match(t) and not t.endswith("."))
    titled = any(re.fullmatch(r"(table of )?contents", t, re.IGNORECASE) for t in texts[:5])
    leaders = sum(1 for t in texts if re.search(r"[.\u2026_]{4,}\s*\d{1,3}$", t))
    return (titled and hits >= 3) or leaders >= 4 or (hits >= 6 and hits >= 0.6 * len(texts))


def _starts_item(text: str) -> tuple[str, int, str | None]:
    """('list'|'para'|'', characters to skip, paragraph number) for a line that may open a block."""
    m = BULLET.match(text)
    if m:
        return "list", m.end(), None
    m = PARA_NUMBER.match(text)
    if m:
        return "para", m.end(), m.group(1) or m.group(2)
    return "", 0, None


def page_blocks(lines: list[Line], page: int, size: float, pitch: float, dehyph: Dehyphenator) -> list[Block]:
    """Cut one page's body lines (in reading order) into blocks."""
    bold_body = False
    blocks: list[Block] = []
    current: list[Line] = []
    cur_block: Block | None = None
    bold_run = _bold_runs(lines)

    def close() -> None:
        nonlocal current, cur_block
        if cur_block is not None and current:
            cur_block.pieces = [Piece(page, join_lines(current, dehyph))]
            blocks.append(cur_block)
        current, cur_block = [], None

    prev: Line | None = None
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if CONTENTS_LINE.match(text) and re.search(r"[.\u2026_]{4,}", text):
            close()
            blocks.append(Block("contents", [Piece(page, text)]))
            prev = ln
            continue
        if is_numbered_caps_heading(text) or (
                looks_like_heading(ln, size, bold_body) and (bold_run[i] <= 2 or ln.size >= size * 1.15)):
            if cur_block is not None and cur_block.kind == "heading" and prev is not None and \
                    abs(prev.size - ln.size) < 0.5 and ln.top - prev.bottom < pitch and \
                    heading_number(text)[0] is None:
                current.append(ln)
            else:
                close()
                cur_block = Block("heading", heading=heading_info(text, ln.size, size))
                current = [ln]
            prev = ln
            continue
        kind, skip, number = _starts_item(text)
        new = cur_block is None or cur_block.kind == "heading" or bool(kind)
        if not new and prev is not None:
            gap = ln.top - prev.top
            ended = prev.text.rstrip().endswith(TERMINAL)
            if gap > pitch * 1.45 or abs(ln.size - prev.size) > 1.5 or (gap < -pitch and ended):
                new = True  # a jump up to the next column continues an unfinished sentence
            elif cur_block.kind == "list" and ln.x0 < cur_block.x0 - 2:
                new = True
            elif ended and ln.x0 > prev.x0 + 8 and text[:1].isupper() and not _starts_item(prev.text.strip())[0]:
                new = True
        if new:
            close()
            cur_block = Block(kind or "para", paragraph=number, skip=skip, x0=ln.x0 + (5 if kind == "list" else 0))
            current = [ln]
        else:
            current.append(ln)
        prev = ln
    close()
    for b in blocks:
        if b.kind == "heading":
            b.heading = heading_info(b.text, 0.0, size) if b.heading is None else b.heading
    return blocks


def _bold_runs(lines: list[Line]) -> list[int]:
    """For each line, the length of the run of consecutive bold lines it belongs to (0 if not bold)."""
    runs = [0] * len(lines)
    i = 0
    while i < len(lines):
        if not lines[i].bold:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].bold:
            j += 1
        for k in range(i, j):
            runs[k] = j - i
        i = j
    return runs


def merge_across_pages(blocks: list[Block], dehyph: Dehyphenator) -> list[Block]:
    """Join a paragraph cut by a page break with its continuation on the next page."""
    out: list[Block] = []
    for b in blocks:
        last = out[-1] if out else None
        if (last is not None and b.kind == "para" and b.paragraph is None and last.kind in ("para", "list")
                and last.pieces[-1].page != b.pieces[0].page and b.pieces[0].page == last.pieces[-1].page + 1):
            tail = last.pieces[-1].text.rstrip()
            head = b.pieces[0].text.lstrip()
            last_word = tail.split()[-1] if tail.split() else ""
            abbrev = last_word.lower().rstrip(".") in NEVER_FINAL and last_word.endswith(".")
            if head[:1].islower() or abbrev or (not tail.endswith(TERMINAL) and last_word[:1].islower()):
                last.pieces.extend(b.pieces)
                continue
        out.append(b)
    return out
