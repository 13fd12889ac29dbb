"""`read_document`: one file (PDF or .txt) into a typed Document, or an InputError naming the cause.

Causes (stored in `failures.cause`): empty file, not a PDF, truncated or corrupt PDF, encrypted PDF,
no text layer: needs OCR, too many pages, file too large, unreadable file, no usable text,
unsupported file type ("timed out" is the batch's, which stops a worker past the time limit).
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import InputError, UnreadablePDF
from pipeline.ingest.assemble import assemble
from pipeline.ingest.metadata import document_meta
from pipeline.ingest.paragraphs import Dehyphenator
from pipeline.ingest.text_reader import decode_text, split_pages, text_blocks
from pipeline.records import Document, document_id

SUFFIXES = (".pdf", ".txt")


def read_bytes(path: Path, settings: Settings) -> bytes:
    """The file's bytes after the checks that need no parsing (exists, readable, not empty, not huge)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as exc:
        raise InputError(str(path), "unreadable file", exc.strerror or type(exc).__name__) from None
    if size == 0:
        raise InputError(str(path), "empty file", "0 bytes")
    limit = settings.ingest.max_file_mb * 1024 * 1024
    if size > limit:
        raise InputError(str(path), "file too large",
                         f"{size / 1048576:.0f} MB, the limit is {settings.ingest.max_file_mb:g} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), "unreadable file", exc.strerror or type(exc).__name__) from None


def check_pdf_bytes(path: Path, data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" not in head:
        sniff = head.lstrip()[:200].lower()
        if sniff.startswith((b"<!doctype html", b"<html")) or b"<html" in sniff:
            what = "an HTML page"
        elif sniff.startswith((b"\x89png", b"\xff\xd8")):
            what = "an image"
        elif sniff.startswith(b"pk\x03\x04"):
            what = "a zip or Office file"
        else:
            what = "no %PDF header"
        raise UnreadablePDF(str(path), "not a PDF", what)
    if b"%%EOF" not in data[-2048:]:
        raise UnreadablePDF(str(path), "truncated or corrupt PDF", "no end-of-file marker: the file was cut short")


def warm_reader() -> None:
    """Load what every document needs (PDF parsers, the spaCy sentence splitter, the word list) once,
    so that worker processes forked afterwards start with it instead of importing it each."""
    from pipeline.ingest import pdf_reader  # noqa: F401
    from pipeline.ingest.paragraphs import lexicon
    from pipeline.ingest.sentences import _nlp

    _nlp()
    lexicon()


def unsupported_type(path: Path) -> InputError:
    """The error for a file scr does not read, as every reader of files words it."""
    suffix = Path(path).suffix.lower()
    cause = f"unsupported file type {suffix}" if suffix else "unsupported file type: no extension"
    return InputError(str(path), cause, "scr reads PDF and .txt")


def read_document(path: Path, settings: Settings) -> Document:
    """Read, clean and segment one PDF or .txt file. Raises InputError with one of the causes above."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise unsupported_type(path)
    data = read_bytes(path, settings)
    doc_id = document_id(data)
    if suffix == ".txt":
        return _from_text(path, data, doc_id, settings)
    return _from_pdf(path, data, doc_id, settings)


def _usable(path: Path, page_texts: list[str], settings: Settings) -> None:
    letters = sum(len(re.findall(r"[A-Za-z]", t)) for t in page_texts)
    if letters < settings.ingest.min_chars:
        raise InputError(str(path), "no usable text", f"{letters} letters of text")


def _from_text(path: Path, data: bytes, doc_id: str, settings: Settings, fmt: str = "txt") -> Document:
    text = data.decode("utf-8") if fmt == "ocr" else decode_text(path, data)
    pages = split_pages(text)
    _usable(path, pages, settings)
    dehyph = Dehyphenator(text)
    built = assemble(text_blocks(pages, dehyph), len(pages), dehyph)
    first = [(ln.strip(), 1.0) for ln in pages[0].splitlines() if ln.strip()][:3]
    meta = document_meta(first, [p.text for p in built.pages])
    if not built.sentences:
        raise InputError(str(path), "no usable text", "no sentences found")
    return Document(doc_id, str(path), "txt", built.pages, built.sections, built.sentences, meta,
                    size_bytes=len(data))


def _from_pdf(path: Path, data: bytes, doc_id: str, settings: Settings) -> Document:
    from pipeline.ingest.pdf_reader import pdf_content, read_layouts

    check_pdf_bytes(path, data)
    layouts = read_layouts(path, data, settings.ingest.max_pages)
    letters = sum(len(re.findall(r"[A-Za-z]", ln.text)) for p in layouts for ln in p.lines)
    if letters == 0 and any(p.images for p in layouts):
        if not settings.ingest.ocr:
            raise UnreadablePDF(str(path), "no text layer: needs OCR",
                                f"{len(layouts)} page(s) of images; run with --ocr (needs tesseract-ocr)")
        from pipeline.ingest.ocr import ocr_pdf

        text = ocr_pdf(path, data)
        doc = _from_text(path, text.encode("utf-8"), doc_id, settings, fmt="ocr")
        return Document(doc.doc_id, doc.path, "pdf", doc.pages, doc.sections, doc.sentences, doc.meta,
                        size_bytes=len(data))
    content = pdf_content(path, layouts)
    built = assemble(content.blocks, content.pages, content.dehyph)
    _usable(path, [p.text for p in built.pages], settings)
    if not built.sentences:
        raise InputError(str(path), "no usable text", "no sentences found")
    meta = document_meta(content.first_page_lines, [p.text for p in built.pages])
    return Document(doc_id, str(path), "pdf", built.pages, built.sections, built.sentences, meta,
                    tuple(content.footnotes), tuple(content.tables), size_bytes=len(data))
