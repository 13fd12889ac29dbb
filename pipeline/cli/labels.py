"""`scr labels`: the coding frame, and how far to trust the tagger on each label (pipeline.extract.quality)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.context import app_context, input_file, print_json

VERDICT_CHOICES = ("reliable", "check", "unmeasured")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def labels(
    ctx: typer.Context,
    taxonomy: Optional[Path] = typer.Option(
        None, "--taxonomy", help="Coding frame to list instead of the configured taxonomy (configs/taxonomy.yaml)."),
    verdict: Optional[str] = typer.Option(
        None, "--verdict", help="Only the labels with this verdict: reliable, check or unmeasured."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: the tagger, and per label its "
                                 "name, kind, description, F1 and verdict."),
) -> None:
    """The labels of the coding frame, each with the tagger's measured F1 and a verdict on how far to trust it.

    Scores come from the model card `scr train` wrote: F1 on real sentences held out from training (whole
    real reports) and on held-out sentences the team wrote. Verdicts: reliable (real F1 of at least 0.70 on
    20 or more real sentences that carry the label); check by hand (below that); not measured on real text
    (fewer than 20 real examples; the written F1 is shown, but written sentences flatter the tagger). With no
    trained tagger, or a coding frame the tagger was not trained on, nothing is measured.
    """
    import dataclasses

    from pipeline.errors import UsageError
    from pipeline.export.labels import frame_quality, label_rows
    from pipeline.extract.quality import MIN_REAL, RELIABLE_F1, VERDICT_TEXT
    from pipeline.extract.taxonomy import load_taxonomy

    if verdict is not None and verdict not in VERDICT_CHOICES:
        raise UsageError(f"--verdict must be one of {', '.join(VERDICT_CHOICES)}, not {verdict!r}")
    settings = app_context(ctx).settings
    path = input_file(taxonomy) if taxonomy is not None else settings.path(settings.taxonomy)
    load_taxonomy(path)  # a broken frame is an error naming its problem, not an empty list
    book, quality = frame_quality(dataclasses.replace(settings, taxonomy=str(path)))
    rows = [row for row in label_rows(book, quality) if verdict is None or row["verdict"] == verdict]
    if as_json:
        print_json({
            "taxonomy": str(path), "tagger": quality.tagger, "measured_on": quality.measured_on,
            "micro_f1_real": quality.micro_f1_real, "real_sentences": quality.real_sentences,
            "reliable_f1": RELIABLE_F1, "min_real": MIN_REAL, "labels": rows,
        })
        return
    width = max([len(row["label"]) for row in rows] + [5])
    typer.echo(f"{len(book.names)} labels in {path}")
    typer.echo(f"{'label':<{width}}  {'kind':<15} {'real F1':>7} {'n':>4}  {'written F1':>10}  verdict")
    for row in rows:
        typer.echo(f"{row['label']:<{width}}  {row['kind']:<15} {_fmt(row['f1_real']):>7} {row['n_real']:>4}  "
                   f"{_fmt(row['f1_written']):>10}  {VERDICT_TEXT[row['verdict']]}")
    if not rows:
        typer.echo(f"(no label has the verdict {verdict})")
    typer.echo(quality.summary())
