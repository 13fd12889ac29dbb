"""The briefing as Markdown, with its charts as PNG files beside it (<name>-themes.png, <name>-risks.png).

Markdown special characters in review text are escaped, so a quote reads as written and never turns
into a link, a heading or emphasis.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.report import layout
from pipeline.report.charts import grid_png, prevalence_png
from pipeline.report.model import Briefing

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
_LIST_START = re.compile(r"^(\d+[.)]|[-+])(?= )")


def md_escape(text: str) -> str:
    """Text as Markdown that renders as the same words (no links, emphasis, HTML or headings)."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _LIST_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def _table(t: layout.Table, header: bool = True) -> list[str]:
    headers = t.headers if header else ("", "")
    lines = [f"*{md_escape(t.caption)}*", ""]
    lines.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in t.rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    return lines + [""]


def _quote(text: str, cite: str, tag: str | None = None) -> list[str]:
    lines = [f"**{tag}**", ""] if tag else []
    return lines + [f"> {md_escape(text)}", "", f"\u2014 *{md_escape(cite)}*", ""]


def render_markdown(b: Briefing, themes_png: str | None, risks_png: str | None) -> str:
    out = [f"# {md_escape(b.title)}", "", f"*{md_escape(layout.subtitle(b))}*", ""]
    for note in b.notes:  # a paragraph, not a block quote: block quotes hold review text only, as in the HTML
        out += [f"**Note:** {md_escape(note)}", ""]
    out += [f"## {layout.SUMMARY}", "", md_escape(" ".join(b.summary.sentences)), ""]
    out += _table(layout.facts_table(b.summary), header=False)

    out += [f"## {layout.THEMES}", "", md_escape(layout.theme_intro(b)), ""]
    if b.themes:
        if themes_png:
            out += [f"![{md_escape(layout.prevalence_caption(b).rstrip('.'))}]({themes_png})", ""]
        out += _table(layout.themes_table(b))
    else:
        out += ["No themes were found in these reviews.", ""]

    out += [f"## {layout.RISKS}", ""]
    if b.grid.labels:
        out += ["Each cell counts the sentences of a review that affirm a risk factor (denied mentions are not counted).", ""]
        if risks_png:
            out += [f"![Risk factors by review]({risks_png})", "", f"*{md_escape(layout.grid_caption(b))}*", ""]
        out += _table(layout.grid_table(b))
        if b.cooccurrence:
            out += ["### Risk factors found together", ""] + _table(layout.cooccurrence_table(b))
    else:
        out += ["No risk factors were tagged in these reviews.", ""]

    out += [f"## {layout.QUOTES}", "", "For each leading theme, the sentences of this batch closest to the theme's centre.", ""]
    for tq in b.quotes:
        out += [f"### {md_escape(tq.name)}", ""]
        for q in tq.quotes:
            out += _quote(q.text, layout.citation(q))

    out += [f"## {layout.LEARNING}", ""]
    if not b.learning:
        out += ["No learning points or recommendations were found in these reviews.", ""]
    for g in b.learning:
        out += [f"### {md_escape(g.name)}", ""]
        if g.total > len(g.points):
            out += [f"*{len(g.points)} of {g.total} shown, strongest first.*", ""]
        for p in g.points:
            out += _quote(p.quote.text, layout.citation(p.quote), layout.learning_label(p.recommendation))

    out += [f"## {layout.APPENDIX}", "", "### Method", ""]
    for para in b.appendix.method:
        out += [md_escape(para), ""]
    out += ["### Versions", ""] + _table(layout.versions_table(b))
    out += [f"### {layout.TRUST}", ""]
    for para in layout.trust_paragraphs(b):
        out += [md_escape(para), ""]
    out += _table(layout.trust_table(b))
    out += ["### Reviews", ""] + _table(layout.reviews_table(b))
    return "\n".join(out).rstrip() + "\n"


def write_markdown(b: Briefing, path: Path) -> Path:
    """Write the .md file and its PNG charts beside it; returns the .md path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    themes_png = risks_png = None
    if b.themes:
        themes_png = prevalence_png(
            b.themes, path.with_name(f"{path.stem}-themes.png"), layout.compares_with_corpus(b)).name
    if b.grid.labels:
        risks_png = grid_png(b.grid, path.with_name(f"{path.stem}-risks.png")).name
    path.write_text(render_markdown(b, themes_png, risks_png), encoding="utf-8")
    return path
