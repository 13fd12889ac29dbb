"""`scr train` end to end in a project of its own: corrections imported through `scr annotate import` reach
the training data, the model and its card land in models/tagger/, and the project's commands then tag with
the new model. Trained on a few hundred of our written sentences with the real embedding model, so the
check runs in seconds, not the minutes of the shipped model's training."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIGS = ("settings.yaml", "taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt")


def _project(tmp_path: Path) -> Path:
    """A project folder with the repository's configs and no annotations, model or ../shared beside it."""
    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    for name in CONFIGS:
        (root / "configs" / name).write_text((REPO / "configs" / name).read_text())
    (root / "corpus/annotations").mkdir(parents=True)
    return root


def _scr(root: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.cli.main", "--config", str(root / "configs" / "settings.yaml"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=root)


def _rows(name: str, step: int) -> list[dict]:
    lines = (REPO / "corpus/annotations" / name).read_text().splitlines()
    return [json.loads(line) for line in lines[::step]]


def test_train_without_annotations_is_a_one_line_error(tmp_path):
    root = _project(tmp_path)
    result = _scr(root, "train")
    assert result.returncode == 2, result.stderr
    assert "no training annotations" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "models/tagger").exists()


@pytest.mark.slow
def test_imported_corrections_train_a_model_the_project_then_uses(tmp_path):
    root = _project(tmp_path)
    train = _rows("train.jsonl", 20)
    dev = _rows("dev.jsonl", 8)
    folder = root / "corpus/annotations"
    folder.joinpath("train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in train))
    folder.joinpath("dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in dev))
    # a researcher's corrections, in Prodigy's answer format, come in through the annotation loop
    corrections = tmp_path / "answers.jsonl"
    answers = [
        {"text": "The family's caseworker had ninety cases and no time to read the file.",
         "accept": ["supervision_workload", "learning_point"], "answer": "accept"},
        {"text": "The mother's new partner had a conviction for assaulting a former girlfriend.",
         "accept": ["hidden_men", "domestic_abuse"], "answer": "accept"},
        {"text": "A skipped answer teaches nothing.", "accept": [], "answer": "ignore"},
    ]
    corrections.write_text("".join(json.dumps(a) + "\n" for a in answers))
    imported = _scr(root, "annotate", "import", str(corrections), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["added"] == 2

    trained = _scr(root, "train", "--json")
    assert trained.returncode == 0, trained.stderr
    summary = json.loads(trained.stdout)
    assert summary["train_sentences"] == len(train) + 2  # the written rows and the two corrections
    assert summary["dev_sentences"] == len(dev)
    assert summary["real_references_resolved"] == 0  # no ../shared beside this project
    assert summary["dev_fused"]["micro_f1"] is not None and summary["dev_rules_only"]["micro_f1"] is not None

    card = json.loads((root / "models/tagger/model_card.json").read_text())
    assert card["version"] == summary["version"]
    taxonomy_ids = json.loads(_scr(root, "evaluate", "dev", "--json", "--rules-only").stdout)["per_label"].keys()
    assert card["labels"] == list(taxonomy_ids)
    assert card["training_data"]["train_sentences"] == len(train) + 2

    # the project's own commands now tag with the model just written, and the card's dev scores are what
    # `scr evaluate` gives on that set: the card reports what users get (train.predict_rows and the Tagger
    # withhold the same rule-denied labels)
    evaluated = _scr(root, "evaluate", "dev", "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert report["tagger"].endswith("+" + summary["version"])
    assert report["micro"]["f1"] == pytest.approx(summary["dev_fused"]["micro_f1"], abs=1e-4)
    assert report["macro_f1"] == pytest.approx(summary["dev_fused"]["macro_f1"], abs=1e-4)


def test_a_hand_edited_training_file_with_a_loose_value_is_refused_not_coerced(tmp_path):
    """`"learning_point": "false"` would train as a learning point (bool of a string): refused, one line."""
    root = _project(tmp_path)
    rows = _rows("train.jsonl", 400)
    rows[1] = dict(rows[1], learning_point="false")
    (root / "corpus/annotations/train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = _scr(root, "train")
    assert result.returncode == 1, result.stderr
    assert "train.jsonl:2: bad annotation line" in result.stderr and "'learning_point' must be true or false" in result.stderr
    assert "Traceback" not in result.stderr and not (root / "models/tagger").exists()
