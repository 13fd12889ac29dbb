"""The rule layer with assertion context, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.rules import RuleTagger
from pipeline.extract.taxonomy import load_taxonomy
from tests.helpers.extract import RULE_CASES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> RuleTagger:
    return RuleTagger(load_taxonomy(REPO / "configs" / "taxonomy.yaml"))


@pytest.mark.parametrize("text,found,denied,absent", RULE_CASES, ids=[c[0][:40] for c in RULE_CASES])
def test_rule_cases(rules, text, found, denied, absent):
    result = rules.tag([text])[0]
    assert found <= result.affirmed, (text, result.affirmed)
    assert denied <= result.negated, (text, result.negated)
    assert not (absent & result.affirmed), (text, result.affirmed)


def test_mentions_carry_assertion_and_evidence(rules):
    text = "Police were called after neighbours heard shouting, but there was no evidence of neglect."
    result = rules.tag([text])[0]
    by_label = {t.label: t for t in result.tags}
    assert by_label["domestic_abuse"].assertion == "present"
    assert by_label["neglect"].assertion == "negated"
    neglect = by_label["neglect"]
    assert text[neglect.start:neglect.end] == "neglect"
    assert result.affirmed == {"domestic_abuse"} and result.negated == {"neglect"}


def test_terminator_ends_a_denial(rules):
    # "no concerns" reaches across "but" only if the scope is not terminated
    result = rules.tag(["There were no concerns at first but the home conditions were squalid."])[0]
    assert "neglect" in result.affirmed


def test_hypothetical_and_historical_are_recorded(rules):
    hypo = rules.tag(["If mother resumed drinking heavily the baby would be at risk."])[0]
    assert any(t.assertion == "hypothetical" for t in hypo.tags if t.label == "parental_substance_misuse")
    past = rules.tag(["In 2010 police attended a domestic incident at the address."])[0]
    assert [t.assertion for t in past.tags if t.label == "domestic_abuse"] == ["historical"]


def test_learning_point_cues_and_sections(rules):
    finding, narrative = rules.tag([
        "The review found that professionals should have shared information sooner.",
        "On 3 March 2019 the health visitor visited the home.",
    ])
    assert finding.learning_point_score >= 0.5 > narrative.learning_point_score
    plain = "Agencies worked separately."
    in_findings, in_chronology = rules.tag([plain, plain], sections=["Findings", "Chronology of events"])
    assert in_findings.learning_point_score > in_chronology.learning_point_score


def test_batch_matches_single(rules):
    texts = [case[0] for case in RULE_CASES]
    batch = rules.tag(texts)
    assert [r.affirmed for r in batch] == [rules.tag([t])[0].affirmed for t in texts]


def test_filtered_matcher_finds_exactly_what_a_plain_matcher_finds(rules):
    from spacy.matcher import Matcher

    from pipeline.extract.prefilter import FilteredMatcher, required_words
    from pipeline.extract.rules import _translate

    patterns = [_translate(p) for label in rules.taxonomy.labels for p in label.patterns]
    assert patterns, "the taxonomy has token patterns"
    plain, filtered = Matcher(rules.lemmas.vocab), FilteredMatcher(rules.lemmas.vocab)
    for i, pattern in enumerate(patterns):
        plain.add(f"p{i}", [pattern])
        filtered.add(f"p{i}", [pattern])
    assert required_words([{"NORM": "police"}, {"OP": "{0,3}"}, {"NORM": {"IN": ["call", "attend"]}}]) == [
        frozenset({"police"}), frozenset({"call", "attend"})]
    texts = [case[0] for case in RULE_CASES] + [
        "Police were called to the home after a row.", "Neighbours heard shouting and reported a fight.",
        "The father was not assessed or involved.", "Information about the risks was never passed to the school."]
    hits = 0
    for doc in rules.lemmas.pipe(texts):
        expected = sorted(plain(doc), key=lambda m: (m[1], m[2], m[0]))
        assert filtered(doc) == expected, doc.text
        hits += len(expected)
    assert hits > 0


@pytest.mark.parametrize("text,label", [
    ("His GP records showed no consultations for anxiety, depression or self-harm at any point.", "child_mental_health"),
    ("He was not under the influence of drink or drugs.", "parental_substance_misuse"),
    ("Domestic abuse was explored by the social worker with each parent separately and was ruled out.", "domestic_abuse"),
    ("The senior investigating officer ruled out gang activity as a factor in the boy's death.", "extrafamilial_exploitation"),
    ("The youth offending team found no evidence that the boy was involved in county lines.", "extrafamilial_exploitation"),
    ("An assessment by the perinatal team found that the mother was not depressed.", "parental_mental_health"),
    ("The examination at the sexual assault referral centre found nothing to indicate abuse.", "sexual_abuse"),
    ("There was nothing in the father's history to indicate mental ill health.", "parental_mental_health"),
])
def test_a_denial_covers_its_topic(rules, text, label):
    """A denial reaches every item of its list and a verdict late in the clause ("... and was ruled out"), and
    a mention that only names the service or examination reporting it is denied with it."""
    result = rules.tag([text])[0]
    assert label in result.negated and label not in result.affirmed, [(t.label, t.assertion) for t in result.tags]


@pytest.mark.parametrize("text", [
    "Mother drank heavily, although she denied drinking when the health visitor asked.",
    "Mother denied any drug use, but hair strand tests showed regular cocaine use.",
])
def test_a_denial_does_not_cross_a_terminator(rules, text):
    """The same label affirmed on the other side of "although"/"but" stays affirmed."""
    result = rules.tag([text])[0]
    assert "parental_substance_misuse" in result.affirmed, [(t.label, t.assertion) for t in result.tags]


def test_a_list_after_a_denial_ends_at_a_new_clause(rules):
    result = rules.tag(["There was no evidence of drug use or neglect; domestic abuse was a constant feature."])[0]
    assert {"parental_substance_misuse", "neglect"} <= result.negated and "domestic_abuse" in result.affirmed


@pytest.mark.parametrize("text,label", [
    ("Police had never been called to the flat before that night.", "domestic_abuse"),
    ("Her partner did not hit her, she told the midwife.", "domestic_abuse"),
    ("Her two older children had not been removed from her care.", "parental_history"),
])
def test_a_negation_inside_a_gapped_pattern_denies_it(rules, text, label):
    """A token pattern with open gaps ("police ... called ... home") swallows a "never" or "not" in its gap;
    that word still denies the mention."""
    result = rules.tag([text])[0]
    assert label in result.negated and label not in result.affirmed, (text, result.tags)


@pytest.mark.parametrize("text,label", [
    ("Police were called to the flat after the neighbours heard screaming.", "domestic_abuse"),
    ("The child was not brought to three appointments and her siblings had been removed.", "parental_history"),
    # a negation that is the pattern's own wording, and a label that ignores denials, stay affirmed
    ("The mother's partner was never assessed by anyone.", "hidden_men"),
])
def test_a_gapped_pattern_without_a_denial_stays_affirmed(rules, text, label):
    assert label in rules.tag([text])[0].affirmed


@pytest.mark.parametrize("text,label,assertion", [
    ("He said he had drunk nothing that evening, and the breath test agreed.", "parental_substance_misuse", "negated"),
    ("By then the father drank nothing but cheap cider.", "parental_substance_misuse", "present"),
    ("The children's immunisations were up to date.", "neglect", "negated"),
    ("The boy's immunisations were not up to date.", "neglect", "present"),
])
def test_denials_right_after_the_word(rules, text, label, assertion):
    tags = [t for t in rules.tag([text])[0].tags if t.label == label]
    assert tags and tags[0].assertion == assertion, (text, tags)
