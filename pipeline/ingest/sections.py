"""Headings: lines set larger or bold, short, without a sentence's closing punctuation; numbering
such as "4.", "4.2", "Appendix A" gives the heading's number and level.

Not headings, however they are set: a form's item ("1(a) Subdural Haematoma", "1b Fall": a cause of
death), a signature (a person's name after Mr/Mrs/Dr, a coroner's role), and numbered headings that
break the document's own numbering (`numbering_breaks`: "3. Care Quality Commission" in a list of
recipients before the form's section "1 CORONER").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.ingest.pdf_layout import Line

_NUMBERED = re.compile(r"^(?P<num>(?:\d{1,2})(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
_APPENDIX = re.compile(r"^(?P<num>(?:appendix|annex|annexe|part|chapter|section)\s+[A-Z0-9]{1,3})\b[\s:.\-\u2013]*"
                       r"(?P<title>.*)$", re.IGNORECASE)
MAX_HEADING_WORDS = 14
_FORM_ITEM = re.compile(r"^(?:\d{1,2}|[IVX]{1,3}|l)\s?(?:\([a-h]\)|[a-h](?=\s))\s*\S")
"""A numbered form item with a letter: "1(a) Subdural Haematoma", "1a Septic Shock", "Ia Ligature"."""
_PERSON = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|HHJ|Judge)\.?"
                     r"(?:\s+(?:[A-Z][\w'\u2019\-]*\.?|[A-Z]\.)){2,5}$")
"""A person's name and nothing else, after a title: "Mrs Heidi J. Connor" (a signature, not a heading)."""
_ROLE = re.compile(r"^(?:HM\s+|His\s+Majesty's\s+|Her\s+Majesty's\s+)?(?:(?:Senior|Area|Assistant|Deputy|Acting)\s+)*"
                   r"Coroner\s+(?:for|of)\b", re.IGNORECASE)
"""A coroner's role under a signature: "Senior Coroner for Berkshire"."""


@dataclass(frozen=True)
class HeadingInfo:
    number: str | None
    level: int


def heading_number(text: str) -> tuple[str | None, str]:
    """('4.2', 'Findings') from '4.2 Findings'; ('Appendix A', 'Terms') from 'Appendix A: Terms'."""
    m = _APPENDIX.match(text)
    if m:
        return m.group("num").strip().title().replace("Annexe", "Annex"), m.group("title").strip()
    m = _NUMBERED.match(text)
    if m:
        return m.group("num"), m.group("title").strip()
    return None, text


def looks_like_heading(line: Line, body_size: float, bold_body: bool) -> bool:
    """A candidate heading by its look alone (the caller checks runs of bold lines)."""
    text = line.text.strip()
    if not text or len(text) > 120 or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text[-1] in ".,;:" and not re.fullmatch(r"\d+(\.\d+)*\.", text):
        return False
    if not re.search(r"[A-Za-z]{2}", text):
        return False
    if _FORM_ITEM.match(text) or _PERSON.match(text) or _ROLE.match(text):
        return False
    bigger = line.size >= body_size * 1.15
    bold = line.bold and not bold_body
    if not (bigger or bold):
        return False
    first = heading_number(text)[1][:1]
    return first.isupper() or first.isdigit() or first in "\"'\u2018\u201c("


def heading_info(text: str, size: float, body_size: float) -> HeadingInfo:
    number, _ = heading_number(text)
    if number and number[0].isdigit():
        level = number.count(".") + 1
    elif number:
        level = 1
    else:
        level = 1 if size >= body_size * 1.4 else 2
    return HeadingInfo(number, level)


def is_numbered_caps_heading(text: str) -> bool:
    """'4 CIRCUMSTANCES OF THE DEATH', '8 COPIES and PUBLICATION': a number and a title in capitals."""
    number, title = heading_number(text.strip())
    if not number or len(title) > 60 or title[-1:] in ".,;:":
        return False
    words = [w for w in re.findall(r"[A-Za-z’']+", title) if len(w) > 3]
    return len(words) >= 1 and sum(w.isupper() for w in words) >= 0.8 * len(words)


def numbering_breaks(numbers: Sequence[str | None]) -> set[int]:
    """Indices of the numbered top-level headings (in document order; None for any other heading)
    that break the document's numbering and so are not its sections.

    The top-level numbers fall into runs that count up by one ("1 2 3", "3 4 5"). A run fits the
    numbering when it starts at 1 or follows the run kept before it (one number may be missing: a
    heading set like body text is not seen). A run that does not fit breaks the numbering when the
    numbering resumes after it (the next run starts at 1 or fits): "3 4 5" before "1 2 3 ..." (a list
    of recipients above the form's sections), "7 8" between "3" and "4". A run after which nothing
    resumes is kept, so a document whose sections start late, or skip numbers, loses no heading.
    """
    tops = [(i, int(n)) for i, n in enumerate(numbers) if n and re.fullmatch(r"\d{1,2}", n)]
    runs: list[list[tuple[int, int]]] = []
    for i, n in tops:
        if runs and n == runs[-1][-1][1] + 1:
            runs[-1].append((i, n))
        else:
            runs.append([(i, n)])

    def fits(first: int, last: int) -> bool:
        return first == 1 or 1 <= first - last <= 2

    breaks: set[int] = set()
    last = 0  # the last number of the run kept before
    for k, run in enumerate(runs):
        resumes = k + 1 < len(runs) and fits(runs[k + 1][0][1], last)
        if not fits(run[0][1], last) and resumes:
            breaks.update(i for i, _ in run)
            continue
        last = run[-1][1]
    return breaks
