"""A run that ends in 'error' records its one-line cause: in the runs row, the log's last line,
`scr status` and status --json."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.errors import ConfigError
from pipeline.ops.run import run_batch
from pipeline.store.runs import error_cause
from pipeline.store.status import store_status
from tests.helpers.ops import make_inbox

CAUSE = "ConfigError: context rules not found: /etc/x/configs/context_rules.yaml"


def test_a_run_that_errors_records_its_cause(tmp_path, settings, store, monkeypatch):
    import pipeline.embed.model as embed_model

    def broken(_):
        raise ConfigError("context rules not found: /etc/x/configs/context_rules.yaml")

    monkeypatch.setattr(embed_model, "load_embedder", broken)
    settings = settings.replace(ingest=settings.ingest.__class__(**{**settings.ingest.__dict__, "workers": 1}))
    make_inbox(tmp_path / "batch", 1, seed=3)
    with pytest.raises(ConfigError):
        run_batch([tmp_path / "batch"], store, settings)
    row = store.execute("SELECT outcome, cause FROM runs ORDER BY started_at DESC, rowid DESC").fetchone()
    assert (row["outcome"], row["cause"]) == ("error", CAUSE)
    last = json.loads(settings.path(settings.refresh.log_file).read_text().splitlines()[-1])
    assert (last["stage"], last["outcome"], last["cause"]) == ("run", "error", CAUSE)
    assert store_status(store, "x").last_run["cause"] == CAUSE

    db = ["--db", str(settings.store_path), "status"]
    result = CliRunner().invoke(app, db)
    assert result.exit_code == 0, result.output
    assert f"(error: {CAUSE})" in result.stdout
    data = json.loads(CliRunner().invoke(app, [*db, "--json"]).stdout)
    assert data["last_run"]["cause"] == CAUSE


def test_error_cause_is_one_short_line():
    assert error_cause(ValueError("first\nsecond")) == "ValueError: first"
    assert error_cause(KeyError()) == "KeyError"
    assert len(error_cause(RuntimeError("x" * 1000))) == 300
