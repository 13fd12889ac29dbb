"""Sentence embeddings: a one-method protocol, the real model behind it, and a cache in the store."""
