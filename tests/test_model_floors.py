"""The shipped model (models/tagger/) on the project's dev gold sets, with floors that only ever rise.

Two dev sets, both split from the training data by document (corpus/annotations/README.md): the synthetic
one (sentences the team wrote) and the REAL one (labelled sentences of real coroners' reports, resolved
from ../shared at run time; its test skips where ../shared is absent). Floors sit a little below what was
measured when the model was trained (see models/tagger/model_card.json)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.model import load_model, read_card
from pipeline.extract.train import dev_scores

FLOORS = {
    # measured 0.680 / 0.688 / 0.911 on the synthetic dev set with vectors embedded a sentence a run (0.684 /
    # 0.692 / 0.910 on the batched int8 vectors before them) as it stands since round 5 of written sentences
    # (1,171 sentences, 75 denied mentions, with contrastive near-misses and denials that carry no cue word;
    # 0.686 / 0.694 / 0.917 on its 1,188-sentence form, before 17 doubly framed variants were dropped).
    # Re-based because the set grew harder: on the round 3/4 set it replaced (966 sentences) the same model
    # scores 0.691 / 0.703 (0.679 / 0.689 before) and tags 0.119 of denials present (0.153 before).
    "micro_f1": 0.67,
    "macro_f1": 0.68,
    "learning_point_accuracy": 0.90,  # 0.905 before the learning-point model read the label scores
}
MAX_DENIED_AS_PRESENT = 0.24
"""Measured 0.227 (17 of 75 denied mentions; the rules alone 0.133) on the present synthetic dev set: the target (0.05)
is not met; the misses are denials with no cue word ("she said he had never hurt her", "a crib with a firm
mattress", "the children were always clean and fed"), which the rules cannot see and the model reads as mentions."""
REAL_FLOORS = {
    # measured 0.628 / 0.571 / 0.900 on 1,634 sentences of 88 held-out reports, vectors a sentence a run
    # (0.627 / 0.558 / 0.899 on batched int8 vectors; 0.633 / 0.562 / 0.902 at
    # stop 10, before 113 doubly framed written variants left train; 0.638 / 0.566 / 0.898 at stop 9; 0.613 / 0.539 / 0.896 before the written sentences doubled and the denial rules learned to
    # cover the reporting service). The learning-point floor stays at 0.89: 0.90 is within a few sentences.
    "micro_f1": 0.62,
    "macro_f1": 0.55,
    "learning_point_accuracy": 0.89,
}
MAX_REAL_DENIED_AS_PRESENT = 0.05
SECOND_CODER_FLOORS = {
    # the shipped tagger against each coder on 371 sentences of 25 real dev reports coded twice, blind
    # (corpus/annotations/agreement/): measured 0.612 against the first coder, 0.635 against the second;
    # the two coders agree at 0.791
    "tagger_vs_a": 0.60,
    "tagger_vs_b": 0.62,
}
MIN_DENIED_FOR_A_RATE = 20
"""Below this many denied mentions a rate means little: then at most one may be tagged present."""


def test_model_card_describes_the_artefact(repo_root):
    card = read_card(repo_root / "models" / "tagger")
    assert card is not None, "models/tagger/model_card.json is missing: run `scr train`"
    for key in ("labels", "training_data", "libraries", "scores_dev", "date", "version", "thresholds"):
        assert key in card
    assert len(card["labels"]) >= 26 and card["training_data"]["sha256"]
    assert sum(f.stat().st_size for f in (repo_root / "models" / "tagger").iterdir()) < 5_000_000


@pytest.mark.slow
def test_shipped_model_meets_the_dev_floors(repo_root, settings, real_embedder):
    model = load_model(repo_root / "models" / "tagger")
    assert model is not None
    scores = dev_scores(settings.replace(root=str(repo_root)), model, real_embedder)
    for key, floor in FLOORS.items():
        assert scores[key] >= floor, f"{key} {scores[key]} fell below its floor {floor}"
    assert scores["denied_as_present_rate"] <= MAX_DENIED_AS_PRESENT


@pytest.mark.slow
def test_shipped_model_meets_the_real_dev_floors(repo_root, settings, real_embedder, real_dir, pfd_jsonl):
    """The REAL dev set: labelled sentences of whole real reports kept out of training (needs ../shared)."""
    model = load_model(repo_root / "models" / "tagger")
    assert model is not None
    scores = dev_scores(settings.replace(root=str(repo_root)), model, real_embedder, "dev_real")
    assert scores["sentences"] >= 200
    for key, floor in REAL_FLOORS.items():
        assert scores[key] >= floor, f"real dev {key} {scores[key]} fell below its floor {floor}"
    if scores["denied_mentions"] >= MIN_DENIED_FOR_A_RATE:
        assert scores["denied_as_present_rate"] <= MAX_REAL_DENIED_AS_PRESENT
    else:
        assert scores["denied_as_present_rate"] * scores["denied_mentions"] <= 1


@pytest.mark.slow
def test_shipped_model_against_two_coders(repo_root, real_embedder, pfd_jsonl):
    """The second-coder check: a blind re-coding of real dev sentences, scored against the tagger and
    against the first coder. The tagger stays above its floors against both; the coders' agreement is the
    ceiling a tagger is measured against, and it must be well above the tagger's (or the labels are noise)."""
    import importlib.util

    path = repo_root / "corpus" / "annotations" / "agreement" / "measure.py"
    spec = importlib.util.spec_from_file_location("agreement_measure", path)
    measure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(measure)
    result = measure.measure(repo_root)
    assert result["sentences"] >= 300 and result["documents"] == 25
    for key, floor in SECOND_CODER_FLOORS.items():
        assert result[key]["micro_f1"] >= floor, f"{key} micro-F1 {result[key]['micro_f1']} below {floor}"
    assert result["b_vs_a"]["micro_f1"] >= result["tagger_vs_a"]["micro_f1"] + 0.1


@pytest.mark.slow
def test_the_subject_age_settles_whose_mental_health_on_real_dev(repo_root, settings, real_embedder, pfd_jsonl):
    """On the real dev set, giving the tagger each report's subject age (as ingest finds it: metadata.age_of
    over the report text) moves mental-health labels to the right side: measured micro-F1 0.632 -> 0.647,
    child_mental_health F1 0.27 -> 0.56."""
    import json
    import re

    from pipeline.extract.scoring import Prediction, score
    from pipeline.extract.tagger import Tagger
    from pipeline.extract.train import dev_rows
    from pipeline.ingest.metadata import age_of

    local = settings.replace(root=str(repo_root))
    rows = [r for r in dev_rows(local, "dev_real") if r.doc.startswith("pfd-")]
    texts = {}
    with pfd_jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            report = json.loads(line)
            texts["pfd-" + report["id"]] = " ".join(report.get(k) or "" for k in ("investigation", "circumstances", "concerns"))
    ages = {doc: age_of(re.sub(r"\s+", " ", texts.get(doc, "")))[0] for doc in {r.doc for r in rows}}
    tagger = Tagger.from_settings(local, embedder=real_embedder)
    sentences, sections = [r.text for r in rows], [r.section for r in rows]

    def scored(tagged):
        return score(rows, [Prediction(frozenset(t.labels), frozenset(t.negated), t.learning_point) for t in tagged],
                     tagger.taxonomy.ids)

    plain = scored(tagger.tag(sentences, None, sections))
    aged = scored(tagger.tag(sentences, None, sections, [ages[r.doc] for r in rows]))
    assert aged["micro_f1"] >= plain["micro_f1"] + 0.01
    assert aged["per_label"]["child_mental_health"]["f1"] >= plain["per_label"]["child_mental_health"]["f1"] + 0.15
    assert aged["per_label"]["parental_mental_health"]["f1"] >= plain["per_label"]["parental_mental_health"]["f1"]
