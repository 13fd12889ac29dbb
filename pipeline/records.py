"""Typed records that cross stage boundaries. Frozen dataclasses with stable ids; no loose dicts.

Ids:
- a document is its content: doc_id = sha256 of the file's bytes (hex);
- a sentence is `<doc_id[:16]>:<ordinal, 5 digits>`, stable for the same bytes;
- a theme is `T0001`, `T0002`...; ids are never reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

UNKNOWN = "unknown"

REVIEW_TYPES = ("SCR", "CSPR", "SAR", "DHR", "PFD", "other", UNKNOWN)
OUTCOMES = ("death", "serious harm", UNKNOWN)
CAUSES = (
    "suicide",
    "homicide",
    "maltreatment",
    "sudden unexpected infant death",
    "accident",
    "illness",
    "other",
    UNKNOWN,
)
ASSERTIONS = ("present", "negated", "hypothetical", "historical", "other_person")


def text_hash(text: str) -> str:
    """Hash used to cache embeddings and to recognise the same sentence text anywhere."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def document_id(data: bytes) -> str:
    """A document is its content: the sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def file_document_id(path) -> str:
    """`document_id` of a file, read in blocks (what ingest would give the same bytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sentence_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id[:16]}:{ordinal:05d}"


@dataclass(frozen=True)
class Page:
    number: int
    """1-based physical page number."""
    text: str
    """The page's cleaned body text (headers, footers, page numbers, footnotes removed)."""


@dataclass(frozen=True)
class Section:
    ordinal: int
    heading: str
    level: int = 1
    number: str | None = None
    """Heading number as printed: '4', '4.2', 'Appendix A'."""
    page: int = 1


@dataclass(frozen=True)
class Sentence:
    ordinal: int
    text: str
    page: int
    """1-based physical page where the sentence starts."""
    start: int
    """Character offset of the sentence's start in its page's text (Page.text)."""
    end: int
    """Offset of the end in the text of the page where it starts (may pass the page end when it runs over)."""
    section: str | None = None
    paragraph: str | None = None
    """The report's paragraph number ('4.12') where it numbers paragraphs; never part of `text`."""
    kind: str = "body"
    """'body' or 'list' (a bullet item)."""


@dataclass(frozen=True)
class Footnote:
    page: int
    marker: str
    text: str


@dataclass(frozen=True)
class TableBlock:
    page: int
    ordinal: int
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Subject:
    """The subject of the review, with 'unknown' (or None for the age) where the report does not say."""

    age_years: float | None = None
    """Age at the incident in years; infants as fractions (e.g. 0.25 for 3 months)."""
    age_text: str = UNKNOWN
    """Age as stated ('3 months', '17 years')."""
    outcome: str = UNKNOWN
    cause: str = UNKNOWN


@dataclass(frozen=True)
class DocumentMeta:
    title: str = UNKNOWN
    review_type: str = UNKNOWN
    year: int | None = None
    area: str = UNKNOWN
    subject: Subject = field(default_factory=Subject)


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    source_format: str
    """'pdf' or 'txt'."""
    pages: tuple[Page, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    meta: DocumentMeta
    footnotes: tuple[Footnote, ...] = ()
    tables: tuple[TableBlock, ...] = ()
    size_bytes: int = 0


@dataclass(frozen=True)
class Tag:
    label: str
    kind: str
    """'risk_factor' or 'learning_theme' (or a kind a researcher's taxonomy adds)."""
    score: float
    assertion: str = "present"
    start: int | None = None
    """Evidence span, character offsets into the sentence text (None for a model-only tag)."""
    end: int | None = None
    source: str = "rule"
    """'rule', 'model' or 'both'."""


@dataclass(frozen=True)
class TaggedSentence:
    """The tagger's verdict on one sentence, in the shape of ../shared/TAXONOMY.md's evaluation format."""

    sid: str | None
    text: str
    labels: tuple[str, ...]
    """Affirmed labels."""
    negated: tuple[str, ...]
    """Risk factors mentioned only to deny them."""
    learning_point: bool
    learning_point_score: float
    scores: dict[str, float]
    tags: tuple[Tag, ...] = ()
    """Every mention with its assertion (present, negated, hypothetical, historical, other_person)."""


@dataclass(frozen=True)
class Quote:
    sentence_id: str
    doc_id: str
    title: str
    page: int
    section: str | None
    text: str


@dataclass(frozen=True)
class Theme:
    theme_id: str
    name: str
    label: str | None
    """The taxonomy label the theme matches, or None for an emerging theme."""
    keywords: tuple[str, ...]
    size: int
    documents: int = 0
    by_year: dict[int, int] = field(default_factory=dict)
    quotes: tuple[Quote, ...] = ()
