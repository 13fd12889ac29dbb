"""The web pages in a real headless Chromium (Debian's chromium driven by Playwright): every page loads,
a search through the form renders highlighted results, and review text holding <script> shows as text."""

from __future__ import annotations

import pytest

from pipeline.embed.base import HashingEmbedder
from tests.helpers.browser import ARGS, served
from tests.helpers.research import SCRIPT_TEXT, research_settings


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from pipeline.web.app import create_app

    emb = HashingEmbedder(256)
    settings, info = research_settings(tmp_path_factory.mktemp("browser"), emb)
    with served(create_app(settings, embedder=emb)) as base:
        yield base, info


@pytest.mark.slow
def test_pages_and_search_in_chromium(server, chromium_path):
    from playwright.sync_api import sync_playwright

    base, info = server
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)

            assert page.goto(base + "/").status == 200
            assert page.locator("#themes tbody tr").count() == 3
            assert page.locator("#themes svg.trend").count() == 3
            page.click("text=Information sharing between agencies")
            page.wait_for_url("**/themes/T0001")
            assert page.locator("#quotes li").count() >= 3
            page.locator("#theme-documents a").first.click()
            page.wait_for_url("**/documents/*")
            assert page.locator("#metadata").is_visible()

            page.goto(base + "/search")
            page.fill("#q", "information sharing")
            page.select_option("select[name=doc_label]", "domestic_abuse")
            page.fill("input[name=year_from]", "2015")
            page.fill("input[name=year_to]", "2020")
            page.click("#search-button")
            page.wait_for_selector("#results li.result")
            assert "q=information+sharing" in page.url and "year_from=2015" in page.url
            results = page.locator("#results li.result")
            assert results.count() >= 2
            assert page.locator("#results mark").count() >= 2
            assert all("Child X" in t for t in results.locator(".where a").all_inner_texts())

            page.fill("#q", "referral form note email")
            page.click("#search-button")
            page.wait_for_selector("#results li.result")
            assert SCRIPT_TEXT in page.locator("#results").inner_text()
            assert page.locator("#results script").count() == 0

            page.goto(base + "/documents/" + info.doc_ids["domestic_abuse"])
            assert SCRIPT_TEXT in page.locator("body").inner_text()

            page.goto(base + "/search?q=suicide&documents=1&max_age=17&cause=suicide")
            assert page.locator("#results li.relevant").count() == 3
            assert errors == [], errors  # no script error, no dialog, no failed resource so far

            res = page.goto(base + "/search?q=abuse&year_from=soon")
            assert res.status == 400 and "year_from" in page.locator("#error-message").inner_text()
            assert page.goto(base + "/documents/ffffffffffff").status == 404
        finally:
            browser.close()
    assert outside == []
