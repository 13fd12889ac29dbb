"""Tidy exports of the store (documents, sentences, tags, themes, theme_members) as CSV, Parquet or
JSON Lines, with a data dictionary. Column names are a stable contract: add columns, never rename."""
