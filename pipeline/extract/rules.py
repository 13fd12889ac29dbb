"""The rule layer: spaCy PhraseMatcher and Matcher rules generated from the taxonomy, assertion context for
every mention, and the rule cue for learning points.

`RuleTagger(taxonomy).tag(texts, sections)` returns one RuleResult per sentence: every label mention
(records.Tag with assertion and evidence offsets into the sentence), the affirmed and the denied labels,
and a learning-point score from the rule cues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from pipeline.errors import ConfigError
from pipeline.extract.context import ContextRules, pattern_problem, load_context_rules
from pipeline.extract.learning_points import LearningPointScorer
from pipeline.extract.lemmas import LemmaPipeline, shared
from pipeline.extract.prefilter import FilteredMatcher
from pipeline.extract.taxonomy import LearningPointCues, Taxonomy, cue_digest, shipped_learning_cues
from pipeline.records import Tag

RULES_VERSION = "rules-3"
SCORE_STRONG = 0.9
SCORE_PATTERN = 0.85
SCORE_WEAK = 0.7
SCORE_ADDED = 0.8


@dataclass(frozen=True)
class RuleResult:
    tags: tuple[Tag, ...]
    """Every label mention (one per non-overlapping evidence span) with its assertion."""
    learning_point_score: float
    affirmed: frozenset[str] = field(default_factory=frozenset)
    """Labels with at least one mention whose assertion affirms the label (present, historical, hypothetical)."""
    negated: frozenset[str] = field(default_factory=frozenset)
    """Risk factors mentioned only to deny them."""

    def best_tag(self, label: str) -> Tag | None:
        """The mention that decides the label: an affirmed one first, else the first mention."""
        mentions = [t for t in self.tags if t.label == label]
        if not mentions:
            return None
        affirmed = [t for t in mentions if t.label in self.affirmed and t.assertion not in ("negated", "other_person")]
        return max(affirmed or mentions, key=lambda t: t.score)

    @property
    def scores(self) -> dict[str, float]:
        """Rule score per affirmed label."""
        return {label: max(t.score for t in self.tags if t.label == label) for label in sorted(self.affirmed)}


def _translate(pattern: tuple[dict, ...]) -> list[dict]:
    return [{("NORM" if k == "LEMMA" else k): v for k, v in token.items()} for token in pattern]


class RuleTagger:
    """Compiles the taxonomy's words into spaCy matchers once; `tag` runs them over many sentences."""

    def __init__(self, taxonomy: Taxonomy, context_rules: ContextRules | None = None,
                 learning_cues: LearningPointCues | None = None, lemmas: LemmaPipeline | None = None,
                 context_path: Path | None = None) -> None:
        self.taxonomy = taxonomy
        self.lemmas = lemmas or shared()
        self.context = context_rules or load_context_rules(self.lemmas, context_path)
        # a frame without its own learning_point block uses the cues it is given, else the shipped taxonomy's
        cues = learning_cues or taxonomy.learning_point or shipped_learning_cues() or LearningPointCues()
        self.learning_cues = cues
        self.learning = LearningPointScorer(cues, self.lemmas)
        self._phrases = PhraseMatcher(self.lemmas.vocab, attr="NORM")
        self._patterns = FilteredMatcher(self.lemmas.vocab)
        self._requires: dict[str, frozenset[str]] = {}
        for label in taxonomy.labels:
            if label.phrases:
                self._phrases.add(f"{label.id}|s", list(self.lemmas.pipe(label.phrases)))
            if label.weak:
                self._phrases.add(f"{label.id}|w", list(self.lemmas.pipe(label.weak)))
                self._requires[label.id] = self.lemmas.lemma_words(label.requires)
            if label.exclude:
                self._phrases.add(f"{label.id}|x", list(self.lemmas.pipe(label.exclude)))
            for i, pattern in enumerate(label.patterns, 1):
                try:
                    self._patterns.add(f"{label.id}|p", [_translate(pattern)])
                except (ValueError, TypeError, KeyError) as exc:
                    raise ConfigError(
                        f"{taxonomy.path}: label {label.id}: pattern {i} of {len(label.patterns)}: not a valid token "
                        f"pattern ({pattern_problem(exc)}): {list(pattern)}"
                    ) from None
        # the taxonomy's hash covers its own cues; cues from elsewhere (another taxonomy, the shipped one, none)
        # are named by their digest, so one version string never stands for two learning-point behaviours
        borrowed = "" if cues == taxonomy.learning_point else f".lp{cue_digest(cues)}"
        self.version = f"{RULES_VERSION}.{taxonomy.version}.{self.context.version}{borrowed}"

    def _mentions(self, doc: Doc) -> dict[str, list[tuple[int, int, float]]]:
        strings = doc.vocab.strings
        spans: dict[str, list[tuple[int, int, float]]] = {}
        excluded: dict[str, list[tuple[int, int]]] = {}
        norms = None
        matches = list(self._phrases(doc)) + (list(self._patterns(doc)) if len(self._patterns) else [])
        for match_id, start, end in matches:
            label, how = strings[match_id].rsplit("|", 1)
            if how == "x":
                excluded.setdefault(label, []).append((start, end))
                continue
            if how == "w":
                if norms is None:
                    norms = doc.user_data.get("words") or {t.norm_ for t in doc}
                if not (self._requires[label] & norms):
                    continue
            score = {"s": SCORE_STRONG, "p": SCORE_PATTERN, "w": SCORE_WEAK}[how]
            spans.setdefault(label, []).append((start, end, score))
        for label, found in list(spans.items()):
            bad = excluded.get(label, ())
            kept = [m for m in found if not any(m[0] < xe and xs < m[1] for xs, xe in bad)]
            if not kept:
                del spans[label]
                continue
            # longest non-overlapping spans; keep the best score per kept span
            chosen = filter_spans([doc[s:e] for s, e, _ in kept])
            best = {}
            for s, e, sc in kept:
                best[(s, e)] = max(sc, best.get((s, e), 0.0))
            spans[label] = [(sp.start, sp.end, best[(sp.start, sp.end)]) for sp in chosen]
        return spans

    def tag_doc(self, doc: Doc, section: str | None = None) -> RuleResult:
        mentions = self._mentions(doc)
        triggers, terminators = self.context.triggers(doc) if mentions else ([], [])
        tags: list[Tag] = []
        affirmed: set[str] = set()
        mentioned: set[str] = set()
        added: dict[str, tuple[int, int]] = {}
        for label_id in self.taxonomy.ids:
            if label_id not in mentions:
                continue
            label = self.taxonomy.get(label_id)
            assertions = []
            for start, end, score in mentions[label_id]:
                assertion = "present"
                if label.kind in self.context.applies_to_kinds:
                    result = self.context.assert_mention(start, end, triggers, terminators, label.ignore_context,
                                                         gapped=score == SCORE_PATTERN)
                    assertion = result.category
                    for extra in result.adds:
                        if extra in self.taxonomy and extra != label_id and result.adds_span:
                            added.setdefault(extra, result.adds_span)
                assertions.append(assertion)
            assertions = _denial_covers_topic(doc, mentions[label_id], assertions, terminators)
            for (start, end, score), assertion in zip(mentions[label_id], assertions):
                span = doc[start:end]
                tags.append(Tag(label_id, label.kind, score, assertion, span.start_char, span.end_char, "rule"))
                mentioned.add(label_id)
                if assertion in self.context.affirmed:
                    affirmed.add(label_id)
        for label_id, (start, end) in added.items():
            if label_id not in affirmed:
                span = doc[start:end]
                tags.append(Tag(label_id, self.taxonomy.kind_of(label_id), SCORE_ADDED, "present",
                                span.start_char, span.end_char, "rule"))
                affirmed.add(label_id)
                mentioned.add(label_id)
        negated = {t.label for t in tags if t.assertion == "negated"} - affirmed
        return RuleResult(tuple(tags), self.learning.score(doc, section), frozenset(affirmed), frozenset(negated))

    def tag(self, texts: Sequence[str], sections: Sequence[str | None] | None = None) -> list[RuleResult]:
        """One RuleResult per sentence (sections, when given, align with texts and inform learning points)."""
        if sections is not None and len(sections) != len(texts):
            raise ValueError("sections must align with texts")
        results = []
        for i, doc in enumerate(self.lemmas.pipe(texts)):
            results.append(self.tag_doc(doc, sections[i] if sections is not None else None))
        return results


_LIST_GLUE = frozenset({",", "or", "and", "nor", "any", "other", "of", "for", "by", "the", "a", "an", "/"})
"""Tokens that may sit between the items of one denied list ("no record of anxiety, depression or self-harm")."""


def _denial_covers_topic(doc: Doc, spans: Sequence[tuple[int, int, float]], assertions: list[str],
                         terminators: Sequence[int]) -> list[str]:
    """A denial covers the rest of its topic.

    - Earlier mentions in its clause: in "the youth offending team found no evidence that he was involved in
      drug supply" or "the perinatal team found the mother was not depressed", the first mention only names
      the service that made the finding. A present mention before the label's first negated mention becomes
      negated unless a scope terminator ("although", "but", ";") lies between them, so "mother drank
      heavily, although she denied drinking" stays present.
    - Later items of the same list: in "no consultations for anxiety, depression or self-harm" or "not
      under the influence of drink or drugs" the denial reaches every item, however far the list runs, as
      long as only list glue (commas, "or", "and", "nor", articles) lies between a denied item and the next.
    """
    negated_at = [s for (s, _e, _sc), a in zip(spans, assertions) if a == "negated"]
    if not negated_at:
        return assertions
    first = min(negated_at)
    out = list(assertions)
    for i, ((start, end, _score), assertion) in enumerate(zip(spans, assertions)):
        if assertion == "present" and end <= first and not any(end <= t < first for t in terminators):
            out[i] = "negated"
    order = sorted(range(len(spans)), key=lambda k: spans[k][0])
    for prev, cur in zip(order, order[1:]):
        if out[prev] == "negated" and out[cur] == "present":
            gap = doc[spans[prev][1]:spans[cur][0]]
            if len(gap) <= 4 and all(t.lower_ in _LIST_GLUE for t in gap):
                out[cur] = "negated"
    return out
