"""Query parameters of /search and /api/query, named like the CLI options with underscores.

Every value arrives as text and is parsed here, so an empty form field means "not set" and a bad value
becomes a UsageError with a message (the app answers 400), never a 500. Paging: `page` (pages of the
configured size), or `limit` and `offset` as the CLI has them; `page` and `offset` together are an error.
A parameter the API does not know is an error too (`reject_unknown_parameters`), so a misspelt name
cannot silently change the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from fastapi import Query, Request

from pipeline.errors import UsageError
from pipeline.query.filters import QueryFilters


@dataclass(frozen=True)
class SearchParams:
    q: str
    filters: QueryFilters
    page: int
    context: int
    documents: bool
    mode: str
    limit: int | None = None
    """Results per page; None: the configured page size (50 at least when screening documents)."""
    offset: int | None = None
    """Results skipped, when given instead of `page`."""

    def size(self, page_size: int) -> int:
        """Results per page: `limit`, else the configured page size (at least 50 documents when screening)."""
        if self.limit is not None:
            return self.limit
        return max(page_size, 50) if self.documents else page_size

    def start(self, page_size: int) -> int:
        """How many results come before this page."""
        return self.offset if self.offset is not None else (self.page - 1) * self.size(page_size)

    def query_items(self, page: int | None = None, offset: int | None = None) -> list[tuple[str, str]]:
        """The parameters again, as (name, value) pairs for links (pagination): at `offset` when given,
        else at `page`."""
        f = self.filters
        items: list[tuple[str, str]] = [("q", self.q)]
        items += [("label", v) for v in f.labels] + [("doc_label", v) for v in f.doc_labels]
        for name, value in (("theme", f.theme), ("type", f.review_type), ("year_from", f.year_from),
                            ("year_to", f.year_to), ("area", f.area), ("min_age", f.min_age),
                            ("max_age", f.max_age), ("outcome", f.outcome), ("cause", f.cause)):
            if value is not None:
                items.append((name, f"{value:g}" if isinstance(value, float) else str(value)))
        if f.learning_points:
            items.append(("learning_points", "1"))
        if self.documents:
            items.append(("documents", "1"))
        if self.context:
            items.append(("context", str(self.context)))
        if self.mode != "hybrid":
            items.append(("mode", self.mode))
        if self.limit is not None:
            items.append(("limit", str(self.limit)))
        items.append(("offset", str(offset)) if offset is not None else ("page", str(page or self.page)))
        return items


def _blank(value: Optional[str]) -> bool:
    return value is None or not value.strip()


def _int(name: str, value: Optional[str], lo: int, hi: int) -> int | None:
    if _blank(value):
        return None
    try:
        n = int(value.strip())
    except ValueError:
        raise UsageError(f"{name}: expected a whole number, found {value!r}") from None
    if not lo <= n <= hi:
        raise UsageError(f"{name}: must lie between {lo} and {hi}, found {n}")
    return n


def _float(name: str, value: Optional[str]) -> float | None:
    if _blank(value):
        return None
    try:
        x = float(value.strip())
    except ValueError:
        raise UsageError(f"{name}: expected a number, found {value!r}") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise UsageError(f"{name}: expected a number, found {value!r}")
    return x


def _bool(name: str, value: Optional[str]) -> bool:
    if _blank(value):
        return False
    v = value.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise UsageError(f"{name}: expected true or false, found {value!r}")


def search_params(
    q: str = Query("", description="What to look for: words or a question."),
    label: List[str] = Query([], description="Sentence carries this label, affirmed (repeatable)."),
    doc_label: List[str] = Query([], description="Document has an affirmed sentence with this label (repeatable)."),
    theme: Optional[str] = Query(None, description="Sentence belongs to this theme (T0001...)."),
    type: Optional[str] = Query(None, description="Review type: SCR, CSPR, SAR, DHR, PFD, other."),
    year_from: Optional[str] = Query(None, description="Published in or after this year."),
    year_to: Optional[str] = Query(None, description="Published in or before this year."),
    area: Optional[str] = Query(None, description="Area or partnership contains this text."),
    learning_points: Optional[str] = Query(None, description="true: only learning points."),
    min_age: Optional[str] = Query(None, description="Subject's age at the incident, at least (years)."),
    max_age: Optional[str] = Query(None, description="Subject's age at the incident, at most (years)."),
    outcome: Optional[str] = Query(None, description="death or serious harm."),
    cause: Optional[str] = Query(None, description="suicide, homicide, maltreatment, ... (as the CLI)."),
    context: Optional[str] = Query(None, description="Neighbouring sentences to include (0-10)."),
    page: Optional[str] = Query(None, description="Result page, from 1 (pages of `limit` results)."),
    limit: Optional[str] = Query(None, description="Results per page (1-1000; default: the configured page size)."),
    offset: Optional[str] = Query(None, description="Skip this many results (instead of page)."),
    documents: Optional[str] = Query(None, description="true: screen documents instead of sentences."),
    mode: Optional[str] = Query(None, description="hybrid (default), keyword or semantic."),
) -> SearchParams:
    if len(q) > 1000:
        raise UsageError("q: at most 1000 characters")
    filters = QueryFilters(
        labels=tuple(v for v in label if v.strip()), doc_labels=tuple(v for v in doc_label if v.strip()),
        theme=None if _blank(theme) else theme, review_type=None if _blank(type) else type,
        year_from=_int("year_from", year_from, 1000, 3000), year_to=_int("year_to", year_to, 1000, 3000),
        area=None if _blank(area) else area, learning_points=_bool("learning_points", learning_points),
        min_age=_float("min_age", min_age), max_age=_float("max_age", max_age),
        outcome=None if _blank(outcome) else outcome, cause=None if _blank(cause) else cause,
    ).validated()
    if not _blank(page) and not _blank(offset):
        raise UsageError("offset: give page or offset, not both")
    return SearchParams(
        q=q.strip(), filters=filters, page=_int("page", page, 1, 10_000) or 1,
        context=_int("context", context, 0, 10) or 0, documents=_bool("documents", documents),
        mode=(mode or "hybrid").strip() or "hybrid", limit=_int("limit", limit, 1, 1000),
        offset=_int("offset", offset, 0, 10_000_000),
    )


def accepted_parameters(request: Request) -> list[str]:
    """The query parameter names the matched route declares (its dependencies' included)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    names: list[str] = []
    stack = [dependant] if dependant is not None else []
    while stack:
        d = stack.pop()
        names += [p.alias for p in d.query_params if p.alias not in names]
        stack.extend(reversed(d.dependencies))
    return names


def reject_unknown_parameters(request: Request) -> None:
    """A 400 (UsageError) for a query parameter the route does not take, naming it and those it does."""
    accepted = accepted_parameters(request)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in accepted]
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise UsageError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {listed}; accepted: "
                         + (", ".join(accepted) if accepted else "none"))
