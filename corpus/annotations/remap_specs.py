"""Move index-based labels onto the sentences the splitter cuts now.

The labelling scripts (label_pfd*.py, make_real_refs.py) address sentences by their index under the project's
splitter. When a change to the splitter moves a boundary in a labelled text, they refuse to rewrite their
references. This script maps each labelled sentence of the committed references (offsets) onto the sentence
of the new cut it overlaps most, rewrites that text's entry in the script's SPEC, and lists what it moved.
Then rerun the scripts with --resplit-ok and check the real dev scores (`scr evaluate real-dev`).

Run from the repository root: `.venv/bin/python corpus/annotations/remap_specs.py [--write]` (without --write
it only reports). A label whose sentence overlaps its new one by less than 80% is reported for a human look.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import label_pfd  # noqa: E402
import make_real_refs  # noqa: E402
from pipeline.extract.annotations import real_sentences  # noqa: E402

SCRIPTS = (("label_pfd", "pfd_refs.jsonl", "report_id"), ("label_pfd_a", "pfd_refs_a.jsonl", "report_id"),
           ("label_pfd_b", "pfd_refs_b.jsonl", "report_id"), ("label_pfd_c", "pfd_refs_c.jsonl", "report_id"),
           ("make_real_refs", "real_refs.jsonl", "file"))
WIDTH = 116


def _pfd_reports() -> dict[str, dict]:
    with label_pfd.PFD.open(encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


def _new_cuts(key: str, name: str, reports: dict[str, dict]) -> list[tuple[str | None, int, int]]:
    if key == "file":
        return [(None, start, end) for start, end, _, _ in real_sentences(make_real_refs.REAL / name)]
    return [(field, start, end) for field, start, end, _ in label_pfd.report_sentences(reports[name])]


def remap(spec: dict[int, str], old: list[dict], new: list[tuple[str | None, int, int]], name: str) -> dict[int, str]:
    """The spec of one text with each labelled index moved to the new sentence it overlaps most."""
    moved: dict[int, str] = {}
    for index, codes in sorted(spec.items()):
        ref = old[index]
        overlaps = [(min(end, ref["end"]) - max(start, ref["start"]), j)
                    for j, (field, start, end) in enumerate(new) if field == ref.get("field")]
        overlap, best = max(overlaps, default=(0, None))
        if best is None or overlap <= 0:
            raise SystemExit(f"{name}: labelled sentence {index} overlaps no sentence of the new cut")
        if overlap < 0.8 * (ref["end"] - ref["start"]):
            print(f"  check {name}: sentence {index} -> {best} overlaps only {overlap} of {ref['end'] - ref['start']} characters")
        if best in moved and moved[best] != codes:
            raise SystemExit(f"{name}: sentences {index} and another both map to {best} with different labels")
        moved[best] = codes
    return moved


def _entry(name: str, spec: dict[int, str], indent: str) -> str:
    """A SPEC entry as the scripts write it, wrapped between items (never inside a string)."""
    parts = [f'{index}: "{codes}"' for index, codes in spec.items()]
    lines, line = [], f'{indent}"{name}": {{'
    for k, part in enumerate(parts):
        piece = part + ("," if k < len(parts) - 1 else "}")
        joined = line + ("" if line.endswith("{") else " ") + piece
        if len(joined) > WIDTH and not line.endswith("{"):
            lines.append(line)
            line = indent + "    " + piece
        else:
            line = joined
    lines.append(line if parts else line + "}")
    return "\n".join(lines)


def main(write: bool) -> int:
    reports = _pfd_reports()
    changed = 0
    for module_name, refs_name, key in SCRIPTS:
        module = importlib.import_module(module_name)
        committed: dict[str, list[dict]] = {}
        for line in (HERE / refs_name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            committed.setdefault(row[key], []).append(row)
        source_path = HERE / f"{module_name}.py"
        source = source_path.read_text(encoding="utf-8")
        for name, spec in module.SPEC.items():
            new = _new_cuts(key, name, reports)
            old = committed[name]
            if [(r.get("field"), r["start"], r["end"]) for r in old] == new:
                continue
            moved = remap(spec, old, new, name)
            found = re.search(r'\n(\s*)"' + re.escape(name) + r'": \{[^}]*\}', source)
            if found is None:
                raise SystemExit(f"{module_name}.py: no SPEC entry for {name}")
            source = source[:found.start()] + "\n" + _entry(name, moved, found.group(1)) + source[found.end():]
            changed += 1
            print(f"{module_name}: {name}: {len(old)} -> {len(new)} sentences, {len(spec)} labelled sentences moved")
        if write:
            source_path.write_text(source, encoding="utf-8")
    print(f"{changed} text(s) {'remapped' if write else 'to remap (rerun with --write)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main("--write" in sys.argv[1:]))
