"""Themes follow the coding frame: after a frame change (or a new tagger) and re-tagging, `scr cluster`, and a
refresh with nothing new, rebuild the themes and say why; theme IDs keep their stability rules; a theme left
without sentences is retired, never listed as active."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.embed.base import HashingEmbedder
from pipeline.extract.taxonomy import load_taxonomy
from pipeline.ops.run import run_batch
from pipeline.store import connect
from pipeline.themes import provenance
from pipeline.themes.read import list_themes
from pipeline.themes.update import update_themes
from tests.helpers.themes import add_documents

REPO = Path(__file__).resolve().parents[1]
EMB = HashingEmbedder(256)


def _frame(path: Path, drop: tuple[str, ...] = (), names: dict[str, str] | None = None) -> Path:
    """The shipped coding frame, less the labels `drop`, with some labels renamed: a researcher's own frame."""
    data = yaml.safe_load((REPO / "configs" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["labels"] = [dict(label, name=(names or {}).get(label["id"], label["name"]))
                      for label in data["labels"] if label["id"] not in drop]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _retag(conn, version: str, drop: tuple[str, ...] = ()) -> None:
    """What `scr extract` does to the store under a new frame: every sentence tagged again by the new tagger
    version; labels the frame lacks are gone, and their sentences are learning points no more."""
    with conn:
        for label in drop:
            conn.execute("UPDATE sentence_tagging SET learning_point = 0 WHERE sentence_id IN"
                         " (SELECT sentence_id FROM tags WHERE label = ?)", (label,))
            conn.execute("DELETE FROM tags WHERE label = ?", (label,))
        conn.execute("UPDATE sentence_tagging SET tagger_version = ?", (version,))


def _active(conn) -> dict[str, str | None]:
    return dict(conn.execute("SELECT theme_id, label FROM themes WHERE status = 'active'"))


def _empty_active(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT theme_id FROM themes t WHERE status = 'active' AND NOT EXISTS"
        " (SELECT 1 FROM theme_members m WHERE m.theme_id = t.theme_id)")]


def test_the_frame_version_is_the_taxonomys_own(settings):
    assert provenance.frame_version(settings) == load_taxonomy(settings.path(settings.taxonomy)).version


def test_a_new_frame_rebuilds_with_its_labels_and_keeps_ids(settings, store, tmp_path):
    settings = settings.replace(taxonomy=str(_frame(tmp_path / "frame.yaml")))
    add_documents(store, 30)
    first = update_themes(store, settings, EMB)
    before = _active(store)
    assert "unsafe_sleep" in before.values() and first.rebuilt
    again = update_themes(store, settings, EMB)
    assert not again.rebuilt  # nothing changed: no rebuild

    drop = ("unsafe_sleep", "training_guidance")
    _frame(tmp_path / "frame.yaml", drop=drop, names={"domestic_abuse": "Abuse between partners"})
    _retag(store, "test-2", drop)
    report = update_themes(store, settings, EMB)
    assert report.rebuilt and report.reason.startswith("the coding frame changed since the themes were built")
    after = _active(store)
    frame = set(load_taxonomy(settings.path(settings.taxonomy)).ids)
    assert all(label is None or label in frame for label in after.values()), after
    assert not _empty_active(store) and report.themes_total == len(after)
    # a theme the new frame still fits keeps its ID; an ID is never given out twice
    keep = {label: tid for tid, label in before.items() if label in ("domestic_abuse", "information_sharing")}
    assert all(after.get(tid) == label for label, tid in keep.items()), (keep, after)
    created = {r[0] for r in store.execute("SELECT theme_id FROM theme_events WHERE event IN ('created', 'split')"
                                           " AND run_id IS NULL")}
    ids = [r[0] for r in store.execute("SELECT theme_id FROM themes")]
    assert len(ids) == len(set(ids)) and set(after) - set(before) <= created

    # the store records what the themes now stand on: the next update assigns, it does not rebuild
    assert provenance.recorded(store) == provenance.BuiltWith(provenance.frame_version(settings), ("test-2",))
    assert not update_themes(store, settings, EMB).rebuilt


def test_a_new_tagger_rebuilds_and_says_so(settings, store):
    add_documents(store, 24)
    update_themes(store, settings, EMB)
    _retag(store, "test-model-2")
    report = update_themes(store, settings, EMB)
    assert report.rebuilt and report.reason == "the tags changed since the themes were built (tagger test -> test-model-2)"


def test_themes_built_before_the_record_are_judged_by_their_labels(settings, store, tmp_path):
    add_documents(store, 24)
    update_themes(store, settings, EMB)
    store.execute("DELETE FROM meta WHERE key IN (?, ?)", (provenance.TAXONOMY_KEY, provenance.TAGGER_KEY))
    store.commit()
    assert not update_themes(store, settings, EMB).rebuilt  # their labels are all in the frame: kept, recorded
    assert provenance.recorded(store) is not None
    store.execute("DELETE FROM meta WHERE key IN (?, ?)", (provenance.TAXONOMY_KEY, provenance.TAGGER_KEY))
    store.commit()
    settings = settings.replace(taxonomy=str(_frame(tmp_path / "frame.yaml", drop=("unsafe_sleep",))))
    report = update_themes(store, settings, EMB)
    assert report.rebuilt and report.reason == "the themes name labels the coding frame does not have (unsafe_sleep)"
    assert "unsafe_sleep" not in _active(store).values()


def test_a_theme_left_without_sentences_is_retired_not_listed(settings, store):
    add_documents(store, 24)
    update_themes(store, settings, EMB)
    tid = min(t for t, label in _active(store).items() if label == "unsafe_sleep")
    with store:  # its sentences lose their tags (same tagger version): they carry no theme any more
        store.execute("UPDATE sentence_tagging SET learning_point = 0 WHERE sentence_id IN"
                      " (SELECT sentence_id FROM theme_members WHERE theme_id = ?)", (tid,))
        store.execute("DELETE FROM tags WHERE sentence_id IN"
                      " (SELECT sentence_id FROM theme_members WHERE theme_id = ?)", (tid,))
    report = update_themes(store, settings, EMB)
    assert store.execute("SELECT status FROM themes WHERE theme_id = ?", (tid,)).fetchone()[0] == "retired"
    assert not report.rebuilt and report.retired == (tid,)
    assert store.execute("SELECT count(*) FROM theme_events WHERE theme_id = ? AND event = 'retired'",
                         (tid,)).fetchone()[0] == 1
    assert report.themes_total == len(_active(store)) and not _empty_active(store)
    assert tid not in {t.theme_id for t in list_themes(store, with_quotes=0)}


def test_an_active_theme_without_members_is_not_listed(settings, store):
    """A store written before empty themes were retired may hold one marked active."""
    add_documents(store, 24)
    update_themes(store, settings, EMB)
    store.execute("INSERT INTO themes(theme_id, name, label, keywords_json, size, status) VALUES"
                  " ('T0999', 'unsafe_sleep', 'unsafe_sleep', '[]', 0, 'active')")
    store.commit()
    listed = [t.theme_id for t in list_themes(store, with_quotes=0)]
    assert "T0999" not in listed and len(listed) == len(_active(store)) - 1


def test_a_refresh_with_nothing_new_retags_and_rebuilds_after_a_frame_change(settings, store, tmp_path):
    """The nightly job after a researcher edits the coding frame: it tags the stored sentences again with the
    new frame (no `scr extract` by hand) and rebuilds the themes, saying why; then it is quiet again."""
    settings = settings.replace(taxonomy=str(_frame(tmp_path / "frame.yaml")),
                                extract=dataclasses.replace(settings.extract, model_dir=str(tmp_path / "none")))
    add_documents(store, 30)
    update_themes(store, settings, EMB)
    settle = run_batch([], store, settings, embedder=EMB)  # the fixture's tags came from a test tagger
    assert settle.retagged == 30
    quiet = run_batch([], store, settings, embedder=EMB)
    assert (quiet.retagged, quiet.themes_touched, quiet.themes_rebuilt) == (0, (), False)  # nothing new or stale
    _frame(tmp_path / "frame.yaml", drop=("unsafe_sleep",))
    summary = run_batch([], store, settings, embedder=EMB)
    assert summary.retagged == 30 and summary.documents_tagged == 30
    assert not store.execute("SELECT 1 FROM tags WHERE label = 'unsafe_sleep'").fetchone()
    assert summary.themes_rebuilt and summary.themes_rebuild_reason.startswith("the coding frame changed")
    assert summary.to_dict()["themes_rebuild_reason"] == summary.themes_rebuild_reason
    assert "unsafe_sleep" not in _active(store).values() and not _empty_active(store)
    assert summary.themes_total == len(_active(store))
    again = run_batch([], store, settings, embedder=EMB)
    assert (again.retagged, again.themes_rebuilt) == (0, False)


def test_cluster_cli_rebuilds_after_a_frame_change_and_says_why(tmp_path):
    frame = _frame(tmp_path / "frame.yaml")
    config = tmp_path / "settings.yaml"
    config.write_text(f"store: {tmp_path / 'scr.db'}\ntaxonomy: {frame}\nembed:\n  model: hashing-256\n",
                      encoding="utf-8")
    conn = connect(tmp_path / "scr.db")
    add_documents(conn, 30)
    conn.close()
    runner = CliRunner()
    first = runner.invoke(app, ["--config", str(config), "cluster"])
    assert first.exit_code == 0 and "rebuilt because" not in first.output, first.output

    _frame(frame, drop=("unsafe_sleep",), names={"child_mental_health": "Young person's mental health"})
    conn = connect(tmp_path / "scr.db")
    _retag(conn, "test-2", ("unsafe_sleep",))
    conn.close()
    second = runner.invoke(app, ["--config", str(config), "cluster"])
    assert second.exit_code == 0, second.output
    lines = second.output.strip().splitlines()
    assert lines[0].startswith("rebuilt themes:")
    assert lines[1].startswith("rebuilt because the coding frame changed since the themes were built (taxonomy ")
    as_json = runner.invoke(app, ["--config", str(config), "cluster", "--json"])
    assert json.loads(as_json.stdout)["reason"] is None and not json.loads(as_json.stdout)["rebuilt"]
    listed = runner.invoke(app, ["--config", str(config), "themes", "--quotes", "0"])
    assert listed.exit_code == 0 and "Unsafe sleep" not in listed.output and "(0 sentences" not in listed.output
