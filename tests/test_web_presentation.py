"""How the web pages present things: label names, not ids; an empty search as a sentence, not list item 1;
trend lines as shares of each year's documents with gaps for years without any; citations that name the
section; sentences not numbered beside the report's own paragraph numbers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pipeline.embed.base import HashingEmbedder
from pipeline.report.labels import load_label_book
from pipeline.web import charts
from pipeline.web.app import create_app
from tests.helpers.research import research_settings

EMB = HashingEmbedder(256)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    settings, info = research_settings(tmp_path_factory.mktemp("webp"), EMB)
    return TestClient(create_app(settings, embedder=EMB)), info, load_label_book(settings), settings


def _visible(html: str) -> str:
    """The text a reader sees: tags (and their attributes) removed."""
    return re.sub(r"<[^>]+>", " ", html)


def test_document_page_names_labels_and_keeps_the_id_in_a_title(site):
    client, info, book, _ = site
    html = client.get("/documents/" + info.doc_ids["suicide16"]).text
    name = book.name("child_mental_health")
    assert name != "child_mental_health"
    assert "child_mental_health" not in _visible(html)
    assert f'title="child_mental_health">{name}</span>' in html
    assert '<ul class="sentences">' in html and '<ol class="sentences">' not in html


def test_home_matches_column_shows_the_label_name(site):
    client, _, book, _ = site
    html = client.get("/").text
    rows = re.findall(r"<tr>\s*<td>.*?</td>\s*<td>(.*?)</td>", html, re.S)
    shown = [_visible(r).strip() for r in rows]
    assert shown and all(s == "emerging" or s in book.names.values() for s in shown), shown
    assert not any("_" in s for s in shown)


def test_search_form_lists_label_names_with_ids_as_values(site):
    client, _, book, _ = site
    html = client.get("/search").text
    options = re.findall(r'<option value="domestic_abuse"[^>]*>([^<]*)</option>', html)
    assert options == [book.name("domestic_abuse")] * 2


def test_no_match_is_a_paragraph_not_list_item_one(site):
    client, _, _, _ = site
    html = client.get("/search", params={"q": "zzzqqq", "year_from": "1900", "year_to": "1901"}).text
    assert "No passages match." in html
    assert '<ol id="results"' not in html and '<li class="empty">' not in html
    assert re.search(r'<p class="empty"[^>]*>No passages match\.</p>', html)


def test_citations_name_the_section(site):
    client, _, _, settings = site
    from pipeline.store import connect

    conn = connect(settings.store_path, readonly=True)
    try:
        theme_id, section = conn.execute(
            "SELECT m.theme_id, s.section FROM theme_members m JOIN sentences s ON s.sentence_id = m.sentence_id"
            " WHERE s.section IS NOT NULL AND s.section != '' LIMIT 1").fetchone()
    finally:
        conn.close()
    html = client.get(f"/themes/{theme_id}").text
    cites = re.findall(r"<cite>(.*?)</cite>", html, re.S)
    with_section = [c for c in cites if ", section &ldquo;" in c or ", section \u201c" in c]
    assert with_section, cites
    assert not any(re.search(r"page \d+, (?!section)", c) for c in cites)


def test_trend_is_share_of_documents_with_gaps_for_empty_years():
    years = [2015, 2016, 2017, 2018]
    totals = {2015: 2, 2017: 1, 2018: 4}  # no reviews at all in 2016
    svg = str(charts.trend({2015: 2, 2017: 1, 2018: 4}, years, totals, width=104, height=24))
    lines = re.findall(r'<polyline points="([^"]*)"', svg)
    # present in every review: one flat line at the top, broken at 2016, not a 0-1 sawtooth
    ys = {float(p.split(",")[1]) for line in lines for p in line.split()}
    assert ys == {2.0}
    assert len(lines) == 1 and len(lines[0].split()) == 2  # 2017-2018; 2015 a lone dot before the gap
    assert svg.count("<circle") == 3
    assert "2015: 2 of 2 documents (100%)" in svg


def test_pages_say_the_trend_unit(site):
    client, _, _, _ = site
    home = client.get("/").text
    assert "share of that year&#39;s documents" in home or "share of that year\u2019s documents" in home \
        or "share of that year&rsquo;s documents" in home
    assert "Documents with this theme by year" not in client.get("/themes/T0001").text
