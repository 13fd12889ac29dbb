"""The JSON API under /api: query (search or screening), themes, one theme, one document, the labels."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Request

from pipeline.export.labels import labels_document
from pipeline.query.screening import check_screening_options, screen_documents
from pipeline.query.search import search
from pipeline.query.show import show_document
from pipeline.query.themes import list_themes, theme_detail, theme_to_dict
from pipeline.web.params import SearchParams, reject_unknown_parameters, search_params

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(reject_unknown_parameters)])


def _conn(request: Request):
    from pipeline.web.app import store_connection

    yield from store_connection(request)


def run_query(request: Request, conn: sqlite3.Connection, params: SearchParams):
    """Search (sentences) or screening (documents) for the parameters; shared with the Search page."""
    from pipeline.errors import UsageError
    from pipeline.web.app import query_embedder

    from pipeline.query.filters import check_filter_values

    if not params.q:
        raise UsageError("q: the query is empty")
    check_filter_values(conn, request.app.state.settings, params.filters)  # a mistyped label is a 400, not "no results"
    page_size = request.app.state.settings.web.page_size
    size, start = params.size(page_size), params.start(page_size)
    if params.documents:
        check_screening_options(params.mode, params.context)
    embedder = query_embedder(request, conn) if params.mode != "keyword" else None
    if params.documents:
        return screen_documents(conn, params.q, params.filters, embedder, limit=size, offset=start, mode=params.mode)
    return search(conn, params.q, params.filters, embedder, limit=size, offset=start, context=params.context,
                  mode=params.mode)


@router.get("/query", summary="Hybrid sentence search, or document screening with documents=true; paged by "
            "page, or by limit and offset")
def api_query(request: Request, params: SearchParams = Depends(search_params),
              conn: sqlite3.Connection = Depends(_conn)) -> dict[str, Any]:
    result = run_query(request, conn, params)
    out = result.to_dict()
    size = params.size(request.app.state.settings.web.page_size)
    out["limit"] = size
    out["page"] = params.page if params.offset is None else None  # None: paged by offset
    return out


@router.get("/themes", summary="Active themes with size, documents, trend by year and quotes; name and label as "
            "stored, display_name and label_name as the pages show them (the coding frame's names)")
def api_themes(request: Request, conn: sqlite3.Connection = Depends(_conn)) -> dict[str, Any]:
    book = request.app.state.label_book
    return {"themes": [theme_to_dict(t, book) for t in list_themes(conn, with_quotes=3)]}


@router.get("/themes/{theme_id}", summary="One theme with quotes and its documents; name and label as stored, "
            "display_name and label_name as the pages show them")
def api_theme(theme_id: str, request: Request, conn: sqlite3.Connection = Depends(_conn)) -> dict[str, Any]:
    return theme_detail(conn, theme_id).to_dict(request.app.state.label_book)


@router.get("/documents/{doc_id}", summary="One document: metadata, subject, themes (display names, as the "
            "pages show them), tagged sentences by page, and label_names for the label ids it holds")
def api_document(doc_id: str, request: Request, all: bool = False,
                 conn: sqlite3.Connection = Depends(_conn)) -> dict[str, Any]:
    return show_document(conn, doc_id, all_sentences=all, label_book=request.app.state.label_book).to_dict()


@router.get("/labels", summary="The coding frame's labels, each with the tagger's measured F1 and a verdict on "
            "how far to trust its tags (reliable, check, unmeasured), as `scr labels --json`")
def api_labels(request: Request) -> dict[str, Any]:
    state = request.app.state
    return labels_document(state.label_book, state.label_quality)
