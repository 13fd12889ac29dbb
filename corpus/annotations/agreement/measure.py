"""How far two coders agree on real sentences, and how far the tagger agrees with each of them.

Run from the repository root: `.venv/bin/python corpus/annotations/agreement/measure.py [--json]`.
It resolves the second coder's references (second_coder_refs.jsonl, written by second_coder.py) and the
first coder's labels on the same sentences (the pfd_refs*.jsonl files one folder up) against
../shared/corpus/pfd/reports.jsonl, then scores, with the project's own scorer:

- coder B against coder A (treating A as gold; micro-F1 is symmetric, per-label and macro nearly so);
- the shipped tagger against A, and against B.

Sentences are given without their section, as in a gold file (`scr evaluate`). Nothing is written: the
numbers go to stdout (no sentence text is printed, only label names and counts).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from pipeline.extract.annotations import PFD_FILE, resolve_pfd  # noqa: E402
from pipeline.extract.scoring import Prediction, score  # noqa: E402

HERE = Path(__file__).resolve().parent


def _key(row) -> tuple[str, str]:
    return row.doc, row.text


def paired_rows(root: Path = ROOT) -> tuple[list, list]:
    """(coder A rows, coder B rows) for the sentences both coded, in the same order."""
    pfd = root / PFD_FILE
    if not pfd.is_file():
        raise SystemExit(f"{pfd} not found: the agreement check needs ../shared")
    b_train, b_dev, b_skipped = resolve_pfd(HERE / "second_coder_refs.jsonl", pfd)
    if b_skipped:
        raise SystemExit(f"{b_skipped} second-coder references did not resolve (reports changed?)")
    first: dict[tuple[str, str], object] = {}
    for refs in sorted((HERE.parent).glob("pfd_refs*.jsonl")):
        train, dev, _ = resolve_pfd(refs, pfd)
        for row in train + dev:
            first.setdefault(_key(row), row)
    a_rows, b_rows = [], []
    for row in b_train + b_dev:
        if _key(row) in first:
            a_rows.append(first[_key(row)])
            b_rows.append(row)
    return a_rows, b_rows


def _as_prediction(row) -> Prediction:
    return Prediction(frozenset(row.labels), frozenset(row.negated), bool(row.learning_point))


def measure(root: Path = ROOT) -> dict:
    from pipeline.config import load_settings
    from pipeline.extract.tagger import Tagger

    a_rows, b_rows = paired_rows(root)
    settings = load_settings(None)
    tagger = Tagger.from_settings(settings)
    labels = list(tagger.taxonomy.ids)
    tagged = tagger.tag([r.text for r in a_rows])
    model = [Prediction(frozenset(t.labels), frozenset(t.negated), bool(t.learning_point)) for t in tagged]

    def brief(s: dict) -> dict:
        return {k: s[k] for k in ("micro_f1", "macro_f1", "learning_point_accuracy", "denied_mentions",
                                  "denied_as_present_rate")}

    out = {
        "sentences": len(a_rows),
        "documents": len({r.doc for r in a_rows}),
        "labelled_by_a": sum(bool(r.labels) for r in a_rows),
        "labelled_by_b": sum(bool(r.labels) for r in b_rows),
        "tagger": tagger.version,
        "b_vs_a": score(a_rows, [_as_prediction(r) for r in b_rows], labels),
        "tagger_vs_a": score(a_rows, model, labels),
        "tagger_vs_b": score(b_rows, model, labels),
    }
    out["summary"] = {k: brief(out[k]) for k in ("b_vs_a", "tagger_vs_a", "tagger_vs_b")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['sentences']} sentences of {result['documents']} reports; "
          f"labelled by A {result['labelled_by_a']}, by B {result['labelled_by_b']}; tagger {result['tagger']}")
    print(f"{'pair':14s} {'micro-F1':>9s} {'macro-F1':>9s} {'LP acc':>7s} {'denied->present':>16s}")
    for name, s in result["summary"].items():
        den = f"{s['denied_as_present_rate']:.2f} of {s['denied_mentions']}" if s["denied_mentions"] else "-"
        print(f"{name:14s} {s['micro_f1']:9.3f} {s['macro_f1']:9.3f} {s['learning_point_accuracy']:7.3f} {den:>16s}")
    per = result["b_vs_a"]["per_label"]
    print("per label, B vs A (support in A): " + ", ".join(
        f"{label} {v['f1']:.2f} ({v['support']})" for label, v in per.items() if v["support"]))


if __name__ == "__main__":
    main()
