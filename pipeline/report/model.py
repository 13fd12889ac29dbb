"""Typed records of a thematic briefing: what `build_briefing` returns and every writer reads.

A briefing is built once from the store (pipeline/report/build.py) and then written as HTML, Markdown or
DOCX; the writers only lay out these records and never query the store, so every format carries the
same numbers, the same quotes and the same citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.records import Quote

if TYPE_CHECKING:  # the quality module pulls in the tagger's model code; the writers need only its records
    from pipeline.extract.quality import LabelQuality


@dataclass(frozen=True)
class Count:
    """One row of a frequency table: a value ('SCR', '2021', 'death') and how many reviews have it."""

    value: str
    n: int


@dataclass(frozen=True)
class BatchSummary:
    reviews: int
    corpus_reviews: int
    review_types: tuple[Count, ...]
    years: tuple[Count, ...]
    areas: tuple[Count, ...]
    ages: tuple[Count, ...]
    """Age bands of the subjects ('under 1 year', '1-4 years', ..., 'unknown')."""
    outcomes: tuple[Count, ...]
    causes: tuple[Count, ...]
    sentences: tuple[str, ...]
    """Plain-English sentences written from the numbers above (the opening paragraph)."""


@dataclass(frozen=True)
class ThemeRow:
    """One theme of the batch with its prevalence in the batch and in the whole corpus."""

    theme_id: str
    name: str
    label: str | None
    """Taxonomy label the theme matches, None for an emerging theme."""
    description: str
    keywords: tuple[str, ...]
    batch_reviews: int
    batch_share: float
    """Share of the batch's reviews with at least one sentence in the theme (0..1)."""
    corpus_reviews: int
    corpus_share: float
    batch_sentences: int

    @property
    def ratio(self) -> float | None:
        """Batch share over corpus share (None when the corpus share is 0)."""
        return self.batch_share / self.corpus_share if self.corpus_share else None


@dataclass(frozen=True)
class ReviewRow:
    """A review of the batch with its metadata (appendix and grid rows)."""

    doc_id: str
    title: str
    review_type: str
    year: int | None
    area: str
    subject_age: str
    outcome: str
    cause: str
    pages: int
    path: str


@dataclass(frozen=True)
class RiskGrid:
    """Review-by-risk-factor grid: cells[i][j] = sentences of review i affirming factor j."""

    labels: tuple[str, ...]
    names: tuple[str, ...]
    reviews: tuple[ReviewRow, ...]
    cells: tuple[tuple[int, ...], ...]

    def reviews_with(self, j: int) -> int:
        return sum(1 for row in self.cells if row[j] > 0)


@dataclass(frozen=True)
class Cooccurrence:
    """Two risk factors both affirmed in `n` reviews of the batch."""

    label_a: str
    name_a: str
    label_b: str
    name_b: str
    n: int


@dataclass(frozen=True)
class ThemeQuotes:
    """The representative quotes of one leading theme (its most central sentences in the batch)."""

    theme_id: str
    name: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class LearningPoint:
    quote: Quote
    recommendation: bool
    """True when the sentence is a recommendation (in a recommendations section, or phrased as one)."""
    score: float


@dataclass(frozen=True)
class LearningGroup:
    """Learning points and recommendations of the batch that belong to one theme."""

    key: str
    """Theme id, 'label:<taxonomy label>' or 'other'."""
    name: str
    points: tuple[LearningPoint, ...]
    total: int
    """How many the batch has in this group (points holds at most the configured number)."""


@dataclass(frozen=True)
class LabelTrust:
    """One taxonomy label as the briefing names it, with the tagger's measured F1 for it."""

    name: str
    kind: str
    """'risk factor' or 'learning theme' ('' when the taxonomy did not say)."""
    score: LabelQuality

    @property
    def label(self) -> str:
        return self.score.label


@dataclass(frozen=True)
class TagTrust:
    """How far the tags can be trusted, label by label (pipeline.extract.quality), so a reader can weigh
    "found in 8 of 12 reviews" against how well the tagger finds that label at all."""

    tagger: str | None
    """Version of the tagger the scores belong to (None: no trained tagger, the rules alone)."""
    summary: str
    """One sentence: what was measured and how many labels pass the bar."""
    labels: tuple[LabelTrust, ...]
    """Every label of the taxonomy, in its order."""
    tag_models: tuple[str, ...]
    """Model versions that made the batch's tags (the Versions table's 'Tag models')."""

    def of(self, label: str) -> LabelTrust | None:
        return next((t for t in self.labels if t.label == label), None)

    @property
    def describes_batch(self) -> bool:
        """False when the batch was tagged by some other tagger than the one scored (scores may not apply)."""
        return self.tagger is None or not self.tag_models or self.tagger in self.tag_models


@dataclass(frozen=True)
class Appendix:
    method: tuple[str, ...]
    """Paragraphs describing how the briefing was made."""
    versions: tuple[tuple[str, str], ...]
    """(what, version): taxonomy, tagger, models, embedding model, clustering settings."""
    run_id: str | None
    generated_at: str
    reviews: tuple[ReviewRow, ...]
    trust: TagTrust
    """The tagger's measured F1 per label (the appendix's 'How far to trust the tags')."""


@dataclass(frozen=True)
class Briefing:
    title: str
    summary: BatchSummary
    themes: tuple[ThemeRow, ...]
    """Themes of the batch, most prevalent first."""
    theme_source: str
    """'themes' (clusters from the store) or 'labels' (taxonomy labels, when no themes were built)."""
    grid: RiskGrid
    cooccurrence: tuple[Cooccurrence, ...]
    quotes: tuple[ThemeQuotes, ...]
    learning: tuple[LearningGroup, ...]
    appendix: Appendix
    notes: tuple[str, ...] = field(default=())
    """Caveats a reader should see (no themes built yet, no learning points found...)."""

    @property
    def leading_themes(self) -> tuple[ThemeRow, ...]:
        ids = {tq.theme_id for tq in self.quotes}
        return tuple(t for t in self.themes if t.theme_id in ids)
