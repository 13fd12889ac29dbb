"""The spaCy pipeline every rule runs on: blank English, its tokenizer, and the lookup lemmatizer of
spacy-lookups-data applied to the lower-case text (no trained model, nothing downloaded).

Each token's NORM holds its lower-case lemma, so one PhraseMatcher(attr="NORM") matches "heard shouting"
and "hears shouting" alike, and token patterns compare LEMMA (compiled to NORM) without caring about case.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:  # spaCy is imported when a pipeline is built, not when the overrides are read
    from spacy.language import Language
    from spacy.tokens import Doc

# Lookup lemmas that would merge words the rules must keep apart ("housing" is not "house").
LEMMA_OVERRIDES = {"housing": "housing", "'s": "'s", "’s": "'s", "data": "data", "media": "media", "evening": "evening",
                   "lying": "lie", "recording": "recording", "recordings": "recording", "police": "police", "concerns": "concern", "wellbeing": "wellbeing",
                   "staffing": "staffing", "number": "number", "numbers": "number"}


class LemmaPipeline:
    """Tokenise and set lower-case lemmas as NORM. One instance per process is enough (see `shared`)."""

    def __init__(self) -> None:
        import spacy
        from spacy.lookups import load_lookups

        self.nlp: Language = spacy.blank("en")
        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self._table = table
        self._cache: dict[str, str] = dict(LEMMA_OVERRIDES)

    @property
    def vocab(self):
        return self.nlp.vocab

    def lemma(self, lower: str) -> str:
        found = self._cache.get(lower)
        if found is None:
            found = self._table.get(lower, lower)
            if not isinstance(found, str):
                found = lower
            self._cache[lower] = found
        return found

    def _set_norms(self, doc: Doc) -> Doc:
        words = set()
        for token in doc:
            lower = token.lower_
            norm = self.lemma(lower)
            token.norm_ = norm
            words.add(lower)
            words.add(norm)
        doc.user_data["words"] = frozenset(words)
        return doc

    def __call__(self, text: str) -> Doc:
        return self._set_norms(self.nlp.make_doc(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            yield self._set_norms(doc)

    def lemma_words(self, words: Iterable[str]) -> frozenset[str]:
        """Lower-case lemmas of single words (for `requires` lists)."""
        out = set()
        for word in words:
            for token in self(word):
                out.add(token.norm_)
        return frozenset(out)

    def lemma_phrase(self, phrase: str) -> tuple[str, ...]:
        return tuple(t.norm_ for t in self(phrase))


@lru_cache(maxsize=1)
def shared() -> LemmaPipeline:
    """The process-wide pipeline (loading the lookup table costs ~0.2 s)."""
    return LemmaPipeline()
