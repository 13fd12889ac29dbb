"""Write corpus/annotations/pfd_refs_a.jsonl: labels by helper LABEL-A on every sentence of further real
Prevention of Future Deaths reports in ../shared/corpus/pfd/reports.jsonl, stored by reference (report id,
field, character offsets into that field, sentence hash), never as text.

Run from the repository root: `.venv/bin/python corpus/annotations/label_pfd_a.py`. Same notation, coding
choices, sentence splitting, row format and dev/train split rule as label_pfd.py (see its docstring):
index -> space-separated codes (see CODES), `!code` for a risk factor mentioned only to deny it, `L` for a
learning point; a sentence not listed carries no label and is narration.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from label_pfd import CODES, PFD, dev_reports, parse, report_sentences, text_hash  # noqa: E402,F401

SPEC: dict[str, dict[int, str]] = {
    "2017-0099": {18: "L", 19: "L", 20: "L"},
    "2017-0052": {24: "L", 25: "L", 27: "L", 29: "L", 32: "L", 35: "L", 36: "L", 38: "L", 39: "L", 42: "L",
        49: "L", 50: "L", 53: "L", 55: "maw", 56: "maw L", 57: "L", 58: "maw L"},
    "2018-0380": {12: "L", 13: "L", 14: "L", 15: "L", 16: "L"},
    "2020-0154": {2: "pmh", 9: "pmh", 12: "is L", 16: "is", 17: "pmh", 18: "pmh",
        19: "is L", 20: "is L", 21: "L", 22: "is L", 23: "L", 24: "tg is L", 25: "L"},
    "2025-0021": {13: "tg L"},
    "2025-0289": {2: "cmh", 3: "cmh", 4: "cmh", 5: "is L", 6: "L", 8: "cmh", 13: "cmh", 15: "L", 16: "is",
        17: "is L", 19: "cmh", 20: "tg L"},
    "2014-0422": {8: "L", 9: "L", 10: "L"},
    "2014-0191": {5: "L", 6: "L", 7: "L", 8: "L"},
    "2017-0053": {22: "!psm", 28: "L", 29: "L", 30: "L", 31: "L"},
    "2022-0134": {5: "L", 6: "L"},
    "2024-0101": {5: "pmh", 6: "!pmh", 7: "pmh ra L", 8: "pmh ra L", 10: "pmh ra L", 11: "pmh pc L", 12: "L",
        13: "L", 14: "L", 15: "L", 16: "pmh ra tg L"},
    "2024-0262": {10: "L", 11: "L", 12: "L", 13: "L", 14: "tg L", 22: "tg L", 23: "L", 24: "L", 25: "L",
        26: "tg L"},
    "2021-0121": {6: "L"},
    "2019-0168": {10: "L", 13: "L"},
    "2013-0205": {17: "L"},
    "2016-0135": {8: "L", 9: "L"},
    "2015-0080": {2: "pmh", 7: "pmh", 8: "pmh", 9: "pmh ra", 10: "pmh ra", 11: "pmh", 12: "pmh", 13: "pmh",
        14: "is pmh tg L"},
    "2017-0003": {2: "pmh", 3: "pmh ra L", 4: "ra L", 5: "tg L", 6: "tg L", 7: "L", 8: "is L", 9: "is L",
        10: "tg L", 11: "rs is L", 12: "pc L", 14: "pmh", 15: "pmh", 16: "pmh ph", 18: "pmh cc", 19: "pmh",
        20: "pmh", 21: "pmh", 22: "rs is", 23: "cc", 24: "pmh cc svc", 25: "pmh", 26: "pmh cc", 27: "pmh cc",
        29: "ra rs", 30: "pmh", 33: "pmh", 34: "pmh", 35: "pmh", 40: "rs", 42: "tg", 43: "tg sw L",
        44: "ra rs is L", 45: "is", 46: "is pc pmh L", 47: "cc pmh L", 48: "pmh cc svc L", 49: "ra rs L",
        50: "ra is L", 51: "maw", 52: "ra L", 53: "ra L", 54: "ra L", 55: "pmh ra tg L", 56: "ra rs pmh L",
        57: "rs is L"},
    "2017-0010": {9: "L", 13: "tg L"},
    "2020-0295": {5: "L", 6: "L", 7: "L", 8: "L"},
    "2017-0042": {10: "L", 11: "L", 12: "L"},
    "2018-0285": {7: "L"},
    "2014-0114": {10: "L"},
    "2014-0462": {11: "L", 12: "tg L", 13: "tg L", 14: "tg", 15: "tg L", 16: "tg L"},
    "2014-0567": {5: "is L", 6: "rs L", 8: "is L", 9: "L"},
    "2013-0358": {11: "L"},
    "2013-0203": {6: "L", 7: "L"},
    "2021-0313": {13: "is", 14: "tg", 21: "tg L", 22: "tg", 23: "tg L", 24: "L", 25: "tg L", 26: "L", 27: "is L",
        28: "is L", 29: "L"},
    "2024-0426": {8: "L", 10: "L", 11: "L", 12: "tg L", 13: "tg L"},
    "2014-0124": {5: "L", 6: "L"},
    "2014-0561": {2: "pmh", 3: "pmh", 4: "pmh svc", 5: "pmh", 7: "pmh", 8: "rs is L", 9: "rs L",
        10: "pmh cc svc L", 11: "cc L", 12: "L"},
    "2016-0385": {2: "pmh ra is L", 3: "rs L", 4: "tg L", 5: "ra L", 6: "tg L", 7: "sw L", 8: "pmh", 9: "pmh",
        11: "pmh", 12: "tg L", 13: "L", 14: "L", 15: "L", 16: "tg L", 17: "tg L", 18: "rs is L", 19: "L",
        20: "rs L"},
    "2025-0242": {6: "L", 7: "L", 8: "L", 9: "L"},
    "2018-0187": {7: "L", 9: "L"},
    "2019-0169": {2: "cmh", 3: "cmh", 4: "cmh cd", 5: "cmh", 6: "cmh", 7: "cmh", 8: "cmh", 9: "cmh", 10: "cmh",
        12: "maw", 15: "cmh me", 16: "sw svc L", 17: "L", 21: "cmh"},
    "2020-0211": {25: "L", 26: "L", 29: "L"},
    "2015-0102": {15: "rs", 18: "maw L", 19: "maw L", 20: "maw L", 21: "maw L", 27: "maw tg L"},
    "2016-0494": {4: "!psm", 6: "L"},
    "2018-0418": {2: "pmh", 3: "pmh psm", 4: "pmh", 5: "pmh ra cc", 6: "pmh", 7: "pmh ra", 9: "pmh",
        10: "sw", 12: "pmh", 13: "sw", 20: "sw L", 21: "sw L", 28: "sw svc L", 29: "L", 30: "L", 32: "L",
        33: "L", 34: "ra L", 35: "ra tg L", 36: "ra tg L", 37: "ra tg L", 38: "tg L", 39: "tg L",
        40: "sw svc L", 41: "sw svc L"},
    "2025-0182": {2: "cmh", 3: "cmh", 4: "cmh ra L", 5: "cmh", 6: "cmh", 7: "cc", 8: "cmh svc", 9: "cmh svc",
        10: "cmh", 11: "sa", 12: "sa voc te", 13: "sa", 14: "maw me", 16: "cmh", 17: "cmh", 18: "cmh", 19: "cmh",
        20: "cmh ra", 21: "me", 22: "voc", 26: "cmh", 27: "is", 28: "cmh", 32: "cmh L", 33: "cmh is", 34: "cmh",
        35: "me voc", 36: "cmh voc", 37: "is ra L", 38: "cmh", 39: "is rs maw tg L", 40: "is maw L",
        41: "cmh ra te L", 42: "cmh voc L", 43: "is L", 44: "is rs L", 45: "is tg L", 46: "maw L", 47: "maw L"},
    "2014-0025": {10: "is", 11: "rs", 14: "is L", 15: "is tg L", 16: "is L", 17: "rs is L", 18: "L", 19: "L",
        20: "L", 22: "tg L", 23: "tg L", 24: "tg L"},
    "2015-0033": {13: "L", 15: "L", 17: "L", 18: "L", 19: "L", 20: "L", 21: "L"},
    "2025-0056": {20: "!psm", 23: "L"},
    "2016-0005": {6: "tg L", 7: "tg L", 8: "tg", 9: "tg", 10: "tg", 11: "tg", 12: "tg", 13: "tg L", 14: "tg L",
        15: "tg L", 17: "is", 18: "is tg L", 21: "rs", 23: "rs L", 24: "rs L", 26: "L", 27: "L"},
    "2025-0264": {10: "L", 14: "L", 15: "L", 18: "L", 19: "L", 20: "maw L"},
    "2025-0075": {25: "L", 26: "L"},
    "2017-0040": {9: "L", 10: "L", 11: "ra L"},
    "2014-0375": {10: "psm", 11: "is L", 12: "L", 13: "L", 14: "L"},
    "2015-0389": {7: "L"},
    "2014-0142": {8: "L", 9: "L", 10: "L"},
    "2013-0170": {3: "psm", 7: "L", 8: "L"},
    "2019-0295": {11: "L"},
    "2025-0184": {2: "pmh", 3: "hp", 4: "hp", 5: "hp", 6: "pmh sw", 8: "pmh", 9: "pmh", 10: "is L", 11: "is sw L",
        12: "is L", 13: "is L", 14: "rs sw L", 15: "rs L", 16: "is L", 17: "rs ra L", 18: "ra L", 19: "sw ra L",
        20: "ra L"},
    "2019-0510": {15: "L"},
    "2016-0004": {2: "pmh", 3: "pmh", 5: "pmh", 6: "pmh cc", 7: "is rs ra L", 8: "is L", 9: "pmh", 10: "pmh",
        11: "!pmh", 12: "pmh", 13: "pmh", 15: "pmh", 16: "pmh", 18: "pmh", 19: "cc", 20: "ra cc", 21: "is",
        22: "is", 23: "is", 24: "is", 26: "rs", 27: "rs", 28: "cc", 29: "is", 30: "is cc", 31: "cc", 32: "pmh",
        35: "cc ra L", 36: "is ra L", 37: "rs L", 38: "is cc L"},
    "2021-0063": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh ra", 7: "is pmh L", 8: "is", 9: "is tg L",
        10: "tg L", 11: "L", 12: "L"},
    "2023-0458": {12: "tg", 13: "tg", 14: "tg", 15: "tg", 19: "L"},
    "2024-0493": {4: "pmh", 5: "pmh", 6: "pmh svc", 7: "pmh", 8: "pmh svc", 9: "pmh", 10: "pmh", 11: "svc pmh L",
        12: "svc pmh L", 13: "svc L", 14: "svc L", 15: "svc is L", 16: "svc L"},
    "2016-0460": {2: "pmh cc", 3: "pmh cc", 4: "is cc L", 5: "cc L", 6: "is cc L"},
    "2019-0327": {15: "ra L", 16: "ra L", 17: "ra L", 18: "ra L", 19: "L", 20: "L", 22: "L"},
    "2014-0560": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh cc", 6: "pmh", 7: "svc L", 8: "svc L", 9: "pmh ra",
        10: "sw L", 11: "pmh", 12: "svc L", 13: "tg svc L", 14: "tg L", 15: "is L"},
    "2023-0141": {11: "L", 12: "L", 13: "L"},
    "2020-0030": {9: "L"},
    "2019-0128": {13: "L", 14: "L", 15: "L", 16: "L", 17: "L", 18: "L"},
    "2019-0013": {3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh ra", 7: "pmh", 8: "pmh ra", 10: "is rs", 11: "te tg",
        12: "is", 13: "is tg L", 14: "rs tg L", 15: "rs L", 16: "rs L", 17: "rs tg L", 18: "tg L", 19: "tg L",
        20: "tg L", 21: "maw tg L", 22: "tg L", 23: "rs L", 24: "rs L", 25: "tg L", 26: "L", 28: "L"},
    "2024-0488": {23: "L", 27: "tg", 29: "tg L"},
    "2017-0347": {2: "cmh", 4: "cmh", 5: "cmh L", 15: "cmh", 16: "cmh", 17: "is L", 18: "L", 20: "cmh L", 25: "L",
        26: "L", 29: "L", 31: "tg L", 32: "tg L", 33: "tg", 34: "tg L", 35: "L", 36: "is L", 37: "is L",
        39: "is L", 40: "is L", 41: "is L", 43: "is tg L"},
    "2014-0076": {9: "L", 10: "L", 11: "L", 12: "L"},
    "2016-0335": {2: "cmh", 4: "rs L", 6: "is L", 9: "rs L", 11: "rs L", 13: "ra L", 15: "maw L", 17: "cc L",
        22: "L", 25: "L", 28: "L", 31: "L", 36: "cmh", 40: "ra L", 41: "cc rs L", 42: "cmh cc", 43: "cmh",
        44: "tg L", 45: "rs maw L", 46: "rs sw L", 47: "tg L", 48: "cc", 49: "cc L", 50: "sw L", 51: "L"},
    "2024-0080": {2: "pmh", 3: "pmh", 4: "pmh hp", 5: "pmh cc", 6: "pmh hp", 7: "hp", 8: "is pmh", 9: "pmh",
        13: "pmh", 14: "pmh", 15: "pmh", 16: "pmh hp", 17: "pmh", 18: "pmh hp", 19: "hp", 20: "rs is L",
        21: "pmh", 23: "hp", 24: "pmh hp", 25: "pmh hp", 27: "rs pmh L", 28: "is L", 29: "pmh L", 30: "is L",
        32: "rs is L", 33: "is pc L", 35: "tg L"},
    "2016-0429": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "is pmh L", 7: "pmh te L", 8: "sw cc is L",
        9: "pmh is te svc L", 10: "ra L", 11: "ra te L", 12: "sw cc L", 13: "is L", 14: "svc tg L"},
    "2017-0004": {2: "pmh", 3: "pmh", 4: "is tg L", 5: "tg L", 6: "is L", 7: "is L", 9: "is", 10: "is rs",
        11: "is L", 12: "is L"},
    "2020-0262": {8: "L", 9: "L", 10: "L", 11: "L", 12: "L", 13: "L"},
    "2018-0361": {2: "pmh", 3: "pmh", 4: "pmh", 6: "pmh", 7: "pmh", 8: "pmh", 9: "pmh", 10: "pmh", 11: "ra L",
        12: "L", 13: "L", 14: "is L", 15: "rs is L", 16: "sw", 17: "sw", 18: "sw", 19: "rs sw L", 21: "rs",
        22: "L", 23: "L", 24: "tg L", 25: "L", 26: "maw", 28: "is pmh L", 29: "is tg L", 30: "is L", 33: "pmh",
        34: "ra pmh", 35: "ra L", 37: "rs L", 38: "is L", 39: "sw L", 40: "L", 41: "L"},
    "2017-0204": {7: "L", 8: "L"},
    "2021-0175": {20: "L", 22: "L", 23: "L"},
    "2014-0095": {8: "L", 9: "L"},
    "2017-0456": {6: "L", 7: "L", 9: "L", 10: "L"},
    "2025-0454": {3: "pmh", 4: "pmh", 5: "pmh cc", 6: "pmh", 7: "pmh", 8: "pmh", 9: "pmh", 10: "pmh ra", 11: "is",
        12: "pmh", 13: "pmh", 14: "pmh", 15: "pmh cc", 17: "pmh cc", 18: "maw", 19: "pmh", 21: "pmh",
        23: "pmh ra", 24: "pmh", 26: "pmh ra", 27: "pmh", 28: "pmh", 29: "pc", 30: "pc", 33: "ra", 34: "pc",
        35: "pc ra", 36: "pmh", 41: "pmh", 42: "is pc L", 43: "tg L", 44: "is L", 45: "pc L", 46: "L", 47: "tg L",
        48: "tg L", 49: "svc L", 50: "L", 51: "rs svc L"},
    "2024-0215": {4: "pmh", 5: "pmh cc", 7: "is cc L", 8: "is L", 9: "pmh ra L", 10: "L", 11: "L",
        12: "pmh ra tg L"},
    "2024-0623": {4: "psm", 7: "is", 8: "tg L", 9: "tg is L"},
    "2015-0506": {5: "psm", 12: "L", 15: "L"},
    "2015-0110": {10: "L", 11: "L"},
    "2020-0241": {10: "L", 12: "L", 13: "L"},
    "2024-0014": {2: "pmh", 3: "pmh", 4: "pmh", 5: "is pmh L", 6: "pmh", 8: "pmh tg L", 9: "tg sw L", 10: "is L",
        11: "is L", 12: "is tg L", 13: "is L", 14: "is sw L", 15: "is L", 16: "tg L", 17: "tg sw L"},
    "2019-0165": {9: "L", 13: "L", 16: "L", 19: "L", 20: "L"},
    "2020-0300": {2: "pmh", 3: "pmh", 5: "pmh", 6: "pmh", 7: "pmh svc", 8: "pmh svc L", 11: "svc cc L", 12: "pmh",
        14: "cc", 15: "pmh cd rs", 16: "rs", 17: "is rs", 18: "cd hp", 19: "hp cc", 20: "hp", 21: "rs",
        22: "is rs L", 23: "is rs L", 24: "is L", 25: "is L", 26: "is cc L"},
    "2024-0702": {4: "pmh", 6: "pmh", 7: "pmh", 8: "rs pmh L", 9: "is rs L", 10: "is L", 11: "pmh svc L",
        12: "pmh L", 13: "pmh", 14: "pmh L", 15: "L", 16: "pmh ra L", 17: "pmh ra L", 18: "rs pc L", 19: "pc L",
        20: "L", 21: "L", 22: "tg pmh L", 23: "pmh tg L", 25: "is pmh L", 26: "rs L", 27: "tg L", 28: "tg",
        32: "pmh", 38: "pmh", 42: "pmh", 45: "pmh", 49: "pmh", 51: "pmh", 52: "pmh", 53: "pmh", 54: "rs",
        55: "pmh rs", 56: "rs", 57: "pmh", 58: "rs", 59: "pmh", 60: "pmh", 61: "rs pmh", 63: "is", 64: "pmh",
        65: "pmh", 66: "pmh svc", 68: "pmh", 69: "pmh ra", 70: "pmh ra", 71: "rs", 72: "rs", 73: "pmh", 74: "pmh",
        76: "rs", 77: "rs", 80: "ra", 82: "L", 84: "pmh", 91: "tg L", 92: "tg", 94: "rs L", 95: "rs is L",
        96: "rs is L", 97: "L", 98: "pmh tg L", 100: "pmh svc L", 101: "sw pmh L", 102: "pmh ra L",
        103: "pmh tg L", 105: "pmh L", 106: "L", 107: "L"},
    "2015-0366": {3: "psm", 8: "L", 11: "L", 12: "L"},
    "2021-0289": {10: "L"},
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
    with open(Path(__file__).with_name("pfd_refs_a.jsonl"), "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} references from {len(SPEC)} reports ({n_dev} dev sentences from {len(dev)} reports)")


if __name__ == "__main__":
    main()
