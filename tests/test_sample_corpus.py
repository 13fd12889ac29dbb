"""The bundled sample reviews tell a story a reader can believe: `make run` briefs on them, and a briefing
that quotes a school nurse seeing a four-month-old, or a child seen before birth or after death, would make
a safeguarding reader distrust everything else in it. Read from the committed PDFs, as a user sees them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.ingest.reader import read_document
from tests.helpers.review_text import MONTHS, SCHOOL_AGE_MONTHS, case_for_seed
from tools.make_samples import SAMPLES

REPO = Path(__file__).resolve().parents[1]
DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
REVIEW_WORK = re.compile(r"review|panel|terms of reference|learning event|publish|inquest|convict|sentenc", re.I)
CHILD = re.compile(r"\bChild [A-Z]\b")


def _sample(name: str):
    seed, subject, letter, area, kind, year, incident, _ = SAMPLES[name]
    case = case_for_seed(seed, subject=subject, letter=letter, area=area, review_type=kind, year=year,
                         incident=incident)
    body = [s for s in read_document(REPO / "corpus" / "samples" / name, Settings()).sentences
            if not (s.section or "").lower().startswith(("appendix", "glossary"))]
    return case, body


def _dated(sentences):
    for s in sentences:
        for day, month, year in DATE.findall(s.text):
            yield s, dt.date(int(year), MONTHS.index(month) + 1, int(day))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_event_after_the_incident_or_about_the_child_before_birth(name):
    case, body = _sample(name)
    dated = list(_dated(body))
    assert len(dated) > 20  # the chronology was read
    after = [s.text for s, when in dated if when > case.incident and not REVIEW_WORK.search(s.text)]
    unborn = [s.text for s, when in dated if when < case.birth and CHILD.search(s.text)
              and not re.search(r"born|pregnan|covers the period", s.text)]
    assert after == [] and unborn == []


@pytest.mark.parametrize("name", sorted(n for n, spec in SAMPLES.items()
                                        if case_for_seed(spec[0], subject=spec[1]).age_months < SCHOOL_AGE_MONTHS))
def test_no_school_in_the_story_of_a_child_below_school_age(name):
    case, body = _sample(name)
    assert case.age_months < SCHOOL_AGE_MONTHS
    assert [s.text for s in body if re.search(r"school|teacher|pupil", s.text, re.I)] == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_review_work_happens_after_the_incident(name):
    """Terms of reference are agreed, and learning events held, after the child died or was harmed."""
    case, body = _sample(name)
    review_dates = [(s.text, when) for s in body for when in _months(s.text)
                    if re.search(r"terms of reference|learning events", s.text)]
    assert review_dates and all(when > case.incident for _, when in review_dates), review_dates


def _months(text: str):
    for month, year in re.findall(r"\b(" + "|".join(MONTHS) + r") (\d{4})\b", text):
        yield dt.date(int(year), MONTHS.index(month) + 1, 28)
