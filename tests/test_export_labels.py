"""`scr export --table labels`: the coding frame with the tagger's F1 and verdict per label (not read from
the store but from the taxonomy and the model card), in CSV and Parquet, listed in the data dictionary."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli.main import app as cli
from pipeline.config import load_settings
from pipeline.export.tables import TABLE_NAMES, table
from pipeline.export.write import export_tables
from pipeline.extract.quality import MIN_REAL, RELIABLE_F1
from pipeline.store import connect

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "configs" / "settings.yaml"
CARD = REPO / "models" / "tagger" / "model_card.json"
COLUMNS = ["label", "name", "kind", "description", "f1_real", "n_real", "f1_written", "n_written", "verdict",
           "tagger"]


def _expected() -> list[dict]:
    """The rows the table must hold, worked out here from the shipped card and taxonomy."""
    card = json.loads(CARD.read_text(encoding="utf-8"))
    rows = []
    for entry in yaml.safe_load((REPO / "configs" / "taxonomy.yaml").read_text(encoding="utf-8"))["labels"]:
        real = card["scores_dev_real"]["fused"]["per_label"].get(entry["id"]) or {}
        written = card["scores_dev"]["fused"]["per_label"].get(entry["id"]) or {}
        n_real, n_written = int(real.get("support") or 0), int(written.get("support") or 0)
        f1_real = float(real["f1"]) if n_real else None
        verdict = ("unmeasured" if f1_real is None or n_real < MIN_REAL
                   else "reliable" if f1_real >= RELIABLE_F1 else "check")
        rows.append({"label": entry["id"], "name": entry["name"], "kind": entry["kind"],
                     "description": entry["description"], "f1_real": f1_real, "n_real": n_real,
                     "f1_written": float(written["f1"]) if n_written else None, "n_written": n_written,
                     "verdict": verdict, "tagger": card["version"]})
    return rows


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """An empty store: the labels table does not read it."""
    path = tmp_path_factory.mktemp("export-labels") / "scr.db"
    connect(path).close()
    return path


def _from_csv(path: Path) -> list[dict]:
    """CSV rows typed back as the table's columns (empty field: missing)."""
    types = {c.name: c.type for c in table("labels").columns}
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh):
            row = {}
            for name, value in raw.items():
                kind = str(types[name])
                row[name] = (None if value == "" and kind != "string"
                             else float(value) if kind == "double" else int(value) if kind == "int64" else value)
            rows.append(row)
    return rows


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_table_labels_holds_the_cards_scores(store, tmp_path, fmt):
    out = tmp_path / fmt
    res = CliRunner().invoke(cli, ["--config", str(CONFIG), "--db", str(store), "export", "--table", "labels",
                                   "--format", fmt, "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    expected = _expected()
    assert json.loads(res.stdout)["rows"] == {"labels": len(expected)}
    path = out / f"labels.{fmt}"
    if fmt == "parquet":
        data = pq.read_table(path)
        assert data.schema == table("labels").schema
        rows = data.to_pylist()
    else:
        rows = _from_csv(path)
    assert list(rows[0]) == COLUMNS
    assert rows == expected
    assert not (out / "documents.csv").exists()  # only the table asked for


def test_data_dictionary_describes_the_labels_table(store, tmp_path):
    conn = connect(store, readonly=True)
    try:
        export_tables(conn, tmp_path, "csv", ["documents"], settings=load_settings(CONFIG))
    finally:
        conn.close()
    assert "labels" in TABLE_NAMES
    with (tmp_path / "data_dictionary.csv").open(encoding="utf-8") as fh:
        described = {d["column"]: d["description"] for d in csv.DictReader(fh) if d["table"] == "labels"}
    assert list(described) == COLUMNS and all(described.values())
    assert f"{RELIABLE_F1:.2f}" in described["verdict"] and str(MIN_REAL) in described["verdict"]
    assert "## labels" in (tmp_path / "data_dictionary.md").read_text(encoding="utf-8")


def test_labels_table_follows_the_given_settings(store, tmp_path):
    """The settings passed in name the tagger: with no trained tagger every label is unmeasured, untagged."""
    settings = load_settings(CONFIG)
    empty = tmp_path / "no-tagger"
    empty.mkdir()
    settings = settings.replace(extract=dataclasses.replace(settings.extract, model_dir=str(empty)))
    conn = connect(store, readonly=True)
    try:
        report = export_tables(conn, tmp_path / "out", "jsonl", ["labels"], settings=settings)
    finally:
        conn.close()
    rows = [json.loads(line) for line in (tmp_path / "out" / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert report.rows == {"labels": len(rows)} and [r["label"] for r in rows] == [e["label"] for e in _expected()]
    assert all(r["verdict"] == "unmeasured" and r["tagger"] is None and r["f1_real"] is None for r in rows)


def test_scr_export_describes_the_tagger_of_the_config_given(store, tmp_path):
    """`scr --config OTHER export` must describe OTHER's tagger, not the default config's."""
    empty = tmp_path / "no-tagger"
    empty.mkdir()
    config = tmp_path / "settings.yaml"
    config.write_text(f"store: {store}\nextract:\n  model_dir: {empty}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(config), "export", "--table", "labels", "--format", "jsonl",
                                   "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in (tmp_path / "out" / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["verdict"] == "unmeasured" and r["tagger"] is None for r in rows)
