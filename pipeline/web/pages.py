"""The HTML pages: Themes (/), Theme (/themes/{id}), Search (/search), Document (/documents/{id}), Labels
(/labels)."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from pipeline.export.labels import label_rows
from pipeline.extract.quality import MIN_REAL, RELIABLE_F1, VERDICT_TEXT
from pipeline.query.show import show_document
from pipeline.query.terms import split_highlights
from pipeline.query.themes import list_themes, theme_detail
from pipeline.records import CAUSES, OUTCOMES, REVIEW_TYPES, UNKNOWN
from pipeline.web import charts
from pipeline.web.params import SearchParams, search_params

router = APIRouter(include_in_schema=False)


def _conn(request: Request):
    from pipeline.web.app import store_connection

    yield from store_connection(request)


def _render(request: Request, name: str, context: dict) -> HTMLResponse:
    context = dict(context, pieces=split_highlights)
    return request.app.state.templates.TemplateResponse(request, name, context)


def _years(conn: sqlite3.Connection) -> list[int]:
    row = conn.execute("SELECT min(year), max(year) FROM documents WHERE year IS NOT NULL").fetchone()
    return list(range(row[0], row[1] + 1)) if row[0] is not None else []


def _docs_by_year(conn: sqlite3.Connection) -> dict[int, int]:
    """Documents in the store per year: the denominator of the trend lines."""
    return {y: n for y, n in conn.execute(
        "SELECT year, count(*) FROM documents WHERE year IS NOT NULL GROUP BY year")}


TREND_UNIT = "share of that year's documents with the theme"


@router.get("/", response_class=HTMLResponse)
def themes_page(request: Request, conn: sqlite3.Connection = Depends(_conn)):
    themes = list_themes(conn, with_quotes=1)
    years = _years(conn)
    totals = _docs_by_year(conn)
    n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    top = max((t.documents for t in themes), default=0)
    rows = [{
        "theme": t,
        "bar": charts.bar(t.documents, top, title=f"{t.documents} of {n_docs} documents"),
        "trend": charts.trend(t.by_year, years, totals,
                              title=f"{TREND_UNIT}, {years[0]}-{years[-1]}" if years else ""),
    } for t in themes]
    return _render(request, "themes.html", {"rows": rows, "n_docs": n_docs, "years": years})


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
def theme_page(theme_id: str, request: Request, conn: sqlite3.Connection = Depends(_conn)):
    detail = theme_detail(conn, theme_id, quotes=10)
    years = _years(conn)
    chart = charts.trend(detail.theme.by_year, years, _docs_by_year(conn), width=480, height=120, axis=True,
                         title=f"{TREND_UNIT}, by year")
    return _render(request, "theme.html", {"detail": detail, "theme": detail.theme, "chart": chart})


def _choices(conn: sqlite3.Connection) -> dict:
    return {
        "labels": [r[0] for r in conn.execute("SELECT DISTINCT label FROM tags ORDER BY label")],
        "themes": [(r[0], r[1], r[2]) for r in conn.execute(
            "SELECT theme_id, name, label FROM themes WHERE status = 'active' ORDER BY theme_id")],
        "types": [t for t in REVIEW_TYPES if t != UNKNOWN],
        "outcomes": [o for o in OUTCOMES if o != UNKNOWN],
        "causes": [c for c in CAUSES if c != UNKNOWN],
    }


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, params: SearchParams = Depends(search_params),
                conn: sqlite3.Connection = Depends(_conn)):
    from pipeline.web.api import run_query

    result = run_query(request, conn, params) if params.q else None
    size = params.size(request.app.state.settings.web.page_size)
    prev_link = next_link = None
    if result is not None:
        start = result.offset
        more = (start + size < result.listed if params.documents
                else start + size < result.total or not result.total_exact)
        if params.offset is not None:  # paged by offset: the links keep doing so
            prev_link = _link(params.query_items(offset=max(0, start - size))) if start > 0 else None
            next_link = _link(params.query_items(offset=start + size)) if more else None
        else:
            prev_link = _link(params.query_items(params.page - 1)) if params.page > 1 else None
            next_link = _link(params.query_items(params.page + 1)) if more else None
    return _render(request, "search.html", {
        "params": params, "f": params.filters, "result": result, "choices": _choices(conn),
        "prev_link": prev_link, "next_link": next_link, "page_size": size,
    })


def _link(items: list[tuple[str, str]]) -> str:
    return "/search?" + urlencode(items)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: str, request: Request, conn: sqlite3.Connection = Depends(_conn)):
    view = show_document(conn, doc_id, label_book=request.app.state.label_book)
    return _render(request, "document.html", {"doc": view})


@router.get("/labels", response_class=HTMLResponse)
def labels_page(request: Request):
    """Every label of the coding frame with the tagger's measured F1 and verdict: how far a researcher can
    take its tags as a second coder. Read from the state computed at start-up, not from the store."""
    state = request.app.state
    quality = state.label_quality
    rows = [dict(row, verdict_text=VERDICT_TEXT[row["verdict"]]) for row in label_rows(state.label_book, quality)]
    return _render(request, "labels.html", {"quality": quality, "rows": rows, "reliable_f1": RELIABLE_F1,
                                            "min_real": MIN_REAL})
