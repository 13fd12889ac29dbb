"""Scores of predicted tags against gold sentences in the TAXONOMY.md evaluation format.

Used by `scr train` for the model card and by the floors test. Per label: precision, recall, F1 and
support; micro F1 over all (sentence, label) decisions; macro F1 over the labels with gold support;
learning-point accuracy; and the denied-as-present rate: of the (sentence, label) pairs the gold marks
negated, the share predicted as an affirmed label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence


@dataclass(frozen=True)
class Prediction:
    labels: frozenset[str]
    negated: frozenset[str]
    learning_point: bool


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: Sequence[Any], predicted: Sequence[Prediction], labels: Sequence[str]) -> dict:
    """`gold`: objects with .labels, .negated, .learning_point (e.g. annotations.Annotated)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predictions")
    counts = {label: [0, 0, 0] for label in labels}  # tp, fp, fn
    lp_right = denied = denied_present = 0
    for g, p in zip(gold, predicted):
        want = set(g.labels)
        for label in labels:
            if label in p.labels and label in want:
                counts[label][0] += 1
            elif label in p.labels:
                counts[label][1] += 1
            elif label in want:
                counts[label][2] += 1
        lp_right += int(bool(g.learning_point) == p.learning_point)
        for label in g.negated:
            denied += 1
            denied_present += int(label in p.labels)
    per_label = {}
    for label, (tp, fp, fn) in counts.items():
        prec, rec, f1 = _f1(tp, fp, fn)
        per_label[label] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                            "support": tp + fn}
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in range(3))
    micro = _f1(tp, fp, fn)
    supported = [v["f1"] for v in per_label.values() if v["support"]]
    return {
        "sentences": len(gold),
        "micro_precision": round(micro[0], 4), "micro_recall": round(micro[1], 4), "micro_f1": round(micro[2], 4),
        "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
        "learning_point_accuracy": round(lp_right / len(gold), 4) if gold else 0.0,
        "denied_mentions": denied,
        "denied_as_present_rate": round(denied_present / denied, 4) if denied else 0.0,
        "per_label": per_label,
    }
