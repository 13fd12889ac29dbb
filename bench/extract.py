"""Extraction throughput: sentences/s for the rules with assertion context alone, and for the whole tagger
(rules + embedding + trained model) when a model is trained. Inputs: the project's annotated sentences."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.run import Row

REPO = Path(__file__).resolve().parents[1]


def _sentences(n: int) -> list[str]:
    texts = []
    for name in ("dev.jsonl", "train.jsonl"):
        path = REPO / "corpus" / "annotations" / name
        if path.is_file():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not texts:
        texts = ["There was no evidence of domestic abuse.", "Police were called after neighbours heard shouting."]
    return (texts * (n // len(texts) + 1))[:n]


def bench(quick: bool) -> list[Row]:
    from pipeline.config import load_settings
    from pipeline.extract.tagger import Tagger

    settings = load_settings(REPO / "configs" / "settings.yaml")
    texts = _sentences(2000 if quick else 10000)
    rules_only = Tagger.from_settings(settings, use_model=False)
    rules_only.tag(texts[:50])
    started = time.perf_counter()
    rules_only.rules.tag(texts)
    rules_rate = len(texts) / (time.perf_counter() - started)
    rows = [Row("extract", "rules + assertion context", rules_rate, "sentences/s",
                notes=f"{len(texts)} annotated sentences, spaCy blank en + lookup lemmas")]
    full = Tagger.from_settings(settings)
    if full.model is None:
        rows.append(Row("extract", "whole tagger", rules_rate, "sentences/s", notes="no trained model: rules alone"))
        return rows
    sample = texts[: 500 if quick else 2000]
    full.tag(sample[:32])
    started = time.perf_counter()
    full.tag(sample)
    full_rate = len(sample) / (time.perf_counter() - started)
    rows.append(Row("extract", "whole tagger (rules + embedding + model)", full_rate, "sentences/s",
                    baseline="rules alone", baseline_value=rules_rate,
                    notes=f"{len(sample)} sentences, embedder {full.embedder.name}, uncached"))
    return rows
