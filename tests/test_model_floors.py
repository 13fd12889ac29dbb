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
    "micro_f1": 0.65,
    "macro_f1": 0.66,
    "learning_point_accuracy": 0.90,
}
MAX_DENIED_AS_PRESENT = 0.06
REAL_FLOORS = {
    # measured 0.613 / 0.539 / 0.896 on 1,634 sentences of 81 held-out reports (the set grew five-fold when
    # 270 more reports were labelled; on the earlier 261-sentence subset the model scores 0.594 / 0.607)
    "micro_f1": 0.60,
    "macro_f1": 0.53,
    "learning_point_accuracy": 0.89,
}
MAX_REAL_DENIED_AS_PRESENT = 0.05
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
