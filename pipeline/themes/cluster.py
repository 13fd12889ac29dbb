"""The clustering method: PCA to 50 dimensions, k-means with a fixed seed, then assignment by cosine.

Why this method (numbers from ../shared/MEASURED.md and bench/cluster.py on this 2-core machine):
- HDBSCAN (what BERTopic uses) takes 68-146 s at 10k raw 384-dim points and > 600 s at 50k; even after PCA-50
  it needs 82-178 s at 50k, and it leaves a large share as noise (bench/cluster.py measures ~40-60% on the
  PFD sentences), which the <= 5% outlier target forbids. Agglomerative ward needs a kNN graph to stay under
  n^2 memory and still takes ~100 s at 50k.
- PCA-50 + k-means fits in ~1-2 s at 50k; it scales linearly, and with a fixed seed, one BLAS thread and a
  fixed sentence order it gives the same result bit for bit. Every sentence falls in its nearest theme, so
  outliers are only the sentences too far from every centroid (cosine below `assign_threshold` in the full
  384-dim space).
- Every clustering ends with spherical k-means in the full 384 dimensions run to a fixed point (no sentence
  changes theme). A rebuild starts from the existing themes' centroids and settles from there, so on an
  unchanged store it gives back the same themes bit for bit, and with new material the themes move only
  locally (this is what keeps IDs stable). New centres are added only for as many typical-sized themes as the
  sentences no old theme fits could fill, seeded with k-means++ among the sentences the old themes cover worst.

Clusters smaller than `min_cluster_size` are dissolved and their sentences go to the nearest kept theme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pipeline.config import ClusterSettings as ClusterParams
from pipeline.embed.base import normalise

_CHUNK = 20000


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray
    """Cluster index per row (0..k-1), -1 for an outlier. Clusters are ordered by size, largest first."""
    similarity: np.ndarray
    """Cosine of each row to its nearest centroid (the one it was assigned to, or would be)."""
    centroids: np.ndarray
    """(k, dim) L2-normalised centroids in the input space."""
    nearest: np.ndarray
    """Nearest cluster index per row, even for outliers."""


def choose_k(n: int, params: ClusterParams) -> int:
    if params.n_clusters > 0:
        return max(1, min(params.n_clusters, n))
    by_size = max(1, n // max(1, params.min_cluster_size))
    return max(1, min(params.max_clusters, max(2, round(math.sqrt(n / 2))), by_size))


def nearest_centroids(vectors: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, cosine) of the nearest centroid for each row, in chunks to bound memory."""
    idx = np.empty(len(vectors), dtype=np.int64)
    sim = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), _CHUNK):
        scores = vectors[start : start + _CHUNK] @ centroids.T
        idx[start : start + _CHUNK] = scores.argmax(axis=1)
        sim[start : start + _CHUNK] = scores.max(axis=1)
    return idx, sim


def _means(vectors: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    sums = np.zeros((k, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, labels, vectors.astype(np.float64))
    return normalise(sums.astype(np.float32))


SETTLE_ROUNDS = 50


def _settle(vectors: np.ndarray, centroids: np.ndarray, min_size: int) -> np.ndarray:
    """Spherical k-means in full dimensions from `centroids` until no row changes theme (at most SETTLE_ROUNDS),
    dissolving clusters under `min_size` on the way. Its result is a fixed point: settling it again changes
    nothing, which is what makes a rebuild of an unchanged store give back the same themes."""
    labels = None
    for _ in range(SETTLE_ROUNDS):
        nearest, _ = nearest_centroids(vectors, centroids)
        sizes = np.bincount(nearest, minlength=len(centroids))
        keep = np.flatnonzero(sizes >= min_size)
        if len(keep) == 0:
            keep = np.array([int(sizes.argmax())])
        if len(keep) < len(centroids):
            centroids, labels = centroids[keep], None
            continue
        if labels is not None and np.array_equal(labels, nearest):
            break
        labels = nearest
        centroids = _means(vectors, nearest, len(centroids))
    return centroids


def _fresh(vectors: np.ndarray, k: int, params: ClusterParams) -> np.ndarray:
    """First clustering: PCA to `pca_dims`, k-means (k-means++ seeds, fixed seed) on a fixed-seed sample of at
    most `fit_sample` rows; returns the full-dimension means of the clusters over all rows."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    n, dim = vectors.shape
    rng = np.random.default_rng(params.random_state)
    fit_rows = np.sort(rng.choice(n, params.fit_sample, replace=False)) if n > params.fit_sample else np.arange(n)
    sample = vectors[fit_rows]
    dims = max(1, min(params.pca_dims, dim, len(sample) - 1))
    if k == 1 or len(sample) <= 2:
        return _means(vectors, np.zeros(n, dtype=np.int64), 1)
    pca = PCA(n_components=dims, svd_solver="full").fit(sample)

    def project(x: np.ndarray) -> np.ndarray:
        return normalise(pca.transform(x))

    km = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=100, random_state=params.random_state)
    km.fit(project(sample))
    labels = np.concatenate([km.predict(project(vectors[s : s + _CHUNK])) for s in range(0, n, _CHUNK)])
    return _means(vectors, labels, k)


def _from_init(vectors: np.ndarray, init: np.ndarray, k: int, params: ClusterParams) -> np.ndarray:
    """A rebuild: the existing centroids, plus new centres (k-means++ among the rows they cover worst) only
    for as many typical-sized themes as the sentences no existing theme fits could fill."""
    from sklearn.cluster import kmeans_plusplus

    n = len(vectors)
    _, cover = nearest_centroids(vectors, init)
    unfit = int((cover < params.assign_threshold).sum())
    typical = max(params.min_cluster_size, n // max(1, k))
    extra = min(n - len(init), unfit // typical)
    if extra <= 0:
        return init
    pool = vectors[np.argsort(cover, kind="stable")[: max(extra * 20, min(n, 2000))]]
    seeds, _ = kmeans_plusplus(pool, n_clusters=min(extra, len(pool)), random_state=params.random_state)
    return np.vstack([init, normalise(seeds.astype(np.float32))])


def cluster_vectors(vectors: np.ndarray, params: ClusterParams, init: np.ndarray | None = None) -> Clustering:
    """Cluster L2-normalised `vectors` (rows in a fixed order); deterministic for the same input.

    `init`: centroids (full dimensions) to start from, e.g. the current themes' centroids on a rebuild.
    """
    from threadpoolctl import threadpool_limits

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Clustering(empty, np.zeros(0, np.float32), np.zeros((0, dim), np.float32), empty)
    k = choose_k(n, params)
    with threadpool_limits(limits=1):  # one thread: float sums in one order, the same bits on every run
        if init is not None and len(init):
            centroids = _from_init(vectors, normalise(np.asarray(init, dtype=np.float32)), k, params)
        else:
            centroids = _fresh(vectors, k, params)
        centroids = _settle(vectors, centroids, min(params.min_cluster_size, n))
        nearest, sim = nearest_centroids(vectors, centroids)
    sizes = np.bincount(nearest, minlength=len(centroids))
    first = np.full(len(centroids), n, dtype=np.int64)
    np.minimum.at(first, nearest, np.arange(n))
    order = np.lexsort((first, -sizes))  # largest first, ties by first member
    order = order[sizes[order] > 0]
    remap = np.full(len(centroids), -1, dtype=np.int64)
    remap[order] = np.arange(len(order))
    nearest = remap[nearest]
    centroids = centroids[order]
    labels = np.where(sim >= params.assign_threshold, nearest, -1)
    return Clustering(labels=labels, similarity=sim, centroids=centroids, nearest=nearest)
