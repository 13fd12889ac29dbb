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


# --- names of the deceased and fallback titles (fictional examples; real reports read at run time) -----------

PFD_FIELDS = ("investigation", "circumstances", "concerns")


@pytest.mark.parametrize("text, name", [
    ("On 2 May 2020 I commenced an investigation into the death of Jonah (also known as Jay) Pemberton, aged 30.",
     "Jonah Pemberton"),
    ("I commenced an investigation into the death of Harriet Quill At inquest it was found that she fell.",
     "Harriet Quill"),
    ("I concluded an inquest into the tragic death of Marcus Lowe who was born on 4 June 1960.", "Marcus Lowe"),
    ("I commenced an investigation into the death of 49-year-old Peter Vane. It concluded in May.", "Peter Vane"),
    ("An investigation into the death of Ada Finch DOB 1 May 1990, age 32, was commenced.", "Ada Finch"),
    ("I commenced an investigation into the death of Nina Still, aged 40. The inquest found ...", "Nina Still"),
    ("An inquest touching the death of Mr Ivo Brandt\nDate of death: 3 March 2021", "Ivo Brandt"),
    ("I commenced an investigation into the death of Olek Dunmore\n\nThe investigation concluded in June.",
     "Olek Dunmore"),
])
def test_pfd_title_names_the_deceased_in_full_and_nothing_more(text, name):
    from pipeline.ingest.metadata import title_of

    assert title_of([], "PFD", text) == f"Regulation 28 report: {name}"


def _simple_deceased(investigation: str) -> str | None:
    """The deceased's name by a plain rule kept apart from the extractor's: the capitalised words after
    "death of" (a title and an age before them skipped, "(also known as ...)" dropped), up to punctuation,
    a lower-case word, the line's end or "DOB"."""
    import re

    m = re.search(r"death of:? (?:(?:Mr|Mrs|Miss|Ms|Dr|Master)\.? )?(?:\d+[- ]years?[- ]old )?(.+)", investigation)
    if not m:
        return None
    line = re.sub(r"\s*\((?:also )?known as [^)]*\)", "", m.group(1).split("\n")[0])
    words = []
    for word in line.split():
        core = word.rstrip(".,;:")
        if core == "DOB" or not re.match(r"[A-Z][\w'’-]", core):
            break
        words.append(core)
        if core != word:
            break
    return " ".join(words) or None


@pytest.mark.real
def test_pfd_titles_of_real_reports_name_the_deceased(pfd_jsonl):
    """Every real report whose investigation names the deceased gets that name as its title, whole and with
    no word of the next sentence ("At inquest ..."), both with its paragraph breaks and with each section's
    paragraphs run together as the rendered PDFs read."""
    import json

    from pipeline.ingest.metadata import title_of

    checked, wrong = 0, []
    for line in pfd_jsonl.read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        name = _simple_deceased(report.get("investigation") or "")
        if name is None:
            continue
        checked += 1
        fields = [report.get(f) or "" for f in PFD_FIELDS]
        for body in ("\n\n".join(fields), "\n\n".join(" ".join(f.split()) for f in fields)):
            title = title_of([], "PFD", body)
            if title != f"Regulation 28 report: {name}":
                wrong.append((report["id"], len(name.split()), len(title.split(": ", 1)[-1].split())))
    assert checked > 600
    assert wrong == []


def test_a_long_first_line_becomes_a_title_cut_at_a_word(tmp_path):
    from pipeline.config import Settings

    first = ("The family of a nine year old boy moved between three temporary flats in a single winter while "
             "agencies lost track of them")
    assert len(first) > 120
    path = tmp_path / "notes.txt"
    path.write_text(first + ".\n\nThe school raised concerns about his attendance on several occasions that year.\n"
                    "Nobody followed them up and the health visitor closed the case in the spring.\n", encoding="utf-8")
    title = read_document(path, Settings()).meta.title
    assert title.endswith("…") and len(title) <= 120
    assert first.startswith(title[:-1]) and first[len(title) - 1] == " "


def test_clip_keeps_short_text_and_cuts_long_text_at_a_word():
    from pipeline.ingest.metadata import clip

    assert clip("Serious case review:   Child Q") == "Serious case review: Child Q"
    assert clip("alpha beta gamma delta", 12) == "alpha beta…"
    assert clip("alpha beta gamma delta", 11) == "alpha beta…"
    assert clip("x" * 30, 10) == "x" * 9 + "…"
