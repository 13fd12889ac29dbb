"""Write corpus/annotations/pfd_refs.jsonl: our labels on every sentence of 61 real Prevention of Future
Deaths reports in ../shared/corpus/pfd/reports.jsonl, stored by reference (report id, field, character
offsets into that field, sentence hash), never as text.

Run from the repository root: `.venv/bin/python corpus/annotations/label_pfd.py`. The labels below were
assigned by the scr-themes team reading each report whole; every sentence of each listed report is
included (fields investigation, circumstances, concerns, in that order, split with the project's
splitter `pipeline.ingest.sentences.split_sentences`, with the items of a list kept in one sentence as when
they were labelled). A sentence not listed carries no label and is
narration. Spec per sentence: index -> space-separated codes (see CODES), `!code` for a risk factor the
sentence mentions only to deny, `L` for a learning point.

Coding choices (as in README.md): labels are topical; an adult subject's own mental ill health or
substance misuse goes under the parental_* labels; a young person's (up to their early twenties, a care
leaver) self-harm or suicide under child_mental_health; a disability or complex needs under
child_disability whatever the age; in the concerns section a finding, concern or recommendation is a
learning point, a sentence that only narrates evidence or context is not.

Split by report: about 30% of the reports (those whose id hashes into the lowest 30% of the range, so a
report never changes side) are the REAL dev set (`split: dev`), the rest are training data.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.ingest.sentences import split_sentences  # noqa: E402
from pipeline.records import text_hash  # noqa: E402

PFD = ROOT.parent / "shared" / "corpus" / "pfd" / "reports.jsonl"
FIELDS = ("investigation", "circumstances", "concerns")
DEV_SHARE = 0.3

CODES = {
    "da": "domestic_abuse", "pmh": "parental_mental_health", "psm": "parental_substance_misuse", "neg": "neglect",
    "pa": "physical_abuse", "sa": "sexual_abuse", "ee": "extrafamilial_exploitation", "cmh": "child_mental_health",
    "us": "unsafe_sleep", "hp": "housing_poverty", "me": "missing_education", "hm": "hidden_men",
    "cd": "child_disability", "ph": "parental_history", "is": "information_sharing", "maw": "multi_agency_working",
    "ra": "risk_assessment", "te": "thresholds_escalation", "cc": "case_closure", "pc": "professional_curiosity",
    "voc": "voice_of_child", "sw": "supervision_workload", "fr": "feedback_to_referrers", "rs": "recording_systems",
    "tg": "training_guidance", "svc": "service_access",
}

SPEC: dict[str, dict[int, str]] = {
    "2023-0369": {22: "L", 24: "L", 25: "L", 26: "L", 27: "L", 28: "tg L", 29: "L"},
    "2020-0097": {12: "L", 13: "L", 14: "L", 15: "L"},
    "2019-0257": {2: "cmh", 6: "cmh", 7: "cmh", 8: "cmh", 9: "cmh", 10: "cmh", 11: "cmh svc", 12: "cmh",
        13: "cmh ra pc L", 14: "cmh svc te", 15: "cmh ra L", 16: "cmh svc te", 18: "te L", 19: "cmh cc L",
        20: "cmh pc ra L", 21: "cc L", 23: "cmh", 24: "cmh", 25: "cmh", 26: "cmh", 27: "cmh te L", 28: "svc cc L",
        29: "ra L", 30: "cmh L", 31: "fr L", 32: "pc L", 33: "cmh ra L", 34: "L"},
    "2025-0447": {4: "rs is ra L", 7: "svc L", 8: "svc L", 9: "L", 10: "svc L", 11: "rs is L", 12: "rs is ra L",
        13: "rs L", 14: "ra L", 15: "ra L", 16: "ra rs L"},
    "2018-0028": {8: "L", 9: "L", 10: "L", 11: "L", 12: "L", 13: "L", 17: "L", 18: "L", 19: "L", 20: "L", 21: "L"},
    "2024-0598": {6: "cmh", 12: "cmh cc", 13: "is L", 14: "is cmh L", 15: "is cmh L", 16: "is maw cmh L"},
    "2017-0288": {2: "cmh psm", 3: "cmh", 4: "cc", 5: "is maw L", 6: "tg L", 7: "pc is L", 8: "is maw L", 9: "is L",
        10: "L"},
    "2025-0476": {13: "L", 15: "L", 16: "L", 17: "L", 18: "L", 19: "L"},
    "2023-0145": {14: "L", 15: "L"},
    "2022-0327": {2: "cmh", 3: "cmh", 4: "cmh", 6: "svc L", 7: "svc L", 8: "svc L", 9: "sw svc L", 10: "svc L",
        11: "svc L"},
    "2022-0146": {3: "pmh ra", 4: "pmh", 5: "pmh", 7: "da", 9: "pmh", 10: "pmh", 11: "pmh", 12: "pmh",
        13: "pmh ra L", 14: "ra L", 15: "ra cc L", 16: "ra L", 17: "ra L", 18: "ra cc L", 19: "maw cc ra L",
        20: "ra L", 21: "ra L"},
    "2025-0262": {2: "pmh", 3: "sa", 4: "psm pmh", 6: "ee", 7: "hp", 8: "hp", 9: "hp psm", 10: "hp", 11: "hp",
        13: "pmh", 15: "pmh ra", 16: "pmh ra", 17: "pmh ra", 18: "cc", 19: "is", 20: "pc is L", 21: "is", 24: "psm",
        25: "psm", 26: "psm", 27: "pmh", 28: "L", 30: "psm L", 31: "is", 32: "is", 33: "pc is L", 34: "pc is L",
        35: "tg is L", 36: "tg is L", 37: "tg is L", 38: "rs L", 39: "L"},
    "2014-0344": {3: "pmh", 4: "pmh ra", 5: "pmh", 6: "pmh", 7: "!pmh", 9: "maw", 11: "ra", 13: "pmh", 15: "is L",
        16: "L", 17: "L", 18: "L", 19: "L", 20: "is L"},
    "2021-0267": {4: "cd tg svc L", 5: "cd tg L", 6: "cd svc L", 7: "cd tg L", 8: "tg svc cd L", 9: "svc L",
        10: "cd L", 11: "cd", 12: "L"},
    "2020-0075": {9: "L"},
    "2025-0285": {4: "cd", 5: "pmh", 6: "svc L", 7: "cd maw L", 8: "svc pmh L", 10: "svc cd", 11: "svc", 13: "svc L",
        14: "pmh", 15: "svc cd L", 16: "svc cd L", 17: "svc L", 18: "svc te L", 19: "svc", 20: "svc cd L"},
    "2022-0130": {2: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh cc", 8: "is", 9: "pmh", 10: "pmh", 11: "ra pmh",
        13: "rs is L", 14: "rs ra is L", 15: "L", 16: "tg L", 18: "pmh L", 19: "svc pmh L"},
    "2023-0191": {2: "psm pmh", 3: "psm", 5: "pmh psm", 7: "psm da", 8: "psm", 9: "pmh", 10: "pmh", 12: "pmh",
        13: "pmh", 14: "cc", 15: "is", 16: "psm", 17: "cc ra pmh", 18: "cc L", 19: "is cc L", 20: "svc psm is L",
        21: "psm pc ra L", 22: "L", 23: "cc L", 24: "L"},
    "2025-0214": {10: "tg L", 13: "L", 14: "L", 15: "L"},
    "2015-0176": {13: "L", 14: "L"},
    "2024-0024": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 8: "pmh cc", 9: "pmh", 10: "pmh", 11: "pmh",
        12: "pmh", 15: "pmh", 16: "pmh", 17: "rs L", 18: "rs L", 19: "ra L", 20: "ra L", 21: "rs L", 22: "ra rs L",
        23: "ra L", 24: "ra L", 25: "L"},
    "2023-0181": {2: "pmh", 3: "pmh", 4: "pmh", 10: "pmh", 11: "is cc tg L"},
    "2022-0062": {2: "cd pmh", 3: "pmh", 4: "pmh", 7: "rs ra", 9: "tg", 10: "pmh", 11: "rs L", 12: "L",
        13: "rs ra L", 14: "L", 15: "cd tg L", 16: "L", 17: "tg L", 18: "ra L"},
    "2021-0365": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "cc ra svc L", 7: "sw L", 8: "sw L", 9: "sw L",
        10: "sw L", 11: "rs L", 13: "ra pc L", 14: "ra rs L", 15: "hp cc L", 16: "cc hp L"},
    "2020-0247": {2: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 9: "pmh svc", 10: "pmh", 11: "ra pmh L",
        12: "pmh svc L", 13: "ra rs L", 14: "is ra L", 15: "pmh L", 16: "is pmh L", 17: "ra rs L", 18: "pmh ra L",
        19: "ra L", 20: "svc is L"},
    "2014-0340": {2: "pmh", 3: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 8: "pmh svc", 14: "svc L", 15: "svc L",
        16: "svc cc rs L", 17: "tg ra pmh L"},
    "2013-0315": {2: "pmh", 3: "psm cc", 4: "pmh", 5: "cc hp is L", 6: "cc hp L", 7: "cc L", 8: "cc hp L"},
    "2020-0134": {4: "pmh", 5: "pmh psm", 6: "da pmh pc ra", 7: "psm", 8: "pmh", 9: "pmh cc ra", 10: "hp", 11: "hp",
        13: "pmh", 14: "da pc is L", 15: "pc is L", 16: "pmh pc ra cc L", 17: "L", 18: "L", 19: "L"},
    "2022-0381": {2: "pmh", 5: "pmh", 6: "ra", 9: "pmh", 12: "pmh L", 13: "ra pmh L", 14: "pc L", 15: "ra L",
        16: "maw", 17: "maw svc L", 18: "maw svc L", 19: "maw svc L", 20: "L", 21: "maw svc L"},
    "2021-0155": {1: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "!pmh", 8: "pmh", 9: "pmh", 10: "pmh",
        11: "psm", 12: "pmh", 14: "pmh svc", 15: "pmh", 16: "pmh", 18: "psm pmh", 19: "pmh", 21: "pc is ra L",
        22: "is ra L", 23: "sw rs L", 24: "pmh svc L"},
    "2024-0528": {2: "pmh", 3: "pmh", 4: "pmh", 5: "rs is L", 6: "cc rs is pmh L", 7: "rs L", 8: "rs is L"},
    "2015-0180": {2: "cmh", 3: "cmh", 4: "cmh", 5: "cmh", 7: "cmh", 8: "cmh", 9: "is pc L", 10: "is pc L",
        11: "is L"},
    "2018-0395": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "cc", 8: "cc L", 9: "ra L", 10: "cc L", 11: "L",
        12: "L", 13: "ra L", 14: "ra pc pmh L", 15: "is L", 16: "L", 17: "L"},
    "2014-0320": {8: "pmh psm", 9: "psm", 10: "pmh psm", 11: "psm", 12: "pmh psm L", 14: "L", 15: "tg L", 16: "L",
        17: "L"},
    "2023-0224": {3: "pmh", 4: "pmh", 5: "pmh hp", 6: "hp", 7: "hp is L", 8: "hp te L", 9: "L"},
    "2022-0009": {1: "pmh", 2: "pmh", 3: "pmh", 4: "pmh ra pc L", 5: "pmh", 6: "pmh", 9: "pmh", 10: "sw L",
        11: "pmh", 13: "ra L", 14: "sw ra L"},
    "2025-0539": {11: "ra L", 12: "L", 13: "L", 14: "tg L"},
    "2024-0521": {10: "L"},
    "2023-0442": {9: "L", 10: "L", 11: "L"},
    "2019-0150": {4: "cmh", 5: "cmh", 8: "maw L", 9: "maw L", 10: "maw L"},
    "2013-0272": {4: "pmh ra L", 5: "ra is L", 6: "sw tg L"},
    "2022-0237": {7: "tg L", 8: "L", 9: "tg L"},
    "2016-0226": {8: "L", 9: "L"},
    "2018-0263": {6: "L", 7: "L"},
    "2024-0295": {1: "pmh", 4: "pmh", 5: "pmh", 6: "da", 7: "da", 8: "pmh ph", 9: "da", 10: "da pmh", 11: "da pmh L",
        12: "da ra L", 13: "L", 14: "svc L", 15: "pmh ra L", 16: "da ra L", 17: "pmh", 19: "svc L", 20: "is maw L",
        21: "maw ra L", 22: "da ra L", 23: "svc L", 24: "svc", 25: "svc maw L", 26: "svc L", 27: "svc L"},
    "2018-0039": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 9: "cc L", 10: "L", 11: "L", 12: "svc L",
        13: "svc L", 14: "svc L"},
    "2019-0296": {9: "sw L", 10: "sw L", 11: "L", 12: "tg L", 13: "tg L", 14: "L", 27: "L", 28: "L", 29: "L",
        30: "L", 31: "L"},
    "2023-0237": {10: "tg L", 11: "L", 14: "L", 15: "L", 16: "tg L", 17: "L", 18: "L", 19: "tg L", 20: "L", 21: "L",
        22: "L", 23: "L", 24: "L", 25: "L", 26: "L", 27: "L", 28: "L", 29: "L", 30: "L", 31: "tg L", 32: "L",
        37: "L"},
    "2017-0185": {2: "pmh is L", 3: "rs is L", 4: "ra is pmh L", 5: "tg pmh L", 6: "rs is ra L", 8: "pmh", 9: "ra pmh L",
        10: "tg ra L", 11: "tg L", 12: "tg L"},
    "2025-0240": {2: "pmh", 3: "pmh", 5: "pmh", 6: "pmh", 7: "pmh ra", 8: "is pmh", 9: "pmh is", 10: "is L", 11: "pmh",
        12: "is tg rs L", 13: "is tg L", 14: "is L"},
    "2016-0027": {3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh ra", 7: "pmh ra", 8: "pmh", 10: "ra is svc L"},
    "2023-0140": {3: "cmh", 4: "cmh ra", 5: "cmh svc", 6: "svc", 8: "svc", 9: "cmh", 14: "svc L", 15: "svc L", 16: "svc L",
        17: "svc L", 18: "svc tg L"},
    "2022-0138": {2: "pmh", 3: "pmh", 5: "pmh cc", 7: "pmh ra", 9: "pmh ra L", 10: "ra L", 14: "pmh", 15: "tg ra L"},
    "2025-0034": {3: "cmh", 4: "cmh", 5: "cmh svc", 6: "cmh", 7: "cmh", 8: "cmh svc L", 9: "is svc L", 10: "svc cd L",
        11: "cmh svc L", 12: "cmh L", 13: "svc cmh L", 14: "L", 15: "cmh svc L"},
    "2019-0378": {1: "cmh", 4: "cmh", 6: "is maw ra cmh L", 7: "ra L", 8: "maw L"},
    "2024-0411": {7: "svc L", 8: "svc L", 9: "svc L", 10: "svc sw L", 11: "svc L", 12: "svc L", 13: "svc L", 14: "svc L"},
    "2022-0400": {10: "L", 12: "L", 13: "L", 14: "L", 15: "L", 16: "L", 18: "L", 19: "L", 20: "L"},
    "2022-0063": {6: "L", 7: "L", 8: "rs L", 9: "rs L", 10: "maw L", 11: "maw L", 12: "L", 13: "L"},
    "2021-0252": {9: "L", 10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L", 16: "L"},
    "2019-0166": {7: "L", 8: "L", 10: "is L", 11: "ra L", 12: "L", 13: "is ra L"},
    "2016-0365": {8: "L"},
}


def report_sentences(report: dict) -> list[tuple[str, int, int, str]]:
    """(field, start, end, text) for every sentence of a report, offsets into the field's text, trimmed."""
    out = []
    for field in FIELDS:
        body = report.get(field) or ""
        if not body.strip():
            continue
        for span in split_sentences([body], list_items=False)[0]:
            piece = body[span.start:span.end]
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            out.append((field, span.start + lead, span.start + lead + len(text), text))
    return out


def dev_reports(ids: list[str]) -> set[str]:
    """Reports whose id hashes into the lowest DEV_SHARE of the range: a report's side never changes when
    more reports are labelled."""
    return {i for i in ids if int(hashlib.sha256(i.encode()).hexdigest()[:8], 16) < DEV_SHARE * 16**8}


def parse(spec: str) -> tuple[list[str], list[str], bool]:
    labels, negated, lp = [], [], False
    for token in spec.split():
        if token == "L":
            lp = True
        elif token.startswith("!"):
            negated.append(CODES[token[1:]])
        else:
            labels.append(CODES[token])
    return labels, negated, lp


RESPLIT_OK = "--resplit-ok"


def check_same_split(rows: list[dict], out: Path, key: str) -> None:
    """Refuse to overwrite `out` when the splitter now cuts a labelled text differently from when its labels
    were written: the specs address sentences by index, so a moved boundary would shift every label after it
    onto the wrong sentence, silently. The references already written stay valid (they hold offsets and
    hashes); re-check the indices of the texts named, then rerun with --resplit-ok."""
    if not out.exists() or RESPLIT_OK in sys.argv[1:]:
        return
    def cuts(items):
        by: dict[str, list] = {}
        for r in items:
            by.setdefault(r[key], []).append((r.get("field"), r["start"], r["end"], r["sha"]))
        return by
    old = cuts(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    new = cuts(rows)
    moved = sorted(k for k in new if k in old and new[k] != old[k])
    if moved:
        raise SystemExit(f"{out.name} not rewritten: the sentence splitter now cuts {len(moved)} labelled "
                         f"text(s) differently, so their sentence indices would point at other sentences: "
                         f"{', '.join(moved)}. Move the labels with remap_specs.py --write (it reports what "
                         f"it moved), then rerun with {RESPLIT_OK}.")


def write_refs(spec: dict[str, dict[int, str]], out: Path) -> None:
    """Resolve `spec` (report id -> {sentence index: codes}) against the reports and write the references
    (offsets and hashes, never text) to `out`; every labelling batch (label_pfd*.py) writes through this."""
    reports = {}
    with PFD.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            reports[row["id"]] = row
    dev = dev_reports(list(spec))
    rows = []
    for report_id, labelled in spec.items():
        sentences = report_sentences(reports[report_id])
        if labelled and max(labelled) >= len(sentences):
            raise SystemExit(f"{report_id}: index {max(labelled)} beyond its {len(sentences)} sentences")
        for index, (field, start, end, text) in enumerate(sentences):
            if not text:
                continue
            labels, negated, lp = parse(labelled.get(index, ""))
            rows.append({"report_id": report_id, "field": field, "start": start, "end": end, "sha": text_hash(text),
                         "labels": labels, "negated": negated, "learning_point": lp, "doc": f"pfd-{report_id}",
                         "split": "dev" if report_id in dev else "train"})
    check_same_split(rows, out, "report_id")
    with open(out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} references from {len(spec)} reports ({n_dev} dev sentences from {len(dev)} reports)")


def main() -> None:
    write_refs(SPEC, Path(__file__).with_name("pfd_refs.jsonl"))


if __name__ == "__main__":
    main()
