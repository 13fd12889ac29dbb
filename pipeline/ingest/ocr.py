"""OCR for image-only PDFs, offline, through Debian's tesseract-ocr (via pytesseract) when installed.

Pages are rendered with pypdfium2 at 300 dpi and read by tesseract; the result is a plain text with a
form feed between pages, read like a .txt report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.errors import UnreadablePDF

INSTALL_HINT = "OCR needs tesseract-ocr installed (apt-get install tesseract-ocr; pip install pytesseract)"


def ocr_available() -> bool:
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


def ocr_pdf(path: Path, data: bytes, dpi: int = 300) -> str:
    if not ocr_available():
        raise UnreadablePDF(str(path), "no text layer: needs OCR", INSTALL_HINT)
    import pypdfium2 as pdfium
    import pytesseract

    pdf = pdfium.PdfDocument(data)
    texts = []
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=dpi / 72).to_pil()
            texts.append(pytesseract.image_to_string(image, lang="eng"))
    finally:
        pdf.close()
    return "\f".join(texts)
