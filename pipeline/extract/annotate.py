"""The annotation loop: export sentences for labelling with the tagger's predictions pre-filled, and import
the corrections into corpus/annotations/imported.jsonl (training data for the next `scr train`).

Export writes one JSON object a line that both Label Studio and Prodigy read:
  - Label Studio: `data` (text, sid, doc_id, section) and `predictions` (choices for a Choices control named
    "labels" on the Text object "text"; denied risk factors as "not:<label>", the flag as "learning_point");
  - Prodigy (choice interface): `text`, `options`, `accept` (the pre-selected choices), `meta`.
Import reads our own evaluation format, Prodigy answers (`accept`, `answer`) or Label Studio exports
(`annotations[].result[].value.choices`), and keeps the last correction of each sentence.
"""

from __future__ import annotations

import json
import random
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from pipeline.errors import ConfigError, InputError
from pipeline.extract.annotations import ANNOTATIONS, field_problem, numbered_objects, read_jsonl
from pipeline.extract.run import subject_age
from pipeline.records import text_hash

LP_CHOICE = "learning_point"
NOT = "not:"


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    skipped: int
    """Lines rejected (ignored or skipped answers); lines with unknown labels are errors instead."""
    path: str


PICKS = ("random", "uncertain")
"""How `export_sample` chooses: evenly at random, or the sentences the tagger came closest to deciding the
other way on (uncertainty sampling: a label's or the learning-point score nearest its threshold). Measured
in two simulations on our real sentences, uncertain picks matched random ones on micro-F1 and did a little
better on macro-F1, within the noise (README, "The tagger"); random stays the default."""


def sample_sentences(conn: sqlite3.Connection, n: int, seed: int = 0,
                     exclude: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str, str, str | None]]:
    """(sid, doc_id, text, section) of `n` sentences drawn evenly at random from the store, leaving out those
    whose text hash is in `exclude` (sentences already corrected)."""
    rows = conn.execute("SELECT sentence_id, doc_id, text, section, text_hash FROM sentences "
                        "ORDER BY sentence_id").fetchall()
    rows = [(r[0], r[1], r[2], r[3]) for r in rows if r[4] not in exclude]
    rng = random.Random(seed)
    return sorted(rng.sample(rows, min(n, len(rows))))


def annotated_hashes(root: Path) -> set[str]:
    """Text hashes of the sentences already corrected through `scr annotate import` under `root`."""
    path = Path(root) / ANNOTATIONS / "imported.jsonl"
    return {text_hash(o["text"]) for o in read_jsonl(path)} if path.is_file() else set()


def margin(tagged: Any, thresholds: dict[str, float], lp_threshold: float | None) -> float:
    """How near the tagger came to deciding a sentence otherwise: the smallest distance between a label's
    score and that label's threshold, or the learning-point score and its threshold."""
    gaps = [abs(float(tagged.scores.get(label, 0.0)) - t) for label, t in thresholds.items()]
    if lp_threshold is not None:
        gaps.append(abs(float(tagged.learning_point_score) - lp_threshold))
    return min(gaps) if gaps else 1.0


def task_for(sid: str | None, doc_id: str | None, text: str, section: str | None, tagged: Any,
             labels: Sequence[str], version: str) -> dict:
    """One labelling task with the tagger's verdict (a records.TaggedSentence) pre-filled."""
    choices = list(tagged.labels) + [NOT + label for label in tagged.negated]
    if tagged.learning_point:
        choices.append(LP_CHOICE)
    options = [{"id": label, "text": label} for label in labels]
    options += [{"id": NOT + label, "text": NOT + label} for label in labels]
    options.append({"id": LP_CHOICE, "text": LP_CHOICE})
    return {
        "data": {"text": text, "sid": sid, "doc_id": doc_id, "section": section},
        "predictions": [{"model_version": version, "result": [
            {"from_name": "labels", "to_name": "text", "type": "choices", "value": {"choices": choices}}]}],
        "text": text, "options": options, "accept": choices,
        "meta": {"sid": sid, "doc_id": doc_id, "section": section, "scores": tagged.scores},
    }


def capped(order: Sequence[int], docs: Sequence[str], n: int, per_doc: int) -> list[int]:
    """The first `n` indices of `order`, taking at most `per_doc` from any one document (0: no cap)."""
    taken: dict[str, int] = {}
    out: list[int] = []
    for i in order:
        if len(out) == n:
            break
        if per_doc and taken.get(docs[i], 0) >= per_doc:
            continue
        taken[docs[i]] = taken.get(docs[i], 0) + 1
        out.append(i)
    return out


def export_sample(conn: sqlite3.Connection, tagger: Any, n: int, out: Path, seed: int = 0, pick: str = "random",
                  pool: int = 0, exclude: set[str] | frozenset[str] = frozenset(), per_doc: int = 0) -> int:
    """Write `n` store sentences as labelling tasks to `out`; returns the number written. `pick` (PICKS):
    "random", or "uncertain": the `n` of a random pool (`pool` sentences, default 10 x n and at least 2,000)
    with the smallest `margin`, which needs a trained model. `per_doc` (0: no cap) takes at most that many
    sentences from one document, so a long report, or one the tagger finds hard throughout, cannot fill
    the batch. Sentences in `exclude` are never drawn. The pre-filled verdicts are those `scr extract`
    stores: with each sentence's section and its document's subject age. Beside `out` goes the Label Studio
    labelling config the tasks need (`label_config_path(out)`), so the two never drift apart."""
    if pick not in PICKS:
        raise ValueError(f"pick must be one of {', '.join(PICKS)}")
    model = getattr(tagger, "model", None)
    if pick == "uncertain" and model is None:
        raise ConfigError("--pick uncertain needs the trained tagger model (models/tagger/); run `scr train`")
    if pick == "random":
        everything = n if not per_doc else conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        sample = sample_sentences(conn, everything, seed, exclude)
        if per_doc:
            order = list(range(len(sample)))
            random.Random(seed).shuffle(order)
            sample = [sample[i] for i in sorted(capped(order, [s[1] for s in sample], n, per_doc))]
    else:
        sample = sample_sentences(conn, max(pool or 10 * n, n, 2000), seed, exclude)
    ages = {doc_id: subject_age(conn, doc_id) for doc_id in {s[1] for s in sample}}
    tagged = tagger.tag([s[2] for s in sample], sids=[s[0] for s in sample], sections=[s[3] for s in sample],
                        subject_ages=[ages[s[1]] for s in sample])
    if pick == "uncertain":
        thresholds = {label: float(t) for label, t in zip(model.labels, model.label_model.thresholds_)}
        lp_threshold = float(model.lp_model.thresholds_[0])
        order = sorted(range(len(sample)), key=lambda i: (margin(tagged[i], thresholds, lp_threshold), sample[i][0]))
        keep = sorted(capped(order, [s[1] for s in sample], n, per_doc))
        sample, tagged = [sample[i] for i in keep], [tagged[i] for i in keep]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for (sid, doc_id, text, section), verdict in zip(sample, tagged):
            task = task_for(sid, doc_id, text, section, verdict, tagger.taxonomy.ids, tagger.version)
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    label_config_path(out).write_text(label_config(tagger.taxonomy.ids), encoding="utf-8")
    return len(sample)


def _choices(obj: dict) -> Any:
    """The chosen options of one imported line as given (checked by the caller), or None when it carries
    no answer."""
    if "annotations" in obj:  # Label Studio export
        done = [a for a in obj.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        if not done:
            return None
        results = [r for r in done[-1].get("result") or [] if isinstance(r, dict) and isinstance(r.get("value"), dict)]
        picked = [r["value"].get("choices") or [] for r in results]
        if not all(isinstance(p, list) for p in picked):
            return picked  # not lists of choices: the caller rejects them
        return [c for p in picked for c in p]
    if "answer" in obj:  # Prodigy
        return (obj.get("accept") or []) if obj["answer"] == "accept" else None
    return None


def correction_from(obj: dict, known: set[str], where: str) -> dict | None:
    """Our evaluation-format row from one imported line (None for a line without an answer). Values of the
    wrong type are errors, not coerced: `bool("false")` would import a learning point."""
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    text = obj.get("text") or data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "bad annotation line", "no sentence text")
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    choices = _choices(obj)
    if choices is None and "labels" not in obj:
        return None
    section = data.get("section") or meta.get("section") or obj.get("section")
    problem = field_problem({"section": section})
    if choices is None:  # our own format
        problem = problem or field_problem(obj, ("labels", "negated", "learning_point"))
    elif not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        problem = problem or f"the chosen options must be a list of strings, not {json.dumps(choices)[:40]}"
    if problem:
        raise InputError(where, "bad annotation line", problem)
    if choices is not None:
        labels = [c for c in choices if c != LP_CHOICE and not c.startswith(NOT)]
        negated = [c[len(NOT):] for c in choices if c.startswith(NOT)]
        lp = LP_CHOICE in choices
    else:
        labels, negated, lp = obj.get("labels") or [], obj.get("negated") or [], obj.get("learning_point") is True
    unknown = sorted(set(labels + negated) - known)
    if unknown:
        raise InputError(where, "bad annotation line", f"unknown label(s) {', '.join(unknown)}")
    doc = data.get("doc_id") or meta.get("doc_id") or obj.get("doc") or "unknown"
    return {"text": text, "labels": sorted(set(labels)), "negated": sorted(set(negated) - set(labels)),
            "learning_point": lp, "doc": f"imported:{str(doc)[:16]}", "section": section}


def read_tasks(path: Path) -> Iterator[tuple[str, dict]]:
    """(where, object) for each task of an import file: JSON Lines, or one JSON array of tasks, which is what
    Label Studio's standard "JSON" export writes. `where` names the file and line (or array position)."""
    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(4096).lstrip()
            whole = head.startswith("[")
            if whole:
                text = head + fh.read()
    except UnicodeDecodeError:
        raise InputError(str(path), "unreadable file", "not UTF-8 text") from None
    except OSError as exc:
        raise InputError(str(path), "unreadable file", exc.strerror or type(exc).__name__) from None
    if not whole:
        for number, obj in numbered_objects(path):
            yield f"{path}:{number}", obj
        return
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), "bad annotation file", f"not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(tasks, list):  # "[1] [2]" and the like
        raise InputError(str(path), "bad annotation file", "expected a JSON array of tasks or JSON Lines")
    for number, obj in enumerate(tasks, 1):
        if not isinstance(obj, dict):
            raise InputError(str(path), "bad annotation file", f"task {number} of the array: expected a JSON object")
        yield f"{path} (task {number} of the array)", obj


def import_corrections(path: Path, root: Path, labels: Sequence[str]) -> ImportReport:
    """Merge the corrections in `path` into corpus/annotations/imported.jsonl under `root`. Every line is
    checked before anything is written, so a bad line leaves the file as it was."""
    target = root / ANNOTATIONS / "imported.jsonl"
    existing = {text_hash(o["text"]): o for o in read_jsonl(target)} if target.is_file() else {}
    added = updated = skipped = 0
    for where, obj in read_tasks(Path(path)):
        row = correction_from(obj, set(labels), where)
        if row is None:
            skipped += 1
            continue
        key = text_hash(row["text"])
        updated += key in existing
        added += key not in existing
        existing[key] = row
    if added or updated:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".jsonl.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in existing.values():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.replace(target)
    return ImportReport(added, updated, skipped, str(target))


def label_config_path(out: Path) -> Path:
    """Where `scr annotate export --out tasks.jsonl` puts the Label Studio config: tasks.label-studio.xml."""
    return Path(out).with_suffix(".label-studio.xml")


def label_config(labels: Sequence[str]) -> str:
    """The Label Studio labelling config the exported tasks need: their `predictions` name a Choices control
    "labels" on the Text object "text", with every option task_for() can pre-fill (each label, each
    "not:<label>" and "learning_point"). Without it Label Studio shows no pre-filled choices."""
    view = ET.Element("View")
    ET.SubElement(view, "Text", name="text", value="$text")
    choices = ET.SubElement(view, "Choices", name="labels", toName="text", choice="multiple", showInLine="false")
    for value in [*labels, *(NOT + label for label in labels), LP_CHOICE]:
        ET.SubElement(choices, "Choice", value=value)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
