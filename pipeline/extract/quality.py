"""How far to trust each label: the tagger's measured F1 per label, read from its model card.

`scr train` scores the tagger on two held-out sets and writes the scores into the model card: real
sentences (whole real reports kept out of training) and sentences the team wrote. A researcher using the
tags as a second coder needs those numbers beside the tags, label by label, because they differ widely
(one label near 0.8, another near 0.2 on real text). This module turns the card into one verdict a label:

- ``reliable``: F1 >= RELIABLE_F1 on at least MIN_REAL real held-out sentences that carry the label;
- ``check``: measured on enough real sentences and below RELIABLE_F1: read its sentences before relying on them;
- ``unmeasured``: too few real sentences carry it (or the tagger has no card, or the label is not in it);
  the written-sentence F1, when there is one, is shown but is not evidence enough.

    quality = label_quality(settings, labels)       # labels: the taxonomy's ids, in order
    quality.of("domestic_abuse").verdict            # "reliable" / "check" / "unmeasured"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from pipeline.extract.card import labels_outside, read_card

RELIABLE_F1 = 0.70
"""The bar of the extraction issue: every label at F1 >= 0.70 on review-style prose."""
MIN_REAL = 20
"""Real held-out sentences carrying a label before its F1 there counts as a measurement."""

VERDICTS = ("reliable", "check", "unmeasured")
VERDICT_TEXT = {
    "reliable": "reliable",
    "check": "check by hand",
    "unmeasured": "not measured on real text",
}


@dataclass(frozen=True)
class LabelQuality:
    label: str
    f1_real: float | None
    """F1 on the real held-out sentences (None when the card has no real scores for this label)."""
    n_real: int
    """Real held-out sentences that carry the label (gold)."""
    f1_written: float | None
    """F1 on the written held-out sentences (None when not measured)."""
    n_written: int
    verdict: str
    """One of VERDICTS."""

    @property
    def verdict_text(self) -> str:
        return VERDICT_TEXT[self.verdict]


@dataclass(frozen=True)
class Quality:
    tagger: str | None
    """Version of the tagger the scores belong to (None: no trained tagger, rules only)."""
    measured_on: str | None
    """When the scores were measured (the card's date), None without a card."""
    micro_f1_real: float | None
    real_sentences: int
    labels: tuple[LabelQuality, ...]

    def of(self, label: str) -> LabelQuality:
        for q in self.labels:
            if q.label == label:
                return q
        return LabelQuality(label, None, 0, None, 0, "unmeasured")

    def with_verdict(self, verdict: str) -> tuple[LabelQuality, ...]:
        return tuple(q for q in self.labels if q.verdict == verdict)

    def summary(self) -> str:
        """One sentence: what was measured and how many labels pass the bar."""
        if self.tagger is None:
            return ("No trained tagger is in use (rules only), so no label has a measured F1: check the tags "
                    "by hand before relying on them.")
        counts = {v: len(self.with_verdict(v)) for v in VERDICTS}
        micro = f" (micro-F1 {self.micro_f1_real:.2f})" if self.micro_f1_real is not None else ""
        return (f"Tagger {self.tagger}, measured on {self.real_sentences:,} real sentences held out from "
                f"training{micro}: {counts['reliable']} of {len(self.labels)} labels reached F1 "
                f"{RELIABLE_F1:.2f} (reliable); {counts['check']} fell short (check by hand); "
                f"{counts['unmeasured']} had fewer than {MIN_REAL} real examples (not measured on real text).")


def _per_label(card: dict, key: str) -> dict:
    scores = card.get(key) or {}
    return (scores.get("fused") or {}).get("per_label") or {}


def verdict(f1_real: float | None, n_real: int) -> str:
    if f1_real is None or n_real < MIN_REAL:
        return "unmeasured"
    return "reliable" if f1_real >= RELIABLE_F1 else "check"


def quality_from_card(card: dict | None, labels: Sequence[str]) -> Quality:
    """The verdicts for `labels` from a model card (None: no trained tagger)."""
    if not card:
        rows = tuple(LabelQuality(label, None, 0, None, 0, "unmeasured") for label in labels)
        return Quality(None, None, None, 0, rows)
    real, written = _per_label(card, "scores_dev_real"), _per_label(card, "scores_dev")
    rows = []
    for label in labels:
        r, w = real.get(label) or {}, written.get(label) or {}
        n_real = int(r.get("support") or 0)
        f1_real = float(r["f1"]) if "f1" in r and n_real else None
        f1_written = float(w["f1"]) if "f1" in w and w.get("support") else None
        rows.append(LabelQuality(label, f1_real, n_real, f1_written, int(w.get("support") or 0),
                                 verdict(f1_real, n_real)))
    fused = (card.get("scores_dev_real") or {}).get("fused") or {}
    return Quality(tagger=card.get("version"), measured_on=card.get("date"),
                   micro_f1_real=fused.get("micro_f1"), real_sentences=int(fused.get("sentences") or 0),
                   labels=tuple(rows))


def label_quality(settings, labels: Sequence[str]) -> Quality:
    """The verdicts for `labels` from the configured tagger's model card (rules only: all unmeasured).

    As in Tagger.from_settings, a coding frame that lacks some of the model's labels runs on the rules
    alone, so it has no measured scores either."""
    card = read_card(settings.path(settings.extract.model_dir))
    if card and labels_outside(card.get("labels"), labels):
        card = None
    return quality_from_card(card, labels)
