"""A query near nothing in the store finds nothing: the absolute similarity floor of the semantic ranking
(search.SEMANTIC_FLOOR) on the real all-MiniLM-L6-v2, over the research store's fictional reviews."""

from __future__ import annotations

import pytest

from pipeline.query.screening import screen_documents
from pipeline.query.search import search, similarity_floor
from pipeline.store import connect
from tests.helpers.research import research_settings

pytestmark = pytest.mark.slow

NONSENSE = ("zzqqxxyy", "asdfgh qwerty", "lorem ipsum dolor sit amet", "xkcd blorp")


@pytest.fixture(scope="module")
def conn(tmp_path_factory, real_embedder):
    settings, _ = research_settings(tmp_path_factory.mktemp("floor"), real_embedder)
    c = connect(settings.store_path, readonly=True)
    yield c
    c.close()


def test_the_real_model_has_a_floor_and_others_do_not(real_embedder):
    assert similarity_floor(real_embedder.name) == pytest.approx(0.40)
    assert similarity_floor("hashing-256") is None


@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_finds_nothing(conn, real_embedder, text):
    for mode in ("hybrid", "semantic"):
        result = search(conn, text, None, real_embedder, mode=mode)
        assert (result.total, result.hits, result.total_text) == (0, (), "0"), mode
    screened = screen_documents(conn, text, None, real_embedder)
    assert screened.relevant == 0 and not any(d.relevant for d in screened.documents)


@pytest.mark.parametrize("text, best", [
    ("information not shared", "Information about his self-harm was not shared between the school and the GP."),
    ("domestic abuse", "Child X lived with domestic abuse between his mother and her partner."),
    ("case closed too soon", "The case was closed after the family stopped engaging"),
    ("child not seen", "The child was not spoken to alone by any professional"),
])
def test_real_questions_keep_their_results(conn, real_embedder, text, best):
    hybrid = search(conn, text, None, real_embedder, limit=5)
    assert hybrid.total > 0 and any(h.text.startswith(best) for h in hybrid.hits)
    semantic = search(conn, text, None, real_embedder, mode="semantic", limit=50)
    assert all(h.similarity >= 0.40 for h in semantic.hits)
    if text != "information not shared":  # its best cosine here is 0.377: found by its words, not its meaning
        assert semantic.hits and semantic.hits[0].text.startswith(best)



@pytest.mark.parametrize("text, mode", [("domestic abuse", "hybrid"), ("information not shared", "keyword")])
def test_screening_keeps_real_questions(conn, real_embedder, text, mode):
    """A question near something is screened as before; one whose best cosine is under the floor is screened
    by its words (as a store without vectors is), not by the noise of its z-scores."""
    screened = screen_documents(conn, text, None, real_embedder)
    assert screened.mode == mode and screened.relevant == 1
    assert screened.documents[0].title.startswith("Child X")
