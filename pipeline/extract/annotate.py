"""The annotation loop: export sentences for labelling with the tagger's predictions pre-filled, and import
the corrections into corpus/annotations/imported.jsonl (training data for the next `scr train`).

Export writes one JSON object a line that both Label Studio and Prodigy read:
  - Label Studio: `data` (text, sid, doc_id, section) and `predictions` (choices for a Choices control named
    "labels" on the Text object "text"; denied risk factors as "not:<label>", the flag as "learning_point");
  - Prodigy (choice interface): `text`, `options` (each with the label's name as its text), `accept` (the
    pre-selected choices), `meta`.
Denied choices ("not:<label>") are offered only for the labels whose denials the tagger recognises (kinds in
the context rules' `applies_to_kinds`: risk factors); a learning theme carries its negation in its words.
Import reads our own evaluation format, Prodigy answers (`accept`, `answer`), Label Studio's JSON export
(`annotations[].result[].value.choices`) and its JSON-MIN export (flat rows: the task's data fields plus the
control "labels" holding one choice as a string, or several as a list or {"choices": [...]}), and keeps the
last correction of each sentence. A line it cannot use is an error naming the file, the line or array item,
and the cause.
"""

from __future__ import annotations

import html
import json
import random
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from pipeline.errors import ConfigError, InputError
from pipeline.extract.annotations import ANNOTATIONS, numbered_objects, read_jsonl
from pipeline.extract.run import subject_age
from pipeline.records import text_hash

LP_CHOICE = "learning_point"
NOT = "not:"
LP_TEXT = "Learning point"
LP_HINT = ("The sentence states a finding, lesson or recommendation about practice or the system, rather than "
           "narrating events of the case")
RISK_KIND = "risk_factor"


@dataclass(frozen=True)
class Choice:
    """One option of a labelling task: `value` is what the task files, Label Studio's results and the import
    hold (a label id, "not:<id>" or "learning_point"); `text` and `hint` are what the annotator reads."""

    value: str
    text: str
    hint: str = ""


def deniable_kinds(tagger: Any) -> frozenset[str]:
    """The kinds of label whose denials the tagger recognises: its context rules' `applies_to_kinds`
    (configs/context_rules.yaml), risk_factor where the tagger does not say."""
    kinds = getattr(getattr(getattr(tagger, "rules", None), "context", None), "applies_to_kinds", None)
    return frozenset(kinds) if kinds else frozenset({RISK_KIND})


def task_choices(taxonomy: Any, kinds: frozenset[str] | set[str] = frozenset({RISK_KIND})) -> list[Choice]:
    """Every option a task offers, in order: each label (its name, its description as the hint), then
    "not:<label>" for each label the tagger can find denied (kind in `kinds`, and no `ignore_context: [negated]`:
    "the father was never assessed" IS hidden men), then the learning-point flag."""
    from pipeline.report.labels import humanise

    labels = list(taxonomy.labels)
    out = [Choice(lab.id, lab.name or humanise(lab.id), lab.description) for lab in labels]
    out += [Choice(NOT + lab.id, f"not {lab.name or humanise(lab.id)}",
                   f"Mentioned but denied or ruled out: {lab.description}" if lab.description else "")
            for lab in labels if lab.kind in kinds and "negated" not in (lab.ignore_context or ())]
    out.append(Choice(LP_CHOICE, LP_TEXT, LP_HINT))
    return out


def uncertain_unavailable(settings: Any, taxonomy: Any) -> str:
    """Why `--pick uncertain` has no model to pick by: none trained, or one that knows labels the coding frame
    lacks (the tagger then drops it and runs on its rules alone, pipeline.extract.tagger)."""
    from pipeline.extract.card import labels_outside, read_card

    model_dir = settings.path(settings.extract.model_dir)
    card = read_card(model_dir)  # its labels are all this needs: no need to load the model itself
    missing = labels_outside((card or {}).get("labels"), taxonomy.ids)
    if card is None or not missing:
        return f"--pick uncertain needs the trained tagger model ({model_dir}/); run `scr train`"
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return (f"--pick uncertain: the trained tagger model ({model_dir}/) knows {len(missing)} label(s) the coding "
            f"frame {settings.path(settings.taxonomy)} lacks ({shown}), so the tagger runs on its rules alone and "
            "has no scores to pick by; run `scr train` to train a model for this frame, or use --pick random")


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
             offered: Sequence[Choice], version: str) -> dict:
    """One labelling task with the tagger's verdict (a records.TaggedSentence) pre-filled, among the options
    `offered` (task_choices)."""
    values = {c.value for c in offered}
    picked = list(tagged.labels) + [NOT + label for label in tagged.negated]
    if tagged.learning_point:
        picked.append(LP_CHOICE)
    choices = [c for c in picked if c in values]
    options = [{"id": c.value, "text": c.text} for c in offered]
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
    if pick == "uncertain" and model is None:  # (the CLI says why first: uncertain_unavailable)
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
    offered = task_choices(tagger.taxonomy, deniable_kinds(tagger))
    with open(out, "w", encoding="utf-8") as fh:
        for (sid, doc_id, text, section), verdict in zip(sample, tagged):
            task = task_for(sid, doc_id, text, section, verdict, offered, tagger.version)
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    label_config_path(out).write_text(label_config(offered), encoding="utf-8")
    return len(sample)


CONTROLS = ("labels", "choices")
"""What a JSON-MIN row may call the Choices control: "labels", as the config `scr annotate export` writes
names it, or "choices"."""
JSON_MIN_FIELDS = ("annotation_id", "annotator", "lead_time", "created_at", "updated_at")
"""Fields Label Studio's JSON-MIN export adds to each row beside the task's data and the controls."""
OURS = ("annotations", "answer", "data", "negated", "learning_point")
"""Keys of the other formats: a line with any of them is not read as JSON-MIN."""


def _describe(value: Any) -> str:
    """A value in a few words for an error message: short values as they are, longer ones by their kind and
    size, never a cut-off piece of JSON (nor more of a sentence's text than a few words)."""
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return f"the string {json.dumps(value, ensure_ascii=False)}" if len(value) <= 30 else \
            f"a string of {len(value)} characters"
    if isinstance(value, list):
        return "an empty list" if not value else f"a list of {len(value)} item{'s' if len(value) > 1 else ''}"
    if isinstance(value, dict):
        keys = [json.dumps(k if len(k) <= 30 else k[:30] + "\u2026", ensure_ascii=False) for k in list(value)[:3]]
        more = f" and {len(value) - 3} more" if len(value) > 3 else ""
        return f"an object with keys {', '.join(keys)}{more}" if value else "an empty object"
    return type(value).__name__


def _strings_problem(name: str, value: Any, wanted: str) -> str | None:
    """Why `value` is not a list of strings (None when it is): the first item that is not one, by number."""
    if not isinstance(value, list):
        return f"{name} must be {wanted}, not {_describe(value)}"
    for number, item in enumerate(value, 1):
        if not isinstance(item, str):
            return f"{name} must be {wanted}, but item {number} is {_describe(item)}"
    return None


def _field_problem(obj: dict, keys: Sequence[str]) -> str | None:
    """Why the gold-format fields `keys` of an imported line cannot be used (absent and null are allowed), as
    pipeline.extract.annotations.field_problem checks them, worded without echoing the value's JSON."""
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        if key in ("labels", "negated"):
            problem = _strings_problem(f"'{key}'", value, "a list of label ids")
        elif key == "learning_point":
            problem = None if isinstance(value, bool) else \
                f"'learning_point' must be true or false, not {_describe(value)}"
        else:
            problem = None if isinstance(value, str) else f"'{key}' must be a string or null, not {_describe(value)}"
        if problem:
            return problem
    return None


def _json_min(obj: dict) -> tuple[str, Any] | None:
    """(control name, value) when `obj` is a row of Label Studio's JSON-MIN export, else None. A row is read
    as one when it has none of the other formats' keys (OURS), holds a control (CONTROLS), and either carries
    JSON-MIN's own fields or the task's sid, or holds there what only JSON-MIN writes ({"choices": [...]}, a
    list with "learning_point" or a "not:" choice). A bare {"text", "labels": [...]} stays our own format,
    which reads it the same way, and {"text", "labels": "neglect"} stays a mistake in it. A row without its
    control carries no answer."""
    if any(key in obj for key in OURS):
        return None
    name = next((n for n in CONTROLS if n in obj), None)
    if name is None:
        return None
    value = obj[name]
    choice_like = isinstance(value, list) and any(isinstance(v, str) and (v == LP_CHOICE or v.startswith(NOT))
                                                  for v in value)
    if (name == "choices" or isinstance(value, dict) or choice_like or "sid" in obj
            or any(key in obj for key in JSON_MIN_FIELDS)):
        return name, value
    return None


def _choices(obj: dict) -> tuple[Any, str] | None:
    """(the chosen options of one imported line as given, what to call them in an error), or None when it
    carries no answer or is in our own format. The options are checked by the caller."""
    if "annotations" in obj:  # Label Studio's JSON export
        done = [a for a in obj.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        if not done:
            return None
        results = [r for r in done[-1].get("result") or [] if isinstance(r, dict) and isinstance(r.get("value"), dict)]
        picked = [r["value"].get("choices") or [] for r in results]
        if not all(isinstance(p, list) for p in picked):
            return next(p for p in picked if not isinstance(p, list)), "the chosen options"  # rejected
        return [c for p in picked for c in p], "the chosen options"
    if "answer" in obj:  # Prodigy
        return ((obj.get("accept") or []), "the chosen options") if obj["answer"] == "accept" else None
    row = _json_min(obj)
    if row is None:
        return None
    name, value = row  # JSON-MIN: one choice as a string, several as a list or as {"choices": [...]}
    if isinstance(value, dict) and list(value) == ["choices"]:
        value = value["choices"]
    return ([value] if isinstance(value, str) else value), f"'{name}' (Label Studio JSON-MIN)"


def correction_from(obj: dict, known: set[str], where: str) -> dict | None:
    """Our evaluation-format row from one imported line (None for a line without an answer). Values of the
    wrong type are errors, not coerced: `bool("false")` would import a learning point."""
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    text = obj.get("text") or data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "bad annotation line", "no sentence text")
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    found = _choices(obj)
    if found is None and "labels" not in obj:
        return None
    section = data.get("section") or meta.get("section") or obj.get("section")
    problem = _field_problem({"section": section}, ("section",))
    if found is None:  # our own format
        problem = problem or _field_problem(obj, ("labels", "negated", "learning_point"))
    else:
        choices, what = found
        problem = problem or _strings_problem(what, choices, "a list of strings" if what == "the chosen options"
                                              else 'one choice, a list of choices or {"choices": [...]}')
    if problem:
        raise InputError(where, "bad annotation line", problem)
    if found is not None:
        labels = [c for c in choices if c != LP_CHOICE and not c.startswith(NOT)]
        negated = [c[len(NOT):] for c in choices if c.startswith(NOT)]
        lp = LP_CHOICE in choices
    else:
        labels, negated, lp = obj.get("labels") or [], obj.get("negated") or [], obj.get("learning_point") is True
    unknown = sorted(set(labels + negated) - known)
    if unknown:
        raise InputError(where, "bad annotation line", f"unknown label(s) {', '.join(unknown)}")
    doc = data.get("doc_id") or meta.get("doc_id") or obj.get("doc_id") or obj.get("doc") or "unknown"
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


def label_config(offered: Sequence[Choice]) -> str:
    """The Label Studio labelling config the exported tasks need: their `predictions` name a Choices control
    "labels" on the Text object "text", with every option task_for() can pre-fill (task_choices). Without it
    Label Studio shows no pre-filled choices. Each <Choice> keeps the id as its `value` (what the results,
    the predictions and `scr annotate import` hold) and shows the label's name through `html` (Label Studio
    displays `html` in place of the value but exports the value); `hint` is the description, shown on hover.
    (`alias` is not used: it replaces the value in the results and is never displayed.)"""
    view = ET.Element("View")
    ET.SubElement(view, "Text", name="text", value="$text")
    control = ET.SubElement(view, "Choices", name="labels", toName="text", choice="multiple", showInLine="false")
    for choice in offered:
        attrs = {"value": choice.value, "html": html.escape(choice.text, quote=False)}
        if choice.hint:
            attrs["hint"] = choice.hint
        ET.SubElement(control, "Choice", attrs)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
