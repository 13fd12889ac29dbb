"""`extract_pending` on a small store: tags written with assertion and evidence, incremental, re-tags on a
taxonomy change."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.run import extract_pending
from pipeline.extract.tagger import Tagger
from tests.helpers.extract import insert_document
from tests.test_extract_taxonomy import MINIMAL


def test_extract_pending_incremental(store, settings, tmp_path):
    sids = insert_document(store, "a" * 64, [
        ("Police were called after neighbours heard shouting.", "Chronology"),
        ("There was no evidence of neglect.", None),
        ("The review found that information was not shared between agencies.", "Findings"),
    ])
    tagger = Tagger.from_settings(settings, use_model=False)
    report = extract_pending(store, settings, tagger)
    assert report.sentences_tagged == 3 and report.documents == 1
    rows = {(r["sentence_id"], r["label"]): r for r in store.execute("SELECT * FROM tags")}
    da = rows[(sids[0], "domestic_abuse")]
    assert da["assertion"] == "present" and da["source"] == "rule" and da["model_version"] == "rules-only"
    assert (da["start"], da["end"]) == (0, len("Police were called after neighbours heard shouting"))
    assert rows[(sids[1], "neglect")]["assertion"] == "negated"
    assert (sids[2], "information_sharing") in rows
    lp = dict(store.execute("SELECT sentence_id, learning_point FROM sentence_tagging").fetchall())
    assert lp[sids[2]] == 1 and lp[sids[0]] == 0

    again = extract_pending(store, settings, tagger)
    assert again.sentences_tagged == 0

    insert_document(store, "b" * 64, [("Mother denied any drug use.", None)])
    third = extract_pending(store, settings, tagger)
    assert third.sentences_tagged == 1

    frame = tmp_path / "frame.yaml"
    frame.write_text(MINIMAL, encoding="utf-8")
    other = Tagger.from_settings(settings, taxonomy_path=Path(frame), use_model=False)
    assert other.version != tagger.version
    retag = extract_pending(store, settings, other)
    assert retag.sentences_tagged == 4
    assert store.execute("SELECT COUNT(*) FROM tags WHERE label = 'domestic_abuse'").fetchone()[0] == 0
