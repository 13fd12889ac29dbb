"""Hybrid sentence search on a small store written through the schema (HashingEmbedder vectors)."""

from __future__ import annotations

import json

import pytest

from pipeline.embed.base import HashingEmbedder
from pipeline.errors import UsageError
from pipeline.query.filters import QueryFilters
from pipeline.query.search import search
from pipeline.query.terms import highlight_spans, query_terms
from pipeline.query.vectors import vector_index
from pipeline.store import connect
from tests.helpers.research import add_vectors, research_settings

EMB = HashingEmbedder(256)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return research_settings(tmp_path_factory.mktemp("search"), EMB)


@pytest.fixture
def conn(built):
    c = connect(built[0].store_path, readonly=True)
    yield c
    c.close()


def test_information_sharing_in_reviews_with_domestic_abuse_2015_2020(conn, built):
    f = QueryFilters(doc_labels=("domestic_abuse",), year_from=2015, year_to=2020)
    result = search(conn, "information sharing", f, EMB, limit=5, context=1)
    assert result.mode == "hybrid"
    assert result.hits, "expected passages"
    assert {h.doc_id for h in result.hits} == {built[1].doc_ids["domestic_abuse"]}
    best = result.hits[0]
    assert "information_sharing" in best.labels
    assert best.keyword_rank is not None and best.semantic_rank is not None
    words = [best.text[a:b].lower() for a, b in best.highlights]
    assert any(w.startswith("shar") for w in words) and "information" in words
    assert best.before or best.after
    assert best.page >= 1 and best.title.startswith("Child X")


def test_filters_restrict_results(conn, built):
    ids = built[1].doc_ids
    r = search(conn, "suicide", QueryFilters(max_age=17, cause="suicide"), EMB, limit=50)
    # search applies subject filters to the metadata as they stand (screening judges unknowns)
    assert {h.doc_id for h in r.hits} == {ids["suicide16"]}
    r = search(conn, "share information", QueryFilters(labels=("information_sharing",), learning_points=True), EMB, limit=50)
    assert r.hits and all("information_sharing" in h.labels and h.learning_point for h in r.hits)
    r = search(conn, "self-harm suicide", QueryFilters(theme="T0002"), EMB, limit=50)
    assert r.hits and all(h.theme_id == "T0002" for h in r.hits)
    r = search(conn, "suicide", QueryFilters(review_type="sar"), EMB, limit=50)
    assert {h.doc_id for h in r.hits} == {ids["adult_suicide"]}
    r = search(conn, "child", QueryFilters(area="westMOOR"), EMB, limit=50)
    assert r.hits and {h.doc_id for h in r.hits} <= {ids["suicide17_age_unknown"], ids["domestic_abuse"]}
    r = search(conn, "bruising", QueryFilters(year_from=2030), EMB)
    assert r.hits == ()


def test_keyword_only_without_embedder_and_paging(conn):
    r = search(conn, "review", None, None, limit=5)
    assert r.mode == "keyword" and len(r.hits) == 5 and r.total > 5
    page2 = search(conn, "review", None, None, limit=5, offset=5)
    assert not {h.sentence_id for h in r.hits} & {h.sentence_id for h in page2.hits}
    assert all(h.similarity is None for h in r.hits)


def test_total_says_when_the_candidates_were_cut(conn, monkeypatch):
    import pipeline.query.search as search_module

    matches = conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'review'").fetchone()[0]
    assert matches > 6
    whole = search(conn, "review", None, None, limit=5)
    assert whole.total_exact and whole.total == matches and whole.total_text == str(matches)
    monkeypatch.setattr(search_module, "CANDIDATES", 6)
    cut = search(conn, "review", None, None, limit=5)
    assert not cut.total_exact and cut.total == 6 and cut.total_text == "6+"
    assert cut.to_dict()["total_exact"] is False
    deeper = search(conn, "review", None, None, limit=5, offset=5)  # paging asks for more than the depth
    assert len(deeper.hits) == 5


def test_bad_filters_are_usage_errors(conn):
    for f in (QueryFilters(year_from=2020, year_to=2010), QueryFilters(cause="boredom"),
              QueryFilters(review_type="XYZ"), QueryFilters(min_age=18, max_age=3), QueryFilters(max_age=-1)):
        with pytest.raises(UsageError):
            search(conn, "abuse", f, EMB)
    with pytest.raises(UsageError):
        search(conn, "   ", None, EMB)


def test_fts_syntax_in_query_is_plain_text(conn):
    r = search(conn, 'abuse" OR NEAR( * -', None, None)
    assert r.hits and all("abuse" in h.text.lower() for h in r.hits)


def test_terms_and_highlights():
    assert query_terms("Which reviews concern a teenager's suicide?") == ["teenager", "suicide"]
    text = "Agencies shared little; sharing information was rare."
    spans = highlight_spans(text, ["sharing", "information"])
    assert [text[a:b] for a, b in spans] == ["shared", "sharing", "information"]


def test_vector_index_reloads_when_store_changes(built):
    settings, _ = built
    writer = connect(settings.store_path)
    try:
        before = len(vector_index(writer, EMB.name))
        doc = writer.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
        text = "A brand new sentence about kinship carers."
        from pipeline.records import text_hash

        writer.execute("INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, text, text_hash)"
                       " VALUES (?,?,?,?,?,?,?,?)", (doc[:16] + ":99999", doc, 99999, 1, 0, len(text), text,
                                                      text_hash(text)))
        add_vectors(writer, EMB, [text])
        assert len(vector_index(writer, EMB.name)) == before + 1
        r = search(writer, "kinship carers", None, EMB, limit=1)
        assert r.hits[0].text == text
    finally:
        writer.execute("DELETE FROM sentences WHERE ordinal = 99999")
        writer.close()


def test_cli_query_json(built, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    # a store without vectors: keyword search, no model to load
    settings, info = research_settings(tmp_path, embedder=None, fillers=3)
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "query", "domestic abuse", "--json",
                                   "--label", "domestic_abuse", "--context", "1", "--limit", "3"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["mode"] == "keyword" and out["filters"]["labels"] == ["domestic_abuse"]
    # three sentences carry the label; the MARAC one shares no word with the query (keyword only here)
    assert len(out["hits"]) == 2 and all("domestic_abuse" in h["labels"] for h in out["hits"])
    assert all(h["before"] or h["after"] for h in out["hits"])
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "query", "abuse", "--cause", "boredom"])
    assert res.exit_code == 2 and "cause" in res.output
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "query", "suicide", "--documents",
                                   "--max-age", "17", "--cause", "suicide", "--json"])
    assert res.exit_code == 0, res.output
    relevant = {d["doc_id"] for d in json.loads(res.stdout)["documents"] if d["relevant"]}
    assert info.doc_ids["suicide16"] in relevant and info.doc_ids["adult_suicide"] not in relevant


def test_cli_query_rejects_unknown_label_and_theme(tmp_path):
    """An unknown --label, --doc-label or --theme is a usage error (exit 2) naming the value, as --type is,
    not an empty result that reads as "nothing found"."""
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    settings, _ = research_settings(tmp_path, embedder=None, fillers=3)
    db = ["--db", str(settings.store_path), "query", "abuse"]
    for option, value, hint in (("--label", "notalabel", "taxonomy"), ("--doc-label", "bogus", "taxonomy"),
                                ("--theme", "T9999", "scr themes")):
        res = CliRunner().invoke(app, [*db, option, value])
        assert res.exit_code == 2, (option, res.output)
        assert value in res.output and hint in res.output and "Traceback" not in res.output
        assert len(res.output.strip().splitlines()) == 1
    res = CliRunner().invoke(app, [*db, "--label", "domestic_abus"])
    assert res.exit_code == 2 and "did you mean 'domestic_abuse'" in res.output
    res = CliRunner().invoke(app, [*db, "--label", "domestic_abuse", "--doc-label", "neglect", "--theme", "T0001"])
    assert res.exit_code == 0, res.output


def test_cli_query_says_which_results_it_shows(tmp_path):
    """The header names the range of results shown ("showing 2-3"), not "showing 2 from 2"."""
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    settings, _ = research_settings(tmp_path, embedder=None, fillers=3)
    db = ["--db", str(settings.store_path), "query"]
    res = CliRunner().invoke(app, [*db, "review", "--limit", "2", "--offset", "1"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].endswith("candidates (keyword); showing 2-3")
    res = CliRunner().invoke(app, [*db, "kinshipcarerszzz"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == "0 candidates (keyword); none to show"
