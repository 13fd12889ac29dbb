"""The sections of a fictional review, built from the phrase banks (see review_text.py)."""

from __future__ import annotations

import datetime as dt

from tests.helpers import review_phrases as P
from tests.helpers.review_text import (
    FOLLOW_UPS, MONTHS, OPENERS, Block, Bullets, Heading, Para, ReviewCase, Sent, Table, _stream, _Writer,
    fmt_date, headline,
)
from tests.helpers.review_themes import THEME_TEXT

RISK_LABELS = tuple(k for k, v in THEME_TEXT.items() if v.get("negated"))


def _heading(w: _Writer, label: str) -> str:
    return str(THEME_TEXT[label]["heading"]).format(**w.slots())


def _footnoted(w: _Writer, text: str) -> Sent:
    """A sentence carrying a footnote marker, at its end or after a word in the middle."""
    note = w.pick(P.FOOTNOTES)[0]
    words = text.split()
    anchor = -1 if w.rng.random() < 0.6 or len(words) < 6 else w.rng.randint(2, len(words) - 3)
    return Sent(text, footnote=note, anchor=anchor)


def front_matter(case: ReviewCase) -> list[Block]:
    w = _stream(case, "front")
    head = headline(case)
    themes = case.themes
    exec_paras = [
        Para((Sent(head[0]), Sent(head[1]), Sent(w.fill(
            "This review was commissioned by the {area} partnership to understand what can be learned."))), False),
    ]
    for label in themes:
        picks = [w.analysis_sentence(t) for t in w.pick(w.theme(label, "analysis"), 2)]
        picks.append(w.fill(w.pick(w.theme(label, "learning"))[0], unique=False))
        exec_paras.append(Para(tuple(Sent(s) for s in picks), False))
    exec_paras.append(Para(tuple(Sent(w.fill(t)) for t in w.pick(P.CONCLUSION, 2)), False))
    blocks: list[Block] = [Heading(1, "Executive summary", numbered=False, columns=2, new_page=True), *exec_paras]

    blocks.append(Heading(1, "Introduction", new_page=True))
    intro = [Sent(s) for s in head] + [Sent(w.fill(
        "{child} lived with {mother} and, for part of the period, with {father}, in {area}."))]
    blocks.append(Para(tuple(intro)))
    kind = "serious case review" if case.review_type == "SCR" else "local child safeguarding practice review"
    blocks.append(Para((_footnoted(w, f"The partnership decided that the case met the criteria for a {kind}."),
                        Sent(w.fill(P.CONTEXT_SENTENCES[5])))))
    blocks.append(Para(tuple(Sent(w.fill(t)) for t in w.pick(P.CONTEXT_SENTENCES, 3))))

    blocks.append(Heading(1, "The review process"))
    blocks.append(Heading(2, "Terms of reference"))
    blocks.append(Para((Sent(w.fill("The terms of reference for the review are summarised below; the full text is at Appendix A.")),)))
    blocks.append(Bullets(tuple(Sent(w.fill(t)) for t in w.pick(P.TERMS_OF_REFERENCE, 4))))
    blocks.append(Heading(2, "Methodology"))
    for _ in range(2):
        sents = [Sent(w.fill(t)) for t in w.pick(P.CONTEXT_SENTENCES, 3)]
        sents[1] = _footnoted(w, sents[1].text)
        blocks.append(Para(tuple(sents)))
    blocks.append(Heading(2, "Agencies involved"))
    blocks.append(Para((Sent(w.fill("The agencies that contributed to the review are listed in the table below.")),)))
    rows = []
    for agency in w.rng.sample(P.AGENCIES, 7):
        start = case.incident.year - w.rng.randint(1, 3)
        rows.append((agency[0].upper() + agency[1:], w.rng.choice(("Chronology and report", "Chronology",
                     "Information only", "Individual management review")), f"{start} to {case.incident.year}"))
    blocks.append(Table(("Agency", "Contribution to the review", "Period of involvement"), tuple(rows), (0.4, 0.35, 0.25)))

    blocks.append(Heading(1, f"{case.child} and the family"))
    fam = ("{child} is the younger of two children; {his} older sibling is referred to as Sibling 1.",
           "{mother} is described by those who knew her as a loving parent who found it hard to ask for help.",
           "{father} was in and out of the household during the period under review.",
           "{mother} told the reviewer that {child} loved music and being outdoors.",
           "The family is White British, and English is the first language spoken at home.",
           "The reviewer has tried to describe what daily life was like for {child}.")
    blocks.append(Para(tuple(Sent(w.fill(t)) for t in fam[:3])))
    blocks.append(Para(tuple(Sent(w.fill(t)) for t in fam[3:])))
    return blocks


def chronology(case: ReviewCase, n_events: int) -> list[Block]:
    w = _stream(case, "chronology")
    blocks: list[Block] = [Heading(1, "Summary of key events"), Para((Sent(w.fill(
        "This section summarises the key events known to agencies, in date order.")),))]
    if n_events <= 0:
        return blocks
    start = case.incident - dt.timedelta(days=max(400, case.age_months * 30 + 300))
    span = (case.incident - start).days
    dates = sorted(start + dt.timedelta(days=w.rng.randint(0, span - 1)) for _ in range(n_events))
    risk_others = [label for label in RISK_LABELS if label not in case.themes]
    periods = min(6, max(1, n_events // 12))
    per = -(-n_events // periods)
    for i, date in enumerate(dates):
        if i % per == 0:
            end = dates[min(i + per, n_events) - 1]
            blocks.append(Heading(2, f"{MONTHS[date.month - 1]} {date.year} to {MONTHS[end.month - 1]} {end.year}"))
        roll = w.rng.random()
        if roll < 0.65:
            label = w.rng.choice(case.themes)
            events = w.suitable(THEME_TEXT[label].get("event", ()), date) or w.suitable(P.ROUTINE_EVENTS, date)
            event = w.rng.choice(events or w.theme(label, "event"))
        else:
            event = w.rng.choice(w.suitable(P.ROUTINE_EVENTS, date) or P.ROUTINE_EVENTS)
        opener = w.rng.choice(OPENERS)
        first = w.fill(opener + event + ".", date=date)
        sents = [Sent(first)]
        for _ in range(w.rng.randint(2, 4)):
            sents.append(Sent(w.fresh(FOLLOW_UPS, date=date)))
        if risk_others and w.rng.random() < 0.12:
            pool = [t for label in risk_others for t in w.theme(label, "negated")]
            denial = w.fresh(pool)
            if sents.count(Sent(denial)) == 0:
                sents.append(Sent(denial))
        blocks.append(Para(tuple(sents)))
    closing = w.fill("On {date} {child} was found at home by emergency services.", date=case.incident)
    blocks.append(Para((Sent(closing), Sent(headline(case)[1]))))
    return blocks


def analysis(case: ReviewCase) -> list[Block]:
    w = _stream(case, "analysis")
    blocks: list[Block] = [Heading(1, "Analysis", new_page=True), Para((Sent(w.fill(
        "This section considers the practice themes that emerged from the review.")),))]
    for label in case.themes:
        blocks.append(Heading(2, _heading(w, label)))
        analysis_t, learning_t = w.theme(label, "analysis"), w.theme(label, "learning")
        for j in range(4):
            sents = [w.analysis_sentence(t) for t in w.rng.sample(analysis_t, min(2, len(analysis_t)))]
            sents.append(w.fresh(FOLLOW_UPS))
            if j % 2 == 1:
                sents.append(w.analysis_sentence(w.rng.choice(learning_t)))
            first = _footnoted(w, sents[0]) if w.rng.random() < 0.25 else Sent(sents[0])
            blocks.append(Para((first, *(Sent(s) for s in sents[1:]))))
        others = [lb for lb in RISK_LABELS if lb not in case.themes]
        blocks.append(Para((Sent(w.fresh(w.theme(w.rng.choice(others), "negated"))),)))
    return blocks


def tail(case: ReviewCase) -> list[Block]:
    w = _stream(case, "tail")
    blocks: list[Block] = [Heading(1, "Findings and learning", new_page=True)]
    for i, label in enumerate(case.themes, 1):
        lessons = w.theme(label, "learning")
        sents = [Sent(w.fill(f"Finding {i}: " + lessons[0], unique=False))]
        sents += [Sent(w.analysis_sentence(t)) for t in lessons[1:3]]
        blocks.append(Para(tuple(sents)))
    blocks.append(Heading(1, "Good practice"))
    blocks.append(Para(tuple(Sent(w.fill(t)) for t in w.pick(P.GOOD_PRACTICE, 3))))
    blocks.append(Heading(1, "Recommendations"))
    blocks.append(Para((Sent(w.fill("The review makes the following recommendations to the {area} partnership.")),)))
    for i, label in enumerate(case.themes, 1):
        body = w.rng.choice(P.RECOMMENDATION_BODIES).format(topic=THEME_TEXT[label]["topic"])
        blocks.append(Para((Sent(f"Recommendation {i}: {body}"),)))
    blocks.append(Heading(1, "Conclusion"))
    blocks.append(Para(tuple(Sent(w.fill(t)) for t in w.pick(P.CONCLUSION, 3))))
    return blocks


def appendices(case: ReviewCase) -> list[Block]:
    w = _stream(case, "appendix")
    blocks: list[Block] = [Heading(1, "Appendix A: Terms of reference", numbered=False, new_page=True)]
    blocks.append(Para((Sent(w.fill("The review covers the period from {month_year} to the date of the incident.",
                                    date=case.incident - dt.timedelta(days=700))),), numbered=False))
    blocks.append(Bullets(tuple(Sent(w.fill(t)) for t in P.TERMS_OF_REFERENCE)))
    blocks.append(Heading(1, "Appendix B: Glossary", numbered=False))
    blocks.append(Table(("Term", "Meaning"), tuple(P.GLOSSARY), (0.25, 0.75)))
    return blocks


__all__ = ["front_matter", "chronology", "analysis", "tail", "appendices", "fmt_date"]
