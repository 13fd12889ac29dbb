"""build_briefing on a small store written through the schema (tests/helpers/brief.py)."""

from __future__ import annotations

import pytest

from pipeline.errors import UsageError
from pipeline.report.build import build_briefing
from pipeline.report.labels import load_label_book
from tests.helpers.brief import TAGGER, fill_brief_store, quote_on_page


@pytest.fixture
def filled(store):
    return store, fill_brief_store(store)


def test_summary_counts_and_sentences(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    s = b.summary
    assert (s.reviews, s.corpus_reviews) == (3, 5)
    assert {c.value: c.n for c in s.review_types} == {"CSPR": 2, "SCR": 1}
    assert [c.value for c in s.years] == ["2021", "2022", "2023"]
    assert {c.value: c.n for c in s.outcomes} == {"death": 2, "serious harm": 1}
    assert {c.value: c.n for c in s.ages} == {"under 1 year": 1, "11-15 years": 1, "unknown": 1}
    text = " ".join(s.sentences)
    assert "3 reviews published between 2021 and 2023" in text
    assert "2 Child Safeguarding Practice Reviews and 1 Serious Case Review" in text
    assert "2 died and 1 suffered serious harm" in text
    # two themes are in all 3 reviews: said as a tie, not as one winner
    assert ("2 themes were tied as the most common, each found in 3 of 3 reviews (100%): "
            "\u201cInformation sharing\u201d and \u201cDomestic abuse\u201d") in text


def test_themes_ranked_by_batch_share_beside_corpus(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    assert b.theme_source == "themes"
    assert [t.theme_id for t in b.themes] == ["T0001", "T0002", "T0003"]
    first, emerging = b.themes[0], b.themes[2]
    assert (first.batch_reviews, first.corpus_reviews) == (3, 4)
    assert first.batch_share == pytest.approx(1.0) and first.corpus_share == pytest.approx(0.8)
    assert emerging.label is None and "visits, lockdown, virtual" in emerging.description
    book = load_label_book(settings)
    assert book.version and first.description == book.description("information_sharing") != ""
    assert emerging.batch_share == pytest.approx(2 / 3) and emerging.corpus_share == pytest.approx(0.4)


def test_risk_grid_counts_affirmed_factors_only(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    grid = b.grid
    assert "neglect" not in grid.labels  # only ever denied in the batch
    assert grid.labels[0] == "domestic_abuse"
    titles = [r.title for r in grid.reviews]
    da = grid.labels.index("domestic_abuse")
    assert grid.cells[titles.index("Serious Case Review: Family C")][da] == 3
    pairs = {(c.label_a, c.label_b): c.n for c in b.cooccurrence}
    assert pairs[("domestic_abuse", "parental_mental_health")] == 2
    assert pairs[("parental_mental_health", "parental_substance_misuse")] == 1


def test_quotes_are_central_cited_and_on_their_page(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    assert [tq.theme_id for tq in b.quotes] == ["T0001", "T0002", "T0003"]
    quoted = [q for tq in b.quotes for q in tq.quotes]
    assert made.split_sentence not in {q.sentence_id for q in quoted}  # runs over a page break
    for tq in b.quotes:
        assert 3 <= len(tq.quotes) <= 5
        docs = [q.doc_id for q in tq.quotes]
        assert max(docs.count(d) for d in docs) <= 2
    for q in quoted:
        assert q.doc_id in made.batch
        assert quote_on_page(conn, q.doc_id, q.page, q.text)
    # most central first: the highest-similarity quotable member of T0001 leads
    assert b.quotes[0].quotes[0].text.startswith("Information about the domestic abuse incidents")
    assert len({q.text for q in quoted}) == len(quoted)


def test_learning_points_grouped_by_theme_with_recommendations(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    groups = {g.key: g for g in b.learning}
    assert set(groups) == {"T0001", "T0003"}
    assert b.learning[0].key == "T0001" and groups["T0001"].total == 4
    recs = [p for p in groups["T0001"].points if p.recommendation]
    assert [p.quote.section for p in recs] == ["Recommendations"]
    assert all(not p.recommendation for p in groups["T0003"].points)


def test_appendix_versions_run_and_reviews(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings, run_id="run-given")
    versions = dict(b.appendix.versions)
    assert versions["Tagger"] == TAGGER and versions["Tag models"] == "rules"
    assert versions["themes.model_version"] == "minilm-test"
    assert b.appendix.run_id == "run-given"
    assert build_briefing(conn, made.batch, settings).appendix.run_id == "20261126T0900-abc123"
    assert {r.doc_id for r in b.appendix.reviews} == set(made.batch)


def test_labels_stand_in_when_no_themes_were_built(store, settings):
    made = fill_brief_store(store, with_themes=False)
    b = build_briefing(store, made.batch, settings)
    assert b.theme_source == "labels" and b.notes
    ids = [t.theme_id for t in b.themes]
    assert ids[:2] == ["label:domestic_abuse", "label:information_sharing"]
    assert "label:neglect" not in ids
    for tq in b.quotes:
        for q in tq.quotes:
            assert quote_on_page(store, q.doc_id, q.page, q.text)
    assert {g.key for g in b.learning} >= {"label:information_sharing"}


def test_empty_or_unknown_batch_is_a_usage_error(filled, settings):
    conn, _ = filled
    with pytest.raises(UsageError):
        build_briefing(conn, [], settings)
    with pytest.raises(UsageError, match="not in the store"):
        build_briefing(conn, ["0" * 64], settings)


def test_read_only_connection_is_enough(filled, settings):
    from pipeline.store import connect

    _, made = filled
    ro = connect(settings.store_path, readonly=True)
    try:
        assert build_briefing(ro, made.batch, settings).summary.reviews == 3
    finally:
        ro.close()


def test_untagged_reviews_get_a_note_not_an_error(store, settings):
    made = fill_brief_store(store, with_themes=False)
    store.execute("DELETE FROM tags")
    store.execute("DELETE FROM sentence_tagging")
    b = build_briefing(store, made.batch, settings)
    assert any("not been tagged" in n for n in b.notes)
    assert b.themes == () and b.quotes == () and b.learning == () and b.grid.labels == ()
    assert "No themes were found" in " ".join(b.summary.sentences)
