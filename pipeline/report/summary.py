"""The batch at a glance: counts of review types, years, areas and subjects, and the sentences that say them.

The opening paragraph of a briefing is written from the numbers, in plain English, so an author can
keep it, trim it or rewrite it; no number appears in prose that is not also in a table.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from pipeline.report.labels import review_type_name
from pipeline.report.prevalence import pairs_with
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
    """'a, b and c'; items that hold commas themselves are parted by semicolons ('a, b; c and d')."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    sep = "; " if any("," in p for p in parts) else ", "
    return sep.join(parts[:-1]) + " and " + parts[-1]


def quoted(name: str) -> str:
    """A theme's name as written, in quotation marks: emerging themes are named by keywords with commas
    ('Emerging: road, driver, drive'), so a name needs its own bounds inside a sentence."""
    return f"\u201c{' '.join(name.split())}\u201d"


def _named_list(names: Sequence[str], most: int = 4) -> str:
    """At most `most` names, then 'and N others'."""
    names = list(names)
    if len(names) <= most:
        return join_words(names)
    rest = len(names) - most + 1
    return join_words(names[: most - 1] + [f"{rest} others"])


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


def _most_often(counts: Sequence[Count]) -> str:
    """', most often Surrey (2 reviews)' / ', most often Kent and Surrey (2 reviews each)'; no 'most often'
    when every area has as many reviews."""
    top = counts[0].n
    leaders = [c.value for c in counts if c.n == top]
    if len(leaders) == len(counts):
        return ", one review each" if top == 1 else f", {plural(top, 'review')} each"
    return f", most often {_named_list(leaders)} ({plural(top, 'review')}{' each' if len(leaders) > 1 else ''})"


def _areas_sentence(s: BatchSummary) -> str | None:
    """Which areas the reviews come from, saying for how many of them the area is known at all."""
    areas = _known(s.areas)
    if not areas:
        return None
    known = sum(a.n for a in areas)
    if len(areas) <= 4:
        where = join_words([a.value if known == len(areas) else f"{a.value} ({a.n})" for a in areas])
    else:
        where = f"{len(areas)} areas" + _most_often(areas)
    if known < s.reviews:
        return f"The area is known for {known} of {plural(s.reviews, 'review')}: {where}."
    return f"The reviews come from {where}."


def _subjects_sentence(s: BatchSummary) -> str | None:
    ages = [f"{c.n} aged {c.value}" if c.value != AGE_BANDS[5] else f"{c.n} aged 18 or over" for c in _known(s.ages)]
    ages = [a.replace("aged under", "under") for a in ages]
    unknown_ages = sum(c.n for c in s.ages if c.value == UNKNOWN)
    outcomes = {c.value: c.n for c in s.outcomes}
    parts = []
    if ages:
        if unknown_ages:
            ages.append(f"{unknown_ages} of unrecorded age")
        verb = "the subject was" if s.reviews == 1 else "the subjects were"
        parts.append(f"By age, {verb} {join_words(ages)}")
    elif unknown_ages:
        parts.append("no subject's age is recorded" if s.reviews > 1 else "the subject's age is not recorded")
    deaths, harm = outcomes.get("death", 0), outcomes.get("serious harm", 0)
    fates = []
    if deaths:
        fates.append(f"all {deaths} died" if deaths == s.reviews and deaths > 1 else f"{deaths} died")
    if harm:
        fates.append(f"{harm} suffered serious harm")
    if fates:
        parts.append(f"{'of the subjects, ' if not parts else ''}{join_words(fates)}")
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
    tied = [t for t in themes if t.batch_reviews == top.batch_reviews]
    found = f"{top.batch_reviews} of {s.reviews} reviews ({percent(top.batch_share)})"
    # a tie is said as a tie: the first of tied themes is first by chance of sorting, not by prevalence
    if len(tied) == 1:
        text = f"The most common theme is {quoted(top.name)}, found in {found}"
        if s.corpus_reviews > s.reviews:
            text += f", against {percent(top.corpus_share)} of the {s.corpus_reviews} reviews in the corpus"
    elif len(tied) <= 3:
        text = f"{len(tied)} themes were tied as the most common, each found in {found}: " \
               + join_words([quoted(t.name) for t in tied])
    else:
        text = f"{len(tied)} themes were tied as the most common, each found in {found}"
    out = [text + "."]
    if s.corpus_reviews > s.reviews:
        higher = [t for t in themes if t.batch_reviews >= 2 and t.batch_share - t.corpus_share >= 0.2]
        lower = [t for t in themes if t.corpus_share - t.batch_share >= 0.2]
        if higher:
            out.append("Compared with the corpus, this batch shows more of the themes "
                       + join_words([quoted(t.name) for t in higher[:3]]) + ".")
        if lower:
            out.append("It shows less of " + join_words([quoted(t.name) for t in lower[:3]]) + " than the corpus as a whole.")
    return out


def _risk_sentences(grid: RiskGrid, pairs: Sequence[Cooccurrence], reviews: int) -> list[str]:
    """The most frequent risk factor(s), ties named together, then the runners-up (three factors in all)."""
    if not grid.labels:
        return ["No risk factors were tagged in these reviews."]
    reach = [(grid.reviews_with(j), mid_sentence(grid.names[j])) for j in range(len(grid.labels))]
    reach.sort(key=lambda x: (-x[0], x[1]))
    top_n = reach[0][0]
    leaders = [name for n, name in reach if n == top_n]
    of = f"{top_n} of {plural(reviews, 'review')}"
    # a tie is said as a tie: naming the alphabetically first of tied factors would read as a ranking
    if len(leaders) == 1:
        text = f"The most frequent risk factor was {leaders[0]} ({of})"
    elif len(leaders) == len(reach) and top_n == reviews:
        every = "Both" if len(reach) == 2 else f"All {len(reach)}"
        text = f"{every} risk factors were tagged in every review" if reviews > 1 else \
            f"{every} risk factors were tagged in the one review"
    elif len(leaders) == len(reach) and len(leaders) <= 4:
        text = f"{len(reach)} risk factors were tagged, each in {of}: {join_words(leaders)}"
    elif len(leaders) == len(reach):
        text = f"All {len(reach)} risk factors were tagged in the same number of reviews, each in {of}"
    elif len(leaders) > 4:
        text = f"{len(leaders)} risk factors were tied as the most frequent, each in {of}"
    else:
        text = f"The most frequent risk factors were {join_words(leaders)}, each in {of}"
    rest = reach[len(leaders):][: max(0, 3 - len(leaders))]
    if rest:
        text += ", followed by " + join_words([f"{name} ({plural(n, 'review')})" for n, name in rest])
    out = [text + "."]
    if pairs and pairs[0].n >= 2:
        p = pairs[0]
        tied = pairs_with(grid, p.n)
        if tied == 1:
            out.append(f"{p.name_a} and {mid_sentence(p.name_b)} appeared together in {plural(p.n, 'review')}.")
        elif p.n == reviews:
            out.append(f"{tied} pairs of risk factors appeared together in all {reviews} reviews.")
        else:
            out.append(f"{tied} pairs of risk factors appeared together in {p.n} reviews each; no pair stood out.")
    return out


def describe(
    s: BatchSummary, themes: Sequence[ThemeRow], grid: RiskGrid, pairs: Sequence[Cooccurrence]
) -> tuple[str, ...]:
    """The opening paragraph, one sentence per fact."""
    sentences = [_batch_sentence(s), _areas_sentence(s), _subjects_sentence(s)]
    sentences += _themes_sentences(s, themes)
    sentences += _risk_sentences(grid, pairs, s.reviews)
    return tuple(x for x in sentences if x)
