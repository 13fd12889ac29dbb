"""How far to trust each label: verdicts from the model card, and `scr labels` that shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.extract.quality import MIN_REAL, RELIABLE_F1, quality_from_card, verdict

REPO = Path(__file__).resolve().parents[1]
CARD = json.loads((REPO / "models" / "tagger" / "model_card.json").read_text(encoding="utf-8"))
REAL = CARD["scores_dev_real"]["fused"]["per_label"]


def _card(real: dict, written: dict | None = None) -> dict:
    return {"version": "tagger-test", "date": "2026-01-01", "labels": list(real),
            "scores_dev_real": {"fused": {"micro_f1": 0.5, "sentences": 100, "per_label": real}},
            "scores_dev": {"fused": {"per_label": written or {}}}}


@pytest.mark.parametrize("f1, n, expected", [
    (RELIABLE_F1, MIN_REAL, "reliable"),
    (RELIABLE_F1 - 0.01, MIN_REAL, "check"),
    (0.99, MIN_REAL - 1, "unmeasured"),
    (None, 500, "unmeasured"),
])
def test_verdict_needs_enough_real_examples_and_the_bar(f1, n, expected):
    assert verdict(f1, n) == expected


def test_scores_come_from_the_card_label_by_label():
    card = _card({"a": {"f1": 0.8, "support": 30}, "b": {"f1": 0.4, "support": 30}, "c": {"f1": 0.9, "support": 3}},
                 {"a": {"f1": 0.7, "support": 10}, "c": {"f1": 0.95, "support": 12}})
    quality = quality_from_card(card, ["a", "b", "c", "d"])
    assert [q.verdict for q in quality.labels] == ["reliable", "check", "unmeasured", "unmeasured"]
    assert quality.of("a").f1_written == 0.7 and quality.of("b").f1_written is None
    assert quality.of("c").n_real == 3 and quality.of("c").f1_real == 0.9
    assert quality.of("d").f1_real is None  # a label the card does not know
    assert "1 of 4 labels reached F1 0.70" in quality.summary()


def test_a_label_with_no_real_examples_has_no_real_f1():
    """A support of 0 gives F1 0.0 in the card: that is not a measurement, and must not read as one."""
    quality = quality_from_card(_card({"a": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}}), ["a"])
    assert quality.of("a").f1_real is None and quality.of("a").verdict == "unmeasured"


def test_no_card_means_nothing_is_measured():
    quality = quality_from_card(None, ["a", "b"])
    assert quality.tagger is None
    assert {q.verdict for q in quality.labels} == {"unmeasured"}
    assert "rules only" in quality.summary()


def test_scr_labels_json_reports_the_shipped_card():
    result = CliRunner().invoke(app, ["labels", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tagger"] == CARD["version"]
    rows = {row["label"]: row for row in data["labels"]}
    assert list(rows) == CARD["labels"]
    for label, scores in REAL.items():
        row = rows[label]
        assert row["n_real"] == scores["support"]
        assert row["verdict"] == verdict(scores["f1"] if scores["support"] else None, scores["support"])
        assert row["name"] and row["description"]


def test_scr_labels_table_and_verdict_filter():
    result = CliRunner().invoke(app, ["labels", "--verdict", "check"])
    assert result.exit_code == 0, result.output
    checked = [label for label, s in REAL.items() if s["support"] >= MIN_REAL and s["f1"] < RELIABLE_F1]
    listed = [line.split()[0] for line in result.stdout.splitlines()[2:] if line and line.split()[0] in CARD["labels"]]
    assert listed == checked
    assert "check by hand" in result.stdout
    assert "real sentences held out from training" in result.stdout


def test_scr_labels_rejects_an_unknown_verdict():
    result = CliRunner().invoke(app, ["labels", "--verdict", "good"])
    assert result.exit_code == 2
    assert "--verdict must be one of" in result.output


def test_a_coding_frame_without_the_models_labels_is_unmeasured(tmp_path):
    """Such a frame runs on the rules alone (Tagger.from_settings drops the model), so no score applies."""
    frame = tmp_path / "frame.yaml"
    frame.write_text(
        "version: 1\nkinds: [risk_factor]\nlabels:\n"
        "  - id: gambling\n    kind: risk_factor\n    name: Gambling\n    description: A parent's gambling.\n"
        "    phrases: [gambling debts]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["labels", "--json", "--taxonomy", str(frame)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tagger"] is None
    assert [(r["label"], r["verdict"]) for r in data["labels"]] == [("gambling", "unmeasured")]


def test_readme_states_the_shipped_verdict_counts():
    """The README quotes how many labels the shipped tagger gets right; a retrained model must update it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    counts = {v: 0 for v in ("reliable", "check", "unmeasured")}
    for label in CARD["labels"]:
        scores = REAL.get(label, {"f1": 0.0, "support": 0})
        counts[verdict(scores["f1"] if scores["support"] else None, scores["support"])] += 1
    stated = (f"{counts['reliable']} of the {len(CARD['labels'])} labels are reliable",
              f"{counts['check']} need checking by hand", f"{counts['unmeasured']} are not measured on real text")
    text = " ".join(readme.split())
    for phrase in stated:
        assert " ".join(phrase.split()) in text, phrase
