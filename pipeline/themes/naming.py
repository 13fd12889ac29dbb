"""Theme names: the taxonomy label a theme matches best when the match is confident, else
"emerging: kw1, kw2, kw3".

A label matches confidently when many of the theme's members carry it (share >= MIN_SHARE and at least LIFT
times its share among all theme-bearing sentences) and the theme's centroid is distinctly close to the
embedding of the label's description; or, failing tags, when the centroid is very close to the description.
"Distinctly close" is relative: the z-score of the theme's cosine to that description among all themes'
cosines to it (descriptions differ a lot in how close every sentence is to them, so an absolute cosine
misjudges them). Tag evidence alone is not enough on real data: a tagger's systematic false positive (road
collisions tagged as exploitation) gives a high share but a centroid no closer than average. With fewer than
MIN_THEMES_FOR_Z themes (or no descriptions) z-scores mean nothing, and tags decide alone. The score is
share + 0.5 * cosine.
Labels go to themes one to one, maximising the total score (a theme that fits two labels takes the one no
other theme fits better); a theme left without its own label is named after its best label plus its
top keywords ("information_sharing: record, transfer"); all keep the label itself.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Hashable, Mapping, Sequence

import numpy as np

log = logging.getLogger(__name__)

MIN_SHARE = 0.3
LIFT = 2.0
MIN_TAGGED_Z = 0.75
MIN_DESCRIPTION_COSINE = 0.55
MIN_DESCRIPTION_Z = 2.0
MIN_THEMES_FOR_Z = 8


@dataclass(frozen=True)
class ThemeName:
    name: str
    label: str | None


def label_descriptions(taxonomy_path: Path) -> dict[str, str]:
    """label id -> "name: description" from the taxonomy file ({} when it cannot be read)."""
    try:
        from pipeline.extract.taxonomy import load_taxonomy

        taxonomy = load_taxonomy(taxonomy_path)
    except Exception as exc:  # naming still works from tags and keywords
        log.warning("taxonomy not available for theme naming (%s)", type(exc).__name__)
        return {}
    return {lab.id: f"{lab.name}: {lab.description}" for lab in taxonomy.labels}


def emerging_name(keywords: Sequence[str]) -> str:
    return "emerging: " + ", ".join(keywords[:3]) if keywords else "emerging"


def name_themes(
    member_tags: Mapping[Hashable, Sequence[Sequence[str]]],
    centroids: Mapping[Hashable, np.ndarray],
    keywords: Mapping[Hashable, Sequence[str]],
    label_vectors: Mapping[str, np.ndarray] | None = None,
) -> dict[Hashable, ThemeName]:
    """Name each theme (keys in a fixed order); `member_tags[key]` holds each member's affirmed labels."""
    label_vectors = label_vectors or {}
    total = sum(len(m) for m in member_tags.values()) or 1
    base = Counter(label for members in member_tags.values() for tags in members for label in set(tags))
    cosines, zscores = _description_scores(centroids, label_vectors, list(member_tags))
    use_z = bool(label_vectors) and len(member_tags) >= MIN_THEMES_FOR_Z
    best: dict[Hashable, tuple[str, float]] = {}
    scores: dict[tuple[Hashable, str], float] = {}
    for key in sorted(member_tags, key=str):
        members = member_tags[key]
        counts = Counter(label for tags in members for label in set(tags))
        size = max(1, len(members))
        candidates: list[tuple[float, str]] = []
        labels = sorted(set(counts) | set(label_vectors))
        for label in labels:
            share = counts.get(label, 0) / size
            cosine = cosines.get((key, label), 0.0)
            z = zscores.get((key, label), 0.0)
            by_tags = (share >= MIN_SHARE and share >= LIFT * base.get(label, 0) / total
                       and (not use_z or label not in label_vectors or z >= MIN_TAGGED_Z))
            by_description = use_z and cosine >= MIN_DESCRIPTION_COSINE and z >= MIN_DESCRIPTION_Z
            if by_tags or by_description:
                candidates.append((share + 0.5 * cosine, label))
        if candidates:
            score, label = max(candidates, key=lambda c: (c[0], c[1]))
            best[key] = (label, score)
            scores.update({(key, lab): sc for sc, lab in candidates})
    winners = _assign_labels(scores)
    names: dict[Hashable, ThemeName] = {}
    for key in member_tags:
        if key not in best:
            names[key] = ThemeName(emerging_name(list(keywords.get(key, ()))), None)
            continue
        label = next((lab for lab, k in winners.items() if k == key), best[key][0])
        if winners.get(label) == key:
            names[key] = ThemeName(label, label)
        else:
            extra = ", ".join(list(keywords.get(key, ()))[:2])
            names[key] = ThemeName(f"{label}: {extra}" if extra else label, label)
    return _distinct(names, keywords)


def _distinct(names: dict[Hashable, ThemeName], keywords: Mapping[Hashable, Sequence[str]]) -> dict[Hashable, ThemeName]:
    """Two themes never share a name when their keywords can tell them apart: each of a clash's themes is
    named after its keywords that the others of the clash lack ("emerging: action, need, referral" twice
    becomes "emerging: action, need, referral; housing" and "...; school")."""
    clashes: dict[str, list[Hashable]] = {}
    for key, theme in names.items():
        clashes.setdefault(theme.name, []).append(key)
    out = dict(names)
    for name, keys in clashes.items():
        if len(keys) < 2:
            continue
        for key in keys:
            others = {w for k in keys if k != key for w in list(keywords.get(k, ()))[:5]}
            own = [w for w in keywords.get(key, ()) if w not in others and w not in name][:2]
            if own:
                out[key] = ThemeName(f"{name}; {', '.join(own)}", names[key].label)
    return out


def _assign_labels(scores: Mapping[tuple[Hashable, str], float]) -> dict[str, Hashable]:
    """label -> the theme that carries it as its bare name: a one-to-one assignment of confident (theme, label)
    pairs with the largest total score (Hungarian method), so a theme that fits two labels takes the one no
    other theme fits better. Deterministic: rows and columns in sorted order."""
    if not scores:
        return {}
    from scipy.optimize import linear_sum_assignment

    keys = sorted({k for k, _ in scores}, key=str)
    labels = sorted({lab for _, lab in scores})
    matrix = np.full((len(keys), len(labels)), -1e6)
    for (key, label), score in scores.items():
        matrix[keys.index(key), labels.index(label)] = score
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {labels[c]: keys[r] for r, c in zip(rows, cols) if matrix[r, c] > -1e6}


def _description_scores(centroids: Mapping[Hashable, np.ndarray], label_vectors: Mapping[str, np.ndarray],
                        keys: Sequence[Hashable]) -> tuple[dict, dict]:
    """(cosine, z-score among themes) of each theme centroid to each label description, keyed (theme, label)."""
    if not label_vectors or not keys:
        return {}, {}
    labels = sorted(label_vectors)
    matrix = np.vstack([centroids[k] for k in keys]) @ np.vstack([label_vectors[lab] for lab in labels]).T
    z = (matrix - matrix.mean(axis=0)) / np.clip(matrix.std(axis=0), 1e-9, None)
    cos = {(k, lab): float(matrix[i, j]) for i, k in enumerate(keys) for j, lab in enumerate(labels)}
    zs = {(k, lab): float(z[i, j]) for i, k in enumerate(keys) for j, lab in enumerate(labels)}
    return cos, zs
