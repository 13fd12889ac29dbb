"""Whose mental health: the document's subject decides between child_mental_health and parental_mental_health.

A sentence such as "He had been struggling with his mental health for a year" is about the subject of
the review or inquest, and only the document says whether that subject is a young person or an adult. The
coding convention (corpus/annotations/README.md) puts a young person's own mental health, up to their
early twenties, under child_mental_health, and an adult subject's under parental_mental_health. The
sentence tagger cannot see the subject; `scr extract` can, from the subject age the ingest stage found:

    tagged = whose_mental_health(tagged, subject_age=16.0, frame=taxonomy)

- subject aged from YOUNG_PERSON_FROM to below YOUNG_PERSON_UNTIL, a parental_mental_health tag on a
  sentence that names no parent or carer becomes child_mental_health (a review of a baby's death talks about
  the mother as "she": there the label stays parental);
- subject YOUNG_PERSON_UNTIL or older, a child_mental_health tag on a sentence that names no child, pupil
  or child service becomes parental_mental_health;
- age unknown, or both labels already affirmed: nothing changes;
- a coding frame (`frame`, the taxonomy in use) without the label a tag would move to: nothing changes (a
  label outside the frame never reaches the store), so the rule acts only for frames with both labels
  (`version_for` tells the tagger version whether it does).

Only an affirmed label moves, with its score and evidence span; a denied or hypothetical mention of the label
it moves to gives way to it, and every other tag stays as the tagger found it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

from pipeline.records import Tag, TaggedSentence

VERSION = "1"
"""Part of the tagger version: changing these rules re-tags the store."""
OFF = "0"
"""The version part for a coding frame the rule does not act on (it lacks one of the two labels)."""
YOUNG_PERSON_FROM = 10.0
"""Below this age a subject's own mental illness is rare and the unnamed "she" of a sentence is a parent."""
YOUNG_PERSON_UNTIL = 25.0
"""The convention's "young person (up to their early twenties, a care leaver)"."""
PARENTAL = "parental_mental_health"
CHILD = "child_mental_health"

_PARENT = re.compile(
    r"\b(mother|mothers|mum|father|fathers|dad|parent|parents|parental|carer|carers|step-?father|step-?mother|"
    r"post-?natal|perinatal|antenatal|maternal|paternal)\b", re.I)
_CHILD = re.compile(
    r"\b(son|daughter|child|children|baby|infant|toddler|pupil|pupils|school|CAMHS|adolescent|teenage|teenager|"
    r"paediatric|young person)\b", re.I)


class Frame(Protocol):
    """What the rule needs of the taxonomy in use (pipeline.extract.taxonomy.Taxonomy is one)."""

    def __contains__(self, label: object) -> bool: ...

    def kind_of(self, label: str) -> str: ...


def version_for(frame: Frame) -> str:
    """The subject rule's part of the tagger version for this coding frame: VERSION where it can move a label
    (the frame has both labels), OFF where it leaves every sentence as tagged."""
    return VERSION if PARENTAL in frame and CHILD in frame else OFF


def whose_mental_health(tagged: TaggedSentence, subject_age: float | None, frame: Frame) -> TaggedSentence:
    """`tagged` with its mental-health label moved to the subject's side (see the module docstring); a label
    moves only to a label of `frame`, the taxonomy in use."""
    if subject_age is None or version_for(frame) == OFF:
        return tagged
    labels = set(tagged.labels)
    if PARENTAL in labels and CHILD in labels:
        return tagged
    if YOUNG_PERSON_FROM <= subject_age < YOUNG_PERSON_UNTIL and PARENTAL in labels and not _PARENT.search(tagged.text):
        return _move(tagged, PARENTAL, CHILD, frame.kind_of(CHILD))
    if subject_age >= YOUNG_PERSON_UNTIL and CHILD in labels and not _CHILD.search(tagged.text):
        return _move(tagged, CHILD, PARENTAL, frame.kind_of(PARENTAL))
    return tagged


def _move(tagged: TaggedSentence, old: str, new: str, kind: str) -> TaggedSentence:
    labels = tuple(new if label == old else label for label in tagged.labels)
    tags: list[Tag] = []
    for tag in tagged.tags:
        if tag.label == old and tag.assertion == "present":
            tags.append(replace(tag, label=new, kind=kind))
        elif tag.label == new:
            continue  # a non-affirmed mention of the new label gives way to the affirmed one
        else:
            tags.append(tag)
    scores = dict(tagged.scores)
    scores[new] = max(scores.get(new, 0.0), scores.get(old, 0.0))
    negated = tuple(label for label in tagged.negated if label != new)
    return replace(tagged, labels=labels, tags=tuple(tags), scores=scores, negated=negated)
