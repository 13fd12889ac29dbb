"""Small fixture files for the ingestion tests, made with fpdf2 from a text we know.

`make_review_pdf(path)` writes a 5-page SCR-shaped PDF (cover, contents, running header, "Page N of M"
footer, numbered paragraphs, a hyphenated line break, a footnote, a sentence running over a page break,
a two-column page, a ruled table, bullets) and returns the sentences we expect back with their pages.
The bad inputs (`make_bad_inputs`) are the cases of issue 2 item 4.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "Serious Case Review: Child Q (Northshire)"
TITLE = "Serious Case Review: Child Q"
LEFT = 20.0
WIDTH = 170.0
LINE_H = 6.0


@dataclass
class FixtureTruth:
    sentences: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)
    """(text, page, section heading, paragraph number)."""
    footnotes: list[tuple[str, str, int]] = field(default_factory=list)
    table_cells: list[str] = field(default_factory=list)
    contents_lines: list[str] = field(default_factory=list)
    pages: int = 0


class _Writer:
    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, 20)
        self.y = 0.0
        self.page = 0

    def new_page(self, furniture: bool = True) -> None:
        self.pdf.add_page()
        self.page += 1
        self.y = 30.0
        self.furniture = furniture

    def line(self, text: str, size: float = 11, style: str = "", x: float = LEFT) -> None:
        self.pdf.set_font("Helvetica", style, size)
        self.pdf.text(x, self.y, text)
        self.y += LINE_H if size <= 11 else size * 0.6

    def wrap(self, words: list[str], width: float, size: float = 11) -> list[str]:
        self.pdf.set_font("Helvetica", "", size)
        lines, cur = [], ""
        for w in words:
            trial = f"{cur} {w}".strip()
            if self.pdf.get_string_width(trial) > width and cur:
                lines.append(cur)
                cur = w
            else:
                cur = trial
        if cur:
            lines.append(cur)
        return lines

    def paragraph(self, text: str, number: str | None = None, width: float = WIDTH, x: float = LEFT) -> None:
        indent = 12.0 if number else 0.0
        if number:
            self.line(number, x=x)
            self.y -= LINE_H
        for ln in self.wrap(text.split(), width - indent):
            self.line(ln, x=x + indent)
        self.y += 3


def make_review_pdf(path: Path) -> FixtureTruth:
    """Write the fixture review to `path` and return what ingestion should find in it."""
    truth = FixtureTruth()
    w = _Writer()
    pdf = w.pdf
    S = truth.sentences

    # Page 1: cover (no header, no footer).
    w.new_page(furniture=False)
    w.y = 80
    w.line(TITLE, size=24, style="B")
    w.y += 10
    w.line("Northshire Safeguarding Children Partnership", size=14)
    w.line("Published: March 2019", size=12)

    # Page 2: contents.
    w.new_page()
    w.line("Contents", size=16, style="B")
    w.y += 4
    for entry, page in (("1. Introduction", 3), ("2. Background", 3), ("3. Executive summary", 4),
                        ("4. Findings", 5), ("Appendix A: Terms of reference", 5)):
        pdf.set_font("Helvetica", "", 11)
        dots = "." * 40
        pdf.text(LEFT, w.y, f"{entry} {dots}")
        pdf.text(LEFT + WIDTH - 5, w.y, str(page))
        truth.contents_lines.append(entry)
        w.y += LINE_H

    # Page 3: numbered paragraphs, a hyphenated break, a footnote, a sentence over the page break.
    w.new_page()
    w.line("1. Introduction", size=14, style="B")
    w.y += 2
    s1 = "This review concerns Child Q, who was aged 3 months when she died in March 2018."
    s2 = "The review was commissioned by Dr. Patel, e.g. following para. 3.4 of the statutory guidance."
    w.paragraph(f"{s1} {s2}", number="1.1")
    S += [(s1, 3, "1. Introduction", "1.1"), (s2, 3, "1. Introduction", "1.1")]
    # Hand-made line breaks: one word hyphenated across the line end, and a footnote marker.
    w.line("1.2")
    w.y -= LINE_H
    x = LEFT + 12
    w.line("The health visitor recorded concerns about the home conditions and the safe-", x=x)
    w.line("guarding team was told on the same day.", x=x)
    pdf.set_font("Helvetica", "", 11)
    end_x = x + pdf.get_string_width("guarding team was told on the same day.")
    pdf.set_font("Helvetica", "", 7)
    pdf.text(end_x + 0.3, w.y - LINE_H - 1.6, "1")
    w.line("Information sharing between the agencies was limited.", x=x)
    w.y += 3
    S += [("The health visitor recorded concerns about the home conditions and the safeguarding team was "
           "told on the same day.", 3, "1. Introduction", "1.2"),
          ("Information sharing between the agencies was limited.", 3, "1. Introduction", "1.2")]
    w.line("2. Background", size=14, style="B")
    w.y += 2
    s3 = "Mother had a history of depression and had missed several antenatal appointments."
    w.paragraph(s3, number="2.1")
    S.append((s3, 3, "2. Background", "2.1"))
    w.y = 245
    long = ("Father told the police at 10.30pm on 4 March that he had found the baby unresponsive and that "
            "he had called an ambulance straight away, but the record of that call was never shared with the")
    w.paragraph(long, number="2.2")
    pdf.set_font("Helvetica", "", 8)
    pdf.text(LEFT, 276, "1 Working Together to Safeguard Children, 2018.")
    truth.footnotes.append(("1", "Working Together to Safeguard Children, 2018.", 3))

    # Page 4: the rest of the sentence, then a two-column executive summary.
    w.new_page()
    rest = "children's social care team."
    w.line(rest)
    w.y += 3
    S.append((long + " " + rest, 3, "2. Background", "2.2"))
    w.line("3. Executive summary", size=14, style="B")
    w.y += 2
    top = w.y
    col_w = 80.0
    left_text = ("The baby was known to four agencies before her death. Each agency held part of the picture. "
                 "No agency brought the parts together in a single assessment of risk.")
    right_text = ("The review found that professionals were too optimistic about the care at home. Records of "
                  "home visits were brief and rarely noted the baby's sleeping place.")
    w.paragraph(left_text, width=col_w, x=LEFT)
    w.y = top
    w.paragraph(right_text, width=col_w, x=LEFT + col_w + 10)
    for text in (left_text, right_text):
        for sent in text.replace(". ", ".|").split("|"):
            S.append((sent, 4, "3. Executive summary", None))

    # Page 5: findings with a ruled table and bullets, then an appendix.
    w.new_page()
    w.line("4. Findings", size=14, style="B")
    w.y += 2
    s4 = "The agencies involved are listed in the table below."
    w.paragraph(s4, number="4.1")
    S.append((s4, 5, "4. Findings", "4.1"))
    rows = [("Agency", "Contacts", "Role"), ("Health visiting", "6", "Universal"),
            ("Police", "2", "Response"), ("GP practice", "4", "Primary care")]
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(LEFT, w.y)
    for row in rows:
        for cell in row:
            pdf.cell(50, 7, cell, border=1)
            truth.table_cells.append(cell)
        pdf.ln(7)
        pdf.set_x(LEFT)
    w.y = pdf.get_y() + 8
    w.line("The review makes these recommendations:")
    S.append(("The review makes these recommendations:", 5, "4. Findings", "4.1"))
    for item in ("Agencies should record where the baby sleeps at every home visit.",
                 "The partnership should audit how referrals are shared."):
        w.line("\xb7", x=LEFT + 4)
        w.y -= LINE_H
        w.line(item, x=LEFT + 10)
        S.append((item, 5, "4. Findings", "4.1"))
    w.y += 4
    w.line("Appendix A: Terms of reference", size=14, style="B")
    w.y += 2
    s5 = "The review considered the period from January 2017 to March 2018."
    w.paragraph(s5)
    S.append((s5, 5, "Appendix A: Terms of reference", None))

    total = w.page
    for n in range(2, total + 1):
        pdf.page = n
        pdf.set_font("Times", "", 8)  # fpdf2 skips a font change it thinks is current: force one
        pdf.set_font("Helvetica", "", 8)
        pdf.text(LEFT, 12, HEADER)
        pdf.text(LEFT + WIDTH / 2 - 8, 287, f"Page {n} of {total}")
    pdf.page = total
    truth.pages = total
    pdf.output(str(path))
    return truth


def make_text_pdf(path: Path, pages: list[list[str]]) -> None:
    """A plain PDF with the given lines on each page (Helvetica 11)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", "", 11)
    for lines in pages:
        pdf.add_page()
        y = 25.0
        for ln in lines:
            pdf.text(LEFT, y, ln)
            y += LINE_H
    pdf.output(str(path))


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Write one file per bad-input case into `folder`; returns {file name: expected cause}."""
    from fpdf import FPDF

    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}
    (folder / "empty.pdf").write_bytes(b"")
    cases["empty.pdf"] = "empty file"

    good = folder / "_good.tmp"
    make_text_pdf(good, [["The child was seen at home by the health visitor on two occasions."] * 3])
    data = good.read_bytes()
    good.unlink()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    cases["truncated.pdf"] = "truncated or corrupt PDF"

    (folder / "page.pdf").write_text("<!DOCTYPE html><html><body><p>Not found</p></body></html>", encoding="utf-8")
    cases["page.pdf"] = "not a PDF"

    enc = FPDF()
    enc.add_page()
    enc.set_font("Helvetica", "", 11)
    enc.text(20, 30, "A confidential review that needs a password to open.")
    enc.set_encryption(owner_password="owner-secret", user_password="user-secret")
    enc.output(str(folder / "encrypted.pdf"))
    cases["encrypted.pdf"] = "encrypted PDF"

    img = FPDF()
    img.add_page()
    img.set_fill_color(40, 40, 40)
    img.rect(20, 20, 170, 40, style="F")
    scan = folder / "_scan.png"
    _write_png(scan)
    img.image(str(scan), x=20, y=80, w=100)
    scan.unlink()
    img.output(str(folder / "scanned.pdf"))
    cases["scanned.pdf"] = "no text layer: needs OCR"

    blank = FPDF()
    blank.add_page()
    blank.set_font("Helvetica", "", 11)
    blank.text(20, 30, "1")
    blank.output(str(folder / "no_text.pdf"))
    cases["no_text.pdf"] = "no usable text"

    locked = folder / "locked.pdf"
    locked.write_bytes(data)
    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):  # running as root: permissions do not stop us
        locked.unlink()
    else:
        cases["locked.pdf"] = "unreadable file"
    return cases


def _write_png(path: Path) -> None:
    """A small grey image (a stand-in for a scanned page), written without Pillow."""
    import struct
    import zlib

    w, h = 64, 32
    raw = b"".join(b"\x00" + bytes([(x * 4 + y * 2) % 256 for x in range(w)]) for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(png)
