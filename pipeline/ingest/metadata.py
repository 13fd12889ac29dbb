"""Document metadata from its text: title, review type, year, area, and the subject of the review.

Every field is 'unknown' (or None for numbers) when the text does not say; nothing is guessed from
the file name. The subject (age, outcome, cause) comes from the statements about the subject, which
reviews and coroners' reports make first: the cover, the opening paragraphs, "died aged ...", "the
investigation into the death of NAME (79)", "the cause of death was ...". A cause mentioned in passing
later (a glossary entry, a theme discussed) does not decide it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from pipeline.records import UNKNOWN, DocumentMeta, Subject

_TYPES = (
    ("CSPR", r"(local\s+)?child\s+safeguarding\s+practice\s+review|\bL?CSPR\b"),
    ("SCR", r"serious\s+case\s+review|\bSCR\b"),
    ("SAR", r"safeguarding\s+adults?\s+review|\bSAR\b"),
    ("DHR", r"domestic\s+homicide\s+review|\bDHR\b"),
    ("PFD", r"prevent(ion of)?\s+future\s+deaths|regulation\s+28"),
)
_WORD = r"[A-Z][\w'’&\-]*"
_NOT_LOCAL = r"(?!Local\b|Safeguarding\b)"
_SP = r"[ \t]+"  # the words of an area name stand on one line
_AREA = (
    rf"(?i:coroner'?s?\s+area\s+(?:of|for))\s+(?:the\s+)?(?P<a>{_WORD}(?:,?{_SP}(?:and{_SP})?{_WORD}){{0,5}})",
    rf"(?P<a>{_NOT_LOCAL}{_WORD}(?:{_SP}(?:and{_SP})?{_NOT_LOCAL}{_WORD}){{0,4}})\s+(?:Local\s+)?Safeguarding\s+"
    r"(?:Children|Adults)\s+(?:Partnership|Board)",
    rf"(?P<a>{_WORD}(?:{_SP}{_WORD}){{0,3}})\s+Community\s+Safety\s+Partnership",
    rf"(?i:(?:senior|area|assistant)\s+coroner\s+for)\s+(?:the\s+)?(?P<a>{_WORD}(?:,?{_SP}(?:and{_SP})?{_WORD}){{0,5}})",
)
_CAUSES = (
    ("homicide", r"unlawful(ly)?\s+kill|killed\s+unlawfully|homicide|murder|manslaughter|was\s+(stabbed|killed\s+by)"),
    ("suicide", r"suicide|took\s+(his|her|their)\s+own\s+life|end(ed)?\s+(his|her|their)\s+(own\s+)?life|"
                r"killed\s+(him|her|them)sel(f|ves)|self[- ]inflicted|hang(ed|ing)\s+(him|her)self|"
                r"\bsuspension\b|suspended\s+(him|her)self|\bligature|\bhanging\b"),
    ("sudden unexpected infant death", r"sudden\s+unexpected\s+(infant\s+)?death|sudden\s+infant\s+death|"
                                       r"\bSUDI\b|\bSIDS\b|co-sleeping"),
    ("maltreatment", r"non-accidental\s+injur|abusive\s+head\s+trauma|maltreatment|starvation|physical\s+abuse|"
                     r"\bneglect\b|shaking"),
    ("accident", r"accident(al)?|drown|road\s+traffic|\bfall\b|scald|immersion"),
    ("illness", r"\billness|disease|sepsis|septic|infection|cancer|cardiac|pneumonia|myocardial"),
)
_INFANT_ONLY = {"sudden unexpected infant death"}
# sentences that speak about what happened to the subject
_CUE = re.compile(r"\b((?:end|ended|took|take)\s+(?:his|her|their)\s+(?:own\s+)?life|died|dies|death|deceased|killed|cause\s+of|conclu\w*|caused|suffered|inquest|own\s+life|"
                  r"harm\s+through)\b", re.IGNORECASE)

_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_N = (r"(?P<n>\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|"
      r"six|seven|eight|nine)\b)?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
      r"one|two|three|four|five|six|seven|eight|nine|ten)")
_U = r"(?:\s*(?P<u>months?|weeks?|years?))?"
_NAME = r"(?:(?:Mr|Mrs|Miss|Ms|Dr|Master)\.?\s+)?(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,4})"
# (pattern, subject-linked): a linked statement names the death or the subject directly
_AGE = (
    (rf"\bdied\s+aged\s+{_N}{_U}", True),
    (rf"(?i:deaths?\s+of):?\s+{_NAME},?\s+(?:\((?P<n2>\d{{1,3}})\)|(?:age|aged)\s+{_N}{_U})", True),
    (rf"\bwas\s+{_N}\s+(?:years?\s+old\s+)?at\s+the\s+time\s+of\s+(?:his|her|their)\s+death", True),
    (rf"\baged\s+{_N}{_U}", False),
    (rf"\b{_N}[- ](?P<u>year|month|week)s?[- ]old\b", False),
    (rf"\bage\s+of\s+{_N}{_U}", False),
    (r"[A-Z][a-z]+\s+\((?P<n>\d{1,3})\)", False),
)
_FRONT_CHARS = 6000
_OTHER_PERSON = re.compile(r"\b(?:his|her|their)\s+(?:baby|son|daughter|child|children|brother|sister|sibling|"
                           r"mother|father|partner|wife|husband|friend)\b[^.]*$", re.IGNORECASE)


def _count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text, re.IGNORECASE))


def _flat(text: str) -> str:
    return " ".join(text.split())


def review_type(front: str, body: str) -> str:
    for kind, pattern in _TYPES:  # what the front page calls itself wins
        if re.search(pattern, front, re.IGNORECASE):
            return kind
    counts = {kind: _count(pattern, body) for kind, pattern in _TYPES}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 2 else (UNKNOWN if not any(counts.values()) else "other")


def year_of(front: str, body: str) -> int | None:
    this_year = dt.date.today().year
    dated = re.findall(r"(?:published|dated?|date of report|report date)\D{0,30}?((?:19|20)\d{2})", front + "\n" + body,
                       re.IGNORECASE)
    years = [int(y) for y in dated if 1990 <= int(y) <= this_year]
    if years:
        return years[-1]
    front_years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", front) if 1990 <= int(y) <= this_year]
    if front_years:
        return max(front_years)
    all_years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", body) if 1990 <= int(y) <= this_year]
    return max(all_years) if all_years else None


def area_of(front: str, body: str) -> str:
    """The partnership or coroner area, without 'Local Safeguarding Children Board' and the like."""
    for text in (front, body):
        for pattern in _AREA:
            m = re.search(pattern, text)
            if m:
                area = " ".join(m.group("a").split()).strip(" .,")
                area = re.sub(r"(,?\s+(?:and|the))+$", "", area)
                if 2 < len(area) <= 60:
                    return area
    return UNKNOWN


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    parts = re.split(r"[- ]", word.lower())
    return sum(_TENS.get(p, _NUMBERS.get(p, 0)) for p in parts)


def _ages(text: str) -> list[tuple[bool, int, float, str]]:
    """(subject-linked, position, age in years, age text) for every stated age."""
    found = []
    for pattern, linked in _AGE:
        for m in re.finditer(pattern, text):
            groups = m.groupdict()
            raw = groups.get("n") or groups.get("n2")
            if not raw:
                continue
            n = _number(raw)
            unit = (groups.get("u") or "year").lower().rstrip("s")
            years = n / 12 if unit == "month" else (n / 52 if unit == "week" else float(n))
            if 0 < years <= 110 or (n == 0 and unit != "year"):
                found.append((linked, m.start(), round(years, 3), f"{n} {unit}{'' if n == 1 else 's'}"))
    return found


def age_of(text: str) -> tuple[float | None, str]:
    """The subject's age: the first subject-linked statement, else the first age stated that is not
    another person's ("her baby was 11 months old"); never an infant's age for a subject the report
    calls Mr, Mrs, Miss or Ms."""
    ages = _ages(text)
    linked = [a for a in ages if a[0]]
    if not linked:
        titled = re.search(r"(?i:deaths?\s+of):?\s+(?:Mr|Mrs|Miss|Ms)\.?\s+[A-Z]", text)
        linked = [a for a in ages if not _OTHER_PERSON.search(text[max(0, a[1] - 40):a[1]])
                  and not (titled and a[2] < 2)]
    if not linked:
        return None, UNKNOWN
    _, _, years, label = min(linked, key=lambda a: a[1])
    return years, label


def outcome_of(kind: str, text: str) -> str:
    if kind == "PFD":  # a coroner's report follows an inquest into a death
        return "death"
    front = text[:_FRONT_CHARS]
    death = re.search(r"\b(died|death\s+of|death\s+was|was\s+killed|fatal)\b", front, re.IGNORECASE)
    harm = re.search(r"serious(ly)?\s+(harm|injur)", front, re.IGNORECASE)
    if death or harm:
        if death and harm:
            return "death" if death.start() < harm.start() else "serious harm"
        return "death" if death else "serious harm"
    deaths = _count(r"\b(died|death|deceased|killed|fatal)\b", text)
    harms = _count(r"serious(ly)?\s+(harm|injur)", text)
    return "death" if deaths >= 2 else ("serious harm" if harms else UNKNOWN)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;!?])\s+(?=[A-Z(\d])", text) if s]


def cause_of(text: str, age_years: float | None) -> str:
    """The cause named in the earliest sentence about the subject's death or harm that names one."""
    allowed = [(name, p) for name, p in _CAUSES
               if not (name in _INFANT_ONLY and age_years is not None and age_years >= 2)]
    for sentence in _sentences(text):
        if not _CUE.search(sentence):
            continue
        for name, pattern in allowed:  # in one sentence the list order decides: "cardiac arrest due to hanging"
            if re.search(pattern, sentence, re.IGNORECASE):
                return name
    return UNKNOWN


def subject_of(text: str, kind: str = UNKNOWN) -> Subject:
    flat = _flat(text)
    age_years, age_text = age_of(flat)
    return Subject(age_years, age_text, outcome_of(kind, flat), cause_of(flat, age_years))


_NAME_WORD = r"[A-Z][\w'’\-]+"
_ALIAS = r"\((?:also[ \t]+)?known[ \t]+as[ \t][^()\n]{1,40}\)"
_DEATH_OF = r"(?i:the\s+(?:[a-z]+\s+)?deaths?\s+of)"  # "the death of", "the tragic death of"
_DECEASED = (rf":?\s+(?:(?:Mr|Mrs|Miss|Ms|Dr|Master)\.?\s+)?(?:\d{{1,3}}[- ]years?[- ]old\s+)?"
             rf"(?P<name>{_NAME_WORD}(?:(?:[ \t]+{_ALIAS})?[ \t]+{_NAME_WORD}){{0,5}})")
"""The deceased's name: capitalised words on one line ("Andrew (also known as James) Aitken" too)."""
_NOT_NAME = frozenset(
    "A Address After Age Aged An And As At Before Born By Date Dated DOB During Following For From He Her His However "
    "I In Inquest Investigation It Name Of On She That The Their There They This To When Where Whilst While Who "
    "Whose".split())
"""Capitalised words that end a name: the start of the next sentence ("... Barry Thraves At inquest ...") or a
field label. No verbs or nouns that are also surnames ("Was", "Still", "Place")."""
TITLE_CHARS = 120


def deceased_name(text: str) -> str | None:
    """The name of the deceased from a coroner's report: after "investigation into the death of", else after
    "the death of"; cut at the end of its line and at the first word no name has ("At", "The", "Date")."""
    m = re.search(rf"(?i:(?:investigation|inquest)s?\s+(?:\w+\s+){{0,2}}(?:into|touching)\s+){_DEATH_OF}{_DECEASED}", text)
    if m is None:
        m = re.search(rf"{_DEATH_OF}{_DECEASED}", text)
    if m is None:
        return None
    words = []
    for word in re.sub(rf"[ \t]+{_ALIAS}", "", m.group("name")).split():
        if word in _NOT_NAME or word.title() in _NOT_NAME:
            break
        words.append(word)
    name = " ".join(words)
    return name if name and len(name) <= 80 else None


def _pfd_title(text: str) -> str:
    name = deceased_name(text)
    return f"Regulation 28 report: {name}" if name else "Regulation 28 report"


def clip(text: str, limit: int = TITLE_CHARS) -> str:
    """`text` when it fits in `limit` characters; else cut at the last word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:  # the cut falls inside a word: end at the word before
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-–—") + "…"


def title_of(first_lines: Sequence[tuple[str, float]], kind: str = UNKNOWN, body: str = "") -> str:
    if kind == "PFD":
        return _pfd_title(body or "\n".join(t for t, _ in first_lines))
    lines = [(" ".join(t.split()), s) for t, s in first_lines if re.search(r"[A-Za-z]{3}", t or "")]
    if not lines:
        return UNKNOWN
    for i, (text, size) in enumerate(lines[:10]):
        if any(re.search(pattern, text, re.IGNORECASE) for _, pattern in _TYPES[:4]):
            title = text
            for more, more_size in lines[i + 1:i + 4]:  # a cover title wrapped over lines of the same type size
                if abs(more_size - size) > 0.5 or len(title) + len(more) > 110:
                    break
                if any(re.search(pattern, more, re.IGNORECASE) for _, pattern in _TYPES[:4]):
                    break
                title = f"{title} {more}"
            return clip(title)
    biggest = max(s for _, s in lines)
    top = [t for t, s in lines[:12] if s >= biggest - 0.5]
    title = " ".join(top[:3]) if top else lines[0][0]
    return clip(title) or UNKNOWN


_PLACEHOLDER = re.compile(r"\[(?!REDACTED\])[A-Z][A-Z ,/&]{2,40}\]")
"""A blank form's field to fill in: "[NAME]", "[DATE]", "[NAME OF AREA]" (not "[REDACTED]", which a
published report has where a name was taken out)."""
TEMPLATE_PLACEHOLDERS = 3
BLANK_TEMPLATE = "(blank template)"


def is_blank_template(body: str) -> bool:
    """A blank form (the Chief Coroner's Regulation 28 form with its worked example): several distinct
    placeholders to fill in. Its worked example is not a case: no name, age or cause is read from it
    (the outcome stays what the form's kind says: a coroner's report follows a death)."""
    return len(set(_PLACEHOLDER.findall(body))) >= TEMPLATE_PLACEHOLDERS


def document_meta(first_lines: Sequence[tuple[str, float]], page_texts: Sequence[str]) -> DocumentMeta:
    front = "\n".join(t for t, _ in first_lines[:25])
    body = "\n".join(page_texts)
    kind = review_type(front, body)
    year, area = year_of(front, body), area_of(front, body)
    if is_blank_template(body):
        title = f"Regulation 28 report {BLANK_TEMPLATE}" if kind == "PFD" else BLANK_TEMPLATE
        return DocumentMeta(title=title, review_type=kind, year=year, area=area,
                            subject=Subject(outcome=outcome_of(kind, "")))
    title = title_of(first_lines, kind, body)
    if kind == "PFD" and ":" not in title:  # no name of the deceased: say where and when instead
        where = ", ".join(str(x) for x in (area, year) if x not in (None, UNKNOWN))
        title = f"{title} ({where})" if where else title
    return DocumentMeta(title=title, review_type=kind, year=year, area=area, subject=subject_of(body, kind))
