"""The web pages on a 390 px phone screen in headless Chromium: nothing wider than the viewport (wide
tables scroll in their own box, form fields shrink, a long unbroken word in a title wraps)."""

from __future__ import annotations

import pytest

from pipeline.embed.base import HashingEmbedder
from pipeline.store import connect
from tests.helpers.browser import ARGS, served
from tests.helpers.research import research_settings

LONG_WORD = "Safeguarding" * 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pipeline.web.app import create_app

    emb = HashingEmbedder(256)
    settings, info = research_settings(tmp_path_factory.mktemp("mobile"), emb)
    conn = connect(settings.store_path)
    try:  # a title read from a cover page with no spaces, and a theme with long keywords
        conn.execute("UPDATE documents SET title = ? WHERE doc_id = ?",
                     (f"Review {LONG_WORD}", info.doc_ids["suicide16"]))
        conn.commit()
    finally:
        conn.close()
    with served(create_app(settings, embedder=emb)) as base:
        yield base, info


@pytest.mark.slow
def test_pages_fit_a_390px_screen(server, chromium_path):
    from playwright.sync_api import sync_playwright

    base, info = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            for path in ("/", "/search", "/search?q=information+sharing", "/themes/T0001", "/labels",
                         "/documents/" + info.doc_ids["suicide16"]):
                assert page.goto(base + path).status == 200
                width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert width <= inner, (path, width, inner)
            heading = page.locator("h1")
            assert LONG_WORD in heading.inner_text()
            assert heading.evaluate("e => e.scrollWidth <= e.clientWidth")
        finally:
            browser.close()
