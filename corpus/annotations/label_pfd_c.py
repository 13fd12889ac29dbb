"""Write corpus/annotations/pfd_refs_c.jsonl: labels (by coder LABEL-C) on every sentence of further real
Prevention of Future Deaths reports in ../shared/corpus/pfd/reports.jsonl, stored by reference only
(report id, field, character offsets into that field, sentence hash), never as text.

Run from the repository root: `.venv/bin/python corpus/annotations/label_pfd_c.py`. Same notation, coding
choices and split rule as label_pfd.py (index -> space-separated codes, `!code` a denied risk factor, `L` a
learning point; a sentence not listed carries no label and is narration).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from label_pfd import CODES, PFD, dev_reports, parse, report_sentences, text_hash  # noqa: E402,F401

SPEC: dict[str, dict[int, str]] = {
    "2025-0031": {10: "is pc", 11: "L", 12: "pc L", 13: "pc L", 14: "is L"},
    "2023-0052": {5: "svc", 6: "ra", 9: "svc", 10: "sw", 12: "sw", 16: "sw", 22: "svc L", 23: "svc sw L", 24: "sw L",
        26: "sw L", 27: "sw L", 28: "sw L", 29: "ra L", 30: "L", 31: "L", 32: "sw svc L", 33: "sw L", 34: "ra L",
        35: "ra L", 36: "tg L", 37: "tg L", 38: "tg L"},
    "2013-0291": {2: "pmh is", 4: "pmh is", 5: "pmh is rs", 6: "is rs L", 7: "is L", 8: "is L", 9: "is ra pmh L",
        10: "is maw L"},
    "2022-0263": {5: "pmh ra", 6: "pmh ra", 7: "pmh", 8: "pmh tg L", 9: "pmh tg maw L", 10: "pmh tg ra L",
        11: "tg L", 12: "tg L"},
    "2024-0423": {2: "pmh", 3: "maw L", 4: "L", 5: "is maw L", 6: "pmh ra is L", 7: "ra L", 8: "ra L", 12: "pmh",
        13: "pmh", 15: "tg", 17: "pmh", 18: "pmh", 19: "pmh cc", 20: "ra", 22: "pmh", 24: "pmh", 25: "rs is ra L",
        26: "pmh ra L", 27: "pmh ra L", 28: "pmh sw L", 29: "sw L", 30: "tg ra L", 31: "sw L", 32: "tg L", 33: "ra L",
        34: "L", 35: "pmh ra maw L", 36: "pmh ra L", 37: "pmh ra L", 38: "pmh ra pc L", 39: "pmh pc L", 40: "pmh ra",
        41: "pmh te", 42: "ra L", 43: "pmh ra L", 44: "pmh L", 45: "sw tg L", 46: "pmh tg ra L", 47: "tg L",
        48: "tg L", 49: "pmh L", 50: "sw tg L", 51: "sw pmh L"},
    "2025-0362": {7: "L", 8: "L", 9: "L", 10: "L", 11: "L", 13: "L", 14: "L"},
    "2019-0124": {10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L", 16: "L"},
    "2022-0151": {4: "L", 5: "L"},
    "2022-0256": {2: "pmh ra L", 3: "!pmh", 5: "!pmh", 6: "pmh", 7: "pmh", 8: "pmh", 9: "pmh cc", 10: "pmh", 11: "pmh",
        12: "pmh ra", 13: "pmh", 14: "is ra L", 15: "is ra L", 16: "rs L", 17: "pmh", 19: "pmh", 20: "is tg L",
        21: "pmh L", 22: "L", 23: "rs is L"},
    "2022-0383": {17: "L", 18: "L", 19: "L", 20: "L", 21: "L", 22: "L", 23: "L", 24: "L", 25: "L", 26: "L", 27: "L",
        28: "L", 29: "L", 30: "L", 31: "L", 32: "L"},
    "2015-0430": {11: "L", 12: "L", 15: "L", 16: "L", 17: "L", 18: "L"},
    "2017-0259": {6: "rs L", 7: "rs ra L", 8: "rs sw L", 9: "L", 10: "tg L", 11: "tg L", 12: "tg L", 13: "tg L",
        14: "tg L", 15: "tg L"},
    "2023-0221": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh ra", 9: "L", 11: "svc pmh L", 12: "svc",
        13: "pmh", 14: "pmh ra L", 16: "pmh tg L", 17: "svc tg L", 18: "tg L"},
    "2024-0568": {2: "pmh", 5: "pmh", 6: "pmh", 11: "pmh", 12: "pmh ra", 17: "pmh", 18: "pmh is", 19: "rs ra L",
        20: "rs ra L", 21: "rs pmh L", 22: "rs ra L", 23: "rs L"},
    "2025-0144": {2: "pmh psm", 3: "pmh ra", 4: "pmh", 5: "pmh", 6: "!pmh psm", 7: "psm", 8: "L", 9: "pmh L",
        10: "L", 11: "rs L", 12: "rs", 13: "rs L", 14: "ra rs L", 15: "ra L", 16: "is pmh L", 17: "tg L", 18: "tg L",
        19: "is cc L", 20: "cc ra L", 21: "L", 22: "cc tg L"},
    "2025-0029": {2: "pmh", 4: "pmh", 5: "pmh", 8: "L", 9: "L", 10: "L", 11: "L"},
    "2016-0267": {9: "!psm", 21: "L", 22: "L", 23: "ra tg L", 24: "tg L", 25: "tg L"},
    "2018-0268": {7: "L", 8: "L"},
    "2014-0332": {4: "L", 5: "L", 6: "L", 7: "L"},
    "2016-0124": {8: "L", 9: "L"},
    "2019-0428": {1: "pmh", 3: "pmh", 4: "pmh", 5: "pmh cc", 7: "cc", 9: "cc", 10: "cc", 11: "is cc", 12: "cc",
        13: "pmh", 14: "pmh", 18: "is cc L", 19: "tg L", 22: "cc L", 23: "cc L", 24: "cc", 25: "cc L", 26: "cc L",
        27: "te cc L"},
    "2025-0129": {13: "L"},
    "2013-0327": {3: "psm", 16: "tg L"},
    "2017-0018": {4: "L", 5: "L", 6: "L", 7: "L", 8: "L", 9: "L", 10: "L"},
    "2018-0301": {3: "pmh", 4: "pmh psm", 5: "pmh cc ra", 6: "pmh", 7: "tg L", 8: "tg is L", 9: "tg L", 10: "tg L",
        11: "is tg L"},
    "2024-0260": {},
    "2021-0021": {7: "L"},
    "2016-0250": {10: "L", 12: "L", 13: "L", 14: "L"},
    "2024-0560": {8: "L"},
    "2014-0338": {4: "cd", 12: "L"},
    "2014-0144": {5: "L", 14: "L", 15: "L", 16: "L", 17: "L", 18: "L", 19: "L", 20: "tg L", 21: "tg L"},
    "2017-0050": {10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L", 16: "L"},
    "2021-0067": {17: "L", 19: "L", 28: "L", 29: "L", 30: "L", 31: "L", 32: "L"},
    "2015-0060": {6: "L", 7: "L"},
    "2019-0288": {2: "pmh", 3: "pmh", 4: "pmh cc ra", 5: "pmh", 6: "is pmh L", 7: "is L", 8: "is tg L"},
    "2021-0082": {2: "pmh", 3: "pmh svc L", 4: "pmh ra L", 5: "ra L", 6: "pmh", 8: "pmh", 9: "pmh", 14: "pmh is",
        15: "pmh", 16: "pmh ra", 17: "pmh ra", 18: "pmh ra pc L", 19: "is ra L", 20: "rs is L", 21: "rs is ra L",
        22: "is L", 25: "is L", 26: "is rs L", 27: "is L", 28: "ra", 29: "ra L", 30: "L", 33: "tg L", 34: "L",
        35: "L", 36: "tg L"},
    "2014-0173": {7: "L", 8: "L", 9: "L", 12: "L", 13: "L", 16: "L", 17: "L", 18: "L", 19: "L"},
    "2017-0218": {3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh ra L", 7: "pmh", 8: "pmh", 9: "pmh", 10: "rs L", 11: "rs L",
        12: "pmh", 13: "pc L", 14: "tg L", 15: "L", 16: "L", 17: "L", 18: "L", 19: "L", 20: "ra L", 21: "pmh ra L",
        22: "rs L", 23: "rs L"},
    "2019-0235": {2: "pmh", 4: "pmh", 5: "pmh ra", 6: "is", 8: "is L", 9: "is L"},
    "2016-0127": {9: "L", 10: "L", 11: "L", 12: "L", 13: "L"},
    "2024-0711": {9: "L", 10: "L", 11: "L", 12: "L"},
    "2023-0268": {2: "pmh", 4: "pmh ra is L", 5: "pmh", 6: "pmh", 7: "pmh", 8: "pmh", 9: "ra is cc", 10: "is ra",
        12: "pmh", 13: "ra", 14: "is ra", 16: "pmh", 17: "ra is", 18: "pmh ra cc", 20: "is ra", 21: "pmh", 22: "pmh",
        23: "pmh ra is L", 24: "tg L", 25: "tg L", 26: "L", 27: "L", 28: "rs ra svc L", 29: "L", 30: "tg L",
        31: "rs L", 32: "rs L", 33: "L", 34: "rs L"},
    "2023-0047": {7: "L", 8: "L", 14: "L", 15: "tg L", 17: "tg L", 18: "L"},
    "2020-0009": {4: "L", 5: "L"},
    "2016-0012": {10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L", 16: "L", 17: "L", 19: "L", 20: "L",
        21: "L"},
    "2018-0189": {4: "pmh", 5: "pmh", 6: "pmh", 7: "pmh ra L", 8: "rs pmh L", 9: "pmh", 10: "pmh", 11: "pmh",
        12: "rs is pmh L", 13: "is te L", 14: "rs is L", 15: "pmh", 16: "is pc L", 17: "is L", 18: "L", 19: "tg L",
        20: "tg rs L", 21: "L", 22: "tg L", 23: "tg pmh L", 24: "pmh L", 25: "tg svc L", 26: "tg L", 27: "tg L"},
    "2019-0385": {8: "pmh", 9: "pmh", 10: "is cc L", 11: "is L", 12: "ra L", 13: "L", 15: "pmh ra", 17: "pc is L",
        18: "pc L", 19: "is L", 20: "is", 21: "is", 22: "is pmh", 23: "is pc L", 24: "is L", 25: "ra pc L", 26: "ra L",
        27: "is L", 28: "ra L", 29: "ra L", 30: "is L", 31: "tg ra L", 32: "ra L"},
    "2024-0650": {3: "pmh", 4: "pmh ra", 5: "is", 6: "tg is L", 7: "ra L", 8: "L", 9: "L", 10: "tg L", 11: "L",
        12: "rs L", 13: "sw tg L", 14: "rs tg L", 15: "L", 16: "rs L", 17: "L", 18: "pmh tg L", 19: "pmh L",
        20: "pmh L", 21: "tg L", 22: "tg L", 23: "tg L", 24: "pmh L", 25: "tg L", 26: "tg pmh L", 27: "tg L", 28: "L",
        29: "pmh L", 30: "tg L", 31: "tg pmh L", 32: "tg L"},
    "2025-0353": {11: "L", 12: "tg L", 13: "L", 14: "L", 15: "L", 16: "L", 17: "L", 18: "L", 19: "L", 20: "L",
        21: "L"},
    "2017-0323": {10: "L", 14: "L", 16: "L", 17: "L", 18: "L"},
    "2015-0235": {6: "L", 8: "L"},
    "2024-0294": {2: "pmh ra L", 3: "pmh", 7: "pmh", 8: "pmh", 9: "pmh", 10: "cc", 11: "svc", 12: "svc", 13: "is cc L",
        14: "cc L", 15: "is maw cc L", 16: "is L", 17: "L", 18: "L", 20: "tg L", 21: "cd", 22: "pmh", 23: "pmh",
        24: "pmh", 28: "maw L", 29: "tg L", 30: "tg pmh L", 31: "pmh svc", 32: "pmh svc", 34: "svc", 35: "svc",
        37: "pmh", 39: "L", 41: "L", 42: "L", 43: "pmh", 45: "rs L", 47: "L", 49: "rs L", 50: "tg", 52: "tg L",
        53: "tg sw L", 54: "sw", 55: "sw L", 56: "sw", 57: "maw L", 58: "svc L", 59: "svc L", 60: "svc L", 61: "L",
        62: "svc L", 63: "svc L", 67: "tg", 68: "tg", 69: "tg L", 70: "is", 72: "is", 73: "rs L", 74: "rs L",
        76: "pmh L", 77: "rs", 78: "rs", 79: "L", 80: "rs", 81: "rs tg L", 82: "svc pmh L", 83: "tg L",
        84: "tg svc cc L", 85: "tg maw L", 86: "maw L", 87: "tg is cc L", 88: "tg is cc cd L", 89: "tg L", 90: "rs L",
        91: "maw tg L", 92: "L", 93: "tg L", 94: "rs tg L", 95: "pmh rs L"},
    "2016-0043": {3: "psm", 4: "psm", 7: "tg L", 8: "tg L", 9: "L"},
    "2014-0217": {4: "cd", 9: "L", 10: "L", 11: "L", 12: "L", 13: "L"},
    "2017-0418": {10: "L", 11: "L", 15: "L"},
    "2014-0125": {8: "L"},
    "2014-0230": {2: "pmh", 4: "pmh", 5: "pmh", 6: "pmh cc", 7: "pmh", 8: "pmh ra", 9: "is", 10: "pmh", 11: "pmh",
        12: "ra", 14: "is ra", 15: "is", 16: "pmh", 17: "is fr maw L", 18: "is rs L"},
    "2014-0523": {1: "pmh", 2: "pmh svc", 3: "pmh", 4: "tg L", 5: "rs is L", 6: "is L"},
    "2025-0523": {36: "L", 37: "L", 38: "is L", 41: "L", 42: "L", 43: "L", 44: "L", 45: "L"},
    "2024-0117": {0: "pmh", 1: "pmh", 2: "pmh ra", 3: "pmh ra is tg L", 4: "ra L", 5: "L", 6: "pmh", 8: "pmh",
        9: "pmh", 10: "pmh ra L", 11: "pmh ra L", 12: "ra L", 13: "pc pmh L", 14: "ra is L", 15: "pmh", 16: "L",
        17: "is ra L", 19: "L", 20: "is ra pmh L", 21: "tg is L", 22: "tg L", 23: "is ra L", 24: "ra L",
        25: "rs tg L", 26: "rs", 27: "tg L", 29: "is ra L", 30: "ra pmh L", 31: "tg L", 32: "L"},
    "2021-0053": {5: "cd", 8: "cd", 9: "cd", 10: "cd", 13: "is L", 14: "is L"},
    "2022-0168": {9: "tg L", 10: "tg L", 11: "tg L"},
    "2016-0230": {8: "L", 9: "L", 10: "L"},
    "2017-0047": {5: "!psm", 6: "L"},
    "2023-0055": {3: "pmh", 13: "pmh", 15: "ra", 17: "ra tg", 20: "is", 21: "is maw", 22: "is", 23: "is maw", 25: "maw",
        28: "ra L", 29: "tg ra L", 30: "tg ra L", 31: "tg L", 32: "tg L"},
    "2024-0413": {12: "svc L", 13: "svc L"},
    "2024-0026": {3: "cd cmh", 4: "cmh", 6: "cmh cc", 7: "cd", 8: "cd cmh", 9: "cmh", 10: "cmh", 11: "cmh ra", 12: "maw",
        13: "svc cmh", 14: "cc", 15: "cmh", 17: "cd cmh svc L", 18: "svc L", 19: "L", 20: "ra L", 21: "svc cmh L",
        22: "svc L", 23: "maw", 24: "svc L", 25: "svc L", 26: "svc L", 27: "svc cd cmh L", 28: "svc L"},
    "2024-0412": {7: "tg L", 8: "tg L", 9: "tg L", 10: "tg L", 12: "tg L", 13: "tg L", 14: "tg L", 15: "tg L",
        16: "tg L", 17: "tg L", 18: "L"},
    "2019-0329": {2: "pmh", 3: "pmh ra is L", 4: "is L", 5: "ra L", 6: "pmh ra L", 7: "ra L", 8: "pmh psm L",
        10: "pmh psm", 11: "pmh", 12: "pmh", 13: "pmh", 14: "pmh svc", 15: "svc", 16: "pmh", 17: "pmh", 18: "pmh",
        19: "pmh", 20: "pmh ra", 21: "pmh da", 23: "da", 24: "pmh ra", 27: "pmh", 29: "is", 30: "ra", 33: "maw",
        35: "is", 36: "psm", 38: "ra", 39: "da", 41: "pmh", 42: "!psm", 44: "is L", 45: "is", 46: "is rs L", 47: "is L",
        48: "is ra L", 49: "is", 50: "is maw L", 51: "is L", 52: "is rs L", 53: "is rs L", 54: "is L", 55: "is",
        56: "rs", 57: "ra L", 58: "L", 59: "ra L", 60: "ra L", 61: "ra L", 62: "L", 63: "L", 65: "L", 66: "L", 67: "L",
        68: "psm", 69: "ra", 70: "pmh psm ra L", 71: "ra pc L", 72: "L", 73: "ra L", 74: "L", 75: "rs L",
        76: "ra rs L", 77: "rs sw L", 78: "rs L", 79: "tg rs L", 80: "rs L", 81: "sw rs L", 82: "sw L", 83: "sw L",
        84: "sw L"},
    "2015-0174": {5: "L"},
    "2014-0048": {2: "pmh", 6: "pmh", 9: "tg L", 10: "tg L", 11: "tg L", 12: "ra L", 13: "tg L", 16: "tg L",
        17: "ra L", 18: "ra L", 19: "is L", 20: "is L", 21: "is L", 22: "L", 23: "rs L"},
    "2025-0106": {2: "pmh", 3: "pmh", 4: "pmh", 6: "pmh", 7: "is", 8: "is", 12: "is", 13: "pmh", 14: "L", 15: "is pmh L",
        16: "L", 17: "L", 19: "L", 20: "L", 21: "L"},
    "2021-0287": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "maw", 7: "is maw L", 8: "is tg L", 9: "is L",
        10: "is ra L", 11: "maw is L", 12: "is ra L", 13: "pmh ra L", 14: "L", 15: "ra pmh L", 16: "pmh", 17: "is L",
        18: "pmh L", 19: "is L"},
    "2019-0069": {1: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 8: "pmh", 9: "is maw", 10: "svc", 11: "svc", 12: "pmh",
        14: "cc", 15: "cc", 16: "pmh", 17: "pmh", 18: "cc tg", 19: "svc", 21: "is L", 22: "svc L", 23: "cc L",
        24: "maw L", 25: "maw L", 26: "svc L"},
    "2019-0404": {17: "L", 18: "L", 19: "L", 20: "L", 21: "L", 22: "L"},
    "2018-0175": {8: "L"},
    "2025-0074": {8: "L", 9: "L", 10: "L"},
    "2014-0045": {8: "L", 10: "L", 11: "L", 12: "L"},
    "2024-0642": {15: "L", 16: "L", 17: "L", 18: "L", 19: "L", 20: "L", 21: "L", 22: "L", 23: "L"},
    "2019-0349": {5: "pmh", 6: "is maw L", 7: "svc L"},
    "2017-0428": {11: "L"},
    "2014-0054": {4: "L"},
    "2023-0543": {9: "L", 10: "L", 11: "L", 13: "L", 14: "L", 15: "L", 16: "L", 18: "L", 19: "L", 20: "L"},
    "2015-0005": {4: "L", 5: "L"},
    "2024-0283": {10: "ra L", 12: "L", 13: "ra L", 14: "tg L", 15: "tg L", 18: "rs L", 19: "rs L", 20: "L", 21: "rs L",
        22: "tg L", 25: "rs L", 27: "L"},
    "2017-0239": {14: "L", 15: "L"},
    "2022-0028": {12: "L", 13: "L", 14: "L", 15: "L", 16: "L"},
    "2021-0062": {22: "L", 23: "L", 25: "L", 26: "L"},
    "2024-0218": {3: "pmh", 6: "pmh", 10: "L", 11: "tg L", 12: "ra tg L", 13: "L"},
    "2024-0355": {8: "L", 9: "L", 10: "L", 11: "L", 12: "L", 14: "L"},
}


def main() -> None:
    reports = {}
    with PFD.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in SPEC:
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
    with open(Path(__file__).with_name("pfd_refs_c.jsonl"), "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} references from {len(SPEC)} reports ({n_dev} dev sentences from {len(dev)} reports)")


if __name__ == "__main__":
    main()
