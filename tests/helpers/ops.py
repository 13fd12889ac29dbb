"""Helpers for the operations tests: small fictional reviews for an inbox, a settings file for a
subprocess, a fingerprint of a store to compare runs, a reader that polls a store while it is written,
and a `scr` entry point that uses the fast hashing embedder.

The subprocesses run the real `scr` command line (`python -m pipeline.cli.main`). Their settings name the
fast hashing embedder (`embed.model: hashing-64`, which pipeline.embed.model.load_embedder serves without
a language model) unless `real_model`: the tests of ops are about locking, crash safety and
incrementality, not about the model; one slow test uses the real model and the trained tagger.
`python -m tests.helpers.ops reader DB OUT SECONDS` polls DB and writes what it saw to OUT (JSON).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_OPENINGS = (
    "Serious Case Review: Child {c}", "Child Safeguarding Practice Review concerning Child {c}",
)
_SENTENCES = (
    "Information about the domestic abuse incidents was not shared with the health visitor.",
    "The police did not tell the school about the domestic abuse reported in {m}.",
    "Mother described low mood and was prescribed antidepressants by the GP in {m}.",
    "Father's alcohol misuse was known to the substance misuse service but not to children's social care.",
    "There was no evidence of domestic abuse in the household at that time.",
    "The child was not brought to three health appointments between {m} and the following spring.",
    "Professionals should have spoken to the child alone and recorded the child's views.",
    "The review found that the risk assessment was not updated when mother's partner moved in.",
    "Agencies worked in silos and there was no lead professional for the family.",
    "The case was closed by children's social care after a single visit in {m}.",
    "Practitioners accepted mother's account without checking it with other agencies.",
    "The family moved house four times in a year and were at times homeless.",
    "Recommendation {n}: the partnership should ensure that referrers are told the outcome of referrals.",
    "Staff turnover and high caseloads meant the social worker had little supervision.",
    "On {d} {m} the health visitor visited the home and saw the baby asleep in a cot.",
    "The school nurse completed a routine contact and recorded no concerns.",
    "The baby was found unresponsive after co-sleeping with mother on a sofa.",
    "Records from the previous local authority were not transferred when the family moved.",
)
_MONTHS = ("January", "March", "May", "July", "September", "November")


def review_text(seed: int, sentences: int = 24) -> str:
    """A short fictional review (written for these tests) with tag-bearing and narrative sentences."""
    rng = random.Random(seed)
    lines = [rng.choice(_OPENINGS).format(c=chr(65 + seed % 26) + str(seed)), ""]
    paragraph: list[str] = []
    for i in range(sentences):
        s = rng.choice(_SENTENCES).format(m=rng.choice(_MONTHS), d=rng.randint(1, 28), n=rng.randint(1, 9))
        paragraph.append(s)
        if len(paragraph) == 4:
            lines.append(f"{len(lines)}.{i} " + " ".join(paragraph))
            lines.append("")
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    lines.append(f"Review reference {seed:05d}-{rng.randint(1000, 9999)}.")
    return "\n".join(lines) + "\n"


def make_inbox(folder: Path, n: int, seed: int = 0, bad: bool = True, age_s: float = 60.0) -> list[Path]:
    """n small review .txt files (plus one zero-byte 'broken.pdf' when `bad`), with mtimes `age_s` ago."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"review_{seed + i:03d}.txt"
        p.write_text(review_text(seed + i), encoding="utf-8")
        paths.append(p)
    if bad:
        p = folder / "broken.pdf"
        p.write_bytes(b"")
        paths.append(p)
    past = time.time() - age_s
    for p in paths:
        os.utime(p, (past, past))
    return paths


def write_config(folder: Path, name: str = "settings.yaml", settle_seconds: float = 0.0, real_model: bool = False,
                 **sections: dict) -> Path:
    """A settings file with the store, inbox and log inside `folder`; small themes; unless `real_model`,
    the hashing embedder and rules-only tagging (a trained tagger needs the real model's vectors)."""
    import yaml

    data = _absolute(yaml.safe_load((REPO / "configs" / "settings.yaml").read_text(encoding="utf-8")))
    overrides = {
        "store": str(folder / "scr.db"),
        "inbox": str(folder / "inbox"),
        "out_dir": str(folder / "out"),
        "ingest": {"workers": 1, "timeout_s": 120},
        "cluster": {"min_cluster_size": 3},
        "refresh": {"settle_seconds": settle_seconds, "log_file": str(folder / "logs" / "refresh.jsonl")},
    }
    if not real_model:
        overrides.update(embed={"model": "hashing-64"}, extract={"model_dir": str(folder / "no-model")})
    for changes in (overrides, sections):
        for key, value in changes.items():
            if isinstance(value, dict):
                data.setdefault(key, {}).update(value)
            else:
                data[key] = value
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _absolute(data):
    """The project's settings with every relative path that exists in the repository made absolute."""
    if isinstance(data, dict):
        return {k: _absolute(v) for k, v in data.items()}
    if isinstance(data, str) and data and not os.path.isabs(data) and (REPO / data).exists():
        return str(REPO / data)
    return data


def scr_command(config: Path, *args: str) -> list[str]:
    """argv for `scr --config CONFIG ARGS` in a subprocess."""
    return [sys.executable, "-m", "pipeline.cli.main", "--config", str(config), *args]


def run_scr(config: Path, *args: str, kill_after: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env.pop("SCR_TEST_KILL_AFTER", None)
    if kill_after:
        env["SCR_TEST_KILL_AFTER"] = kill_after
    return subprocess.run(scr_command(config, *args), cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, start_new_session=True)


def fingerprint(db: Path) -> dict:
    """What must be equal between an interrupted-and-rerun store and a clean one (run ids aside)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        docs = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT doc_id, sentences, pages FROM documents")}
        sentence_counts = dict(conn.execute("SELECT doc_id, COUNT(*) FROM sentences GROUP BY doc_id"))
        tags = sorted(tuple(r) for r in conn.execute("SELECT sentence_id, label, assertion, source FROM tags"))
        tagging = sorted(tuple(r) for r in conn.execute("SELECT sentence_id, learning_point FROM sentence_tagging"))
        versions = sorted(r[0] for r in conn.execute("SELECT DISTINCT tagger_version FROM sentence_tagging"))
        members = sorted(tuple(r) for r in conn.execute("SELECT sentence_id, theme_id FROM theme_members"))
        themes = sorted(tuple(r) for r in conn.execute(
            "SELECT theme_id, name, label, size, status FROM themes"))
        failures = sorted({(Path(r[0]).name, r[1]) for r in conn.execute("SELECT path, cause FROM failures")})
        paths = sorted((Path(r[0]).name, r[1]) for r in conn.execute("SELECT path, doc_id FROM document_paths"))
        duplicates = conn.execute(
            "SELECT COUNT(*) FROM (SELECT doc_id, ordinal FROM sentences GROUP BY doc_id, ordinal HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        embeddings = conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    finally:
        conn.close()
    return {
        "documents": docs, "sentence_counts": sentence_counts, "tags": tags, "tagging": tagging,
        "members": members, "themes": themes, "failures": failures, "paths": paths,
        "duplicate_sentences": duplicates, "embeddings": embeddings, "tagger_versions": versions,
    }


def half_documents(db: Path) -> list[str]:
    """Documents whose stored sentence count differs from their rows (a half-ingested document)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute(
            "SELECT d.doc_id FROM documents d WHERE d.sentences != (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.doc_id)"
        )]
    finally:
        conn.close()


def _reader(db: str, out: str, seconds: float) -> None:
    """Poll the store read-only until `<out>.stop` appears (or `seconds` pass): counts in one statement
    (one snapshot), errors collected, never raised."""
    from pipeline.store import connect

    seen_docs: list[int] = []
    errors: list[str] = []
    half: list[str] = []
    reads = 0
    deadline = time.time() + seconds
    stop = Path(out + ".stop")
    while time.time() < deadline and not stop.exists():
        if not Path(db).exists():
            time.sleep(0.01)
            continue
        try:
            conn = connect(db, readonly=True)
            try:
                rows = conn.execute(
                    "SELECT d.doc_id, d.sentences, (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.doc_id)"
                    " FROM documents d").fetchall()
                conn.execute("SELECT COUNT(*) FROM sentences_fts WHERE sentences_fts MATCH 'abuse'").fetchone()
                conn.execute("SELECT COUNT(*) FROM tags t JOIN sentences s USING (sentence_id)").fetchone()
            finally:
                conn.close()
            reads += 1
            seen_docs.append(len(rows))
            half.extend(r[0] for r in rows if r[1] != r[2])
        except Exception as exc:  # recorded for the test to assert on
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.01)
    Path(out).write_text(json.dumps({"reads": reads, "documents_seen": sorted(set(seen_docs)),
                                     "errors": errors, "half": half}), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] != ["reader"]:
        raise SystemExit("usage: python -m tests.helpers.ops reader DB OUT SECONDS")
    _reader(sys.argv[2], sys.argv[3], float(sys.argv[4]))
