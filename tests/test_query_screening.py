"""Document screening: `--documents --max-age 17 --cause suicide` picks the reviews about a teenager's
suicide (metadata complete, cause unknown, age only in the text) and rejects the others (an adult's
suicide, a teenager's homicide, neglect with a denied mention of suicide, an infant death, fillers)."""

from __future__ import annotations

import pytest

from pipeline.embed.base import HashingEmbedder
from pipeline.query.filters import QueryFilters
from pipeline.query.screening import screen_documents
from pipeline.store import connect
from tests.helpers.research import research_settings

WANTED = {"suicide16", "suicide15_cause_unknown", "suicide17_age_unknown"}


def _screen(tmp_path, embedder, query):
    settings, info = research_settings(tmp_path, embedder, fillers=40)
    conn = connect(settings.store_path, readonly=True)
    try:
        result = screen_documents(conn, query, QueryFilters(max_age=17, cause="suicide"), embedder, limit=100)
    finally:
        conn.close()
    key = {v: k for k, v in info.doc_ids.items()}
    return result, {key[d.doc_id]: d for d in result.documents}


def _check(result, by_key):
    relevant = {k for k, d in by_key.items() if d.relevant}
    assert relevant == WANTED
    assert result.relevant == len(WANTED) and result.considered == len(by_key)
    # relevant first, each with justifying sentences that mention the subject
    assert [d.relevant for d in result.documents[:3]] == [True] * 3
    for k in WANTED:
        d = by_key[k]
        assert d.sentences and any("suicid" in e.text.lower() or "own life" in e.text for e in d.sentences)
    assert "age is 45" in by_key["adult_suicide"].reason
    assert "cause is homicide" in by_key["homicide16"].reason
    assert by_key["suicide17_age_unknown"].subject[0].source == "text"
    assert "cause unknown" in by_key["suicide15_cause_unknown"].reason
    assert not by_key["neglect13_cause_unknown"].relevant


def test_screening_teenage_suicide_hashing(tmp_path):
    result, by_key = _screen(tmp_path, HashingEmbedder(256), "suicide")
    assert result.mode == "hybrid"
    _check(result, by_key)


def test_screening_keyword_only(tmp_path):
    result, by_key = _screen(tmp_path, None, "suicide")
    assert result.mode == "keyword"
    _check(result, by_key)


@pytest.mark.slow
def test_screening_teenage_suicide_real_model(tmp_path, real_embedder):
    for query in ("suicide", "which reviews concern a teenager's suicide?"):
        result, by_key = _screen(tmp_path / query[:5], real_embedder, query)
        _check(result, by_key)
