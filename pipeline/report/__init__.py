"""Thematic briefings: a batch of reviews in the store -> a briefing draft (HTML, Markdown or DOCX).

`build_briefing` (build.py) reads the store into a typed `Briefing` (model.py); the writers (html.py,
markdown.py, docx.py) lay it out. pipeline.report.brief gathers the public entry points.
"""
