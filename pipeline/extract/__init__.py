"""Extraction: tag each sentence with taxonomy labels (risk factors, learning themes), their assertion
(present, negated, hypothetical, historical, other person) and the learning-point flag.

Modules: taxonomy (the label contract with rule words), lemmas (spaCy pipeline), rules + context +
learning_points (the rule layer), model (the learned layer, when trained), tagger (both together),
evaluate (scores against a gold file), run (`extract_pending` over the store).
"""
