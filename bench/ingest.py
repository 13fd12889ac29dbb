"""Ingestion throughput: our full reader (layout, furniture, tables, footnotes, paragraphs, sections,
sentences, metadata) against plain pdfplumber `extract_text` and plain pypdfium2 text on the same
files in the same run; plus one 60-page review (make_scr_pdf seed 0) through the batch path and through
`scr ingest`, each in a fresh process on 2 workers, so start-up (imports, spaCy, workers) is counted.

Inputs: PFD reports rendered by tools/render_pfd.py from ../shared/corpus/pfd/reports.jsonl and a
generated SCR-shaped review (tests/helpers/scr_pdf.py); the real PDFs when neither is available.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import Row

REPO = Path(__file__).resolve().parents[1]
PFD_JSONL = REPO.parent / "shared" / "corpus" / "pfd" / "reports.jsonl"
REAL = REPO.parent / "shared" / "corpus" / "real"


def _inputs(folder: Path, quick: bool) -> tuple[list[Path], Path | None, str]:
    files: list[Path] = []
    notes = []
    try:
        from tools.render_pfd import render_reports

        if PFD_JSONL.is_file():
            files += render_reports(PFD_JSONL, folder / "pfd", limit=8 if quick else 60)
            notes.append(f"{len(files)} rendered PFD reports")
    except ImportError:
        pass
    scr = None
    try:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        from tests.helpers.scr_pdf import make_scr_pdf

        scr = folder / "scr60.pdf"
        make_scr_pdf(scr, seed=0, pages_target=60)
        files.append(scr)
        notes.append("a generated 60-page SCR")
    except ImportError:
        pass
    if not files:
        files = sorted(REAL.glob("*.pdf"))
        notes.append(f"{len(files)} real PFD PDFs")
    return files, scr, " + ".join(notes)


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def _rate(files: list[Path], read) -> float:
    pages = sum(_pages(f) for f in files)
    started = time.perf_counter()
    for f in files:
        read(f)
    return pages / (time.perf_counter() - started)


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _pdfium(path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pdf.close()


def bench(quick: bool) -> list[Row]:
    from pipeline.config import Settings
    from pipeline.ingest.reader import read_document

    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, scr, what = _inputs(folder, quick)
        pages = sum(_pages(f) for f in files)
        read_document(files[0], settings)  # warm: spaCy, the lexicon
        ours = _rate(files, lambda f: read_document(f, settings))
        plumber = _rate(files, _plumber)
        pdfium_rate = _rate(files, _pdfium)
        rows = [
            Row("ingest", "read_document (all cleanup), 1 process", ours, "pages/s", "pdfplumber extract_text",
                plumber, ">= 3x", f"{pages} pages: {what}"),
            Row("ingest", "read_document vs pypdfium2 plain text", ours, "pages/s", "pypdfium2 get_text_range",
                pdfium_rate, "", "plain text has no cleanup: the ceiling"),
        ]
        if scr is not None:
            rows += _fresh_process_rows(scr, folder)
    return rows


_BATCH = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from pipeline.config import Settings
from pipeline.ingest.batch import ingest_paths
from pipeline.store import connect
conn = connect(Path(sys.argv[2]))
report = ingest_paths([Path(sys.argv[1])], conn, Settings(), workers=2)
conn.close()
print(json.dumps({"seconds": time.perf_counter() - started, "pages": report.pages, "sentences": report.sentences}))
"""


def _fresh_process_rows(scr: Path, folder: Path) -> list[Row]:
    """The 60-page review through ingest_paths and through `scr ingest`, each in a new Python process."""
    out = subprocess.run([sys.executable, "-c", _BATCH, str(scr), str(folder / "batch.db")], cwd=REPO,
                         capture_output=True, text=True, check=True)
    batch = json.loads(out.stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "pipeline.cli.main", "--db", str(folder / "cli.db"), "ingest",
                          str(scr), "--workers", "2", "--json"], cwd=REPO, capture_output=True, text=True)
    cli_seconds = time.perf_counter() - started
    if cli.returncode != 0:
        raise RuntimeError(f"scr ingest failed: {cli.stderr.strip()[-300:]}")
    note = f"{batch['pages']} pages, {batch['sentences']} sentences; fresh process, 2 workers"
    return [
        Row("ingest", "60-page review through ingest_paths (imports and worker start included)", batch["seconds"],
            "s", target="< 5 s on 2 cores", notes=note),
        Row("ingest", "60-page review through `scr ingest` end to end (process start to exit)", cli_seconds, "s",
            target="< 5 s on 2 cores", notes=note),
    ]
