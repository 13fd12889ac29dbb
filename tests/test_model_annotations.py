"""The project's own annotations: valid labels, split by document, real-report labels kept as references
(real_refs.jsonl into ../shared/corpus/real, pfd_refs.jsonl into ../shared/corpus/pfd/reports.jsonl)."""

from __future__ import annotations

import collections
import json

import pytest

from pipeline.extract.annotations import PFD_SECTIONS, load_annotations, real_sentences, resolve_pfd, resolve_real
from pipeline.records import text_hash
from pipeline.extract.taxonomy import load_taxonomy


def test_annotations_use_taxonomy_labels_and_split_by_document(repo_root):
    ids = set(load_taxonomy(repo_root / "configs" / "taxonomy.yaml").ids)
    data = load_annotations(repo_root, real_dir=repo_root / "no-such-folder", pfd_file=repo_root / "no-such-file")
    assert len(data.train) + len(data.dev) >= 1300 and data.dev_real == () and data.real_resolved == 0
    for row in data.train + data.dev:
        assert set(row.labels) <= ids and set(row.negated) <= ids, row.doc
        assert not set(row.labels) & set(row.negated)
    assert not {r.doc for r in data.train} & {r.doc for r in data.dev}
    counts = collections.Counter(label for r in data.train + data.dev for label in r.labels)
    assert set(counts) == ids and min(counts.values()) >= 40
    assert sum(1 for r in data.dev if r.negated) >= 10 and any(r.learning_point for r in data.dev)


def test_real_references_hold_no_text_and_resolve(repo_root, real_dir):
    refs = repo_root / "corpus" / "annotations" / "real_refs.jsonl"
    rows = [json.loads(line) for line in refs.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150 and all("text" not in r for r in rows)
    train, dev, skipped = resolve_real(refs, real_dir)
    assert skipped == 0 and len(train) + len(dev) == len(rows)
    assert not {r.doc for r in train} & {r.doc for r in dev}
    first = rows[0]
    start, end, text, _ = real_sentences(real_dir / first["file"])[0]
    assert (start, end) == (first["start"], first["end"]) and train[0].text == text


def test_real_references_are_skipped_without_the_shared_folder(repo_root, tmp_path):
    refs = repo_root / "corpus" / "annotations" / "real_refs.jsonl"
    train, dev, skipped = resolve_real(refs, tmp_path / "absent")
    assert train == [] and dev == [] and skipped > 0


PFD_KEYS = {"report_id", "field", "start", "end", "sha", "labels", "negated", "learning_point", "doc", "split"}


def test_pfd_references_hold_no_text_and_cover_whole_reports(repo_root):
    refs = repo_root / "corpus" / "annotations" / "pfd_refs.jsonl"
    rows = [json.loads(line) for line in refs.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 600 and all(set(r) == PFD_KEYS for r in rows)
    sides = collections.defaultdict(set)
    for r in rows:
        sides[r["report_id"]].add(r["split"])
        assert r["doc"] == f"pfd-{r['report_id']}" and r["field"] in PFD_SECTIONS
    assert len(sides) >= 40 and all(len(s) == 1 for s in sides.values()), "a report must sit wholly on one side"
    dev_share = sum(s == {"dev"} for s in sides.values()) / len(sides)
    assert 0.2 <= dev_share <= 0.4
    assert sum(r["learning_point"] for r in rows) >= 150 and sum(not r["labels"] for r in rows) >= 200


def test_pfd_references_resolve_against_the_reports(repo_root, pfd_jsonl):
    """Every labelling batch (pfd_refs*.jsonl) resolves whole, keeps each report on one side of the split,
    and all of them reach the annotation set."""
    all_train, all_dev, n = [], [], 0
    for refs in sorted((repo_root / "corpus" / "annotations").glob("pfd_refs*.jsonl")):
        train, dev, skipped = resolve_pfd(refs, pfd_jsonl)
        lines = len(refs.read_text(encoding="utf-8").splitlines())
        assert skipped == 0 and len(train) + len(dev) == lines, refs.name
        all_train += train
        all_dev += dev
        n += lines
    assert n > 1000
    assert not {r.doc for r in all_train} & {r.doc for r in all_dev}
    assert all(r.source == "real" and r.section in PFD_SECTIONS.values() and r.text == r.text.strip()
               for r in all_train + all_dev)
    data = load_annotations(repo_root, real_dir=repo_root / "no-such-folder", pfd_file=pfd_jsonl)
    assert len(data.dev_real) == len(all_dev) and data.real_resolved == n
    assert not {r.doc for r in data.train} & {r.doc for r in data.dev_real}


def test_pfd_references_are_skipped_and_counted_without_the_reports(repo_root, tmp_path):
    refs = repo_root / "corpus" / "annotations" / "pfd_refs.jsonl"
    train, dev, skipped = resolve_pfd(refs, tmp_path / "absent.jsonl")
    assert train == [] and dev == [] and skipped == len(refs.read_text(encoding="utf-8").splitlines())


def test_a_pfd_reference_whose_text_changed_is_dropped(tmp_path):
    body = "The first sentence is here. The second one follows it."
    reports = tmp_path / "reports.jsonl"
    reports.write_text(json.dumps({"id": "r1", "concerns": body}) + "\n", encoding="utf-8")
    good = {"report_id": "r1", "field": "concerns", "start": 0, "end": 27, "sha": text_hash(body[:27]),
            "labels": ["risk_assessment"], "negated": [], "learning_point": True, "doc": "pfd-r1", "split": "dev"}
    stale = dict(good, start=28, end=len(body), sha=text_hash("something else"))
    refs = tmp_path / "pfd_refs.jsonl"
    refs.write_text("\n".join(json.dumps(r) for r in (good, stale)) + "\n", encoding="utf-8")
    train, dev, skipped = resolve_pfd(refs, reports)
    assert train == [] and skipped == 1
    assert [(r.text, r.labels, r.section) for r in dev] == [(body[:27], ("risk_assessment",), "Coroner's concerns")]


def test_the_labelling_scripts_reproduce_their_references(repo_root, real_dir, pfd_jsonl, tmp_path, monkeypatch):
    """The label specs address sentences by index under the project's splitter. Rerunning a script must give
    back the committed references byte for byte: when a change to the splitter moves a boundary in a labelled
    text, this fails (and the scripts refuse to overwrite), instead of labels sliding onto other sentences."""
    import importlib
    import sys

    folder = repo_root / "corpus" / "annotations"
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(sys, "argv", ["test"])
    for name, refs in (("label_pfd", "pfd_refs.jsonl"), ("label_pfd_a", "pfd_refs_a.jsonl"),
                       ("label_pfd_b", "pfd_refs_b.jsonl"), ("label_pfd_c", "pfd_refs_c.jsonl"),
                       ("make_real_refs", "real_refs.jsonl")):
        module = importlib.import_module(name)
        out = tmp_path / refs
        if name == "make_real_refs":
            module.main(out)
        else:
            module.write_refs(module.SPEC, out)
        assert out.read_text(encoding="utf-8") == (folder / refs).read_text(encoding="utf-8"), name


def test_the_labelling_scripts_refuse_a_moved_split(repo_root, tmp_path, monkeypatch):
    import sys

    monkeypatch.syspath_prepend(str(repo_root / "corpus" / "annotations"))
    monkeypatch.setattr(sys, "argv", ["test"])
    from label_pfd import check_same_split

    out = tmp_path / "refs.jsonl"
    written = [{"report_id": "r1", "field": "f", "start": 0, "end": 10, "sha": "a"},
               {"report_id": "r2", "field": "f", "start": 0, "end": 5, "sha": "b"}]
    out.write_text("".join(json.dumps(r) + "\n" for r in written), encoding="utf-8")
    check_same_split(written, out, "report_id")  # the same cut: fine
    moved = [dict(written[0], end=12, sha="c"), written[1]]
    with pytest.raises(SystemExit, match="r1") as refused:
        check_same_split(moved, out, "report_id")
    assert "r2" not in str(refused.value)
    monkeypatch.setattr(sys, "argv", ["test", "--resplit-ok"])
    check_same_split(moved, out, "report_id")


def test_remap_moves_labels_to_the_overlapping_sentence(repo_root, monkeypatch, capsys):
    """A marker that moved from the end of sentence 1 to the start of sentence 2, and a marker-only sentence
    that vanished: the labels follow their sentences, and a poor overlap is reported."""
    monkeypatch.syspath_prepend(str(repo_root / "corpus" / "annotations"))
    from remap_specs import _entry, remap

    old = [{"field": "f", "start": 0, "end": 20}, {"field": "f", "start": 21, "end": 24},
           {"field": "f", "start": 25, "end": 60}, {"field": "f", "start": 61, "end": 70}]
    new = [("f", 0, 20), ("f", 21, 60), ("f", 61, 66)]
    assert remap({0: "da", 2: "is L", 3: "L"}, old, new, "r1") == {0: "da", 1: "is L", 2: "L"}
    assert "sentence 3 -> 2 overlaps only 5 of 9" in capsys.readouterr().out
    assert _entry("r1", {0: "da", 1: "is L"}, "    ") == '    "r1": {0: "da", 1: "is L"}'
    long = _entry("r1", {i: "tg L" for i in range(30)}, "    ").splitlines()
    assert len(long) > 1 and all(len(line) <= 116 and line.count('"') % 2 == 0 for line in long)
