"""Clustering: time and peak memory at 10k / 50k / 200k sentences (synthetic 384-dim vectors with cluster
structure), and quality on the real PFD sentences (all 715 reports) against scikit-learn's HDBSCAN with default
settings (BERTopic's clusterer; BERTopic itself cannot be installed offline: it needs umap-learn, hdbscan and
numba, outside this project's dependencies).

Peak memory: each size runs in a fresh subprocess and the parent reads that child's own rusage (os.wait4),
so the figure is the whole clustering process (interpreter, numpy, the vectors, the fit), never the bench's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.run import Row

ROOT = Path(__file__).resolve().parents[1]
PFD = ROOT.parent / "shared" / "corpus" / "pfd" / "reports.jsonl"

_SCALE = """
import json, sys, time
import numpy as np
from pipeline.config import ClusterSettings
from pipeline.themes.cluster import cluster_vectors
n = int(sys.argv[1])
rng = np.random.default_rng(0)
centres = rng.normal(size=(80, 384)).astype(np.float32)
x = centres[rng.integers(80, size=n)] + rng.normal(scale=1.3, size=(n, 384)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
started = time.perf_counter()
c = cluster_vectors(x, ClusterSettings())
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "themes": int(len(c.centroids)), "outliers": float((c.labels < 0).mean())}))
"""


def _run_measured(args: list[str]) -> tuple[str, float]:
    """(stdout, peak RSS in MB) of a fresh child process, from its own rusage."""
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"cluster bench child failed with exit {proc.returncode}")
    return stdout, usage.ru_maxrss / 1024


def _scale_row(n: int) -> Row:
    stdout, rss_mb = _run_measured([sys.executable, "-c", _SCALE, str(n)])
    data = json.loads(stdout.strip().splitlines()[-1])
    data["rss_mb"] = rss_mb
    return Row("cluster", f"cluster {n:,} sentences (PCA-50 + k-means)", data["seconds"], "s", target="minutes",
               notes=f"peak RSS {data['rss_mb']:.0f} MB (incl. {n * 384 * 4 / 2**20:.0f} MB of vectors); "
                     f"{data['themes']} themes; outliers {data['outliers']:.1%}")


def _quality_rows(limit: int) -> list[Row]:
    import numpy as np
    from sklearn.cluster import HDBSCAN
    from sklearn.decomposition import PCA

    from pipeline.config import EmbedSettings, load_settings
    from pipeline.embed.model import load_embedder
    from pipeline.themes.cluster import cluster_vectors
    from pipeline.themes.keywords import keyword_rules, theme_keywords
    from pipeline.themes.quality import measure
    from tests.helpers.themes import pfd_sentences

    rows = pfd_sentences(PFD)
    step = max(1, len(rows) // limit) if limit else 1
    texts = [s for _, s, _ in rows[::step]][:limit or None]
    vectors = load_embedder(EmbedSettings(backend="onnx")).embed(texts)
    settings = load_settings(ROOT / "configs" / "settings.yaml")
    started = time.perf_counter()
    ours = cluster_vectors(vectors, settings.cluster)
    ours_s = time.perf_counter() - started
    rules = keyword_rules(settings)
    kw = theme_keywords({c: [t for t, l in zip(texts, ours.labels) if l == c] for c in range(len(ours.centroids))},
                        rules=rules)
    q = measure(vectors, ours.labels, texts, kw)
    started = time.perf_counter()
    reduced = PCA(50, random_state=0).fit_transform(vectors)
    hdb = HDBSCAN().fit(reduced).labels_
    hdb_s = time.perf_counter() - started
    hk = theme_keywords({c: [t for t, l in zip(texts, hdb) if l == c] for c in sorted(set(hdb.tolist()) - {-1})},
                        rules=rules)
    hq = measure(vectors, hdb, texts, hk)
    n = f"{len(texts)} PFD sentences ({'all 715 reports' if not limit else 'a sample'}), ONNX vectors"
    bt = "BERTopic itself not installable offline (needs numba, umap-learn, hdbscan)"
    return [
        Row("cluster", "outlier share, ours", q.outlier_share, "share", "HDBSCAN defaults (PCA-50)", hq.outlier_share,
            "<= 0.05", f"{n}; {bt}"),
        Row("cluster", "number of themes, ours", q.themes, "themes", "HDBSCAN defaults (PCA-50)", hq.themes, "", n),
        Row("cluster", "silhouette (cosine), ours", q.silhouette or 0.0, "", "HDBSCAN defaults", hq.silhouette, "",
            "HDBSCAN's figure is over its non-noise points only"),
        Row("cluster", "keyword NPMI, ours", q.npmi or 0.0, "", "HDBSCAN defaults", hq.npmi, "", n),
        Row("cluster", f"clustering time at {len(texts)} sentences, ours", ours_s, "s", "HDBSCAN defaults (PCA-50)",
            hdb_s, notes=bt),
    ]


def bench(quick: bool) -> list[Row]:
    sizes = (10_000, 50_000) if quick else (10_000, 50_000, 200_000)
    rows = [_scale_row(n) for n in sizes]
    if PFD.is_file():
        rows += _quality_rows(2000 if quick else 0)
    return rows
