"""How far the briefing's tags can be trusted: the tagger's measured F1 per label, and the caveat readers see.

A count such as "domestic abuse in 8 of 12 reviews" is only as good as the tagger that found those
sentences, and the tagger is far better at some labels than at others. The scores come from the model card
of the installed tagger (pipeline.extract.quality); this module names them the way the briefing names its
labels and writes the note that points readers at the weak labels the briefing actually shows.
"""

from __future__ import annotations

from typing import Sequence

from pipeline.report.labels import LabelBook
from pipeline.report.model import LabelTrust, LearningGroup, RiskGrid, TagTrust, ThemeRow
from pipeline.report.prevalence import LABEL_THEME_PREFIX
from pipeline.report.summary import join_words, plural

KIND_NAMES = {"risk_factor": "risk factor", "learning_theme": "learning theme"}


def tag_trust(settings, book: LabelBook, tag_models: Sequence[str]) -> TagTrust:
    """Scores for every label of the taxonomy, from the configured tagger's model card."""
    from pipeline.extract.quality import label_quality  # loads the tagger's model code: only when briefing

    quality = label_quality(settings, tuple(book.names) or _card_labels(settings))
    rows = tuple(LabelTrust(book.name(q.label), KIND_NAMES.get(book.kinds.get(q.label, ""), ""), q)
                 for q in quality.labels)
    return TagTrust(quality.tagger, quality.summary(), rows, tuple(tag_models))


def _card_labels(settings) -> tuple[str, ...]:
    """The tagger's own labels: what to score when the taxonomy could not be loaded (an empty LabelBook),
    so the appendix still shows the installed tagger's numbers rather than claiming there is none."""
    from pipeline.extract.card import read_card

    card = read_card(settings.path(settings.extract.model_dir)) or {}
    return tuple(card.get("labels") or ())


def shown_labels(grid: RiskGrid, themes: Sequence[ThemeRow], learning: Sequence[LearningGroup]) -> list[str]:
    """Labels a reader meets in the briefing, first seen first: risk grid columns (each has a tagged
    review), themes matching a label, and learning grouped under a label."""
    labels = list(grid.labels) + [t.label for t in themes if t.label]
    labels += [g.key[len(LABEL_THEME_PREFIX):] for g in learning if g.key.startswith(LABEL_THEME_PREFIX)]
    return list(dict.fromkeys(labels))


def _rules_only(trust: TagTrust) -> bool:
    """Whether every tag of the batch came from the rules (a batch tagged by a model since removed did not)."""
    return all(m.startswith("rules") for m in trust.tag_models)


def _short_of_bar(checks: Sequence[LabelTrust]) -> str:
    """'Tags for A (F1 0.23 on real text) and B (0.62) fell short of 0.70 ...': weakest first."""
    from pipeline.extract.quality import RELIABLE_F1

    checks = sorted(checks, key=lambda t: (t.score.f1_real or 0.0, t.name))
    named = [f"{checks[0].name} (F1 {checks[0].score.f1_real:.2f} on real text)"]
    named += [f"{t.name} ({t.score.f1_real:.2f})" for t in checks[1:]]
    their = "its" if len(checks) == 1 else "their"
    return (f"Tags for {join_words(named)} fell short of {RELIABLE_F1:.2f} on held-out real sentences: "
            f"read {their} quotes before relying on them.")


def _unmeasured(n: int, shown: int) -> str:
    """How many labels shown have too few real examples to have been measured on real text."""
    from pipeline.extract.quality import MIN_REAL

    why = f"fewer than {MIN_REAL} real examples"
    if n == shown:
        return (f"None of the {plural(shown, 'label')} in this briefing was measured on real text ({why}): "
                "see \u201cHow far to trust the tags\u201d in the appendix.")
    was = "was" if n == 1 else "were"
    return (f"{n} of the {plural(shown, 'label')} in this briefing {was} not measured on real text ({why}): "
            "see \u201cHow far to trust the tags\u201d in the appendix.")


def trust_notes(trust: TagTrust, shown: Sequence[str]) -> list[str]:
    """The caveat for the labels this briefing shows: those that fell short of the bar by name, and how
    many were never measured on real text. None when every label shown is reliable (or none is shown)."""
    if not shown:
        return []
    if trust.tagger is None:
        source = "the rules alone" if _rules_only(trust) else "a tagger that is no longer installed"
        return [f"These tags come from {source}, so no label has a measured F1: read the quotes before "
                "relying on the counts."]
    rows = [t for t in (trust.of(label) for label in shown) if t is not None]
    checks = [t for t in rows if t.score.verdict == "check"]
    unmeasured = sum(1 for t in rows if t.score.verdict == "unmeasured")
    sentences = [_short_of_bar(checks)] if checks else []
    if unmeasured:
        sentences.append(_unmeasured(unmeasured, len(rows)))
    return [" ".join(sentences)] if sentences else []
