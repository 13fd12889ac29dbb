"""Features the learned layer reads beside the sentence embedding: the rules' evidence and the section cue.

Rule features, per label in a fixed order: the number of mentions the rules found asserted `present`, the
number `negated`, and the number in any other context (hypothetical, historical, about another person),
each capped at 2 and scaled to 0..1. Then the rules' learning-point cue (0..1). With no rule results
(`rules` None or empty) the block is all zeros, so a model trained without rules still runs.

The section cue says whether the heading above a sentence is a findings-like section (findings, learning,
recommendations, analysis, concerns, conclusions) or a narrative one (background, chronology,
circumstances); reviews place their learning points in the former.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np

ASSERTION_SLOTS = ("present", "negated", "other")
CAP = 2.0

_FINDING_SECTION = re.compile(
    r"finding|learning|lesson|recommend|analysis|concern|conclusion|reflection|what needs to change|"
    r"good practice|issues for|appraisal|key practice|themes",
    re.I,
)
_NARRATIVE_SECTION = re.compile(
    r"background|chronolog|circumstance|history|summary of (events|involvement)|the family|introduction|"
    r"case (summary|history)|events|inquest|investigation|methodology|terms of reference|involvement",
    re.I,
)


def slot_of(assertion: str) -> int:
    return ASSERTION_SLOTS.index(assertion) if assertion in ("present", "negated") else 2


def rule_counts(result: Any, labels: Sequence[str]) -> np.ndarray:
    """(len(labels), 3) mention counts by assertion slot for one RuleResult (any object with `.tags`)."""
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(ASSERTION_SLOTS)), dtype=np.float32)
    for tag in getattr(result, "tags", ()) or ():
        i = index.get(tag.label)
        if i is not None:
            counts[i, slot_of(tag.assertion)] += 1
    return counts


def rule_features(rules: Sequence[Any] | None, labels: Sequence[str], n: int) -> np.ndarray:
    """(n, 3 * len(labels) + 1) float32 matrix: capped mention counts, then the rules' learning-point cue."""
    width = len(labels) * len(ASSERTION_SLOTS) + 1
    out = np.zeros((n, width), dtype=np.float32)
    if not rules:
        return out
    if len(rules) != n:
        raise ValueError(f"rule results ({len(rules)}) do not align with sentences ({n})")
    for row, result in enumerate(rules):
        counts = np.minimum(rule_counts(result, labels), CAP) / CAP
        out[row, :-1] = counts.reshape(-1)
        out[row, -1] = float(getattr(result, "learning_point_score", 0.0) or 0.0)
    return out


def section_features(sections: Sequence[str | None] | None, n: int) -> np.ndarray:
    """(n, 2) float32: [findings-like section, narrative section]; both 0 when the section is unknown."""
    out = np.zeros((n, 2), dtype=np.float32)
    if not sections:
        return out
    for row, heading in enumerate(sections):
        if not heading:
            continue
        if _FINDING_SECTION.search(heading):
            out[row, 0] = 1.0
        elif _NARRATIVE_SECTION.search(heading):
            out[row, 1] = 1.0
    return out


def denied_only(result: Any, labels: Sequence[str]) -> set[str]:
    """Labels whose every rule mention in this sentence is negated."""
    counts = rule_counts(result, labels)
    return {label for i, label in enumerate(labels) if counts[i, 1] > 0 and counts[i, 0] == 0}


def withheld(result: Any, labels: Sequence[str]) -> set[str]:
    """Labels the rules saw only denied or about someone else (a mention negated or other_person, none present,
    historical or hypothetical): TrainedModel.predict affirms them only when it is very sure, so `scr tag`,
    `scr extract` and the scores `scr train` writes on its model card all get the same verdict."""
    affirmed = set(getattr(result, "affirmed", ()))
    return {t.label for t in result.tags if t.assertion in ("negated", "other_person") and t.label in labels} - affirmed


def rule_affirmed(result: Any, labels: Sequence[str]) -> set[str]:
    """Labels the rules alone affirm: at least one mention asserted present."""
    counts = rule_counts(result, labels)
    return {label for i, label in enumerate(labels) if counts[i, 0] > 0}
