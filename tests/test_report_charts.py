"""The risk-factor grid chart at corpus scale (hundreds of reviews) and at batch scale (ten)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pipeline.report.charts import MAX_GRID_ROWS, grid_caption, grid_figure, grid_png, grid_svg
from pipeline.report.model import ReviewRow, RiskGrid

NAMES = ("Parental mental health", "Domestic abuse", "Child mental health", "Neglect", "Hidden men", "Unsafe sleep")


def _grid(n: int, empty_every: int = 0) -> RiskGrid:
    """n reviews; review i affirms (i % 6) + 1 factors, except every `empty_every`-th, which affirms none."""
    reviews, cells = [], []
    for i in range(n):
        reviews.append(ReviewRow(doc_id=f"{i:064x}", title=f"Regulation 28 report: Person {i:03d}",
                                 review_type="PFD", year=2023, area="unknown", subject_age="unknown",
                                 outcome="death", cause="unknown", pages=2, path=f"/r/{i}.txt"))
        k = 0 if empty_every and i % empty_every == 0 else i % len(NAMES) + 1
        cells.append(tuple(2 if j < k else 0 for j in range(len(NAMES))))
    labels = tuple(n.lower().replace(" ", "_") for n in NAMES)
    return RiskGrid(labels, NAMES, tuple(reviews), tuple(cells))


def _svg_rows(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


def test_corpus_grid_leaves_out_reviews_without_factors_and_caps_the_rows(tmp_path):
    from PIL import Image

    grid = _grid(274, empty_every=9)  # 31 reviews with no risk factor
    with_factors = sum(1 for row in grid.cells if any(row))
    assert with_factors == 243
    caption = grid_caption(grid)
    assert f"{MAX_GRID_ROWS} of the 243 reviews with a risk factor shown" in caption
    assert "31 reviews are left out of the chart for having no risk factor tagged" in caption

    rows = _svg_rows(grid_svg(grid))
    assert len(rows) == MAX_GRID_ROWS
    shown = {int(r[-3:]) for r in rows}
    assert all(sum(1 for v in grid.cells[i] if v) == len(NAMES) for i in shown)  # those with most factors

    with Image.open(grid_png(grid, tmp_path / "risks.png")) as img:
        width, height = img.size
    assert height <= 3000 and width <= 2000


def test_column_names_are_above_the_cells_and_below_too_when_tall():
    import matplotlib.pyplot as plt

    for n, below in ((10, False), (274, True)):
        fig = grid_figure(_grid(n))
        try:
            ticks = fig.axes[0].xaxis.get_major_ticks()
            assert [t.label2.get_text() for t in ticks] == list(NAMES)
            assert all(t.label2.get_visible() for t in ticks)
            assert all(t.label1.get_visible() == below for t in ticks)
        finally:
            plt.close(fig)


def test_small_batch_chart_shows_every_review_with_a_factor_in_batch_order(tmp_path):
    from PIL import Image

    grid = _grid(10)
    assert grid_caption(grid) == "Risk factors by review."
    assert _svg_rows(grid_svg(grid)) == [r.title for r in grid.reviews]
    with Image.open(grid_png(grid, tmp_path / "risks.png")) as img:
        assert img.size[1] < 1200

    some_empty = _grid(10, empty_every=4)  # reviews 0, 4 and 8 have none
    assert _svg_rows(grid_svg(some_empty)) == [r.title for i, r in enumerate(some_empty.reviews) if i % 4]
    assert grid_caption(some_empty).endswith("3 reviews are left out of the chart for having no risk factor tagged.")


@pytest.fixture
def big_briefing(store, settings):
    from pipeline.report.brief import build_briefing
    from tests.helpers.brief import fill_brief_store

    made = fill_brief_store(store)
    return dataclasses.replace(build_briefing(store, made.batch, settings), grid=_grid(274, empty_every=9))


def test_writers_caption_the_chart_and_docx_keeps_it_on_a_page(big_briefing, tmp_path):
    import docx
    from docx.shared import Inches

    from pipeline.report.brief import write_briefing

    caption = grid_caption(big_briefing.grid)
    html = write_briefing(big_briefing, tmp_path / "b.html").read_text(encoding="utf-8")
    assert f"<figcaption>{caption}</figcaption>" in html
    md = write_briefing(big_briefing, tmp_path / "b.md").read_text(encoding="utf-8")
    assert f"*{caption}*" in md
    doc = docx.Document(str(write_briefing(big_briefing, tmp_path / "b.docx")))
    assert caption in [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert all(shape.height <= Inches(8.5) + 1 for shape in doc.inline_shapes)
