"""Small charts drawn on the server as inline SVG (nothing loaded from anywhere): prevalence bars and
trend lines. Text in them is escaped; only presentation attributes are used (no inline style)."""

from __future__ import annotations

from markupsafe import Markup, escape


def bar(value: float, maximum: float, width: int = 160, height: int = 14, title: str = "") -> Markup:
    """A horizontal bar, `value` out of `maximum`."""
    w = 0 if maximum <= 0 else max(1, round(width * value / maximum)) if value > 0 else 0
    return Markup(
        f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef1f5"/>'
        f'<rect x="0" y="0" width="{w}" height="{height}" fill="#3b6ea5"/></svg>'
    )


def trend(points: dict[int, float], years: list[int], totals: dict[int, int] | None = None, width: int = 160,
          height: int = 36, title: str = "", axis: bool = False) -> Markup:
    """A line by year over the `years` given. With `totals` (documents per year) it plots the share of that
    year's documents with the theme on a fixed 0-100% scale, and leaves a gap at years with no documents
    (no reviews is not the same as none with the theme); without, raw counts (a missing year counts as 0)."""
    if not years:
        return Markup("")
    pad_b = 14 if axis else 2
    if totals is None:
        values: list[float | None] = [float(points.get(y, 0)) for y in years]
        top = max((v for v in values if v is not None), default=0.0) or 1.0
        tips = [f"{y}: {v:g}" for y, v in zip(years, values)]
    else:
        values = [min(1.0, points.get(y, 0) / totals[y]) if totals.get(y) else None for y in years]
        top = 1.0
        tips = [f"{y}: {points.get(y, 0)} of {totals[y]} documents ({v:.0%})" if v is not None else ""
                for y, v in zip(years, values)]
    span = max(1, len(years) - 1)
    xy = [None if v is None else (2 + (width - 4) * i / span, 2 + (height - pad_b - 2) * (1 - v / top))
          for i, v in enumerate(values)]
    segments: list[list[tuple[float, float]]] = [[]]
    for p in xy:
        if p is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append(p)
    lines = "".join(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in seg)}" fill="none" stroke="#c0504d"'
        f' stroke-width="1.5"/>' for seg in segments if len(seg) > 1)
    dots = "".join(
        f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="2" fill="#c0504d"><title>{escape(tips[i])}</title></circle>'
        for i, p in enumerate(xy) if p is not None)
    labels = ""
    if axis:
        labels = (f'<text x="2" y="{height - 2}" font-size="10" fill="#555">{years[0]}</text>'
                  f'<text x="{width - 2}" y="{height - 2}" font-size="10" fill="#555" text-anchor="end">{years[-1]}</text>')
    return Markup(
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}"><title>{escape(title)}</title>{lines}{dots}{labels}</svg>'
    )
