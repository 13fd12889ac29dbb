"""Blocks into the document's pages, sections and sentences (shared by the PDF and the text readers).

Page text: the page's blocks in reading order, separated by blank lines; running headers, footers,
page numbers, footnotes and tables are not in it. Sentence offsets point into it: for a sentence that
does not run over a page break, `page_text[start:end] == sentence.text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.ingest.paragraphs import Block, Dehyphenator
from pipeline.ingest.sentences import Segment, make_sentence, split_sentences
from pipeline.records import Page, Section, Sentence


@dataclass
class Assembled:
    pages: tuple[Page, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]


def assemble(blocks: list[Block], n_pages: int, dehyph: Dehyphenator | None = None) -> Assembled:
    texts: dict[int, str] = {n: "" for n in range(1, n_pages + 1)}
    sections: list[Section] = []
    work: list[tuple[str, list[Segment], str | None, str | None, str, int]] = []
    section: str | None = None
    paragraph: str | None = None
    for block in blocks:
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
        if block.paragraph:
            paragraph = block.paragraph
        work.append((block_text, segments, section, None if block.kind == "list" else paragraph, "list" if block.kind == "list" else "body",
                     block.skip))
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
