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


def _frame_name(ctx: typer.Context, taxonomy: Optional[Path]) -> str:
    """The file name of the coding frame in use: --taxonomy's, else the configured one's."""
    settings = app_context(ctx).settings
    return Path(taxonomy).name if taxonomy else settings.path(settings.taxonomy).name


def _say_if_model_dropped(ctx: typer.Context, tagger, taxonomy: Optional[Path], rules_only: bool) -> None:
    """One line on stderr when a trained model exists but the tagger runs the rules alone because the coding
    frame lacks labels the model knows (Tagger.from_settings then leaves the model out): otherwise the only
    sign is "+rules-only" at the end of a version string."""
    if rules_only or tagger.model is not None:
        return
    from pipeline.extract.card import labels_outside, read_card

    settings = app_context(ctx).settings
    try:
        card = read_card(settings.path(settings.extract.model_dir))
    except (OSError, ValueError):
        return
    missing = labels_outside((card or {}).get("labels"), tagger.taxonomy.ids)
    if not missing:
        return
    shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
    typer.echo(f"rules only: the trained tagger knows {len(missing)} label{'s' if len(missing) > 1 else ''} "
               f"this coding frame ({_frame_name(ctx, taxonomy)}) lacks ({shown}), so it is not used", err=True)


def _as_json(tagged) -> dict:
    return {"sid": tagged.sid, "labels": list(tagged.labels), "negated": list(tagged.negated),
            "learning_point": tagged.learning_point, "scores": tagged.scores}


def _as_text(tagged) -> str:
    """One readable line of `scr tag --file` without --json."""
    return (f"{tagged.sid}: labels {', '.join(tagged.labels) or '-'}; negated {', '.join(tagged.negated) or '-'}; "
            f"learning point {'yes' if tagged.learning_point else 'no'}")


def _read_lines(path: Path) -> Iterator[tuple[int, str, tuple[str, str | None] | None, str]]:
    """(line number, sid, (text, section), "") for each good line of a `scr tag --file` input, and
    (line number, sid, None, cause) for a bad one, so that one bad line costs that line, not the file (as in
    `scr ingest`). The sid is the line's own, else its line number (1-based, as a string). Blank lines are
    skipped. A file that is not UTF-8 text is still an InputError for the whole file."""
    from pipeline.extract.annotations import field_problem
    from pipeline.extract.evaluate import sid_problem
    from pipeline.jsonl import BadLine, json_lines

    for line_no, row in json_lines(path, "bad input line", lenient=True):
        sid = str(line_no)
        if isinstance(row, dict) and row.get("sid") is not None and not sid_problem(row):
            sid = str(row["sid"])
        if isinstance(row, BadLine):
            yield line_no, sid, None, row.cause
        elif not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield line_no, sid, None, "needs an object with a 'text' string"
        elif not row["text"].strip():
            yield line_no, sid, None, "empty text"
        elif problem := field_problem(row, ("section",)) or sid_problem(row):
            yield line_no, sid, None, problem
        else:
            yield line_no, sid, (row["text"], row.get("section")), ""


def tag(
    ctx: typer.Context,
    text: Optional[str] = typer.Argument(None, help="A sentence to tag (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="JSON Lines of {\"text\", optional \"sid\", \"section\"}; '-' reads stdin. A line without a sid gets its line number."),
    as_json: bool = typer.Option(False, "--json", help="JSON out: exactly one line per input line, in order: {sid, labels, negated, learning_point, scores}, or {sid, error} for a bad line."),
    taxonomy: Optional[Path] = typer.Option(None, "--taxonomy", help=TAXONOMY_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Tag sentences with taxonomy labels, denied risk factors and the learning-point flag.

    `scr tag "TEXT"` prints a readable verdict. `scr tag --file F.jsonl --json` writes exactly one JSON line per
    input line, in input order (blank lines are skipped), in batches (extract.batch_size, default 512) with one
    model load; without --json, one readable line per input line. A line without a "sid" gets its line number
    (1-based, as a string) as its sid, so every output line matches its input line. Reads nothing from the store.

    A bad line (not JSON, no "text" or an empty one, a field of the wrong type) gets {"sid": its sid or line
    number, "error": cause} in its place, and is reported on stderr as `FILE:LINE: cause`; the other lines are
    tagged, and the exit code is then 1.

    When the coding frame lacks labels the trained model knows, the rules tag alone, and stderr says so in
    one line.
    """
    if (text is None) == (file is None):
        raise UsageError("give either TEXT or --file FILE")
    if text is not None and not text.strip():
        raise UsageError("TEXT is empty: give a sentence to tag (or --file FILE)")
    if file is not None:
        input_file(file)
    tagger = _tagger(ctx, taxonomy, rules_only)
    _say_if_model_dropped(ctx, tagger, taxonomy, rules_only)
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
    batch: list[tuple[str, tuple[str, str | None] | None, str]] = []  # (sid, (text, section) or None, cause)
    write = sys.stdout.write

    def flush() -> None:
        good = [(sid, item) for sid, item, _ in batch if item is not None]
        sections = [item[1] for _, item in good]
        results = iter(tagger.tag([item[0] for _, item in good], [sid for sid, _ in good],
                                  sections if any(sections) else None) if good else ())
        for sid, item, cause in batch:  # in input order, a bad line's error in its place
            if item is None:
                error = {"sid": sid, "error": cause}
                line = json.dumps(error, ensure_ascii=False) if as_json else f"{sid}: error: {cause}"
            else:
                result = next(results)
                line = json.dumps(_as_json(result), ensure_ascii=False) if as_json else _as_text(result)
            write(line + "\n")
        batch.clear()

    bad: list[int] = []
    for line_no, sid, item, cause in _read_lines(file):
        if item is None:
            bad.append(line_no)
            typer.echo(f"{file}:{line_no}: {cause}", err=True)
        batch.append((sid, item, cause))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    sys.stdout.flush()
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (", ..." if len(bad) > 10 else "")
        typer.echo(f"{file}: {len(bad)} bad input line(s) (line {shown}), each given an error line in the output; "
                   "the other lines were tagged", err=True)
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
    over sentences: on a few hundred sentences, a difference inside them may be chance.

    A gold line may have text, labels, negated, learning_point, sid, section, doc and origin. A bad line (not
    JSON, no text, an unknown key, a value of the wrong type, a label outside the coding frame) is reported on
    stderr as `FILE:LINE: cause`; the good lines are scored, and the exit code is then 1 (2 when no line is
    good). The named gold sets are labelled with the project's taxonomy: with another coding frame they are
    scored on the frame's labels only, and stderr says how many gold labels fell outside it.
    """
    from pipeline.extract.annotations import ANNOTATIONS
    from pipeline.extract.evaluate import NAMED_GOLD, evaluate_tagger, gold_root, in_frame, named_gold, read_gold_lines

    named = str(gold) in NAMED_GOLD and not gold.exists()
    if not named and not gold.exists():
        raise UsageError(f"{gold}: no such file, nor a named gold set ({', '.join(NAMED_GOLD)})")
    if not named:
        input_file(gold)
    tagger = _tagger(ctx, taxonomy, rules_only)
    _say_if_model_dropped(ctx, tagger, taxonomy, rules_only)
    bad: list[tuple[int, str]] = []
    if named:
        root = Path(app_context(ctx).settings.root)
        items = named_gold(root, str(gold))
        if not items:
            hint = " (the real dev set needs ../shared/corpus)" if str(gold) == "real-dev" else ""
            raise UsageError(f"{gold}: no gold sentences in {gold_root(root) / ANNOTATIONS}{hint}")
        items, dropped = in_frame(items, tagger.taxonomy.ids)
        if dropped:
            n = len(tagger.taxonomy.ids)
            typer.echo(f"scoring the {n} label{'s' if n > 1 else ''} of {_frame_name(ctx, taxonomy)}; {dropped:,} gold "
                       f"label{'s' if dropped > 1 else ''} outside it ignored", err=True)
    else:
        items, bad = read_gold_lines(gold, tagger.taxonomy.ids)
        if not items and bad:
            line_no, cause = bad[0]
            first = f"{len(bad)} bad, the first is line" if len(bad) > 1 else "line"
            raise UsageError(f"{gold}: no usable gold line; {first} {line_no}: {cause}")
        for line_no, cause in bad:
            typer.echo(f"{gold}:{line_no}: {cause}", err=True)
    if not items:
        raise UsageError(f"{gold}: no gold sentences")
    report, _ = evaluate_tagger(tagger, items, app_context(ctx).settings.extract.batch_size)
    if as_json:
        print_json({"gold": str(gold), "tagger": tagger.version, **report.to_dict()})
    else:
        _print_report(report, tagger.version)
    if bad:
        shown = ", ".join(str(line_no) for line_no, _ in bad[:10]) + (", ..." if len(bad) > 10 else "")
        scored = f"the other {len(items):,} line{'s were' if len(items) > 1 else ' was'} scored"
        typer.echo(f"{gold}: {len(bad)} bad gold line(s) skipped (line {shown}); {scored}", err=True)
        raise typer.Exit(EXIT_INPUT_FAILED)


def _print_report(report, version: str) -> None:
    typer.echo(f"{report.sentences} sentences, tagger {version}")
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
    from pipeline.ops import retag
    from pipeline.ops.writer import store_writer
    from pipeline.store.runs import error_cause, finish_run, start_run

    app = app_context(ctx)
    with store_writer(app.settings, "extract") as writer:
        conn = writer.conn
        tagger = _tagger(ctx, taxonomy, rules_only, conn=conn)
        _say_if_model_dropped(ctx, tagger, taxonomy, rules_only)
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
        if taxonomy is None and not rules_only:  # the store is now wholly tagged by the settings' tagger
            retag.record(conn, retag.tagger_inputs(app.settings))
        else:  # tagged by another tagger: let the next refresh check the tagging against the settings'
            retag.forget(conn)
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
