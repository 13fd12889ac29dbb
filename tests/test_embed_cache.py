"""embed_cached: only missing vectors are computed; rows align with the input; names keep models apart."""

from __future__ import annotations

import numpy as np

from pipeline.embed.base import HashingEmbedder
from pipeline.embed.cache import embed_cached
from pipeline.store import connect


class CountingEmbedder(HashingEmbedder):
    def __init__(self, dim: int = 32) -> None:
        super().__init__(dim)
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        return super().embed(texts)


def test_cached_vectors_are_reused_and_aligned(store):
    emb = CountingEmbedder()
    texts = ["the child was not seen alone", "records were not shared", "the child was not seen alone"]
    done = []
    first = embed_cached(store, emb, texts, progress=done.append)
    assert emb.seen == texts[:2] and sum(done) == 3
    assert np.allclose(first, emb.embed(texts))
    emb.seen.clear()
    again = embed_cached(store, emb, texts + ["a new sentence"])
    assert emb.seen == ["a new sentence"]
    assert np.array_equal(again[:3], first)
    other = HashingEmbedder(16)
    assert embed_cached(store, other, texts[:1]).shape == (1, 16)
    models = {r[0] for r in store.execute("SELECT DISTINCT model FROM embeddings")}
    assert models == {"hashing-32", "hashing-16"}


def test_read_only_connection_computes_without_storing(settings, store):
    emb = HashingEmbedder(32)
    ro = connect(settings.store_path, readonly=True)
    try:
        vectors = embed_cached(ro, emb, ["records were not transferred"])
    finally:
        ro.close()
    assert vectors.shape == (1, 32)
    assert store.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 0
