"""`scr annotate export`: random or uncertainty-picked sentences, never ones already corrected."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.annotate import export_sample, margin
from pipeline.extract.tagger import Tagger
from pipeline.records import text_hash
from tests.helpers.extract import insert_document

REPO = Path(__file__).resolve().parents[1]


def _sentences(n: int) -> list[str]:
    """Sentences the team wrote (the written dev set), varied enough for the tagger to be sure of some."""
    rows = [json.loads(line) for line in (REPO / "corpus/annotations/dev.jsonl").read_text().splitlines()]
    return [r["text"] for r in rows[::7]][:n]


def _store_with(store, texts: list[str]) -> list[str]:
    half = len(texts) // 2
    return (insert_document(store, "a" * 64, [(t, "Findings") for t in texts[:half]])
            + insert_document(store, "b" * 64, [(t, None) for t in texts[half:]]))


@pytest.mark.slow
def test_uncertain_pick_writes_the_sentences_nearest_a_threshold(store, settings, tmp_path):
    texts = _sentences(60)
    _store_with(store, texts)
    tagger = Tagger.from_settings(settings)
    out = tmp_path / "tasks.jsonl"
    assert export_sample(store, tagger, 8, out, pick="uncertain", pool=60) == 8
    tasks = [json.loads(line) for line in out.read_text().splitlines()]
    picked = {t["data"]["text"] for t in tasks}
    # the margins of every stored sentence, worked out here from the tagger's own verdicts
    model = tagger.model
    thresholds = {label: float(t) for label, t in zip(model.labels, model.label_model.thresholds_)}
    lp_threshold = float(model.lp_model.thresholds_[0])
    rows = store.execute("SELECT text, section FROM sentences ORDER BY sentence_id").fetchall()
    verdicts = tagger.tag([r[0] for r in rows], sections=[r[1] for r in rows])
    margins = {r[0]: margin(v, thresholds, lp_threshold) for r, v in zip(rows, verdicts)}
    nearest = sorted(margins.values())[7]
    assert all(margins[t] <= nearest + 1e-9 for t in picked)
    assert max(margins[t] for t in picked) < sorted(margins.values())[len(margins) // 2]  # well below the median
    # every task carries the tagger's verdict for correction
    assert all(t["predictions"][0]["model_version"] == tagger.version for t in tasks)

    # a random pick of the same size is not the same set (the store holds 60)
    export_sample(store, tagger, 8, tmp_path / "random.jsonl", pick="random")
    randomly = {json.loads(line)["data"]["text"] for line in (tmp_path / "random.jsonl").read_text().splitlines()}
    assert randomly != picked

    # capped at 3 a document, the two stored documents give 6 of the 8 asked for, the nearest of each
    capped_out = tmp_path / "capped.jsonl"
    assert export_sample(store, tagger, 8, capped_out, pick="uncertain", pool=60, per_doc=3) == 6
    capped_tasks = [json.loads(line) for line in capped_out.read_text().splitlines()]
    by_doc = Counter(t["data"]["doc_id"] for t in capped_tasks)
    assert sorted(by_doc.values()) == [3, 3]
    for doc in by_doc:
        rows = store.execute("SELECT text FROM sentences WHERE doc_id = ?", (doc,)).fetchall()
        own = sorted(margins[r[0]] for r in rows)
        assert all(margins[t["data"]["text"]] <= own[2] + 1e-9 for t in capped_tasks if t["data"]["doc_id"] == doc)


def test_sentences_already_corrected_are_not_drawn_again(store, settings, tmp_path):
    texts = _sentences(20)
    _store_with(store, texts)
    tagger = Tagger.from_settings(settings, use_model=False)
    done = set(texts[:15])
    out = tmp_path / "tasks.jsonl"
    assert export_sample(store, tagger, 10, out, exclude={text_hash(t) for t in done}) == 5
    written = {json.loads(line)["data"]["text"] for line in out.read_text().splitlines()}
    assert written == set(texts[15:])
    with pytest.raises(ConfigError, match="needs the trained tagger model"):
        export_sample(store, tagger, 5, out, pick="uncertain")


def test_cli_export_rejects_an_unknown_pick_and_reads_imported_corrections(tmp_path):
    import subprocess
    import sys

    from pipeline.config import load_settings
    from pipeline.store import connect

    root = tmp_path / "project"
    (root / "configs").mkdir(parents=True)
    settings_text = (REPO / "configs" / "settings.yaml").read_text()
    (root / "configs" / "settings.yaml").write_text(settings_text)
    for name in ("taxonomy.yaml", "context_rules.yaml", "theme_stopwords.txt"):
        (root / "configs" / name).write_text((REPO / "configs" / name).read_text())
    settings = load_settings(root / "configs" / "settings.yaml")
    conn = connect(settings.store_path)
    texts = _sentences(12)
    _store_with(conn, texts)
    conn.commit()
    conn.close()
    (root / "corpus/annotations").mkdir(parents=True, exist_ok=True)
    (root / "corpus/annotations/imported.jsonl").write_text(
        "".join(json.dumps({"text": t, "labels": []}) + "\n" for t in texts[:10]))
    base = [sys.executable, "-m", "pipeline.cli.main", "--config", str(root / "configs" / "settings.yaml")]
    bad = subprocess.run(base + ["annotate", "export", "--pick", "hardest", "--out", str(tmp_path / "x.jsonl")],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--pick must be one of random, uncertain" in bad.stderr
    ok = subprocess.run(base + ["annotate", "export", "-n", "5", "--out", str(tmp_path / "x.jsonl"), "--json"],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    config = tmp_path / "x.label-studio.xml"
    assert json.loads(ok.stdout) == {"written": 2, "out": str(tmp_path / "x.jsonl"), "pick": "random",
                                     "label_config": str(config)}
    # the Label Studio config the tasks need: what their predictions name, with every choice export can pre-fill
    from xml.etree import ElementTree

    from pipeline.extract.taxonomy import load_taxonomy

    view = ElementTree.parse(config).getroot()
    text, = view.iter("Text")
    control, = view.iter("Choices")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    assert (control.get("name"), control.get("toName"), control.get("choice")) == ("labels", "text", "multiple")
    taxonomy = load_taxonomy(root / "configs" / "taxonomy.yaml")
    ids = taxonomy.ids
    # denials only for the labels the tagger can find denied: risk factors (context rules' applies_to_kinds)
    deniable = [lab.id for lab in taxonomy.labels if lab.kind == "risk_factor" and "negated" not in lab.ignore_context]
    offered = [c.get("value") for c in control.iter("Choice")]
    assert offered == list(ids) + [f"not:{label}" for label in deniable] + ["learning_point"]
    for line in (tmp_path / "x.jsonl").read_text().splitlines():
        task = json.loads(line)
        assert {o["id"] for o in task["options"]} == set(offered)
        result, = task["predictions"][0]["result"]
        assert (result["from_name"], result["to_name"]) == (control.get("name"), text.get("name"))
        assert set(result["value"]["choices"]) <= set(offered)


def test_a_per_document_cap_spreads_a_random_batch_over_documents(store, settings, tmp_path):
    texts = _sentences(40)
    sids = _store_with(store, texts[:30]) + insert_document(store, "c" * 64, [(t, None) for t in texts[30:]])
    docs = {sid: sid.split(":")[0] for sid in sids}
    tagger = Tagger.from_settings(settings, use_model=False)
    out = tmp_path / "tasks.jsonl"
    assert export_sample(store, tagger, 6, out, per_doc=2) == 6
    per_doc = Counter(docs[json.loads(line)["data"]["sid"]] for line in out.read_text().splitlines())
    assert sorted(per_doc.values()) == [2, 2, 2]
    # a cap the store cannot fill writes what it can, never more than the cap from one document
    assert export_sample(store, tagger, 9, out, per_doc=1) == 3
    # no cap: a batch of 12 from 40 sentences in documents of 15, 15 and 10
    assert export_sample(store, tagger, 12, out) == 12


def test_the_prefilled_verdicts_read_the_documents_subject_age(store, settings, tmp_path):
    """As `scr extract` does: the same sentence is pre-filled on the child's side for a 15-year-old subject
    and on the adult's side for a 52-year-old one."""
    from tests.test_extract_subject import ABOUT_THE_SUBJECT

    young = insert_document(store, "c" * 64, [(ABOUT_THE_SUBJECT, "Circumstances of the death")])
    adult = insert_document(store, "d" * 64, [(ABOUT_THE_SUBJECT, "Circumstances of the death")])
    store.execute("UPDATE documents SET subject_age = 15 WHERE doc_id = ?", ("c" * 64,))
    store.execute("UPDATE documents SET subject_age = 52 WHERE doc_id = ?", ("d" * 64,))
    tagger = Tagger.from_settings(settings, use_model=False)
    out = tmp_path / "tasks.jsonl"
    assert export_sample(store, tagger, 2, out) == 2
    accepted = {json.loads(line)["data"]["sid"]: set(json.loads(line)["accept"]) for line in out.read_text().splitlines()}
    mental = {"child_mental_health", "parental_mental_health"}
    assert accepted[young[0]] & mental == {"child_mental_health"}
    assert accepted[adult[0]] & mental == {"parental_mental_health"}
    # the Python call, like the CLI, leaves the Label Studio config beside the tasks, with every label
    config = (tmp_path / "tasks.label-studio.xml").read_text()
    assert all(f'value="{label}"' in config for label in tagger.taxonomy.ids)
