"""The exported tables: their columns (name, Arrow type, meaning) and the SQL that reads them.

This is the data dictionary: `scr export` writes it beside the data (data_dictionary.csv and .md), and
the column names here are stable (new columns may be added at the end; none is renamed or dropped).
Most tables are read from the store by SQL; a table that describes the coding frame rather than the store
(`labels`) has a `rows` function of the settings instead, since the store does not hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    sql: str = ""
    """The query that reads the rows from the store, in column order ('' when `rows` gives them)."""
    rows: Callable[..., Sequence[tuple]] | None = None
    """For a table not read from the store: settings -> its rows, in column order."""

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])


def C(name: str, type_: pa.DataType, description: str) -> Column:
    return Column(name, type_, description)


S, I, F = pa.string(), pa.int64(), pa.float64()


def _label_rows(settings) -> Sequence[tuple]:
    """The rows of the labels table (imported late: the tagger's module loads scikit-learn)."""
    from pipeline.export.labels import label_table_rows

    return label_table_rows(settings)


TABLES: tuple[TableSpec, ...] = (
    TableSpec("documents", "One row per review document (its content hash is its id).", (
        C("doc_id", S, "sha256 of the file's bytes; key of the document"),
        C("path", S, "path the document was first ingested from"),
        C("title", S, "title, or 'unknown'"),
        C("review_type", S, "SCR, CSPR, SAR, DHR, PFD, other or unknown"),
        C("year", I, "year of publication (empty when unknown)"),
        C("area", S, "local area or partnership, or 'unknown'"),
        C("subject_age", F, "age of the review's subject at the incident, in years (infants as fractions; empty when unknown)"),
        C("subject_age_text", S, "the age as stated ('3 months'), or 'unknown'"),
        C("outcome", S, "death, serious harm or unknown"),
        C("cause", S, "suicide, homicide, maltreatment, sudden unexpected infant death, accident, illness, other or unknown"),
        C("pages", I, "number of pages"),
        C("sentences", I, "number of sentences"),
        C("source_format", S, "pdf or txt"),
        C("ingested_at", S, "when it was ingested (ISO 8601, UTC)"),
    ), "SELECT doc_id, path, title, review_type, year, area, subject_age, subject_age_text, outcome, cause, pages,"
       " sentences, source_format, ingested_at FROM documents ORDER BY doc_id"),
    TableSpec("sentences", "One row per sentence of a document's body text.", (
        C("sentence_id", S, "<doc_id[:16]>:<ordinal>; key of the sentence"),
        C("doc_id", S, "document it belongs to (documents.doc_id)"),
        C("ordinal", I, "position in the document, from 0"),
        C("page", I, "1-based physical page where the sentence starts"),
        C("section", S, "heading of the section it sits in (empty when none)"),
        C("paragraph", S, "the report's paragraph number, e.g. '4.12' (empty when not numbered)"),
        C("start", I, "character offset of the sentence in its page's text"),
        C("end", I, "character offset of its end"),
        C("kind", S, "body or list (a bullet item)"),
        C("text", S, "the sentence"),
        C("learning_point", I, "1 when the sentence states a finding, lesson or recommendation; 0 when not; empty when not yet tagged"),
        C("learning_point_score", F, "tagger's learning-point score, 0 to 1 (empty when not yet tagged)"),
    ), "SELECT s.sentence_id, s.doc_id, s.ordinal, s.page, s.section, s.paragraph, s.start, s.end, s.kind, s.text,"
       " st.learning_point, st.learning_point_score FROM sentences s"
       " LEFT JOIN sentence_tagging st ON st.sentence_id = s.sentence_id ORDER BY s.doc_id, s.ordinal"),
    TableSpec("tags", "One row per label mention in a sentence; affirmed labels have assertion 'present'.", (
        C("sentence_id", S, "sentences.sentence_id"),
        C("doc_id", S, "documents.doc_id"),
        C("label", S, "taxonomy label id (configs/taxonomy.yaml)"),
        C("kind", S, "risk_factor or learning_theme"),
        C("score", F, "confidence, 0 to 1"),
        C("assertion", S, "present, negated, hypothetical, historical or other_person"),
        C("start", I, "evidence span start in the sentence text (empty for a model-only tag)"),
        C("end", I, "evidence span end"),
        C("source", S, "rule, model or both"),
        C("model_version", S, "version of the tagger that made the tag"),
    ), "SELECT t.sentence_id, s.doc_id, t.label, t.kind, t.score, t.assertion, t.start, t.end, t.source,"
       " t.model_version FROM tags t JOIN sentences s ON s.sentence_id = t.sentence_id"
       " ORDER BY s.doc_id, s.ordinal, t.label"),
    TableSpec("themes", "One row per theme (ids T0001... are stable across refreshes and never reused).", (
        C("theme_id", S, "key of the theme"),
        C("name", S, "readable name"),
        C("label", S, "taxonomy label it matches (empty for an emerging theme)"),
        C("keywords", S, "keywords, most typical first, separated by '; '"),
        C("size", I, "number of member sentences"),
        C("documents", I, "number of documents with a member sentence"),
        C("status", S, "active or retired"),
        C("updated_at", S, "when the theme last changed (ISO 8601)"),
        C("display_name", S, "the name as the briefing and web page print it: a taxonomy label's id spelt as "
                             "the label's name ('Training and guidance: ...' for 'training_guidance: ...')"),
    ), "SELECT t.theme_id, t.name, t.label,"
       " (SELECT group_concat(value, '; ') FROM json_each(t.keywords_json)) AS keywords,"
       " (SELECT count(*) FROM theme_members m WHERE m.theme_id = t.theme_id) AS size,"
       " (SELECT count(DISTINCT s.doc_id) FROM theme_members m JOIN sentences s ON s.sentence_id = m.sentence_id"
       "  WHERE m.theme_id = t.theme_id) AS documents, t.status, t.updated_at,"
       " scr_display_name(t.name, t.label) AS display_name FROM themes t ORDER BY t.theme_id"),
    TableSpec("theme_members", "One row per sentence assigned to a theme.", (
        C("sentence_id", S, "sentences.sentence_id"),
        C("theme_id", S, "themes.theme_id"),
        C("doc_id", S, "documents.doc_id"),
        C("similarity", F, "cosine similarity of the sentence to the theme's centroid"),
    ), "SELECT m.sentence_id, m.theme_id, s.doc_id, m.similarity FROM theme_members m"
       " JOIN sentences s ON s.sentence_id = m.sentence_id ORDER BY m.theme_id, s.doc_id, s.ordinal"),
    TableSpec("labels", "One row per label of the coding frame (configs/taxonomy.yaml), with how far its tags "
              "can be trusted: the tagger's F1 on held-out sentences, from its model card (as `scr labels`).", (
        C("label", S, "taxonomy label id (tags.label)"),
        C("name", S, "the label's readable name"),
        C("kind", S, "risk_factor or learning_theme"),
        C("description", S, "what the label covers, as the taxonomy defines it"),
        C("f1_real", F, "tagger's F1 on real sentences held out from training (empty when not measured)"),
        C("n_real", I, "real held-out sentences that carry the label"),
        C("f1_written", F, "tagger's F1 on held-out sentences the team wrote (empty when not measured); "
                           "written sentences flatter the tagger"),
        C("n_written", I, "written held-out sentences that carry the label"),
        C("verdict", S, "reliable (f1_real of at least 0.70 on 20 or more real sentences), check (measured, "
                        "below 0.70: read the tagged sentences before relying on them) or unmeasured (fewer "
                        "than 20 real examples, or no trained tagger)"),
        C("tagger", S, "version of the tagger the scores belong to (empty: no trained tagger, rules only)"),
    ), rows=_label_rows),
)

TABLE_NAMES = tuple(t.name for t in TABLES)


def table(name: str) -> TableSpec:
    for spec in TABLES:
        if spec.name == name:
            return spec
    raise KeyError(name)
