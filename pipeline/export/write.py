"""Write the exported tables to a folder as CSV, Parquet (pyarrow) or JSON Lines, plus the data dictionary.

Rows stream from SQLite in batches, so a large store never sits whole in memory. CSV has a header row,
empty fields for missing values and UTF-8 text (loads with pandas.read_csv and R's read.csv as is).
A table with a `rows` function instead of SQL (the coding frame's `labels`, a few dozen rows) is built from
the settings in one batch and written the same way.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

import pyarrow as pa

from pipeline.config import Settings
from pipeline.errors import UsageError
from pipeline.export.tables import TABLE_NAMES, TABLES, TableSpec, table
from pipeline.report.labels import LabelBook, theme_display_name

FORMATS = ("csv", "parquet", "jsonl")
BATCH = 20_000
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}


@dataclass(frozen=True)
class ExportReport:
    out_dir: str
    format: str
    files: tuple[str, ...]
    rows: dict[str, int]
    seconds: float
    stale: tuple[str, ...] = ()
    """Files in the folder named like an exported table that this export did not write (an earlier export of
    other tables or another format): left alone, but named so nobody mistakes them for this export's."""


def _record_batch(spec: TableSpec, rows: Sequence[tuple]) -> pa.RecordBatch:
    columns = list(zip(*rows))
    return pa.record_batch([pa.array(list(col), type=c.type) for col, c in zip(columns, spec.columns)],
                           names=[c.name for c in spec.columns])


def _row_source(conn: sqlite3.Connection, spec: TableSpec, settings: Settings) -> Iterator[Sequence[tuple]]:
    """The table's rows in chunks: fetched from the store by its SQL, or all at once from its `rows`."""
    if spec.rows is not None:
        yield spec.rows(settings)
        return
    cursor = conn.execute(spec.sql)
    while True:
        chunk = cursor.fetchmany(BATCH)
        if not chunk:
            return
        yield chunk


def _batches(conn: sqlite3.Connection, spec: TableSpec, settings: Settings) -> Iterator[pa.RecordBatch]:
    for chunk in _row_source(conn, spec, settings):
        if chunk:  # no batch for no rows: the writers still write the header or schema
            yield _record_batch(spec, chunk)


def _write_table(conn, spec: TableSpec, path: Path, fmt: str, settings: Settings) -> int:
    n = 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with pq.ParquetWriter(path, spec.schema, compression="zstd") as writer:
            for batch in _batches(conn, spec, settings):
                writer.write_batch(batch)
                n += batch.num_rows
        return n
    if fmt == "csv":
        import pyarrow.csv as pacsv

        with pacsv.CSVWriter(path, spec.schema) as writer:
            for batch in _batches(conn, spec, settings):
                writer.write_batch(batch)
                n += batch.num_rows
        return n
    with path.open("w", encoding="utf-8") as fh:
        for batch in _batches(conn, spec, settings):
            for row in batch.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += batch.num_rows
    return n


def write_dictionary(out_dir: Path, specs: Sequence[TableSpec]) -> list[Path]:
    """data_dictionary.csv (table, column, type, description) and data_dictionary.md."""
    csv_path = out_dir / "data_dictionary.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "column", "type", "description"])
        for spec in specs:
            for c in spec.columns:
                writer.writerow([spec.name, c.name, str(c.type), c.description])
    lines = ["# scr-themes export: data dictionary", "",
             "Column names are stable: columns may be added, never renamed or dropped. Empty = missing.", ""]
    for spec in specs:
        lines += [f"## {spec.name}", "", spec.description, "", "| column | type | description |", "|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {c.description} |" for c in spec.columns]
        lines.append("")
    md_path = out_dir / "data_dictionary.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def export_tables(conn: sqlite3.Connection, out_dir: Path, fmt: str, tables: Sequence[str] | None = None,
                  progress: Callable[[int], None] | None = None,
                  label_names: Mapping[str, str] | None = None, settings: Settings | None = None) -> ExportReport:
    """Write the chosen tables (all by default) to `out_dir` in `fmt`; returns what was written.
    `label_names` (label id -> the taxonomy's name) spells themes' display names; without it the ids are
    made readable ('parental_mental_health' -> 'Parental mental health'). `settings` name the taxonomy and
    the tagger that the `labels` table describes; without them, the settings `scr` loads when given no
    --config ($SCR_CONFIG, else configs/settings.yaml under the current folder)."""
    if fmt not in FORMATS:
        raise UsageError(f"format: allowed {', '.join(FORMATS)}; found {fmt!r}")
    names = list(tables) if tables else list(TABLE_NAMES)
    unknown = [n for n in names if n not in TABLE_NAMES]
    if unknown:
        raise UsageError(f"table: allowed {', '.join(TABLE_NAMES)}; found {', '.join(unknown)}")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} is a file, not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = [table(n) for n in names]
    book = LabelBook(dict(label_names or {}), {}, {}, None, "export")
    conn.create_function("scr_display_name", 2, lambda name, label: theme_display_name(name or "", label, book),
                         deterministic=True)
    if settings is None and any(spec.rows is not None for spec in specs):
        from pipeline.config import load_settings

        settings = load_settings()
    files, rows = [], {}
    for spec in specs:
        path = out_dir / f"{spec.name}.{EXTENSIONS[fmt]}"
        rows[spec.name] = _write_table(conn, spec, path, fmt, settings)
        files.append(str(path))
        if progress:
            progress(1)
    files += [str(p) for p in write_dictionary(out_dir, TABLES)]
    written = set(files)
    stale = tuple(str(out_dir / f"{name}.{ext}") for name in TABLE_NAMES for ext in EXTENSIONS.values()
                  if (out_dir / f"{name}.{ext}").is_file() and str(out_dir / f"{name}.{ext}") not in written)
    return ExportReport(str(out_dir), fmt, tuple(files), rows, round(time.perf_counter() - started, 3), stale)
