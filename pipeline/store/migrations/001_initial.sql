-- scr-themes store, schema 1. Readable names so the file works in Datasette as it is.

CREATE TABLE documents (
    doc_id        TEXT PRIMARY KEY,          -- sha256 of the file's bytes
    path          TEXT NOT NULL,             -- the path it was first ingested from
    source_format TEXT NOT NULL,             -- pdf | txt
    title         TEXT NOT NULL DEFAULT 'unknown',
    review_type   TEXT NOT NULL DEFAULT 'unknown',  -- SCR | CSPR | SAR | DHR | PFD | other | unknown
    year          INTEGER,
    area          TEXT NOT NULL DEFAULT 'unknown',
    subject_age   REAL,                      -- years; infants as fractions
    subject_age_text TEXT NOT NULL DEFAULT 'unknown',
    outcome       TEXT NOT NULL DEFAULT 'unknown',  -- death | serious harm | unknown
    cause         TEXT NOT NULL DEFAULT 'unknown',
    pages         INTEGER NOT NULL,
    sentences     INTEGER NOT NULL,
    size_bytes    INTEGER NOT NULL DEFAULT 0,
    ingested_at   TEXT NOT NULL,
    run_id        TEXT
);

-- Every path a document's bytes were seen at: the same bytes under another name are an alias.
CREATE TABLE document_paths (
    path      TEXT PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    mtime     REAL,
    size      INTEGER,
    seen_at   TEXT NOT NULL
);
CREATE INDEX document_paths_doc ON document_paths(doc_id);

-- Versions replaced by changed bytes at a known path (their sentences are gone; the history stays).
CREATE TABLE document_versions (
    old_doc_id  TEXT NOT NULL,
    new_doc_id  TEXT NOT NULL,
    path        TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);

CREATE TABLE pages (
    doc_id  TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    page    INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (doc_id, page)
);

CREATE TABLE sections (
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    heading  TEXT NOT NULL,
    level    INTEGER NOT NULL DEFAULT 1,
    number   TEXT,
    page     INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);

CREATE TABLE sentences (
    sentence_id TEXT PRIMARY KEY,            -- <doc_id[:16]>:<ordinal>
    doc_id      TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    page        INTEGER NOT NULL,
    start       INTEGER NOT NULL,            -- offsets into pages.text of `page`
    end         INTEGER NOT NULL,
    section     TEXT,
    paragraph   TEXT,
    kind        TEXT NOT NULL DEFAULT 'body',
    text        TEXT NOT NULL,
    text_hash   TEXT NOT NULL
);
CREATE INDEX sentences_doc ON sentences(doc_id, ordinal);
CREATE INDEX sentences_hash ON sentences(text_hash);

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
END;

CREATE TABLE footnotes (
    doc_id  TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    page    INTEGER NOT NULL,
    marker  TEXT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX footnotes_doc ON footnotes(doc_id);

CREATE TABLE tables (
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    page     INTEGER NOT NULL,
    ordinal  INTEGER NOT NULL,
    rows_json TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);

CREATE TABLE failures (
    failure_id  INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    cause       TEXT NOT NULL,               -- short reason: empty file, encrypted, not a PDF, no text layer...
    detail      TEXT,
    content_hash TEXT,
    stage       TEXT NOT NULL DEFAULT 'ingest',
    run_id      TEXT,
    failed_at   TEXT NOT NULL
);
CREATE INDEX failures_path ON failures(path);

CREATE TABLE runs (
    run_id      TEXT PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    outcome     TEXT,                        -- ok | failures | error | running
    counts_json TEXT NOT NULL DEFAULT '{}'
);

-- Extraction: one row per tagged sentence (its presence means "tagged by this tagger version").
CREATE TABLE sentence_tagging (
    sentence_id     TEXT PRIMARY KEY REFERENCES sentences(sentence_id) ON DELETE CASCADE,
    tagger_version  TEXT NOT NULL,
    learning_point  INTEGER NOT NULL,
    learning_point_score REAL NOT NULL,
    tagged_at       TEXT NOT NULL
);

-- Every label mention, with its assertion; affirmed labels are assertion = 'present'.
CREATE TABLE tags (
    sentence_id  TEXT NOT NULL REFERENCES sentences(sentence_id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    score        REAL NOT NULL,
    assertion    TEXT NOT NULL DEFAULT 'present',
    start        INTEGER,
    end          INTEGER,
    source       TEXT NOT NULL,
    model_version TEXT NOT NULL,
    PRIMARY KEY (sentence_id, label)
);
CREATE INDEX tags_label ON tags(label, assertion);

-- Embedding cache keyed by (model, text hash): the same text is embedded once.
CREATE TABLE embeddings (
    model      TEXT NOT NULL,
    text_hash  TEXT NOT NULL,
    dim        INTEGER NOT NULL,
    vector     BLOB NOT NULL,                -- float32, L2-normalised
    PRIMARY KEY (model, text_hash)
);

CREATE TABLE themes (
    theme_id    TEXT PRIMARY KEY,            -- T0001...; never reused
    name        TEXT NOT NULL,
    label       TEXT,                        -- taxonomy label it matches, NULL when emerging
    keywords_json TEXT NOT NULL DEFAULT '[]',
    size        INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'active',  -- active | retired
    centroid    BLOB,
    created_run TEXT,
    updated_run TEXT,
    updated_at  TEXT
);

CREATE TABLE theme_members (
    sentence_id TEXT PRIMARY KEY REFERENCES sentences(sentence_id) ON DELETE CASCADE,
    theme_id    TEXT NOT NULL REFERENCES themes(theme_id),
    similarity  REAL NOT NULL
);
CREATE INDEX theme_members_theme ON theme_members(theme_id);

CREATE TABLE theme_events (
    event_id   INTEGER PRIMARY KEY,
    run_id     TEXT,
    event      TEXT NOT NULL,                -- created | split | merged | retired | renamed
    theme_id   TEXT NOT NULL,
    related_json TEXT NOT NULL DEFAULT '[]',
    at         TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
