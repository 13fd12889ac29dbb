"""Helpers for the learned layer's tests: small synthetic data and stand-ins for rule results."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.records import Tag


@dataclass(frozen=True)
class FakeRuleResult:
    """Shaped like pipeline.extract.rules.RuleResult (tags + learning_point_score), built by hand."""

    tags: tuple[Tag, ...]
    learning_point_score: float = 0.0


def mention(label: str, assertion: str = "present") -> Tag:
    return Tag(label=label, kind="risk_factor", score=0.9, assertion=assertion, start=0, end=1)


def separable(n: int = 120, dim: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Vectors whose first two dimensions decide two labels; groups of 6 rows act as documents."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim)).astype(np.float32)
    Y = np.column_stack([(X[:, 0] > 0.3), (X[:, 1] < -0.2)]).astype(np.int64)
    groups = [f"doc-{i // 6}" for i in range(n)]
    return X, Y, groups
