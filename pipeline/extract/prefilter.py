"""A spaCy Matcher that runs a token pattern only on sentences holding the words the pattern cannot match without.

spaCy's Matcher walks every pattern over every token; patterns with wide gaps ({OP: "{0,8}"}) make that slow
(the rules ran at a few hundred sentences a second). Most patterns need two or three particular words
("police" ... "call" ... "address"), and most sentences lack at least one of them. `FilteredMatcher` notes,
for each pattern, the word sets of its tokens that must occur (a token with a LEMMA/NORM or LOWER value or
IN list and no optional operator), and runs the pattern's own Matcher only when the sentence holds a word of
every set. The matches are exactly those of a plain Matcher over the same patterns.
"""

from __future__ import annotations

from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc

OPTIONAL = ("?", "*")


def required_words(pattern: list[dict]) -> list[frozenset[str]]:
    """Word sets (lower case) that must each be present for `pattern` (NORM/LOWER keys, already translated)."""
    out = []
    for token in pattern:
        op = str(token.get("OP", ""))
        if op in OPTIONAL or op.startswith("{0"):
            continue
        for key in ("NORM", "LOWER"):
            value = token.get(key)
            if isinstance(value, str):
                out.append(frozenset([value.lower()]))
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                out.append(frozenset(str(v).lower() for v in value["IN"]))
    return out


class FilteredMatcher:
    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self._entries: list[tuple[list[frozenset[str]], Matcher]] = []

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        for pattern in patterns:
            matcher = Matcher(self.vocab)
            matcher.add(key, [pattern])
            self._entries.append((required_words(pattern), matcher))

    def __len__(self) -> int:
        return len(self._entries)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self._entries:
            return []
        words = doc.user_data.get("words")
        if words is None:
            words = {t.norm_ for t in doc} | {t.lower_ for t in doc}
        found: set[tuple[int, int, int]] = set()
        for required, matcher in self._entries:
            if all(not words.isdisjoint(need) for need in required):
                found.update(matcher(doc))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))
