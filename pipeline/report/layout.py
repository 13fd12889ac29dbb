"""What every writer lays out the same way: section titles, citations and the briefing's tables as text.

The HTML, Markdown and DOCX writers differ only in markup; the words, numbers and citations come from
here, so the three formats never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Quote
from pipeline.report import charts
from pipeline.report.labels import review_labels, review_type_name
from pipeline.report.model import BatchSummary, Briefing, Count
from pipeline.report.prevalence import pairs_with
from pipeline.report.summary import percent, plural

SUMMARY = "Summary"
THEMES = "Themes in this batch"
RISKS = "Risk factors"
QUOTES = "What the reviews say"
LEARNING = "Learning points and recommendations"
APPENDIX = "Appendix: method and sources"
TRUST = "How far to trust the tags"


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def citation(quote: Quote) -> str:
    """'Title, page 4, section "Findings"': the words a reader needs to find the quote."""
    text = f"{quote.title}, page {quote.page}"
    if quote.section:
        text += f", section \u201c{quote.section}\u201d"
    return text


def subtitle(b: Briefing) -> str:
    s = b.summary
    reviews = f"{s.reviews} review{'s' if s.reviews != 1 else ''}"
    against = (f", compared with {s.corpus_reviews} in the corpus" if compares_with_corpus(b)
               else " (the whole corpus)")
    return f"First draft for {reviews}{against}. Generated {b.appendix.generated_at[:10]}."


def _counts_text(counts: tuple[Count, ...], name=lambda v: v) -> str:
    return "; ".join(f"{name(c.value)}: {c.n}" for c in counts) or "none"


def facts_table(s: BatchSummary) -> Table:
    rows = (
        ("Reviews", f"{s.reviews} (corpus: {s.corpus_reviews})" if s.corpus_reviews > s.reviews
         else f"{s.reviews} (the whole corpus)"),
        ("Review types", _counts_text(s.review_types, lambda v: review_type_name(v, 2) if v != "unknown" else v)),
        ("Years", _counts_text(s.years)),
        ("Areas", _counts_text(s.areas)),
        ("Subject ages", _counts_text(s.ages)),
        ("Outcomes", _counts_text(s.outcomes)),
        ("Causes", _counts_text(s.causes)),
    )
    return Table("The batch at a glance", ("", ""), rows)


def compares_with_corpus(b: Briefing) -> bool:
    """False when the batch is the whole corpus (a comparison would only repeat the batch's numbers)."""
    return b.summary.corpus_reviews > b.summary.reviews


def prevalence_caption(b: Briefing) -> str:
    """The theme chart's caption: a comparison only when there is a wider corpus to compare with."""
    which = charts.selection_phrase(len(b.themes))
    if compares_with_corpus(b):
        return f"Share of reviews with {which}: this batch against the whole corpus."
    return (f"Share of reviews with {which}. This batch is the whole corpus, so there is no corpus "
            "comparison.")


def themes_table(b: Briefing) -> Table:
    n = b.summary.reviews
    compare = compares_with_corpus(b)
    rows = []
    for t in b.themes:
        kind = "taxonomy" if t.label else "emerging"
        row = (t.name, kind, t.description, f"{t.batch_reviews} of {n} ({percent(t.batch_share)})")
        if compare:
            row += (percent(t.corpus_share), f"{round((t.batch_share - t.corpus_share) * 100):+d} pts")
        rows.append(row)
    headers = ("Theme", "Kind", "Description", "This batch") + (("Corpus", "Difference") if compare else ())
    return Table("Themes ranked by the share of this batch's reviews in which they appear", headers, tuple(rows))


def grid_table(b: Briefing) -> Table:
    g = b.grid
    names = review_labels([r.title for r in g.reviews], [r.path for r in g.reviews], width=70)
    rows = tuple((names[i], *(str(v) if v else "" for v in g.cells[i])) for i in range(len(g.reviews)))
    return Table("Sentences affirming each risk factor, review by review", ("Review", *g.names), rows)


def grid_caption(b: Briefing) -> str:
    """The risk chart's caption, saying which reviews it leaves out (none tagged, or beyond its rows)."""
    return charts.grid_caption(b.grid)


def cooccurrence_table(b: Briefing) -> Table:
    rows = tuple((c.name_a, c.name_b, str(c.n)) for c in b.cooccurrence)
    return Table(cooccurrence_caption(b), ("Risk factor", "With", "Reviews"), rows)


def cooccurrence_caption(b: Briefing) -> str:
    """The pairs table's caption; when the pairs listed are all tied it says so, since their order is
    then alphabetical, not a ranking."""
    caption = "Risk factors found together in the same review"
    pairs = b.cooccurrence
    if len(pairs) < 2 or pairs[0].n != pairs[-1].n:
        return caption
    tied = pairs_with(b.grid, pairs[0].n)
    every = "all pairs" if tied == len(pairs) and tied == len(b.grid.labels) * (len(b.grid.labels) - 1) // 2 \
        else f"{tied} pairs"
    shown = "" if tied == len(pairs) else f", {len(pairs)} shown"
    return f"{caption}: {every} tied at {plural(pairs[0].n, 'review')}{shown}, listed alphabetically, not ranked"


def versions_table(b: Briefing) -> Table:
    rows = [("Run", b.appendix.run_id or "none recorded"), ("Generated", b.appendix.generated_at)]
    rows += list(b.appendix.versions)
    return Table("Versions", ("What", "Version"), tuple(rows))


def _score(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.2f}"


def trust_table(b: Briefing) -> Table:
    """Every taxonomy label with the tagger's F1 on real and on written held-out sentences, and its verdict."""
    rows = tuple(
        (t.name, t.kind, _score(t.score.f1_real), str(t.score.n_real), _score(t.score.f1_written), t.score.verdict_text)
        for t in b.appendix.trust.labels
    )
    return Table("The tagger's F1 per label on held-out sentences (n: real sentences carrying the label)",
                 ("Label", "Kind", "Real F1", "Real n", "Written F1", "Verdict"), rows)


def trust_paragraphs(b: Briefing) -> tuple[str, ...]:
    """What the trust table shows and where its numbers come from, said before the table."""
    trust = b.appendix.trust
    if trust.tagger is None:
        return (trust.summary, "A trained tagger is scored when `scr train` makes it, and the scores are kept in "
                "its model card; the rules alone have no such scores, so every label below reads \u201cnot "
                "measured on real text\u201d.")
    paragraphs = [trust.summary, (
        f"The scores come from the model card of the installed tagger, {trust.tagger} (the tag model in the "
        "Versions table), measured when it was trained, on held-out sentences it had not seen: real sentences "
        "from whole reports kept out of training, and sentences written by the team. Written sentences flatter "
        "the tagger, so a label's verdict rests on its real F1.")]
    if not trust.describes_batch:
        paragraphs.append(f"This batch was tagged by {', '.join(trust.tag_models)}, not by {trust.tagger}, "
                          "so these scores may not describe its tags: `scr extract` tags them again with the "
                          "installed tagger.")
    return tuple(paragraphs)


def reviews_table(b: Briefing) -> Table:
    rows = tuple(
        (r.title, r.review_type, str(r.year or "unknown"), r.area, r.subject_age, r.outcome, r.cause, str(r.pages),
         r.doc_id[:12])
        for r in b.appendix.reviews
    )
    return Table(
        "Reviews in this briefing",
        ("Title", "Type", "Year", "Area", "Subject age", "Outcome", "Cause", "Pages", "Document id"),
        rows,
    )


def theme_intro(b: Briefing) -> str:
    if b.theme_source == "labels":
        return ("Themes here are the taxonomy labels tagged in the reviews (no clustered themes were built). "
                "A theme's prevalence is the share of reviews with at least one sentence carrying it.")
    return ("A theme's prevalence is the share of reviews with at least one sentence in it. Themes matching a "
            "taxonomy label carry its description; emerging themes are described by their keywords.")


def learning_label(recommendation: bool) -> str:
    return "Recommendation" if recommendation else "Learning point"
