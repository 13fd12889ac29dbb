"""Refresh cost: a refresh with nothing new on a 1,000-document store, and with k new documents.

The 1,000-document store is built by inserting rows, for speed: each document's text comes from a real
coroner's report in ../shared/corpus/pfd/reports.jsonl (715 reports, fewer once identical texts are merged; the rest are the same reports with
a numbered suffix, so new bytes), cut into sentences naively, written to the inbox as .txt and recorded in
`documents`, `document_paths` (with the file's size and mtime), `sentences` and `sentence_tagging`, as the
ingest and extract stages would. The k new documents then go through the real pipeline (ingest, rules +
model tagging, embedding, themes) with the real embedding model, loaded once (its load time is a row of
its own, as a refresh with something new pays it once per process). The new documents are real PFD
reports rendered to PDF by tools/render_pfd.py (new bytes: the store holds them as text).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import Row

REPO = Path(__file__).resolve().parents[1]
PFD = REPO.parent / "shared" / "corpus" / "pfd" / "reports.jsonl"
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _texts(n: int) -> list[str]:
    reports = [json.loads(line) for line in PFD.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = list(dict.fromkeys(
        f"{r.get('investigation', '')}\n\n{r.get('circumstances', '')}\n\n{r.get('concerns', '')}\n" for r in reports))
    return [base[i % len(base)] + ("" if i < len(base) else f"\nCopy {i // len(base)}.\n") for i in range(n)]


def build_store(folder: Path, n_docs: int = 1000):
    """Settings for a store of `n_docs` documents whose inbox files are all known (rows inserted)."""
    from pipeline.config import RefreshSettings, load_settings
    from pipeline.records import sentence_id, text_hash
    from pipeline.store import connect, transaction, utcnow

    settings = load_settings(REPO / "configs" / "settings.yaml")
    settings = settings.replace(
        store=str(folder / "scr.db"), inbox=str(folder / "inbox"), out_dir=str(folder / "out"),
        refresh=RefreshSettings(settle_seconds=0.0, log_file=str(folder / "refresh.jsonl")),
    )
    inbox = settings.path(settings.inbox)
    inbox.mkdir(parents=True)
    conn = connect(settings.store_path)
    past = time.time() - 3600
    for i, text in enumerate(_texts(n_docs)):
        path = (inbox / f"pfd_{i:04d}.txt").resolve()
        path.write_text(text, encoding="utf-8")
        os.utime(path, (past, past))
        data = path.read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()
        sentences = [s for s in _SPLIT.split(" ".join(text.split())) if s]
        now = utcnow()
        with transaction(conn):
            conn.execute(
                "INSERT INTO documents(doc_id, path, source_format, title, review_type, pages, sentences, size_bytes,"
                " ingested_at) VALUES (?, ?, 'txt', ?, 'PFD', 1, ?, ?, ?)",
                (doc_id, str(path), f"PFD {i}", len(sentences), len(data), now))
            st = path.stat()
            conn.execute("INSERT INTO document_paths(path, doc_id, mtime, size, seen_at) VALUES (?, ?, ?, ?, ?)",
                         (str(path), doc_id, st.st_mtime, st.st_size, now))
            conn.execute("INSERT INTO pages(doc_id, page, text) VALUES (?, 1, ?)", (doc_id, " ".join(sentences)))
            for k, s in enumerate(sentences):
                sid = sentence_id(doc_id, k)
                conn.execute("INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, text, text_hash)"
                             " VALUES (?, ?, ?, 1, 0, ?, ?, ?)", (sid, doc_id, k, len(s), s, text_hash(s)))
                conn.execute("INSERT INTO sentence_tagging(sentence_id, tagger_version, learning_point,"
                             " learning_point_score, tagged_at) VALUES (?, 'bench', 0, 0.0, ?)", (sid, now))
    conn.close()
    return settings


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _cli_seconds(settings, folder: Path) -> float:
    import yaml

    config = folder / "bench-settings.yaml"
    config.write_text(yaml.safe_dump({
        "store": str(settings.store_path), "inbox": str(settings.path(settings.inbox)),
        "taxonomy": str(REPO / "configs" / "taxonomy.yaml"),
        "refresh": {"settle_seconds": 0, "log_file": settings.refresh.log_file},
    }), encoding="utf-8")
    scr = REPO / ".venv" / "bin" / "scr"
    argv = [str(scr)] if scr.exists() else [sys.executable, "-m", "pipeline.cli.main"]
    argv += ["--config", str(config), "refresh"]

    def once():
        done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"scr refresh exited {done.returncode}: {done.stderr.strip()[-300:]}")

    return _best(once)


def bench(quick: bool) -> list[Row]:
    from pipeline.embed.model import load_embedder
    from pipeline.ops.refresh import refresh

    rows: list[Row] = []
    ks = (1, 4) if quick else (1, 4, 16)
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        settings = build_store(folder, 1000)
        build_s = time.perf_counter() - started
        noop = _best(lambda: refresh(settings))
        note = f"store of 1,000 documents built by inserting rows from the real PFD reports ({build_s:.0f} s)"
        rows.append(Row("refresh", "no-op refresh, 1,000-document store (function)", noop, "s",
                        target="<= 2 s", notes=note))
        cli = _cli_seconds(settings, folder)
        rows.append(Row("refresh", "no-op `scr refresh` process, 1,000-document store", cli, "s",
                        target="<= 2 s", notes="process start-up and imports included; best of 3"))
        started = time.perf_counter()
        embedder = load_embedder(settings.embed)
        rows.append(Row("refresh", "embedding model load (paid once by a refresh with something new)",
                        time.perf_counter() - started, "s"))
        inbox = settings.path(settings.inbox)
        from tools.render_pfd import render_reports

        rendered = render_reports(PFD, folder / "rendered", limit=sum(ks))
        used = 0
        for k in ks:
            past = time.time() - 60
            for pdf in rendered[used:used + k]:
                path = inbox / f"new_{used:04d}.pdf"
                shutil.copyfile(pdf, path)
                os.utime(path, (past, past))
                used += 1
            started = time.perf_counter()
            summary = refresh(settings, embedder=embedder)
            seconds = time.perf_counter() - started
            rows.append(Row("refresh", f"refresh with {k} new document(s), 1,000-document store", seconds, "s",
                            baseline="no-op refresh", baseline_value=noop,
                            notes=f"added {summary.added}, {summary.sentences} sentences, {summary.tags} tags; "
                                  f"stages {', '.join(f'{s} {v:.1f} s' for s, v in summary.stage_seconds.items())}"))
    return rows
