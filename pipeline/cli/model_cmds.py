"""`scr train` and `scr annotate export|import`: thin callers of pipeline.extract.train / .annotate.

Registered by pipeline/cli/extract.py (`model_cmds.register(app)`)."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli.context import app_context, input_file, is_terminal, print_json
from pipeline.errors import EXIT_INPUT_FAILED, UsageError


def _summary(card: dict) -> dict:
    keys = ("micro_f1", "macro_f1", "learning_point_accuracy", "denied_as_present_rate")
    data = card["training_data"]
    out = {
        "version": card["version"], "model_dir": card.get("model_dir"),
        "train_sentences": data["train_sentences"], "dev_sentences": data["dev_sentences"],
        "dev_real_sentences": data.get("dev_real_sentences", 0),
        "real_references_resolved": data.get("real_references_resolved", 0),
        "real_references_skipped": data.get("real_references_skipped", 0),
        "uses_rules": card["uses_rules"],
        "sources": data.get("sources", []), "rules_fallback": data.get("rules_fallback", {}),
    }
    for split in ("dev", "dev_real"):
        scores = card.get(f"scores_{split}", {})
        for mode in ("fused", "rules_only"):
            out[f"{split}_{mode}"] = {k: scores[mode].get(k) for k in keys} if mode in scores else None
    return out


def train_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary of the model card."),
) -> None:
    """Train the learned tagger on corpus/annotations/ (train split) and write models/tagger/.

    Embeds the training sentences (cached in .cache/), fuses them with the rules' evidence, tunes a
    threshold per label on training folds grouped by document, scores the dev split, and writes the
    artefact with its model card (label set, data hash, label support, library versions, scores, date).
    With a config outside the project (e.g. /etc/scr-themes/settings.yaml) it trains on the project's
    annotations plus the corrections imported under the config's folder, and writes the model_dir beside
    the config, never the install's. Fewer than 100 training sentences are refused; a label with fewer than
    10 is left to the rules, with a warning."""
    from pipeline.config import own_path
    from pipeline.extract.train import fallback_line, sources_line, train

    settings = app_context(ctx).settings
    say = (lambda msg: typer.echo(msg, err=True)) if (is_terminal() or not as_json) else None
    card = train(settings, progress=say)
    card["model_dir"] = str(own_path(settings, "extract.model_dir"))
    summary = _summary(card)
    summary["sources"] = [dict(s, file=str(settings.path(s["file"]))) for s in summary["sources"]]
    warning = fallback_line(card)
    if warning:
        typer.echo(warning, err=True)
    if as_json:
        print_json(summary)
        return
    typer.echo(f"wrote {summary['model_dir']} ({summary['version']}, {summary['train_sentences']} training sentences)")
    typer.echo(sources_line(summary["sources"]))
    typer.echo(f"real-report references: {summary['real_references_resolved']} resolved, "
               f"{summary['real_references_skipped']} skipped (../shared absent or text changed)")
    for name in ("dev_fused", "dev_rules_only", "dev_real_fused", "dev_real_rules_only"):
        if summary[name]:
            typer.echo(f"{name:<15} " + "  ".join(f"{k} {v}" for k, v in summary[name].items()))


annotate_app = typer.Typer(help="Export sentences for labelling and import the corrections (the annotation loop).",
                           no_args_is_help=True)


@annotate_app.command("export")
def export_cmd(
    ctx: typer.Context,
    sample: int = typer.Option(200, "--sample", "-n", min=1, help="How many store sentences to write."),
    out: Path = typer.Option(..., "--out", "-o", help="JSON Lines file to write (Label Studio and Prodigy read it)."),
    pick: str = typer.Option("random", "--pick", help="random: drawn evenly from the store. uncertain: from a random "
                             "pool, the sentences whose scores lie nearest the tagger's thresholds, the ones it is least "
                             "sure of (needs the trained model; measured gain over random: README)."),
    pool: int = typer.Option(0, "--pool", min=0, show_default=False, help="With --pick uncertain: how many sentences to draw and score "
                             "first (default 10 x --sample, at least 2,000)."),
    per_doc: int = typer.Option(0, "--per-doc", min=0, show_default=False, help="At most this many sentences from any one document "
                                "(0: no cap), so one long or hard report cannot fill the batch."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the sample."),
    as_json: bool = typer.Option(False, "--json", help="Print {written, out, pick} as JSON."),
) -> None:
    """Write N sentences from the store with the current tagger's labels pre-filled, for correction.

    Sentences already corrected (corpus/annotations/imported.jsonl) are not drawn again. Beside the tasks goes
    the Label Studio labelling config they need (OUT with the suffix .label-studio.xml), which shows each
    label's name, with its description on hover; denied choices (not:<label>) are offered for risk factors,
    the labels whose denials the tagger recognises."""
    from pipeline.errors import ConfigError
    from pipeline.extract.annotate import (PICKS, annotated_hashes, export_sample, label_config_path,
                                           uncertain_unavailable)
    from pipeline.extract.tagger import Tagger

    if pick not in PICKS:
        raise UsageError(f"--pick must be one of {', '.join(PICKS)}, not {pick!r}")
    app = app_context(ctx)
    conn = app.connect(readonly=True)
    try:
        tagger = Tagger.from_settings(app.settings)
        if pick == "uncertain" and tagger.model is None:  # none trained, or one the coding frame does not fit
            raise ConfigError(uncertain_unavailable(app.settings, tagger.taxonomy))
        written = export_sample(conn, tagger, sample, out, seed, pick, pool,
                                annotated_hashes(Path(app.settings.root)), per_doc)
    finally:
        conn.close()
    config = label_config_path(out)
    if as_json:
        print_json({"written": written, "out": str(out), "pick": pick, "label_config": str(config)})
    else:
        typer.echo(f"wrote {written} sentences to {out} ({pick}); Label Studio labelling config: {config}")


@annotate_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Corrections: Label Studio export, Prodigy answers or our gold format."),
    as_json: bool = typer.Option(False, "--json", help="Print {added, updated, skipped, path} as JSON."),
) -> None:
    """Add corrected labels to corpus/annotations/imported.jsonl (used by the next `scr train`).

    Reads JSON Lines or one JSON array of tasks: Label Studio's "JSON" export or its "JSON-MIN" export (flat
    rows, the chosen options under the control's name "labels"), Prodigy answers, or our gold format. A line
    it cannot use is an error naming the file, the line (or array item) and why. Lines without an answer are
    not imported: the file `scr annotate export` writes holds the tagger's guesses, and training on them would
    teach the model what it already thinks. When no line has an answer, that is said and the exit code is 1."""
    from pipeline.extract.annotate import import_corrections
    from pipeline.extract.taxonomy import load_taxonomy

    input_file(file)
    settings = app_context(ctx).settings
    labels = load_taxonomy(settings.path(settings.taxonomy)).ids
    report = import_corrections(file, Path(settings.root), labels)
    if as_json:
        print_json(report.__dict__)
    else:
        typer.echo(f"{report.added} added, {report.updated} updated, {report.skipped} without an answer -> {report.path}"
                   + ("\nrun `scr train` to retrain" if report.added or report.updated else ""))
    if not (report.added or report.updated):
        typer.echo(f"{file}: nothing imported, none of its {report.skipped} line(s) carries an answer. An answered "
                   'line is a Prodigy answer ("answer": "accept" with "accept": [...]), a Label Studio task with '
                   '"annotations" (or a JSON-MIN row with "labels"), or our format {"text", "labels", "negated", '
                   '"learning_point"}; the tasks `scr annotate export` writes hold the tagger\'s guesses: correct '
                   "them in Label Studio or Prodigy and import what it exports", err=True)
        raise typer.Exit(EXIT_INPUT_FAILED)


def register(app: typer.Typer) -> None:
    app.command("train")(train_cmd)
    app.add_typer(annotate_app, name="annotate")
