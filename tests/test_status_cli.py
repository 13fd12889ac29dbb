"""`scr status` says what each count counts: sentences processed by the tagger apart from those that
carry a label."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli.main import app
from tests.helpers.research import DOCS, research_settings


def test_status_counts_processed_and_labelled_sentences_apart(tmp_path):
    settings, built = research_settings(tmp_path, fillers=0)  # every sentence tagged; some with no label
    labelled = sum(1 for d in DOCS for s in d.sentences if s[3])
    assert 0 < labelled < built.sentences
    db = ["--db", str(settings.store_path), "status"]
    result = CliRunner().invoke(app, db)
    assert result.exit_code == 0, result.output
    rows = {line[:30].strip(): line[30:].strip() for line in result.stdout.splitlines()}
    assert rows["sentences tagged (processed)"] == str(built.sentences)
    assert rows["sentences with a label"] == str(labelled)
    assert "tagged sentences" not in result.stdout
    data = json.loads(CliRunner().invoke(app, [*db, "--json"]).stdout)
    assert data["tagged_sentences"] == built.sentences and data["labelled_sentences"] == labelled
