"""Helpers for the extraction tests: sentences we wrote ourselves, a small gold file, a tiny store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pipeline.records import text_hash

# (text, affirmed labels that must be found, labels that must be reported negated, labels that must NOT be affirmed)
RULE_CASES = [
    ("Police were called after neighbours heard shouting at the flat.", {"domestic_abuse"}, set(), set()),
    ("There was no evidence of domestic abuse in the household.", set(), {"domestic_abuse"}, {"domestic_abuse"}),
    ("Mother denied any drug use and tests were negative.", set(), {"parental_substance_misuse"}, {"parental_substance_misuse"}),
    ("No concerns about neglect were raised by the school.", set(), {"neglect"}, {"neglect"}),
    ("Neglect was ruled out by the paediatrician.", set(), {"neglect"}, {"neglect"}),
    ("The father was not known to misuse drugs.", set(), {"parental_substance_misuse"}, {"parental_substance_misuse"}),
    ("The school's information evening was well attended by parents.", set(), set(), {"information_sharing"}),
    ("A drug chart on the ward recorded each dose.", set(), set(), {"parental_substance_misuse"}),
    ("Information about the father's violence was not shared with the health visitor.", {"information_sharing"}, set(), set()),
    ("The baby was not brought to three health appointments.", {"neglect"}, set(), set()),
    ("Mother had been sexually abused as a child by her stepfather.", {"parental_history"}, set(), {"sexual_abuse"}),
    ("The social worker's own mother had suffered from depression.", set(), set(), {"parental_mental_health"}),
    ("In 2010 police attended a domestic incident at the address.", {"domestic_abuse"}, set(), set()),
    ("Mother was diagnosed with postnatal depression after the birth.", {"parental_mental_health"}, set(), set()),
    ("She had been self-harming since the age of 13 and was referred to CAMHS.", {"child_mental_health"}, set(), set()),
    ("The baby had been co-sleeping with both parents on the sofa.", {"unsafe_sleep"}, set(), set()),
    # a pseudo-trigger ("nobody") no longer masks the longer denial that contains it
    ("The girl said that nobody had ever touched her inappropriately.", set(), {"sexual_abuse"}, {"sexual_abuse"}),
    # a partner named in passing is not a hidden man; one nobody assessed is
    ("Mother's partner drove the family to the hospital.", set(), set(), {"hidden_men"}),
    ("Mother's new partner was never assessed by children's social care.", {"hidden_men"}, set(), set()),
    ("Staff shared a lunch break in the staff room.", set(), set(), {"supervision_workload"}),
]

GOLD = [
    {"text": "There was no evidence of domestic abuse.", "labels": [], "negated": ["domestic_abuse"], "learning_point": False},
    {"text": "Police were called after neighbours heard shouting.", "labels": ["domestic_abuse"], "negated": [],
     "learning_point": False},
    {"text": "Recommendation 2: the partnership should ensure that information is shared between agencies.",
     "labels": ["information_sharing", "multi_agency_working"], "negated": [], "learning_point": True},
    {"text": "On 3 March the health visitor visited the home.", "labels": [], "negated": [], "learning_point": False},
    {"text": "The baby was found with bruising to the face.", "labels": ["physical_abuse"], "negated": [], "learning_point": False},
]


def write_gold(path: Path, rows: list[dict] | None = None) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in (rows or GOLD)), encoding="utf-8")
    return path


def insert_document(conn: sqlite3.Connection, doc_id: str, sentences: list[tuple[str, str | None]]) -> list[str]:
    """A document with one page and the given (text, section) sentences, written straight through the schema."""
    page_text = " ".join(text for text, _ in sentences)
    conn.execute(
        "INSERT INTO documents(doc_id, path, source_format, pages, sentences, ingested_at) VALUES (?, ?, 'txt', 1, ?, 'now')",
        (doc_id, f"/tmp/{doc_id}.txt", len(sentences)),
    )
    conn.execute("INSERT INTO pages(doc_id, page, text) VALUES (?, 1, ?)", (doc_id, page_text))
    sids, offset = [], 0
    for ordinal, (text, section) in enumerate(sentences):
        sid = f"{doc_id[:16]}:{ordinal:05d}"
        conn.execute(
            "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, section, text, text_hash)"
            " VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (sid, doc_id, ordinal, offset, offset + len(text), section, text, text_hash(text)),
        )
        offset += len(text) + 1
        sids.append(sid)
    return sids
