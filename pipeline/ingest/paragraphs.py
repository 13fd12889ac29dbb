"""Lines into blocks: headings, paragraphs, list items; footnotes and contents pages set apart.

A block is a run of lines read as one unit (a paragraph, a list item, a heading). A line opens a new
block when it starts with a paragraph number (also one run into its first word, "4.2.100On", where it
continues the numbering), a bullet character, a lettered or bracketed marker ("a.", "(ii)", "(2)"), or,
when the caller passes the page's shapes, a small drawn bullet at its left. Its text is the lines
joined with words hyphenated across a line end put back together. A paragraph cut by a page break
continues on the next page as the same block, in pieces that remember their page, so sentences run
over page breaks and still know the page where they start. Footnotes and headings are read strictly:
when a line might be either body text or not, it stays body text.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from pipeline.ingest.pdf_layout import Line
from pipeline.ingest.sentences import NEVER_FINAL
from pipeline.ingest.sections import HeadingInfo, heading_info, heading_number, is_numbered_caps_heading, looks_like_heading

BULLET = re.compile(r"^([\u2022\u00b7\u25aa\u25e6\u25cf\u25cb\u25a0\u2023\u2043\u2219\uf0b7\uf0a7*\-\u2013]|o(?=\s))\s+")
PARA_NUMBER = re.compile(r"^(\d{1,2}\.\d{1,3}(?:\.\d{1,3})?)\.?\s+(?=[A-Z\u2018\u201c\"'(])|^(\d{1,3})\.\s+(?=[A-Z\u2018\u201c\"'(])")
GLUED_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,2})(?=[A-Z][a-z])")
"""A paragraph number run into its first word ("4.2.100On"): one only when it continues the numbering."""
_ROMAN = r"(?:x{0,3}(?:ix|iv|v?i{1,3}|v)|x{1,3})"
LETTERED = re.compile(rf"^(?:\(?(?:[a-z]|{_ROMAN})[.)]|[A-Z]\)|\((?:[A-Za-z]|{_ROMAN}|\d{{1,2}})\))\s+(?=\S)")
"""A lettered, roman or bracketed list marker at a line start: "a.", "b)", "(i)", "iv.", "(2)", "C)"."""
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec"}
NOTE_START = re.compile(r"^(\d{1,3}|\*{1,3}|[\u2020\u2021])(?:\s+|(?=[A-Z\u201c\"][a-z]))(\S.*)$")
"""A footnote's first line: its marker, then a space (or a capitalised word run into it), then the text."""
NOTE_OPENERS = ("ibid", "see ", "cf", "e.g", "http", "www", "op. cit")
"""How a footnote may start in lower case."""
CONTENTS_LINE = re.compile(r"^(.{2,}?)(?:\s*[.\u2026_\u00b7]{4,}\s*|\s{3,}|\s)(\d{1,3}|[ivxlc]{1,5})$", re.IGNORECASE)
TERMINAL = tuple(".!?:;\"'\u2019\u201d)")
MIN_CUT_CHARS = 60
"""A page-final block ending on a capitalised word without closing punctuation is a sentence cut by
the page break when it is at least this long (a short one may be a caption or a label)."""
HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof|Sir|Dame|HHJ|His Honour|Her Honour|Judge)\.?\s+[A-Z]")
"""A line naming a person ("Mrs Heidi J. Connor"): a signature, not a heading."""
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


SUFFIX_FRAGMENTS = {
    "ly", "lly", "ment", "ments", "tion", "tions", "sion", "sions", "ing", "ings", "ed", "ness", "ful", "fully",
    "less", "ity", "ities", "ive", "ives", "able", "ably", "ible", "ibly", "al", "ally", "ance", "ances", "ence",
    "ences", "ant", "ants", "ent", "ents", "er", "ers", "est", "ous", "ise", "ised", "ises", "ize", "ized",
    "ship", "ships", "ism", "ist", "ists", "ary", "ory", "ial", "ian", "age", "ure", "ture", "tures", "es", "s",
}
"""What follows a line-end hyphen when a word was broken before its ending ("short-|ly", "assess-|ment")."""
PARTICLES = {"up", "off", "in", "on", "out", "down", "by", "over", "back", "away", "to", "for"}
"""Second halves of phrasal compounds written with a hyphen ("follow-up", "one-off", "drop-in")."""


class Dehyphenator:
    """Decides whether 'frag-' + 'next' at a line end is one word broken in two or a real compound.

    In order: the document's own spelling of the word (hyphenated or not) decides; a word ending
    ("ly", "ment", "tion") is joined on; a compound prefix before a particle ("follow-up", "one-off")
    or before the vowel it ends with ("co-ordinator", "re-enter", as British usage writes them) keeps
    its hyphen; then a known joined word is joined, and two known words keep the hyphen.
    """

    def __init__(self, all_text: str) -> None:
        words = re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]", all_text.lower())
        self.words = set(words)
        self.lex = lexicon()

    def keeps_hyphen(self, frag: str, nxt: str, capital: bool = False) -> bool:
        """True when 'frag-' + 'nxt' (lower case) is written with its hyphen."""
        joined, hyph = frag + nxt, f"{frag}-{nxt}"
        if hyph in self.words:
            return True
        if joined in self.words:
            return False
        if nxt in SUFFIX_FRAGMENTS:
            return False
        if frag in COMPOUND_PREFIXES and (nxt in PARTICLES or (frag[-1] in "aeiou" and nxt[:1] == frag[-1])):
            return True
        if joined in self.lex:
            return False
        if frag in COMPOUND_PREFIXES and (nxt in self.lex or nxt in self.words or nxt in PARTICLES):
            return True
        return capital or (frag in self.lex and nxt in self.lex and len(nxt) > 3)

    def join(self, left: str, right: str) -> str:
        """`left` ends with '-'; returns the two joined with or without the hyphen (no space)."""
        m1 = re.search(r"([A-Za-z]+)-$", left)
        m2 = re.match(r"([A-Za-z]+)", right)
        if not m1 or not m2:
            return left + right
        keep = self.keeps_hyphen(m1.group(1).lower(), m2.group(1).lower(), right[:1].isupper())
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
    """The commonest type size by characters, leaving out the rows of narrative tables (a long chronology
    in smaller type must not make the body text look like headings)."""
    weights: dict[float, int] = {}
    for lines in pages_lines:
        for ln in lines:
            if ln.table_row:
                continue
            key = round(ln.size * 2) / 2
            weights[key] = weights.get(key, 0) + len(ln.text)
    return max(weights, key=weights.get) if weights else 10.0


def line_pitch(pages_lines: list[list[Line]], size: float) -> float:
    gaps = []
    for lines in pages_lines:
        for a, b in zip(lines, lines[1:]):
            if a.table_row or b.table_row:
                continue
            if abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6 and 0 < b.top - a.top < 4 * size:
                gaps.append(b.top - a.top)
    return statistics.median(gaps) if gaps else size * 1.25


def _note_start(line: Line) -> tuple[str, str] | None:
    """(marker, text) when `line` can open a footnote: "3 Working Together...", not "3.16, there was"
    (a number in the text), "12 March she said" (a date) or "3 of the agencies" (a count)."""
    text = line.text.strip()
    if line.markers and line.markers[0][0] == 0:
        return line.markers[0][1], text
    m = NOTE_START.match(text)
    if not m:
        return None
    marker, rest = m.groups()
    if marker[0].isdigit():
        first = re.match(r"[A-Za-z]+", rest)
        if first and first.group().lower() in MONTHS:
            return None
        if rest[0].islower() and not rest.lower().startswith(NOTE_OPENERS):
            return None
        if not (rest[0].isalpha() or rest[0] in "\"'\u2018\u201c("):
            return None
    return marker, rest


def _next_marker(prev: str, marker: str) -> bool:
    """A new footnote's marker follows the one before: 4 after 3, or any non-numeric marker."""
    return not (prev.isdigit() and marker.isdigit()) or int(marker) == int(prev) + 1


def split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[tuple[str, str]]]:
    """Take the footnotes off a page: smaller lines below all body-size lines, the first of them
    opening with a marker and set apart from the text above by a gap; each later small line starts
    the next note (the next marker, aligned with the first) or continues the note before it (close
    below it, at its left edge or indented under its text). Anything else, and all that follows it,
    stays in the body: when unsure, text stays in the body."""
    small = [ln.size < size * 0.9 for ln in lines]
    body_bottom = max((ln.bottom for ln, s in zip(lines, small) if not s), default=0.0)
    order = sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0))
    start = None
    for k, i in enumerate(order):
        ln = lines[i]
        if not small[i] or ln.top < body_bottom - 1 or _note_start(ln) is None:
            continue
        above = lines[order[k - 1]] if k else None
        if above is None or ln.top - above.bottom >= 0.75 * size:
            start = k
            break
    if start is None:
        return lines, []
    notes: list[tuple[str, str]] = []
    taken: set[int] = set()
    first = lines[order[start]]
    prev = first
    for i in order[start:]:
        ln = lines[i]
        if not small[i]:
            break
        opened = _note_start(ln)
        if opened and (not notes or (abs(ln.x0 - first.x0) <= 3 and _next_marker(notes[-1][0], opened[0]))):
            notes.append(opened)
        elif notes and 0 <= ln.top - prev.bottom < 0.75 * size and first.x0 - 3 <= ln.x0 <= first.x0 + 3 * size:
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + ln.text.strip())
        else:
            break
        taken.add(i)
        prev = ln
    return [ln for i, ln in enumerate(lines) if i not in taken], notes


def is_contents_page(lines: list[Line]) -> bool:
    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    if not texts:
        return False
    hits = sum(1 for t in texts if CONTENTS_LINE.match(t) and not t.endswith("."))
    titled = any(re.fullmatch(r"(table of )?contents", t, re.IGNORECASE) for t in texts[:5])
    leaders = sum(1 for t in texts if re.search(r"[.\u2026_]{4,}\s*\d{1,3}$", t))
    return (titled and hits >= 3) or leaders >= 4 or (hits >= 6 and hits >= 0.6 * len(texts))


def _starts_item(text: str, lettered: bool = False) -> tuple[str, int, str | None]:
    """('list'|'para'|'', characters to skip, paragraph number) for a line that may open a block.
    With `lettered`, a lettered, roman or bracketed marker ("a.", "b)", "(ii)", "(2)") opens a list
    item too; the marker stays in the item's text."""
    m = BULLET.match(text)
    if m:
        return "list", m.end(), None
    m = PARA_NUMBER.match(text)
    if m:
        return "para", m.end(), m.group(1) or m.group(2)
    if lettered and LETTERED.match(text):
        return "list", 0, None
    return "", 0, None


def _item_may_start(prev: Line | None, text: str) -> bool:
    """Whether a lettered marker at the start of `text` can open an item: the line before ends a
    sentence or clause (". : ;", "and", "or") or the item starts with a capital ("a. Risk ..."), so
    that "... under paragraph 7" / "(a) of the Act" stays one sentence."""
    before = prev.text.rstrip() if prev is not None else ""
    return (not before or before.endswith((".", ":", ";", "?", "!")) or re.search(r"\b(and|or)$", before) is not None
            or re.match(r"\S+\s+[A-Z0-9\u201c\"']", text) is not None)


def _follows(prev: str | None, number: str) -> bool:
    """True when paragraph `number` comes next after `prev`: 4.2.100 after 4.2.99, 4.3.1 after 4.2.99."""
    if prev is None:
        return False
    a, b = [int(x) for x in prev.split(".")], [int(x) for x in number.split(".")]
    if len(a) != len(b):
        return False
    for k in range(len(a)):
        if b[:k] == a[:k] and b[k] == a[k] + 1 and all(x == 1 for x in b[k + 1:]):
            return True
    return False


def _glued_number(lines: list[Line], i: int, last: str | None) -> str | None:
    """The paragraph number run into the first word of line i ("4.2.100On"), when it continues this
    page's numbering (`last`), or, first on the page, when the line stands out left of its neighbours
    as numbered paragraphs' first lines do."""
    m = GLUED_NUMBER.match(lines[i].text.strip())
    if not m:
        return None
    number = m.group(1)
    if last is not None:
        return number if _follows(last, number) else None
    x0 = lines[i].x0
    near = [lines[k].x0 for k in (i - 1, i + 1) if 0 <= k < len(lines)]
    return number if near and all(x > x0 + 8 for x in near) and "." in number else None


def _bullet_shape(line: Line, shapes: Sequence[tuple[float, float, float, float]], size: float) -> bool:
    """A small filled shape just left of the line's first character, at its height: a drawn bullet."""
    for x0, top, x1, bottom in shapes:
        w, h = x1 - x0, bottom - top
        if not (1.0 <= w <= 0.6 * size and 1.0 <= h <= 0.6 * size and max(w, h) <= 2 * min(w, h)):
            continue
        if line.x0 - 3 * size <= x1 <= line.x0 - 0.5 and line.top - 2 <= (top + bottom) / 2 <= line.bottom + 2:
            return True
    return False


def _is_heading(lines: list[Line], i: int, size: float, pitch: float, bold_run: list[int]) -> bool | None:
    """True for a heading; None for a line that does not look like one; False for one that looks
    like a heading (larger or bold, short) but by its place is something else: a signature ("Mrs
    Heidi J. Connor"), what a line ending in a colon introduces ("The medical cause of death was:" /
    "1(a) Subdural Haematoma"), one of a run of numbered lines set alike (a list of recipients), or
    more than one sentence."""
    ln = lines[i]
    text = ln.text.strip()
    if is_numbered_caps_heading(text):
        return True
    if not (looks_like_heading(ln, size, False) and (bold_run[i] <= 2 or ln.size >= size * 1.15)):
        return None
    if HONORIFIC.match(text) or re.search(r"[a-z]{2}[.!?] [A-Z]", text):
        return False
    prev = lines[i - 1] if i else None
    if prev is not None and prev.text.rstrip().endswith(":") and 0 < ln.top - prev.top < 3 * pitch:
        return False
    number = heading_number(text)[0]
    if number and number.isdigit():
        for k, step in ((i - 1, -1), (i + 1, 1)):
            if not 0 <= k < len(lines):
                continue
            other = lines[k]
            near = abs(other.top - ln.top) < 1.6 * pitch and abs(other.x0 - ln.x0) <= 3
            if near and heading_number(other.text.strip())[0] == str(int(number) + step):
                return False
    return True


def page_blocks(lines: list[Line], page: int, size: float, pitch: float, dehyph: Dehyphenator,
                shapes: Sequence[tuple[float, float, float, float]] = ()) -> list[Block]:
    """Cut one page's body lines (in reading order) into blocks. `shapes`, the boxes of the page's
    drawn shapes, lets a line with a small filled shape at its left open a list item (a bullet
    drawn, not printed as a character)."""
    blocks: list[Block] = []
    current: list[Line] = []
    cur_block: Block | None = None
    bold_run = _bold_runs(lines)
    heading: list[bool | None] = [None] * len(lines)
    last_number: str | None = None
    item = False  # the current block opens with a marker (bullet, paragraph number, letter)

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
        # the second line of a pair of bold lines set alike, the first of which looks like a heading but
        # is not one, is not one either ("Mrs Heidi J. Connor" / "Senior Coroner for Berkshire")
        rejected_above = (i > 0 and bold_run[i] == 2 and bold_run[i - 1] == 2 and heading[i - 1] is False
                          and abs(lines[i - 1].size - ln.size) < 0.5)
        heading[i] = False if rejected_above else _is_heading(lines, i, size, pitch, bold_run)
        if heading[i]:
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
        kind, skip, number = _starts_item(text, _item_may_start(prev, text))
        if not kind:
            number = _glued_number(lines, i, last_number)
            kind, skip = ("para", len(number)) if number else ("", 0)
        if not kind and shapes and _bullet_shape(ln, shapes, size):
            kind = "list"
        new = cur_block is None or cur_block.kind == "heading" or bool(kind)
        if not new and prev is not None:
            gap = ln.top - prev.top
            ended = prev.text.rstrip().endswith(TERMINAL)
            if gap > pitch * 1.45 or abs(ln.size - prev.size) > 1.5 or (gap < -pitch and ended):
                new = True  # a jump up to the next column continues an unfinished sentence
            elif cur_block.kind == "list" and ln.x0 < cur_block.x0 - 2:
                new = True
            elif ended and ln.x0 > prev.x0 + 8 and text[:1].isupper() and not (len(current) == 1 and item):
                new = True  # indented under a finished line, unless that line opens an item (a hanging indent)
        if new:
            close()
            printed = kind == "list" and skip > 0  # a bullet character: the item's text starts after it
            cur_block = Block(kind or "para", paragraph=number, skip=skip, x0=ln.x0 + (5 if printed else 0))
            current = [ln]
            item = bool(kind)
            last_number = number or last_number
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
    """Join a paragraph cut by a page break with its continuation on the next page. The next page
    opens with an unnumbered paragraph, and: the page before ended in the middle of a sentence (no
    closing punctuation; in a paragraph whatever the case of its last word, "...supporting Child" /
    "B, who attended", in a list item only on a word in lower case), or on an abbreviation that never
    ends one ("para."), or the next page goes on in lower case. A page that ends on a heading or on a
    bare list marker is not continued."""
    out: list[Block] = []
    for b in blocks:
        last = out[-1] if out else None
        if (last is not None and b.kind == "para" and b.paragraph is None and last.kind in ("para", "list")
                and last.pieces[-1].page != b.pieces[0].page and b.pieces[0].page == last.pieces[-1].page + 1):
            tail = last.pieces[-1].text.rstrip()
            head = b.pieces[0].text.lstrip()
            last_word = tail.split()[-1] if tail.split() else ""
            abbrev = last_word.lower().rstrip(".") in NEVER_FINAL and last_word.endswith(".")
            bare_marker = bool(BULLET.match(tail + " ") or LETTERED.match(tail + " x")) and len(tail.split()) == 1
            unfinished = not tail.endswith(TERMINAL) and (
                last_word[:1].islower() or (last.kind == "para" and len(tail) >= MIN_CUT_CHARS))
            if not bare_marker and (head[:1].islower() or abbrev or unfinished):
                last.pieces.extend(b.pieces)
                continue
        out.append(b)
    return out
