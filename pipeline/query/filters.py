"""Query filters shared by search, screening, the CLI and the web app, and the SQL they become.

Filters come in three groups:
- sentence filters (label, theme, learning_points): which sentences may be returned;
- document filters (review type, years, area, doc_label): which documents' sentences may be returned;
- subject filters (min_age, max_age, outcome, cause): the review's subject. Search applies them as hard
  filters on the document's metadata; screening judges them per document (match / unknown / conflict).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from pipeline.errors import UsageError
from pipeline.records import CAUSES, OUTCOMES, REVIEW_TYPES, UNKNOWN

_TYPE_ALIASES = {"LCSPR": "CSPR", "OTHER": "other"}


@dataclass(frozen=True)
class QueryFilters:
    labels: tuple[str, ...] = ()
    """Sentence must carry every one of these labels, affirmed (tags.assertion = 'present')."""
    doc_labels: tuple[str, ...] = ()
    """Document must have at least one affirmed sentence with each of these labels."""
    theme: str | None = None
    review_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    area: str | None = None
    """Case-insensitive substring of the document's area."""
    learning_points: bool = False
    min_age: float | None = None
    max_age: float | None = None
    outcome: str | None = None
    cause: str | None = None

    def validated(self) -> "QueryFilters":
        """Normalised copy; raises UsageError naming the bad option."""
        review_type = self.review_type
        if review_type:
            wanted = _TYPE_ALIASES.get(review_type.upper(), review_type.upper())
            allowed = {t.upper(): t for t in REVIEW_TYPES if t != UNKNOWN}
            if wanted.upper() not in allowed:
                raise UsageError(f"type: allowed {', '.join(allowed.values())}; found {self.review_type!r}")
            review_type = allowed[wanted.upper()]
        outcome = _choice("outcome", self.outcome, OUTCOMES)
        cause = _choice("cause", self.cause, CAUSES)
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise UsageError(f"year range: from {self.year_from} is after to {self.year_to}")
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 130:
                raise UsageError(f"{name}: must lie between 0 and 130 years, found {value}")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise UsageError(f"age range: minimum {self.min_age} is above maximum {self.max_age}")
        labels = tuple(dict.fromkeys(l.strip() for l in self.labels if l and l.strip()))
        doc_labels = tuple(dict.fromkeys(l.strip() for l in self.doc_labels if l and l.strip()))
        return replace(
            self, review_type=review_type, outcome=outcome, cause=cause, labels=labels, doc_labels=doc_labels,
            theme=(self.theme or "").strip() or None, area=(self.area or "").strip() or None,
        )

    @property
    def has_subject(self) -> bool:
        return any(v is not None for v in (self.min_age, self.max_age, self.outcome, self.cause))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["labels"] = list(self.labels)
        out["doc_labels"] = list(self.doc_labels)
        return {k: v for k, v in out.items() if v not in (None, False, [], "")}

    # --- SQL -------------------------------------------------------------------------------------
    def document_clauses(self, subject: bool = True) -> tuple[list[str], list[Any]]:
        """WHERE clauses over `documents d` (subject filters included unless subject=False)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.review_type:
            clauses.append("d.review_type = ?")
            params.append(self.review_type)
        if self.year_from is not None:
            clauses.append("d.year >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("d.year <= ?")
            params.append(self.year_to)
        if self.area:
            clauses.append("lower(d.area) LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(self.area.lower()) + "%")
        for label in self.doc_labels:
            clauses.append(
                "d.doc_id IN (SELECT s2.doc_id FROM tags t2 JOIN sentences s2 ON s2.sentence_id = t2.sentence_id"
                " WHERE t2.label = ? AND t2.assertion = 'present')"
            )
            params.append(label)
        if subject:
            if self.min_age is not None:
                clauses.append("d.subject_age >= ?")
                params.append(self.min_age)
            if self.max_age is not None:
                clauses.append("d.subject_age <= ?")
                params.append(self.max_age)
            if self.outcome:
                clauses.append("d.outcome = ?")
                params.append(self.outcome)
            if self.cause:
                clauses.append("d.cause = ?")
                params.append(self.cause)
        return clauses, params

    def sentence_id_queries(self) -> list[tuple[str, list[Any]]]:
        """One (SQL, params) per sentence filter, each selecting the sentence_ids that pass it."""
        queries: list[tuple[str, list[Any]]] = []
        for label in self.labels:
            queries.append(("SELECT sentence_id FROM tags WHERE label = ? AND assertion = 'present'", [label]))
        if self.theme:
            queries.append(("SELECT sentence_id FROM theme_members WHERE theme_id = ?", [self.theme]))
        if self.learning_points:
            queries.append(("SELECT sentence_id FROM sentence_tagging WHERE learning_point = 1", []))
        return queries

    def sentence_clauses(self) -> tuple[list[str], list[Any]]:
        """WHERE clauses over `sentences s`."""
        clauses: list[str] = []
        params: list[Any] = []
        for sql, values in self.sentence_id_queries():
            clauses.append(f"s.sentence_id IN ({sql})")
            params.extend(values)
        return clauses, params


def check_filter_values(conn, settings, filters: QueryFilters) -> None:
    """Raise UsageError for a label or theme id that names nothing: the SQL would simply match no sentence,
    and an empty result reads as "nothing found" rather than "you mistyped". Valid labels are the configured
    taxonomy's ids and any label the store holds (a store tagged with another coding frame stays
    searchable); themes are checked against the store. `scr query` and the web page and API (400) call it."""
    if filters.labels or filters.doc_labels:
        known = set(_taxonomy_ids(settings.path(settings.taxonomy)))
        for option, values in (("label", filters.labels), ("doc-label", filters.doc_labels)):
            for value in values:
                if value in known or conn.execute("SELECT 1 FROM tags WHERE label = ? LIMIT 1", (value,)).fetchone():
                    continue
                hint = difflib.get_close_matches(value, sorted(known), n=1)
                near = f"did you mean {hint[0]!r}? " if hint else ""
                raise UsageError(f"{option}: unknown label {value!r}; {near}valid labels are the ids in "
                                 f"{settings.taxonomy}: {', '.join(sorted(known))}")
    if filters.theme and conn.execute("SELECT 1 FROM themes WHERE theme_id = ?", (filters.theme,)).fetchone() is None:
        raise UsageError(f"theme: no theme {filters.theme!r} in the store; `scr themes` lists the theme ids")


def _taxonomy_ids(path) -> tuple[str, ...]:
    """The label ids of the taxonomy file at `path` (none when it cannot be loaded), read once per version of
    the file: loading compiles its rules (0.1 to 0.2 s), too slow to repeat for each web query."""
    from pathlib import Path

    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError:
        return ()
    return _ids_of(str(path), stamp)


@lru_cache(maxsize=4)
def _ids_of(path: str, stamp: int) -> tuple[str, ...]:
    from pipeline.errors import ConfigError
    from pipeline.extract.taxonomy import load_taxonomy

    try:
        return tuple(load_taxonomy(path).ids)
    except ConfigError:  # no taxonomy to check against: the store's labels alone
        return ()


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or not str(value).strip():
        return None
    v = str(value).strip().lower()
    if v not in allowed:
        raise UsageError(f"{name}: allowed {', '.join(allowed)}; found {value!r}")
    return v


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def allowed_documents(conn, filters: QueryFilters, subject: bool = True) -> list[str] | None:
    """doc_ids passing the document (and subject) filters; None when no such filter is set."""
    clauses, params = filters.document_clauses(subject=subject)
    if not clauses:
        return None
    sql = "SELECT d.doc_id FROM documents d WHERE " + " AND ".join(clauses)
    return [row[0] for row in conn.execute(sql, params)]


def allowed_sentence_rowids(conn, filters: QueryFilters) -> list[int] | None:
    """rowids of sentences passing the sentence filters; None when no such filter is set."""
    clauses, params = filters.sentence_clauses()
    if not clauses:
        return None
    sql = "SELECT s.rowid FROM sentences s WHERE " + " AND ".join(clauses)
    return [row[0] for row in conn.execute(sql, params)]
