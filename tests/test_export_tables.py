"""`scr export`: tidy tables in CSV, Parquet and JSON Lines with the documented columns, and the data
dictionary beside them."""

from __future__ import annotations

import csv
import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from pipeline.export.tables import TABLES, table
from pipeline.export.write import export_tables
from pipeline.store import connect
from tests.helpers.research import SCRIPT_TEXT, research_settings


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return research_settings(tmp_path_factory.mktemp("export"), None, fillers=3)


def _columns(name):
    return [c.name for c in table(name).columns]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_export_formats_load_with_documented_columns(built, tmp_path, fmt):
    settings, info = built
    conn = connect(settings.store_path, readonly=True)
    try:
        report = export_tables(conn, tmp_path / fmt, fmt, settings=settings)  # settings: the labels table
    finally:
        conn.close()
    n_docs = len(info.doc_ids)
    assert report.rows["documents"] == n_docs and report.rows["sentences"] == info.sentences
    for spec in TABLES:
        path = tmp_path / fmt / f"{spec.name}.{fmt}"
        if fmt == "parquet":
            data = pq.read_table(path)
            assert data.schema.names == _columns(spec.name)
            assert data.schema == spec.schema
            rows = data.to_pylist()
        elif fmt == "csv":
            data = pacsv.read_csv(path)
            assert data.column_names == _columns(spec.name)
            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        else:
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            assert all(list(r) == _columns(spec.name) for r in rows)
        assert len(rows) == report.rows[spec.name]
    sentences = {r["sentence_id"]: r for r in _read(tmp_path / fmt, "sentences", fmt)}
    assert any(r["text"] == SCRIPT_TEXT for r in sentences.values())
    docs = {r["doc_id"]: r for r in _read(tmp_path / fmt, "documents", fmt)}
    infant = docs[info.doc_ids["infant"]]
    assert float(infant["subject_age"]) == 0.25 and infant["cause"] == "sudden unexpected infant death"
    themes = {r["theme_id"]: r for r in _read(tmp_path / fmt, "themes", fmt)}
    assert themes["T0002"]["keywords"] == "suicide; self-harm; camhs"
    dictionary = list(csv.DictReader((tmp_path / fmt / "data_dictionary.csv").open(encoding="utf-8")))
    assert {(d["table"], d["column"]) for d in dictionary} == {(s.name, c.name) for s in TABLES for c in s.columns}
    assert all(d["description"] for d in dictionary)


def _read(folder, name, fmt):
    path = folder / f"{name}.{fmt}"
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    if fmt == "csv":
        return list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_issue_columns_are_present():
    """The columns promised when export was first specified stay (stable names)."""
    assert {"doc_id", "path", "title", "review_type", "year", "area", "subject_age", "outcome", "cause",
            "pages"} <= set(_columns("documents"))
    assert {"sentence_id", "doc_id", "page", "section", "start", "end", "text"} <= set(_columns("sentences"))


def test_cli_export_jsonl_and_bad_format(built, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    settings, info = built
    out = tmp_path / "x"
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "export", "--format", "jsonl", "--out",
                                   str(out), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["rows"]["documents"] == len(info.doc_ids)
    assert (out / "documents.jsonl").is_file() and (out / "data_dictionary.md").is_file()
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "export", "--format", "xlsx", "--out", str(out)])
    assert res.exit_code == 2 and "format" in res.output
    # the CLI spells display names from the configured taxonomy and names what an earlier export left
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "export", "--format", "csv", "--table",
                                   "themes", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "note:" in res.output and "documents.jsonl" in res.output and "themes.csv" not in res.output.split("note:")[1]
    assert {r["display_name"] for r in _read(out, "themes", "csv")} == {r["name"] for r in _read(out, "themes", "csv")}


def test_datasette_canned_queries_run(built, repo_root):
    import yaml

    settings, info = built
    meta = yaml.safe_load((repo_root / "configs" / "datasette-metadata.yaml").read_text(encoding="utf-8"))
    db = meta["databases"]["scr"]
    assert db["tables"]["sentences"]["fts_table"] == "sentences_fts"
    conn = connect(settings.store_path, readonly=True)
    try:
        prevalence = conn.execute(db["queries"]["theme_prevalence_by_year"]["sql"]).fetchall()
        assert prevalence and {r["theme_id"] for r in prevalence} == {"T0001", "T0002", "T0003"}
        tags = conn.execute(db["queries"]["tags_by_document"]["sql"],
                            {"doc_id": info.doc_ids["domestic_abuse"]}).fetchall()
        assert tags[0]["label"] == "domestic_abuse" and tags[0]["sentences"] == 3
        found = conn.execute(db["queries"]["passages_search"]["sql"], {"q": "suicide"}).fetchall()
        assert found and all("suicid" in r["text"].lower() for r in found)
    finally:
        conn.close()


def test_theme_display_names_and_stale_files_from_an_earlier_export(built, tmp_path):
    """A taxonomy theme's stored name carries the label id ('information_sharing: ...'); the export adds the
    name the briefing prints, and names the files an earlier export left that this one did not rewrite."""
    import shutil

    settings, _ = built
    db = tmp_path / "copy.db"
    shutil.copy(settings.store_path, db)
    conn = connect(db)
    try:
        conn.execute("INSERT INTO themes(theme_id, name, label, keywords_json, size, status, updated_at)"
                     " VALUES ('T0009', 'information_sharing: strategy, referral', 'information_sharing',"
                     " '[\"strategy\"]', 0, 'active', '2026-01-01T00:00:00+00:00')")
        conn.commit()
        out = tmp_path / "out"
        first = export_tables(conn, out, "csv")
        assert first.stale == ()
        second = export_tables(conn, out, "parquet", ["themes"],
                               label_names={"information_sharing": "Information sharing between agencies"})
    finally:
        conn.close()
    rows = {r["theme_id"]: r for r in pq.read_table(out / "themes.parquet").to_pylist()}
    assert rows["T0009"]["name"] == "information_sharing: strategy, referral"
    assert rows["T0009"]["display_name"] == "Information sharing between agencies: strategy, referral"
    assert rows["T0002"]["display_name"] == rows["T0002"]["name"]  # a name without the label id stays
    assert {r["display_name"] for r in _read(out, "themes", "csv")} >= {"Information sharing: strategy, referral"}
    assert sorted(second.stale) == sorted(str(out / f"{spec.name}.csv") for spec in TABLES)
