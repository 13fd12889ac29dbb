"""`make bench`: run every area's benchmark and write BENCHMARKS.md.

Each bench/<area>.py exposes `bench(quick: bool) -> list[Row]`. Ratios are measured in one run
(ours against a baseline on the same machine, same inputs), since timings here vary by about 20%.
`python -m bench.run --only ingest,embed --quick` runs a subset on smaller inputs; a subset replaces only its
own areas' rows in an existing BENCHMARKS.md (and says so under the header), keeping the other areas' rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

AREAS = ("ingest", "extract", "embed", "cluster", "refresh", "query")
OUT = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


@dataclass
class Row:
    area: str
    what: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    target: str = ""
    notes: str = ""

    @property
    def ratio(self) -> str:
        if self.baseline_value in (None, 0):
            return ""
        return f"{self.value / self.baseline_value:.2f}x"


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}"


def write_table(rows: list[Row], errors: list[str], seconds: float, quick: bool) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {dt.datetime.now().isoformat(timespec='minutes')}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{'quick inputs' if quick else 'full inputs'}; {seconds:.0f} s in all. Ratios compare ours with the "
        "baseline measured in the same run on the same inputs.",
        "",
        "| area | what | value | unit | baseline | baseline value | ratio | target | notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.area} | {r.what} | {_fmt(r.value)} | {r.unit} | {r.baseline} | {_fmt(r.baseline_value)} | "
            f"{r.ratio} | {r.target} | {r.notes} |"
        )
    if errors:
        lines += ["", "## Benchmarks that failed", ""] + [f"- {e}" for e in errors]
    return "\n".join(lines) + "\n"


def _area(line: str) -> str | None:
    """The area of a table row written by write_table (None for the header or any other line)."""
    cells = line.split("|")
    return cells[1].strip() if line.startswith("| ") and len(cells) > 2 and not line.startswith("| area |") else None


def merge_table(existing: str, fresh: str, areas: list[str], note: str) -> str:
    """`existing` with the rows of `areas` replaced by those of `fresh` (both tables written by write_table).

    The other areas' rows and the header stay; `note` is added under the header, so a reader sees which rows
    are newer than the rest."""
    new_rows = [line for line in fresh.splitlines() if _area(line) in areas]
    out: list[str] = []
    placed = False
    for line in existing.splitlines():
        if _area(line) in areas:
            if not placed:
                out.extend(new_rows)
                placed = True
            continue
        out.append(line)
    if not placed:  # these areas had no rows yet: after the table's last row
        last = max((i for i, line in enumerate(out) if line.startswith("| ")), default=len(out) - 1)
        out[last + 1:last + 1] = new_rows
    prefix = note.split(" rerun on ")[0] + " rerun on "  # an older note about the same areas gives way
    out = [line for line in out if not line.startswith(prefix)]
    out = [line for i, line in enumerate(out) if line.strip() or not i or out[i - 1].strip()]  # no double blanks
    header_end = next((i for i, line in enumerate(out) if line.startswith("| area |")), len(out))
    out[header_end:header_end] = [note, ""]
    return "\n".join(out) + "\n"


def keep_other_areas(existing: str, fresh: str, areas: list[str]) -> str:
    """`fresh` plus the rows (and rerun note) of `existing` whose area this run did not measure: areas only a
    particular machine can run (embed_gpu needs a GPU) survive a full `make bench` elsewhere."""
    lines = existing.splitlines()
    kept = [a for a in dict.fromkeys(filter(None, map(_area, lines))) if a not in areas]
    if not kept:
        return fresh
    rows = "\n".join(line for line in lines if _area(line) in kept)
    notes = [line for line in lines if line.startswith(tuple(f"Rows of {a} " for a in kept))]
    return merge_table(fresh, rows, kept, notes[0] if notes else f"Rows of {', '.join(kept)} kept from an earlier run.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(AREAS), help="comma-separated areas")
    parser.add_argument("--quick", action="store_true", help="smaller inputs")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    rows: list[Row] = []
    errors: list[str] = []
    started = time.perf_counter()
    areas = [a.strip() for a in args.only.split(",") if a.strip()]
    for area in areas:
        try:
            module = importlib.import_module(f"bench.{area}")
        except ModuleNotFoundError:
            errors.append(f"{area}: no benchmark module")
            continue
        print(f"[bench] {area} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(module.bench(args.quick))
        except Exception as exc:  # a failing benchmark is reported, the others still run
            traceback.print_exc()
            errors.append(f"{area}: {type(exc).__name__}: {exc}")
    text = write_table(rows, errors, time.perf_counter() - started, args.quick)
    out = Path(args.out)
    existing = out.read_text(encoding="utf-8") if out.is_file() else ""
    if set(areas) != set(AREAS) and existing:
        if errors:  # a failed subset leaves the table as it was
            print(text)
            print(f"[bench] {out} left unchanged: {'; '.join(errors)}", file=sys.stderr)
            return 1
        note = (f"Rows of {', '.join(areas)} rerun on {dt.datetime.now().isoformat(timespec='minutes')} "
                f"(`python -m bench.run --only {args.only}{' --quick' if args.quick else ''}`).")
        text = merge_table(existing, text, areas, note)
    elif existing:
        text = keep_other_areas(existing, text, areas)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
