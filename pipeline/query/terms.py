"""From a researcher's query text to an FTS5 MATCH expression, and matched-word highlights."""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not of off on once only or other our ours out over own same she should so some such
    than that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours
    which reviews review passages passage sentences sentence concern concerning""".split()
)


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of the query, stop words dropped (unless nothing else is left), order kept,
    no repeats."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text or "")]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    content = [w for w in words if (w not in STOPWORDS and len(w) > 1) or w.isdigit()]
    return list(dict.fromkeys(content or words))


def fts_expression(terms: list[str]) -> str | None:
    """An FTS5 expression matching any of the terms (each quoted, so no FTS syntax leaks in)."""
    if not terms:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def fts_all_expression(terms: list[str]) -> str | None:
    """An FTS5 expression matching sentences with every one of the terms."""
    if not terms:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _stem(term: str) -> str:
    """A crude stem so 'abuse' highlights 'abused' and 'children' highlights 'child'-ren (porter-ish)."""
    for suffix in ("ing", "ies", "ied", "ed", "es", "s", "e", "y"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def highlight_spans(text: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    """Character spans of words in `text` that match a query term (by a shared stem)."""
    if not terms:
        return ()
    return tuple((m.start(), m.end()) for m in _term_pattern(tuple(terms)).finditer(text))


@functools.lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    stems = sorted({re.escape(_stem(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(stems) + r")[^\W_]{0,4}(?![^\W_])", re.IGNORECASE)


def split_highlights(text: str, spans) -> list[tuple[str, bool]]:
    """The text cut into (piece, highlighted) pairs, for terminals and templates."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out
