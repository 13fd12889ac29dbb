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
    assert fast.name == "all-MiniLM-L6-v2/onnx-int8" and stock.name == "all-MiniLM-L6-v2"
    assert (tmp_path / "onnx").is_dir()  # built on first use, in the configured cache folder
    a, b = fast.embed(texts), stock.embed(texts)
    assert a.shape == b.shape == (100, 384)
    cosine = (a * b).sum(axis=1)
    assert cosine.mean() >= 0.99 and cosine.min() >= 0.95
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    # the order of the input does not change a sentence's vector (length-sorted batches are put back)
    assert np.allclose(fast.embed(texts[::-1])[::-1], a, atol=1e-5)
