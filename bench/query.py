"""Hybrid query latency on a synthetic store of 200,000 sentences (20,000 with --quick).

The store is SYNTHETIC: generated sentences (a Zipf-like draw from a 3,000-word vocabulary plus two
safeguarding terms each) in 2,000 documents with metadata, and 384-dim L2-normalised vectors in the
embeddings table drawn around random centroids of each sentence's terms plus noise (clustered, as real
sentence embeddings are; no model is run to build it). Each query runs the full hybrid path of
pipeline.query.search (FTS5 BM25 + matrix-vector similarity over all vectors + filters + reciprocal rank
fusion + fetching hits with tags); the query vector comes from a stand-in embedder, so the real model's
query embedding (measured separately below when the model loads) comes on top. Baseline: plain FTS5
(bm25, top 20) for the same queries.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 384
TERMS = ("information sharing", "domestic abuse", "school attendance", "mental health", "social worker",
         "strategy meeting", "health visitor", "neglect", "self-harm", "police", "housing", "escalation",
         "supervision", "assessment", "voice of the child", "missing", "county lines", "bruising", "drugs",
         "learning")


NOISE = 0.08


def _centroids(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    words = sorted(set(" ".join(TERMS).split()))
    return {w: rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM) for w in words}


class StandInEmbedder:
    """Vectors from the centroids of the known terms in a text, plus noise (the store's vector space)."""

    name = "bench-synthetic-384"
    dim = DIM

    def __init__(self, seed: int = 1) -> None:
        self._rng = np.random.default_rng(seed)
        self._centroids = _centroids()

    def embed(self, texts):
        out = self._rng.standard_normal((len(texts), DIM)).astype(np.float32) * NOISE
        for i, text in enumerate(texts):
            for w in text.lower().replace(".", " ").split():
                if w in self._centroids:
                    out[i] += self._centroids[w]
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def build_store(path: Path, n_sentences: int, seed: int = 0) -> None:
    from pipeline.records import text_hash
    from pipeline.store import connect

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(3000)]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    topical = " ".join(TERMS).split()
    n_docs = max(1, n_sentences // 100)
    conn = connect(path)
    conn.execute("BEGIN")
    for d in range(n_docs):
        doc_id = f"{d:064x}"
        conn.execute(
            "INSERT INTO documents(doc_id, path, source_format, title, review_type, year, area, subject_age,"
            " outcome, cause, pages, sentences, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc_id, f"/bench/{d}.pdf", "pdf", f"Synthetic review {d}", rnd.choice(["SCR", "CSPR", "SAR"]),
             2008 + d % 17, rnd.choice(["North", "South", "East", "West"]), float(rnd.randint(0, 17)), "death",
             rnd.choice(["suicide", "maltreatment", "unknown"]), 30, 100, "2026-11-26"))
    rows, vectors = [], []
    for i in range(n_sentences):
        d = i // 100
        words = rnd.choices(vocab, weights, k=rnd.randint(8, 24)) + rnd.sample(topical, 2)
        rnd.shuffle(words)
        text = " ".join(words).capitalize() + f" {i}."
        rows.append((f"{d:016x}:{i % 100:05d}", f"{d:064x}", i % 100, 1 + (i % 100) // 4, 0, len(text), text,
                     text_hash(text)))
    conn.executemany("INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, text, text_hash)"
                     " VALUES (?,?,?,?,?,?,?,?)", rows)
    embedder = StandInEmbedder(seed)
    for start in range(0, n_sentences, 20_000):
        chunk = rows[start: start + 20_000]
        v = embedder.embed([r[6] for r in chunk])
        conn.executemany("INSERT INTO embeddings(model, text_hash, dim, vector) VALUES (?,?,?,?)",
                         [(StandInEmbedder.name, r[7], DIM, v[j].tobytes()) for j, r in enumerate(chunk)])
    conn.executemany(
        "INSERT INTO tags(sentence_id, label, kind, score, source, model_version) VALUES (?,?,?,?,?,?)",
        [(r[0], "domestic_abuse", "risk_factor", 0.9, "rule", "bench") for r in rows[::7]])
    conn.execute("COMMIT")
    conn.close()


CACHE_DIR = Path(tempfile.gettempdir()) / "scr-bench-query"
STORE_VERSION = 1
"""Bump when build_store changes, so a cached store from an older builder is not reused."""


def cached_store(n_sentences: int, scratch: Path) -> tuple[Path, bool]:
    """The synthetic store of n sentences, reused from CACHE_DIR when built before (building 200,000
    sentences takes over a minute); set SCR_BENCH_NO_CACHE=1 to build a fresh one in `scratch`.
    Returns (path, reused)."""
    if os.environ.get("SCR_BENCH_NO_CACHE") == "1":
        path = scratch / "bench.db"
        build_store(path, n_sentences)
        return path, False
    path = CACHE_DIR / f"store-v{STORE_VERSION}-{n_sentences}.db"
    if path.exists():
        return path, True
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = CACHE_DIR / f"{path.stem}.{os.getpid()}.partial"
    build_store(partial, n_sentences)
    conn = sqlite3.connect(partial)  # out of WAL mode: the cached store is one self-contained file
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    os.replace(partial, path)
    return path, False


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def bench(quick: bool) -> list:
    from bench.run import Row
    from pipeline.query.filters import QueryFilters
    from pipeline.query.search import search
    from pipeline.query.terms import fts_expression, query_terms
    from pipeline.query.vectors import clear_cache, vector_index
    from pipeline.store import connect

    n = 20_000 if quick else 200_000
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path, reused = cached_store(n, Path(tmp))
        build_s = time.perf_counter() - started
        conn = connect(path, readonly=True)
        embedder = StandInEmbedder()
        clear_cache()
        t = time.perf_counter()
        search(conn, "warm up", None, embedder, limit=20)
        load_s = time.perf_counter() - t
        queries = [(q, QueryFilters()) for q in TERMS] + \
                  [(q, QueryFilters(year_from=2012, year_to=2020, max_age=15)) for q in TERMS[:10]] + \
                  [(q, QueryFilters(labels=("domestic_abuse",))) for q in TERMS[10:]]
        hybrid, plain = [], []
        for _ in range(2 if quick else 3):
            for text, filters in queries:
                t = time.perf_counter()
                result = search(conn, text, filters, embedder, limit=20)
                hybrid.append((time.perf_counter() - t) * 1000)
                assert result.mode == "hybrid"
                expr = fts_expression(query_terms(text))
                t = time.perf_counter()
                conn.execute("SELECT rowid, text FROM sentences_fts WHERE sentences_fts MATCH ?"
                             " ORDER BY bm25(sentences_fts) LIMIT 20", (expr,)).fetchall()
                plain.append((time.perf_counter() - t) * 1000)
        index = vector_index(conn, embedder.name)
        recalls = []
        for text in TERMS:
            q = embedder.embed([text])[0]
            exact = set(np.argsort(-index.exact_similarities(q))[:200].tolist())
            fast = set(np.argsort(-index.similarities(q))[:200].tolist())
            recalls.append(len(exact & fast) / 200)
        two_stage = index.reduced is not None
        conn.close()
    h50, h95 = _percentiles(hybrid)
    p50, p95 = _percentiles(plain)
    note = f"synthetic store, {n:,} sentences, synthetic clustered vectors; {len(hybrid)} queries, a third with filters"
    rows.append(Row("query", "hybrid query p50", h50, "ms", "plain FTS5 bm25 top-20", p50, "", note))
    rows.append(Row("query", "hybrid query p95", h95, "ms", "plain FTS5 bm25 top-20", p95, "<= 100 ms",
                    "excludes the query embedding (next row)"))
    rows.append(Row("query", "vector matrix load (first query)", load_s, "s", "", None, "",
                    f"once per process; store {'reused from ' + str(CACHE_DIR) if reused else 'built'}"
                    f" in {build_s:.0f} s"))
    rows.append(Row("query", "semantic top-200 recall vs exact", statistics.mean(recalls), "share", "", None, "",
                    "two-stage (reduced dims, exact re-rank)" if two_stage else "exact (small store)"))
    try:
        from pipeline.config import EmbedSettings
        from pipeline.embed.model import load_embedder

        model = load_embedder(EmbedSettings())
        model.embed(["warm up"])
        times = []
        for text in TERMS:
            t = time.perf_counter()
            model.embed([text])
            times.append((time.perf_counter() - t) * 1000)
        e50, e95 = _percentiles(times)
        rows.append(Row("query", "query embedding p95 (real model)", e95, "ms", "", None, "",
                        f"{model.name}; p50 {e50:.1f} ms; add to the hybrid figure"))
    except Exception as exc:  # the model is optional for this benchmark
        rows.append(Row("query", "query embedding (real model)", float("nan"), "ms", "", None, "",
                        f"not measured: {type(exc).__name__}"))
    return rows
