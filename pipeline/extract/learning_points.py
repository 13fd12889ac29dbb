"""Rule cues for the learning-point flag: does a sentence state a finding, lesson, concern or
recommendation, or narrate events? The words and weights live in the taxonomy's `learning_point` block;
the score is a logistic of the weights of the cue groups present, the section heading and a date opening.
"""

from __future__ import annotations

import math
import re

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.extract.lemmas import LemmaPipeline
from pipeline.extract.taxonomy import LearningPointCues

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_OPENING = re.compile(
    rf"^\W*(on|in|by|during|from|between|at|early|late|later|mid|around|until|over|throughout|that)?\b[^.]{{0,30}}?"
    rf"\b(\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|({_MONTHS})\s+\d{{4}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(19|20)\d\d\b)",
    re.IGNORECASE,
)


class LearningPointScorer:
    def __init__(self, cues: LearningPointCues, lemmas: LemmaPipeline) -> None:
        self.cues = cues
        self._matcher = PhraseMatcher(lemmas.vocab, attr="NORM")
        self._weights: dict[str, float] = {}
        for prefix, groups in (("cue", cues.cues), ("narr", cues.narrative)):
            for i, group in enumerate(groups):
                key = f"lp_{prefix}{i}"
                self._weights[key] = group.weight
                self._matcher.add(key, list(lemmas.pipe(group.phrases)))

    def _section_weight(self, section: str | None) -> float:
        if not section:
            return 0.0
        heading = re.sub(r"^[\d.\s]+", "", section.lower()).strip()
        if any(word in heading for word in self.cues.sections):
            return self.cues.section_weight
        if any(word in heading for word in self.cues.narrative_sections):
            return self.cues.narrative_section_weight
        return 0.0

    def score(self, doc: Doc, section: str | None = None) -> float:
        """0..1: how strongly the rule cues say this sentence is a learning point."""
        counts: dict[str, int] = {}
        for match_id, _start, _end in self._matcher(doc):
            key = doc.vocab.strings[match_id]
            counts[key] = counts.get(key, 0) + 1
        total = self.cues.bias
        for key, n in counts.items():
            total += self._weights[key] * (1.0 if n == 1 else 1.4)
        if DATE_OPENING.match(doc[:12].text):
            total += self.cues.date_weight
        total += self._section_weight(section)
        return 1.0 / (1.0 + math.exp(-total))
