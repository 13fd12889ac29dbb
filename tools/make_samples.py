"""Regenerate the bundled sample corpus: four fictional SCR-shaped review PDFs in corpus/samples/.

    python -m tools.make_samples [--out corpus/samples]

The reviews are written by tests/helpers/review_text.py (all people, places and events fictional) and
laid out by tests/helpers/scr_pdf.py. Same code, same bytes: the committed PDFs are reproducible.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.helpers.review_text import case_for_seed  # noqa: E402
from tests.helpers.scr_pdf import make_scr_pdf  # noqa: E402

# file name -> (seed, subject, letter, area, review type, year of publication, incident date, pages)
SAMPLES = {
    "northshire_cspr_child_m_2020.pdf": (101, "sudi", "M", "Northshire", "CSPR", 2020, dt.date(2019, 3, 14), 44),
    "eastmoor_scr_child_j_2017.pdf": (102, "suicide", "J", "Eastmoor", "SCR", 2017, dt.date(2016, 5, 9), 52),
    "westbridge_cspr_child_k_2022.pdf": (103, "neglect", "K", "Westbridge", "CSPR", 2022, dt.date(2021, 1, 20), 48),
    "riverford_cspr_child_t_2024.pdf": (104, "maltreatment", "T", "Riverford", "CSPR", 2024, dt.date(2023, 6, 2), 56),
}


def make_samples(out: Path) -> list[Path]:
    """Writes the sample PDFs into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (seed, subject, letter, area, kind, year, incident, pages) in SAMPLES.items():
        case = case_for_seed(seed, subject=subject, letter=letter, area=area, review_type=kind, year=year,
                             incident=incident)
        make_scr_pdf(out / name, seed=seed, pages_target=pages, case=case)
        paths.append(out / name)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.make_samples", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "corpus" / "samples", help="output folder (default: corpus/samples)")
    args = parser.parse_args(argv)
    for path in make_samples(args.out):
        print(f"{path} {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
