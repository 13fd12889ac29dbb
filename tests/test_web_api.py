"""The web app through FastAPI's TestClient: pages, JSON API, escaping, 400s and 404s, no path escape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from pipeline.embed.base import HashingEmbedder
from pipeline.web.app import create_app
from tests.helpers.research import research_settings

EMB = HashingEmbedder(256)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    settings, info = research_settings(tmp_path_factory.mktemp("web"), EMB)
    return TestClient(create_app(settings, embedder=EMB)), info


def test_pages_render(site):
    client, info = site
    home = client.get("/")
    assert home.status_code == 200 and "Suicide and self-harm in young people" in home.text
    assert "<svg" in home.text and "<polyline" in home.text  # bars and trend lines drawn on the server
    theme = client.get("/themes/T0001")
    assert theme.status_code == 200 and "Information sharing between agencies" in theme.text
    assert "page 3" in theme.text and "/documents/" in theme.text
    doc = client.get("/documents/" + info.doc_ids["suicide16"])
    assert doc.status_code == 200 and "Page 2" in doc.text and "child_mental_health" in doc.text
    assert client.get("/search").status_code == 200
    assert "script-src 'self'" in home.headers["content-security-policy"]


def test_search_page_highlights_and_pages(site):
    client, _ = site
    res = client.get("/search", params={"q": "information sharing", "year_from": "", "max_age": "",
                                        "doc_label": "domestic_abuse"})
    assert res.status_code == 200 and "<mark>information</mark>" in res.text.lower()
    first = client.get("/search", params={"q": "review"})
    assert 'id="next"' in first.text and 'id="prev"' not in first.text
    second = client.get("/search", params={"q": "review", "page": "2"})
    assert second.status_code == 200 and 'id="prev"' in second.text


def test_review_text_is_escaped(site):
    client, info = site
    for url in ("/search?q=referral+form+note", "/documents/" + info.doc_ids["domestic_abuse"]):
        res = client.get(url)
        assert res.status_code == 200
        assert "<script>alert(1)</script>" not in res.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in res.text or "&lt;<mark>" in res.text


def test_api_query_themes_documents(site):
    client, info = site
    res = client.get("/api/query", params={"q": "information sharing", "label": ["information_sharing"],
                                           "year_from": "2015", "year_to": "2020"})
    assert res.status_code == 200
    body = res.json()
    assert body["mode"] == "hybrid" and body["hits"]
    assert all("information_sharing" in h["labels"] and 2015 <= h["year"] <= 2020 for h in body["hits"])
    screen = client.get("/api/query", params={"q": "suicide", "documents": "true", "max_age": "17",
                                              "cause": "suicide"}).json()
    relevant = {d["doc_id"] for d in screen["documents"] if d["relevant"]}
    assert info.doc_ids["suicide16"] in relevant and info.doc_ids["adult_suicide"] not in relevant
    themes = client.get("/api/themes").json()["themes"]
    assert {t["theme_id"] for t in themes} == {"T0001", "T0002", "T0003"}
    assert all(t["quotes"] and t["by_year"] for t in themes)
    doc = client.get("/api/documents/" + info.doc_ids["infant"][:12]).json()
    assert doc["subject_age"] == 0.25 and doc["cause"] == "sudden unexpected infant death"
    spec = client.get("/api/openapi.json").json()
    assert {"/api/query", "/api/themes", "/api/documents/{doc_id}"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/query"]["get"]["parameters"]}
    assert {"q", "label", "year_from", "max_age", "cause", "type", "learning_points"} <= names


@pytest.mark.parametrize("url", [
    "/api/query?q=abuse&year_from=abc", "/api/query?q=abuse&max_age=old", "/api/query?q=abuse&cause=boredom",
    "/api/query?q=abuse&year_from=2020&year_to=2001", "/api/query?q=", "/api/query?q=abuse&page=0",
    "/api/query?q=abuse&type=XYZ", "/api/query?q=abuse&learning_points=maybe", "/search?q=abuse&min_age=NaN",
    "/api/query?q=abuse&mode=psychic", "/api/query?q=abuse&context=99", "/search?q=x&page=-1",
    "/api/query?q=abuse&label=domestic_abus", "/api/query?q=abuse&doc_label=bogus", "/search?q=abuse&theme=T9999",
])
def test_bad_parameters_are_400_with_a_message(site, url):
    client, _ = site
    res = client.get(url)
    assert res.status_code == 400, res.text
    if url.startswith("/api"):
        assert res.json()["error"]
    else:
        assert 'id="error-message"' in res.text


@pytest.mark.parametrize("url", [
    "/documents/ffffffffffff", "/documents/nothex", "/api/documents/0123456789ab", "/themes/T9999",
    "/api/themes/T9999", "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2fconfig.py", "/nowhere",
])
def test_unknown_ids_and_paths_are_404(site, url):
    client, _ = site
    res = client.get(url)
    assert res.status_code == 404
    assert "import " not in res.text and "def " not in res.text


def test_store_is_opened_read_only(site):
    client, _ = site
    import sqlite3

    from pipeline.web.app import store_connection

    class Req:
        app = client.app

    gen = store_connection(Req())
    conn = next(gen)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM documents")
    gen.close()


def test_theme_names_read_as_the_briefing_prints_them(tmp_path):
    """A taxonomy theme's stored name holds its label id ('information_sharing: ...'); the pages spell it as
    the taxonomy's name, as the briefing does, and `scr themes` prints the same."""
    from typer.testing import CliRunner

    from pipeline.cli.main import app as cli
    from pipeline.store import connect

    settings, _ = research_settings(tmp_path, EMB)
    conn = connect(settings.store_path)
    try:
        conn.execute("UPDATE themes SET name = 'information_sharing: strategy, referral' WHERE theme_id = 'T0001'")
        conn.commit()
    finally:
        conn.close()
    client = TestClient(create_app(settings, embedder=EMB))
    for url in ("/", "/themes/T0001", "/search"):
        page = client.get(url).text
        assert "Information sharing: strategy, referral" in page and "information_sharing: strategy" not in page, url
    listed = CliRunner().invoke(cli, ["--db", str(settings.store_path), "themes"])
    assert listed.exit_code == 0 and "T0001  Information sharing: strategy, referral" in listed.output
