"""`scr query` options that do not apply to a mode are usage errors, never silently ignored; document
screening pages with --limit and --offset like sentence search."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.embed.base import HashingEmbedder
from pipeline.errors import UsageError
from pipeline.query.screening import screen_documents
from pipeline.store import connect
from tests.helpers.research import research_settings


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    settings, info = research_settings(tmp_path_factory.mktemp("cli"), embedder=None, fillers=6)
    return ["--db", str(settings.store_path), "query"], info


@pytest.mark.parametrize("extra, named", [
    (["--documents", "--mode", "semantic"], "mode"),
    (["--documents", "--context", "2"], "context"),
    (["--relevant-only"], "--relevant-only"),
])
def test_options_a_mode_ignores_are_usage_errors(db, extra, named):
    args, _ = db
    res = CliRunner().invoke(app, [*args, "suicide", *extra])
    assert res.exit_code == 2, res.output
    assert named in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_documents_page_with_offset(db):
    args, _ = db
    whole = CliRunner().invoke(app, [*args, "suicide", "--documents", "--limit", "10", "--json"])
    page = CliRunner().invoke(app, [*args, "suicide", "--documents", "--limit", "3", "--offset", "2", "--json"])
    assert whole.exit_code == 0 and page.exit_code == 0, page.output
    ids = [d["doc_id"] for d in json.loads(whole.stdout)["documents"]]
    body = json.loads(page.stdout)
    assert [d["doc_id"] for d in body["documents"]] == ids[2:5]
    assert body["offset"] == 2 and body["listed"] == body["considered"] >= 10
    text = CliRunner().invoke(app, [*args, "suicide", "--documents", "--limit", "3", "--offset", "2"])
    assert text.stdout.splitlines()[0].endswith("documents (keyword); showing 3-5")
    far = CliRunner().invoke(app, [*args, "suicide", "--documents", "--offset", "500"])
    assert far.stdout.splitlines()[0].endswith("none to show after result 500")


def test_screening_in_keyword_mode_with_vectors_and_no_semantic_mode(tmp_path):
    emb = HashingEmbedder(256)
    settings, _ = research_settings(tmp_path, emb, fillers=3)
    conn = connect(settings.store_path, readonly=True)
    try:
        assert screen_documents(conn, "suicide", None, emb).mode == "hybrid"
        assert screen_documents(conn, "suicide", None, emb, mode="keyword").mode == "keyword"
        with pytest.raises(UsageError, match="mode"):
            screen_documents(conn, "suicide", None, emb, mode="semantic")
        with pytest.raises(UsageError, match="offset"):
            screen_documents(conn, "suicide", None, emb, offset=-1)
    finally:
        conn.close()
