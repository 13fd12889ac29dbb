"""Re-tagging in the nightly job after the tagger changed (a new model from `scr train`, an edited coding
frame or context rules, an upgrade of scr-themes).

`scr extract` re-tags every sentence tagged by another tagger version, but the nightly refresh only tagged
new documents, so after a change the store mixed two taggers until someone ran `scr extract` by hand (and
the briefing's counts mixed them too). Knowing the current tagger's version means building the tagger
(spaCy rules and the model: seconds), too slow for a refresh that finds nothing to do (about 0.1 s). So the
store keeps a fingerprint of the files the tagger is built from, taken when everything was last tagged; a
refresh compares it with the files (a few reads and hashes) and builds the tagger only when they differ.

    inputs = tagger_inputs(settings)
    if not up_to_date(conn, inputs): ... stale_doc_ids(conn, tagger.version) ... record(conn, inputs)
"""

from __future__ import annotations

import hashlib
import sqlite3

from pipeline.config import Settings, shipped_taxonomy_path
from pipeline.extract.card import CARD
from pipeline.store.connection import get_meta, set_meta, transaction

KEY = "extract.tagger_inputs"


def _installed_version() -> str:
    try:
        from importlib.metadata import version

        return version("scr-themes")
    except Exception:  # a source tree that was never installed
        return "source"


def tagger_inputs(settings: Settings) -> str:
    """A digest of what the tagger is built from: the coding frame, the shipped taxonomy (its learning-point
    cues are the fallback of a frame without them), the context rules, the model card (it names the model's
    version) and the installed scr-themes version (rule code). A missing file counts as absent."""
    digest = hashlib.sha256(_installed_version().encode())
    paths = (settings.path(settings.taxonomy), shipped_taxonomy_path(),
             settings.path(settings.extract.context_rules), settings.path(settings.extract.model_dir) / CARD)
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(absent)")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def up_to_date(conn: sqlite3.Connection, inputs: str) -> bool:
    """Whether every tagged sentence was tagged from these inputs (as recorded by `record`)."""
    return get_meta(conn, KEY) == inputs


def any_tagged(conn: sqlite3.Connection) -> bool:
    """Whether the store holds a tagged sentence (an empty store has nothing to tag again)."""
    return conn.execute("SELECT 1 FROM sentence_tagging LIMIT 1").fetchone() is not None


def stale_doc_ids(conn: sqlite3.Connection, tagger_version: str) -> list[str]:
    """Documents with a sentence tagged by another tagger version than `tagger_version`."""
    rows = conn.execute(
        "SELECT DISTINCT s.doc_id FROM sentences s JOIN sentence_tagging t ON t.sentence_id = s.sentence_id"
        " WHERE t.tagger_version != ? ORDER BY s.doc_id", (tagger_version,))
    return [row[0] for row in rows]


def record(conn: sqlite3.Connection, inputs: str) -> None:
    """Note that the whole store is tagged from `inputs` (call once every document is tagged)."""
    with transaction(conn):
        set_meta(conn, KEY, inputs)


def forget(conn: sqlite3.Connection) -> None:
    """Drop the fingerprint (after `scr extract --taxonomy/--rules-only` tagged with another tagger than the
    settings name): the next refresh then checks the tagging against the settings' tagger."""
    with transaction(conn):
        conn.execute("DELETE FROM meta WHERE key = ?", (KEY,))
