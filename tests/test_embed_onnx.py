"""The ONNX int8 backend keeps the stock vectors (mean cosine >= 0.99) under a different cache name."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers.themes import pfd_sentences


@pytest.mark.slow
def test_onnx_vectors_match_stock_sentence_transformers(pfd_jsonl, tmp_path):
    from pipeline.config import EmbedSettings
    from pipeline.embed.model import load_embedder

    texts = [s for _, s, _ in pfd_sentences(pfd_jsonl)][::97][:100]
    assert len(texts) == 100
    fast = load_embedder(EmbedSettings(backend="onnx", onnx_cache=str(tmp_path / "onnx")))
    stock = load_embedder(EmbedSettings(backend="torch"))
    assert fast.name == "all-MiniLM-L6-v2/onnx-int8-single" and stock.name == "all-MiniLM-L6-v2"
    assert (tmp_path / "onnx").is_dir()  # built on first use, in the configured cache folder
    a, b = fast.embed(texts), stock.embed(texts)
    assert a.shape == b.shape == (100, 384)
    cosine = (a * b).sum(axis=1)
    assert cosine.mean() >= 0.99 and cosine.min() >= 0.95
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    # the order of the input does not change a sentence's vector (length-sorted batches are put back)
    assert np.allclose(fast.embed(texts[::-1])[::-1], a, atol=1e-5)


@pytest.mark.slow
def test_a_sentences_vector_and_verdict_do_not_depend_on_what_it_is_embedded_with(pfd_jsonl, settings):
    """Dynamic int8 quantisation scales a whole input tensor at once: batched, a sentence's vector moved with
    its neighbours (cosine down to 0.988) and a label could cross its threshold between `scr tag` of one
    sentence and `scr extract` of a document. Each sentence now runs alone, in parallel threads."""
    from pipeline.config import EmbedSettings
    from pipeline.embed.model import load_embedder
    from pipeline.extract.tagger import Tagger

    texts = [s for _, s, _ in pfd_sentences(pfd_jsonl)][::53][:80]
    fast = load_embedder(EmbedSettings(backend="onnx", threads=2))
    alone = np.vstack([fast.embed([t]) for t in texts])
    padded = fast.embed(["Yes."] + texts[40:] + ["word " * 200] + texts[:40])
    assert np.array_equal(np.vstack([padded[42:], padded[1:41]]), alone)
    assert np.array_equal(load_embedder(EmbedSettings(backend="onnx", threads=1)).embed(texts), alone)

    tagger = Tagger.from_settings(settings, embedder=fast)
    one_by_one = [tagger.tag([t])[0] for t in texts[:20]]
    together = tagger.tag(texts[20:40] + texts[:20])[20:]
    assert [(v.labels, v.scores, v.learning_point_score) for v in one_by_one] == \
        [(v.labels, v.scores, v.learning_point_score) for v in together]
