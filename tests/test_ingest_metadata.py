"""Document metadata against known truth: the bundled samples (tools/make_samples.py case definitions)
and generated reviews on other seeds (tests/helpers/scr_pdf.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.ingest.reader import read_document
from tests.helpers.review_text import case_for_seed
from tests.helpers.scr_pdf import make_scr_pdf
from tools.make_samples import SAMPLES

REPO = Path(__file__).resolve().parents[1]


def _expected(case) -> dict:
    return {"title": f"{case.review_name}: {case.child}", "review_type": case.review_type, "year": case.year,
            "area": case.area, "age": case.age_text, "outcome": case.outcome, "cause": case.cause}


def _got(doc) -> dict:
    m = doc.meta
    return {"title": m.title, "review_type": m.review_type, "year": m.year, "area": m.area,
            "age": m.subject.age_text, "outcome": m.subject.outcome, "cause": m.subject.cause}


def test_bundled_samples_metadata_matches_their_cases():
    assert len(SAMPLES) == 4
    for name, (seed, subject, letter, area, kind, year, incident, _) in SAMPLES.items():
        case = case_for_seed(seed, subject=subject, letter=letter, area=area, review_type=kind, year=year,
                             incident=incident)
        doc = read_document(REPO / "corpus" / "samples" / name, Settings())
        assert _got(doc) == _expected(case), name


@pytest.mark.parametrize("seed", [2, 8, 11, 17])  # injury (7 months), SUDI, maltreatment (9 years), homicide
def test_generated_review_metadata_matches_its_truth(tmp_path, seed):
    path = tmp_path / "review.pdf"
    truth = make_scr_pdf(path, seed=seed, pages_target=40)
    case = case_for_seed(seed)
    doc = read_document(path, Settings())
    assert truth.area.startswith(case.area)  # the cover names the partnership; the area is its place
    assert _got(doc) == {"title": truth.title, "review_type": truth.review_type, "year": truth.year,
                         "area": case.area, "age": truth.subject_age, "outcome": truth.outcome,
                         "cause": truth.cause}
