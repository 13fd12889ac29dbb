"""The embedder protocol. Expensive steps are injectable: a test passes a small deterministic embedder,
integration tests and the product use the real model (pipeline.embed.model)."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    name: str
    """Recorded beside every cached vector (model name plus backend variant)."""
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dim), each row L2-normalised."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class HashingEmbedder:
    """A small deterministic embedder for fast tests of the stages *around* embedding (clustering,
    search plumbing): hashed word and bigram counts projected to `dim` dimensions. Not a language model."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(n_features=self.dim, ngram_range=(1, 2), alternate_sign=False, norm=None)
        dense = vec.transform(list(texts)).toarray().astype(np.float32)
        return normalise(dense)
