"""Compose corpus/annotations/{train,dev}.jsonl from the hand-written fragments in fragments/*.txt.

Run from the repository root: `.venv/bin/python corpus/annotations/compose.py`. Deterministic (seeded).

Every sentence here was written by the scr-themes team for this purpose (fictional, review-style); nothing
is copied from any report. Each fragment line is `LP|labels|negated|text` (LP: L learning point, N
narration). Fragments are split into a train pool and a dev pool (every fourth fragment of each block goes
to dev), and the framing phrases used to vary them are split the same way, so no dev sentence re-combines
a train fragment or a train frame. Pseudo-documents are made within each pool, so the split is by document.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = (
    "domestic_abuse parental_mental_health parental_substance_misuse neglect physical_abuse sexual_abuse "
    "extrafamilial_exploitation child_mental_health unsafe_sleep housing_poverty missing_education hidden_men "
    "child_disability parental_history information_sharing multi_agency_working risk_assessment "
    "thresholds_escalation case_closure professional_curiosity voice_of_child supervision_workload "
    "feedback_to_referrers recording_systems training_guidance service_access"
).split()

# Frames: (train, dev), disjoint.
NARRATIVE_PREFIX = (
    ["In May 2018, ", "Later that year, ", "During this period, ", "A few weeks later, ", "By the autumn, ",
     "At around this time, ", "In early 2020, ", "Over the following months, "],
    ["In the spring of 2017, ", "Shortly afterwards, ", "Throughout 2019, ", "Some months later, "],
)
FINDING_PREFIX = (
    ["The review found that ", "It is a finding of this review that ", "The panel concluded that ",
     "This review has identified that ", "The evidence at the inquest showed that ", "It is clear that ",
     "I am concerned that ", "Learning: "],
    ["The reviewers found that ", "It was apparent that ", "Finding 3: ", "The evidence revealed that "],
)
JOINERS = ([", and ", "; in addition, ", ". At the same time, "], [", while ", "; moreover, "])
SECTIONS_N = (["Background", "Chronology", "Circumstances of the death", "The family", None],
              ["Summary of events", "Case history", None])
SECTIONS_L = (["Findings", "Learning", "Recommendations", "Analysis", "Coroner's concerns", None],
              ["Key findings", "Matters of concern", "Conclusions", None])


def read_fragments() -> list[list[dict]]:
    """Blocks of fragments (a block = the lines under one '#' heading)."""
    blocks: list[list[dict]] = []
    for path in sorted((HERE / "fragments").glob("*.txt")):
        current: list[dict] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            if line.startswith("#"):
                if current:
                    blocks.append(current)
                current = []
                continue
            lp, labels, negated, text = line.split("|", 3)
            labels_t = [x for x in labels.split(",") if x]
            negated_t = [x for x in negated.split(",") if x]
            for label in labels_t + negated_t:
                if label not in LABELS:
                    raise SystemExit(f"{path.name}:{number}: unknown label {label!r}")
            if lp not in ("L", "N"):
                raise SystemExit(f"{path.name}:{number}: LP flag must be L or N")
            current.append({"text": text.strip(), "labels": labels_t, "negated": negated_t,
                            "learning_point": lp == "L", "origin": f"{path.stem}:{number}"})
        if current:
            blocks.append(current)
    return blocks


def lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not re.match(r"(I|Mr|Ms|Mrs|Dr)\b", text):
        return text[0].lower() + text[1:]
    return text


FRAMED = re.compile(
    r"^(the (review|reviewers|panel|evidence|inquest|coroner)\b[^.]{0,40}?\b(found|concluded|showed|revealed|heard|"
    r"identified)\b|i am concerned|it (is|was) (a finding|apparent|clear|evident)|this review|finding \d|learning:|"
    r"recommendation\b|in (january|february|march|april|may|june|july|august|september|october|november|december|"
    r"the spring|the summer|the autumn|the winter|early|late|\d{4})\b|throughout|during|shortly|later that|"
    r"some months|a few weeks|by the (spring|summer|autumn|winter)|at around|over the following)", re.I)
"""A fragment that already opens with a reporting frame or a time ("I am concerned that", "The review found",
"In May 2018") gets no second one: "The reviewers found that I am concerned that..." is not review prose."""


def variants(frag: dict, pool: int, rng: random.Random) -> list[dict]:
    out = [dict(frag)]
    if frag["labels"] and not frag["negated"]:
        prefixes = FINDING_PREFIX[pool] if frag["learning_point"] else NARRATIVE_PREFIX[pool]
        doubled = bool(FRAMED.match(frag["text"]))  # kept until the end, then dropped: the composition stays as it was
        out.append(dict(frag, text=rng.choice(prefixes) + lower_first(frag["text"]), doubled=doubled))
    return out


def combine(a: dict, b: dict, pool: int, rng: random.Random) -> dict:
    joiner = rng.choice(JOINERS[pool])
    first = a["text"].rstrip(".")
    second = b["text"] if joiner.startswith(".") else lower_first(b["text"])
    if joiner.startswith("."):
        second = second[0].upper() + second[1:]
    return {"text": first + joiner + second, "labels": sorted(set(a["labels"]) | set(b["labels"])),
            "negated": sorted((set(a["negated"]) | set(b["negated"])) - set(a["labels"]) - set(b["labels"])),
            "learning_point": a["learning_point"], "origin": f"{a['origin']}+{b['origin']}"}


def section_for(item: dict, pool: int, rng: random.Random) -> str | None:
    own = SECTIONS_L if item["learning_point"] else SECTIONS_N
    other = SECTIONS_N if item["learning_point"] else SECTIONS_L
    return rng.choice(other[pool]) if rng.random() < 0.15 else rng.choice(own[pool])


def build(seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    pools: tuple[list[list[dict]], list[list[dict]]] = ([], [])  # groups of sentences per fragment
    for block in read_fragments():
        for i, frag in enumerate(block):
            pool = 1 if i % 4 == 3 else 0
            pools[pool].append(variants(frag, pool, rng))
    outputs = []
    for pool, groups in enumerate(pools):
        singles = [i for i, g in enumerate(groups) if g[0]["labels"] and not g[0]["negated"]]
        for _ in range(len(groups) // 4):  # multi-label sentences within the pool, kept beside their first part
            i, k = rng.sample(singles, 2)
            a, b = groups[i][0], groups[k][0]
            if a["learning_point"] == b["learning_point"] and set(a["labels"]) != set(b["labels"]):
                groups[i].append(combine(a, b, pool, rng))
        rng.shuffle(groups)
        docs, size = [], 12
        for start in range(0, len(groups), size):
            docs.append([s for g in groups[start:start + size] for s in g])
        outputs.append(docs)
    train, dev = [], []
    number = 0
    for pool, docs in enumerate(outputs):
        for doc in docs:
            number += 1
            for sentence in doc:
                item = {"text": sentence["text"], "labels": sentence["labels"], "negated": sentence["negated"],
                        "learning_point": sentence["learning_point"], "doc": f"ours-{number:03d}",
                        "section": section_for(sentence, pool, rng), "origin": sentence["origin"]}
                if not sentence.get("doubled"):
                    (dev if pool else train).append(item)
    return train, dev


def main() -> None:
    train, dev = build()
    for name, rows in (("train", train), ("dev", dev)):
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"train {len(train)} sentences, dev {len(dev)} sentences")


if __name__ == "__main__":
    main()
