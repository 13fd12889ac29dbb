"""The annotation files: the Label Studio config names each label (its id kept as the value), offers denied
choices only where the tagger finds denials, Label Studio's JSON-MIN export imports, a rejected line is named
by file, line or item and cause (never a cut-off JSON blob), and `--pick uncertain` says why it has no model."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.errors import InputError
from pipeline.extract.annotate import export_sample, import_corrections, label_config_path
from pipeline.extract.tagger import Tagger
from pipeline.extract.taxonomy import load_taxonomy
from tests.helpers.extract import insert_document

REPO = Path(__file__).resolve().parents[1]
TEXTS = ["The mother said there was no domestic abuse in the home.",
         "Information was not shared between the school and the GP.",
         "Professionals should speak to the child alone."]


def _frame(path: Path, names: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
    data = yaml.safe_load((REPO / "configs" / "taxonomy.yaml").read_text(encoding="utf-8"))
    data["labels"] = [dict(label, name=(names or {}).get(label["id"], label["name"]))
                      for label in data["labels"] if label["id"] not in drop]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _export(store, settings, tmp_path) -> tuple[ET.Element, list[dict], Tagger]:
    insert_document(store, "a" * 64, [(t, "Findings") for t in TEXTS])
    tagger = Tagger.from_settings(settings, use_model=False)
    out = tmp_path / "tasks.jsonl"
    assert export_sample(store, tagger, 3, out) == 3
    view = ET.parse(label_config_path(out)).getroot()  # valid XML
    return view, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()], tagger


def test_label_studio_config_shows_names_and_descriptions_and_keeps_ids(store, settings, tmp_path):
    odd = "Drugs & alcohol <misuse>"
    settings = settings.replace(taxonomy=str(_frame(tmp_path / "frame.yaml", {
        "parental_substance_misuse": odd, "child_mental_health": "Young person's mental health"})))
    view, tasks, tagger = _export(store, settings, tmp_path)
    choices = {c.get("value"): c for c in view.iter("Choice")}
    for label in tagger.taxonomy.labels:
        choice = choices[label.id]  # the value stays the id: predictions and imports use it
        assert choice.get("hint") == label.description
        assert choice.get("alias") is None  # an alias would replace the id in Label Studio's results
    assert choices["child_mental_health"].get("html") == "Young person's mental health"
    assert choices["parental_substance_misuse"].get("html") == "Drugs &amp; alcohol &lt;misuse&gt;"  # shown as odd
    assert choices["not:domestic_abuse"].get("html") == "not Domestic abuse"
    assert choices["learning_point"].get("html") == "Learning point" and choices["learning_point"].get("hint")
    # Prodigy reads the same names from the options
    names = {o["id"]: o["text"] for o in tasks[0]["options"]}
    assert names["parental_substance_misuse"] == odd and names["learning_point"] == "Learning point"
    assert set(names) == set(choices)


def test_denied_choices_only_for_labels_the_tagger_denies(store, settings, tmp_path):
    view, tasks, tagger = _export(store, settings, tmp_path)
    offered = [c.get("value") for c in view.iter("Choice")]
    denied = {v[len("not:"):] for v in offered if v.startswith("not:")}
    kinds = {label.id: label.kind for label in tagger.taxonomy.labels}
    assert denied and all(kinds[label] == "risk_factor" for label in denied)
    assert "not:information_sharing" not in offered and "not:voice_of_child" not in offered  # learning themes
    assert "not:hidden_men" not in offered  # its words carry the negation (ignore_context: [negated])
    for task in tasks:
        assert set(task["accept"]) <= set(offered)
        assert set(task["predictions"][0]["result"][0]["value"]["choices"]) <= set(offered)
    # the context rules decide: where they apply to learning themes too, those can be denied
    rules = yaml.safe_load((REPO / "configs" / "context_rules.yaml").read_text(encoding="utf-8"))
    rules["applies_to_kinds"] = ["risk_factor", "learning_theme"]
    path = tmp_path / "context_rules.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    wider = settings.replace(extract=dataclasses.replace(settings.extract, context_rules=str(path)))
    out = tmp_path / "wider.jsonl"
    export_sample(store, Tagger.from_settings(wider, use_model=False), 3, out)
    offered = [c.get("value") for c in ET.parse(label_config_path(out)).getroot().iter("Choice")]
    assert "not:information_sharing" in offered


JSON_MIN = [
    {"text": "The home was cold and there was no food.", "sid": "aaaa:1", "doc_id": "aaaa", "section": "Findings",
     "id": 11, "labels": {"choices": ["neglect", "learning_point"]}, "annotator": 1, "annotation_id": 5,
     "created_at": "2026-11-26T10:00:00Z", "updated_at": "2026-11-26T10:00:00Z", "lead_time": 3.5},
    {"text": "Police attended a domestic incident.", "sid": "aaaa:2", "doc_id": "aaaa", "section": None, "id": 12,
     "labels": "domestic_abuse", "annotator": 1, "annotation_id": 6, "created_at": "x", "updated_at": "x",
     "lead_time": 2.0},
    {"text": "There was no evidence of drug use.", "sid": "aaaa:3", "doc_id": "aaaa", "id": 13,
     "labels": ["not:parental_substance_misuse"], "annotator": 1, "annotation_id": 7},
    {"text": "Agencies did not share the referral.", "sid": "aaaa:4", "choices": ["information_sharing", "learning_point"]},
    {"text": "Not labelled yet.", "sid": "aaaa:5", "id": 15, "annotator": None, "annotation_id": None},
]


def test_json_min_export_imports(tmp_path):
    source = tmp_path / "export-min.json"
    source.write_text(json.dumps(JSON_MIN, indent=2), encoding="utf-8")
    labels = load_taxonomy(REPO / "configs" / "taxonomy.yaml").ids
    report = import_corrections(source, tmp_path, labels)
    assert (report.added, report.updated, report.skipped) == (4, 0, 1)
    rows = {r["text"]: r for r in map(json.loads, Path(report.path).read_text().splitlines())}
    assert rows["The home was cold and there was no food."] == {
        "text": "The home was cold and there was no food.", "labels": ["neglect"], "negated": [],
        "learning_point": True, "doc": "imported:aaaa", "section": "Findings"}
    assert rows["Police attended a domestic incident."]["labels"] == ["domestic_abuse"]
    assert not rows["Police attended a domestic incident."]["learning_point"]
    assert rows["There was no evidence of drug use."]["negated"] == ["parental_substance_misuse"]
    assert rows["Agencies did not share the referral."]["labels"] == ["information_sharing"]
    assert rows["Agencies did not share the referral."]["learning_point"] is True


@pytest.mark.parametrize("row, cause", [
    ({"labels": {"choices": ["online_harm", "learning_point"]}, "annotation_id": 3}, "unknown label(s) online_harm"),
    ({"labels": {"choices": 5}, "annotation_id": 3},
     "'labels' (Label Studio JSON-MIN) must be one choice, a list of choices or {\"choices\": [...]}, not 5"),
    ({"labels": ["neglect", {"x": 1}], "annotation_id": 3}, "but item 2 is an object with keys \"x\""),
    ({"labels": {"neglect": True, "a": 1, "b": 2, "c": 3}}, 'not an object with keys "neglect", "a", "b" and 1 more'),
    ({"labels": 7, "negated": []}, "'labels' must be a list of label ids, not 7"),
    ({"labels": ["neglect"], "learning_point": "yes please, this one is a learning point"},
     "'learning_point' must be true or false, not a string of 40 characters"),
])
def test_a_rejected_item_is_named_with_its_cause_and_no_json_blob(tmp_path, row, cause):
    labels = load_taxonomy(REPO / "configs" / "taxonomy.yaml").ids
    array = tmp_path / "export.json"
    array.write_text(json.dumps([JSON_MIN[0], dict(row, text="A sentence.")]), encoding="utf-8")
    lines = tmp_path / "export.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in (JSON_MIN[0], dict(row, text="A sentence."))) + "\n")
    for path, where in ((array, f"{array} (task 2 of the array)"), (lines, f"{lines}:2")):
        with pytest.raises(InputError) as caught:
            import_corrections(path, tmp_path, labels)
        message = str(caught.value)
        assert message.startswith(f"{where}: bad annotation line (") and cause in message, message
        assert '{"' not in message.replace('{"choices": [...]}', "") and "..." not in message.replace("[...]", "")
    assert not (tmp_path / "corpus").exists()  # nothing written


def test_cli_imports_json_min_and_names_a_bad_item(tmp_path):
    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    for name in ("settings.yaml", "taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt"):
        (root / "configs" / name).write_text((REPO / "configs" / name).read_text())
    base = ["--config", str(root / "configs" / "settings.yaml"), "annotate", "import"]
    source = tmp_path / "min.json"
    source.write_text(json.dumps(JSON_MIN), encoding="utf-8")
    ok = CliRunner().invoke(app, [*base, str(source), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["added"] == 4
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([JSON_MIN[1], dict(JSON_MIN[0], labels={"choices": ["online_harm", "learning_point"]})]))
    result = CliRunner().invoke(app, [*base, str(bad)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: {bad} (task 2 of the array): bad annotation line "
                                     "(unknown label(s) online_harm)")


def test_pick_uncertain_says_the_frame_lacks_the_models_labels(store, tmp_path):
    if not (REPO / "models" / "tagger" / "tagger.joblib").is_file():
        pytest.skip("no trained tagger model in models/tagger/")
    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    for name in ("context_rules.yaml", "theme_stopwords.txt"):
        (root / "configs" / name).write_text((REPO / "configs" / name).read_text())
    _frame(root / "configs" / "taxonomy.yaml", drop=("unsafe_sleep", "training_guidance"))
    text = (REPO / "configs" / "settings.yaml").read_text().replace(
        "model_dir: models/tagger", f"model_dir: {REPO / 'models' / 'tagger'}")
    (root / "configs" / "settings.yaml").write_text(text)
    runner = CliRunner()
    base = ["--config", str(root / "configs" / "settings.yaml"), "--db", str(tmp_path / "scr.db")]
    from pipeline.store import connect

    conn = connect(tmp_path / "scr.db")
    insert_document(conn, "a" * 64, [(t, "Findings") for t in TEXTS])
    conn.commit()
    conn.close()
    result = runner.invoke(app, [*base, "annotate", "export", "--pick", "uncertain", "--out", str(tmp_path / "t.jsonl")])
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "needs the trained tagger model" not in line and len(line.splitlines()) == 1
    assert "knows 2 label(s) the coding frame" in line and "unsafe_sleep" in line and "training_guidance" in line
    assert "rules alone" in line and "--pick random" in line
