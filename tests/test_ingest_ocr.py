"""Image-only (scanned) PDFs: a clear cause without --ocr, real offline OCR through Debian's tesseract-ocr
with it (CI installs tesseract-ocr; the OCR test skips with a reason where it is absent)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from pipeline.ingest.batch import ingest_paths

WORDS = (
    "The health visitor did not share the referral with the school nurse. "
    "Professionals should have spoken to the child alone."
)


def _scanned_pdf(path: Path) -> None:
    """A page of real text, rendered to pixels and saved as an image-only PDF: what a scanner produces."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    text_pdf = FPDF()
    text_pdf.add_page()
    text_pdf.set_font("Helvetica", size=14)
    text_pdf.multi_cell(0, 8, WORDS)
    image = pdfium.PdfDocument(bytes(text_pdf.output())).get_page(0).render(scale=300 / 72).to_pil()
    png = path.with_suffix(".png")
    image.convert("L").save(png)
    scan = FPDF()
    scan.add_page()
    scan.image(str(png), x=0, y=0, w=210)
    scan.output(str(path))


def _with(settings, **changes):
    return settings.replace(ingest=dataclasses.replace(settings.ingest, **changes))


def test_scanned_pdf_without_ocr_says_it_needs_ocr(tmp_path, settings, store):
    _scanned_pdf(tmp_path / "scan.pdf")
    report = ingest_paths([tmp_path / "scan.pdf"], store, settings, workers=1)
    assert [(f.cause) for f in report.failed] == ["no text layer: needs OCR"]
    assert store.execute("SELECT cause FROM failures").fetchone()[0] == "no text layer: needs OCR"


def test_ocr_without_tesseract_on_the_path_says_what_to_install(tmp_path, settings, store, monkeypatch):
    _scanned_pdf(tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # a machine where tesseract is not installed
    report = ingest_paths([tmp_path / "scan.pdf"], store, _with(settings, ocr=True), workers=1)
    assert report.failed[0].cause == "no text layer: needs OCR"
    assert "apt-get install tesseract-ocr" in report.failed[0].detail


def test_ocr_reads_a_scanned_review(tmp_path, settings, store):
    if shutil.which("tesseract") is None:
        pytest.skip("Debian's tesseract-ocr is not installed (.ci/run installs it)")
    _scanned_pdf(tmp_path / "scan.pdf")
    report = ingest_paths([tmp_path / "scan.pdf"], store, _with(settings, ocr=True), workers=1)
    assert not report.failed and len(report.added) == 1
    text = " ".join(r[0] for r in store.execute("SELECT text FROM sentences ORDER BY ordinal"))
    for phrase in ("health visitor did not share the referral", "spoken to the child alone"):
        assert phrase in text
