"""A small store for the briefing tests, written row by row through the real schema.

Five fictional reviews (sentences written for these tests, not taken from any report): three form the
batch, two are older corpus reviews. Each has pages, sections, sentences with offsets into the page text,
tags (with a negated mention), learning points, and membership of three themes (two matching taxonomy
labels, one emerging). One sentence runs over a page break (its text is not on its page) so tests can
check that it is never quoted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from pipeline.records import sentence_id, text_hash
from pipeline.store.connection import transaction, utcnow

TAGGER = "rules-test-1"
MODEL = "rules"

# theme id -> (name, label, keywords)
THEMES = {
    "T0001": ("Information sharing", "information_sharing", ["information", "shared", "agencies"]),
    "T0002": ("Domestic abuse", "domestic_abuse", ["domestic", "abuse", "partner"]),
    "T0003": ("Home visits during lockdown", None, ["visits", "lockdown", "virtual"]),
}


@dataclass(frozen=True)
class Line:
    text: str
    section: str = "Findings"
    labels: tuple[tuple[str, str, str], ...] = ()
    """(label, kind, assertion)."""
    learning: bool = False
    theme: str | None = None
    similarity: float = 0.0


DA = ("domestic_abuse", "risk_factor", "present")
MH = ("parental_mental_health", "risk_factor", "present")
SUB = ("parental_substance_misuse", "risk_factor", "present")
NEG = ("neglect", "risk_factor", "negated")
IS = ("information_sharing", "learning_theme", "present")

_DOCS = [
    # (title, type, year, area, age, age_text, outcome, cause, pages: list of list[Line])
    ("Child A: a Child Safeguarding Practice Review", "CSPR", 2022, "Northshire", 0.4, "5 months", "death",
     "sudden unexpected infant death", [
         [Line("Child A lived with their mother and her partner in a rented flat on the edge of the town.", "Background"),
          Line("Police attended the flat twice after neighbours reported shouting and a woman screaming.", "Background",
               (DA,), theme="T0002", similarity=0.81),
          Line("The health visitor was not told about either police call-out before the new birth visit.", "Findings",
               (IS,), theme="T0001", similarity=0.88)],
         [Line("Information about the domestic abuse incidents was held by police but was not shared with health "
               "or children's social care.", "Findings", (DA, IS), True, "T0001", 0.93),
          Line("There was no evidence that the home conditions were neglectful at any visit.", "Findings", (NEG,)),
          Line("Mother had been prescribed antidepressants by her GP after a period of low mood.", "Findings", (MH,)),
          Line("Recommendation 1: the partnership should ensure that police notifications of domestic abuse reach "
               "the health visiting service within one working day.", "Recommendations", (DA, IS), True, "T0001", 0.9)],
     ]),
    ("Safeguarding Practice Review: Child B", "CSPR", 2023, "Eastvale", 14.0, "14 years", "serious harm", "other", [
        [Line("Child B was a fourteen year old who lived with his father and two younger siblings.", "Background"),
         Line("Father told the school that the arguments with his ex-partner had stopped, and this was accepted.",
              "Findings", (DA,), theme="T0002", similarity=0.77),
         Line("Face-to-face home visits were replaced by telephone calls during the first lockdown period.",
              "Findings", theme="T0003", similarity=0.86)],
        [Line("Professionals should have seen Child B at home rather than relying on virtual contact during "
              "lockdown.", "Learning", (), True, "T0003", 0.84),
         Line("The school nurse held notes about self-harm that were never passed to the GP or to the social "
              "worker.", "Findings", (IS,), True, "T0001", 0.85),
         Line("Father described drinking heavily at weekends, which was not explored in the assessment.", "Findings",
              (SUB,), theme="T0002", similarity=0.4)],
    ]),
    ("Serious Case Review: Family C", "SCR", 2021, "Northshire", None, "unknown", "death", "homicide", [
        [Line("Family C had been known to children's services for six years before the incident.", "Introduction"),
         Line("The mother disclosed to her midwife that her partner controlled her money and her phone, and a DASH "
              "risk assessment was completed.", "Findings", (DA,), theme="T0002", similarity=0.91),
         Line("The MARAC referral was made but the outcome was not shared with the midwife or the GP practice, "
              "which left the",
              "Findings", (DA, IS), theme="T0001", similarity=0.95)],
        [Line("The review found that agencies did not share what they knew about the partner's violent history.",
              "Findings", (DA, IS), True, "T0001", 0.87),
         Line("Mother's alcohol use increased after the birth, and she missed three antenatal appointments.",
              "Findings", (SUB, MH)),
         Line("Visits by the family support worker moved online in the pandemic and were not restarted afterwards.",
              "Findings", (), theme="T0003", similarity=0.8)],
    ]),
    ("Serious Case Review: Child D", "SCR", 2016, "Westmoor", 2.0, "2 years", "serious harm", "maltreatment", [
        [Line("Child D was brought to hospital with bruising that the parents could not explain.", "Background"),
         Line("Police and social care did not share their records of the couple's violent arguments.", "Findings",
              (DA, IS), True, "T0001", 0.82)],
    ]),
    ("Serious Case Review: Young Person E", "SCR", 2018, "Westmoor", 16.0, "16 years", "death", "suicide", [
        [Line("Young Person E had been waiting eleven weeks for a CAMHS appointment when she died.", "Background"),
         Line("Mother's partner had a history of violence towards previous partners that was known to probation.",
              "Findings", (DA,), theme="T0002", similarity=0.7)],
    ]),
]


@dataclass(frozen=True)
class BriefStore:
    batch: tuple[str, ...]
    """doc_ids of the three batch reviews."""
    corpus: tuple[str, ...]
    """doc_ids of every review in the store."""
    split_sentence: str
    """sentence_id of the sentence that runs over a page break (never quotable)."""


def _doc_id(title: str) -> str:
    return hashlib.sha256(title.encode()).hexdigest()


def fill_brief_store(conn, with_themes: bool = True) -> BriefStore:
    """Write the five reviews (and, unless `with_themes` is False, the three themes) into `conn`."""
    now = utcnow()
    ids, split = [], ""
    with transaction(conn):
        conn.execute("INSERT INTO runs(run_id, command, started_at, ended_at, outcome) VALUES "
                     "('20261126T0900-abc123', 'run', ?, ?, 'ok')", (now, now))
        if with_themes:
            for tid, (name, label, keywords) in THEMES.items():
                conn.execute("INSERT INTO themes(theme_id, name, label, keywords_json, size) VALUES (?,?,?,?,0)",
                             (tid, name, label, json.dumps(keywords)))
        for title, rtype, year, area, age, age_text, outcome, cause, pages in _DOCS:
            doc = _doc_id(title)
            ids.append(doc)
            n_sent = sum(len(p) for p in pages)
            conn.execute(
                "INSERT INTO documents(doc_id, path, source_format, title, review_type, year, area, subject_age,"
                " subject_age_text, outcome, cause, pages, sentences, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc, f"/reviews/{doc[:8]}.pdf", "pdf", title, rtype, year, area, age, age_text, outcome, cause,
                 len(pages), n_sent, now))
            ordinal = 0
            for page_no, lines in enumerate(pages, start=1):
                page_text, offsets = "", []
                for line in lines:
                    if page_text:
                        page_text += " "
                    offsets.append(len(page_text))
                    page_text += line.text
                if lines[-1].text.endswith("the"):
                    page_text = page_text[: -len(" the")] + "."  # the last sentence runs over to the next page
                conn.execute("INSERT INTO pages(doc_id, page, text) VALUES (?,?,?)", (doc, page_no, page_text))
                for line, start in zip(lines, offsets):
                    sid = sentence_id(doc, ordinal)
                    if line.text.endswith("the"):
                        split = sid
                    conn.execute(
                        "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, section, text, text_hash)"
                        " VALUES (?,?,?,?,?,?,?,?,?)",
                        (sid, doc, ordinal, page_no, start, start + len(line.text), line.section, line.text,
                         text_hash(line.text)))
                    conn.execute(
                        "INSERT INTO sentence_tagging VALUES (?,?,?,?,?)",
                        (sid, TAGGER, int(line.learning), 0.9 if line.learning else 0.1, now))
                    for label, kind, assertion in line.labels:
                        conn.execute(
                            "INSERT INTO tags(sentence_id, label, kind, score, assertion, source, model_version)"
                            " VALUES (?,?,?,?,?,?,?)", (sid, label, kind, 0.8, assertion, "rule", MODEL))
                    if with_themes and line.theme:
                        conn.execute("INSERT INTO theme_members VALUES (?,?,?)", (sid, line.theme, line.similarity))
                    ordinal += 1
        conn.execute("INSERT INTO meta(key, value) VALUES ('themes.model_version', 'minilm-test')")
    return BriefStore(batch=tuple(ids[:3]), corpus=tuple(ids), split_sentence=split)


def quote_on_page(conn, doc_id: str, page: int, text: str) -> bool:
    """Whether `text` appears word for word (whitespace aside) on that page of that document."""
    row = conn.execute("SELECT text FROM pages WHERE doc_id = ? AND page = ?", (doc_id, page)).fetchone()
    return row is not None and " ".join(text.split()) in " ".join(row[0].split())


def html_quotes(html_text: str) -> list[tuple[str, str]]:
    """(blockquote text, text of the <cite> right after it) for every quote of a briefing's HTML.

    Raises AssertionError when a blockquote is not followed by a cite or holds markup.
    """
    from html.parser import HTMLParser

    class Quotes(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.pairs: list[list[str]] = []
            self.inside: str | None = None
            self.expect_cite = False

        def handle_starttag(self, tag, attrs):
            if self.inside == "blockquote":
                raise AssertionError(f"markup <{tag}> inside a blockquote")
            if tag == "blockquote":
                assert not self.expect_cite, "a blockquote without its cite"
                self.inside, self.expect_cite = "blockquote", True
                self.pairs.append(["", ""])
            elif tag == "cite":
                assert self.expect_cite, "a cite that follows no blockquote"
                self.inside, self.expect_cite = "cite", False

        def handle_endtag(self, tag):
            if tag == self.inside:
                self.inside = None

        def handle_data(self, data):
            if self.inside == "blockquote":
                self.pairs[-1][0] += data
            elif self.inside == "cite":
                self.pairs[-1][1] += data
            elif self.expect_cite and data.strip():
                raise AssertionError(f"text between a blockquote and its cite: {data.strip()[:40]!r}")

    parser = Quotes()
    parser.feed(html_text)
    parser.close()
    assert not parser.expect_cite, "the last blockquote has no cite"
    return [(q, c) for q, c in parser.pairs]


def external_references(html_text: str) -> list[str]:
    """Anything in the HTML that would make a browser fetch: http(s) or protocol-relative src/href, @import, url()."""
    import re

    found = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", html_text, re.IGNORECASE)
    found += re.findall(r"@import[^;]*", html_text, re.IGNORECASE)
    found += re.findall(r"url\(\s*['\"]?(?!#|data:)[^)]*\)", html_text, re.IGNORECASE)
    return found


def parse_citation(cite: str) -> tuple[str, int, str | None]:
    """'Title, page 4, section “Findings”' -> (title, 4, 'Findings')."""
    import re

    m = re.fullmatch(r"(?s)(.*), page (\d+)(?:, section \u201c(.*)\u201d)?", " ".join(cite.split()))
    assert m, f"not a citation: {cite!r}"
    return m.group(1), int(m.group(2)), m.group(3)


def png_variance(path) -> float:
    """Pixel variance of an image in greyscale (0 for a blank page)."""
    from PIL import Image, ImageStat

    with Image.open(path) as img:
        return ImageStat.Stat(img.convert("L")).var[0]


def render_png(chromium: str, html, png):
    """Screenshot of the local file `html` by headless Chromium (network unused); returns `png`."""
    import subprocess
    from pathlib import Path

    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", "--window-size=1200,1800", f"--screenshot={png}", Path(html).resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return png
