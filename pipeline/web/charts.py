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


def trend(points: dict[int, float], years: list[int], width: int = 160, height: int = 36,
          title: str = "", axis: bool = False) -> Markup:
    """A line of values by year over the `years` given (missing years count as 0)."""
    if not years:
        return Markup("")
    pad_b = 14 if axis else 2
    values = [float(points.get(y, 0)) for y in years]
    top = max(values) or 1.0
    span = max(1, len(years) - 1)
    xy = [(2 + (width - 4) * i / span, 2 + (height - pad_b - 2) * (1 - v / top)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#c0504d"><title>{years[i]}: {values[i]:g}</title></circle>'
        for i, (x, y) in enumerate(xy))
    labels = ""
    if axis:
        labels = (f'<text x="2" y="{height - 2}" font-size="10" fill="#555">{years[0]}</text>'
                  f'<text x="{width - 2}" y="{height - 2}" font-size="10" fill="#555" text-anchor="end">{years[-1]}</text>')
    return Markup(
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<polyline points="{line}" fill="none" stroke="#c0504d" stroke-width="1.5"/>{dots}{labels}</svg>'
    )
