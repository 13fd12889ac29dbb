"""Render the real prevention-of-future-deaths reports (JSON Lines) to PDFs laid out like a
Regulation 28 report, for benchmarks and scale tests.

    python -m tools.render_pfd --out /tmp/pfd [--limit N] [--jsonl PATH]

Each record (id, url, date, coroner, area, receiver, investigation, circumstances, concerns) becomes
`pfd_<id>.pdf` in the output folder: title, the numbered form headings (1 CORONER ... 5 CORONER'S
CONCERNS, then the response and publication sections), who it is sent to, the date, and a running
footer with page numbers. Text is set in core Helvetica, so characters outside latin-1 are
transliterated (quotes, dashes, ellipses) or replaced. The output folder lives outside the repo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fpdf import FPDF

DEFAULT_JSONL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pfd" / "reports.jsonl"
TITLE = "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS"
TRANSLIT = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u2033": '"', "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-",
    "\u2011": "-", "\u2026": "...", "\u2022": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\ufeff": "", "\u20ac": "EUR", "\u2122": "(TM)", "\t": " ", "\u0142": "l", "\u0141": "L", "\u0111": "d",
    "\u0110": "D", "\u0153": "oe", "\u0152": "OE", "\u0131": "i",
}
LEGAL_POWERS = (
    "I make this report under paragraph 7, Schedule 5, of the Coroners and Justice Act 2009 and "
    "regulations 28 and 29 of the Coroners (Investigations) Regulations 2013."
)
CLOSING = (
    ("ACTION SHOULD BE TAKEN", "In my opinion action should be taken to prevent future deaths and I believe "
     "you have the power to take such action."),
    ("YOUR RESPONSE", "You are under a duty to respond to this report within 56 days of the date of this report. "
     "Your response must contain details of action taken or proposed to be taken, or an explanation as to "
     "why no action is proposed."),
    ("COPIES and PUBLICATION", "I have sent a copy of my report to the Chief Coroner and to the family of the "
     "deceased. The Chief Coroner may publish either or both in a complete or redacted or summary form."),
)


def latin1(text: str) -> str:
    """Text safe for a core PDF font: common punctuation transliterated, accents kept where latin-1 has
    them, other characters decomposed to their base letter or replaced with '?'."""
    out = []
    for ch in text or "":
        ch = TRANSLIT.get(ch, ch)
        if all(ord(c) < 256 for c in ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out).replace("\r\n", "\n").replace("\r", "\n")


class _Report(FPDF):
    """A Regulation 28 page: own line breaking (fpdf's multi_cell is ~10x slower) and a page footer."""

    ref = ""
    top, bottom, left, right = 20.0, 275.0, 22.0, 188.0

    def start(self) -> None:
        self._widths: dict[tuple[str, str, float], float] = {}
        self.set_auto_page_break(False)
        self.laid: list[list[tuple[float, float, str, float, str]]] = []
        self.new_page()

    def new_page(self) -> None:
        self.laid.append([])
        self.cur_y = self.top

    def put(self, x: float, y: float, style: str, size: float, text: str) -> None:
        self.laid[-1].append((x, y, style, size, text))

    def finish(self) -> bytes:
        """Draws the laid-out pages, each with the footer 'Ref: ID    Page N of M'."""
        for n, ops in enumerate(self.laid, 1):
            self.add_page()
            for x, y, style, size, text in ops:
                self.set_font("Helvetica", style, size)
                self.text(x, y, text)
            self.set_font("Helvetica", "", 8)
            foot = f"Ref: {self.ref}    Page {n} of {len(self.laid)}"
            self.text((self.w - self.get_string_width(foot)) / 2, 287.0, foot)
        return bytes(self.output())

    def width(self, word: str, style: str, size: float) -> float:
        key = (word, style, size)
        if key not in self._widths:
            self.set_font("Helvetica", style, size)
            self._widths[key] = self.get_string_width(word)
        return self._widths[key]

    def lines(self, text: str, x: float, style: str = "", size: float = 11.0, lh: float = 5.5,
              center: bool = False) -> None:
        """Writes `text` wrapped between x and the right margin, breaking pages as needed."""
        space, room = self.width(" ", style, size), self.right - x
        out, cur, cur_w = [], [], 0.0
        for word in text.split():
            ww = self.width(word, style, size)
            if cur and cur_w + space + ww > room:
                out.append((" ".join(cur), cur_w))
                cur, cur_w = [], 0.0
            cur_w = ww if not cur else cur_w + space + ww
            cur.append(word)
        if cur:
            out.append((" ".join(cur), cur_w))
        for line, w in out:
            if self.cur_y + lh > self.bottom:
                self.new_page()
            lx = x + (room - w) / 2 if center else x
            self.put(lx, self.cur_y + lh * 0.75, style, size, line)
            self.cur_y += lh


def render_report(record: dict, path: Path) -> Path:
    """Writes one record as a Regulation 28 report PDF; returns the path."""
    pdf = _Report(unit="mm", format="A4")
    pdf.ref = latin1(str(record.get("id", "")))
    when = _date(record.get("date"))
    pdf.set_creation_date(dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc))
    pdf.set_title(TITLE)
    pdf.set_creator("scr-themes tools.render_pfd")
    pdf.start()
    pdf.lines(TITLE, pdf.left, "B", 14, 7, center=True)
    pdf.cur_y += 4
    pdf.lines("THIS REPORT IS BEING SENT TO:", pdf.left, "B")
    for line in latin1(record.get("receiver") or "unknown").split(";"):
        pdf.lines(line.strip(), pdf.left)
    coroner, area = latin1(record.get("coroner") or "the coroner"), latin1(record.get("area") or "unknown")
    sections = [
        ("CORONER", f"I am {coroner}, coroner for the coroner area of {area}."),
        ("CORONER'S LEGAL POWERS", LEGAL_POWERS),
        ("INVESTIGATION and INQUEST", latin1(record.get("investigation") or "")),
        ("CIRCUMSTANCES OF THE DEATH", latin1(record.get("circumstances") or "")),
        ("CORONER'S CONCERNS", latin1(record.get("concerns") or "")),
        *CLOSING,
        ("DATE AND SIGNATURE", f"{when.day} {when.strftime('%B')} {when.year}\n{coroner}\nHM Coroner for {area}"),
    ]
    for number, (heading, body) in enumerate(sections, 1):
        pdf.cur_y += 3
        if pdf.cur_y + 12 > pdf.bottom:
            pdf.new_page()
        pdf.put(pdf.left, pdf.cur_y + 4.5, "B", 11, str(number))
        pdf.lines(heading, pdf.left + 10, "B", 11, 6)
        for para in re.split(r"\n\s*\n|\n", body):
            if para.strip():
                pdf.lines(para.strip(), pdf.left + 10)
                pdf.cur_y += 1.5
    path.write_bytes(pdf.finish())
    return path


def _date(value) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return dt.date(2000, 1, 1)


def _file_name(record: dict, index: int) -> str:
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", str(record.get("id") or f"record-{index}")).strip("-")
    return f"pfd_{ref or index}.pdf"


def _render_one(args: tuple[dict, str]) -> str:
    record, path = args
    return str(render_report(record, Path(path)))


def render_reports(jsonl: Path, out: Path, limit: int | None = None, workers: int = 1) -> list[Path]:
    """Renders the first `limit` records (all when None) of `jsonl` into `out`; returns the PDF paths.
    `workers` > 1 renders in a process pool."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = []
    with open(jsonl, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and len(jobs) >= limit:
                break
            if line.strip():
                record = json.loads(line)
                jobs.append((record, str(out / _file_name(record, i))))
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            return [Path(p) for p in pool.map(_render_one, jobs, chunksize=8)]
    return [Path(_render_one(job)) for job in jobs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.render_pfd", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs (created; keep it outside the repo)")
    parser.add_argument("--limit", type=int, default=None, help="render only the first N reports (default: all)")
    parser.add_argument("--jsonl", type=Path, default=DEFAULT_JSONL, help=f"reports file (default: {DEFAULT_JSONL})")
    parser.add_argument("--workers", type=int, default=1, help="processes to render with (default: 1)")
    args = parser.parse_args(argv)
    if not args.jsonl.is_file():
        print(f"error: {args.jsonl} not found", file=sys.stderr)
        return 2
    start = time.perf_counter()
    paths = render_reports(args.jsonl, args.out, args.limit, args.workers)
    print(f"rendered {len(paths)} reports to {args.out} in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
