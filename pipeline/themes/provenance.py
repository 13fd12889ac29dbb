"""What the themes were built with, and whether that still holds.

Themes are named after the coding frame's labels and drawn from the sentences the tagger marked, so a theme
set built under one coding frame or tagger does not fit another: its names are labels the frame may no
longer have, and sentences the new tags no longer mark leave themes empty. The store keeps what the themes
were built with beside them (meta keys `themes.taxonomy_version`, the coding frame's version, and
`themes.tagger_versions`, the tagger versions of the stored tags, written in the themes' own transaction);
`stale_reason` compares them with the current ones. A difference rebuilds the themes (IDs carried over by
pipeline.themes.stable_ids, as on any rebuild), and the reason is said in one line.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from pipeline.config import Settings
from pipeline.store.connection import get_meta, set_meta

TAXONOMY_KEY = "themes.taxonomy_version"
TAGGER_KEY = "themes.tagger_versions"


@dataclass(frozen=True)
class BuiltWith:
    taxonomy: str | None
    """The coding frame's version (None: the taxonomy file could not be read)."""
    taggers: tuple[str, ...]
    """The tagger versions of the stored tags, sorted (one, unless tagging is half done)."""


def frame_version(settings: Settings) -> str | None:
    """The configured coding frame's version, as pipeline.extract.taxonomy gives it (the first 12 hex digits of
    the sha256 of the file's text), without parsing the file: a refresh with nothing new checks it in
    microseconds. None when the file cannot be read."""
    try:
        text = settings.path(settings.taxonomy).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def current(conn: sqlite3.Connection, settings: Settings, then: BuiltWith | None = None) -> BuiltWith:
    """What the themes would stand on now. Given what they were built with (`then`), the usual case (one
    tagger version, still the only one) costs one scan that stops at the first row of another version."""
    taxonomy = frame_version(settings)
    if then is not None and len(then.taggers) == 1:
        other = conn.execute("SELECT 1 FROM sentence_tagging WHERE tagger_version != ? LIMIT 1", then.taggers)
        if other.fetchone() is None and conn.execute("SELECT 1 FROM sentence_tagging LIMIT 1").fetchone():
            return BuiltWith(taxonomy, then.taggers)
    taggers = tuple(r[0] for r in conn.execute("SELECT DISTINCT tagger_version FROM sentence_tagging ORDER BY 1"))
    return BuiltWith(taxonomy, taggers)


def recorded(conn: sqlite3.Connection) -> BuiltWith | None:
    """What the themes were built with; None for themes built before the store recorded it."""
    taggers = get_meta(conn, TAGGER_KEY)
    if taggers is None:
        return None
    return BuiltWith(get_meta(conn, TAXONOMY_KEY) or None, tuple(json.loads(taggers)))


def record(conn: sqlite3.Connection, built: BuiltWith) -> None:
    """Keep what the themes now stand on (inside the caller's transaction)."""
    if built.taxonomy is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (TAXONOMY_KEY,))
    else:
        set_meta(conn, TAXONOMY_KEY, built.taxonomy)
    set_meta(conn, TAGGER_KEY, json.dumps(list(built.taggers)))


def _frame_labels(settings: Settings) -> set[str] | None:
    from pipeline.errors import ConfigError
    from pipeline.extract.taxonomy import load_taxonomy

    try:
        return set(load_taxonomy(settings.path(settings.taxonomy)).ids)
    except ConfigError:
        return None


def _listed(items, most: int = 4) -> str:
    items = list(items)
    return ", ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")


def stale_reason(conn: sqlite3.Connection, settings: Settings, now: BuiltWith | None = None,
                 check_labels: bool = True) -> str | None:
    """Why the active themes no longer fit the store's coding frame or tags (one line), or None when they do
    (or there are none). Themes built before this was recorded are judged by their labels: stale when one
    names a label the current frame lacks (`check_labels`; it parses the taxonomy, so a refresh with
    nothing new leaves it to the next theme update)."""
    active = [r[0] for r in conn.execute("SELECT label FROM themes WHERE status = 'active'")]
    if not active:
        return None
    then = recorded(conn)
    if then is None:
        frame = _frame_labels(settings) if check_labels else None
        gone = sorted({label for label in active if label and label not in frame}) if frame is not None else []
        if gone:
            return f"the themes name labels the coding frame does not have ({_listed(gone)})"
        return None
    now = now or current(conn, settings, then)
    if then.taxonomy and now.taxonomy and then.taxonomy != now.taxonomy:
        return f"the coding frame changed since the themes were built (taxonomy {then.taxonomy} -> {now.taxonomy})"
    if then.taggers != now.taggers:
        return (f"the tags changed since the themes were built (tagger {_listed(then.taggers) or 'none'} -> "
                f"{_listed(now.taggers) or 'none'})")
    return None
