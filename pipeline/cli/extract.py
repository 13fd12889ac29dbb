"""`scr extract`, `scr tag`, `scr evaluate`: thin callers of pipeline.extract (and, when present, the
learned layer's `scr train` / `scr annotate` from pipeline/cli/model_cmds.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator, Optional

import typer

from pipeline.cli.context import app_context, input_file, is_terminal, print_json
from pipeline.errors import EXIT_INPUT_FAILED, UsageError

TAXONOMY_HELP = "Coding frame to use instead of the configured taxonomy (configs/taxonomy.yaml)."
RULES_ONLY_HELP = "Use the rules with assertion context alone, even when a trained model exists."


def _tagger(ctx: typer.Context, taxonomy: Optional[Path], rules_only: bool, conn=None):
    from pipeline.extract.tagger import Tagger

    return Tagger.from_settings(app_context(ctx).settings, taxonomy_path=taxonomy, conn=conn, use_model=not rules_only)


def _as_json(tagged) -> dict:
    return {"sid": tagged.sid, "labels": list(tagged.labels), "negated": list(tagged.negated),
            "learning_point": tagged.learning_point, "scores": tagged.scores}


def _read_lines(path: Path) -> Iterator[tuple[int, tuple[str, str | None, str | None] | None, str]]:
    """(line number, (text, sid, section), "") for each good line of a `scr tag --file` input, and
    (line number, None, cause) for a bad one, so that one bad line costs that line, not the file (as in
    `scr ingest`). A file that is not UTF-8 text is still an InputError for the whole file."""
    from pipeline.extract.annotations import field_problem
    from pipeline.jsonl import BadLine, json_lines

    for line_no, row in json_lines(path, "bad input line", lenient=True):
        if isinstance(row, BadLine):
            yield line_no, None, row.cause
        elif not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield line_no, None, "needs an object with a 'text' string"
        elif problem := field_problem(row, ("section",)):
            yield line_no, None, problem
        else:
            sid = row.get("sid")
            yield line_no, (row["text"], None if sid is None else str(sid), row.get("section")), ""


def tag(
    ctx: typer.Context,
    text: Optional[str] = typer.Argument(None, help="A sentence to tag (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="JSON Lines of {\"text\", optional \"sid\", \"section\"}; '-' reads stdin."),
    as_json: bool = typer.Option(False, "--json", help="JSON out: one line per input line {sid, labels, negated, learning_point, scores}."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help=TAXONOMY_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Tag sentences with taxonomy labels, denied risk factors and the learning-point flag.

    `scr tag "TEXT"` prints a readable verdict; `scr tag --file F.jsonl --json` writes one JSON line per
    input line, in batches (extract.batch_size, default 512) with one model load. Reads nothing from the store.
    A bad line is reported on stderr as `FILE:LINE: cause` and skipped; the others are tagged, and the exit
    code is then 1.
    """
    if (text is None) == (file is None):
        raise UsageError("give either TEXT or --file FILE")
    if text is not None and not text.strip():
        raise UsageError("TEXT is empty: give a sentence to tag (or --file FILE)")
    if file is not None:
        input_file(file)
    tagger = _tagger(ctx, taxonomy, rules_only)
    if text is not None:
        result = tagger.tag([text])[0]
        if as_json:
            print_json(_as_json(result))
            return
        typer.echo(f"labels          {', '.join(result.labels) or '-'}")
        typer.echo(f"negated         {', '.join(result.negated) or '-'}")
        typer.echo(f"learning point  {'yes' if result.learning_point else 'no'} ({result.learning_point_score:.2f})")
        for t in result.tags:
            evidence = f'"{text[t.start:t.end]}"' if t.start is not None else "(model)"
            typer.echo(f"  {t.label:<28} {t.assertion:<13} {t.score:.2f} {t.source:<5} {evidence}")
        typer.echo(f"tagger          {tagger.version}")
        return
    batch_size = app_context(ctx).settings.extract.batch_size
    batch: list[tuple[str, str | None, str | None]] = []
    write = sys.stdout.write

    def flush() -> None:
        sections = [b[2] for b in batch]
        for result in tagger.tag([b[0] for b in batch], [b[1] for b in batch], sections if any(sections) else None):
            write(json.dumps(_as_json(result), ensure_ascii=False) + "\n")
        batch.clear()

    bad: list[int] = []
    for line_no, item, cause in _read_lines(file):
        if item is None:
            bad.append(line_no)
            typer.echo(f"{file}:{line_no}: {cause}", err=True)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    sys.stdout.flush()
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (", ..." if len(bad) > 10 else "")
        typer.echo(f"{file}: {len(bad)} bad input line(s) skipped (line {shown}); the other lines were tagged",
                   err=True)
        raise typer.Exit(EXIT_INPUT_FAILED)


def evaluate(
    ctx: typer.Context,
    gold: Path = typer.Argument(..., help="Gold file in the format of TAXONOMY.md: {text, labels, negated, learning_point}; "
                                "or a named gold set of the project: `dev` (synthetic dev set) or `real-dev` (labelled "
                                "sentences of the real reports in ../shared, resolved at run time)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help=TAXONOMY_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Score the tagger against a gold file: P/R/F1 per label, micro and macro, learning points, denials.

    Precision, recall and F1 per label, micro and macro, learning-point accuracy, the rate of denied mentions
    tagged present, and the most frequent confusions. The headline scores come with 95% bootstrap intervals
    over sentences: on a few hundred sentences, a difference inside them may be chance."""
    from pipeline.extract.annotations import ANNOTATIONS
    from pipeline.extract.evaluate import NAMED_GOLD, evaluate_tagger, gold_root, named_gold, read_gold

    named = str(gold) in NAMED_GOLD and not gold.exists()
    if not named and not gold.exists():
        raise UsageError(f"{gold}: no such file, nor a named gold set ({', '.join(NAMED_GOLD)})")
    if not named:
        input_file(gold)
    tagger = _tagger(ctx, taxonomy, rules_only)
    if named:
        root = Path(app_context(ctx).settings.root)
        items = named_gold(root, str(gold), tagger.taxonomy.ids)
        if not items:
            hint = " (the real dev set needs ../shared/corpus)" if str(gold) == "real-dev" else ""
            raise UsageError(f"{gold}: no gold sentences in {gold_root(root) / ANNOTATIONS}{hint}")
    else:
        items = read_gold(gold, tagger.taxonomy.ids)
    if not items:
        raise UsageError(f"{gold}: no gold sentences")
    report, _ = evaluate_tagger(tagger, items, app_context(ctx).settings.extract.batch_size)
    if as_json:
        print_json({"gold": str(gold), "tagger": tagger.version, **report.to_dict()})
        return
    typer.echo(f"{report.sentences} sentences, tagger {tagger.version}")
    typer.echo(f"{'label':<28} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label, s in report.per_label.items():
        typer.echo(f"{label:<28} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.support:>5}")
    m = report.micro
    ci = report.intervals

    def interval(name: str, percent: bool = False) -> str:
        if name not in ci:
            return ""
        low, high = ci[name]
        return f"  95% CI {low:.1%} to {high:.1%}" if percent else f"  95% CI {low:.3f} to {high:.3f}"

    typer.echo(f"{'micro':<28} {m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>6.3f} {m.support:>5}{interval('micro_f1')}")
    typer.echo(f"{'macro':<28} {report.macro_precision:>6.3f} {report.macro_recall:>6.3f} {report.macro_f1:>6.3f}"
               f" {report.macro_labels:>5}{interval('macro_f1')}")
    if report.learning_point_accuracy is not None:
        typer.echo(f"learning-point accuracy {report.learning_point_accuracy:.3f} ({report.learning_point_gold} sentences)"
                   f"{interval('learning_point_accuracy')}")
    rate = report.denied_tagged_present_rate
    if rate is not None:
        typer.echo(f"denied mentions tagged present {rate:.1%} ({report.denied_tagged_present}/{report.denied_mentions})"
                   f"{interval('denied_as_present_rate', percent=True)}")
    if ci:
        typer.echo("(95% CI: bootstrap over sentences, 1,000 draws; a difference inside it may be chance)")
    if report.confusions:
        typer.echo("most frequent confusions (gold -> predicted):")
        for g, p, n in report.confusions:
            typer.echo(f"  {g} -> {p}: {n}")


def extract(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help=TAXONOMY_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Tag every sentence in the store not yet tagged by the current tagger (taxonomy + rules + model).

    Incremental: rerunning does nothing new; a changed taxonomy or model re-tags. One transaction per document.
    Holds the store's lock while it runs (exit 75 at once while another command writes the store).

    Where ingest found the subject's age, it settles whose mental health a sentence about the subject means: a young person's (aged 10 to 24) is child_mental_health, an adult's parental_mental_health, unless the sentence names a parent or a child itself (`scr tag` and `scr evaluate` see single sentences and cannot).
    """
    from pipeline.extract.run import extract_pending
    from pipeline.ops.writer import store_writer
    from pipeline.store.runs import error_cause, finish_run, start_run

    app = app_context(ctx)
    with store_writer(app.settings, "extract") as writer:
        conn = writer.conn
        tagger = _tagger(ctx, taxonomy, rules_only, conn=conn)
        run_id = start_run(conn, "extract")
        try:
            if is_terminal() and not as_json:
                total = conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
                with typer.progressbar(length=total, label="tagging", file=sys.stderr) as bar:
                    report = extract_pending(conn, app.settings, tagger, progress=bar.update)
            else:
                report = extract_pending(conn, app.settings, tagger)
        except BaseException as exc:
            finish_run(conn, run_id, "error", {}, error_cause(exc))
            raise
        counts = {"sentences_tagged": report.sentences_tagged, "tags": report.tags,
                  "learning_points": report.learning_points, "documents": report.documents}
        finish_run(conn, run_id, "ok", counts)
    if as_json:
        print_json({**counts, "seconds": report.seconds, "tagger": report.tagger_version})
        return
    typer.echo(f"tagged {report.sentences_tagged} sentences in {report.documents} documents: {report.tags} tags, "
               f"{report.learning_points} learning points ({report.seconds:.1f} s; tagger {report.tagger_version})")


def register(app: typer.Typer) -> None:
    """Add this area's commands to `app`."""
    app.command("extract")(extract)
    app.command("tag")(tag)
    app.command("evaluate")(evaluate)
    from pipeline.cli import labels, model_cmds

    app.command("labels")(labels.labels)  # train, annotate

    model_cmds.register(app)
