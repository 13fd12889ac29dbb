"""Briefing wording where counts tie: a tie is said as a tie, not as an alphabetical ranking; chart captions
say when they show a selection; the .docx is A4 and names its author."""

from __future__ import annotations

from types import SimpleNamespace

from pipeline.report import layout
from pipeline.report.prevalence import cooccurrence
from pipeline.report.summary import describe, summarise
from tests.test_report_summary import _grid, _review, _theme

FACTORS = ["Child disability", "Child mental health", "Domestic abuse", "Neglect", "Parental mental health",
           "Substance misuse", "Unsafe sleep", "Poverty", "Housing", "Missing education", "Self-harm", "Exploitation"]


def _everything_tied():
    reviews = [_review(i) for i in range(4)]
    grid = _grid(reviews, {f: [0, 1, 2, 3] for f in FACTORS})
    return reviews, grid


def test_all_factors_tied_in_every_review_is_said_plainly():
    reviews, grid = _everything_tied()
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), [], grid, cooccurrence(grid)))
    assert "All 12 risk factors were tagged in every review." in text
    assert "most frequent" not in text and "9 others" not in text
    # every one of the 66 pairs is at 4: no pair is singled out
    assert "66 pairs of risk factors appeared together in all 4 reviews." in text
    assert "Child disability and child mental health appeared together" not in text


def test_a_large_tie_at_the_top_is_not_cut_alphabetically():
    reviews = [_review(i) for i in range(4)]
    factors = {f: [0, 1, 2] for f in FACTORS[:6]} | {"Zebra": [0]}
    grid = _grid(reviews, factors)
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), [], grid, cooccurrence(grid)))
    assert "6 risk factors were tied as the most frequent, each in 3 of 4 reviews" in text
    assert "15 pairs of risk factors appeared together in 3 reviews each" in text


def test_a_single_top_pair_is_still_named():
    reviews = [_review(i) for i in range(4)]
    grid = _grid(reviews, {"Domestic abuse": [0, 1, 2], "Neglect": [0, 1, 2], "Poverty": [3, 0]})
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), [], grid, cooccurrence(grid)))
    assert "Domestic abuse and neglect appeared together in 3 reviews." in text


def test_pairs_table_caption_says_all_pairs_are_tied():
    reviews, grid = _everything_tied()
    b = SimpleNamespace(cooccurrence=tuple(cooccurrence(grid)), grid=grid)
    table = layout.cooccurrence_table(b)
    assert "66 pairs tied at 4 reviews, 12 shown, listed alphabetically, not ranked" in table.caption
    small = _grid(reviews, {"A": [0, 1], "B": [0, 1], "C": [0, 1]})
    b = SimpleNamespace(cooccurrence=tuple(cooccurrence(small)), grid=small)
    assert layout.cooccurrence_table(b).caption.endswith("all pairs tied at 2 reviews, listed alphabetically, not ranked")
    ranked = _grid(reviews, {"A": [0, 1, 2], "B": [0, 1, 2], "C": [0]})
    b = SimpleNamespace(cooccurrence=tuple(cooccurrence(ranked)), grid=ranked)
    assert layout.cooccurrence_table(b).caption == "Risk factors found together in the same review"


def test_theme_chart_caption_says_it_shows_a_selection():
    themes = [_theme(f"T{i}", f"Theme {i}", 1, 4) for i in range(43)]
    b = SimpleNamespace(themes=themes, summary=SimpleNamespace(corpus_reviews=10, reviews=4))
    assert "the 15 most common of 43 themes" in layout.prevalence_caption(b)
    b = SimpleNamespace(themes=themes[:5], summary=SimpleNamespace(corpus_reviews=4, reviews=4))
    assert layout.prevalence_caption(b).startswith("Share of reviews with each theme.")
    from pipeline.report.charts import prevalence_svg
    assert "the 15 most common of 43 themes" in prevalence_svg(themes)


def test_theme_chart_legend_sits_above_the_bars(tmp_path, monkeypatch):
    from pipeline.report import charts

    plt = charts._pyplot()
    seen = {}
    real = plt.Figure.savefig

    def spy(fig, *a, **k):
        fig.canvas.draw()
        ax = fig.axes[0]
        seen["legend"] = ax.get_legend().get_window_extent()
        seen["axes"] = ax.get_window_extent()
        return real(fig, *a, **k)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    charts.prevalence_png([_theme(f"T{i}", f"Theme {i}", 4, 4, 0.9) for i in range(15)], tmp_path / "t.png")
    assert seen["legend"].y0 >= seen["axes"].y1 - 1  # wholly above the plotting area, covering no bar


def test_docx_is_a4_with_an_author(store, settings, tmp_path):
    import docx
    from docx.shared import Cm

    from pipeline.report.brief import build_briefing, write_briefing
    from tests.helpers.brief import fill_brief_store

    made = fill_brief_store(store)
    b = build_briefing(store, made.batch, settings)
    doc = docx.Document(str(write_briefing(b, tmp_path / "brief.docx")))
    assert doc.core_properties.author == "scr-themes"
    assert doc.core_properties.title == b.title
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    text_width = section.page_width - section.left_margin - section.right_margin
    assert all(shape.width <= text_width for shape in doc.inline_shapes)


def test_themes_tied_at_the_top_are_said_as_a_tie():
    """The sample briefing said 'The most common theme is X, found in 4 of 4 reviews' while 14 other themes
    were in all 4 too: the first of a tie reads as the winner."""
    reviews = [_review(i) for i in range(4)]
    grid = _grid(reviews, {"Neglect": [0]})
    many = [_theme(f"T{i}", f"Theme {i}", 4, 4) for i in range(15)] + [_theme("T99", "Rare", 1, 4)]
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), many, grid, cooccurrence(grid)))
    assert "15 themes were tied as the most common, each found in 4 of 4 reviews (100%)." in text
    assert "The most common theme is" not in text
    few = [_theme("T1", "Alpha", 3, 4), _theme("T2", "Beta", 3, 4), _theme("T3", "Gamma", 1, 4)]
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), few, grid, cooccurrence(grid)))
    assert "2 themes were tied as the most common, each found in 3 of 4 reviews (75%): “Alpha” and “Beta”." in text
    one = [_theme("T1", "Alpha", 3, 4), _theme("T2", "Beta", 2, 4)]
    text = " ".join(describe(summarise(reviews, [None] * 4, 4), one, grid, cooccurrence(grid)))
    assert "The most common theme is “Alpha”, found in 3 of 4 reviews (75%)" in text
