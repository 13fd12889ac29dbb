"""Fictional review prose in the style of English case reviews (SCR / CSPR), deterministic by seed.

All text is written for scr-themes from the phrase banks in review_phrases.py and review_themes.py;
no real review is quoted. `case_for_seed(seed)` picks a fictional case (child, family, subject, area,
dominant themes); `write_review(case, n_events)` returns the review as a list of blocks (headings,
numbered paragraphs, bullet lists, tables) that tests/helpers/scr_pdf.py lays out. Each part of the
review draws from its own random stream, so changing the chronology length leaves the rest unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from tests.helpers import review_phrases as P
from tests.helpers.review_themes import SUBJECT_THEMES, THEME_TEXT

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
AREAS = ("Northshire", "Eastmoor", "Westbridge", "Southdale", "Riverford", "Highcombe", "Lowfield",
         "Marlbury", "Ashvale", "Kingsmere", "Fenbrook", "Oakhampton")
AUTHORS = ("Jane Whitfield", "Robert Maddox", "Priya Raman", "Helen Carver", "David Oyelaran",
           "Susan Blakemore", "Mark Tennant", "Alison Fairweather")
# subject -> (age in months, outcome, cause, headline sentences)
SUBJECTS = {
    "sudi": (4, "death", "sudden unexpected infant death", (
        "{child} died aged {age} in {incident}.",
        "The cause of death was recorded as sudden unexpected infant death; {child} had been co-sleeping "
        "with a parent on the night {he} died.")),
    "suicide": (15 * 12, "death", "suicide", (
        "{child} died aged {age} in {incident}.",
        "The coroner concluded that {child} died by suicide.")),
    "neglect": (2 * 12, "serious harm", "maltreatment", (
        "{child} suffered serious harm through neglect and was admitted to hospital aged {age} in {incident}.",
        "Doctors found that {child} was severely malnourished; the harm was caused by prolonged neglect, "
        "a form of maltreatment.")),
    "maltreatment": (9 * 12, "death", "maltreatment", (
        "{child} died aged {age} in {incident}.",
        "{child}'s death was the result of maltreatment by a carer, who has since been convicted.")),
    "injury": (7, "serious harm", "maltreatment", (
        "{child} suffered serious harm aged {age} in {incident}, when {he} was admitted to hospital with a head injury.",
        "Medical opinion was that the injury was non-accidental and caused by shaking, a form of maltreatment.")),
    "exploitation": (16 * 12, "death", "homicide", (
        "{child} died aged {age} in {incident} after being stabbed in a street near {his} home.",
        "{child}'s death was a homicide, and two young men have since been convicted.")),
}
FOLLOW_UPS = (
    "{Prof} recorded that {mother} appeared tired but engaged well.",
    "No further action was taken.",
    "The record of this contact is brief and does not say whether {child} was seen.",
    "{Prof} did not share this information with {agency}.",
    "{mother} said that things were going well and that she did not need any help.",
    "This information was passed to {agency} the same day.",
    "The plan was for {prof2} to visit again in four weeks.",
    "{Prof} told the review that {mother} seemed more settled at this point.",
    "There is no record that {child}'s views were sought.",
    "A message was left for {prof2}, but there is no record that it was returned.",
    "{Prof} noted that {father} was present but did not take part in the conversation.",
    "The visit was unannounced, and {mother} was reluctant to let {prof} in.",
    "{child} was described as a quiet {kid} who watched the adults closely.",
    "{Prof} discussed the contact with a manager, and the decision was to monitor the situation.",
    "The contact is recorded on the system of {agency} but was not known to other agencies.",
    "{doctor} wrote to the GP practice with a summary of the appointment.",
    "This was the first time that {agency} had been involved with the family.",
    "{mother} agreed to a referral to the children's centre but did not take up the offer.",
    "The letter gave the date of the next appointment, which was set for {time}.",
    "A check with the police showed no new information.",
    "{Prof} recorded the home conditions as adequate, i.e. there was food, heating and a bed for {child}.",
    "{mother} asked for the visit to be rearranged because she had another appointment.",
    "{Prof} observed warm interaction between {mother} and {child}.",
    "This contact is also described at para. {para} of the agency report.",
    "The contact was recorded three days later.",
    "{Prof} was not aware of the earlier concerns raised by {agency}.",
    "{Prof} left a card asking {mother} to make contact, and she rang back two days later.",
    "{Prof} noted that the curtains were drawn and the television was on loudly throughout the visit.",
    "{Prof} was told that {father} was at work, which was not checked.",
    "{Prof} spoke to {mother} on the doorstep and did not go into the home.",
    "{Prof} made a note to discuss the family at the next safeguarding supervision.",
    "{Prof} gave {mother} the number of a local support group.",
    "{Prof} noticed that {child} had a cold but was otherwise well.",
    "{Prof} recorded that {mother} had been tearful during the conversation.",
    "{Prof} asked about {child}'s routine, and {mother} described regular meals and bedtimes.",
    "{Prof} did not know that {agency} was also working with the family.",
    "{Prof} wrote that the family were struggling with money that month.",
    "{Prof} recorded the visit as a missed opportunity to see {child} alone.",
    "{Prof} arranged a joint visit with {prof2}, which did not take place.",
    "{Prof} thought that the concerns were improving and planned to reduce the visits.",
    "{Prof} emailed {prof2} with an update on the family at {time}.",
    "{Prof} was unable to reach {mother} by telephone on three occasions.",
    "{Prof} recorded {child}'s weight and noted no concerns about {his} growth.",
    "{Prof} discussed the referral with {doctor}, who agreed that no further action was needed.",
    "{Prof} noted that there was very little food in the fridge.",
    "{Prof} saw {child} playing happily with toys in the living room.",
)
OPENERS = ("On {date}, ", "On {date} ", "At {time} on {date}, ", "In {month_year}, ", "Later that week, on {date}, ")
ANALYSIS_LINKS = (
    "As described at para. {para}, {clause}",
    "{Opener} {clause}",
    "With hindsight, {clause}",
    "In the reviewer's view, {clause}",
    "Looking at the chronology as a whole, {clause}",
    "{clause_cap}",
    "{clause_cap}",
    "{clause_cap}",
)
SCHOOL_AGE_MONTHS = 48
"""Below this the child has no school: no class teacher, school nurse or breakfast club in their story."""
SCHOOL_WORDS = re.compile(r"school|class teacher|pupil|classroom|special educational|breakfast club|exclu|"
                          r"attendance|teacher|head ?teacher|college|truan", re.I)
CHILD_SLOTS = re.compile(r"\{(child|he|his|him|He|His|kid)\}")
KEEP_CAPITAL = ("Child ", "Mother", "Father", "Mr ", "Ms ", "CAMHS", "MARAC", "MASH", "GP", "Dr.", "Daddy")


@dataclass(frozen=True)
class ReviewCase:
    """A fictional review: who it is about, where, when, and its dominant themes."""

    seed: int
    letter: str
    subject: str
    female: bool
    age_months: int
    outcome: str
    cause: str
    review_type: str  # "SCR" or "CSPR"
    year: int  # year of publication
    incident: dt.date
    area: str
    author: str
    themes: tuple[str, ...]

    @property
    def child(self) -> str:
        return f"Child {self.letter}"

    @property
    def review_name(self) -> str:
        return "Serious Case Review" if self.review_type == "SCR" else "Child Safeguarding Practice Review"

    @property
    def partnership(self) -> str:
        kind = "Local Safeguarding Children Board" if self.review_type == "SCR" else "Safeguarding Children Partnership"
        return f"{self.area} {kind}"

    @property
    def birth(self) -> dt.date:
        return self.incident - dt.timedelta(days=round(self.age_months * 30.44))

    @property
    def age_text(self) -> str:
        if self.age_months < 24 and self.subject != "neglect":
            return f"{self.age_months} months"
        return f"{self.age_months // 12} years"


def case_for_seed(seed: int, subject: str | None = None, **overrides) -> ReviewCase:
    """A fictional case for this seed; `subject` picks one of SUBJECTS, overrides set any field."""
    rng = random.Random(f"case:{seed}")
    subject = subject or rng.choice(sorted(SUBJECTS))
    age, outcome, cause, _ = SUBJECTS[subject]
    review_type = rng.choice(("SCR", "CSPR"))
    year = rng.randint(2012, 2018) if review_type == "SCR" else rng.randint(2019, 2025)
    incident = dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
    pool = list(SUBJECT_THEMES[subject])
    n = rng.randint(3, 6)
    themes = tuple(pool[:2] + rng.sample(pool[2:], n - 2))
    fields = dict(seed=seed, letter=rng.choice("ABCDFGHJKLMNPRSTW"), subject=subject, female=rng.random() < 0.5,
                  age_months=age, outcome=outcome, cause=cause, review_type=review_type, year=year,
                  incident=incident, area=rng.choice(AREAS), author=rng.choice(AUTHORS), themes=themes)
    fields.update(overrides)
    return ReviewCase(**fields)


@dataclass(frozen=True)
class Sent:
    """One sentence; `footnote` (text) is marked after word number `anchor` (-1: after the last word)."""

    text: str
    footnote: str | None = None
    anchor: int = -1


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    numbered: bool = True
    columns: int = 1  # 2: the section is set in two columns (executive summary)
    new_page: bool = False


@dataclass(frozen=True)
class Para:
    sentences: tuple[Sent, ...]
    numbered: bool = True


@dataclass(frozen=True)
class Bullets:
    items: tuple[Sent, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the text width


Block = Heading | Para | Bullets | Table


@dataclass
class _Writer:
    case: ReviewCase
    rng: random.Random
    used: set[str] = field(default_factory=set)

    def suitable(self, templates, date: dt.date | None = None) -> tuple[str, ...]:
        """The templates that fit this child: nothing about school before school age, and nothing about the
        child before birth (a chronology may start in pregnancy). Empty when none fits."""
        c = self.case
        return tuple(t for t in templates
                     if not (c.age_months < SCHOOL_AGE_MONTHS and SCHOOL_WORDS.search(t))
                     and not (date is not None and date < c.birth and CHILD_SLOTS.search(t)))

    def slots(self, date: dt.date | None = None) -> dict[str, str]:
        c, r = self.case, self.rng
        prof, prof2 = r.sample(self.suitable(P.PROFESSIONALS) or P.PROFESSIONALS, 2)
        lived = max(40, (c.incident - c.birth).days)
        date = date or self.case.incident - dt.timedelta(days=r.randint(20, min(700, lived)))
        pron = ("she", "her", "her") if c.female else ("he", "his", "him")
        return dict(
            child=c.child, he=pron[0], his=pron[1], him=pron[2], He=pron[0].title(), His=pron[1].title(),
            mother="Mother", father="Father", partner=r.choice(("Mr B", "Mother's partner", "Mr T")),
            sibling="Sibling 1", prof=prof, prof2=prof2, Prof=prof[0].upper() + prof[1:],
            agency=r.choice(self.suitable(P.AGENCIES) or P.AGENCIES), doctor=r.choice(P.DOCTORS), area=c.area,
            date=fmt_date(date), month_year=f"{MONTHS[date.month - 1]} {date.year}",
            month=self._review_month(r.randrange(12)), time=fmt_time(r),
            para=f"{r.randint(3, 5)}.{r.randint(1, 30)}", n=str(r.randint(3, 9)), kid="girl" if c.female else "boy",
            incident=f"{MONTHS[c.incident.month - 1]} {c.incident.year}", age=c.age_text,
        )

    def _review_month(self, pick: int) -> str:
        """A month of the review's own work ({month}: learning events, terms of reference): after the
        incident and before publication; `pick` (0 to 11) chooses among those months."""
        c = self.case
        first = c.incident.year * 12 + c.incident.month  # the month after the incident (months count from 0)
        last = max(first, c.year * 12 + 5)  # June of the year of publication
        index = first + pick * (last - first + 1) // 12
        return f"{MONTHS[index % 12]} {index // 12}"

    def fill(self, template: str, date: dt.date | None = None, unique: bool = True) -> str:
        for _ in range(12):
            text = template.format(**self.slots(date))
            text = text[0].upper() + text[1:]
            if not unique or text not in self.used:
                break
        self.used.add(text)
        return text

    def fresh(self, templates, date: dt.date | None = None) -> str:
        """A filled sentence not used before in this review, from the first template that yields one."""
        templates = self.suitable(templates, date) or tuple(templates)
        for template in self.rng.sample(list(templates), len(templates)):
            for _ in range(4):
                text = template.format(**self.slots(date))
                text = text[0].upper() + text[1:]
                if text not in self.used:
                    self.used.add(text)
                    return text
        return self.fill(self.rng.choice(templates), date)

    def pick(self, templates, k: int = 1) -> list[str]:
        fits = self.suitable(templates)
        templates = fits if len(fits) >= k else templates
        fresh = [t for t in templates if t not in self.used]
        chosen = self.rng.sample(fresh if len(fresh) >= k else list(templates), k)
        self.used.update(chosen)
        return chosen

    def theme(self, label: str, kind: str, date: dt.date | None = None) -> tuple[str, ...]:
        """The label's templates of this kind that fit the child (all of them when fewer than three do,
        since callers take up to three)."""
        templates = tuple(THEME_TEXT[label].get(kind, ()))
        fits = self.suitable(templates, date)
        return fits if len(fits) >= min(3, len(templates)) else templates

    def analysis_sentence(self, template: str) -> str:
        clause = self.fill(template, unique=False)
        lowered = clause if clause.startswith(KEEP_CAPITAL) else clause[0].lower() + clause[1:]
        link = self.rng.choice(ANALYSIS_LINKS)
        opener = self.rng.choice(P.FIRST_WORDS)
        text = link.format(para=self.slots()["para"], clause=lowered, clause_cap=clause, Opener=opener)
        if text in self.used:
            text = clause if clause not in self.used else f"{opener} {lowered}"
        self.used.add(text)
        return text


def fmt_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fmt_time(rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.choice((0, 15, 30, 45, 10, 50))
    return f"{hour}.{minute:02d}{rng.choice(('am', 'pm'))}"


def _stream(case: ReviewCase, name: str) -> _Writer:
    return _Writer(case, random.Random(f"{case.seed}:{name}"))


def headline(case: ReviewCase) -> list[str]:
    """The sentences that state the subject's age, outcome and cause (cover and first paragraphs)."""
    w = _stream(case, "headline")
    return [w.fill(t, unique=False) for t in SUBJECTS[case.subject][3]]


def write_review(case: ReviewCase, n_events: int) -> list[Block]:
    """The whole review as blocks, with `n_events` chronology entries."""
    from tests.helpers.review_sections import analysis, appendices, chronology, front_matter, tail

    return front_matter(case) + chronology(case, n_events) + analysis(case) + tail(case) + appendices(case)
