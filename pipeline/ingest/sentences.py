"""Sentences: spaCy's blank English pipeline with its rule-based sentencizer, plus the fixes review
prose needs ("para. 3.4", "Dr. Patel", "e.g. the", "no. 4", "Jan. 2019", "Rt. Hon." never end a sentence;
a sentence never starts in lower case after a split; a bare list marker, "4.", "ii.", "xxxiv.)", "(b)",
opens the sentence after it, never ends the one before and is never one on its own).
Each sentence keeps the page where it starts and its character offsets into that page's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from pipeline.records import Sentence

ABBREVIATIONS = {
    "para", "paras", "no", "nos", "dr", "mr", "mrs", "ms", "prof", "st", "fig", "figs", "vol", "pp", "p",
    "cf", "approx", "ref", "refs", "sec", "ch", "art", "reg", "regs", "cllr", "sgt", "insp", "det", "supt",
    "vs", "v", "etc", "al", "inc", "ltd", "co", "dept", "gov", "govt", "est", "tel", "ext", "min", "max",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ie", "eg",
    "e.g", "i.e", "a.m", "p.m", "op", "cit", "ibid", "cons", "pc", "ds", "dc", "di", "dci", "dsi", "rt", "hon",
}
NEVER_FINAL = {"para", "paras", "no", "nos", "dr", "mr", "mrs", "ms", "prof", "st", "fig", "figs", "vol", "pp",
               "p", "cf", "ref", "sec", "ch", "art", "reg", "regs", "cllr", "sgt", "insp", "det", "supt", "vs",
               "e.g", "i.e", "eg", "ie", "approx", "op", "pc", "ds", "dc", "di", "dci", "dsi", "rt", "hon"}
_LAST_WORD = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)\.$")
_ROMAN = r"(?:x{0,3}(?:ix|iv|v?i{1,3}|v)|x{1,3})"
"""Roman numerals 1 to 39, the range of list items: "mix" or "civil" are not among them."""
_ITEM = rf"(?:{_ROMAN}|{_ROMAN.upper()}|[A-Za-z]|\d{{1,3}})"
_MARKER = re.compile(rf"\(?{_ITEM}(?:\.\)|[.)])|\({_ITEM}\)\.?")
"""A list marker: "ii.", "xxxiv.)", "iv)", "(b)", "4.", "(2)."."""


def is_list_marker(text: str) -> bool:
    """True when `text` is a bare list marker and nothing else ("ii.", "xxxiv.)", "(b)", "4.")."""
    return _MARKER.fullmatch(text.strip()) is not None


def opens_list_item(text: str) -> bool:
    """True when `text` starts with a list marker and its item ("b) The IDVA ...", "(ii) no ...", "iv. the ...")."""
    m = _MARKER.match(text)
    return m is not None and text[m.end():m.end() + 1].isspace() and bool(text[m.end():].strip())


_LINE_ITEM = re.compile(rf"\n[ \t]*(?=(?:{_MARKER.pattern})[ \t]+\S)")
"""A list item at the start of a line: "...death:\n(a) The failure ..." is two sentences."""


def _split_line_items(text: str, span: Span) -> list[Span]:
    out, start = [], span.start
    for m in _LINE_ITEM.finditer(text, span.start, span.end):
        cut = m.end()
        if text[start:m.start()].strip():
            out.append(Span(start, m.start()))
            start = cut
    out.append(Span(start, span.end))
    return out


_OPENERS = "([{\u201c\u2018"
"""Opening brackets and quotes: spaCy leaves one at the end of the sentence before ("... flat. (" | "2) ...")."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _import_spacy():
    """spaCy without torch: thinc imports torch when it can (3+ s), and the sentencizer never uses it.
    When torch is already loaded (a process that embeds too), it is left alone."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail inside thinc
    try:
        import spacy
    finally:
        del sys.modules["torch"]  # later imports of torch work as usual
    return spacy


@lru_cache(maxsize=1)
def _nlp():
    spacy = _import_spacy()

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _must_join(left: str, right: str, list_items: bool = True) -> bool:
    """True when the split between `left` and `right` falls inside one sentence."""
    right = right.lstrip()
    if not right:
        return True
    if is_list_marker(left):
        return True  # a bare marker opens the sentence after it
    if (right[0].islower() or right[0] in ",;:)]%") and not (
            is_list_marker(right) or (list_items and opens_list_item(right))):
        # a list item ("b) the ...", "ii.") starts a sentence of its own
        return True
    m = _LAST_WORD.search(left.rstrip())
    if m:
        word = m.group(1).lower()
        if word in NEVER_FINAL:
            return True
        if word in ABBREVIATIONS and right[:1].isdigit():
            return True
        if len(word) == 1 and word.isalpha() and left.rstrip()[-3:-2] in (" ", ".", ""):  # initials: "J. Smith"
            return right[:1].isupper() and not re.match(r"(The|This|He|She|It|They|We|I|A|An|In|On)\b", right)
    if re.search(r"(^|\s)\d{1,3}(\.\d{1,3})*\.?$", left.rstrip()) and len(left.strip()) < 8:
        return True  # a split after a bare number ("4." or "3.4")
    return False


_PSEUDONYM_END = re.compile(
    r"\b(?:Child|Children|Mother|Father|Adult|Sibling|Baby|Person|Family|Subject|Man|Woman|Boy|Girl|Parent|Carer|"
    r"Partner|Household|Practitioner|Agency|Professional|Young Person|Stepfather|Stepmother|Grandmother|"
    r"Grandfather|Uncle|Aunt|Brother|Sister|Infant|Victim|Perpetrator|Adult [A-Z])\s[A-Z]\.(?=\s+[A-Z\u2018\u201c\"'])"
)
_STARTER = re.compile(r"\b[A-Z]\.(?=\s+(?:The|This|That|These|Those|He|She|It|They|We|I|His|Her|Their|There|"
                      r"When|After|Before|During|No|Both|Each|However|Although|On|In|At|A|An)\s)")


def _split_single_letters(text: str, span: Span) -> list[Span]:
    """spaCy keeps "A." together (an initial); "... Mother and Child A. The youth worker ..." is two sentences."""
    cuts = sorted({m.end() for rx in (_PSEUDONYM_END, _STARTER) for m in rx.finditer(text, span.start, span.end)})
    out, start = [], span.start
    for cut in cuts:
        if span.start < cut < span.end and not is_list_marker(text[start:cut]):  # "B. The ..." is one item
            out.append(Span(start, cut))
            start = cut
            while start < span.end and text[start].isspace():
                start += 1
    out.append(Span(start, span.end))
    return out


def split_sentences(texts: Sequence[str], list_items: bool = True) -> list[list[Span]]:
    """Sentence spans (character offsets) for each text. Each item of a list ("(a) the ...", "b) The ...")
    is a sentence of its own; `list_items=False` keeps the items of a list inside one sentence, as the cut
    was when the project's labelled references were written (corpus/annotations/label_pfd.py): their labels
    apply to the whole list, so splitting it would leave items with labels that belong to their neighbours."""
    nlp = _nlp()
    out: list[list[Span]] = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64)):
        spans = [Span(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        merged: list[Span] = []
        for sp in spans:
            if merged and _must_join(text[merged[-1].start:merged[-1].end], text[sp.start:sp.end], list_items):
                merged[-1] = Span(merged[-1].start, sp.end)
            else:
                merged.append(sp)
        lines = [line for sp in merged for line in (_split_line_items(text, sp) if list_items else [sp])]
        pieces = [piece for line in lines for piece in _split_single_letters(text, line)]
        out.append(_move_openers(text, pieces))
    return out


def _move_openers(text: str, spans: list[Span]) -> list[Span]:
    """An opening bracket or quote left at the end of a sentence goes to the start of the next one; when
    what stays behind is only a list marker ("2. \u2018The ..."), the marker goes with it."""
    spans = list(spans)
    out: list[Span] = []
    for i, span in enumerate(spans):
        end = span.end
        while end > span.start and text[end - 1].isspace():
            end -= 1
        if i + 1 < len(spans) and end > span.start and text[end - 1] in _OPENERS:
            kept = text[span.start:end - 1]
            if not kept.strip() or is_list_marker(kept):
                spans[i + 1] = Span(span.start, spans[i + 1].end)
                continue
            spans[i + 1] = Span(end - 1, spans[i + 1].end)
            span = Span(span.start, end - 1)
        out.append(span)
    return out


@dataclass
class Segment:
    """Where a stretch of a block's text lies: block offset, page, offset in that page's text, length."""

    block_start: int
    page: int
    page_start: int
    length: int


def locate(segments: Sequence[Segment], offset: int) -> tuple[int, int]:
    """(page, offset in the page text) of a block offset."""
    for seg in segments:
        if offset < seg.block_start + seg.length:
            return seg.page, seg.page_start + max(0, offset - seg.block_start)
    last = segments[-1]
    return last.page, last.page_start + (offset - last.block_start)


def make_sentence(ordinal: int, text: str, span: Span, segments: Sequence[Segment], section: str | None,
                  paragraph: str | None, kind: str) -> Sentence | None:
    raw = text[span.start:span.end]
    lead = len(raw) - len(raw.lstrip())
    clean = raw.strip()
    if not clean or not re.search(r"[A-Za-z]{2}", clean) or is_list_marker(clean):
        return None  # no words, or a list marker with no item after it in its block
    page, start = locate(segments, span.start + lead)
    return Sentence(ordinal=ordinal, text=clean, page=page, start=start, end=start + len(clean),
                    section=section, paragraph=paragraph, kind=kind)
