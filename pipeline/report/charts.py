"""The briefing's two charts, as inline SVG (HTML) and as PNG (Markdown, DOCX).

- prevalence: for each theme, the share of the batch's reviews beside the share of the corpus's reviews;
- risk grid: reviews by risk factors, each cell shaded by how many sentences affirm the factor. Reviews
  with no risk factor are left out, and a large batch shows the MAX_GRID_ROWS reviews with most factors
  (`grid_rows`, whose counts the caption states), so the chart stays a page, not a scroll.

SVG is written by hand (no scripts, no external fonts, every text escaped) so the HTML stays one
self-contained file that prints well; PNGs come from matplotlib's Agg backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Sequence

from pipeline.report.labels import review_labels
from pipeline.report.model import RiskGrid, ThemeRow

BATCH_COLOUR = "#1f5f8b"
CORPUS_COLOUR = "#b8c9d6"
HEAT_LOW, HEAT_HIGH = (0xF2, 0xF5, 0xF8), (0x1F, 0x5F, 0x8B)
FONT = "font-family:Arial,Helvetica,sans-serif"
MAX_BARS = 15
MAX_GRID_ROWS = 40
"""Reviews shown in the risk grid at most: those with the most risk factors."""
LABELS_BELOW_FROM = 16
"""From this many rows, the PNG grid repeats its column names below the rows as well as above."""


@dataclass(frozen=True)
class GridRows:
    """Which rows of a RiskGrid the chart shows, and what was left out (for the caption)."""

    shown: tuple[int, ...]
    """Row indices, in the grid's order when all fit, else most risk factors first."""
    with_factors: int
    """Reviews with at least one risk factor."""
    without: int
    """Reviews with none (never drawn)."""


def grid_rows(grid: RiskGrid, limit: int = MAX_GRID_ROWS) -> GridRows:
    """The reviews the risk chart draws: those with a risk factor, at most `limit` of them (most factors,
    then most sentences, first; ties in the grid's order)."""
    factors = [sum(1 for v in row if v) for row in grid.cells]
    rows = [i for i, n in enumerate(factors) if n]
    if len(rows) > limit:
        rows = sorted(rows, key=lambda i: (-factors[i], -sum(grid.cells[i])))[:limit]
    return GridRows(tuple(rows), sum(1 for n in factors if n), sum(1 for n in factors if not n))


def grid_caption(grid: RiskGrid, limit: int = MAX_GRID_ROWS) -> str:
    """'Risk factors by review.' with what the chart leaves out: rows beyond `limit`, reviews with no factor."""
    g = grid_rows(grid, limit)
    text = "Risk factors by review"
    if len(g.shown) < g.with_factors:
        text += (f": {len(g.shown)} of the {g.with_factors} reviews with a risk factor shown, "
                 "those with the most factors first (the table below lists them all)")
    text += "."
    if g.without:
        text += (f" {g.without} review{' is' if g.without == 1 else 's are'} left out of the chart "
                 "for having no risk factor tagged.")
    return text


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _shade(value: int, top: int) -> str:
    if value <= 0:
        return "#ffffff"
    t = 0.25 + 0.75 * value / max(top, 1)
    rgb = [round(a + (b - a) * t) for a, b in zip(HEAT_LOW, HEAT_HIGH)]
    return "#%02x%02x%02x" % tuple(rgb)


def _series(theme: ThemeRow, with_corpus: bool) -> list[tuple[float, str]]:
    out = [(theme.batch_share, BATCH_COLOUR)]
    return out + [(theme.corpus_share, CORPUS_COLOUR)] if with_corpus else out


def selection_phrase(total: int, limit: int = MAX_BARS) -> str:
    """'each theme', or 'the 15 most common of 43 themes' when the chart shows a selection."""
    return "each theme" if total <= limit else f"the {limit} most common of {total} themes"


def _prevalence_title(with_corpus: bool, total: int = 0) -> str:
    which = selection_phrase(total)
    if with_corpus:
        return f"Share of reviews with {which}: this batch against the whole corpus"
    return f"Share of reviews with {which} (this batch is the whole corpus)"


def _batch_legend(with_corpus: bool) -> str:
    """No 'This batch' beside a missing corpus bar: the batch is the corpus, and the legend says so."""
    return "This batch" if with_corpus else "This batch (the whole corpus)"


def prevalence_svg(themes: Sequence[ThemeRow], with_corpus: bool = True) -> str:
    """Horizontal paired bars: batch share and corpus share for each theme (at most MAX_BARS)."""
    total = len(themes)
    themes = list(themes)[:MAX_BARS]
    label_w, bar_w, row_h, top = 260, 360, 34, 36
    width, height = label_w + bar_w + 70, top + row_h * len(themes) + 12
    parts = [
        f'<svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT};font-size:12px">',
        f"<title>{_prevalence_title(with_corpus, total)}</title>",
        f'<rect x="{label_w}" y="6" width="12" height="12" fill="{BATCH_COLOUR}"/>'
        f'<text x="{label_w + 18}" y="16">{_batch_legend(with_corpus)}</text>',
    ]
    if with_corpus:
        parts.append(f'<rect x="{label_w + 110}" y="6" width="12" height="12" fill="{CORPUS_COLOUR}"/>'
                     f'<text x="{label_w + 128}" y="16">Whole corpus</text>')
    for i, theme in enumerate(themes):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end">{escape(_clip(theme.name, 40))}</text>')
        for j, (share, colour) in enumerate(_series(theme, with_corpus)):
            by = y + 3 + j * 14
            w = max(round(bar_w * share), 1)
            parts.append(f'<rect x="{label_w}" y="{by}" width="{w}" height="12" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + w + 4}" y="{by + 10}" font-size="10">{round(share * 100)}%</text>')
    parts.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 8}" stroke="#555"/>')
    parts.append("</svg>")
    return "".join(parts)


def grid_svg(grid: RiskGrid) -> str:
    """Heatmap: one row per review shown (`grid_rows`), one column per risk factor, the count in each shaded cell."""
    cell, label_w, head_h = 30, 310, 150
    shown = grid_rows(grid).shown
    named = review_labels([r.title for r in grid.reviews], [r.path for r in grid.reviews])
    cols, rows = len(grid.labels), len(shown)
    width, height = label_w + cell * cols + 100, head_h + cell * rows + 10  # room for the slanted names
    top = max((v for row in grid.cells for v in row), default=0)
    parts = [
        f'<svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT};font-size:11px">',
        "<title>Risk factors by review: sentences affirming each factor</title>",
    ]
    for j, name in enumerate(grid.names):
        x = label_w + j * cell + cell / 2 + 4
        parts.append(
            f'<text x="{x}" y="{head_h - 6}" transform="rotate(-60 {x} {head_h - 6})">{escape(_clip(name, 28))}</text>'
        )
    for row, i in enumerate(shown):
        y = head_h + row * cell
        parts.append(f'<text x="{label_w - 6}" y="{y + 19}" text-anchor="end">{escape(named[i])}</text>')
        for j in range(cols):
            value = grid.cells[i][j]
            x = label_w + j * cell
            fill = _shade(value, top)
            ink = "#ffffff" if value and value > top / 2 else "#222222"
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#c8c8c8"/>')
            if value:
                parts.append(f'<text x="{x + cell / 2}" y="{y + 19}" text-anchor="middle" fill="{ink}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def prevalence_png(themes: Sequence[ThemeRow], path: Path, with_corpus: bool = True) -> Path:
    plt = _pyplot()
    themes = list(themes)[:MAX_BARS][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(themes) + 1.2), dpi=150)
    ys = range(len(themes))
    ax.barh([y + 0.2 for y in ys], [t.batch_share * 100 for t in themes], 0.4, color=BATCH_COLOUR,
            label=_batch_legend(with_corpus))
    if with_corpus:
        ax.barh([y - 0.2 for y in ys], [t.corpus_share * 100 for t in themes], 0.4, color=CORPUS_COLOUR,
                label="Whole corpus")
    ax.set_yticks(list(ys), [_clip(t.name, 40) for t in themes], fontsize=8)
    ax.set_xlabel("Share of reviews (%)")
    ax.set_xlim(0, 105)
    # above the bars, not over them: a legend inside the axes covers the last bar
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=8, frameon=False, borderaxespad=0.2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def grid_figure(grid: RiskGrid):
    """The matplotlib figure of the risk grid: the rows of `grid_rows`, column names above the cells (and
    below them too once the grid is tall enough that the top is out of sight)."""
    plt = _pyplot()
    from matplotlib.colors import LinearSegmentedColormap

    shown = grid_rows(grid).shown
    cells = [grid.cells[i] for i in shown]
    rows, cols = len(shown), len(grid.labels)
    both = rows >= LABELS_BELOW_FROM
    row_h = 0.4 if rows <= 12 else 0.28
    head = 1.6 * (2 if both else 1)
    fig, ax = plt.subplots(figsize=(max(4.0, 0.45 * cols + 3.5), max(2.0, row_h * rows + head + 0.6)), dpi=150)
    cmap = LinearSegmentedColormap.from_list("brief", ["#ffffff", BATCH_COLOUR])
    data = [list(row) for row in cells] or [[0] * max(cols, 1)]
    top = max((v for row in grid.cells for v in row), default=0)
    ax.imshow(data, cmap=cmap, aspect="auto", vmin=0, vmax=max(top, 1))
    for r, row in enumerate(cells):
        for j, value in enumerate(row):
            if value:
                ax.text(j, r, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > top / 2 else "#222222")
    names = [_clip(n, 28) for n in grid.names]
    ax.set_xticks(range(cols), names, fontsize=7)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=both, labelbottom=both)
    for tick in ax.xaxis.get_major_ticks():
        tick.label2.set(rotation=60, ha="left", rotation_mode="anchor")
        tick.label1.set(rotation=60, ha="right", rotation_mode="anchor")
    labels = review_labels([r.title for r in grid.reviews], [r.path for r in grid.reviews])
    ax.set_yticks(range(rows), [labels[i] for i in shown], fontsize=7)
    fig.tight_layout()
    return fig


def grid_png(grid: RiskGrid, path: Path) -> Path:
    plt = _pyplot()
    fig = grid_figure(grid)
    fig.savefig(path)
    plt.close(fig)
    return path
