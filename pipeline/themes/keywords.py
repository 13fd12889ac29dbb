"""Theme keywords: class-based TF-IDF (each theme's sentences as one document) over lemmas and bigrams.

weight(t, c) = tf(t, c) / words(c) * log(1 + mean words per class / total frequency of t), as in c-TF-IDF.
Lemmas come from spaCy's lookup table (as in pipeline.extract.lemmas). What never becomes a keyword:
- English stop words and the words of `KeywordRules.stop` (configs/theme_stopwords.txt: months, days, the
  report's own vocabulary such as "report", "inquest", "coroner");
- numbers and dates (any token with a digit);
- people's and places' names, detected cheaply: a word written capitalised (not all capitals) in most of its
  occurrences that are not sentence-initial, and not one of the domain words (the taxonomy's vocabulary);
- generic terms: present in more than `generic_share` of the themes (when there are at least 5).
Stop words are dropped before bigrams are formed, so "information was not shared" gives "information",
"share" and "information share"; a dropped name or number breaks the bigram chain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]|\d[\d/.,:-]*|[.!?;:]")
_BREAK = None
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "no", "rev", "sgt", "pc", "insp", "det"})
"""Abbreviations whose full stop does not end a sentence ("Dr. Mistry")."""
MAX_BIGRAM_GAP = 2
"""Two kept lemmas make a bigram only when at most this many stop words stood between them."""


@dataclass(frozen=True)
class KeywordRules:
    stop: frozenset[str] = frozenset()
    """Extra stop words (lower case), on top of scikit-learn's English list."""
    domain: frozenset[str] = frozenset()
    """Lower-case words that are never taken for names even when written capitalised."""
    generic_share: float = 0.6
    min_themes_for_generic: int = 5
    proper_share: float = 0.8
    """A word is a name when at least this share of its mid-sentence occurrences is capitalised."""


def read_word_list(path: Path) -> frozenset[str]:
    """Lower-case words of a one-word-per-line file ('#' comments); empty when the file is missing."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(w for w in (line.split("#", 1)[0].strip().lower() for line in lines) if w)


def taxonomy_words(path: Path) -> frozenset[str]:
    """Every word of the taxonomy file's names, descriptions and phrases, lower case."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text))


def keyword_rules(settings) -> KeywordRules:
    """The rules of the settings: stop list file, taxonomy vocabulary, generic share."""
    return KeywordRules(stop=read_word_list(settings.path(settings.cluster.stopwords)),
                        domain=taxonomy_words(settings.path(settings.taxonomy)),
                        generic_share=settings.cluster.generic_theme_share)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"nt", "'s", "s"}


@lru_cache(maxsize=1)
def _lemma():
    """The English lookup lemmas of spacy-lookups-data (the table pipeline.extract.lemmas uses), read
    directly: importing spaCy itself costs seconds and is not needed for a dictionary look-up."""
    try:
        import gzip
        import json as _json

        import spacy_lookups_data

        with gzip.open(str(spacy_lookups_data.get_file("en_lemma_lookup.json.gz")), "rt", encoding="utf-8") as fh:
            table = _json.load(fh)
        from pipeline.extract.lemmas import LEMMA_OVERRIDES  # words the table folds wrongly

        table.update(LEMMA_OVERRIDES)
        return lambda word: table.get(word, word)
    except Exception:  # lookups unavailable: plain lower-case words still give usable keywords
        return lambda word: word


def _tokens(text: str) -> Iterable[tuple[str, bool]]:
    """(token, sentence-initial) pairs; punctuation tokens mark sentence ends."""
    initial, previous = True, ""
    for tok in _TOKEN.findall(text):
        if tok in ".!?;:":
            initial = tok in ".!?" and previous.lower() not in _TITLES
            previous = tok
            continue
        yield tok, initial
        initial, previous = False, tok


def proper_names(texts: Iterable[str], domain: frozenset[str] = frozenset(), share: float = 0.8) -> frozenset[str]:
    """Lower-case forms of words written capitalised in >= `share` of their mid-sentence occurrences."""
    capital, seen = Counter(), Counter()
    for text in texts:
        for tok, initial in _tokens(text):
            if initial or not tok[0].isalpha():
                continue
            low = tok.lower()
            seen[low] += 1
            if tok[0].isupper() and not tok.isupper():
                capital[low] += 1
    return frozenset(w for w, n in capital.items() if n >= share * seen[w] and w not in domain)


def lemma_terms(text: str, stop: frozenset[str] = frozenset(), names: frozenset[str] = frozenset()) -> list[str]:
    """Lemmas (stop words, numbers and names dropped) and the bigrams of neighbouring kept lemmas."""
    stop_all, lemma = _stop_words() | stop, _lemma()
    words: list[str | None] = []
    gap = 0
    for tok, _ in _tokens(text):
        low = tok.lower().strip("'-")
        if not tok[0].isalpha() or low in names:
            words.append(_BREAK)
            continue
        lem = lemma(low)
        if len(lem) > 2 and low not in stop_all and lem not in stop_all:
            if gap > MAX_BIGRAM_GAP:
                words.append(_BREAK)
            words.append(lem)
            gap = 0
        else:
            gap += 1
    kept = [w for w in words if w is not _BREAK]
    bigrams = [f"{a} {b}" for a, b in zip(words, words[1:]) if a and b and a != b]
    return kept + bigrams


def _generic(counts, sentences: np.ndarray, rules: KeywordRules) -> np.ndarray:
    """Mask of terms present (in >= 1% of a theme's sentences, at least 2) in more than generic_share of themes."""
    n_themes = counts.shape[0]
    if n_themes < rules.min_themes_for_generic:
        return np.zeros(counts.shape[1], dtype=bool)
    floor = np.maximum(2.0, 0.01 * sentences)
    present = (counts.multiply(1.0 / floor[:, None]).tocsr() >= 1.0)
    spread = np.asarray(present.sum(axis=0)).ravel() / n_themes
    return spread > rules.generic_share


def theme_keywords(texts_by_theme: Mapping[Hashable, Sequence[str]], top: int = 8,
                   rules: KeywordRules | None = None) -> dict[Hashable, tuple[str, ...]]:
    """Top `top` c-TF-IDF terms per theme; ties broken alphabetically, so the result is deterministic."""
    from sklearn.feature_extraction.text import CountVectorizer

    rules = rules or KeywordRules()
    keys = list(texts_by_theme)
    if not keys:
        return {}
    names = proper_names((t for k in keys for t in texts_by_theme[k]), rules.domain, rules.proper_share)
    docs = [" . ".join(texts_by_theme[k]) for k in keys]
    vectoriser = CountVectorizer(analyzer=lambda text: lemma_terms(text, rules.stop, names), min_df=1)
    try:
        counts = vectoriser.fit_transform(docs).astype(np.float64)
    except ValueError:  # no terms at all
        return {k: () for k in keys}
    terms = np.asarray(vectoriser.get_feature_names_out())
    generic = _generic(counts, np.array([len(texts_by_theme[k]) for k in keys], dtype=np.float64), rules)
    words_per_class = np.asarray(counts.sum(axis=1)).ravel()
    tf = counts.multiply(1.0 / np.clip(words_per_class, 1, None)[:, None]).tocsr()
    freq = np.asarray(counts.sum(axis=0)).ravel()
    idf = np.log1p(words_per_class.mean() / np.clip(freq, 1, None))
    idf[generic] = 0.0
    weights = tf.multiply(idf[None, :]).tocsr()
    out: dict[Hashable, tuple[str, ...]] = {}
    for row, key in enumerate(keys):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        cols, vals = weights.indices[start:end], weights.data[start:end]
        keep = vals > 0
        cols, vals = cols[keep], vals[keep]
        order = np.lexsort((terms[cols], -np.round(vals, 12)))
        chosen: list[str] = []
        for i in order:
            term = str(terms[cols[i]])
            if any(term in c.split(" ") or c in term.split(" ") for c in chosen if " " in c or " " in term):
                continue  # skip a word already inside a chosen bigram (and vice versa)
            chosen.append(term)
            if len(chosen) == top:
                break
        out[key] = tuple(chosen)
    return out
