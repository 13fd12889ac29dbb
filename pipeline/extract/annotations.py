"""The project's annotated sentences (corpus/annotations/): load, resolve references, split by document.

- train.jsonl / dev.jsonl: sentences the team wrote, one JSON object a line in the TAXONOMY.md evaluation
  format plus `doc` (pseudo-document id) and `section`.
- real_refs.jsonl: labels on sentences of the real reports in ../shared/corpus/real, stored as references
  only (file name, character offsets, sentence hash), never as text. They resolve at run time when the
  folder exists (a reference whose text no longer hashes the same is dropped) and are skipped otherwise.
- pfd_refs.jsonl: labels on every sentence of real Prevention of Future Deaths reports in
  ../shared/corpus/pfd/reports.jsonl, by reference (report id, field, offsets into the field, hash).
- imported.jsonl: corrections brought in by `scr annotate import` (training data).

Real references whose report belongs to the dev side form the REAL dev set (`dev_real`), scored apart
from the synthetic dev set (`dev`, dev.jsonl) because it is the distribution the tagger is judged on.

`training_annotations(root, standalone)` is what `scr train` learns from under a config rooted at `root`: the
project's annotations (`project_root`: under `root` when it holds them, else, for a config outside a `configs/`
folder such as /etc/scr-themes, under the install root) plus, when that is another folder, the corrections
`scr annotate import` wrote under `root`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from pipeline.errors import InputError
from pipeline.jsonl import json_lines
from pipeline.records import text_hash

ANNOTATIONS = Path("corpus/annotations")
REAL_DIR = Path("../shared/corpus/real")
PFD_FILE = Path("../shared/corpus/pfd/reports.jsonl")
PFD_SECTIONS = {"investigation": "Investigation and inquest", "circumstances": "Circumstances of the death",
                "concerns": "Coroner's concerns"}
"""The headings of the PFD report form, given to each field's sentences as their section."""


@dataclass(frozen=True)
class Annotated:
    text: str
    labels: tuple[str, ...]
    negated: tuple[str, ...] = ()
    learning_point: bool = False
    doc: str = ""
    section: str | None = None
    source: str = "ours"
    """'ours' (written by the team), 'real' (a reference into a real report) or 'imported'."""


@dataclass(frozen=True)
class AnnotationSet:
    train: tuple[Annotated, ...]
    dev: tuple[Annotated, ...]
    """The synthetic dev set (dev.jsonl): sentences the team wrote, split from train by document."""
    real_skipped: int = 0
    """Real-report references that could not be resolved (folder absent or text changed)."""
    files: tuple[Path, ...] = field(default_factory=tuple)
    dev_real: tuple[Annotated, ...] = ()
    """The REAL dev set: resolved references into real reports whose report is on the dev side."""
    real_resolved: int = 0
    """Real-report references resolved (train and dev_real together)."""
    sources: tuple[tuple[Path, int], ...] = ()
    """(file, training sentences it gave) for each file that gave any: where the training data came from."""


GOLD_FIELDS = ("labels", "negated", "learning_point", "section")


def field_problem(obj: dict, keys: tuple[str, ...] = GOLD_FIELDS) -> str | None:
    """Why the gold-format fields `keys` of one input line cannot be used, or None when they can.

    Checked where lines come in (`scr tag`, `scr evaluate`, `scr annotate import`), because a loose value
    does not fail there but later and far away: a numeric section crashes the learning-point scorer,
    `bool("false")` is True, and `list("neglect")` is seven one-letter labels. Absent and null are allowed."""
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        if key in ("labels", "negated") and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return f"'{key}' must be a list of label ids, not {json.dumps(value)[:40]}"
        if key == "learning_point" and not isinstance(value, bool):
            return f"'learning_point' must be true or false, not {json.dumps(value)[:40]}"
        if key == "section" and not isinstance(value, str):
            return f"'section' must be a string or null, not {json.dumps(value)[:40]}"
    return None


def _row(obj: dict, where: str, source: str) -> Annotated:
    if not isinstance(obj.get("text"), str) or not obj["text"].strip():
        raise InputError(where, "bad annotation line", "every line needs a non-empty 'text'")
    problem = field_problem(obj)  # a hand-edited train.jsonl is checked as strictly as an import
    if problem:
        raise InputError(where, "bad annotation line", problem)
    return Annotated(
        text=obj["text"], labels=tuple(obj.get("labels") or ()), negated=tuple(obj.get("negated") or ()),
        learning_point=obj.get("learning_point") is True, doc=str(obj.get("doc") or ""),
        section=obj.get("section"), source=source,
    )


def numbered_objects(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each line of an annotation file; a line that is not an object is an error."""
    for number, obj in json_lines(path, "bad annotation line"):
        if not isinstance(obj, dict):
            raise InputError(str(path), "bad annotation line", f"line {number}: expected a JSON object")
        yield number, obj


def read_jsonl(path: Path) -> Iterator[dict]:
    return (obj for _, obj in numbered_objects(path))


def load_rows(path: Path, source: str = "ours") -> list[Annotated]:
    """The annotated rows of one file; a bad line is an error naming the file and line."""
    return [_row(obj, f"{path}:{n}", source) for n, obj in numbered_objects(path)] if path.is_file() else []


# --- real-report sentences, by reference ---------------------------------------------------------------

_HEADING = re.compile(r"^[A-Z][A-Z '’&,()-]{3,}$")
_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z(“\"‘])")


def real_sentences(path: Path) -> list[tuple[int, int, str, str | None]]:
    """(start, end, text, section) for each sentence of a plain-text report; offsets into the file text.

    Sentences are cut inside each line at full stops followed by a capital; all-capital lines are headings
    and give the section of the sentences below them."""
    text = path.read_text(encoding="utf-8")
    out: list[tuple[int, int, str, str | None]] = []
    section: str | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped and _HEADING.match(stripped):
            section = stripped.title()
        elif stripped:
            pos = 0
            for piece in _SPLIT.split(body):
                start = body.index(piece, pos)
                pos = start + len(piece)
                sentence = piece.strip()
                if len(sentence) >= 20:
                    lead = len(piece) - len(piece.lstrip())
                    out.append((offset + start + lead, offset + start + lead + len(sentence), sentence, section))
        offset += len(line)
    return out


def resolve_real(refs_path: Path, real_dir: Path) -> tuple[list[Annotated], list[Annotated], int]:
    """Resolve real_refs.jsonl into (train, dev) rows; returns the number of references skipped."""
    if not refs_path.is_file():
        return [], [], 0
    refs = list(read_jsonl(refs_path))
    if not real_dir.is_dir():
        return [], [], len(refs)
    texts: dict[str, str | None] = {}
    train, dev, skipped = [], [], 0
    for ref in refs:
        name = str(ref.get("file", ""))
        if name not in texts:
            path = real_dir / name
            texts[name] = path.read_text(encoding="utf-8") if path.is_file() else None
        body = texts[name]
        start, end = int(ref.get("start", -1)), int(ref.get("end", -1))
        if body is None or not 0 <= start < end <= len(body) or text_hash(body[start:end]) != ref.get("sha"):
            skipped += 1
            continue
        row = _row(dict(ref, text=body[start:end], doc=f"real:{Path(name).stem}"), str(refs_path), "real")
        (dev if ref.get("split") == "dev" else train).append(row)
    return train, dev, skipped


def _pfd_reports(path: Path, wanted: set[str]) -> dict[str, dict]:
    reports: dict[str, dict] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and row.get("id") in wanted:
                reports[row["id"]] = row
    return reports


def resolve_pfd(refs_path: Path, pfd_file: Path) -> tuple[list[Annotated], list[Annotated], int]:
    """Resolve pfd_refs.jsonl against the PFD reports file into (train, dev) rows; returns the number of
    references skipped (file absent, report or field missing, or text that no longer hashes the same)."""
    if not refs_path.is_file():
        return [], [], 0
    refs = list(read_jsonl(refs_path))
    if not pfd_file.is_file():
        return [], [], len(refs)
    reports = _pfd_reports(pfd_file, {str(r.get("report_id")) for r in refs})
    train, dev, skipped = [], [], 0
    for ref in refs:
        report = reports.get(str(ref.get("report_id")))
        name = str(ref.get("field", ""))
        body = report.get(name) if report else None
        start, end = int(ref.get("start", -1)), int(ref.get("end", -1))
        if not isinstance(body, str) or not 0 <= start < end <= len(body) or text_hash(body[start:end]) != ref.get("sha"):
            skipped += 1
            continue
        row = _row(dict(ref, text=body[start:end], doc=ref.get("doc") or f"pfd-{ref['report_id']}",
                        section=PFD_SECTIONS.get(name)), str(refs_path), "real")
        (dev if ref.get("split") == "dev" else train).append(row)
    return train, dev, skipped


def load_annotations(root: Path, real_dir: Path | None = None, pfd_file: Path | None = None) -> AnnotationSet:
    """All annotated sentences under `root`/corpus/annotations, with real references resolved (those into
    ../shared are skipped, and counted, when it is absent)."""
    folder = root / ANNOTATIONS
    real_dir = real_dir if real_dir is not None else (root / REAL_DIR)
    pfd_file = pfd_file if pfd_file is not None else (root / PFD_FILE)
    train = load_rows(folder / "train.jsonl") + load_rows(folder / "imported.jsonl", "imported")
    dev = load_rows(folder / "dev.jsonl")
    real_train, real_dev, skipped = resolve_real(folder / "real_refs.jsonl", real_dir)
    pfd_train, pfd_dev, pfd_skipped = [], [], 0
    pfd_refs = sorted(folder.glob("pfd_refs*.jsonl"))  # one file per labelling batch (label_pfd*.py)
    pfd_given: list[tuple[Path, int]] = []
    for refs in pfd_refs:
        more_train, more_dev, more_skipped = resolve_pfd(refs, pfd_file)
        pfd_given.append((refs, len(more_train)))
        pfd_train += more_train
        pfd_dev += more_dev
        pfd_skipped += more_skipped
    names = ("train.jsonl", "dev.jsonl", "imported.jsonl", "real_refs.jsonl")
    files = tuple(p for p in (folder / n for n in names) if p.is_file()) + tuple(pfd_refs)
    resolved = len(real_train) + len(real_dev) + len(pfd_train) + len(pfd_dev)
    given = [(folder / "train.jsonl", sum(r.source == "ours" for r in train)),
             (folder / "imported.jsonl", sum(r.source == "imported" for r in train)),
             (folder / "real_refs.jsonl", len(real_train))] + pfd_given
    return AnnotationSet(tuple(train + real_train + pfd_train), tuple(dev), skipped + pfd_skipped, files,
                         tuple(real_dev + pfd_dev), resolved, tuple((p, n) for p, n in given if n))


PROJECT_FILES = ("train.jsonl", "dev.jsonl", "real_refs.jsonl", "pfd_refs*.jsonl")
"""The project's own annotation files (imported.jsonl aside: `scr annotate import` writes that one under any
config root, so a folder holding only it is not the project's annotations)."""


def holds_project_annotations(root: Path) -> bool:
    """Whether `root`/corpus/annotations holds any of the project's own annotation files (PROJECT_FILES)."""
    folder = Path(root) / ANNOTATIONS
    return any(any(folder.glob(pattern)) for pattern in PROJECT_FILES) if folder.is_dir() else False


def project_root(root: Path, standalone: bool = True) -> Path:
    """The folder whose corpus/annotations hold the project's annotations for a config rooted at `root`: `root`
    when it holds them, else (for a `standalone` config: one outside a `configs/` folder, e.g. in /etc) the
    install root when it does, else `root`. Unlike a bare check for the folder, a config root holding only
    imported.jsonl does not count: `scr annotate import` writes that under any config root."""
    from pipeline.config import install_root

    for candidate in (Path(root), install_root()) if standalone else (Path(root),):
        if holds_project_annotations(candidate):
            return candidate
    return Path(root)


def training_annotations(root: Path, standalone: bool = True) -> AnnotationSet:
    """The annotated sentences `scr train` learns from under a config rooted at `root`: the project's
    (`project_root(root, standalone)`, with its dev sets and real references) plus, when that is another
    folder, the corrections `scr annotate import` wrote under `root` (corpus/annotations/imported.jsonl)."""
    root = Path(root)
    project = project_root(root, standalone)
    data = load_annotations(project)
    if project.resolve() == root.resolve():
        return data
    path = root / ANNOTATIONS / "imported.jsonl"
    extra = tuple(load_rows(path, "imported"))
    if not extra:
        return data
    return replace(data, train=data.train + extra, files=data.files + (path,),
                   sources=data.sources + ((path, len(extra)),))
