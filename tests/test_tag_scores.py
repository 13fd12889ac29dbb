"""`scr tag --json` gives a score for every label of the coding frame, so its lines load as one table."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.extract.taxonomy import load_taxonomy

REPO = Path(__file__).resolve().parents[1]
CONFIG = str(REPO / "configs" / "settings.yaml")


def test_every_line_scores_every_label(tmp_path):
    lines = tmp_path / "in.jsonl"
    texts = ["ok", "There was no evidence of neglect.", "Police were called after neighbours heard shouting."]
    lines.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", CONFIG, "--db", str(tmp_path / "scr.db"), "tag", "--rules-only",
                                      "--file", str(lines), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    ids = load_taxonomy(REPO / "configs" / "taxonomy.yaml").ids
    assert [list(o["scores"]) for o in out] == [list(ids)] * len(texts)  # same columns, taxonomy order
    assert all(o["scores"][label] > 0 for o in out for label in o["labels"])
    assert out[0]["scores"] == dict.fromkeys(ids, 0.0)  # nothing speaks for any label in "ok"
