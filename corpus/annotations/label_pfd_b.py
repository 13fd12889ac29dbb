"""Write corpus/annotations/pfd_refs_b.jsonl: labels by helper LABEL-B on every sentence of further real
Prevention of Future Deaths reports in ../shared/corpus/pfd/reports.jsonl, stored by reference (report id,
field, character offsets into that field, sentence hash), never as text.

Run from the repository root: `.venv/bin/python corpus/annotations/label_pfd_b.py`. Same notation, coding
choices, sentence splitting and dev/train split rule as label_pfd.py (whose helpers are imported): index ->
space-separated codes, `!code` for a risk factor mentioned only to deny it, `L` for a learning point; a
sentence not listed carries no label and is narration.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from label_pfd import CODES, PFD, dev_reports, parse, report_sentences, text_hash  # noqa: E402,F401

SPEC: dict[str, dict[int, str]] = {
    "2019-0180": {5: "L", 6: "L"},
    "2016-0102": {5: "pmh", 6: "L", 7: "is L", 8: "pmh L", 9: "L"},
    "2025-0571": {4: "pmh ra pc L", 5: "pmh", 6: "pmh svc L", 7: "pmh", 8: "pmh", 9: "pmh ra", 10: "ra pc",
        16: "is pmh", 17: "is", 18: "is", 19: "hp pmh", 20: "pmh", 21: "svc pmh L", 22: "ra L", 23: "pmh tg is L",
        24: "L"},
    "2025-0319": {6: "is L", 14: "is L"},
    "2025-0417": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh hp", 7: "pmh", 8: "pmh", 9: "pmh", 11: "pmh",
        12: "pmh ra", 14: "svc", 15: "pmh", 20: "is L", 21: "rs is L", 22: "is ra L", 23: "ra L", 24: "tg rs is ra L",
        25: "is L", 26: "L", 27: "pmh", 29: "is rs ra L", 30: "L", 31: "is rs L", 32: "is rs L", 33: "is L",
        34: "ra is L", 35: "is L", 37: "pmh", 38: "ra is L", 39: "tg ra L", 40: "tg", 42: "tg L", 43: "rs L",
        44: "ra", 45: "rs L", 46: "tg L", 47: "ra L", 48: "L"},
    "2014-0227": {8: "L", 9: "L"},
    "2015-0443": {0: "pmh", 1: "pmh", 3: "pmh", 5: "svc", 6: "ra cc", 8: "svc pmh", 9: "pmh", 10: "pmh is", 11: "pmh",
        12: "svc ra L", 13: "svc is L", 14: "is L", 15: "svc sw L", 16: "svc L", 17: "L", 18: "is maw pmh L",
        19: "is L", 20: "svc pmh L"},
    "2025-0241": {6: "tg L", 7: "tg L", 8: "tg L"},
    "2025-0085": {5: "L"},
    "2018-0152": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 11: "pmh", 12: "pmh", 22: "pmh",
        24: "pmh", 25: "sw", 26: "sw rs", 28: "ra", 29: "is", 31: "is", 33: "pmh ra", 35: "is", 37: "pmh",
        38: "pmh ra", 39: "is ra", 40: "is ra", 44: "pmh", 47: "pmh", 48: "pmh", 49: "pmh ra L", 50: "rs tg L",
        52: "pmh ra L", 53: "is maw L", 54: "pmh", 55: "rs L", 56: "rs pmh L", 57: "rs L", 58: "rs L",
        59: "is maw L", 60: "is L", 61: "is L"},
    "2021-0037": {1: "pmh", 2: "pmh", 3: "pmh", 4: "pmh", 5: "is", 6: "pmh", 7: "is pc ra", 8: "cc", 9: "is cc maw",
        10: "cc", 11: "ra", 12: "svc", 13: "svc", 14: "svc", 17: "svc", 18: "te svc pmh", 19: "pmh", 20: "ra",
        27: "pmh", 28: "pmh svc L", 29: "svc L", 30: "svc L", 31: "svc L", 32: "svc L", 33: "svc L", 34: "is L",
        35: "is L", 36: "is tg L"},
    "2024-0638": {3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 9: "pmh", 17: "tg", 18: "tg", 19: "rs", 20: "rs",
        22: "rs", 23: "rs ra pmh", 27: "pmh", 29: "L", 30: "ra L", 31: "rs L", 32: "rs ra L", 33: "rs L"},
    "2021-0176": {25: "L", 26: "L", 27: "L", 28: "L"},
    "2023-0372": {5: "ra", 9: "L", 10: "ra L", 11: "ra L"},
    "2016-0389": {12: "tg L", 13: "tg L"},
    "2018-0138": {7: "L", 8: "L", 9: "L", 10: "L", 11: "L"},
    "2024-0469": {13: "L", 14: "L"},
    "2023-0118": {4: "L", 8: "is", 9: "is L", 10: "is L", 11: "is L", 12: "L", 13: "tg is L"},
    "2015-0144": {11: "L", 18: "L", 20: "L", 21: "L", 22: "L"},
    "2019-0119": {23: "L", 27: "L", 28: "L", 29: "L"},
    "2020-0139": {11: "L", 12: "L", 13: "L", 15: "L"},
    "2014-0069": {3: "psm", 5: "L", 9: "L"},
    "2015-0309": {2: "pmh", 4: "pmh", 9: "pmh", 13: "tg L", 14: "is L", 15: "is L", 16: "L", 17: "sw", 18: "ra L",
        19: "sw L", 20: "sw L", 21: "pmh", 22: "pmh", 25: "L", 26: "sw L", 27: "sw L", 28: "sw L"},
    "2023-0507": {2: "pmh", 4: "pmh", 5: "pmh", 8: "pmh cd", 9: "pmh", 11: "pmh", 12: "pmh", 13: "pmh ra",
        14: "maw L", 15: "maw L", 16: "cd L", 17: "svc L", 18: "maw cd svc L", 19: "tg cd pmh L", 20: "svc cd L",
        21: "maw L", 22: "maw L", 23: "pmh svc L", 24: "pmh L", 25: "L", 26: "L", 27: "pmh is L", 28: "pc L",
        29: "pc L", 30: "pc ra L", 31: "pc L", 32: "is pc L", 33: "pmh pc L", 34: "pmh pc L", 35: "cd L",
        36: "cd is L", 37: "L", 38: "is L"},
    "2017-0249": {7: "L", 8: "L", 9: "L", 10: "L"},
    "2020-0197": {4: "L", 5: "L", 6: "L", 8: "L"},
    "2025-0213": {10: "L"},
    "2019-0112": {9: "L", 13: "L"},
    "2025-0012": {8: "L"},
    "2015-0209": {3: "pmh", 5: "ra pc cc L", 6: "cc L", 7: "pmh", 8: "cc L", 9: "pmh", 10: "pmh", 12: "is pc",
        14: "ra", 15: "pmh", 16: "pmh", 17: "maw cc", 18: "rs", 19: "is", 20: "pmh", 21: "pmh", 22: "is tg L",
        23: "is tg L", 24: "tg L", 25: "cc", 26: "cc tg L", 27: "tg L"},
    "2015-0256": {7: "L", 8: "L", 9: "rs L", 10: "rs L", 11: "L", 12: "rs L"},
    "2016-0405": {10: "L"},
    "2024-0648": {23: "L", 24: "L", 25: "L", 26: "L", 27: "L", 28: "L", 30: "L"},
    "2019-0231": {30: "L", 31: "L", 32: "L", 34: "L", 35: "L", 36: "L"},
    "2018-0108": {21: "L", 22: "L", 23: "L", 24: "L", 25: "L"},
    "2025-0128": {2: "psm", 9: "L", 10: "L"},
    "2015-0052": {3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 8: "pmh cc", 12: "cc", 16: "pc is",
        19: "cc svc L", 20: "cc tg L", 21: "cc svc pmh L", 22: "svc cc L", 23: "cc tg L"},
    "2025-0509": {2: "pmh", 3: "pmh", 4: "pmh", 5: "tg sw L", 6: "pmh", 7: "pmh", 8: "pmh", 9: "L", 11: "tg pmh L",
        12: "tg L", 13: "tg L", 14: "pmh L", 16: "svc tg L", 17: "svc pmh L", 20: "pc is L", 21: "pc L", 22: "sw L",
        23: "pc te ra sw L", 24: "sw L"},
    "2014-0314": {10: "L", 11: "L", 12: "L", 13: "L"},
    "2016-0443": {5: "L", 7: "L"},
    "2014-0071": {9: "L", 11: "L"},
    "2023-0142": {11: "L", 12: "L", 13: "L"},
    "2019-0109": {24: "L", 25: "L", 27: "L", 28: "L", 29: "L", 30: "L", 31: "L"},
    "2024-0045": {1: "pmh", 2: "pmh", 3: "pmh", 4: "pmh", 5: "svc te pmh", 6: "pmh", 8: "svc", 9: "pmh", 10: "svc",
        11: "pmh", 12: "sw svc te is L", 13: "sw svc L", 14: "svc L", 15: "L"},
    "2014-0577": {16: "L", 17: "L", 20: "L", 23: "L"},
    "2014-0106": {4: "L", 5: "L"},
    "2021-0414": {10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L"},
    "2022-0295": {6: "L"},
    "2016-0348": {7: "L", 8: "L"},
    "2021-0343": {1: "pmh", 2: "pmh", 3: "pmh", 4: "pmh", 7: "pmh", 8: "pmh", 12: "rs L", 13: "rs L", 14: "rs ra L",
        15: "rs ra pmh L", 16: "rs L", 18: "L", 19: "rs L", 20: "ra L", 21: "L", 22: "pmh", 25: "svc", 28: "L",
        29: "L", 30: "sw", 31: "sw L", 32: "sw svc L", 34: "tg", 35: "tg", 37: "cc L", 41: "tg cc L"},
    "2020-0290": {2: "pmh", 3: "pmh", 4: "pmh", 8: "pmh", 9: "is pmh", 10: "pmh", 12: "is L"},
    "2017-0237": {13: "L", 14: "L", 15: "L"},
    "2015-0271": {5: "tg", 6: "L", 7: "L", 8: "L", 10: "L", 11: "tg L", 12: "tg L", 13: "tg L"},
    "2016-0172": {13: "L"},
    "2015-0173": {3: "pmh", 5: "tg is L", 6: "is L", 7: "ra pmh L", 8: "ra L", 9: "pc L", 10: "pc is L", 11: "ra L",
        12: "is L", 14: "maw L", 15: "rs L", 17: "rs pmh L", 18: "L", 19: "maw L"},
    "2025-0022": {6: "psm", 13: "L", 14: "L", 15: "L"},
    "2025-0446": {18: "psm", 27: "tg", 28: "tg", 29: "tg", 30: "tg L", 32: "L", 33: "L", 34: "L"},
    "2018-0227": {13: "L"},
    "2017-0141": {1: "pmh", 2: "pmh svc ra L", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh svc", 7: "cc maw", 8: "ra pmh",
        9: "svc", 10: "svc", 11: "pmh", 12: "pmh", 13: "L", 14: "cc maw L", 15: "cc L", 16: "ra pmh L",
        17: "ra pc L", 18: "ra pmh L", 19: "cc maw L", 20: "cc L", 21: "svc L", 22: "tg L", 23: "tg", 24: "L",
        25: "tg L", 26: "tg svc cc L", 27: "ra pmh L", 28: "L", 29: "L"},
    "2018-0391": {24: "L", 28: "L", 29: "L", 32: "L"},
    "2025-0100": {8: "L", 9: "tg L", 10: "L", 11: "tg L", 12: "L", 13: "L"},
    "2014-0289": {2: "pmh", 3: "pmh", 5: "pmh", 6: "pmh", 7: "is L", 8: "is L", 9: "rs is L", 10: "is svc L",
        11: "is L", 13: "rs L"},
    "2017-0422": {8: "L", 10: "L"},
    "2014-0472": {7: "L", 10: "L"},
    "2025-0143": {12: "L", 13: "L"},
    "2023-0096": {6: "L", 8: "L"},
    "2020-0128": {10: "L", 11: "pc", 14: "is", 15: "sw L", 16: "is L"},
    "2015-0107": {3: "L", 4: "L"},
    "2025-0366": {10: "L", 11: "L"},
    "2025-0130": {2: "pmh", 7: "pmh", 11: "svc pmh L", 12: "sw L"},
    "2016-0103": {12: "L", 13: "L", 14: "L"},
    "2014-0496": {14: "L", 20: "L"},
    "2025-0365": {9: "L", 12: "L", 13: "L", 14: "L"},
    "2020-0024": {15: "L", 16: "L", 18: "L"},
    "2019-0464": {6: "L"},
    "2015-0031": {2: "pmh pc ra L", 3: "pmh", 4: "pmh", 6: "pmh", 7: "pc is ra pmh", 8: "ra pmh", 9: "pmh",
        10: "pc ra", 11: "tg", 12: "tg", 13: "tg rs", 14: "pc is ra L", 15: "pc is L", 16: "pc is L",
        18: "ra rs L"},
    "2017-0039": {5: "L", 6: "L", 7: "L"},
    "2022-0307": {2: "pmh ra L", 3: "ra L", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 8: "pmh", 9: "pmh", 13: "pmh",
        17: "pmh", 21: "ra pc", 23: "pmh", 25: "rs ra L", 27: "L", 28: "pmh ra L", 29: "L", 30: "L", 31: "L", 32: "L",
        33: "pmh L", 35: "L", 36: "sw L", 37: "pmh", 38: "ra", 39: "ra L", 40: "te tg L", 41: "te L", 42: "te tg L",
        43: "tg L", 44: "ra tg te L"},
    "2023-0318": {10: "tg L", 11: "L", 12: "tg L"},
    "2021-0305": {2: "psm", 8: "L", 9: "L", 10: "tg L", 12: "L", 13: "is L"},
    "2020-0079": {7: "tg L", 8: "tg L"},
    "2024-0164": {15: "L"},
    "2016-0395": {10: "L", 11: "L"},
    "2024-0691": {1: "pmh", 6: "pmh", 8: "pmh svc", 9: "svc te pmh", 10: "svc", 11: "svc", 12: "svc pmh L",
        13: "svc L", 14: "svc L", 16: "pmh svc", 17: "svc te", 18: "te ra", 19: "te", 20: "te svc L"},
    "2017-0216": {7: "L", 8: "L", 9: "L", 10: "L", 11: "L", 12: "L"},
    "2023-0081": {9: "L", 10: "L", 11: "L", 13: "L"},
    "2016-0289": {2: "pmh", 4: "pmh", 5: "rs ra pmh L", 6: "is L", 7: "is L", 8: "L", 9: "pmh", 10: "L", 11: "is L",
        12: "tg L", 13: "tg L", 14: "tg L", 15: "L", 16: "sw is tg L", 17: "pmh", 18: "pmh", 20: "pmh ra", 21: "rs",
        22: "is", 23: "is", 25: "is", 26: "is", 28: "rs", 30: "tg", 31: "tg", 32: "tg", 33: "ra", 35: "ra is",
        37: "is", 48: "pmh", 50: "tg L", 51: "tg ra L", 52: "tg is L", 53: "tg", 54: "rs ra pmh L", 55: "is rs L",
        56: "L", 57: "tg L", 58: "L", 59: "tg L"},
    "2025-0267": {9: "L", 10: "L"},
    "2017-0055": {1: "pmh", 3: "!pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh", 8: "pmh", 9: "svc maw pmh", 10: "pmh",
        12: "pmh", 13: "pmh", 14: "pmh", 15: "is pmh", 16: "is rs", 18: "ra pmh", 20: "pmh", 21: "rs ra is",
        22: "is", 23: "rs ra is", 24: "ra", 25: "svc", 27: "pmh", 30: "ra pmh L", 31: "ra L", 32: "is L", 33: "is L",
        34: "ra L", 35: "L", 36: "ra pmh L", 37: "ra L", 38: "rs ra L", 39: "pmh L", 40: "L", 41: "L", 42: "L",
        43: "ra pmh L", 45: "maw tg ra L", 47: "tg ra maw L", 48: "tg L", 49: "tg L", 50: "pc ra L", 51: "pmh L",
        52: "pmh ra L", 53: "ra L"},
    "2013-0324": {5: "L"},
}


def main() -> None:
    reports = {}
    with PFD.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            reports[row["id"]] = row
    dev = dev_reports(list(SPEC))
    rows = []
    for report_id, spec in SPEC.items():
        sentences = report_sentences(reports[report_id])
        if spec and max(spec) >= len(sentences):
            raise SystemExit(f"{report_id}: index {max(spec)} beyond its {len(sentences)} sentences")
        for index, (field, start, end, text) in enumerate(sentences):
            if not text:
                continue
            labels, negated, lp = parse(spec.get(index, ""))
            rows.append({"report_id": report_id, "field": field, "start": start, "end": end, "sha": text_hash(text),
                         "labels": labels, "negated": negated, "learning_point": lp, "doc": f"pfd-{report_id}",
                         "split": "dev" if report_id in dev else "train"})
    with open(Path(__file__).with_name("pfd_refs_b.jsonl"), "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} references from {len(SPEC)} reports ({n_dev} dev sentences from {len(dev)} reports)")


if __name__ == "__main__":
    main()
