"""The nightly job tags stored sentences again when the tagger changed, and builds no tagger when it did not
(pipeline/ops/retag.py): a fingerprint of the tagger's files is kept in the store."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.embed.base import HashingEmbedder
from pipeline.ops import retag
from pipeline.ops.run import run_batch
from pipeline.store import connect
from tests.helpers.themes import add_documents

REPO = Path(__file__).resolve().parents[1]
EMB = HashingEmbedder(256)


def _rules_only(settings, tmp_path: Path):
    """Settings with a context-rules file of their own (to edit) and no trained model (fast, no language model)."""
    rules = tmp_path / "context_rules.yaml"
    shutil.copy(REPO / "configs" / "context_rules.yaml", rules)
    return settings.replace(extract=dataclasses.replace(settings.extract, model_dir=str(tmp_path / "none"),
                                                       context_rules=str(rules)))


def _versions(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT DISTINCT tagger_version FROM sentence_tagging")}


def test_a_changed_rules_file_retags_the_store_and_an_unchanged_one_builds_no_tagger(settings, store, tmp_path,
                                                                                       monkeypatch):
    settings = _rules_only(settings, tmp_path)
    add_documents(store, 6)
    first = run_batch([], store, settings, embedder=EMB)
    assert first.retagged == 6 and len(_versions(store)) == 1
    assert retag.up_to_date(store, retag.tagger_inputs(settings))

    import pipeline.extract.tagger as tagger_module

    built = []
    real = tagger_module.Tagger.from_settings.__func__
    monkeypatch.setattr(tagger_module.Tagger, "from_settings",
                        classmethod(lambda cls, *a, **k: built.append(1) or real(cls, *a, **k)))
    quiet = run_batch([], store, settings, embedder=EMB)
    assert (quiet.retagged, quiet.documents_tagged, built) == (0, 0, [])  # the no-op path stays cheap

    before = _versions(store)
    rules = Path(settings.extract.context_rules)
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# an edited comment changes the rules' version\n",
                     encoding="utf-8")
    changed = run_batch([], store, settings, embedder=EMB)
    assert changed.retagged == 6 and built == [1]
    assert len(_versions(store)) == 1 and _versions(store) != before


def test_scr_extract_records_the_fingerprint_and_forgets_it_after_another_tagger(settings, tmp_path):
    settings = _rules_only(settings, tmp_path)
    conn = connect(settings.store_path)
    add_documents(conn, 3)
    conn.close()
    config = tmp_path / "settings.yaml"
    config.write_text(f"store: {settings.store_path}\nextract:\n  model_dir: {tmp_path / 'none'}\n"
                      f"  context_rules: {settings.extract.context_rules}\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(config), "extract"]).exit_code == 0
    conn = connect(settings.store_path, readonly=True)
    try:
        recorded = conn.execute("SELECT value FROM meta WHERE key = ?", (retag.KEY,)).fetchone()
    finally:
        conn.close()
    assert recorded is not None

    frame = tmp_path / "frame.yaml"
    frame.write_text("kinds: [risk_factor]\nlabels:\n  - id: gambling\n    kind: risk_factor\n    name: Gambling\n"
                     "    description: A parent's gambling.\n    phrases: [gambling debts]\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "extract", "--taxonomy", str(frame)])
    assert result.exit_code == 0, result.output
    conn = connect(settings.store_path, readonly=True)
    try:
        assert conn.execute("SELECT 1 FROM meta WHERE key = ?", (retag.KEY,)).fetchone() is None
    finally:
        conn.close()
