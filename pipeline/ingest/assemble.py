"""Blocks into the document's pages, sections and sentences (shared by the PDF and the text readers).

Page text: the page's blocks in reading order, separated by blank lines; running headers, footers,
page numbers, footnotes and tables are not in it. Sentence offsets point into it: for a sentence that
does not run over a page break, `page_text[start:end] == sentence.text`.

Before that, the blocks are checked as a whole: a heading that breaks the document's numbering, or a
numbered line in the Regulation 28 form's list of recipients, is a numbered item, not a section; the
form's title lines are not sentences; the number of a numbered list's item ("9.") ends where an
unnumbered block starts at the list's left edge (`_ends_list`), not only at the next heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.ingest.furniture import form_title_lengths
from pipeline.ingest.paragraphs import Block, Dehyphenator
from pipeline.ingest.sections import heading_number, numbering_breaks
from pipeline.ingest.sentences import Segment, make_sentence, split_sentences
from pipeline.records import Page, Section, Sentence

MARGIN_TOLERANCE = 4.0
"""Points by which an unnumbered block may start right of a numbered block's number and still be at
its left edge (a new block there ends the numbered paragraph)."""
MAX_RECIPIENTS = 15
"""Blocks after the form's "THIS REPORT IS BEING SENT TO:" that may be recipients."""
_FORM_FIRST_SECTION = re.compile(r"^1\.?\s+CORONER\b")


@dataclass
class Assembled:
    pages: tuple[Page, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]


def _as_item(block: Block) -> Block:
    """A numbered heading read as a numbered paragraph: its number leaves the sentence text."""
    number, title = heading_number(block.pieces[0].text.strip())
    first = block.pieces[0].text
    skip = len(first) - len(first.lstrip())
    if number and title:
        skip = first.find(title, skip)
    return replace(block, kind="para", paragraph=number if number and number[0].isdigit() else None,
                   skip=max(skip, 0), heading=None)


def _title_skips(blocks: list[Block]) -> list[int]:
    """For each block, the characters at its start that are the Regulation 28 form's title lines."""
    skips = [0] * len(blocks)
    run: list[int] = []
    for i in range(len(blocks) + 1):
        if i < len(blocks) and blocks[i].kind == "para":
            run.append(i)
            continue
        if run:
            for j, n in zip(run, form_title_lengths([blocks[j].pieces[0].text for j in run])):
                skips[j] = n
        run = []
    return skips


def check_blocks(blocks: list[Block]) -> tuple[list[Block], list[int]]:
    """The blocks with false headings read as numbered items, and the form-title characters to skip."""
    numbers = [b.heading.number if b.kind == "heading" and b.heading else None for b in blocks]
    breaks = numbering_breaks(numbers)
    skips = _title_skips(blocks)
    out: list[Block] = []
    recipients = 0  # blocks left in the form's list of recipients
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            text = block.pieces[0].text.strip()
            numbered = bool(numbers[i] and numbers[i][0].isdigit())
            if recipients and numbered and not _FORM_FIRST_SECTION.match(text):
                block = _as_item(block)
            elif i in breaks:
                block = _as_item(block)
            else:
                recipients = 0
        elif skips[i] and re.search(r"\bTO:?$", block.pieces[0].text[:skips[i]].rstrip()):
            recipients = MAX_RECIPIENTS + 1
        recipients = max(recipients - 1, 0)
        out.append(block)
    return out, skips


def _ends_list(block: Block, paragraph: str | None, para_x0: float, last_page: int) -> bool:
    """Whether an unnumbered block ends the numbered list before it ("1." ... "9.", then "In summary ...").

    It does when it starts a new block at the list's left edge or further left, on the page where the
    list's last block ends (at the top of the next page it may continue the item). Decimal paragraph
    numbers ("4.1") number a report's paragraphs, not a list: an unnumbered block after one (a line
    introducing bullets, after a table) stays in that paragraph, as it always did.
    """
    return (block.kind == "para" and bool(paragraph) and "." not in (paragraph or "") and para_x0 > 0
            and 0 < block.x0 <= para_x0 + MARGIN_TOLERANCE and block.pieces[0].page == last_page)


def assemble(blocks: list[Block], n_pages: int, dehyph: Dehyphenator | None = None) -> Assembled:
    texts: dict[int, str] = {n: "" for n in range(1, n_pages + 1)}
    sections: list[Section] = []
    work: list[tuple[str, list[Segment], str | None, str | None, str, int]] = []
    section: str | None = None
    paragraph: str | None = None
    para_x0 = 0.0  # left edge of the block that set `paragraph` (0: not known, as in plain text)
    last_page = 0  # the page where the previous body block ends
    blocks, title_skips = check_blocks(blocks)
    for block, title_skip in zip(blocks, title_skips):
        segments: list[Segment] = []
        block_text = ""
        for k, piece in enumerate(block.pieces):
            sep = "\n\n" if texts[piece.page] else ""
            page_start = len(texts[piece.page]) + len(sep)
            texts[piece.page] += sep + piece.text
            content = piece.text
            if k > 0:
                if block_text.endswith("-") and dehyph is not None and content[:1].isalpha():
                    joined = dehyph.join(block_text, content)
                    if not joined.startswith(block_text):  # hyphen dropped
                        block_text = block_text[:-1]
                else:
                    block_text += " "
            segments.append(Segment(len(block_text), piece.page, page_start, len(content)))
            block_text += content
        if block.kind == "heading":
            section = " ".join(block_text.split())
            paragraph = None
            info = block.heading
            sections.append(Section(len(sections), section, info.level if info else 1,
                                    info.number if info else None, block.pieces[0].page))
            continue
        if block.kind == "contents":
            continue
        skip = max(block.skip, title_skip)
        if not block_text[skip:].strip():
            continue  # nothing but the form's title
        if block.paragraph:
            paragraph, para_x0 = block.paragraph, block.x0
        elif _ends_list(block, paragraph, para_x0, last_page):
            paragraph = None
        last_page = block.pieces[-1].page
        work.append((block_text, segments, section, None if block.kind == "list" else paragraph,
                     "list" if block.kind == "list" else "body", skip))
    spans = split_sentences([w[0][w[5]:] for w in work])
    sentences: list[Sentence] = []
    for (text, segments, sec, para, kind, skip), block_spans in zip(work, spans):
        for sp in block_spans:
            shifted = type(sp)(sp.start + skip, sp.end + skip)
            s = make_sentence(len(sentences), text, shifted, segments, sec, para, kind)
            if s is not None:
                sentences.append(s)
    pages = tuple(Page(n, texts[n]) for n in range(1, n_pages + 1))
    return Assembled(pages, tuple(sections), tuple(sentences))
