"""Plain-text reports (.txt, and OCR output) into blocks.

Pages break at form feeds where the file has them, else the whole text is page 1. A short line
without closing punctuation, in capitals or numbered like a heading, is a heading; blank lines end
paragraphs; a line starting with a bullet or a paragraph number opens a new block.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.paragraphs import (Block, Dehyphenator, Piece, _starts_item, join_lines,
                                        merge_across_pages)
from pipeline.ingest.pdf_layout import Line
from pipeline.ingest.sections import heading_info, heading_number


def decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(str(path), "unsupported file type", "binary data in a .txt file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def is_text_heading(line: str) -> bool:
    t = line.strip()
    if not t or len(t) > 100 or len(t.split()) > 12 or t[-1] in ".,;:!?" or not re.search(r"[A-Za-z]{3}", t):
        return False
    number, title = heading_number(t)
    letters = [c for c in title if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return bool(upper or (number and title[:1].isupper() and len(title.split()) <= 8))


def text_blocks(pages: list[str], dehyph: Dehyphenator) -> list[Block]:
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        current: list[str] = []
        kind, skip, para = "para", 0, None

        def close() -> None:
            if current:
                lines = [Line(t, 0, 0, 0, 0, 10.0) for t in current]
                blocks.append(Block(kind, [Piece(number, join_lines(lines, dehyph))], para, skip))
            current.clear()

        for raw in page.splitlines():
            line = " ".join(raw.split())
            if not line:
                close()
                continue
            if is_text_heading(line):
                close()
                info = heading_info(line, 10.0, 10.0)
                blocks.append(Block("heading", [Piece(number, line)], heading=info))
                continue
            k, s, p = _starts_item(line)
            if k:
                close()
                kind, skip, para = k, s, p
            elif not current:
                kind, skip, para = "para", 0, None
            current.append(line)
        close()
    return merge_across_pages(blocks, dehyph)


def split_pages(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    return pages
