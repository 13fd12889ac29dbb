"""Taxonomy loading: the label contract, validation errors that name the problem, a custom coding frame."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.rules import RuleTagger
from pipeline.extract.taxonomy import load_taxonomy, parse_taxonomy

REPO = Path(__file__).resolve().parents[1]
SHARED_TAXONOMY = REPO.parent / "shared" / "TAXONOMY.md"

MINIMAL = """
kinds: [risk_factor, learning_theme]
labels:
  - id: animal_cruelty
    kind: risk_factor
    name: Animal cruelty
    description: Harm to pets in the household.
    phrases: [animal cruelty, kicked the dog, RSPCA]
  - id: information_sharing
    kind: learning_theme
    name: Information sharing
    description: Information between agencies.
    phrases: [information sharing]
"""


def test_project_taxonomy_has_the_26_contract_labels():
    taxonomy = load_taxonomy(REPO / "configs" / "taxonomy.yaml")
    assert len(taxonomy.ids) == 26
    assert taxonomy.learning_point is not None
    if SHARED_TAXONOMY.is_file():
        contract = re.findall(r"^\| ([a-z_]+) \|", SHARED_TAXONOMY.read_text(), flags=re.M)
        contract = [c for c in contract if c != "id"]
        assert sorted(contract) == sorted(taxonomy.ids)
        for label in taxonomy.labels:
            expected = "risk_factor" if contract.index(label.id) < 14 else "learning_theme"
            assert label.kind == expected, label.id


@pytest.mark.parametrize("text,needle", [
    (MINIMAL.replace("    phrases: [animal cruelty", "    colour: red\n    phrases: [animal cruelty"), "unknown key 'colour'"),
    (MINIMAL.replace("kind: risk_factor", "kind: risk_factors"), "unknown kind 'risk_factors'"),
    (MINIMAL.replace("id: animal_cruelty", "id: Animal Cruelty"), "lower_snake_case"),
    (MINIMAL.replace("phrases: [animal cruelty,", "phrases: [no,"), "quote words"),
    (MINIMAL + "extra: 1\n", "unknown key 'extra'"),
    (MINIMAL.replace("  - id: information_sharing", "  - id: animal_cruelty"), "defined twice"),
    (MINIMAL.replace("phrases: [information sharing]", "patterns: [[{LEMMA: share, COLOUR: x}]]"), "COLOUR"),
    (MINIMAL.replace("phrases: [information sharing]", "weak: [sharing]"), "requires"),
])
def test_validation_errors_name_the_problem(text, needle):
    with pytest.raises(ConfigError, match=re.escape(needle)):
        parse_taxonomy(text, "my_frame.yaml")


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_custom_coding_frame_drives_the_rules(tmp_path):
    path = tmp_path / "frame.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids == ("animal_cruelty", "information_sharing")
    rules = RuleTagger(taxonomy)
    hit, denied, other = rules.tag([
        "Neighbours saw him when he kicked the dog in the garden.",
        "There was no evidence of animal cruelty.",
        "There was no evidence of domestic abuse.",
    ])
    assert hit.affirmed == {"animal_cruelty"}
    assert denied.negated == {"animal_cruelty"} and not denied.affirmed
    assert not other.tags  # labels outside the frame are never produced
    assert load_taxonomy(path).version == taxonomy.version
    path.write_text(MINIMAL.replace("RSPCA", "RSPCA, animal welfare"), encoding="utf-8")
    assert load_taxonomy(path).version != taxonomy.version
