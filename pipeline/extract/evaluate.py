"""Score predictions against a gold file in the format of ../shared/TAXONOMY.md.

`read_gold_lines(path, taxonomy)` reads the JSON Lines, giving the good items and every bad line with its cause
(`read_gold` raises on the first bad line instead); `named_gold` gives a named dev set of the project,
restricted to a coding frame with `in_frame`; `evaluate(gold, predicted, labels)` gives precision,
recall and F1 per label, micro and macro, learning-point accuracy, the rate at which denied mentions are
tagged present, and the most frequent confusions (a gold label missed where another was predicted).
`intervals(gold, predicted, labels)` gives 95% bootstrap intervals for the headline scores: on a few hundred
sentences, micro-F1 moves by several points from one sample to the next, and macro-F1, averaged over labels
with a handful of examples each, by more.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from pipeline.errors import InputError
from pipeline.extract.annotations import field_problem
from pipeline.jsonl import BadLine, json_lines

NONE = "(none)"


@dataclass(frozen=True)
class GoldItem:
    text: str
    labels: frozenset[str]
    negated: frozenset[str] = frozenset()
    learning_point: bool | None = None
    sid: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class EvaluationReport:
    sentences: int
    per_label: dict[str, LabelScore]
    micro: LabelScore
    macro_precision: float
    macro_recall: float
    macro_f1: float
    macro_labels: int
    """Labels averaged into the macro scores (those with gold support)."""
    learning_point_accuracy: float | None
    learning_point_gold: int
    denied_mentions: int
    denied_tagged_present: int
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    """95% bootstrap intervals of the headline scores (`intervals`), by score name."""

    @property
    def denied_tagged_present_rate(self) -> float | None:
        return self.denied_tagged_present / self.denied_mentions if self.denied_mentions else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["denied_tagged_present_rate"] = self.denied_tagged_present_rate
        data["confusions"] = [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions]
        data["intervals"] = {name: list(bounds) for name, bounds in self.intervals.items()}
        return data


def _prf(tp: int, fp: int, fn: int) -> LabelScore:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return LabelScore(round(p, 4), round(r, 4), round(f, 4), tp + fn, tp, fp, fn)


GOLD_KEYS = ("text", "labels", "negated", "learning_point", "sid", "section", "doc", "origin")
"""The keys a gold line may have: the TAXONOMY.md format (text, labels, negated, learning_point), an optional
sid, and the fields the project's own annotation files carry (section, doc, origin). Any other key is refused:
a misspelt one (`"label": [...]`) would otherwise read as a sentence with no labels and skew the scores."""


def sid_problem(row: dict) -> str | None:
    """Why the optional `sid` of an input line cannot be used (a string or a number), or None."""
    sid = row.get("sid")
    if sid is None or (isinstance(sid, (str, int, float)) and not isinstance(sid, bool)):
        return None
    return f"'sid' must be a string or a number, not {json.dumps(sid)[:40]}"


def _gold_item(row: Any, known: set[str] | None) -> GoldItem | str:
    """The GoldItem of one parsed gold line, or why the line cannot be used."""
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        return "needs an object with a 'text' string"
    unknown_keys = [key for key in row if key not in GOLD_KEYS]
    if unknown_keys:
        names = ", ".join(f"'{key}'" for key in unknown_keys)
        plural = "s" if len(unknown_keys) > 1 else ""
        return f"unknown key{plural} {names} (a gold line may have {', '.join(GOLD_KEYS)})"
    if not row["text"].strip():
        return "empty text"
    problem = field_problem(row) or sid_problem(row)
    if problem:
        return problem
    gold, negated = frozenset(row.get("labels") or ()), frozenset(row.get("negated") or ())
    if known is not None:
        unknown = sorted((gold | negated) - known)
        if unknown:
            return f"unknown label{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (not in the taxonomy)"
    sid = row.get("sid")
    return GoldItem(row["text"], gold, negated, row.get("learning_point"), None if sid is None else str(sid),
                    row.get("section"))


def read_gold_lines(path: Path | str,
                    labels: Sequence[str] | None = None) -> tuple[list[GoldItem], list[tuple[int, str]]]:
    """(good items, [(line number, cause)] of the bad lines) of a gold file: every line is checked, so that
    one run names every bad line and the good ones can still be scored. A bad line is one that is not JSON,
    not an object with a non-empty 'text', has a key outside GOLD_KEYS, a field of the wrong type
    (annotations.field_problem) or a label outside `labels` (the taxonomy). An absent or null learning_point
    leaves the flag unscored for that sentence. A file that is missing or not UTF-8 text is an InputError."""
    known = set(labels) if labels is not None else None
    items: list[GoldItem] = []
    bad: list[tuple[int, str]] = []
    for line_no, row in json_lines(path, "bad gold line", lenient=True):
        item = row.cause if isinstance(row, BadLine) else _gold_item(row, known)
        if isinstance(item, str):
            bad.append((line_no, item))
        else:
            items.append(item)
    return items, bad


def read_gold(path: Path, labels: Sequence[str] | None = None) -> list[GoldItem]:
    """Read a gold file whole: the first bad line (see read_gold_lines) is an InputError naming it."""
    items, bad = read_gold_lines(path, labels)
    if bad:
        line_no, cause = bad[0]
        raise InputError(str(path), "bad gold line", f"line {line_no}: {cause}")
    return items


def in_frame(items: Sequence[GoldItem], labels: Sequence[str]) -> tuple[list[GoldItem], int]:
    """The gold items restricted to the labels of a coding frame, and how many gold labels (affirmed or
    denied) fell outside it. Every sentence is kept: one whose labels all fall outside is a negative for the
    frame's labels, as `scr train` scores its dev sets against the configured frame."""
    known = frozenset(labels)
    out, dropped = [], 0
    for item in items:
        dropped += len(item.labels - known) + len(item.negated - known)
        out.append(replace(item, labels=item.labels & known, negated=item.negated & known))
    return out, dropped


NAMED_GOLD = {"dev": "dev", "real-dev": "dev_real"}
"""Gold sets `scr evaluate` knows by name: the project's synthetic dev set and its REAL dev set (labelled
sentences of real reports in ../shared, resolved from references at run time)."""


def gold_root(root: Path) -> Path:
    """The project folder whose corpus/annotations hold the named gold sets, as `scr train` finds them
    (annotations.project_root): `root` (the config root) when it holds the project's annotations, else the
    install root (a config outside the project, e.g. in /etc), else `root`. A config root holding only the
    imported.jsonl that `scr annotate import` writes does not count, so `scr evaluate dev` and `scr train`
    always read the same dev set."""
    from pipeline.extract.annotations import project_root

    return project_root(Path(root))


def named_gold(root: Path, name: str, labels: Sequence[str] | None = None) -> list[GoldItem]:
    """The gold items of a named dev set of the project (see NAMED_GOLD), read under `gold_root(root)`. With
    `labels` (a coding frame) they are restricted to it (`in_frame`, which also counts what it drops): these
    sets are labelled with the project's taxonomy, and a researcher's frame scores the labels it shares. The
    real dev set is empty when ../shared is absent."""
    from pipeline.extract.annotations import load_annotations

    if name not in NAMED_GOLD:
        raise InputError(name, "unknown gold set", f"use one of {', '.join(NAMED_GOLD)}")
    rows = getattr(load_annotations(gold_root(Path(root))), NAMED_GOLD[name])
    items = [GoldItem(row.text, frozenset(row.labels), frozenset(row.negated), row.learning_point, None,
                      row.section) for row in rows]
    return in_frame(items, labels)[0] if labels is not None else items


def _f1(counts: np.ndarray) -> np.ndarray:
    """F1 from [..., (tp, fp, fn)] counts; 0 where there is nothing to score."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp, dtype=np.float64), where=denominator > 0)


def _per_sentence(gold: Sequence[GoldItem], predicted: Sequence[Any],
                  labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each sentence adds to the scores: (n, labels, 3) tp/fp/fn per label; (n, 2) learning point scored,
    right; (n, 2) denied mentions, of them tagged present. `evaluate` sums them; `intervals` resamples them."""
    index = {label: j for j, label in enumerate(labels)}
    counts = np.zeros((len(gold), len(labels), 3))
    lp = np.zeros((len(gold), 2))
    denied = np.zeros((len(gold), 2))
    for i, (g, p) in enumerate(zip(gold, predicted)):
        pred = set(p.labels) & set(labels)
        for label in (g.labels | pred) & set(labels):
            counts[i, index[label], 0 if label in g.labels and label in pred else (1 if label in pred else 2)] = 1
        if g.learning_point is not None:
            lp[i] = 1, bool(p.learning_point) == g.learning_point
        denied[i] = len(g.negated), sum(label in pred for label in g.negated)
    return counts, lp, denied


def _bootstrap(counts: np.ndarray, lp: np.ndarray, denied: np.ndarray, resamples: int, seed: int,
               level: float) -> dict[str, tuple[float, float]]:
    n = len(counts)
    if n < 2 or resamples < 1:
        return {}
    rng = np.random.default_rng(seed)
    flat = counts.reshape(n, -1)
    draws: dict[str, list[np.ndarray]] = {"micro_f1": [], "macro_f1": [], "learning_point_accuracy": [],
                                          "denied_as_present_rate": []}
    for start in range(0, resamples, 100):  # 100 draws at a time keeps memory at 100 x n weights
        weights = rng.multinomial(n, np.full(n, 1 / n), size=min(100, resamples - start)).astype(np.float64)
        drawn = (weights @ flat).reshape(len(weights), counts.shape[1], 3)
        draws["micro_f1"].append(_f1(drawn.sum(axis=1)))
        supported = (drawn[..., 0] + drawn[..., 2]) > 0
        per_label = np.where(supported, _f1(drawn), 0.0)
        draws["macro_f1"].append(per_label.sum(axis=1) / np.maximum(supported.sum(axis=1), 1))
        lp_drawn, denied_drawn = weights @ lp, weights @ denied
        draws["learning_point_accuracy"].append(lp_drawn[:, 1] / np.maximum(lp_drawn[:, 0], 1))
        draws["denied_as_present_rate"].append(denied_drawn[:, 1] / np.maximum(denied_drawn[:, 0], 1))
    if not lp[:, 0].any():
        del draws["learning_point_accuracy"]
    if not denied[:, 0].any():
        del draws["denied_as_present_rate"]
    tail = (1 - level) / 2 * 100
    return {name: tuple(round(float(v), 4) for v in np.percentile(np.concatenate(values), [tail, 100 - tail]))
            for name, values in draws.items()}


def intervals(gold: Sequence[GoldItem], predicted: Sequence[Any], labels: Sequence[str], resamples: int = 1000,
              seed: int = 0, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals (sentences drawn with replacement, `resamples` times, a fixed seed so a
    rerun prints the same) for micro-F1, macro-F1 (over the labels with support in each draw, as `evaluate`
    averages), learning-point accuracy and the denied-tagged-present rate, where the gold has them."""
    return _bootstrap(*_per_sentence(gold, predicted, labels), resamples, seed, level)


def evaluate(gold: Sequence[GoldItem], predicted: Sequence[Any], labels: Sequence[str], top: int = 10,
             resamples: int = 1000) -> EvaluationReport:
    """`predicted`: objects with `.labels` and `.learning_point` (records.TaggedSentence), aligned with gold.
    `resamples` bootstrap draws give the intervals (0: none)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold sentences")
    counts, lp, denied = _per_sentence(gold, predicted, labels)
    confusions: Counter = Counter()
    for g, p in zip(gold, predicted):
        pred = set(p.labels) & set(labels)
        missed, spurious = sorted(g.labels - pred), sorted(pred - g.labels)
        for m in missed:
            for s in spurious or [NONE]:
                confusions[(m, s)] += 1
        if not missed:
            for s in spurious:
                confusions[(NONE, s)] += 1
    totals = counts.sum(axis=0).astype(int).tolist()  # plain ints: the report goes out as JSON
    per_label = {label: _prf(*totals[j]) for j, label in enumerate(labels)}
    micro = _prf(*(sum(column) for column in zip(*totals)))
    supported = [s for s in per_label.values() if s.support > 0]
    n = len(supported)
    lp_total, lp_right = (int(v) for v in lp.sum(axis=0))
    denied_total, denied_present = (int(v) for v in denied.sum(axis=0))
    return EvaluationReport(
        sentences=len(gold), per_label=per_label, micro=micro,
        macro_precision=round(sum(s.precision for s in supported) / n, 4) if n else 0.0,
        macro_recall=round(sum(s.recall for s in supported) / n, 4) if n else 0.0,
        macro_f1=round(sum(s.f1 for s in supported) / n, 4) if n else 0.0,
        macro_labels=n,
        learning_point_accuracy=round(lp_right / lp_total, 4) if lp_total else None,
        learning_point_gold=lp_total,
        denied_mentions=denied_total, denied_tagged_present=denied_present,
        confusions=[(g, p, c) for (g, p), c in confusions.most_common(top)],
        intervals=_bootstrap(counts, lp, denied, resamples, 0, 0.95),
    )


def evaluate_tagger(tagger: Any, gold: Sequence[GoldItem], batch_size: int = 512) -> tuple[EvaluationReport, list]:
    """Tag the gold sentences (with their sections when the file gives them) and score the result."""
    predicted = []
    for i in range(0, len(gold), batch_size):
        chunk = gold[i:i + batch_size]
        sections = [g.section for g in chunk]
        predicted.extend(tagger.tag([g.text for g in chunk], [g.sid for g in chunk],
                                    sections if any(sections) else None))
    return evaluate(gold, predicted, tagger.taxonomy.ids), predicted
