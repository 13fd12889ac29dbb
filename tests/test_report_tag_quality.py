"""How far to trust the tags: the briefing's appendix table of the tagger's F1 per label, and the caveat note.

Built on the small store of tests/helpers/brief.py, whose batch shows four labels (domestic abuse, parental
mental health and parental substance misuse in the risk grid; information sharing and domestic abuse as
themes). Scores come from the shipped model card, or from a card written here to pin the verdicts.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from pipeline.report import layout
from pipeline.report.build import build_briefing
from pipeline.report.docx import build_document
from pipeline.report.html import render_html
from pipeline.report.labels import load_label_book
from pipeline.report.markdown import render_markdown
from tests.helpers.brief import fill_brief_store

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CARD = REPO / "models" / "tagger" / "model_card.json"
SHOWN = {"domestic_abuse", "parental_mental_health", "parental_substance_misuse", "information_sharing"}
"""Labels the helper store's batch shows (risk grid columns and themes with a label)."""


@pytest.fixture
def card() -> dict:
    if not SHIPPED_CARD.is_file():
        pytest.skip("no trained tagger shipped in models/tagger")
    return json.loads(SHIPPED_CARD.read_text(encoding="utf-8"))


@pytest.fixture
def filled(store):
    return store, fill_brief_store(store)


def _with_model_dir(settings, model_dir: Path):
    return settings.replace(extract=dataclasses.replace(settings.extract, model_dir=str(model_dir)))


def _real(card: dict) -> dict:
    return card["scores_dev_real"]["fused"]["per_label"]


def _written(card: dict) -> dict:
    return card["scores_dev"]["fused"]["per_label"]


def _pinned_card(card: dict, tmp_path: Path, real: dict[str, tuple[float, int]], default=(0.9, 50)) -> Path:
    """A model folder whose card gives every label `default` (F1, real support) but those in `real`."""
    pinned = copy.deepcopy(card)
    pinned["version"] = "tagger-pinned"
    pinned["scores_dev_real"]["fused"]["per_label"] = {
        label: {"f1": real.get(label, default)[0], "support": real.get(label, default)[1]}
        for label in pinned["labels"]
    }
    folder = tmp_path / "pinned-model"
    folder.mkdir()
    (folder / "model_card.json").write_text(json.dumps(pinned), encoding="utf-8")
    return folder


def _trust_note(b) -> str:
    notes = [n for n in b.notes if "F1" in n or "measured on real text" in n]
    assert len(notes) <= 1, notes
    return notes[0] if notes else ""


def test_shown_labels_are_the_ones_the_batch_shows(filled, settings):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    shown = set(b.grid.labels) | {t.label for t in b.themes if t.label}
    assert shown == SHOWN  # the premise the note tests rest on


def test_appendix_lists_every_taxonomy_label_with_the_card_scores(filled, settings, card):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    book = load_label_book(settings)
    trust = b.appendix.trust
    assert trust.tagger == card["version"]
    assert [t.label for t in trust.labels] == list(book.names)
    table = layout.trust_table(b)
    assert table.headers == ("Label", "Kind", "Real F1", "Real n", "Written F1", "Verdict")
    rows = {row[0]: row for row in table.rows}
    assert len(rows) == len(book.names)
    for label in ("child_mental_health", "information_sharing", "risk_assessment"):
        real, written = _real(card)[label], _written(card)[label]
        name, kind, f1_real, n_real, f1_written, _ = rows[book.name(label)]
        assert (f1_real, n_real, f1_written) == (f"{real['f1']:.2f}", str(real["support"]), f"{written['f1']:.2f}")
        assert kind == book.kinds[label].replace("_", " ")
    paragraphs = layout.trust_paragraphs(b)
    assert any(card["version"] in p and "model card" in p and "held-out" in p for p in paragraphs)


def test_verdicts_in_the_table_follow_the_card(filled, settings, card):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    rows = {t.label: t for t in b.appendix.trust.labels}
    for label, scores in _real(card).items():
        if label not in rows:
            continue
        enough = scores["support"] >= 20
        expected = ("reliable" if scores["f1"] >= 0.70 else "check by hand") if enough else "not measured on real text"
        assert rows[label].score.verdict_text == expected, label


def test_note_names_exactly_the_shown_labels_to_check_with_the_shipped_card(filled, settings, card):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    note = _trust_note(b)
    book = load_label_book(settings)
    for label, scores in _real(card).items():
        if scores["support"] >= 20 and scores["f1"] < 0.70 and label in book.names:
            named = f"{book.name(label)} (" in note
            assert named == (label in SHOWN), (label, note)
            if named:
                assert f"{scores['f1']:.2f}" in note


def test_note_names_a_weak_shown_label_and_counts_the_unmeasured(filled, settings, card, tmp_path):
    conn, made = filled
    folder = _pinned_card(card, tmp_path, {"information_sharing": (0.412, 50), "child_mental_health": (0.23, 37),
                                           "parental_mental_health": (0.95, 5)})
    b = build_briefing(conn, made.batch, _with_model_dir(settings, folder))
    note = _trust_note(b)
    assert "Tags for Information sharing (F1 0.41 on real text) fell short of 0.70" in note
    assert "read its quotes" in note
    assert "Child mental health" not in note  # weak, but not in this briefing
    assert "Domestic abuse" not in note  # reliable on the pinned card
    assert "1 of the 4 labels in this briefing was not measured on real text" in note


def test_weakest_label_is_named_first(filled, settings, card, tmp_path):
    conn, made = filled
    folder = _pinned_card(card, tmp_path, {"information_sharing": (0.62, 100), "domestic_abuse": (0.3, 40)})
    note = _trust_note(build_briefing(conn, made.batch, _with_model_dir(settings, folder)))
    assert "Tags for Domestic abuse (F1 0.30 on real text) and Information sharing (0.62) fell short" in note
    assert "read their quotes" in note
    assert "not measured" not in note


def test_no_note_when_every_shown_label_is_reliable(filled, settings, card, tmp_path):
    conn, made = filled
    folder = _pinned_card(card, tmp_path, {"child_mental_health": (0.23, 37)})
    b = build_briefing(conn, made.batch, _with_model_dir(settings, folder))
    assert _trust_note(b) == ""
    assert b.appendix.trust.of("child_mental_health").score.verdict == "check"  # in the table all the same


def test_rules_only_says_no_measured_f1(filled, settings, tmp_path):
    conn, made = filled
    empty = tmp_path / "no-model"
    empty.mkdir()
    b = build_briefing(conn, made.batch, _with_model_dir(settings, empty))
    assert b.appendix.trust.tagger is None
    note = _trust_note(b)
    assert "rules alone" in note and "no label has a measured F1" in note
    table = layout.trust_table(b)
    assert len(table.rows) == len(load_label_book(settings).names)
    assert {row[-1] for row in table.rows} == {"not measured on real text"}
    assert {row[2] for row in table.rows} == {"\u2013"}
    assert "rules only" in layout.trust_paragraphs(b)[0]


def test_appendix_warns_when_the_batch_was_tagged_by_another_tagger(filled, settings, card):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)  # the helper store's tags say model 'rules'
    assert any("tagged by rules, not by " + card["version"] in p for p in layout.trust_paragraphs(b))
    conn.execute("UPDATE tags SET model_version = ?", (card["version"],))
    b = build_briefing(conn, made.batch, settings)
    assert not any("tagged by" in p for p in layout.trust_paragraphs(b))


def test_markdown_html_and_docx_carry_the_table(filled, settings, card, tmp_path):
    conn, made = filled
    b = build_briefing(conn, made.batch, settings)
    real = _real(card)["child_mental_health"]
    summary = b.appendix.trust.summary

    md = render_markdown(b, None, None)
    assert f"### {layout.TRUST}" in md
    assert "| Label | Kind | Real F1 | Real n | Written F1 | Verdict |" in md
    assert f"| Child mental health | risk factor | {real['f1']:.2f} | {real['support']} |" in md
    assert md.index(summary) < md.index("| Label | Kind | Real F1")
    assert md.index("**Note:** Tags for") < md.index("## Summary")

    html = render_html(b)
    assert f"<h3>{layout.TRUST}</h3>" in html
    assert '<th scope="col">Real F1</th>' in html
    assert f"<td>Child mental health</td><td>risk factor</td><td>{real['f1']:.2f}</td>" in html
    assert f"<p>{summary}</p>" in html

    doc = build_document(b, tmp_path)
    texts = [p.text for p in doc.paragraphs]
    assert layout.TRUST in texts and summary in texts
    trust_rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows
                  if row.cells[0].text == "Child mental health"]
    assert trust_rows and trust_rows[0][2] == f"{real['f1']:.2f}"
