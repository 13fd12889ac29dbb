"""Whose mental health: the document's subject age moves the label between child and parental mental health."""

from __future__ import annotations

import pytest

from pipeline.extract.run import extract_pending
from pipeline.extract.subject import whose_mental_health
from pipeline.extract.tagger import Tagger
from pipeline.extract.taxonomy import load_taxonomy, shipped_taxonomy_path
from pipeline.records import Tag, TaggedSentence
from tests.helpers.extract import insert_document

ABOUT_THE_SUBJECT = "He had struggled with low mood and thoughts of suicide for over a year."
FRAME = load_taxonomy(shipped_taxonomy_path())


def _tagged(text: str, labels: tuple[str, ...]) -> TaggedSentence:
    tags = tuple(Tag(label, "risk_factor", 0.8, "present", 0, 5, "both") for label in labels)
    return TaggedSentence(None, text, labels, (), False, 0.1, {label: 0.8 for label in labels}, tags)


@pytest.mark.parametrize("age,before,after", [
    (16.0, "parental_mental_health", "child_mental_health"),
    (19.0, "parental_mental_health", "child_mental_health"),  # a young person, as the coding convention says
    (47.0, "child_mental_health", "parental_mental_health"),  # an adult subject's own mental health
])
def test_the_subject_decides_whose_mental_health(age, before, after):
    moved = whose_mental_health(_tagged(ABOUT_THE_SUBJECT, (before, "risk_assessment")), age, FRAME)
    assert set(moved.labels) == {after, "risk_assessment"}
    assert [t.label for t in moved.tags if t.assertion == "present"] == [after, "risk_assessment"]
    assert moved.scores[after] == 0.8


@pytest.mark.parametrize("text,label,age", [
    ("His mother had been treated for depression since his birth.", "parental_mental_health", 15.0),
    ("Her daughter had been self-harming and was known to CAMHS.", "child_mental_health", 41.0),
    (ABOUT_THE_SUBJECT, "parental_mental_health", None),
    ("She had been prescribed antidepressants after a difficult pregnancy.", "parental_mental_health", 0.3),
])
def test_a_named_parent_or_child_or_an_unknown_age_keeps_the_label(text, label, age):
    tagged = _tagged(text, (label,))
    assert whose_mental_health(tagged, age, FRAME) == tagged


def test_both_labels_affirmed_stay_as_they_are():
    tagged = _tagged(ABOUT_THE_SUBJECT, ("parental_mental_health", "child_mental_health"))
    assert whose_mental_health(tagged, 16.0, FRAME) == tagged


def test_extract_uses_the_documents_subject_age(store, settings):
    """Through `extract_pending`: the same sentence lands on the child's side for a 15-year-old subject and
    on the adult's side for a 52-year-old one (rules only, so the check does not hang on a model's score)."""
    young = insert_document(store, "c" * 64, [(ABOUT_THE_SUBJECT, "Circumstances of the death")])
    adult = insert_document(store, "d" * 64, [(ABOUT_THE_SUBJECT, "Circumstances of the death")])
    unknown = insert_document(store, "e" * 64, [(ABOUT_THE_SUBJECT, "Circumstances of the death")])
    store.execute("UPDATE documents SET subject_age = 15 WHERE doc_id = ?", ("c" * 64,))
    store.execute("UPDATE documents SET subject_age = 52 WHERE doc_id = ?", ("d" * 64,))
    tagger = Tagger.from_settings(settings, use_model=False)
    plain = tagger.tag([ABOUT_THE_SUBJECT])[0]
    assert {"child_mental_health", "parental_mental_health"} & set(plain.labels), plain.labels
    extract_pending(store, settings, tagger)
    affirmed = {}
    for sid, label in store.execute("SELECT sentence_id, label FROM tags WHERE assertion = 'present'"):
        affirmed.setdefault(sid, set()).add(label)
    mental = {"child_mental_health", "parental_mental_health"}
    assert affirmed[young[0]] & mental == {"child_mental_health"}
    assert affirmed[adult[0]] & mental == {"parental_mental_health"}
    assert affirmed[unknown[0]] & mental == set(plain.labels) & mental
