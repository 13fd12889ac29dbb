"""Themes on real PFD sentences with the real embedder: few outliers, IDs kept after 10% more documents."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.records import sentence_id, text_hash
from pipeline.store.themes import member_map
from pipeline.themes.update import update_themes
from tests.helpers.themes import pfd_sentences


def _insert(conn, rows):
    conn.execute("BEGIN")
    by_doc: dict[str, list] = {}
    for rid, text, year in rows:
        by_doc.setdefault(rid, []).append((text, year))
    for rid, items in by_doc.items():
        doc_id = hashlib.sha256(rid.encode()).hexdigest()
        conn.execute("INSERT INTO documents(doc_id, path, source_format, title, review_type, year, pages, sentences,"
                     " ingested_at) VALUES (?, ?, 'txt', ?, 'PFD', ?, 1, ?, 'now')",
                     (doc_id, rid, rid, items[0][1], len(items)))
        for o, (text, _) in enumerate(items):
            conn.execute("INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, text, text_hash)"
                         " VALUES (?, ?, ?, 1, 0, ?, ?, ?)", (sentence_id(doc_id, o), doc_id, o, len(text), text,
                                                            text_hash(text)))
    conn.execute("COMMIT")


@pytest.mark.slow
def test_real_sentences_cluster_with_few_outliers_and_stable_ids(pfd_jsonl, settings, store, real_embedder):
    rows = pfd_sentences(pfd_jsonl)
    reports = sorted({r[0] for r in rows})[:220]
    base, extra = set(reports[:200]), set(reports[200:])
    settings = settings.replace(cluster=settings.cluster.__class__(include=("all",)))
    _insert(store, [r for r in rows if r[0] in base])
    first = update_themes(store, settings, real_embedder)
    assert first.outliers / (first.assigned + first.outliers) <= 0.05
    before = member_map(store)
    _insert(store, [r for r in rows if r[0] in extra])
    update_themes(store, settings, real_embedder)
    after = member_map(store)
    kept = sum(after.get(s) == t for s, t in before.items()) / len(before)
    assert kept >= 0.97
    update_themes(store, settings, real_embedder, rebuild=True)
    rebuilt = member_map(store)
    kept_rebuild = sum(rebuilt.get(s) == t for s, t in after.items()) / len(after)
    assert kept_rebuild >= 0.90, kept_rebuild
