"""Parameters of the web API: unknown names are 400s that name them and the accepted ones; paging by
`page` or by `limit` and `offset`; search options that do not apply to document screening are 400s."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pipeline.embed.base import HashingEmbedder
from pipeline.web.app import create_app
from tests.helpers.research import research_settings

EMB = HashingEmbedder(256)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings, _ = research_settings(tmp_path_factory.mktemp("webparams"), EMB)
    return TestClient(create_app(settings, embedder=EMB))


def test_unknown_parameters_are_named(client):
    res = client.get("/api/query", params={"q": "suicide", "limit": "5", "offset": "3", "bogus": "1"})
    assert res.status_code == 400
    error = res.json()["error"]
    assert "'bogus'" in error and "limit" not in error.split("accepted")[0]
    accepted = error.split("accepted: ")[1].split(", ")
    assert {"q", "page", "limit", "offset", "documents", "mode", "context", "label"} <= set(accepted)
    assert client.get("/api/themes", params={"sort": "size"}).status_code == 400
    doc = client.get("/api/themes").json()["themes"][0]["theme_id"]
    res = client.get(f"/api/themes/{doc}", params={"quotes": "5"})
    assert res.status_code == 400 and "'quotes'" in res.json()["error"]


def test_limit_and_offset_page_like_the_cli(client):
    whole = client.get("/api/query", params={"q": "review", "limit": "12"}).json()
    page = client.get("/api/query", params={"q": "review", "limit": "5", "offset": "3"}).json()
    assert [h["sentence_id"] for h in page["hits"]] == [h["sentence_id"] for h in whole["hits"]][3:8]
    assert (page["offset"], page["limit"], page["page"]) == (3, 5, None)
    paged = client.get("/api/query", params={"q": "review", "limit": "4", "page": "2"}).json()
    assert [h["sentence_id"] for h in paged["hits"]] == [h["sentence_id"] for h in whole["hits"]][4:8]
    assert (paged["offset"], paged["page"]) == (4, 2)
    for bad in ({"page": "2", "offset": "3"}, {"limit": "0"}, {"limit": "1001"}, {"offset": "-1"}):
        res = client.get("/api/query", params={"q": "review", **bad})
        assert res.status_code == 400, bad


def test_documents_page_and_refuse_what_screening_cannot_do(client):
    whole = client.get("/api/query", params={"q": "suicide", "documents": "1", "limit": "10"}).json()
    page = client.get("/api/query", params={"q": "suicide", "documents": "1", "limit": "3", "offset": "2"}).json()
    assert [d["doc_id"] for d in page["documents"]] == [d["doc_id"] for d in whole["documents"]][2:5]
    for extra, named in (({"mode": "semantic"}, "mode"), ({"context": "2"}, "context")):
        res = client.get("/api/query", params={"q": "suicide", "documents": "true", **extra})
        assert res.status_code == 400 and res.json()["error"].startswith(named)
    assert client.get("/api/query", params={"q": "suicide", "documents": "1", "mode": "keyword"}).json()["mode"] == "keyword"


def test_search_page_pages_documents_and_offsets(client):
    res = client.get("/search", params={"q": "suicide", "documents": "1", "limit": "3"})
    assert res.status_code == 200 and 'id="next"' in res.text and "showing 1-3" in res.text
    nxt = re.search(r'id="next" href="([^"]+)"', res.text).group(1).replace("&amp;", "&")
    assert "page=2" in nxt and "limit=3" in nxt
    second = client.get(nxt)
    assert 'start="4"' in second.text and "showing 4-6" in second.text and 'id="prev"' in second.text
    res = client.get("/search", params={"q": "review", "limit": "5", "offset": "5"})
    links = [h.replace("&amp;", "&") for h in re.findall(r'id="(?:prev|next)" href="([^"]+)"', res.text)]
    assert any("offset=0" in h for h in links) and any("offset=10" in h for h in links)
    # pages stay lenient about names they do not know (a bookmarked or tagged link still opens)
    assert client.get("/search", params={"q": "review", "utm_source": "mail"}).status_code == 200
