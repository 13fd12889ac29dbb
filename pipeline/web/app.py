"""The FastAPI application: `create_app(settings, embedder=None)`.

Read-only on the store (a read-only SQLite connection per request). Review text is always escaped
(Jinja2 autoescape, and a Content-Security-Policy that allows no inline or foreign script). Bad
parameters answer 400 with a message, unknown ids 404; static files come only from the app's own folder.
The OpenAPI schema is at /api/openapi.json (no Swagger page: it would load script from the internet).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.config import Settings
from pipeline.errors import ScrError, StoreError, UsageError
from pipeline.query.show import DocumentNotFound
from pipeline.query.themes import ThemeNotFound
from pipeline.report.labels import theme_display_name

HERE = Path(__file__).resolve().parent
log = logging.getLogger("scr.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    return Jinja2Templates(env=env)


def store_connection(request: Request) -> Iterator[sqlite3.Connection]:
    """FastAPI dependency: a read-only connection for one request."""
    from pipeline.store import connect

    conn = connect(request.app.state.settings.store_path, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


def query_embedder(request: Request, conn: sqlite3.Connection):
    """The embedder for semantic search (loaded once, on first need), or None: keyword only."""
    from pipeline.query.vectors import stored_models

    state = request.app.state
    models = stored_models(conn)
    if state.embedder is not None:
        return state.embedder if state.embedder.name in models else None
    if not models:
        return None
    with state.embedder_lock:
        if state.loaded_embedder is None and not state.embedder_failed:
            try:
                from pipeline.embed.model import load_embedder

                state.loaded_embedder = load_embedder(state.settings.embed)
            except Exception as exc:  # the model is missing or broken: search still works by keyword
                log.warning("embedding model unavailable, keyword search only: %s", type(exc).__name__)
                state.embedder_failed = True
    loaded = state.loaded_embedder
    return loaded if loaded is not None and loaded.name in models else None


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _error(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    page = request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status)
    return page


def create_app(settings: Settings, embedder=None) -> FastAPI:
    """The web app over `settings.store_path`, read-only. `embedder` overrides the configured model
    (tests pass a small one); by default the configured model is loaded on the first semantic query."""
    from pipeline.export.labels import frame_quality
    from pipeline.web import api, pages

    app = FastAPI(
        title="scr-themes", version="1",
        description="Themes, search and documents of a store of safeguarding review reports (read-only).",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.embedder = embedder
    app.state.loaded_embedder = None
    app.state.embedder_failed = False
    app.state.embedder_lock = threading.Lock()
    app.state.templates = templates()
    book, quality = frame_quality(settings)
    app.state.label_book = book
    # read once: the model card does not change while the site serves (a new tagger means a restart)
    app.state.label_quality = quality
    # theme names as the briefing prints them: a label id spelt as the taxonomy's name
    app.state.templates.env.filters["theme_name"] = lambda name, label=None: theme_display_name(name or "", label, book)
    # a taxonomy label id ('unsafe_sleep') spelt as the label's name, as the briefing does
    app.state.templates.env.filters["label_name"] = lambda label: book.name(label) if label else ""

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return _error(request, 400, "; ".join(parts) or "bad request")

    @app.exception_handler(DocumentNotFound)
    @app.exception_handler(ThemeNotFound)
    async def not_found(request: Request, exc: ScrError):
        return _error(request, 404, str(exc))

    @app.exception_handler(UsageError)
    async def usage(request: Request, exc: UsageError):
        return _error(request, 400, str(exc))

    @app.exception_handler(StoreError)
    async def no_store(request: Request, exc: StoreError):
        return _error(request, 503, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail))

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
