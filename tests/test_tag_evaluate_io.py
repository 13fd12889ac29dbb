"""What `scr tag --file` and `scr evaluate` give back for every input line, and what they say on stderr.

- `scr tag --file F --json` writes exactly one line per input line, in order: a line without a sid gets its
  line number, a bad line (empty text included) an {"sid", "error"} placeholder in its place.
- `scr tag` and `scr evaluate` say in one stderr line when the coding frame lacks labels the trained model
  knows, so the rules tag alone.
- `scr evaluate` scores the project's named gold sets on a researcher's frame (dropping gold labels outside
  it, and saying how many); in a user's gold file it reports every bad line (an unknown key included), scores
  the good ones and exits 1, or 2 when no line is good.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.extract.card import read_card
from tests.test_extract_taxonomy import MINIMAL

REPO = Path(__file__).resolve().parents[1]
CONFIG = str(REPO / "configs" / "settings.yaml")
CARD = read_card(REPO / "models" / "tagger")
needs_model = pytest.mark.skipif(CARD is None, reason="no trained model in models/tagger (run `scr train`)")

FRAME = MINIMAL  # two labels: animal_cruelty (risk factor) and information_sharing
FRAME_IDS = ["animal_cruelty", "information_sharing"]


def _write(path: Path, lines: list) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def _frame(tmp_path: Path) -> Path:
    path = tmp_path / "frame.yaml"
    path.write_text(FRAME, encoding="utf-8")
    return path


def _scr(tmp_path: Path, *args: str, config: str = CONFIG):
    return CliRunner().invoke(app, ["--config", config, "--db", str(tmp_path / "scr.db"), *args])


def _config_with_frame(tmp_path: Path) -> str:
    """A settings file outside the project whose configured coding frame is FRAME (shipped files, the model
    and the named gold sets resolve against the install root)."""
    folder = tmp_path / "etcscr"
    folder.mkdir()
    path = folder / "settings.yaml"
    path.write_text(f"store: {tmp_path / 'scr.db'}\ntaxonomy: {_frame(tmp_path)}\n", encoding="utf-8")
    return str(path)


# --- 1. scr tag --file: one output line per input line --------------------------------------------------------

MIXED = [
    {"text": "Police were called after neighbours heard shouting."},           # 1: no sid -> "1"
    "not json",                                                                 # 2
    {"text": "", "sid": "empty"},                                               # 3: empty text, own sid
    {"text": "   "},                                                            # 4: whitespace only
    {"sid": "no-text"},                                                         # 5
    {"text": "ok", "section": 7},                                               # 6
    {"text": "There was no evidence of neglect.", "sid": "b", "section": "Findings"},  # 7
    {"text": "Mother's new partner was never assessed.", "sid": 42},            # 8: a numeric sid, as a string
]


def test_tag_json_gives_one_line_per_input_line_in_order(tmp_path):
    source = _write(tmp_path / "in.jsonl", MIXED)
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source), "--json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(MIXED)
    assert [r["sid"] for r in rows] == ["1", "2", "empty", "4", "no-text", "6", "b", "42"]
    assert rows[1] == {"sid": "2", "error": "not JSON (Expecting value)"}
    assert rows[2] == {"sid": "empty", "error": "empty text"}
    assert rows[3] == {"sid": "4", "error": "empty text"}
    assert rows[4] == {"sid": "no-text", "error": "needs an object with a 'text' string"}
    assert rows[5] == {"sid": "6", "error": "'section' must be a string or null, not 7"}
    assert "domestic_abuse" in rows[0]["labels"] and rows[6]["negated"] == ["neglect"]
    assert "error" not in rows[7] and "hidden_men" in rows[7]["labels"]
    errors = result.stderr.splitlines()
    assert errors[:5] == [f"{source}:2: not JSON (Expecting value)", f"{source}:3: empty text",
                          f"{source}:4: empty text", f"{source}:5: needs an object with a 'text' string",
                          f"{source}:6: 'section' must be a string or null, not 7"]
    assert "5 bad input line(s) (line 2, 3, 4, 5, 6)" in errors[5] and len(errors) == 6


def test_tag_json_numbers_lines_without_a_sid_and_exits_0_when_all_are_good(tmp_path):
    source = _write(tmp_path / "in.jsonl", [{"text": "Police were called."}, "", {"text": "Nothing happened.", "sid": "x"},
                                            {"text": "The baby was not brought to appointments."}])
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source), "--json")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["sid"] for line in result.stdout.splitlines()] == ["1", "x", "4"]  # line 2 is blank
    assert result.stderr == ""


def test_tag_a_sid_of_the_wrong_type_is_a_bad_line_named_by_its_line_number(tmp_path):
    source = _write(tmp_path / "in.jsonl", [{"text": "Police were called.", "sid": ["a"]}, {"text": "ok"}])
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source), "--json")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0] == {"sid": "1", "error": "'sid' must be a string or a number, not [\"a\"]"} and rows[1]["sid"] == "2"


def test_tag_plain_text_gives_one_readable_line_per_input_line(tmp_path):
    source = _write(tmp_path / "in.jsonl", MIXED[:3])
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["1: labels domestic_abuse; negated -; learning point no",
                                          "2: error: not JSON (Expecting value)",
                                          "empty: error: empty text"]


def test_tag_batches_keep_the_order(tmp_path):
    """Bad lines fall on both sides of a batch boundary (extract.batch_size is 512)."""
    lines: list = []
    for i in range(1200):
        lines.append("not json" if i % 97 == 0 else {"text": f"Sentence {i} about the police being called."})
    source = _write(tmp_path / "in.jsonl", lines)
    result = _scr(tmp_path, "tag", "--rules-only", "--file", str(source), "--json")
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["sid"] for r in rows] == [str(i + 1) for i in range(1200)]
    assert [i for i, r in enumerate(rows) if "error" in r] == [i for i in range(1200) if i % 97 == 0]


# --- 2. the trained model left out: said on stderr ------------------------------------------------------------

@needs_model
def test_tag_says_when_the_frame_drops_the_trained_model(tmp_path):
    frame = _frame(tmp_path)
    result = _scr(tmp_path, "tag", "--taxonomy", str(frame), "--json", "Neighbours said he kicked the dog.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["labels"] == ["animal_cruelty"]
    missing = [label for label in CARD["labels"] if label not in FRAME_IDS]
    assert result.stderr.splitlines() == [
        f"rules only: the trained tagger knows {len(missing)} labels this coding frame (frame.yaml) lacks "
        f"({', '.join(missing[:5])}, ...), so it is not used"]
    # asked for: nothing to say
    result = _scr(tmp_path, "tag", "--taxonomy", str(frame), "--rules-only", "Neighbours said he kicked the dog.")
    assert result.exit_code == 0 and result.stderr == ""


@needs_model
def test_evaluate_says_when_the_configured_frame_drops_the_trained_model(tmp_path):
    gold = _write(tmp_path / "gold.jsonl", [{"text": "Neighbours said he kicked the dog.", "labels": ["animal_cruelty"]},
                                            {"text": "The school shared its information late.", "labels": []}])
    result = _scr(tmp_path, "evaluate", str(gold), "--json", config=_config_with_frame(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("rules only: the trained tagger knows ") and "(frame.yaml)" in result.stderr
    assert json.loads(result.stdout)["tagger"].endswith("+rules-only")


@needs_model
def test_extract_says_when_the_configured_frame_drops_the_trained_model(tmp_path):
    """`scr extract` tags the whole store: a user must know it ran on the rules alone, and why."""
    result = _scr(tmp_path, "extract", config=_config_with_frame(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("rules only: the trained tagger knows ") and "(frame.yaml)" in result.stderr


# --- 3a. the named gold sets on a researcher's coding frame ---------------------------------------------------

def _outside(frame_ids: list[str]) -> tuple[int, int]:
    from pipeline.extract.annotations import load_annotations

    dev = load_annotations(REPO).dev
    outside = sum(len(set(r.labels) - set(frame_ids)) + len(set(r.negated) - set(frame_ids)) for r in dev)
    return outside, sum("information_sharing" in r.labels for r in dev)


@pytest.mark.parametrize("how", ["option", "configured"])
def test_evaluate_dev_on_a_custom_frame_scores_the_frame_labels(tmp_path, how):
    if how == "option":
        result = _scr(tmp_path, "evaluate", "dev", "--rules-only", "--json", "--taxonomy", str(_frame(tmp_path)))
    else:
        result = _scr(tmp_path, "evaluate", "dev", "--rules-only", "--json", config=_config_with_frame(tmp_path))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    outside, sharing = _outside(FRAME_IDS)
    assert list(report["per_label"]) == FRAME_IDS and report["sentences"] >= 1100
    assert report["per_label"]["information_sharing"]["support"] == sharing > 0
    assert result.stderr.splitlines() == [f"scoring the 2 labels of frame.yaml; {outside:,} gold labels outside it ignored"]
    if how == "option":  # on the project's own taxonomy nothing is dropped, and nothing is said
        result = _scr(tmp_path, "evaluate", "dev", "--rules-only", "--json")
        assert result.exit_code == 0 and result.stderr == ""


def test_a_user_gold_file_with_a_label_outside_the_frame_is_still_a_bad_line(tmp_path):
    gold = _write(tmp_path / "gold.jsonl", [{"text": "Neighbours said he kicked the dog.", "labels": ["animal_cruelty"]},
                                            {"text": "Police were called.", "labels": ["domestic_abuse"]}])
    result = _scr(tmp_path, "evaluate", "--rules-only", "--taxonomy", str(_frame(tmp_path)), str(gold), "--json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{gold}:2: unknown label domestic_abuse (not in the taxonomy)"
    assert json.loads(result.stdout)["sentences"] == 1


# --- 3b/3c. a user's gold file: every bad line, the good ones scored -------------------------------------------

GOOD = [{"text": "There was no evidence of domestic abuse.", "labels": [], "negated": ["domestic_abuse"],
         "learning_point": False},
        {"text": "Police were called after neighbours heard shouting.", "labels": ["domestic_abuse"], "sid": "s2",
         "section": "Background", "doc": "d1", "origin": "me"}]


def test_evaluate_reports_every_bad_gold_line_and_scores_the_rest(tmp_path):
    gold = _write(tmp_path / "gold.jsonl", [
        GOOD[0],
        "not json",
        {"text": "Information was not shared.", "label": ["gambling"]},            # misspelt key
        {"text": "", "labels": []},
        {"text": "ok", "labels": ["not_a_label"]},
        {"text": "ok", "labels": [], "learning_point": "yes"},
        GOOD[1],
    ])
    result = _scr(tmp_path, "evaluate", "--rules-only", str(gold), "--json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert json.loads(result.stdout)["sentences"] == 2
    assert result.stderr.splitlines() == [
        f"{gold}:2: not JSON (Expecting value)",
        f"{gold}:3: unknown key 'label' (a gold line may have text, labels, negated, learning_point, sid, section, "
        "doc, origin)",
        f"{gold}:4: empty text",
        f"{gold}:5: unknown label not_a_label (not in the taxonomy)",
        f"{gold}:6: 'learning_point' must be true or false, not \"yes\"",
        f"{gold}: 5 bad gold line(s) skipped (line 2, 3, 4, 5, 6); the other 2 lines were scored",
    ]
    result = _scr(tmp_path, "evaluate", "--rules-only", str(gold))  # the readable report too
    assert result.exit_code == 1 and result.stdout.startswith("2 sentences, tagger ")


def test_a_misspelt_key_is_not_read_as_no_labels(tmp_path):
    gold = _write(tmp_path / "gold.jsonl", [GOOD[1], {"text": "The family gambled away the rent.", "label": ["x"]}])
    result = _scr(tmp_path, "evaluate", "--rules-only", str(gold), "--json")
    assert result.exit_code == 1 and "unknown key 'label'" in result.stderr
    assert json.loads(result.stdout)["sentences"] == 1


def test_evaluate_with_no_good_line_is_one_line_and_exit_2(tmp_path):
    gold = _write(tmp_path / "gold.jsonl", ["not json", {"text": "x", "label": []}])
    result = _scr(tmp_path, "evaluate", "--rules-only", str(gold))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {gold}: no usable gold line; 2 bad, the first is line 1: not JSON (Expecting value)"]


def test_the_project_gold_files_use_only_allowed_keys():
    from pipeline.extract.evaluate import read_gold_lines

    for name in ("dev.jsonl", "train.jsonl"):
        path = REPO / "corpus" / "annotations" / name
        if path.is_file():
            items, bad = read_gold_lines(path)
            assert items and bad == [], (name, bad[:3])


# --- the trained model, end to end ---------------------------------------------------------------------------

@pytest.mark.slow
@needs_model
def test_tag_and_evaluate_with_the_trained_model(tmp_path):
    source = _write(tmp_path / "in.jsonl", [{"text": "Police were called after neighbours heard shouting."},
                                            {"text": "  "},
                                            {"text": "There was no evidence of neglect.", "sid": "b"}])
    result = _scr(tmp_path, "tag", "--file", str(source), "--json")
    assert result.exit_code == 1, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["sid"] for r in rows] == ["1", "2", "b"] and rows[1] == {"sid": "2", "error": "empty text"}
    assert "domestic_abuse" in rows[0]["labels"] and "neglect" not in rows[2]["labels"]
    assert "rules only" not in result.stderr

    gold = _write(tmp_path / "gold.jsonl", GOOD + [{"text": "x", "labels": ["neglect"], "extra": 1}])
    result = _scr(tmp_path, "evaluate", str(gold), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["tagger"].endswith("+" + CARD["version"])
    assert result.stderr.splitlines()[0].startswith(f"{gold}:3: unknown key 'extra'")
    assert "rules only" not in result.stderr
