"""Assertion context for label mentions, ConText-style (Harkema, Chapman et al. 2009), rules as data.

configs/context_rules.yaml holds trigger phrases (and token patterns) with a category (negated,
hypothetical, historical, other_person), a direction (forward, backward, both) and a window in tokens, plus
pseudo-triggers and scope terminators. `ContextRules.assert_mentions(doc, spans)` gives each mention its
assertion. (negspacy 1.1.0 installs with spaCy 3.8 but covers negation only and needs non-overlapping
doc.ents; medspaCy 1.3.1 pins spaCy 3.7: hence this compact implementation.)
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.errors import ConfigError
from pipeline.extract.lemmas import LemmaPipeline
from pipeline.extract.prefilter import FilteredMatcher
from pipeline.extract.taxonomy import yaml_problem

CATEGORIES = ("negated", "hypothetical", "historical", "other_person")
RULE_KEYS = ("category", "direction", "window", "phrases", "patterns", "adds")
TOP_KEYS = ("version", "affirmed", "applies_to_kinds", "priority", "rules")
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "configs" / "context_rules.yaml"


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    category: str
    direction: str
    window: int
    adds: str | None


@dataclass(frozen=True)
class Assertion:
    category: str
    """present, negated, hypothetical, historical or other_person."""
    adds: tuple[str, ...] = ()
    """Labels a trigger in scope gives the sentence as well (e.g. parental_history)."""
    adds_span: tuple[int, int] | None = None


def pattern_problem(exc: Exception) -> str:
    """spaCy's complaint about a token pattern, without its rule-name preamble."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    details = [line.lstrip("- ") for line in lines[1:] if line.startswith("-")]
    return "; ".join(details) or (lines[0] if lines else type(exc).__name__)


def _translate(pattern: list[dict]) -> list[dict]:
    return [{("NORM" if k == "LEMMA" else k): v for k, v in token.items()} for token in pattern]


class ContextRules:
    """Compiled context rules over a LemmaPipeline's vocabulary."""

    def __init__(self, data: dict, lemmas: LemmaPipeline, version: str = "", source: str = "context rules") -> None:
        for key in data:
            if key not in TOP_KEYS:
                raise ConfigError(f"{source}: unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
        self.version = version
        self.affirmed = frozenset(data.get("affirmed", ["present", "historical", "hypothetical"])) | {"present"}
        self.applies_to_kinds = frozenset(data.get("applies_to_kinds", ["risk_factor"]))
        priority = list(data.get("priority", ["negated", "other_person", "hypothetical", "historical"]))
        for item in list(self.affirmed) + priority:
            if item not in CATEGORIES + ("present",):
                raise ConfigError(f"{source}: unknown assertion {item!r} (allowed: present, {', '.join(CATEGORIES)})")
        self._rank = {c: i for i, c in enumerate(priority)}
        self._lemmas = lemmas
        self._phrases = PhraseMatcher(lemmas.vocab, attr="NORM")
        self._patterns = FilteredMatcher(lemmas.vocab)
        self._rules: dict[str, tuple[str, str, int, str | None]] = {}
        for i, rule in enumerate(data.get("rules") or []):
            self._add_rule(i, rule, source)

    def _add_rule(self, i: int, rule: Any, source: str) -> None:
        where = f"{source}: rules[{i}]"
        if not isinstance(rule, dict):
            raise ConfigError(f"{where}: expected a mapping, found {type(rule).__name__}")
        for key in rule:
            if key not in RULE_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(RULE_KEYS)})")
        category = rule.get("category")
        if category not in CATEGORIES + ("pseudo", "terminate"):
            raise ConfigError(f"{where}: unknown category {category!r} (allowed: {', '.join(CATEGORIES)}, pseudo, terminate)")
        direction = rule.get("direction", "forward")
        if direction not in ("forward", "backward", "both"):
            raise ConfigError(f"{where}: direction must be forward, backward or both, found {direction!r}")
        window = rule.get("window", 8)
        if not isinstance(window, int) or isinstance(window, bool) or window < 0:
            raise ConfigError(f"{where}: window must be a whole number of tokens (0 = adjacent), found {window!r}")
        key = f"ctx{i}"
        self._rules[key] = (category, direction, window, rule.get("adds"))
        phrases = rule.get("phrases") or []
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                raise ConfigError(f"{where}.phrases: expected a non-empty string, found {phrase!r} (quote no/yes/on/off)")
        if phrases:
            self._phrases.add(key, list(self._lemmas.pipe(p.strip() for p in phrases)))
        patterns = rule.get("patterns") or []
        if not isinstance(patterns, list):
            raise ConfigError(f"{where}.patterns: expected a list of token patterns, found {type(patterns).__name__}")
        for j, pattern in enumerate(patterns, 1):
            try:
                if not isinstance(pattern, list):
                    raise ValueError(f"expected a list of token objects, found {pattern!r}")
                self._patterns.add(key, [_translate(pattern)])
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise ConfigError(f"{where}.patterns: pattern {j} of {len(patterns)}: not a valid token pattern "
                                  f"({pattern_problem(exc)}): {pattern!r}") from None

    def triggers(self, doc: Doc) -> tuple[list[Trigger], list[int]]:
        """Triggers that are not masked by a pseudo-trigger, and the token indices that end scopes."""
        vocab = doc.vocab.strings
        found, pseudo, terminators = [], [], []
        matches = list(self._phrases(doc)) + (list(self._patterns(doc)) if len(self._patterns) else [])
        for match_id, start, end in matches:
            category, direction, window, adds = self._rules[vocab[match_id]]
            if category == "pseudo":
                pseudo.append((start, end))
            elif category == "terminate":
                terminators.append(start)
            else:
                found.append(Trigger(start, end, category, direction, window, adds))
        # a pseudo-trigger masks the triggers inside it ("no one" masks "no"), not a longer one that contains it
        kept = [t for t in found if not any(ps <= t.start and t.end <= pe for ps, pe in pseudo)]
        return kept, sorted(terminators)

    def assert_mention(self, start: int, end: int, triggers: list[Trigger], terminators: list[int],
                       ignore: Sequence[str] = (), gapped: bool = False) -> Assertion:
        """The assertion for a mention at tokens [start, end).

        A trigger that overlaps the mention is part of its wording and is ignored, except a negation that a
        `gapped` mention (a token pattern with open gaps) holds strictly inside it: "police had never been
        called to the home" matches "police ... called ... home" and denies it."""
        best, adds, adds_span = None, [], None
        for t in triggers:
            if not _reaches(t, start, end, terminators, gapped):
                continue
            if t.adds and t.adds not in adds:
                adds.append(t.adds)
                adds_span = (t.start, t.end)
            if t.category in ignore:
                continue
            if best is None or self._rank.get(t.category, 99) < self._rank.get(best, 99):
                best = t.category
        return Assertion(best or "present", tuple(adds), adds_span)


def _reaches(t: Trigger, start: int, end: int, terminators: list[int], gapped: bool) -> bool:
    """Whether trigger `t` is in scope of the mention at tokens [start, end)."""
    if t.start < end and start < t.end:  # inside the mention: only a negation in a gapped pattern's gap
        return (gapped and t.category == "negated" and start < t.start and t.end < end
                and t.direction in ("forward", "both"))
    if t.end <= start and t.direction in ("forward", "both"):
        gap_from, gap_to = t.end, start
    elif t.start >= end and t.direction in ("backward", "both"):
        gap_from, gap_to = end, t.start
    else:
        return False
    if gap_to - gap_from > t.window:
        return False
    i = bisect_left(terminators, gap_from)
    return not (i < len(terminators) and terminators[i] < gap_to)


def load_context_rules(lemmas: LemmaPipeline, path: Path | None = None) -> ContextRules:
    import yaml

    path = Path(path) if path else DEFAULT_PATH
    if not path.is_file():
        raise ConfigError(f"context rules not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML {yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'rules'")
    return ContextRules(data, lemmas, hashlib.sha256(text.encode()).hexdigest()[:12], str(path))
