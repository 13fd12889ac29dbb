"""Readable names and descriptions of taxonomy labels for the briefing.

The taxonomy (configs/taxonomy.yaml, loaded by pipeline.extract.taxonomy) is the source of names and
descriptions. Where it cannot be loaded (a store built elsewhere, a taxonomy file moved), the briefing
still reads well: the label id becomes a name ("domestic_abuse" -> "Domestic abuse") and the
description says it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from pipeline.errors import ConfigError

REVIEW_TYPE_NAMES = {
    "SCR": ("Serious Case Review", "Serious Case Reviews"),
    "CSPR": ("Child Safeguarding Practice Review", "Child Safeguarding Practice Reviews"),
    "SAR": ("Safeguarding Adults Review", "Safeguarding Adults Reviews"),
    "DHR": ("Domestic Homicide Review", "Domestic Homicide Reviews"),
    "PFD": ("Prevention of Future Deaths report", "Prevention of Future Deaths reports"),
    "other": ("review of another type", "reviews of other types"),
    "unknown": ("review of unrecorded type", "reviews of unrecorded type"),
}


def review_type_name(code: str, n: int = 1) -> str:
    singular, plural = REVIEW_TYPE_NAMES.get(code, (code, code))
    return singular if n == 1 else plural


MAX_TITLE = 100
"""Titles longer than this (a cover page read as a title) are cut at a word boundary in citations and tables."""


def display_title(title: str | None, path: str) -> str:
    """The review's title, or its file name where the title was not found ('unknown')."""
    if title and title.strip() and title.strip().lower() != "unknown":
        title = " ".join(title.split())
        if len(title) <= MAX_TITLE:
            return title
        return title[: MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return Path(path).name or "untitled review"


SHORT_ID = 12
"""Characters of a document id that tell reviews apart (as the appendix's table and `scr show` take it)."""


def distinct_titles(reviews: Sequence[tuple[str, str]]) -> dict[str, str]:
    """doc_id -> the title to cite it by, for (doc_id, title) of one briefing's reviews.

    Titles are kept as they are unless two reviews share one (two coroners' reports on the same death): then
    each of those gets its short document id added, 'Regulation 28 report: A B (doc 3f2a9c1b7e4d)', the id the
    appendix lists beside the review, so every citation, table row and chart row names one review. (File
    names are not used: downloaded reports carry long ones, and two folders can hold the same name.)"""
    count: dict[str, int] = {}
    for _, title in reviews:
        count[title] = count.get(title, 0) + 1
    return {d: t if count[t] == 1 else f"{t} (doc {d[:SHORT_ID]})" for d, t in reviews}


def humanise(label: str) -> str:
    """'parental_mental_health' -> 'Parental mental health'."""
    words = label.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else label


@dataclass(frozen=True)
class LabelBook:
    """Names, descriptions and kinds of the labels, with a version for the appendix."""

    names: dict[str, str]
    descriptions: dict[str, str]
    kinds: dict[str, str]
    version: str | None
    source: str

    def name(self, label: str) -> str:
        return self.names.get(label) or humanise(label)

    def description(self, label: str) -> str:
        return self.descriptions.get(label, "")


def load_label_book(settings) -> LabelBook:
    """The taxonomy's names and descriptions; an empty book (ids made readable) when it cannot be loaded."""
    path = settings.path(settings.taxonomy)
    from pipeline.extract.taxonomy import load_taxonomy

    try:
        taxonomy = load_taxonomy(path)
    except ConfigError:  # a missing or invalid taxonomy file: names fall back to the ids
        return LabelBook({}, {}, {}, None, f"{path} (not loaded)")
    names, descriptions, kinds = {}, {}, {}
    for label in taxonomy.labels:
        names[label.id] = str(getattr(label, "name", "") or humanise(label.id))
        descriptions[label.id] = str(getattr(label, "description", "") or "")
        kinds[label.id] = str(getattr(label, "kind", "") or "")
    return LabelBook(names, descriptions, kinds, str(getattr(taxonomy, "version", "") or "") or None, str(path))


def theme_display_name(name: str, label: str | None, book: LabelBook) -> str:
    """A theme's name with its taxonomy label id spelt as the label's name ('child_mental_health: x' -> 'Child mental health: x')."""
    if label and label in name:
        name = name.replace(label, book.name(label))
    if name.startswith("emerging:"):
        name = "Emerging:" + name[len("emerging:"):]
    return name


def review_labels(titles: list[str], paths: list[str], width: int = 40) -> list[str]:
    """Short row names for charts and tables: titles cut to `width`. Where the cut titles would repeat
    (reviews of one series differ only at the end: '...Practice Review: Child M'), the middle is cut
    instead, so chart rows keep the titles the tables and citations use; only reviews with the very same
    title get their file name added to tell them apart."""
    cut = [_cut_end(t, width) for t in titles]
    if len(set(cut)) == len(cut):
        return cut
    cut = [_cut_middle(t, width) for t in titles]
    seen: dict[str, int] = {}
    for c in cut:
        seen[c] = seen.get(c, 0) + 1
    return [c if seen[c] == 1 else f"{c} ({Path(p).name})" for c, p in zip(cut, paths)]


def _cut_end(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _cut_middle(text: str, width: int) -> str:
    """'Child Safeguarding\u2026Review: Child M': the start and the end, cut at word boundaries where possible."""
    if len(text) <= width:
        return text
    head_n = max(1, (width - 1) // 2)
    head = text[:head_n]
    if not text[head_n].isspace() and " " in head.strip():
        head = head.rsplit(" ", 1)[0]
    tail = text[len(text) - (width - 1 - len(head)):]
    if " " in tail.strip() and not text[len(text) - len(tail) - 1].isspace():
        tail = tail.split(" ", 1)[1]
    return head.rstrip() + "\u2026" + tail.lstrip()
