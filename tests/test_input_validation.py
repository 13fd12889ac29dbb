"""Bad input is normal input: `scr tag --file`, `scr evaluate` and `scr annotate import` reject a line of the
wrong shape with one line naming the file and line, never a traceback; a missing path is bad usage (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app

REPO = Path(__file__).resolve().parents[1]
CONFIG = str(REPO / "configs" / "settings.yaml")


def _write(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def _scr(tmp_path: Path, *args: str):
    return CliRunner().invoke(app, ["--config", CONFIG, "--db", str(tmp_path / "scr.db"), *args])


def test_tag_file_tags_every_good_line_and_reports_each_bad_one(tmp_path):
    source = _write(tmp_path / "in.jsonl", [
        {"text": "Police were called after neighbours heard shouting.", "sid": "a"},
        "not json",
        {"text": "ok", "section": 7},
        {"sid": "no text"},
        {"text": "There was no evidence of neglect.", "sid": "b", "section": "Findings"},
    ])
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source), "--json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # one line per input line, in order
    assert [r["sid"] for r in rows] == ["a", "2", "3", "no text", "b"]
    assert [r.get("error") for r in rows] == [None, "not JSON (Expecting value)",
                                              "'section' must be a string or null, not 7",
                                              "needs an object with a 'text' string", None]
    assert "domestic_abuse" in rows[0]["labels"] and rows[4]["negated"] == ["neglect"]
    errors = result.stderr.splitlines()
    assert errors[:3] == [f"{source}:2: not JSON (Expecting value)",
                          f"{source}:3: 'section' must be a string or null, not 7",
                          f"{source}:4: needs an object with a 'text' string"]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("line, cause", [
    ({"text": "ok", "section": 7}, "'section' must be a string or null, not 7"),
    ({"text": "ok", "labels": [], "learning_point": "yes"}, "'learning_point' must be true or false, not \"yes\""),
])
def test_evaluate_rejects_a_gold_line_of_the_wrong_type_in_one_line(tmp_path, line, cause):
    gold = _write(tmp_path / "gold.jsonl", [{"text": "Police were called.", "labels": ["domestic_abuse"]}, line])
    result = _scr(tmp_path, "evaluate", "--rules-only", str(gold))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.splitlines()[0] == f"{gold}:2: {cause}"  # named, and the good line still scored
    assert result.stdout.startswith("1 sentences, tagger ") and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["tag", "--rules-only", "--file"], ["evaluate", "--rules-only"],
                                     ["annotate", "import"]])
def test_a_missing_input_path_is_bad_usage(tmp_path, command):
    result = _scr(tmp_path, *command, str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 2, result.output
    assert "missing.jsonl" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- scr annotate import, through the real CLI in a project of its own -----------------------------------------

def _project(tmp_path: Path) -> list[str]:
    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    for name in ("settings.yaml", "taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt"):
        (root / "configs" / name).write_text((REPO / "configs" / name).read_text())
    return [sys.executable, "-m", "pipeline.cli.main", "--config", str(root / "configs" / "settings.yaml")]


def _import(base: list[str], path: Path, *extra: str):
    return subprocess.run(base + ["annotate", "import", str(path), *extra], capture_output=True, text=True,
                          timeout=300)


IMPORTED = Path("project/corpus/annotations/imported.jsonl")


def test_import_rejects_values_of_the_wrong_type_and_writes_nothing(tmp_path):
    base = _project(tmp_path)
    cases = [({"text": "ok", "labels": [], "section": 7}, "'section' must be a string or null, not 7"),
             ({"text": "ok", "labels": [], "learning_point": "false"}, "'learning_point' must be true or false"),
             ({"text": "ok", "labels": "neglect"}, "'labels' must be a list of label ids"),
             ({"data": {"text": "ok", "section": 7}, "annotations": [{"result": [{"value": {"choices": []}}]}]},
              "'section' must be a string or null"),
             ({"text": "ok", "answer": "accept", "accept": "neglect"}, "the chosen options must be a list of strings")]
    for i, (line, cause) in enumerate(cases):
        source = _write(tmp_path / f"bad{i}.jsonl", [{"text": "fine", "labels": ["neglect"]}, line])
        result = _import(base, source)
        assert result.returncode == 1, (line, result.stdout)
        assert result.stderr.startswith(f"error: {source}:2: bad annotation line ({cause}"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert not (tmp_path / IMPORTED).exists()


def test_import_reads_a_label_studio_json_array_export(tmp_path):
    base = _project(tmp_path)
    tasks = [{"data": {"text": "The home was dirty.", "doc_id": "abc", "section": "Findings"},
              "annotations": [{"result": [{"value": {"choices": ["neglect", "not:domestic_abuse", "learning_point"]}}]}]},
             {"data": {"text": "Not labelled yet."}, "annotations": []}]
    source = tmp_path / "export.json"
    source.write_text(json.dumps(tasks, indent=2), encoding="utf-8")  # one array over many lines, as Label Studio writes
    result = _import(base, source, "--json")
    assert result.returncode == 0, result.stderr
    assert {k: json.loads(result.stdout)[k] for k in ("added", "skipped")} == {"added": 1, "skipped": 1}
    rows = [json.loads(line) for line in (tmp_path / IMPORTED).read_text().splitlines()]
    assert rows == [{"text": "The home was dirty.", "labels": ["neglect"], "negated": ["domestic_abuse"],
                     "learning_point": True, "doc": "imported:abc", "section": "Findings"}]


def test_import_of_lines_without_an_answer_says_so_and_fails(tmp_path):
    """The exported tasks themselves hold the tagger's guesses, not corrections: never imported, and said."""
    base = _project(tmp_path)
    task = {"data": {"text": "Police were called."}, "predictions": [{"result": []}], "text": "Police were called.",
            "options": [], "accept": ["domestic_abuse"], "meta": {}}
    source = _write(tmp_path / "tasks.jsonl", [task, dict(task, text="Another.", data={"text": "Another."})])
    result = _import(base, source)
    assert result.returncode == 1
    assert "none of its 2 line(s) carries an answer" in result.stderr and '"annotations"' in result.stderr
    assert '"answer": "accept"' in result.stderr and '"learning_point"' in result.stderr
    assert not (tmp_path / IMPORTED).exists()
