"""The briefing as one self-contained HTML file: inline CSS and SVG, no scripts, no external requests.

Every text is escaped (jinja2 autoescape). Each quote is a <blockquote> holding exactly the quoted
words, followed by a <cite> naming the review, page and section. Print CSS keeps quotes and table rows
whole across pages.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from pipeline.report import layout
from pipeline.report.charts import grid_svg, prevalence_svg
from pipeline.report.model import Briefing

CSS = """
:root { --ink: #1d2329; --muted: #5b6670; --accent: #1f5f8b; --rule: #d5dde3; }
* { box-sizing: border-box; }
body { font-family: Georgia, "Times New Roman", serif; color: var(--ink); max-width: 60rem; margin: 2rem auto;
       padding: 0 1.5rem; line-height: 1.5; font-size: 16px; }
h1, h2, h3, th, cite, .meta, nav, figcaption { font-family: Arial, Helvetica, sans-serif; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; color: var(--accent); }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.4rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
.meta { color: var(--muted); font-size: .9rem; }
.note { background: #fff7e0; border-left: 4px solid #e0a800; padding: .5rem .8rem; font-size: .95rem; }
nav ol { columns: 2; font-size: .95rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .88rem; }
caption { text-align: left; font-family: Arial, Helvetica, sans-serif; color: var(--muted); padding: .2rem 0; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; vertical-align: top; text-align: left; }
th { background: #eef3f7; }
.table { overflow-x: auto; }
figure { margin: 1rem 0; overflow-x: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
.quote { margin: .9rem 0 1.1rem; break-inside: avoid; }
blockquote { margin: 0; padding: .35rem .9rem; border-left: 4px solid var(--accent); background: #f6f9fb;
             font-style: italic; }
cite { display: block; margin: .25rem 0 0 1.1rem; font-size: .85rem; font-style: normal; color: var(--muted); }
.tag { display: inline-block; font-family: Arial, Helvetica, sans-serif; font-size: .72rem; text-transform: uppercase;
       letter-spacing: .04em; padding: .05rem .4rem; border-radius: 3px; background: #e4edf4; color: var(--accent);
       margin-bottom: .2rem; }
.tag.rec { background: #fdebd3; color: #8a4b00; }
.keywords { color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, .quote, figure { break-inside: avoid; }
  .table { overflow: visible; }
  table { font-size: 8pt; }
  #appendix { break-before: page; }
  blockquote { background: none; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 18mm 16mm; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ b.title }}</title>
<style>{{ css | safe }}</style>
</head>
<body>
<header>
<h1>{{ b.title }}</h1>
<p class="meta">{{ subtitle }}</p>
{% for note in b.notes %}<p class="note">{{ note }}</p>{% endfor %}
</header>
<nav><ol>
{% for id, name in sections %}<li><a href="#{{ id }}">{{ name }}</a></li>{% endfor %}
</ol></nav>

<section id="summary">
<h2>{{ L.SUMMARY }}</h2>
<p>{{ b.summary.sentences | join(" ") }}</p>
{{ table(facts, header=False) }}
</section>

<section id="themes">
<h2>{{ L.THEMES }}</h2>
<p>{{ theme_intro }}</p>
{% if b.themes %}
<figure>{{ prevalence_chart | safe }}<figcaption>{{ prevalence_caption }}</figcaption></figure>
{{ table(themes) }}
{% else %}<p>No themes were found in these reviews.</p>{% endif %}
</section>

<section id="risks">
<h2>{{ L.RISKS }}</h2>
{% if b.grid.labels %}
<p>Each cell counts the sentences of a review that affirm a risk factor (denied mentions are not counted).</p>
<figure>{{ grid_chart | safe }}<figcaption>{{ grid_caption }}</figcaption></figure>
{{ table(grid) }}
{% if b.cooccurrence %}<h3>Risk factors found together</h3>{{ table(cooc) }}{% endif %}
{% else %}<p>No risk factors were tagged in these reviews.</p>{% endif %}
</section>

<section id="quotes">
<h2>{{ L.QUOTES }}</h2>
<p>For each leading theme, the sentences of this batch closest to the theme's centre.</p>
{% for tq in b.quotes %}
<h3>{{ tq.name }}</h3>
{% for q in tq.quotes %}<div class="quote"><blockquote>{{ q.text }}</blockquote><cite>{{ cite(q) }}</cite></div>
{% endfor %}{% else %}<p>No quotable sentences were found.</p>{% endfor %}
</section>

<section id="learning">
<h2>{{ L.LEARNING }}</h2>
{% for g in b.learning %}
<h3>{{ g.name }}</h3>
{% if g.total > g.points|length %}<p class="meta">{{ g.points|length }} of {{ g.total }} shown, strongest first.</p>{% endif %}
{% for p in g.points %}<div class="quote"><span class="tag{{ ' rec' if p.recommendation }}">{{ label(p.recommendation) }}</span><blockquote>{{ p.quote.text }}</blockquote><cite>{{ cite(p.quote) }}</cite></div>
{% endfor %}{% else %}<p>No learning points or recommendations were found in these reviews.</p>{% endfor %}
</section>

<section id="appendix">
<h2>{{ L.APPENDIX }}</h2>
<h3>Method</h3>
{% for para in b.appendix.method %}<p>{{ para }}</p>{% endfor %}
<h3>Versions</h3>
{{ table(versions) }}
<h3>{{ L.TRUST }}</h3>
{% for para in trust_paragraphs %}<p>{{ para }}</p>{% endfor %}
{{ table(trust) }}
<h3>Reviews</h3>
{{ table(reviews) }}
</section>
</body>
</html>
"""

TABLE = """{% macro table(t, header=True) %}<div class="table"><table>
<caption>{{ t.caption }}</caption>
{% if header %}<thead><tr>{% for h in t.headers %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>{% endif %}
<tbody>{% for row in t.rows %}<tr>{% for cell in row %}{% if loop.first and not header %}<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>
{% endfor %}</tbody>
</table></div>{% endmacro %}"""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
    env.globals.update(cite=layout.citation, label=layout.learning_label, L=layout)
    return env


def render_html(b: Briefing) -> str:
    env = _environment()
    macros = env.from_string(TABLE).module
    template = env.from_string(TEMPLATE)
    sections = [
        ("summary", layout.SUMMARY), ("themes", layout.THEMES), ("risks", layout.RISKS),
        ("quotes", layout.QUOTES), ("learning", layout.LEARNING), ("appendix", layout.APPENDIX),
    ]
    return template.render(
        b=b, css=CSS, subtitle=layout.subtitle(b), sections=sections, theme_intro=layout.theme_intro(b),
        table=macros.table, facts=layout.facts_table(b.summary), themes=layout.themes_table(b),
        grid=layout.grid_table(b), cooc=layout.cooccurrence_table(b), versions=layout.versions_table(b),
        trust=layout.trust_table(b), trust_paragraphs=layout.trust_paragraphs(b),
        reviews=layout.reviews_table(b), prevalence_chart=prevalence_svg(b.themes, layout.compares_with_corpus(b)), grid_chart=grid_svg(b.grid),
        prevalence_caption=layout.prevalence_caption(b),
        grid_caption=layout.grid_caption(b),
    )


def write_html(b: Briefing, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(b), encoding="utf-8")
    return path
