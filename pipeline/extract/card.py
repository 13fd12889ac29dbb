"""The model card's file name and reader, apart from the model so that reading a card (the web page's
label verdicts, `scr labels`) does not import scikit-learn."""

from __future__ import annotations

import json
from pathlib import Path

CARD = "model_card.json"


def labels_outside(model_labels, frame_ids) -> list[str]:
    """The model's labels a coding frame lacks, in the model's order. When there are any, the tagger leaves
    the model out and tags with the rules alone (its features would not fit the frame); `scr labels`, the
    CLI's notice and `annotate export --pick uncertain` all follow this one rule."""
    frame = set(frame_ids)
    return [label for label in model_labels or () if label not in frame]


def read_card(model_dir: Path) -> dict | None:
    """The model card in `model_dir`, or None when there is none (rules-only mode)."""
    path = Path(model_dir) / CARD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
