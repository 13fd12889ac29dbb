"""`scr show` / show_document: metadata, subject, themes and tagged sentences by page."""

from __future__ import annotations

import json

import pytest

from pipeline.query.show import DocumentNotFound, show_document
from pipeline.store import connect
from tests.helpers.research import research_settings


def test_show_document_by_prefix(tmp_path):
    settings, info = research_settings(tmp_path, None, fillers=2)
    conn = connect(settings.store_path, readonly=True)
    try:
        view = show_document(conn, info.doc_ids["suicide16"][:8])
        assert view.doc_id == info.doc_ids["suicide16"] and view.subject_age == 16 and view.cause == "suicide"
        assert [p.page for p in view.by_page] == [1, 2, 3]
        assert view.labels["child_mental_health"] == 4
        assert ("T0002", "Suicide and self-harm in young people", 4) in view.themes
        negated = [s for p in view.by_page for s in p.sentences if s.negated]
        assert negated and negated[0].negated == ("domestic_abuse",)
        assert any(s.learning_point for p in view.by_page for s in p.sentences)
        for bad in ("zz", "ffffffffffff", ""):
            with pytest.raises(DocumentNotFound):
                show_document(conn, bad)
    finally:
        conn.close()


def test_cli_show(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    settings, info = research_settings(tmp_path, None, fillers=0)
    doc = info.doc_ids["domestic_abuse"]
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "show", doc, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["title"].startswith("Child X") and out["by_page"][0]["page"] == 1
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "show", doc[:10]])
    assert res.exit_code == 0 and "--- page 2" in res.output and "learning point" in res.output
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "show", "abcdef0123"])
    assert res.exit_code == 2 and "no document" in res.output
