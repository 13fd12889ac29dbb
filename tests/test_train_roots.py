"""`scr train` under a config outside the project (deploy/README.md: /etc/scr-themes/settings.yaml) and with
labels that have (almost) no training examples.

- Outside the project, corrections imported under the config's folder come on top of the project's own
  annotations (the install's, as `scr evaluate dev` finds them), and the model is written beside the config,
  never over the install's shipped one; the tagger then loads the new one. Too few training sentences is a
  one-line usage error naming where it looked, and nothing is written.
- A label with fewer than MIN_LABEL_SUPPORT positive training sentences gets no classifier and is left to the
  rules; `scr train` says so in one warning line and the card records each label's support.

Every test stands a fake install in tmp_path (pipeline.config.install_root patched): nothing here can touch
the repository's models/tagger. The hashed bag-of-words embedder keeps each training run to seconds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import pipeline.config as config
from pipeline.cli.main import app
import pipeline.extract.train as train
from pipeline.config import load_settings
from pipeline.extract.model import ThresholdedMultiLabel, load_model

REPO = Path(__file__).resolve().parents[1]
CONFIGS = ("settings.yaml", "taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt")
STEP = 20
"""Every STEP-th written training sentence of the repository: about 200, enough to train (MIN_TRAIN_SENTENCES)."""
SHIPPED_BYTES = b"the install's shipped model: never replaced by a deployment's training"


def _lines(name: str, step: int) -> list[str]:
    return (REPO / "corpus/annotations" / name).read_text(encoding="utf-8").splitlines()[::step]


def _rows(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


@pytest.fixture
def install(tmp_path, monkeypatch) -> Path:
    """A fake install: the repository's configs, a tenth of its written annotations, a sentinel model."""
    root = tmp_path / "install"
    (root / "configs").mkdir(parents=True)
    for name in CONFIGS:
        shutil.copy(REPO / "configs" / name, root / "configs" / name)
    folder = root / "corpus/annotations"
    folder.mkdir(parents=True)
    (folder / "train.jsonl").write_text(_rows(_lines("train.jsonl", STEP)), encoding="utf-8")
    (folder / "dev.jsonl").write_text(_rows(_lines("dev.jsonl", 10)), encoding="utf-8")
    (root / "models/tagger").mkdir(parents=True)
    (root / "models/tagger/tagger.joblib").write_bytes(SHIPPED_BYTES)
    (root / "models/tagger/model_card.json").write_text('{"version": "shipped"}\n', encoding="utf-8")
    monkeypatch.setattr(config, "install_root", lambda: root)
    return root


def _etc(tmp_path: Path, corrections: list[dict]) -> Path:
    """An operator's config outside the project, with corrections `scr annotate import` wrote beside it."""
    folder = tmp_path / "etcscr"
    (folder / "corpus/annotations").mkdir(parents=True)
    path = folder / "settings.yaml"
    path.write_text(f"store: {tmp_path / 'scr.db'}\nembed:\n  model: hashing-64\n", encoding="utf-8")
    if corrections:
        (folder / "corpus/annotations/imported.jsonl").write_text(
            "".join(json.dumps(c) + "\n" for c in corrections), encoding="utf-8")
    return path


def _corrections(n: int) -> list[dict]:
    rows = [json.loads(line) for line in _lines("dev.jsonl", 1)[1:200:10]][:n]
    return [{"text": r["text"], "labels": r["labels"], "negated": r.get("negated", []),
             "learning_point": r.get("learning_point", False)} for r in rows]


def _scr(*args: str):
    return CliRunner().invoke(app, list(args))


def _shipped_untouched(install: Path) -> bool:
    return (install / "models/tagger/tagger.joblib").read_bytes() == SHIPPED_BYTES


# --- defect 1: a config outside the project -------------------------------------------------------------

def test_outside_config_trains_on_the_project_plus_its_imports_and_writes_beside_itself(tmp_path, install):
    path = _etc(tmp_path, _corrections(9))
    before = load_settings(path)
    assert Path(before.extract.model_dir) == install / "models/tagger"  # reads the install's model until it trains

    result = _scr("--config", str(path), "train")
    assert result.exit_code == 0, result.output
    project_train = len(_lines("train.jsonl", STEP))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"wrote {path.parent / 'models/tagger'} (tagger-")
    assert lines[0].endswith(f", {project_train + 9} training sentences)")
    assert lines[1] == (f"training data: {project_train + 9} sentences from {install / 'corpus/annotations'} "
                        f"(train.jsonl {project_train}) and {path.parent / 'corpus/annotations'} (imported.jsonl 9)")
    assert any(line.startswith("dev_fused ") for line in lines)  # the project's dev set scored the new model

    assert _shipped_untouched(install), "a deployment's training replaced the install's shipped model"
    card = json.loads((path.parent / "models/tagger/model_card.json").read_text())
    data = card["training_data"]
    assert data["train_sentences"] == project_train + 9
    assert data["dev_sentences"] == len(_lines("dev.jsonl", 10)) and "scores_dev" in card
    assert data["sources"] == [{"file": str(install / "corpus/annotations/train.jsonl"), "sentences": project_train},
                               {"file": "corpus/annotations/imported.jsonl", "sentences": 9}]
    # the tagger now loads the model written beside the config, not the install's
    assert config.own_path(before, "extract.model_dir") == path.parent / "models/tagger"
    after = load_settings(path)
    assert after.path(after.extract.model_dir) == path.parent / "models/tagger"
    assert load_model(after.path(after.extract.model_dir)).version == card["version"]
    assert len(train.dev_rows(after)) == data["dev_sentences"]


def test_too_few_training_sentences_is_refused_naming_where_it_looked(tmp_path, install):
    shutil.rmtree(install / "corpus")  # an install without the project's annotations (e.g. a bare package)
    path = _etc(tmp_path, _corrections(9))
    result = _scr("--config", str(path), "train")
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert f"too few training sentences: 9, at least {train.MIN_TRAIN_SENTENCES} needed" in message
    assert str(path.parent / "corpus/annotations") in message and str(install / "corpus/annotations") in message
    assert _shipped_untouched(install) and not (path.parent / "models").exists()


def test_no_annotations_anywhere_is_the_one_line_error_it_was(tmp_path, install):
    shutil.rmtree(install / "corpus")
    result = _scr("--config", str(_etc(tmp_path, [])), "train")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: no training annotations: looked for the project's annotations")
    assert _shipped_untouched(install)


def test_a_project_of_its_own_does_not_borrow_the_install_annotations(tmp_path, install):
    """A config in a project's configs/ folder keeps its own annotations (and model folder), as before."""
    root = tmp_path / "project"
    shutil.copytree(install / "configs", root / "configs")
    (root / "corpus/annotations").mkdir(parents=True)
    result = _scr("--config", str(root / "configs/settings.yaml"), "train")
    assert result.exit_code == 2 and "no training annotations" in result.stderr
    assert str(install / "corpus/annotations") not in result.stderr


def test_own_path_follows_a_model_dir_moved_after_loading(tmp_path, install):
    """Only the install fallback is undone: a model_dir set by hand (as tests do) is where training writes."""
    import dataclasses

    from pipeline.errors import ConfigError

    loaded = load_settings(_etc(tmp_path, []))
    moved = loaded.replace(extract=dataclasses.replace(loaded.extract, model_dir=str(tmp_path / "elsewhere")))
    assert config.own_path(moved, "extract.model_dir") == tmp_path / "elsewhere"
    project = load_settings(install / "configs/settings.yaml")
    assert config.own_path(project, "extract.model_dir") == install / "models/tagger" and not project.standalone
    bad = tmp_path / "bad.yaml"
    bad.write_text("standalone: true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'standalone'"):
        load_settings(bad)


# --- defect 2: labels with (almost) no training examples -------------------------------------------------

EXTRA_LABELS = [
    {"id": "gambling", "kind": "risk_factor", "name": "Gambling", "description": "Gambling problems in the family.",
     "phrases": ["gambling", "gambling debts", "betting shop", "online betting"]},
    {"id": "online_harm", "kind": "risk_factor", "name": "Online harm", "description": "Harm met online.",
     "phrases": ["online grooming", "harmful content online", "sexting"]},
]
WRONG = "The health visitor did not see the baby on her own at any of the visits."


@pytest.fixture
def custom_frame(tmp_path) -> Path:
    """A project of its own whose coding frame adds two labels: gambling with one (wrong) imported example,
    online_harm with none."""
    root = tmp_path / "frame"
    (root / "configs").mkdir(parents=True)
    for name in CONFIGS:
        shutil.copy(REPO / "configs" / name, root / "configs" / name)
    taxonomy = yaml.safe_load((root / "configs/taxonomy.yaml").read_text(encoding="utf-8"))
    taxonomy["labels"] += EXTRA_LABELS
    (root / "configs/taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, sort_keys=False), encoding="utf-8")
    settings = yaml.safe_load((root / "configs/settings.yaml").read_text(encoding="utf-8"))
    settings["embed"]["model"] = "hashing-64"
    (root / "configs/settings.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    folder = root / "corpus/annotations"
    folder.mkdir(parents=True)
    (folder / "train.jsonl").write_text(_rows(_lines("train.jsonl", STEP)), encoding="utf-8")
    (folder / "dev.jsonl").write_text(_rows(_lines("dev.jsonl", 10)), encoding="utf-8")
    (folder / "imported.jsonl").write_text(json.dumps({"text": WRONG, "labels": ["gambling"], "negated": [],
                                                       "learning_point": False}) + "\n", encoding="utf-8")
    return root


def test_labels_without_enough_examples_are_left_to_the_rules(custom_frame):
    path = custom_frame / "configs/settings.yaml"
    result = _scr("--config", str(path), "train")
    assert result.exit_code == 0, result.output
    card = json.loads((custom_frame / "models/tagger/model_card.json").read_text())
    assert card["strategy"]["gambling"] == "rules" and card["strategy"]["online_harm"] == "rules"
    data = card["training_data"]
    assert data["label_support"]["gambling"] == 1 and data["label_support"]["online_harm"] == 0
    assert data["label_support"]["domestic_abuse"] >= train.MIN_LABEL_SUPPORT
    assert set(data["label_support"]) == set(card["labels"])
    fallback = data["rules_fallback"]
    assert fallback["gambling"] == 1 and fallback["online_harm"] == 0
    assert all(n < train.MIN_LABEL_SUPPORT for n in fallback.values())
    assert all(card["strategy"][label] == "rules" for label in fallback)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert f"fewer than {train.MIN_LABEL_SUPPORT} training sentences are left to the rules" in warnings[0]
    assert "gambling (1)" in warnings[0] and "online_harm (0)" in warnings[0]

    # the tagger: the wrong example makes no confident model scores, and the rules still tag gambling
    from pipeline.extract.tagger import Tagger

    settings = load_settings(path)
    tagger = Tagger.from_settings(settings)
    assert tagger.model is not None and tagger.model.version == card["version"]
    others = [json.loads(line)["text"] for line in _lines("dev.jsonl", 10)] + [WRONG]
    tagged = tagger.tag(others)
    assert not any("gambling" in t.labels or "online_harm" in t.labels for t in tagged)
    assert max(t.scores["gambling"] for t in tagged) == 0.0
    assert max(t.scores["online_harm"] for t in tagged) == 0.0
    sparse = tagger.model.label_model.sparse_  # the label model fitted no classifier for them
    assert sparse[card["labels"].index("gambling")] and sparse[card["labels"].index("online_harm")]
    gambling = tagger.tag(["The father had run up large gambling debts and the family lost their home."])[0]
    assert "gambling" in gambling.labels and gambling.scores["gambling"] > 0
    rule_score = tagger.rules.tag([gambling.text])[0].scores["gambling"]
    assert gambling.scores["gambling"] == pytest.approx(rule_score, abs=1e-4)


def test_choose_strategies_leaves_sparse_labels_to_the_rules_even_without_folds():
    Y = np.array([[1, 0, 0]] * 12 + [[0, 1, 0]] * 3)
    labels = ("common", "rare", "absent")
    strategies = train.choose_strategies(None, np.full(3, 0.5), None, Y, labels)
    assert strategies == {"common": "model", "rare": "rules", "absent": "rules"}


def test_estimator_fits_no_classifier_for_a_column_below_min_positives():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 8))
    Y = np.zeros((120, 3), dtype=np.int64)
    Y[:, 0] = X[:, 0] > 0  # learnable
    Y[7, 1] = 1  # one (wrong) example
    groups = [i // 4 for i in range(120)]
    sparse = ThresholdedMultiLabel(n_splits=3, min_positives=train.MIN_LABEL_SUPPORT).fit(X, Y, groups=groups)
    assert sparse.sparse_.tolist() == [False, True, True]
    scores = sparse.predict_proba(X)
    assert scores[:, 1].max() == 0.0 and scores[:, 2].max() == 0.0  # zero positives: no crash, no score
    assert sparse.thresholds_[1] == sparse.max_threshold and not sparse.predict(X)[:, 1:].any()
    # the default changes nothing: the learnable column is the same, and one example alone is what gave
    # confident scores on unrelated rows
    plain = ThresholdedMultiLabel(n_splits=3).fit(X, Y, groups=groups)
    assert np.allclose(plain.predict_proba(X)[:, 0], scores[:, 0])
    assert plain.thresholds_[0] == sparse.thresholds_[0]
    assert plain.sparse_.tolist() == [False, False, True]
    assert plain.predict_proba(X)[7, 1] > 0.5
