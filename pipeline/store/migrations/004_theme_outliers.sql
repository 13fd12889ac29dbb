-- Theme-bearing sentences that fit no theme (cosine to every centroid below cluster.assign_threshold).
-- Kept so a refresh knows they were already judged and counts only really new sentences toward drift.
CREATE TABLE theme_outliers (
    sentence_id TEXT PRIMARY KEY REFERENCES sentences(sentence_id) ON DELETE CASCADE,
    similarity  REAL NOT NULL
);
