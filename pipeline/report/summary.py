"""The batch at a glance: counts of review types, years, areas and subjects, and the sentences that say them.

The opening paragraph of a briefing is written from the numbers, in plain English, so an author can
keep it, trim it or rewrite it; no number appears in prose that is not also in a table.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from pipeline.report.labels import review_type_name
from pipeline.report.model import BatchSummary, Cooccurrence, Count, ReviewRow, RiskGrid, ThemeRow

UNKNOWN = "unknown"
AGE_BANDS = ("under 1 year", "1-4 years", "5-10 years", "11-15 years", "16-17 years", "18 and over", UNKNOWN)


def age_band(age: float | None) -> str:
    if age is None:
        return UNKNOWN
    for limit, band in ((1, AGE_BANDS[0]), (5, AGE_BANDS[1]), (11, AGE_BANDS[2]), (16, AGE_BANDS[3]), (18, AGE_BANDS[4])):
        if age < limit:
            return band
    return AGE_BANDS[5]


def _counts(values: Iterable[str], order: Sequence[str] | None = None) -> tuple[Count, ...]:
    """Most frequent first ('unknown' last), or in the given order."""
    tally = Counter(values)
    if order is not None:
        return tuple(Count(v, tally[v]) for v in order if tally[v])
    items = sorted(tally.items(), key=lambda kv: (kv[0] == UNKNOWN, -kv[1], kv[0]))
    return tuple(Count(v, n) for v, n in items)


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def join_words(parts: Sequence[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def mid_sentence(name: str) -> str:
    """'Domestic abuse' -> 'domestic abuse' inside a sentence; acronyms ('CAMHS referrals') stay as they are."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def summarise(reviews: Sequence[ReviewRow], ages: Sequence[float | None], corpus_reviews: int) -> BatchSummary:
    """Counts for the batch (`ages` aligned with `reviews`); `sentences` is filled by `describe`."""
    years = _counts((str(r.year) if r.year else UNKNOWN for r in reviews))
    years = tuple(sorted(years, key=lambda c: (c.value == UNKNOWN, c.value)))
    return BatchSummary(
        reviews=len(reviews),
        corpus_reviews=corpus_reviews,
        review_types=_counts(r.review_type for r in reviews),
        years=years,
        areas=_counts(r.area for r in reviews),
        ages=_counts((age_band(a) for a in ages), AGE_BANDS),
        outcomes=_counts(r.outcome for r in reviews),
        causes=_counts(r.cause for r in reviews),
        sentences=(),
    )


def _known(counts: Sequence[Count]) -> list[Count]:
    return [c for c in counts if c.value != UNKNOWN]


def _batch_sentence(s: BatchSummary) -> str:
    types = [plural(c.n, review_type_name(c.value, 1), review_type_name(c.value, 2)) for c in s.review_types]
    years = [int(c.value) for c in _known(s.years)]
    when = ""
    if years:
        when = f" published in {years[0]}" if min(years) == max(years) else f" published between {min(years)} and {max(years)}"
    text = f"This briefing covers {plural(s.reviews, 'review')}{when}"
    if types and not (len(types) == 1 and s.review_types[0].value == UNKNOWN):
        text += ": " + join_words(types)
    return text + "."


def _areas_sentence(s: BatchSummary) -> str | None:
    areas = _known(s.areas)
    if not areas:
        return None
    if len(areas) <= 4:
        return f"The reviews come from {join_words([a.value for a in areas])}."
    return f"The reviews come from {len(areas)} areas, most often {areas[0].value} ({plural(areas[0].n, 'review')})."


def _subjects_sentence(s: BatchSummary) -> str | None:
    ages = [f"{c.n} aged {c.value}" if c.value != AGE_BANDS[5] else f"{c.n} aged 18 or over" for c in _known(s.ages)]
    ages = [a.replace("aged under", "under") for a in ages]
    outcomes = {c.value: c.n for c in s.outcomes}
    parts = []
    if ages:
        parts.append(f"By age, the subjects were {join_words(ages)}")
    deaths, harm = outcomes.get("death", 0), outcomes.get("serious harm", 0)
    fates = []
    if deaths:
        fates.append(f"all {deaths} died" if deaths == s.reviews and deaths > 1 else f"{deaths} died")
    if harm:
        fates.append(f"{harm} suffered serious harm")
    if fates:
        parts.append(f"{'of the subjects, ' if not ages else ''}{join_words(fates)}")
    if not parts:
        return None
    unknown = outcomes.get(UNKNOWN, 0)
    tail = f" (the outcome is not recorded for {unknown})" if unknown and fates else ""
    text = "; ".join(parts) + tail + "."
    return text[:1].upper() + text[1:]


def _themes_sentences(s: BatchSummary, themes: Sequence[ThemeRow]) -> list[str]:
    if not themes:
        return ["No themes were found in these reviews."]
    top = themes[0]
    text = (f"The most common theme is {mid_sentence(top.name)}, found in {top.batch_reviews} of {s.reviews} "
            f"reviews ({percent(top.batch_share)})")
    if s.corpus_reviews > s.reviews:
        text += f", against {percent(top.corpus_share)} of the {s.corpus_reviews} reviews in the corpus"
    out = [text + "."]
    if s.corpus_reviews > s.reviews:
        higher = [t for t in themes if t.batch_reviews >= 2 and t.batch_share - t.corpus_share >= 0.2]
        lower = [t for t in themes if t.corpus_share - t.batch_share >= 0.2]
        if higher:
            out.append("Compared with the corpus, this batch shows more " + join_words([mid_sentence(t.name) for t in higher[:3]]) + ".")
        if lower:
            out.append("It shows less " + join_words([mid_sentence(t.name) for t in lower[:3]]) + " than the corpus as a whole.")
    return out


def _risk_sentences(grid: RiskGrid, pairs: Sequence[Cooccurrence], reviews: int) -> list[str]:
    if not grid.labels:
        return ["No risk factors were tagged in these reviews."]
    reach = [(grid.reviews_with(j), grid.names[j]) for j in range(len(grid.labels))]
    reach.sort(key=lambda x: (-x[0], x[1]))
    top = [f"{mid_sentence(name)} ({n} of {reviews})" for n, name in reach[:3]]
    out = [f"The risk factors seen in most reviews were {join_words(top)}."]
    if pairs and pairs[0].n >= 2:
        p = pairs[0]
        out.append(f"{p.name_a} and {mid_sentence(p.name_b)} appeared together in {plural(p.n, 'review')}.")
    return out


def describe(
    s: BatchSummary, themes: Sequence[ThemeRow], grid: RiskGrid, pairs: Sequence[Cooccurrence]
) -> tuple[str, ...]:
    """The opening paragraph, one sentence per fact."""
    sentences = [_batch_sentence(s), _areas_sentence(s), _subjects_sentence(s)]
    sentences += _themes_sentences(s, themes)
    sentences += _risk_sentences(grid, pairs, s.reviews)
    return tuple(x for x in sentences if x)
