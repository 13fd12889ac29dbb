"""The model card's file name and reader, apart from the model so that reading a card (the web page's
label verdicts, `scr labels`) does not import scikit-learn."""

from __future__ import annotations

import json
from pathlib import Path

CARD = "model_card.json"


def read_card(model_dir: Path) -> dict | None:
    """The model card in `model_dir`, or None when there is none (rules-only mode)."""
    path = Path(model_dir) / CARD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
