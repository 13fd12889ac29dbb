"""The learned layer: multi-label classifiers over sentence embeddings fused with the rules' evidence.

`ThresholdedMultiLabel` is a scikit-learn estimator (parameters stored by __init__, `fit` returns self,
learned state ends in `_`): one logistic regression per column of Y, and a decision threshold per column
tuned on out-of-fold predictions of the training data (grouped by document when groups are given), never
on the dev set. `TrainedModel` holds two of them, one for the labels and one for the learning-point flag,
and is what the tagger calls:

    model = load_model(Path("models/tagger"))            # None when no artefact is there
    verdicts = model.predict(vectors, rule_results, sections, texts)

Features: the sentence embedding, the rules' evidence (features.py) and TF-IDF word uni/bigrams of the
sentence (`words`, fitted on the training text). Per label, `strategy` says how the rules and the model are
combined ("model", "rules", "either", "both"); train.py chooses it on out-of-fold predictions of the
training data grouped by document, and leaves to the rules a label with too few training sentences to learn
(a label the rules decide reports the rules' score). Denials stay with the rules: a label whose only rule
mentions in a sentence are negated (or about someone else) is affirmed only when the model's score reaches
`very_sure`, and never by the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from pipeline.errors import ConfigError
from pipeline.extract.card import CARD, read_card  # noqa: F401  (read_card: re-exported for train.py)
from pipeline.extract.features import denied_only, rule_affirmed, rule_features, section_features, withheld

ARTEFACT = "tagger.joblib"


class ThresholdedMultiLabel(ClassifierMixin, BaseEstimator):
    """One-vs-rest logistic regressions with per-column thresholds tuned on out-of-fold scores.

    Y is a 0/1 matrix (n_samples, n_columns). A column with a single class in the training data gets a
    constant score (its prior) instead of a classifier. A column with fewer than `min_positives` positive rows
    in all of Y gets the constant score 0.0 and the threshold `max_threshold` (`sparse_`): a classifier on one
    or two examples, class-balanced, scores unrelated rows near 1, so it is never fitted (train.py leaves such
    labels to the rules). The default, 1, changes no score.
    """

    def __init__(self, C: float = 4.0, class_weight: str | None = "balanced", n_splits: int = 5,
                 min_threshold: float = 0.2, max_threshold: float = 0.7, default_threshold: float = 0.5,
                 max_iter: int = 2000, random_state: int = 0, min_positives: int = 1) -> None:
        self.C = C
        self.class_weight = class_weight
        self.n_splits = n_splits
        self.min_threshold = min_threshold
        self.max_threshold = max_threshold
        self.default_threshold = default_threshold
        self.max_iter = max_iter
        self.random_state = random_state
        self.min_positives = min_positives

    def _base(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)

    def _fit_columns(self, X: np.ndarray, Y: np.ndarray, weight: np.ndarray | None = None) -> list[Any]:
        models: list[Any] = []
        sparse_cols = getattr(self, "sparse_", np.zeros(Y.shape[1], dtype=bool))
        for j in range(Y.shape[1]):
            y = Y[:, j]
            if sparse_cols[j]:
                models.append(0.0)
            elif y.min() == y.max():
                models.append(float(y[0]))
            else:
                models.append(clone(self._base()).fit(X, y, sample_weight=weight))
        return models

    @staticmethod
    def _scores(models: list[Any], X: Any) -> np.ndarray:
        cols = [np.full(X.shape[0], m) if isinstance(m, float) else m.predict_proba(X)[:, 1] for m in models]
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))

    def fit(self, X: Any, Y: np.ndarray, groups: Sequence[Any] | None = None,
            sample_weight: np.ndarray | None = None) -> "ThresholdedMultiLabel":
        """Fit on X (dense or scipy sparse); `oof_` keeps the out-of-fold scores the thresholds came from.
        `sample_weight` (one per row) weighs both the fits and the F1 the thresholds are tuned on."""
        X = _matrix(X)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.int64)
        if Y.ndim == 1:
            Y = Y.reshape(-1, 1)
        if X.shape[0] != len(Y):
            raise ValueError(f"X has {X.shape[0]} rows but Y has {len(Y)}")
        self.n_features_in_ = X.shape[1]
        self.n_outputs_ = Y.shape[1]
        self.classes_ = np.arange(Y.shape[1])
        self.thresholds_ = np.full(Y.shape[1], self.default_threshold)
        self.sparse_ = Y.sum(axis=0) < getattr(self, "min_positives", 1)
        n_splits = min(self.n_splits, X.shape[0])
        if groups is not None:
            n_splits = min(n_splits, len(set(groups)))
        if n_splits >= 2:
            oof = np.zeros(Y.shape, dtype=np.float64)
            if groups is not None:
                splits = GroupKFold(n_splits=n_splits).split(X, Y, groups)
            else:
                splits = KFold(n_splits=n_splits, shuffle=True, random_state=self.random_state).split(X)
            for train_idx, test_idx in splits:
                oof[test_idx] = self._scores(
                    self._fit_columns(X[train_idx], Y[train_idx], None if w is None else w[train_idx]), X[test_idx])
            self.thresholds_ = np.array([self._best_threshold(oof[:, j], Y[:, j], w) for j in range(Y.shape[1])])
            self.oof_ = oof
        self.thresholds_[self.sparse_] = self.max_threshold
        self.estimators_ = self._fit_columns(X, Y, w)
        return self

    def _best_threshold(self, scores: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> float:
        if y.sum() == 0:
            return self.max_threshold
        w = np.ones(len(y)) if weight is None else weight
        best_t, best_f = self.default_threshold, -1.0
        for t in np.arange(self.min_threshold, self.max_threshold + 1e-9, 0.025):
            pred = scores >= t
            tp = float(np.sum(w * (pred & (y == 1))))
            denom = float(np.sum(w * pred) + np.sum(w * y))
            f1 = 2 * tp / denom if denom else 0.0
            if f1 > best_f + 1e-9:
                best_t, best_f = float(t), f1
        return best_t

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n_samples, n_columns) scores in 0..1."""
        return self._scores(self.estimators_, _matrix(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int64)


def _matrix(X: Any) -> Any:
    return X.tocsr().astype(np.float64) if sparse.issparse(X) else np.asarray(X, dtype=np.float64)


def word_vectorizer() -> Any:
    """TF-IDF over lower-case word uni- and bigrams (fitted on the training sentences)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000,
                           token_pattern=r"(?u)\b[\w'-]+\b", dtype=np.float32)


def _with_words(dense: np.ndarray, words: Any, texts: Sequence[str] | None) -> Any:
    if words is None:
        return dense
    if texts is None or len(texts) != len(dense):
        raise ValueError("this tagger model reads the sentence text: pass texts aligned with the vectors")
    return sparse.hstack([sparse.csr_matrix(dense), words.transform(list(texts))], format="csr")


@dataclass(frozen=True)
class ModelVerdict:
    scores: dict[str, float]
    labels: frozenset[str]
    """Affirmed labels."""
    learning_point: bool
    learning_point_score: float


def label_features(vectors: np.ndarray, rules: Sequence[Any] | None, labels: Sequence[str],
                   rule_weight: float, words: Any = None, texts: Sequence[str] | None = None) -> Any:
    vectors = np.asarray(vectors, dtype=np.float32)
    dense = np.hstack([vectors, rule_weight * rule_features(rules, labels, len(vectors))])
    return _with_words(dense, words, texts)


def lp_features(vectors: np.ndarray, rules: Sequence[Any] | None, sections: Sequence[str | None] | None,
                labels: Sequence[str], rule_weight: float, words: Any = None,
                texts: Sequence[str] | None = None, label_scores: np.ndarray | None = None,
                label_weight: float = 0.0) -> Any:
    """Features of the learning-point model. `label_scores` (the label model's scores for the same rows,
    weighted by `label_weight`) tell it what the sentence is about: a sentence on a practice theme is more
    often a finding than one on a risk factor."""
    vectors = np.asarray(vectors, dtype=np.float32)
    lp_cue = rule_features(rules, labels, len(vectors))[:, -1:]
    parts = [vectors, section_features(sections, len(vectors)), rule_weight * lp_cue]
    if label_weight:
        parts.append(label_weight * np.asarray(label_scores, dtype=np.float32))
    return _with_words(np.hstack(parts), words, texts)


STRATEGIES = ("model", "either", "both", "rules")


def decide(strategy: str, model_says: bool, rules_say: bool) -> bool:
    """Combine the model's and the rules' verdict on one label the way `strategy` says."""
    if strategy == "rules":
        return rules_say
    if strategy == "either":
        return model_says or rules_say
    if strategy == "both":
        return model_says and rules_say
    return model_says


@dataclass
class TrainedModel:
    labels: tuple[str, ...]
    label_model: ThresholdedMultiLabel
    lp_model: ThresholdedMultiLabel
    version: str
    rule_weight: float = 1.0
    very_sure: float = 0.9
    uses_rules: bool = True
    embedder: str = ""
    """Name of the embedder whose vectors the model was trained on."""
    words: Any = None
    """TF-IDF word vectorizer fitted on the training text, or None (a model on vectors and rules only)."""
    strategy: dict[str, str] = field(default_factory=dict)
    """Per label: how model and rules combine (STRATEGIES); a label absent here is decided by the model."""
    lp_label_weight: float = 0.0
    """Weight of the label scores among the learning-point features (0: the learning-point model ignores them)."""

    def predict(self, vectors: np.ndarray, rules: Sequence[Any] | None,
                sections: Sequence[str | None] | None = None,
                texts: Sequence[str] | None = None) -> list[ModelVerdict]:
        """One verdict per row of `vectors` (rules: RuleTagger results aligned with the rows, or None; texts:
        the sentences, needed when the model reads words)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        expected = self.label_model.n_features_in_ - self._rule_width() - self._word_width()
        if vectors.ndim != 2 or vectors.shape[1] != expected:
            raise ConfigError(
                f"tagger model {self.version} expects {expected}-dim "
                f"vectors from {self.embedder or 'its embedder'}, found shape {vectors.shape}"
            )
        if len(vectors) == 0:
            return []
        seen = list(rules) if rules else None  # the rules' verdicts settle denials even when not features
        rules = seen if self.uses_rules else None
        words = getattr(self, "words", None)
        scores = self.label_model.predict_proba(
            label_features(vectors, rules, self.labels, self.rule_weight, words, texts))
        lp = self.lp_model.predict_proba(
            lp_features(vectors, rules, sections, self.labels, self.rule_weight, words, texts, scores,
                        getattr(self, "lp_label_weight", 0.0)))[:, 0]
        strategy = getattr(self, "strategy", None) or {}
        by_rules = [j for j, label in enumerate(self.labels) if strategy.get(label) == "rules"]
        out = []
        for i in range(len(vectors)):
            # what the rules saw only denied, or only about someone else: the model alone must be very sure
            denied = (denied_only(seen[i], self.labels) | withheld(seen[i], self.labels)) if seen else set()
            affirmed = rule_affirmed(rules[i], self.labels) if rules else set()
            shown = scores[i].copy()
            if by_rules:  # a label the rules decide shows the rules' score, not a model score nobody used
                rule_scores = getattr(seen[i], "scores", {}) if seen else {}
                for j in by_rules:
                    shown[j] = float(rule_scores.get(self.labels[j], 0.0)) if self.labels[j] in affirmed else 0.0
            chosen = set()
            for j, label in enumerate(self.labels):
                if label in denied:
                    if scores[i, j] >= max(self.very_sure, self.label_model.thresholds_[j]):
                        chosen.add(label)
                    continue
                model_says = bool(scores[i, j] >= self.label_model.thresholds_[j])
                if decide(strategy.get(label, "model"), model_says, label in affirmed):
                    chosen.add(label)
            out.append(ModelVerdict(
                scores={label: round(float(shown[j]), 4) for j, label in enumerate(self.labels)},
                labels=frozenset(chosen),
                learning_point=bool(lp[i] >= self.lp_model.thresholds_[0]),
                learning_point_score=round(float(lp[i]), 4),
            ))
        return out

    def _word_width(self) -> int:
        words = getattr(self, "words", None)
        return len(words.vocabulary_) if words is not None else 0

    def _rule_width(self) -> int:
        return rule_features(None, self.labels, 0).shape[1]


def save_model(model: TrainedModel, card: dict, model_dir: Path) -> None:
    """Write the artefact and its card beside the old ones, then move them into place: a training run cut
    short (Ctrl-C, a full disk) leaves the previous model working, never a truncated one."""
    import joblib

    model_dir.mkdir(parents=True, exist_ok=True)
    artefact_tmp, card_tmp = model_dir / (ARTEFACT + ".tmp"), model_dir / (CARD + ".tmp")
    try:
        joblib.dump(model, artefact_tmp, compress=3)
        card_tmp.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        artefact_tmp.replace(model_dir / ARTEFACT)
        card_tmp.replace(model_dir / CARD)
    finally:
        artefact_tmp.unlink(missing_ok=True)
        card_tmp.unlink(missing_ok=True)


def load_model(model_dir: Path) -> TrainedModel | None:
    """The shipped or trained tagger model in `model_dir`, or None when there is no artefact."""
    import joblib

    path = Path(model_dir) / ARTEFACT
    if not path.is_file():
        return None
    try:
        model = joblib.load(path)
    except Exception as exc:  # a corrupt or incompatible artefact is a configuration problem
        raise ConfigError(f"cannot load tagger model {path}: {type(exc).__name__}; run `scr train`") from None
    if not isinstance(model, TrainedModel):
        raise ConfigError(f"{path} does not hold a tagger model; run `scr train`")
    return model


