"""Judge a document's subject (age, outcome, cause) against the subject filters of a screening query.

Each requested filter gets a verdict: 'match', 'conflict' or 'unknown'. Metadata decides where it is
known. Where the age is unknown in the metadata, ages stated in the text ("a 17-year-old", "aged 15")
are read: the age stated most often counts as a match when it is in range, and as a conflict only when
stated at least twice and more often than any other age (parents' ages appear in reviews too).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.query.filters import QueryFilters
from pipeline.records import UNKNOWN

_AGE = re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b|\baged (\d{1,2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class SubjectCheck:
    field: str
    """'age', 'outcome' or 'cause'."""
    wanted: str
    found: str
    verdict: str
    """'match', 'conflict' or 'unknown'."""
    source: str = "metadata"
    """'metadata' or 'text'."""


def _age_range(filters: QueryFilters) -> str:
    if filters.min_age is None:
        return f"<= {filters.max_age:g}"
    if filters.max_age is None:
        return f">= {filters.min_age:g}"
    return f"{filters.min_age:g}-{filters.max_age:g}"


def _in_range(age: float, filters: QueryFilters) -> bool:
    return (filters.min_age is None or age >= filters.min_age) and (filters.max_age is None or age <= filters.max_age)


def ages_in_text(texts) -> Counter:
    """How often each age (years) is stated in the texts."""
    counts: Counter = Counter()
    for text in texts:
        for m in _AGE.finditer(text):
            counts[int(m.group(1) or m.group(2))] += 1
    return counts


def judge_age(filters: QueryFilters, age: float | None, stated: Counter | None) -> SubjectCheck | None:
    if filters.min_age is None and filters.max_age is None:
        return None
    wanted = _age_range(filters)
    if age is not None:
        return SubjectCheck("age", wanted, f"{age:g}", "match" if _in_range(age, filters) else "conflict")
    if stated:
        (top, n), *rest = stated.most_common()
        clear = n >= 2 and (not rest or rest[0][1] < n)
        if _in_range(top, filters):
            return SubjectCheck("age", wanted, str(top), "match", "text")
        if clear:
            return SubjectCheck("age", wanted, str(top), "conflict", "text")
    return SubjectCheck("age", wanted, UNKNOWN, "unknown")


def judge_value(field: str, wanted: str | None, found: str | None) -> SubjectCheck | None:
    if wanted is None:
        return None
    found = (found or UNKNOWN).lower()
    if found == UNKNOWN:
        return SubjectCheck(field, wanted, UNKNOWN, "unknown")
    return SubjectCheck(field, wanted, found, "match" if found == wanted else "conflict")


def judge_subject(filters: QueryFilters, row, stated_ages: Counter | None) -> tuple[SubjectCheck, ...]:
    """Checks for every subject filter set, from a documents row (subject_age, outcome, cause)."""
    checks = (
        judge_age(filters, row["subject_age"], stated_ages),
        judge_value("outcome", filters.outcome, row["outcome"]),
        judge_value("cause", filters.cause, row["cause"]),
    )
    return tuple(c for c in checks if c is not None)


def stated_ages_by_document(conn, doc_ids: list[str]) -> dict[str, Counter]:
    """Ages stated in the text of each document (only sentences that look like they state one)."""
    out: dict[str, Counter] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start: start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT doc_id, text FROM sentences WHERE doc_id IN ({marks})"
            " AND (text LIKE '%year%old%' OR text LIKE '%aged %')", chunk)
        for doc_id, text in rows:
            out.setdefault(doc_id, Counter()).update(ages_in_text([text]))
    return out
