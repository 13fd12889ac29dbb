"""A tiny store for the themes tests, written straight through the fixed schema: documents, sentences,
sentence_tagging and tags rows, with synthetic sentences drawn from a few topics (distinct word banks), so
clustering has real structure to find. All text is made up here."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

import numpy as np

from pipeline.records import sentence_id, text_hash

TOPICS = {
    "information_sharing": "information shared agencies records transferred consent disclosure police health school "
                           "notified referral passed told safeguarding partners data",
    "domestic_abuse": "domestic abuse violence partner coercive control marac dash incident assault mother injured "
                      "arguments refuge perpetrator witnessed",
    "parental_substance_misuse": "alcohol drugs cannabis heroin drinking intoxicated substance misuse methadone "
                                 "treatment relapse detox addiction",
    "case_closure": "case closed early monitoring ended step down drift transition withdrawn discharge support stopped "
                    "prematurely transferred area",
    "voice_of_child": "child seen alone spoken voice wishes feelings lived experience heard views direct work "
                      "listened bedroom",
    "unsafe_sleep": "sleep co-sleeping cot sofa bed infant baby slept safe sleeping advice sudden unexpected death "
                    "mattress",
}
COMMON = "the professionals were at this time in the family review it was found that".split()


@dataclass(frozen=True)
class TinyStore:
    doc_ids: tuple[str, ...]
    topic_of: dict[str, str]
    """sentence_id -> topic it was drawn from."""


def topic_sentence(rng: np.random.Generator, topic: str) -> str:
    words = TOPICS[topic].split()
    picked = list(rng.choice(words, size=7, replace=False)) + list(rng.choice(COMMON, size=3, replace=False))
    rng.shuffle(picked)
    return " ".join(picked).capitalize() + "."


def add_documents(conn, n_docs: int, seed: int = 0, per_doc: int = 30, start: int = 0,
                  topics: tuple[str, ...] | None = None, tag: bool = True) -> TinyStore:
    """Insert `n_docs` documents (numbered from `start`) of `per_doc` tagged sentences each."""
    rng = np.random.default_rng(seed * 100003 + start)
    names = topics or tuple(TOPICS)
    doc_ids, topic_of = [], {}
    conn.execute("BEGIN")
    for d in range(start, start + n_docs):
        doc_id = hashlib.sha256(f"doc-{d}".encode()).hexdigest()
        doc_ids.append(doc_id)
        year = 2015 + d % 8
        conn.execute(
            "INSERT INTO documents(doc_id, path, source_format, title, review_type, year, pages, sentences, ingested_at)"
            " VALUES (?, ?, 'txt', ?, 'SCR', ?, 3, ?, '2026-11-26T00:00:00+00:00')",
            (doc_id, f"/tmp/doc-{d}.txt", f"Review {d}", year, per_doc),
        )
        for o in range(per_doc):
            topic = names[int(rng.integers(len(names)))]
            text = topic_sentence(rng, topic)
            sid = sentence_id(doc_id, o)
            topic_of[sid] = topic
            conn.execute(
                "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, section, text, text_hash)"
                " VALUES (?, ?, ?, ?, 0, ?, 'Findings', ?, ?)",
                (sid, doc_id, o, 1 + o % 3, len(text), text, text_hash(text)),
            )
            conn.execute("INSERT INTO sentence_tagging VALUES (?, 'test', ?, 0.5, '2026-11-26')", (sid, int(o % 2)))
            if tag:
                kind = "risk_factor" if topic in ("domestic_abuse", "parental_substance_misuse", "unsafe_sleep") \
                    else "learning_theme"
                conn.execute("INSERT INTO tags(sentence_id, label, kind, score, assertion, source, model_version)"
                             " VALUES (?, ?, ?, 0.9, 'present', 'rule', 'test')", (sid, topic, kind))
    conn.execute("COMMIT")
    return TinyStore(tuple(doc_ids), topic_of)


def write_jsonl(path, texts: list[str]) -> None:
    path.write_text("".join(json.dumps({"text": t, "sid": f"s{i}"}) + "\n" for i, t in enumerate(texts)),
                    encoding="utf-8")


def pfd_sentences(jsonl_path, limit: int | None = None) -> list[tuple[str, str, int]]:
    """(report id, sentence, year) from the PFD reports' circumstances and concerns, cut by a simple splitter."""
    out = []
    with open(jsonl_path, encoding="utf-8") as fh:
        for line in fh:
            report = json.loads(line)
            year = int(str(report.get("date") or "2020")[:4])
            for key in ("circumstances", "concerns"):
                for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])", report.get(key) or ""):
                    sent = " ".join(sent.split())
                    if 30 <= len(sent) <= 600:
                        out.append((report["id"], sent, year))
    return out[:limit] if limit else out


PFD_SECTIONS = (("INVESTIGATION AND INQUEST", "investigation"), ("CIRCUMSTANCES OF THE DEATH", "circumstances"),
                ("CORONER'S CONCERNS", "concerns"))


def write_pfd_texts(jsonl_path, out, limit: int | None = None, start: int = 0) -> list:
    """Writes PFD records `start`..`start+limit` as Regulation 28 style .txt reports in `out` (numbered
    capitalised headings, one paragraph per line); returns the paths. Text is read from the corpus at run time."""
    from pathlib import Path
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with open(jsonl_path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for record in records[start:None if limit is None else start + limit]:
        date = str(record.get("date") or "")[:10]
        lines = ["REGULATION 28: REPORT TO PREVENT FUTURE DEATHS", "",
                 f"I am {record.get('coroner') or 'the coroner'}, coroner for the coroner area of "
                 f"{record.get('area') or 'unknown'}. This report is dated {date}.", ""]
        for number, (heading, key) in enumerate(PFD_SECTIONS, 1):
            lines += [f"{number} {heading}", ""]
            for para in re.split(r"\n+", record.get(key) or ""):
                if para.strip():
                    lines += [para.strip(), ""]
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(record.get("id"))).strip("-")
        path = out / f"pfd_{name}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths
