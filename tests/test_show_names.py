"""`scr show` and the document page name a theme as the themes list does: its label id spelt as the
taxonomy's name ('Child mental health: self harm'), not 'child_mental_health: self harm'."""

from __future__ import annotations

from pipeline.query.show import show_document
from pipeline.report.labels import load_label_book
from pipeline.store import connect
from tests.helpers.research import research_settings


def _labelled_theme(settings, doc_id: str) -> str:
    conn = connect(settings.store_path)
    try:
        theme_id = conn.execute(
            "SELECT m.theme_id FROM theme_members m JOIN sentences s ON s.sentence_id = m.sentence_id"
            " WHERE s.doc_id = ? LIMIT 1", (doc_id,)).fetchone()[0]
        conn.execute("UPDATE themes SET name = 'child_mental_health: self harm, ward', label = 'child_mental_health'"
                     " WHERE theme_id = ?", (theme_id,))
        conn.commit()
    finally:
        conn.close()
    return theme_id


def test_show_spells_the_theme_label_as_its_name(tmp_path):
    settings, info = research_settings(tmp_path, None, fillers=2)
    doc = info.doc_ids["suicide16"]
    theme_id = _labelled_theme(settings, doc)
    book = load_label_book(settings)
    conn = connect(settings.store_path, readonly=True)
    try:
        named = dict((t, n) for t, n, _ in show_document(conn, doc, label_book=book).themes)
        plain = dict((t, n) for t, n, _ in show_document(conn, doc).themes)
    finally:
        conn.close()
    assert named[theme_id] == book.name("child_mental_health") + ": self harm, ward"
    assert plain[theme_id] == "Child mental health: self harm, ward"  # no taxonomy at hand: the id made readable


def test_cli_show_prints_no_raw_label_id(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli.main import app

    settings, info = research_settings(tmp_path, None, fillers=2)
    doc = info.doc_ids["suicide16"]
    _labelled_theme(settings, doc)
    res = CliRunner().invoke(app, ["--db", str(settings.store_path), "show", doc[:12]])
    assert res.exit_code == 0, res.output
    themes_line = next(line for line in res.output.splitlines() if line.startswith("themes:"))
    assert "child_mental_health" not in themes_line and "hild mental health: self harm, ward" in themes_line
