"""A researcher's own coding frame, configured (`taxonomy:` in the settings) or given with `--taxonomy`.

Small frames are written to tmp_path and driven through the real Tagger, `scr extract` (extract_pending) and
the CLI: learning-point cues when the frame has none, frames that rename the risk kind, the subject-age rule
and labels outside the frame, labels with no rule words, where a broken frame is broken, and the provenance
of a label the trained model has no column for.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.config import load_settings
from pipeline.errors import ConfigError
from pipeline.extract.context import load_context_rules
from pipeline.extract.lemmas import shared
from pipeline.extract.rules import RuleTagger
from pipeline.extract.tagger import Tagger
from pipeline.extract.taxonomy import LearningPointCues, load_taxonomy, parse_taxonomy, shipped_taxonomy_path

RECOMMENDATION = "The review recommends that agencies must share information about risk at the earliest opportunity."
DENIAL = "There was no evidence of domestic abuse or gambling."
ADULT_SUBJECT = "He had struggled with low mood and thoughts of suicide for over a year."

FRAME = """
kinds: [risk_factor, learning_theme]
labels:
  - id: domestic_abuse
    kind: risk_factor
    name: Domestic abuse
    description: Abuse or violence between adults.
    phrases: [domestic abuse, domestic violence]
  - id: gambling
    kind: risk_factor
    name: Gambling
    description: Problem gambling in the household.
    phrases: [gambling, gambling debts]
  - id: child_mental_health
    kind: risk_factor
    name: Child mental health
    description: A child's own mental health.
    phrases: [low mood, thoughts of suicide]
  - id: information_sharing
    kind: learning_theme
    name: Information sharing
    description: Information passing between agencies.
    phrases: [share information, information sharing]
"""
"""A frame with no `learning_point:` block and child_mental_health without parental_mental_health."""

TAXONOMY_LOG = "pipeline.extract.taxonomy"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _project(root: Path, taxonomy: str) -> Path:
    """A project folder of its own (configs/settings.yaml) whose settings name `taxonomy`; no trained model."""
    return _write(root / "configs" / "settings.yaml",
                  f"store: {root / 'scr.db'}\ntaxonomy: {taxonomy}\n"
                  f"extract:\n  model_dir: {root / 'no-model'}\nembed:\n  model: hashing-64\n")


def _tag_json(config: Path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["--config", str(config), "tag", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- 1. learning-point cues of a configured frame

def test_a_configured_frame_without_cues_finds_learning_points_as_with_taxonomy(tmp_path):
    """A frame with no learning_point block: a clear recommendation is a learning point whether the frame is
    the configured taxonomy or given with --taxonomy under the default settings (was: 0.20 when configured)."""
    frame = _write(tmp_path / "mine" / "configs" / "frame.yaml", FRAME)
    configured = _project(tmp_path / "mine", "configs/frame.yaml")
    default = _project(tmp_path / "plain", "configs/taxonomy.yaml")  # falls back to the shipped taxonomy

    as_configured = _tag_json(configured, RECOMMENDATION)
    as_option = _tag_json(default, "--taxonomy", str(frame), RECOMMENDATION)
    assert as_configured["learning_point"] is True, as_configured
    assert as_option["learning_point"] is True, as_option
    assert as_configured["labels"] == as_option["labels"] == ["information_sharing"]

    # the same cues, the same version; and through `scr extract` the sentence is counted as a learning point
    settings = load_settings(configured)
    tagger = Tagger.from_settings(settings, use_model=False)
    option = Tagger.from_settings(load_settings(default), taxonomy_path=frame, use_model=False)
    assert tagger.version == option.version
    from pipeline.extract.run import extract_pending
    from pipeline.store import connect
    from tests.helpers.extract import insert_document

    conn = connect(settings.store_path)
    try:
        insert_document(conn, "f" * 64, [(RECOMMENDATION, "Recommendations"), ("The family moved in 2019.", None)])
        report = extract_pending(conn, settings, tagger)
    finally:
        conn.close()
    assert report.sentences_tagged == 2 and report.learning_points == 1


def test_the_rules_version_names_the_learning_point_cues_in_use(tmp_path):
    """One version string never stands for two learning-point behaviours: a frame's borrowed cues are part of
    the version; a taxonomy's own cues are covered by its hash (the shipped taxonomy's version is unchanged)."""
    frame = load_taxonomy(_write(tmp_path / "frame.yaml", FRAME))
    shipped = load_taxonomy(shipped_taxonomy_path())
    borrowed = RuleTagger(frame)
    none = RuleTagger(frame, learning_cues=LearningPointCues(bias=-2.0))
    assert borrowed.learning_cues == shipped.learning_point
    assert borrowed.version != none.version
    assert borrowed.version == RuleTagger(frame, learning_cues=shipped.learning_point).version
    assert re.fullmatch(r"rules-\d+\.[0-9a-f]{12}\.[0-9a-f]{12}", RuleTagger(shipped).version)
    own = load_taxonomy(_write(tmp_path / "own.yaml", FRAME + "learning_point:\n  bias: -1.0\n"))
    assert not RuleTagger(own).version.count(".lp")


# ---------------------------------------------------------------- 2. a frame that renames the risk kind

def test_a_frame_with_no_risk_factor_label_warns_once_that_denials_are_not_recognised(tmp_path, caplog):
    renamed = FRAME.replace("kinds: [risk_factor, learning_theme]", "kinds: [risk, practice, protective_factor]")
    renamed = renamed.replace("kind: risk_factor", "kind: risk").replace("kind: learning_theme", "kind: practice")
    path = _write(tmp_path / "frame3.yaml", renamed)
    with caplog.at_level(logging.WARNING, logger=TAXONOMY_LOG):
        taxonomy = load_taxonomy(path)
        load_taxonomy(path)  # loaded again (tag, extract, briefing): still one line
    warned = [r.getMessage() for r in caplog.records if r.name == TAXONOMY_LOG]
    assert len(warned) == 1, warned
    assert str(path) in warned[0] and "risk_factor" in warned[0]
    assert "no evidence of" in warned[0] and "risk grid" in warned[0]
    # what the warning says: the denial is not recognised for a label of kind `risk`
    denied = RuleTagger(taxonomy).tag([DENIAL])[0]
    assert {"domestic_abuse", "gambling"} <= denied.affirmed and not denied.negated

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=TAXONOMY_LOG):
        kept = load_taxonomy(_write(tmp_path / "frame.yaml", FRAME))
        load_taxonomy(shipped_taxonomy_path())
    assert not [r for r in caplog.records if r.name == TAXONOMY_LOG]
    assert RuleTagger(kept).tag([DENIAL])[0].negated == {"domestic_abuse", "gambling"}


# ---------------------------------------------------------------- 3. the subject-age rule stays inside the frame

def test_the_subject_rule_never_moves_a_tag_to_a_label_outside_the_frame(tmp_path, settings):
    path = _write(tmp_path / "frame.yaml", FRAME)
    tagger = Tagger.from_settings(settings, taxonomy_path=path, use_model=False)
    tagged = tagger.tag([ADULT_SUBJECT], subject_ages=[47.0])[0]
    assert "parental_mental_health" not in tagger.taxonomy
    assert tagged.labels == ("child_mental_health",)
    assert {t.label for t in tagged.tags} <= set(tagger.taxonomy.ids)
    assert set(tagged.scores) == set(tagger.taxonomy.ids)
    # the shipped taxonomy has both labels: there an adult subject's own mental health still moves
    shipped = Tagger.from_settings(settings, use_model=False)
    moved = shipped.tag([ADULT_SUBJECT], subject_ages=[47.0])[0]
    assert "parental_mental_health" in moved.labels and "child_mental_health" not in moved.labels
    assert ".s1+" in shipped.version and ".s1+" not in tagger.version  # the rule's part says whether it acts


# ---------------------------------------------------------------- 4. a label the rules can never tag

def test_a_label_without_rule_words_loads_with_a_warning_naming_it(tmp_path, caplog):
    text = FRAME + """  - id: resilience
    kind: learning_theme
    name: Resilience
    description: No words yet.
    phrases: []
  - id: bare
    kind: learning_theme
    name: Bare
    description: Nothing at all.
"""
    path = _write(tmp_path / "frame.yaml", text)
    with caplog.at_level(logging.WARNING, logger=TAXONOMY_LOG):
        taxonomy = load_taxonomy(path)
    warned = [r.getMessage() for r in caplog.records if r.name == TAXONOMY_LOG]
    assert "resilience" in taxonomy and "bare" in taxonomy
    assert len(warned) == 2, warned
    for label, line in zip(("resilience", "bare"), warned):
        assert str(path) in line and f"label {label} " in line and "never" in line


# ---------------------------------------------------------------- 5. where a broken frame is broken

def test_a_yaml_error_names_line_and_column(tmp_path):
    broken = FRAME.replace("    name: Gambling\n", "    name: Gambling: problem\n")
    line = broken.splitlines().index("    name: Gambling: problem") + 1
    with pytest.raises(ConfigError, match=rf"my_frame\.yaml: not valid YAML at line {line}, column 19 "
                                          r"\(mapping values are not allowed here\)"):
        parse_taxonomy(broken, "my_frame.yaml")
    rules = _write(tmp_path / "context.yaml", "rules:\n  - category: negated\n    phrases: [no evidence of\n")
    with pytest.raises(ConfigError, match=r"context\.yaml: not valid YAML at line \d+, column \d+ \("):
        load_context_rules(shared(), rules)


def test_a_bad_token_pattern_names_its_position(tmp_path):
    text = FRAME.replace("    phrases: [gambling, gambling debts]\n", """    patterns:
      - [{LEMMA: bet}]
      - [{LEMMA: gamble, OP: "{x}"}]
      - [{LEMMA: casino}]
""")
    taxonomy = load_taxonomy(_write(tmp_path / "frame.yaml", text))
    with pytest.raises(ConfigError, match=r"frame\.yaml: label gambling: pattern 2 of 3: not a valid token pattern"):
        RuleTagger(taxonomy)
    with pytest.raises(ConfigError, match=r"label gambling: pattern 3 of 3: unknown token attribute 'COLOUR'"):
        parse_taxonomy(text.replace("{LEMMA: casino}", "{COLOUR: red}"), "frame.yaml")
    rules = _write(tmp_path / "context.yaml", "rules:\n  - category: negated\n    patterns:\n"
                                              "      - [{LOWER: \"no\"}]\n      - [{LOWER: none, OP: \"{x}\"}]\n")
    with pytest.raises(ConfigError, match=r"rules\[0\]\.patterns: pattern 2 of 2: not a valid token pattern"):
        load_context_rules(shared(), rules)


# ---------------------------------------------------------------- 6. provenance of a label the model never saw

def _toy_model(labels: tuple[str, ...], embedder) -> object:
    """A real (tiny) trained model over `labels` on hashed word vectors, in the shape train.py saves."""
    from pipeline.extract.features import rule_features
    from pipeline.extract.model import ThresholdedMultiLabel, TrainedModel

    rows = ([(f"Police were called to a domestic abuse incident at the address number {i}.", (1, 0)) for i in range(12)]
            + [(f"Agencies did not share information about the family in meeting {i}.", (0, 1)) for i in range(12)]
            + [(f"The family moved to a new flat in the spring of year {i}.", (0, 0)) for i in range(12)])
    X = embedder.embed([text for text, _ in rows])
    Y = np.array([y for _, y in rows], dtype=np.int64)
    groups = [f"doc-{i % 6}" for i in range(len(rows))]
    lab = ThresholdedMultiLabel(n_splits=3).fit(np.hstack([X, rule_features(None, labels, len(X))]), Y, groups=groups)
    lp = ThresholdedMultiLabel(n_splits=3).fit(np.hstack([X, np.zeros((len(X), 3))]), Y[:, 1:], groups=groups)
    return TrainedModel(labels, lab, lp, "toy-frame", uses_rules=False, embedder=embedder.name)


def test_a_label_the_model_has_no_column_for_comes_from_the_rules(tmp_path):
    from pipeline.embed.base import HashingEmbedder

    taxonomy = load_taxonomy(_write(tmp_path / "frame.yaml", FRAME))
    embedder = HashingEmbedder(64)
    model = _toy_model(("domestic_abuse", "information_sharing"), embedder)
    tagger = Tagger(taxonomy, RuleTagger(taxonomy), model, embedder)
    tagged = tagger.tag(["Police were called to a domestic abuse incident; he had gambling debts."])[0]
    by_label = {t.label: t for t in tagged.tags}
    assert {"domestic_abuse", "gambling"} <= set(tagged.labels), tagged
    assert by_label["gambling"].source == "rule"  # was "both": the model has no gambling column
    assert by_label["gambling"].score == tagged.scores["gambling"] == 0.9  # the rule's score
    assert by_label["domestic_abuse"].source in ("both", "model")


@pytest.mark.slow
def test_cli_shows_a_label_outside_the_shipped_model_as_rule(tmp_path, repo_root):
    """The shipped 26 labels plus gambling, with the trained tagger (real embedder): gambling is 'rule'."""
    config = repo_root / "configs" / "settings.yaml"
    if Tagger.from_settings(load_settings(config), use_model=True).model is None:
        pytest.skip("no trained model in models/tagger (run `scr train`)")
    text = shipped_taxonomy_path().read_text(encoding="utf-8")
    cut = text.index("\nlearning_point:")
    frame = _write(tmp_path / "frame26g.yaml", text[:cut] + """
  - id: gambling
    kind: risk_factor
    name: Gambling
    description: Problem gambling in the household.
    phrases: [gambling, gambling debts]
""" + text[cut:])
    result = CliRunner().invoke(app, ["--config", str(config), "tag", "--taxonomy", str(frame),
                                      "Her father had gambling debts and drank heavily."])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if row.strip().startswith("gambling "))
    assert re.search(r"present\s+0\.90 rule\s", line), line
