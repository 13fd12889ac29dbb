"""Write corpus/annotations/real_refs.jsonl: our labels on sentences of the real reports in ../shared.

Run from the repository root: `.venv/bin/python corpus/annotations/make_real_refs.py`. The labels below
were assigned by the scr-themes team, sentence by sentence, reading each report whole. They name sentences
by their position in `pipeline.extract.annotations.real_sentences(file)`; the output stores only the file
name, character offsets and a hash of the sentence (never its text). Every sentence of each listed file is
included: those not listed carry no label and are not learning points. Split by document: the files in
DEV form part of the dev gold set, the rest are training data.

Spec per sentence: index -> "labels|negated|L or N". Adult subjects' own mental ill health or substance
misuse is coded under the parental_* labels (an adult in the household), a young person's suicide or
suicidal acts under child_mental_health; hypothetical mentions are not affirmed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.extract.annotations import real_sentences  # noqa: E402
from pipeline.records import text_hash  # noqa: E402
from label_pfd import check_same_split  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
DEV = {"pfd_2017-0450_west-sussex_steffan-bonnot.txt", "pfd_2019-0282_county-of-devon_daniel-shorrocks.txt"}

SPEC: dict[str, dict[int, str]] = {
    "pfd_2014-0019_sunderland_james-stokoe.txt": {
        8: "parental_mental_health||N", 9: "|domestic_abuse|N", 13: "||L", 14: "professional_curiosity||L",
        15: "domestic_abuse,training_guidance,risk_assessment||L", 16: "professional_curiosity||L",
        17: "professional_curiosity||L", 18: "domestic_abuse,professional_curiosity||L", 19: "||L", 20: "||L",
    },
    "pfd_2014-0242_worcestershire_dana-baker.txt": {
        5: "child_mental_health,risk_assessment||N", 7: "child_mental_health||N", 8: "child_mental_health||N",
        9: "multi_agency_working,information_sharing||L", 10: "information_sharing||L", 11: "information_sharing||L",
    },
    "pfd_2016-0236_gloucestershire_anielka-jennings.txt": {
        5: "child_mental_health||N", 6: "child_mental_health||N", 7: "child_disability||N", 8: "child_disability||N",
        10: "child_disability||N", 12: "child_mental_health,extrafamilial_exploitation||N", 13: "case_closure||N",
        14: "case_closure||N", 15: "multi_agency_working||N", 16: "multi_agency_working||L",
        17: "information_sharing,multi_agency_working||L", 18: "||L", 19: "child_mental_health||N",
        20: "information_sharing||L", 28: "child_mental_health||N", 29: "child_mental_health||N",
        33: "child_mental_health||N", 34: "multi_agency_working,case_closure,information_sharing||L",
    },
    "pfd_2017-0450_west-sussex_steffan-bonnot.txt": {
        5: "child_mental_health||N", 9: "information_sharing||N", 11: "information_sharing||N",
        19: "child_mental_health||N", 20: "child_mental_health||N", 21: "information_sharing||L",
        23: "recording_systems,information_sharing||L", 24: "recording_systems,information_sharing||L",
        25: "information_sharing||L", 26: "||L", 27: "information_sharing,recording_systems||L", 28: "||L", 29: "||L",
    },
    "pfd_2018-0195_dorset_john-hill.txt": {
        10: "parental_mental_health||N", 11: "professional_curiosity,risk_assessment||L", 12: "training_guidance||N",
        13: "training_guidance||N", 14: "training_guidance||N", 15: "training_guidance||L", 16: "training_guidance||L",
        17: "training_guidance||N", 18: "professional_curiosity||L", 19: "||L", 20: "||L", 21: "||L", 22: "||L",
        23: "risk_assessment|domestic_abuse|L", 24: "risk_assessment||L", 25: "||L",
        26: "training_guidance,risk_assessment||L",
    },
    "pfd_2019-0282_county-of-devon_daniel-shorrocks.txt": {
        5: "risk_assessment||N", 6: "neglect||N", 7: "neglect||N", 12: "recording_systems||L",
        13: "child_mental_health||N", 14: "child_mental_health||N", 16: "child_mental_health||N",
        17: "child_mental_health||N", 18: "case_closure,child_mental_health||N", 19: "child_disability||N",
        22: "child_mental_health||N", 23: "child_mental_health||N", 26: "supervision_workload,service_access||L",
        27: "multi_agency_working||L",
    },
    "pfd_2024-0114_bedfordshire-and-luton_sylvia-crowther.txt": {
        6: "parental_mental_health,parental_substance_misuse||N", 8: "domestic_abuse||N", 9: "domestic_abuse||N",
        10: "domestic_abuse||N", 11: "multi_agency_working||N", 12: "parental_mental_health||N",
        16: "supervision_workload||N", 20: "||L", 21: "training_guidance||L", 22: "training_guidance||L",
        23: "domestic_abuse||L",
    },
}


def main(out: Path = Path(__file__).with_name("real_refs.jsonl")) -> None:
    rows = []
    for name, spec in SPEC.items():
        sentences = real_sentences(REAL / name)
        for index, (start, end, text, section) in enumerate(sentences):
            labels, negated, lp = spec.get(index, "||N").split("|")
            rows.append({"file": name, "start": start, "end": end, "sha": text_hash(text),
                         "labels": [x for x in labels.split(",") if x], "negated": [x for x in negated.split(",") if x],
                         "learning_point": lp == "L", "section": section, "split": "dev" if name in DEV else "train"})
    check_same_split(rows, out, "file")
    with open(out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} references ({sum(r['split'] == 'dev' for r in rows)} dev)")


if __name__ == "__main__":
    main()
