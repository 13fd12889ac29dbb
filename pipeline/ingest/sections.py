"""Headings: lines set larger or bold, short, without a sentence's closing punctuation; numbering
such as "4.", "4.2", "Appendix A" gives the heading's number and level."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.ingest.pdf_layout import Line

_NUMBERED = re.compile(r"^(?P<num>(?:\d{1,2})(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
_APPENDIX = re.compile(r"^(?P<num>(?:appendix|annex|annexe|part|chapter|section)\s+[A-Z0-9]{1,3})\b[\s:.\-\u2013]*"
                       r"(?P<title>.*)$", re.IGNORECASE)
MAX_HEADING_WORDS = 14


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
