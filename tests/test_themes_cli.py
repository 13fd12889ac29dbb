"""`scr cluster`, `scr themes` and `scr cluster --from-jsonl` through the CLI, with the hashing embedder."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.store import connect
from tests.helpers.themes import add_documents, topic_sentence, write_jsonl


def _config(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(f"store: {tmp_path / 'scr.db'}\nembed:\n  model: hashing-256\n", encoding="utf-8")
    return str(path)


def test_cluster_then_themes_json(tmp_path):
    cfg = _config(tmp_path)
    conn = connect(tmp_path / "scr.db")
    add_documents(conn, 20)
    conn.close()
    runner = CliRunner()
    first = runner.invoke(app, ["--config", cfg, "cluster", "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout.strip().splitlines()[-1])
    assert report["rebuilt"] and report["assigned"] + report["outliers"] == 600
    again = runner.invoke(app, ["--config", cfg, "cluster", "--json"])
    assert json.loads(again.stdout.strip().splitlines()[-1])["assigned"] == 0
    listed = runner.invoke(app, ["--config", cfg, "themes", "--json", "--quality"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert data["quality"]["outlier_share"] <= 0.05
    assert sum(t["size"] for t in data["themes"]) == report["assigned"]
    assert all(t["quotes"] and t["keywords"] for t in data["themes"])


def test_from_jsonl_prints_one_line_per_sentence(tmp_path):
    cfg = _config(tmp_path)
    rng = np.random.default_rng(5)
    topics = ["domestic_abuse", "unsafe_sleep"] * 30
    write_jsonl(tmp_path / "in.jsonl", [topic_sentence(rng, t) for t in topics])
    result = CliRunner().invoke(app, ["--config", cfg, "cluster", "--from-jsonl", str(tmp_path / "in.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.strip().splitlines() if line.startswith("{")]
    assert [r["sid"] for r in rows] == [f"s{i}" for i in range(60)]
    by_topic: dict[str, set] = {}
    for r, t in zip(rows, topics):
        by_topic.setdefault(t, set()).add(r["theme_id"])
    assert not (by_topic["domestic_abuse"] & by_topic["unsafe_sleep"])  # the two topics never share a theme
    assert all(r["theme_name"] for r in rows if r["theme_id"])


def test_from_jsonl_bad_line_is_one_line_error(tmp_path):
    cfg = _config(tmp_path)
    (tmp_path / "bad.jsonl").write_text('{"sid": "a"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", cfg, "cluster", "--from-jsonl", str(tmp_path / "bad.jsonl"), "--json"])
    assert result.exit_code == 1
    assert "missing text" in result.output and "Traceback" not in result.output


def test_themes_text_counts_agree_in_number_and_quotes_must_not_be_negative(tmp_path):
    from tests.helpers.research import research_settings

    settings, _ = research_settings(tmp_path, fillers=0)  # T0003: one sentence in one review
    db = ["--db", str(settings.store_path), "themes"]
    result = CliRunner().invoke(app, [*db, "--quotes", "0"])
    assert result.exit_code == 0, result.output
    assert "T0003  Housing moves  (1 sentence, 1 document)" in result.stdout
    assert "(6 sentences, 4 documents)" in result.stdout
    result = CliRunner().invoke(app, [*db, "--quotes", "-1"])
    assert result.exit_code == 2 and "--quotes" in result.output and "-1" in result.output
    assert len(result.output.strip().splitlines()) == 1
