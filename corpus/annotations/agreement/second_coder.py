"""Second coder's labels on every sentence of 25 real PFD reports of the real dev set, coded blind to the
first coder's labels, for measuring agreement; written by reference (see label_pfd.write_refs), never as text.
Run from the repository root: `.venv/bin/python corpus/annotations/agreement/second_coder.py`."""
from __future__ import annotations
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from label_pfd import write_refs  # noqa: E402

SPEC: dict[str, dict[int, str]] = {
    "2024-0283": {6: "ra L", 7: "ra", 8: "ra", 9: "ra", 10: "ra rs L", 11: "ra", 12: "ra", 13: "ra L",
                  14: "tg L", 15: "tg", 16: "tg", 18: "rs L", 19: "rs L", 20: "L", 21: "rs L", 22: "tg",
                  25: "tg rs L", 27: "L"},
    "2020-0075": {9: "L"},
    "2013-0205": {16: "L", 17: "L"},
    "2017-0204": {7: "L", 8: "L"},
    "2019-0295": {11: "L"},
    "2018-0187": {7: "L", 9: "L"},
    "2021-0414": {10: "L", 11: "L", 12: "L", 13: "L", 14: "L", 15: "L"},
    "2022-0062": {3: "pmh", 4: "pmh", 7: "rs ra L", 9: "tg L", 10: "pmh", 11: "pmh rs", 12: "L",
                  13: "pmh rs ra L", 14: "pmh ra L", 15: "L", 16: "L", 17: "tg L", 18: "ra tg L"},
    "2013-0272": {4: "pmh ra L", 5: "ra is L", 6: "sw tg L"},
    "2015-0256": {7: "L", 8: "L", 9: "rs L", 10: "rs L", 11: "L", 12: "rs L"},
    "2021-0313": {13: "is L", 14: "tg", 21: "tg L", 22: "tg", 23: "tg L", 24: "tg L", 25: "tg L",
                  26: "tg L", 27: "is L", 28: "is L", 29: "L"},
    "2025-0100": {7: "L", 8: "tg L", 9: "tg L", 10: "L", 11: "tg L", 12: "rs L", 13: "tg L"},
    "2016-0389": {12: "tg L", 13: "tg L"},
    "2021-0287": {1: "pmh", 2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh", 7: "is maw L",
                  8: "is tg L", 9: "is L", 10: "is ra L", 11: "pmh maw L", 12: "is ra L",
                  13: "pmh ra svc L", 14: "ra L", 15: "pmh ra L", 16: "pmh", 17: "ra is L",
                  18: "pmh svc L", 19: "is ra L"},
    "2023-0318": {6: "!pmh", 10: "tg L", 11: "L", 12: "tg L"},
    "2025-0034": {3: "cmh", 4: "cmh", 5: "cmh", 7: "cmh", 8: "cmh svc", 9: "cmh svc L", 10: "svc L",
                  11: "cmh svc L", 12: "cmh svc L", 13: "svc L", 14: "L", 15: "cmh svc L"},
    "2025-0241": {6: "tg L", 7: "tg L", 8: "L"},
    "2024-0598": {6: "cmh", 8: "cmh", 12: "cmh cc", 13: "is L", 14: "cmh is L", 15: "cmh is",
                  16: "cmh is maw cc L"},
    "2016-0172": {13: "L"},
    "2014-0125": {8: "L"},
    "2025-0129": {13: "L"},
    "2021-0365": {2: "pmh", 3: "pmh", 4: "pmh", 5: "pmh", 6: "pmh ra sw svc cc L", 7: "sw L", 8: "sw L",
                  9: "sw L", 10: "sw L", 11: "rs L", 13: "pmh ra rs L", 14: "pmh ra L", 15: "hp ra L",
                  16: "pmh cc is tg L"},
    "2021-0053": {13: "L", 14: "is L"},
    "2023-0096": {6: "L", 8: "L"},
    "2025-0447": {4: "is rs ra L", 7: "svc L", 8: "svc sw L", 9: "svc L", 10: "svc L", 11: "rs is L",
                  12: "rs is ra te L", 13: "sw is rs L", 14: "ra L", 15: "ra L", 16: "rs ra L"},
}

if __name__ == "__main__":
    write_refs(SPEC, Path(__file__).with_name("second_coder_refs.jsonl"))
