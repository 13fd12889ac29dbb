"""The HTML briefing rendered by headless Chromium: it shows something (not a blank page)."""

from __future__ import annotations

import pytest

from pipeline.report.brief import build_briefing, write_briefing
from tests.helpers.brief import fill_brief_store, png_variance, render_png


@pytest.mark.slow
def test_html_briefing_renders_in_chromium(store, settings, tmp_path, chromium_path):
    made = fill_brief_store(store)
    html = write_briefing(build_briefing(store, made.batch, settings), tmp_path / "brief.html")
    png = render_png(chromium_path, html, tmp_path / "brief.png")
    assert png.stat().st_size > 10_000
    assert png_variance(png) > 100  # a blank (single-colour) page has variance 0
