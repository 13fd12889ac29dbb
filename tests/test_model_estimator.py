"""Fast tests of the learned layer's mechanics on small synthetic vectors (no embedding model)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from pipeline.extract.annotate import correction_from, import_corrections
from pipeline.extract.features import denied_only, rule_features, section_features
from pipeline.extract.model import ThresholdedMultiLabel, TrainedModel, load_model, save_model
from pipeline.extract.scoring import Prediction, score
from pipeline.errors import InputError
from tests.helpers.model import FakeRuleResult, mention, separable


def test_estimator_follows_the_sklearn_contract():
    est = ThresholdedMultiLabel(C=2.0, n_splits=3)
    twin = clone(est)
    assert twin.get_params() == est.get_params() and not hasattr(twin, "thresholds_")
    X, Y, groups = separable()
    assert est.fit(X, Y, groups=groups) is est
    assert est.thresholds_.shape == (2,) and est.n_features_in_ == X.shape[1]
    assert np.all((est.thresholds_ >= est.min_threshold) & (est.thresholds_ <= est.max_threshold))
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2) and proba.min() >= 0 and proba.max() <= 1
    assert (est.predict(X) == Y).mean() > 0.9


def test_estimator_learns_held_out_rows_and_handles_a_constant_column():
    X, Y, groups = separable(n=200, seed=1)
    Y = np.column_stack([Y, np.zeros(len(Y), dtype=np.int64)])
    est = ThresholdedMultiLabel(n_splits=3).fit(X[:150], Y[:150], groups=groups[:150])
    pred = est.predict(X[150:])
    assert (pred[:, :2] == Y[150:, :2]).mean() > 0.85
    assert pred[:, 2].sum() == 0


def test_rule_features_count_mentions_by_assertion():
    labels = ("domestic_abuse", "neglect")
    rules = [FakeRuleResult((mention("domestic_abuse"), mention("neglect", "negated")), 0.8), FakeRuleResult(())]
    feats = rule_features(rules, labels, 2)
    assert feats.shape == (2, 7)
    assert feats[0].tolist() == pytest.approx([0.5, 0, 0, 0, 0.5, 0, 0.8])
    assert not feats[1].any()
    assert not rule_features(None, labels, 3).any()
    assert denied_only(rules[0], labels) == {"neglect"}
    assert section_features(["Findings", "Chronology of events", None], 3).tolist() == [[1, 0], [0, 1], [0, 0]]


def _toy_model(X, Y, groups) -> TrainedModel:
    labels = ("domestic_abuse", "neglect")
    width = X.shape[1]
    lab = ThresholdedMultiLabel(n_splits=3).fit(np.hstack([X, rule_features(None, labels, len(X))]), Y, groups=groups)
    lp = ThresholdedMultiLabel(n_splits=3).fit(
        np.hstack([X, np.zeros((len(X), 3))]), Y[:, :1], groups=groups)
    assert lab.n_features_in_ == width + 7
    return TrainedModel(labels, lab, lp, "toy-1", embedder="toy")


def test_a_label_the_rules_only_saw_denied_needs_a_very_sure_model(tmp_path):
    X, Y, groups = separable()
    model = _toy_model(X, Y, groups)
    row = X[np.argmax(X[:, 0])][None, :]  # clearly domestic_abuse by the vectors
    plain = model.predict(row, [FakeRuleResult(())])[0]
    assert "domestic_abuse" in plain.labels
    model.very_sure = 1.01  # nothing is that sure: a denied-only label cannot be affirmed
    denied = model.predict(row, [FakeRuleResult((mention("domestic_abuse", "negated"),))])[0]
    assert "domestic_abuse" not in denied.labels
    save_model(model, {"version": "toy-1"}, tmp_path / "m")
    again = load_model(tmp_path / "m")
    assert again.version == "toy-1" and again.predict(row, None)[0].scores == plain.scores
    assert load_model(tmp_path / "absent") is None


def test_a_save_that_fails_half_way_leaves_the_previous_model_in_place(tmp_path):
    X, Y, groups = separable()
    model = _toy_model(X, Y, groups)
    save_model(model, {"version": "toy-1"}, tmp_path / "m")
    before = {p.name: p.read_bytes() for p in (tmp_path / "m").iterdir()}
    broken = _toy_model(X, Y, groups)
    broken.version = "toy-2"
    broken.words = lambda text: text  # cannot be pickled: the dump fails part-way through writing
    with pytest.raises(Exception):
        save_model(broken, {"version": "toy-2"}, tmp_path / "m")
    newer = _toy_model(X, Y, groups)
    newer.version = "toy-3"
    with pytest.raises(TypeError):  # the artefact writes, the card cannot
        save_model(newer, {"version": "toy-3", "bad": object()}, tmp_path / "m")
    assert {p.name: p.read_bytes() for p in (tmp_path / "m").iterdir()} == before  # no leftovers either
    assert load_model(tmp_path / "m").version == "toy-1"


def test_scoring_counts_denied_mentions_tagged_present():
    class Gold:
        def __init__(self, labels, negated, lp):
            self.labels, self.negated, self.learning_point = labels, negated, lp

    gold = [Gold(["neglect"], [], True), Gold([], ["domestic_abuse"], False), Gold(["neglect"], [], False)]
    pred = [Prediction(frozenset({"neglect"}), frozenset(), True),
            Prediction(frozenset({"domestic_abuse"}), frozenset(), False),
            Prediction(frozenset(), frozenset(), True)]
    s = score(gold, pred, ["neglect", "domestic_abuse"])
    assert s["per_label"]["neglect"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert s["denied_as_present_rate"] == 1.0 and s["learning_point_accuracy"] == pytest.approx(0.6667, abs=1e-3)
    assert s["micro_f1"] == pytest.approx(0.5)


def test_import_reads_label_studio_and_prodigy_and_rejects_unknown_labels(tmp_path):
    labels = ["neglect", "domestic_abuse"]
    ls = {"data": {"text": "The home was dirty.", "doc_id": "abc"},
          "annotations": [{"result": [{"value": {"choices": ["neglect", "not:domestic_abuse", "learning_point"]}}]}]}
    prodigy = {"text": "Police were called.", "accept": ["domestic_abuse"], "answer": "accept"}
    ignored = {"text": "Skipped.", "accept": [], "answer": "ignore"}
    src = tmp_path / "corrections.jsonl"
    src.write_text("\n".join(json.dumps(o) for o in (ls, prodigy, ignored)) + "\n", encoding="utf-8")
    report = import_corrections(src, tmp_path, labels)
    assert (report.added, report.updated, report.skipped) == (2, 0, 1)
    rows = [json.loads(l) for l in (tmp_path / "corpus/annotations/imported.jsonl").read_text().splitlines()]
    assert rows[0]["labels"] == ["neglect"] and rows[0]["negated"] == ["domestic_abuse"] and rows[0]["learning_point"]
    assert rows[1]["labels"] == ["domestic_abuse"]
    assert import_corrections(src, tmp_path, labels).updated == 2
    with pytest.raises(InputError, match="unknown label"):
        correction_from({"text": "x", "labels": ["no_such_label"]}, set(labels), "f:1")


def test_a_model_with_word_features_reads_the_text_and_combines_with_rules_per_label():
    from pipeline.extract.model import decide, label_features, lp_features, word_vectorizer

    labels = ("domestic_abuse", "neglect")
    X, Y, groups = separable(n=120)
    texts = [("police called shouting " if y[0] else "quiet visit ") + ("dirty home hungry" if y[1] else "tidy")
             for y in Y]
    words = word_vectorizer().fit(texts)
    feats = label_features(X, None, labels, 2.0, words, texts)
    assert feats.shape == (len(X), X.shape[1] + 7 + len(words.vocabulary_))
    lab = ThresholdedMultiLabel(n_splits=3).fit(feats, Y, groups=groups)
    assert lab.oof_.shape == Y.shape and (lab.predict(feats) == Y).mean() > 0.9
    lp = ThresholdedMultiLabel(n_splits=3).fit(lp_features(X, None, None, labels, 2.0, words, texts), Y[:, :1],
                                               groups=groups)
    model = TrainedModel(labels, lab, lp, "toy-2", embedder="toy", words=words,
                         strategy={"domestic_abuse": "model", "neglect": "rules"})
    with pytest.raises(ValueError, match="texts"):
        model.predict(X[:1], None)
    # neglect is decided by the rules alone: without a rule mention it is not affirmed, whatever the words say
    row = int(np.argmax(Y[:, 1]))
    assert "neglect" not in model.predict(X[row:row + 1], [FakeRuleResult(())], texts=[texts[row]])[0].labels
    with_rule = model.predict(X[row:row + 1], [FakeRuleResult((mention("neglect"),))], texts=[texts[row]])[0]
    assert "neglect" in with_rule.labels
    assert decide("either", False, True) and not decide("both", True, False) and decide("model", True, False)



def test_the_learning_point_model_can_read_the_label_scores():
    """With `lp_label_weight`, the learning-point model is fitted on the label model's out-of-fold scores and
    reads its live scores when predicting; a model saved without them (weight 0) still predicts."""
    from pipeline.extract.model import label_features, lp_features

    labels = ("domestic_abuse", "neglect")
    X, Y, groups = separable(n=120)
    lab = ThresholdedMultiLabel(n_splits=3).fit(label_features(X, None, labels, 2.0), Y, groups=groups)
    lp_y = Y[:, :1]  # here a learning point exactly when the first label applies
    plain = lp_features(X, None, None, labels, 2.0)
    seeing = lp_features(X, None, None, labels, 2.0, label_scores=lab.oof_, label_weight=3.0)
    assert seeing.shape[1] == plain.shape[1] + len(labels)
    lp = ThresholdedMultiLabel(n_splits=3).fit(seeing, lp_y, groups=groups)
    weight_on_first_label = lp.estimators_[0].coef_[0, -len(labels)]
    assert weight_on_first_label > 0  # it learned that the first label's score means a learning point
    model = TrainedModel(labels, lab, lp, "toy-3", embedder="toy", lp_label_weight=3.0)
    verdicts = model.predict(X, None)
    assert np.mean([v.learning_point == bool(y) for v, y in zip(verdicts, lp_y[:, 0])]) > 0.9
    old = TrainedModel(labels, lab, ThresholdedMultiLabel(n_splits=3).fit(plain, lp_y, groups=groups), "toy-2",
                       embedder="toy")
    assert len(old.predict(X[:3], None)) == 3
