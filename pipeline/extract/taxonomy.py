"""The taxonomy: labels with their rule words (configs/taxonomy.yaml), loaded once and validated at load.

Every error names the file, the label and the key, what was allowed and what was found. A researcher's own
coding frame uses the same format; everything downstream (rules, model, evaluation, store) follows the
label set of the taxonomy it is given. A frame that loads but would quietly do less than its author expects
logs one warning per file at load (`frame_warnings`): a label with no rule words, or no label of the kind
`risk_factor` (the kind denials and the briefing's risk grid are tied to).

A frame without its own `learning_point:` block borrows the cues of the shipped taxonomy
(`shipped_learning_cues`); `cue_digest` names a borrowed cue set in the rules version.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import shipped_taxonomy_path
from pipeline.errors import ConfigError
from pipeline.records import ASSERTIONS

LABEL_KEYS = ("id", "kind", "name", "description", "phrases", "weak", "requires", "patterns", "exclude", "ignore_context")
TOP_KEYS = ("version", "kinds", "labels", "learning_point")
LEARNING_POINT_KEYS = (
    "bias", "cues", "narrative", "date_weight", "sections", "section_weight", "narrative_sections", "narrative_section_weight",
)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
RISK_KIND = "risk_factor"
"""The kind assertion context (configs/context_rules.yaml `applies_to_kinds`) and the briefing's risk grid use."""
log = logging.getLogger(__name__)
_warned: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class LabelDef:
    id: str
    kind: str
    name: str
    description: str
    phrases: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    patterns: tuple[tuple[dict, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    ignore_context: tuple[str, ...] = ()


@dataclass(frozen=True)
class CueGroup:
    weight: float
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class LearningPointCues:
    """Rule cues for the learning-point flag (see pipeline.extract.learning_points)."""

    bias: float = -1.4
    cues: tuple[CueGroup, ...] = ()
    narrative: tuple[CueGroup, ...] = ()
    date_weight: float = -1.4
    sections: tuple[str, ...] = ()
    section_weight: float = 1.6
    narrative_sections: tuple[str, ...] = ()
    narrative_section_weight: float = -1.4


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[LabelDef, ...]
    kinds: tuple[str, ...]
    version: str
    """Hash of the file's bytes: a changed taxonomy means sentences are tagged again."""
    path: str = ""
    learning_point: LearningPointCues | None = None
    _by_id: dict[str, LabelDef] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({label.id: label for label in self.labels})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(label.id for label in self.labels)

    def kind_of(self, label: str) -> str:
        try:
            return self._by_id[label].kind
        except KeyError:
            raise ConfigError(f"unknown label {label!r} (taxonomy {self.path or 'in memory'})") from None

    def get(self, label: str) -> LabelDef:
        self.kind_of(label)
        return self._by_id[label]

    def __contains__(self, label: object) -> bool:
        return label in self._by_id


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of strings, found {type(value).__name__}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            hint = " (quote words YAML reads as true/false, like no, yes, on, off)" if isinstance(item, bool) else ""
            raise ConfigError(f"{where}: expected a non-empty string, found {item!r}{hint}")
    return tuple(item.strip() for item in value)


def _pattern(value: Any, where: str) -> tuple[dict, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(t, dict) and t for t in value):
        raise ConfigError(f"{where}: a token pattern is a non-empty list of token objects, found {value!r}")
    allowed = {"LEMMA", "LOWER", "TEXT", "SHAPE", "IS_DIGIT", "IS_PUNCT", "LIKE_NUM", "OP", "NORM"}
    for token in value:
        for key, spec in token.items():
            if key not in allowed:
                raise ConfigError(f"{where}: unknown token attribute {key!r} (allowed: {', '.join(sorted(allowed))})")
            if isinstance(spec, dict):
                for op, items in spec.items():
                    if op not in ("IN", "NOT_IN") or not isinstance(items, list):
                        raise ConfigError(f"{where}: {key} takes a string or {{IN: [...]}}, found {spec!r}")
                    _strings(items, f"{where}: {key}.{op}")
            elif key not in ("IS_DIGIT", "IS_PUNCT", "LIKE_NUM") and not isinstance(spec, str):
                raise ConfigError(f"{where}: {key} expects a string, found {spec!r}")
    return tuple(value)


def _label(raw: Any, index: int, kinds: tuple[str, ...], source: str) -> LabelDef:
    where = f"{source}: labels[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, found {type(raw).__name__}")
    label_id = raw.get("id")
    if not isinstance(label_id, str) or not _ID.match(label_id):
        raise ConfigError(f"{where}: 'id' must be lower_snake_case, found {label_id!r}")
    where = f"{source}: label {label_id}"
    for key in raw:
        if key not in LABEL_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(LABEL_KEYS)})")
    kind = raw.get("kind")
    if kind not in kinds:
        raise ConfigError(f"{where}: unknown kind {kind!r} (allowed: {', '.join(kinds)})")
    for key in ("name", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: {key!r} must be a non-empty string, found {raw.get(key)!r}")
    patterns = raw.get("patterns") or []
    if not isinstance(patterns, list):
        raise ConfigError(f"{where}.patterns: expected a list of token patterns, found {type(patterns).__name__}")
    ignore = _strings(raw.get("ignore_context"), f"{where}.ignore_context")
    for item in ignore:
        if item not in ASSERTIONS or item == "present":
            raise ConfigError(f"{where}.ignore_context: unknown assertion {item!r} (allowed: {', '.join(ASSERTIONS[1:])})")
    label = LabelDef(
        id=label_id, kind=kind, name=raw["name"].strip(), description=raw["description"].strip(),
        phrases=_strings(raw.get("phrases"), f"{where}.phrases"),
        weak=_strings(raw.get("weak"), f"{where}.weak"),
        requires=_strings(raw.get("requires"), f"{where}.requires"),
        patterns=tuple(_pattern(p, f"{where}: pattern {i} of {len(patterns)}") for i, p in enumerate(patterns, 1)),
        exclude=_strings(raw.get("exclude"), f"{where}.exclude"),
        ignore_context=ignore,
    )
    if label.weak and not label.requires:
        raise ConfigError(f"{where}: 'weak' phrases need a 'requires' list of licensing words")
    return label


def _cue_groups(value: Any, where: str) -> tuple[CueGroup, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of {{weight, phrases}}, found {value!r}")
    groups = []
    for i, group in enumerate(value):
        if not isinstance(group, dict) or set(group) != {"weight", "phrases"}:
            raise ConfigError(f"{where}[{i}]: expected keys weight and phrases, found {group!r}")
        if not isinstance(group["weight"], (int, float)) or isinstance(group["weight"], bool):
            raise ConfigError(f"{where}[{i}].weight: expected a number, found {group['weight']!r}")
        groups.append(CueGroup(float(group["weight"]), _strings(group["phrases"], f"{where}[{i}].phrases")))
    return tuple(groups)


def _learning_point(raw: Any, source: str) -> LearningPointCues | None:
    if raw is None:
        return None
    where = f"{source}: learning_point"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, found {type(raw).__name__}")
    for key in raw:
        if key not in LEARNING_POINT_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(LEARNING_POINT_KEYS)})")
    numbers = {}
    for key in ("bias", "date_weight", "section_weight", "narrative_section_weight"):
        if key in raw:
            if not isinstance(raw[key], (int, float)) or isinstance(raw[key], bool):
                raise ConfigError(f"{where}.{key}: expected a number, found {raw[key]!r}")
            numbers[key] = float(raw[key])
    return LearningPointCues(
        cues=_cue_groups(raw.get("cues", []), f"{where}.cues"),
        narrative=_cue_groups(raw.get("narrative", []), f"{where}.narrative"),
        sections=tuple(s.lower() for s in _strings(raw.get("sections"), f"{where}.sections")),
        narrative_sections=tuple(s.lower() for s in _strings(raw.get("narrative_sections"), f"{where}.narrative_sections")),
        **numbers,
    )


def yaml_problem(exc: Exception) -> str:
    """A YAML error as 'line L, column C (problem)', 1-based, where yaml knows the place."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f"({problem})"
    return f"at line {mark.line + 1}, column {mark.column + 1} ({problem})"


def frame_warnings(taxonomy: Taxonomy) -> list[str]:
    """What a coding frame that loads will not do: labels the rules can never tag, and no risk_factor label."""
    out = []
    for label in taxonomy.labels:
        if not (label.phrases or label.weak or label.patterns):
            out.append(f"{taxonomy.path}: label {label.id} has no phrases, weak phrases or patterns: the rules can "
                       "never tag it (only a trained model that knows the label can)")
    if taxonomy.labels and not any(label.kind == RISK_KIND for label in taxonomy.labels):
        out.append(
            f"{taxonomy.path}: no label is of kind '{RISK_KIND}' (kinds used: "
            f"{', '.join(sorted({label.kind for label in taxonomy.labels}))}): denials such as \"no evidence of X\" "
            f"are recognised only for {RISK_KIND} labels (configs/context_rules.yaml applies_to_kinds), so every "
            f"mention of this frame's labels counts as present, and the briefing's risk grid lists only {RISK_KIND} "
            f"labels, so it will be empty; name the risk kind '{RISK_KIND}' to keep both")
    return out


def _warn(taxonomy: Taxonomy) -> None:
    for message in frame_warnings(taxonomy):
        key = (taxonomy.path, taxonomy.version, message)
        if key not in _warned:  # once per file and content, however often it is loaded
            _warned.add(key)
            log.warning("warning: %s", message)


def parse_taxonomy(text: str, source: str = "taxonomy") -> Taxonomy:
    """Validate the YAML text of a taxonomy and build it (ConfigError names what is wrong; what loads but
    will not work as its author may expect is logged as a warning, see `frame_warnings`)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML {yaml_problem(exc)}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with 'labels', found {type(data).__name__}")
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(f"{source}: unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
    kinds = _strings(data.get("kinds", ["risk_factor", "learning_theme"]), f"{source}: kinds")
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, list) or not raw_labels:
        raise ConfigError(f"{source}: 'labels' must be a non-empty list")
    labels = tuple(_label(raw, i, kinds, source) for i, raw in enumerate(raw_labels))
    seen: set[str] = set()
    for label in labels:
        if label.id in seen:
            raise ConfigError(f"{source}: label {label.id!r} is defined twice")
        seen.add(label.id)
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    taxonomy = Taxonomy(labels=labels, kinds=kinds, version=version, path=source,
                        learning_point=_learning_point(data.get("learning_point"), source))
    _warn(taxonomy)
    return taxonomy


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate a taxonomy file (configs/taxonomy.yaml or a researcher's own coding frame)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"taxonomy file not found: {path}")
    return parse_taxonomy(path.read_text(encoding="utf-8"), str(path))


@functools.lru_cache(maxsize=1)
def shipped_learning_cues() -> LearningPointCues | None:
    """The learning-point cues of the shipped taxonomy (None where the install has none): what a coding frame
    without its own `learning_point:` block uses."""
    path = shipped_taxonomy_path()
    return load_taxonomy(path).learning_point if path.is_file() else None


def cue_digest(cues: LearningPointCues) -> str:
    """A short hash of a cue set, for versions: different cues, different digest."""
    return hashlib.sha256(repr(cues).encode("utf-8")).hexdigest()[:12]
