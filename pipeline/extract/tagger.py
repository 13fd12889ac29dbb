"""The tagger: rules with assertion context, fused with the learned model when one is trained.

`Tagger.from_settings(settings)` loads the taxonomy, compiles the rules, and loads models/tagger/ (and the
embedder) only when a trained model exists; without one the rules decide alone. `tag(texts)` returns
records.TaggedSentence in the shape of ../shared/TAXONOMY.md's evaluation format.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from pipeline.config import Settings
from pipeline.extract.card import labels_outside
from pipeline.extract.rules import RuleResult, RuleTagger
from pipeline.extract.subject import version_for as subject_version, whose_mental_health
from pipeline.extract.taxonomy import Taxonomy, load_taxonomy
from pipeline.records import Tag, TaggedSentence


class Tagger:
    def __init__(self, taxonomy: Taxonomy, rules: RuleTagger | None = None, model: Any = None, embedder: Any = None,
                 conn: sqlite3.Connection | None = None, learning_threshold: float = 0.5,
                 default_learning_cues: Any = None) -> None:
        self.taxonomy = taxonomy
        self.rules = rules or RuleTagger(taxonomy, learning_cues=default_learning_cues)
        self.model = model
        self.embedder = embedder
        self.conn = conn
        self.learning_threshold = learning_threshold
        if model is not None and embedder is None:
            raise ValueError("a tagger with a model needs an embedder")

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Any = None, taxonomy_path: Path | None = None,
                      conn: sqlite3.Connection | None = None, use_model: bool = True) -> "Tagger":
        """Load the configured taxonomy (or `taxonomy_path`), the rules and, when trained, the model.

        Learning-point cues: the frame's own `learning_point:` block, else the configured taxonomy's (for a
        `taxonomy_path` frame), else the shipped taxonomy's (RuleTagger's fallback), so a frame without cues
        finds the same learning points whether it is configured or passed with --taxonomy."""
        default_path = settings.path(settings.taxonomy)
        path = Path(taxonomy_path) if taxonomy_path else default_path
        taxonomy = load_taxonomy(path)
        cues = taxonomy.learning_point
        if cues is None and path.resolve() != default_path.resolve() and default_path.is_file():
            cues = load_taxonomy(default_path).learning_point
        rules = RuleTagger(taxonomy, learning_cues=cues, context_path=settings.path(settings.extract.context_rules))
        model = None
        if use_model:
            from pipeline.extract.model import load_model

            model = load_model(settings.path(settings.extract.model_dir))
            if model is not None and labels_outside(model.labels, taxonomy.ids):
                model = None  # a coding frame that drops labels the model knows: its features would not fit
        if model is not None and embedder is None:
            from pipeline.embed.model import load_embedder

            embedder = load_embedder(settings.embed)
        return cls(taxonomy, rules, model, embedder, conn, settings.extract.learning_point_threshold)

    @property
    def model_version(self) -> str:
        return getattr(self.model, "version", None) or "rules-only"

    @property
    def version(self) -> str:
        """Changes when the taxonomy, the learning-point cues, the context rules, the rule code, the subject rule
        (as it applies to this taxonomy) or the model change."""
        return f"{self.rules.version}.s{subject_version(self.taxonomy)}+{self.model_version}"

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        if self.conn is not None:
            from pipeline.embed.cache import embed_cached

            return embed_cached(self.conn, self.embedder, texts)
        return self.embedder.embed(list(texts))

    def tag(self, texts: Sequence[str], sids: Sequence[str | None] | None = None,
            sections: Sequence[str | None] | None = None,
            subject_ages: Sequence[float | None] | None = None) -> list[TaggedSentence]:
        """Tag sentences in one batch (one embedding call when a model is loaded). `subject_ages`, where the
        document's subject age is known, settles whose mental health a sentence means (subject.py)."""
        texts = list(texts)
        if sids is not None and len(sids) != len(texts):
            raise ValueError("sids must align with texts")
        if subject_ages is not None and len(subject_ages) != len(texts):
            raise ValueError("subject_ages must align with texts")
        rule_results = self.rules.tag(texts, sections)
        verdicts = None
        if self.model is not None and texts:
            verdicts = self.model.predict(self._vectors(texts), rule_results, sections, texts)
        out = []
        for i, (text, rule) in enumerate(zip(texts, rule_results)):
            sid = sids[i] if sids is not None else None
            tagged = self._combine(sid, text, rule, verdicts[i] if verdicts is not None else None)
            if subject_ages is not None:
                tagged = whose_mental_health(tagged, subject_ages[i], self.taxonomy)
            out.append(tagged)
        return out

    def _combine(self, sid: str | None, text: str, rule: RuleResult, verdict: Any) -> TaggedSentence:
        if verdict is None:
            labels = set(rule.affirmed)
            scores = rule.scores
            lp_score = rule.learning_point_score
            lp = lp_score >= self.learning_threshold
        else:
            model_labels = set(getattr(self.model, "labels", ()))
            # labels the model does not know (a researcher's added labels) are decided by the rules
            labels = set(verdict.labels) | {label for label in rule.affirmed if label not in model_labels}
            labels &= set(self.taxonomy.ids)  # (a label the rules saw only denied: the model's verdict decides it)
            scores = {label: float(verdict.scores.get(label, 0.0)) for label in self.taxonomy.ids if label in model_labels}
            scores.update({label: s for label, s in rule.scores.items() if label not in model_labels})
            lp, lp_score = bool(verdict.learning_point), float(verdict.learning_point_score)
        negated = {label for label in rule.negated if label not in labels}
        tags = self._tags(rule, labels, scores, set(getattr(self.model, "labels", ())) if verdict is not None else set())
        ordered = [label for label in self.taxonomy.ids if label in labels]
        return TaggedSentence(
            sid=sid, text=text, labels=tuple(ordered),
            negated=tuple(label for label in self.taxonomy.ids if label in negated),
            learning_point=lp, learning_point_score=round(lp_score, 4),
            # every label of the coding frame, 0.0 where nothing spoke for it: one column per label downstream
            scores={label: round(float(scores.get(label, 0.0)), 4) for label in self.taxonomy.ids},
            tags=tags,
        )

    def _tags(self, rule: RuleResult, labels: set[str], scores: dict[str, float], model_labels: set[str]) -> tuple[Tag, ...]:
        """One tag per label, as the store keeps them: an affirmed label is assertion 'present' (its evidence span
        from the deciding rule mention, source rule/both, or model-only without a span); a label the sentence
        mentions without affirming keeps the rules' assertion (negated, other_person, or hypothetical/historical
        where those do not affirm). A rule mention the model rejected is dropped. `model_labels`: the labels the
        model gave a verdict on (empty in rules-only mode); any other label is the rules' alone (source 'rule',
        the rule's score), even with a model loaded."""
        out = []
        for label in self.taxonomy.ids:
            mention = rule.best_tag(label)
            if label in labels:
                score = round(float(scores.get(label, mention.score if mention else 0.0)), 4)
                if mention is None:
                    out.append(Tag(label, self.taxonomy.kind_of(label), score, "present", None, None, "model"))
                    continue
                by_rules = label in rule.affirmed
                source = ("both" if by_rules else "model") if label in model_labels else "rule"
                out.append(Tag(label, mention.kind, score, "present", mention.start, mention.end, source))
            elif mention is not None and mention.assertion != "present" and label not in rule.affirmed:
                out.append(Tag(label, mention.kind, round(mention.score, 4), mention.assertion, mention.start,
                               mention.end, "rule"))
        return tuple(out)
