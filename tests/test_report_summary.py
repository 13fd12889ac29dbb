"""The briefing's opening paragraph (pipeline/report/summary.py) on batches built from real records:
theme names kept whole, risk-factor counts stated truly, unknown areas and ages said, not hidden."""

from __future__ import annotations

from pipeline.report.model import RiskGrid, ReviewRow, ThemeRow
from pipeline.report.summary import describe, summarise
from pipeline.report.prevalence import cooccurrence


def _review(i: int, area: str = "unknown", outcome: str = "death") -> ReviewRow:
    return ReviewRow(doc_id=f"{i:064x}", title=f"Regulation 28 report: Person {i}", review_type="PFD", year=2023,
                     area=area, subject_age="unknown", outcome=outcome, cause="unknown", pages=3,
                     path=f"/r/{i}.txt")


def _theme(tid: str, name: str, batch: int, n: int, corpus_share: float = 0.0, label: str | None = None) -> ThemeRow:
    return ThemeRow(theme_id=tid, name=name, label=label, description="", keywords=(), batch_reviews=batch,
                    batch_share=batch / n, corpus_reviews=0, corpus_share=corpus_share, batch_sentences=batch)


def _grid(reviews, factors: dict[str, list[int]]) -> RiskGrid:
    """factors: risk-factor name -> the row indices of the reviews affirming it (one sentence each)."""
    names = tuple(factors)
    labels = tuple(n.lower().replace(" ", "_") for n in names)
    cells = tuple(tuple(1 if i in factors[n] else 0 for n in names) for i in range(len(reviews)))
    return RiskGrid(labels, names, tuple(reviews), cells)


def _text(reviews, ages, themes=(), factors=None, corpus: int | None = None) -> str:
    summary = summarise(reviews, ages, corpus or len(reviews))
    grid = _grid(reviews, factors or {})
    return " ".join(describe(summary, list(themes), grid, cooccurrence(grid)))


def test_theme_names_with_commas_are_quoted_whole_and_keep_their_case():
    reviews = [_review(i) for i in range(6)]
    themes = [
        _theme("T1", "Emerging: road, driver, drive", 5, 6, 0.1),
        _theme("T2", "Emerging: ward, leave, staff", 4, 6, 0.2),
        _theme("T3", "CAMHS referrals", 3, 6, 0.05),
        _theme("T4", "Information sharing", 1, 6, 0.6, "information_sharing"),
    ]
    text = _text(reviews, [None] * 6, themes, corpus=40)
    assert "The most common theme is \u201cEmerging: road, driver, drive\u201d, found in 5 of 6 reviews (83%)" in text
    assert ("shows more of the themes \u201cEmerging: road, driver, drive\u201d; \u201cEmerging: ward, leave, staff\u201d"
            " and \u201cCAMHS referrals\u201d.") in text
    assert "less of \u201cInformation sharing\u201d than the corpus" in text
    assert "emerging: road" not in text


def test_one_risk_factor_in_one_review_of_four_is_not_called_most_reviews():
    reviews = [_review(i) for i in range(4)]
    text = _text(reviews, [None] * 4, factors={"Parental mental health": [2]})
    assert "The most frequent risk factor was parental mental health (1 of 4 reviews)." in text
    assert "in most reviews" not in text and "factors seen" not in text


def test_risk_factors_ranked_with_ties_named_together():
    reviews = [_review(i) for i in range(5)]
    text = _text(reviews, [None] * 5, factors={
        "Domestic abuse": [0, 1, 2], "Parental mental health": [1, 2, 3], "Neglect": [4], "Hidden men": [],
    })
    assert ("The most frequent risk factors were domestic abuse and parental mental health, each in 3 of 5 "
            "reviews, followed by neglect (1 review).") in text
    single = _text(reviews, [None] * 5, factors={"Domestic abuse": [0, 1], "Neglect": [1], "Hidden men": [3],
                                                  "Unsafe sleep": [4]})
    assert ("The most frequent risk factor was domestic abuse (2 of 5 reviews), followed by hidden men "
            "(1 review) and neglect (1 review).") in single
    flat = _text(reviews, [None] * 5, factors={"Domestic abuse": [0], "Neglect": [1]})
    assert "2 risk factors were tagged, each in 1 of 5 reviews: domestic abuse and neglect." in flat


def test_areas_say_how_many_reviews_have_a_known_area():
    areas = ["Surrey", "Surrey", "Kent", "Essex", "Devon", "Leeds", "York", "Bath", "Hull", "Wells", "Ely", "Derby"]
    reviews = [_review(i, areas[i] if i < len(areas) else "unknown") for i in range(274)]
    text = _text(reviews, [None] * 274)
    assert "The area is known for 12 of 274 reviews: 11 areas, most often Surrey (2 reviews)." in text
    assert "The reviews come from" not in text
    few = [_review(0, "Surrey"), _review(1, "Kent"), _review(2, "Kent"), _review(3)]
    assert "The area is known for 3 of 4 reviews: Kent (2) and Surrey (1)." in _text(few, [None] * 4)
    every = [_review(i, a) for i, a in enumerate(["Kent", "Surrey", "Essex", "Devon", "Leeds"])]
    assert "The reviews come from 5 areas, one review each." in _text(every, [None] * 5)


def test_ages_state_how_many_are_unknown():
    reviews = [_review(i) for i in range(10)]
    text = _text(reviews, [7.0] + [None] * 9)
    assert "By age, the subjects were 1 aged 5-10 years and 9 of unrecorded age; all 10 died." in text
    none_known = _text(reviews, [None] * 10)
    assert "No subject's age is recorded; all 10 died." in none_known
