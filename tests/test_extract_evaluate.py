"""Scoring against gold, and the `scr tag` / `scr evaluate` commands on a small gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.errors import InputError
from pipeline.extract.evaluate import GoldItem, evaluate, read_gold
from pipeline.records import TaggedSentence
from tests.helpers.extract import GOLD, write_gold

REPO = Path(__file__).resolve().parents[1]
CONFIG = str(REPO / "configs" / "settings.yaml")


def _pred(labels, lp=False):
    return TaggedSentence(None, "", tuple(labels), (), lp, 0.0, {})


def test_evaluate_counts():
    gold = [GoldItem("a", frozenset({"neglect"}), frozenset(), True),
            GoldItem("b", frozenset(), frozenset({"domestic_abuse"}), False),
            GoldItem("c", frozenset({"neglect", "housing_poverty"}), frozenset(), False)]
    pred = [_pred(["neglect"], True), _pred(["domestic_abuse"]), _pred(["neglect", "unsafe_sleep"], True)]
    labels = ("neglect", "domestic_abuse", "housing_poverty", "unsafe_sleep")
    report = evaluate(gold, pred, labels)
    assert report.per_label["neglect"].f1 == 1.0
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 2, 1)
    assert report.macro_labels == 2 and report.macro_f1 == 0.5
    assert report.denied_tagged_present_rate == 1.0
    assert report.learning_point_accuracy == round(2 / 3, 4)
    assert ("housing_poverty", "unsafe_sleep", 1) in report.confusions


def test_bootstrap_intervals_hold_the_score_and_narrow_with_more_sentences():
    import random

    from pipeline.extract.evaluate import intervals

    labels = ("neglect", "domestic_abuse", "housing_poverty")
    rng = random.Random(1)

    def sample(n):
        gold, pred = [], []
        for _ in range(n):
            truth = {label for label in labels if rng.random() < 0.3}
            guess = {label for label in labels if (label in truth) == (rng.random() < 0.8)}  # right 80% of the time
            gold.append(GoldItem("s", frozenset(truth), frozenset({"neglect"} - truth if rng.random() < 0.2 else ()),
                                 rng.random() < 0.5))
            pred.append(_pred(sorted(guess), rng.random() < 0.5))
        return gold, pred

    small, large = evaluate(*sample(60), labels), evaluate(*sample(2000), labels)
    for report in (small, large):
        assert set(report.intervals) == {"micro_f1", "macro_f1", "learning_point_accuracy", "denied_as_present_rate"}
        low, high = report.intervals["micro_f1"]
        assert low <= report.micro.f1 <= high
        low, high = report.intervals["macro_f1"]
        assert low <= report.macro_f1 <= high
        low, high = report.intervals["learning_point_accuracy"]
        assert low <= report.learning_point_accuracy <= high
    width = lambda r, name: r.intervals[name][1] - r.intervals[name][0]
    assert width(large, "micro_f1") < width(small, "micro_f1") / 3  # about sqrt(2000 / 60) = 5.8 times narrower
    gold, pred = sample(200)
    assert intervals(gold, pred, labels) == intervals(gold, pred, labels)  # a fixed seed: reruns print the same
    assert evaluate(gold, pred, labels, resamples=0).intervals == {}
    no_denials = [GoldItem(g.text, g.labels, frozenset(), None) for g in gold]
    assert set(intervals(no_denials, pred, labels)) == {"micro_f1", "macro_f1"}  # nothing to score, no interval


def test_read_gold_rejects_unknown_labels(tmp_path):
    path = write_gold(tmp_path / "gold.jsonl", [{"text": "x", "labels": ["not_a_label"]}])
    with pytest.raises(InputError, match="not_a_label"):
        read_gold(path, ("neglect",))


def test_cli_tag_and_evaluate(tmp_path):
    runner = CliRunner()
    gold = write_gold(tmp_path / "gold.jsonl")
    base = ["--config", CONFIG, "--db", str(tmp_path / "scr.db")]
    result = runner.invoke(app, base + ["tag", "--rules-only", "--file", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(GOLD)
    assert set(lines[0]) == {"sid", "labels", "negated", "learning_point", "scores"}
    assert lines[0]["negated"] == ["domestic_abuse"] and lines[0]["labels"] == []
    assert "domestic_abuse" in lines[1]["labels"]

    result = runner.invoke(app, base + ["evaluate", "--rules-only", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"] == len(GOLD)
    assert report["micro"]["f1"] >= 0.6 and report["denied_tagged_present_rate"] == 0.0
    low, high = report["intervals"]["micro_f1"]
    assert low <= report["micro"]["f1"] <= high

    result = runner.invoke(app, base + ["evaluate", "--rules-only", str(gold)])
    assert result.exit_code == 0 and "95% CI" in result.stdout

    result = runner.invoke(app, base + ["tag", "--rules-only", "There was no evidence of neglect."])
    assert result.exit_code == 0 and "negated" in result.stdout and "neglect" in result.stdout

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, base + ["tag", "--rules-only", "--file", str(bad), "--json"])
    assert result.exit_code == 1 and "line 2" in result.output


@pytest.mark.parametrize("command", [["tag", "--rules-only", "--file"], ["evaluate", "--rules-only"],
                                     ["cluster", "--from-jsonl"]])
def test_a_file_that_is_not_utf8_text_is_a_one_line_input_error(tmp_path, command):
    """Every JSON Lines input goes through one reader: bytes that are not UTF-8 name the file, no traceback."""
    binary = tmp_path / "scan.jsonl"
    binary.write_bytes(b'{"text": "ok"}\n\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\n')
    result = CliRunner().invoke(app, ["--config", CONFIG, "--db", str(tmp_path / "scr.db")] + command + [str(binary)])
    assert result.exit_code == 1, result.output
    assert "scan.jsonl: unreadable file (not UTF-8 text)" in result.output and "Traceback" not in result.output


def test_cli_custom_taxonomy(tmp_path):
    from tests.test_extract_taxonomy import MINIMAL

    frame = tmp_path / "frame.yaml"
    frame.write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", CONFIG, "tag", "--rules-only", "--taxonomy", str(frame), "--json",
                                      "Neighbours reported that he kicked the dog."])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["labels"] == ["animal_cruelty"]


@pytest.mark.slow
def test_whole_tagger_with_trained_model(tmp_path):
    """The shipped model plus rules through `scr tag --file` (real embedder); skipped before `scr train`."""
    from pipeline.config import load_settings
    from pipeline.extract.tagger import Tagger

    settings = load_settings(CONFIG)
    tagger = Tagger.from_settings(settings)
    if tagger.model is None:
        pytest.skip("no trained model in models/tagger (run `scr train`)")
    results = tagger.tag([row["text"] for row in GOLD])
    assert results[0].negated == ("domestic_abuse",) and "domestic_abuse" not in results[0].labels
    assert "domestic_abuse" in results[1].labels
    assert tagger.version.endswith(tagger.model.version)
    assert any(t.source in ("both", "model") for r in results for t in r.tags)


def test_rules_only_floor_on_dev_set():
    """Rules alone on the project's dev gold (split by document from the training data). Floors only rise."""
    from pipeline.config import load_settings
    from pipeline.extract.evaluate import evaluate_tagger
    from pipeline.extract.tagger import Tagger

    dev = REPO / "corpus" / "annotations" / "dev.jsonl"
    if not dev.is_file():
        pytest.skip("no dev gold in corpus/annotations")
    tagger = Tagger.from_settings(load_settings(CONFIG), use_model=False)
    report, _ = evaluate_tagger(tagger, read_gold(dev, tagger.taxonomy.ids))
    # measured 0.575 / 0.570 / 0.133 / 0.774 on the 1,171-sentence dev set of round 5, which added contrastive
    # near-misses and denials with no cue word (the round 3/4 set of 966: 0.599 / 0.589 / 0.085 with today's
    # rules, 0.605 / 0.599 / 0.102 with the rules before; 0.67 / 0.67 / 0.0 / 0.80 on the 387-sentence one)
    assert report.micro.f1 >= 0.55
    assert report.macro_f1 >= 0.54
    assert report.denied_tagged_present_rate is None or report.denied_tagged_present_rate <= 0.14
    assert report.learning_point_accuracy is None or report.learning_point_accuracy >= 0.76


def test_cli_evaluates_the_named_synthetic_dev_set(tmp_path):
    base = ["--config", CONFIG, "--db", str(tmp_path / "scr.db")]
    result = CliRunner().invoke(app, base + ["evaluate", "--rules-only", "dev", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gold"] == "dev" and report["sentences"] >= 1100 and report["micro"]["f1"] >= 0.55
    result = CliRunner().invoke(app, base + ["evaluate", "--rules-only", "no-such-gold-set"])
    assert result.exit_code != 0 and "no-such-gold-set" in result.output


def test_named_gold_real_dev_resolves_the_real_references(pfd_jsonl, real_dir):
    from pipeline.extract.evaluate import named_gold

    items = named_gold(REPO, "real-dev")
    assert len(items) >= 200 and all(item.text and item.learning_point is not None for item in items)
    assert sum(item.learning_point for item in items) >= 50 and sum(bool(item.labels) for item in items) >= 80
    with pytest.raises(InputError, match="unknown gold set"):
        named_gold(REPO, "nope")
