"""A small research store for the query, export and web tests, written through the schema.

Fictional reviews written for these tests (no real report text): some about a teenager's suicide,
others about other harms, plus filler reviews so similarity scores have a background. One sentence
holds "<script>alert(1)</script>" to prove the web pages escape review text.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field

from pipeline.records import sentence_id, text_hash

SCRIPT_TEXT = "The referral form contained the note <script>alert(1)</script> pasted from an email."

# (page, section, text, labels, learning_point)
def S(*fields):
    return tuple(fields)


@dataclass(frozen=True)
class DocSpec:
    key: str
    title: str
    review_type: str
    year: int | None
    area: str
    age: float | None
    age_text: str
    outcome: str
    cause: str
    sentences: tuple = ()


DOCS = (
    DocSpec("suicide16", "Child Q: a review after the death of a 16-year-old", "CSPR", 2019, "Northshire", 16,
            "16 years", "death", "suicide", (
        S(1, "Introduction", "Child Q was 16 years old when he died by suicide at home.", ("child_mental_health",), False),
        S(1, "Introduction", "He had self-harmed repeatedly in the year before his death.", ("child_mental_health",), False),
        S(2, "Agency involvement", "The school knew of his suicidal thoughts but did not tell CAMHS.", ("child_mental_health", "information_sharing"), False),
        S(2, "Agency involvement", "CAMHS placed him on a waiting list for eleven weeks.", ("service_access",), False),
        S(3, "Findings", "Information about his self-harm was not shared between the school and the GP.", ("information_sharing",), True),
        S(3, "Findings", "Professionals should ask young people directly about thoughts of suicide.", ("child_mental_health",), True),
    )),
    DocSpec("suicide15_cause_unknown", "Serious case review: Young Person R", "SCR", 2017, "Eastvale", 15,
            "15 years", "death", "unknown", (
        S(1, "Summary", "Young Person R, aged 15, took her own life after months of suicidal ideation.", ("child_mental_health",), False),
        S(1, "Summary", "She told a youth worker she wanted to end her life.", ("child_mental_health",), False),
        S(2, "Chronology", "A suicide risk assessment was started but never completed.", ("risk_assessment", "child_mental_health"), False),
        S(2, "Chronology", "Her mother reported that R had searched online for ways to kill herself.", ("child_mental_health",), False),
        S(3, "Learning", "Risk of suicide in adolescents must be reassessed when circumstances change.", ("risk_assessment",), True),
    )),
    DocSpec("suicide17_age_unknown", "Review concerning Child S", "CSPR", 2022, "Westmoor", None, "unknown",
            "death", "suicide", (
        S(1, "Background", "Child S was a 17-year-old in foster care.", (), False),
        S(1, "Background", "The 17-year-old had disclosed suicidal thoughts to his social worker.", ("child_mental_health",), False),
        S(2, "Events", "Child S died by suicide two weeks after moving placement.", ("child_mental_health",), False),
        S(3, "Learning", "Placement moves for young people at risk of suicide need a safety plan.", ("case_closure",), True),
    )),
    DocSpec("adult_suicide", "Safeguarding adults review: Mr T", "SAR", 2020, "Northshire", 45, "45 years",
            "death", "suicide", (
        S(1, "Introduction", "Mr T was a 45-year-old man who died by suicide.", (), False),
        S(1, "Introduction", "He had a long history of depression and suicidal thoughts.", (), False),
        S(2, "Findings", "Mental health services did not share his risk of suicide with his GP.", ("information_sharing",), True),
    )),
    DocSpec("homicide16", "Child U: a review after a fatal stabbing", "CSPR", 2021, "Southport Vale", 16,
            "16 years", "death", "homicide", (
        S(1, "Introduction", "Child U, aged 16, was fatally stabbed by an older teenager.", ("extrafamilial_exploitation",), False),
        S(1, "Introduction", "He had been drawn into county lines drug dealing.", ("extrafamilial_exploitation",), False),
        S(2, "Findings", "Police and youth justice did not share intelligence about the threats to him.", ("information_sharing", "extrafamilial_exploitation"), True),
    )),
    DocSpec("neglect14", "Serious case review: Child V", "SCR", 2015, "Eastvale", 14, "14 years",
            "serious harm", "maltreatment", (
        S(1, "Summary", "Child V, aged 14, lived in a home without heating or food.", ("neglect",), False),
        S(1, "Summary", "There was no indication that Child V had any suicidal thoughts.", (), False),
        S(2, "Findings", "Teachers noticed his poor hygiene but did not refer him.", ("neglect",), False),
        S(2, "Findings", "Professionals accepted the mother's account without checking it.", ("professional_curiosity",), True),
    )),
    DocSpec("neglect13_cause_unknown", "Serious case review: Child Y", "SCR", 2018, "Lakeside", 13, "13 years",
            "serious harm", "unknown", (
        S(1, "Summary", "Child Y, aged 13, was found living in a cold and dirty flat.", ("neglect",), False),
        S(1, "Summary", "There was no suggestion that Child Y had ever thought about suicide.", (), False),
        S(2, "Findings", "Her school attendance had fallen for two years before anyone visited.", ("missing_education",), False),
        S(2, "Findings", "Early help closed the case when the mother stopped answering calls.", ("case_closure",), True),
    )),
    DocSpec("infant", "Serious case review: Baby W", "SCR", 2016, "Northshire", 0.25, "3 months", "death",
            "sudden unexpected infant death", (
        S(1, "Summary", "Baby W died at three months old while co-sleeping with a parent after drinking.", ("unsafe_sleep", "parental_substance_misuse"), False),
        S(2, "Findings", "Safe sleep advice was not repeated after the family moved house.", ("unsafe_sleep", "housing_poverty"), True),
    )),
    DocSpec("domestic_abuse", "Child X: domestic abuse and information sharing", "SCR", 2018, "Westmoor", 8,
            "8 years", "serious harm", "maltreatment", (
        S(1, "Summary", "Child X lived with domestic abuse between his mother and her partner.", ("domestic_abuse",), False),
        S(1, "Summary", SCRIPT_TEXT, ("recording_systems",), False),
        S(2, "Findings", "Police did not share the domestic abuse incidents with the school.", ("domestic_abuse", "information_sharing"), True),
        S(2, "Findings", "The MARAC referral was not sent to the health visitor.", ("domestic_abuse", "information_sharing"), True),
        S(3, "Learning", "Agencies should share information about domestic abuse promptly.", ("information_sharing",), True),
    )),
)

FILLER_SENTENCES = (
    ("The health visitor visited the family home on several occasions.", ()),
    ("The family moved between temporary flats three times in a year.", ("housing_poverty",)),
    ("The child's attendance at school fell below sixty per cent.", ("missing_education",)),
    ("A strategy meeting was held but health was not invited.", ("multi_agency_working",)),
    ("The social worker's caseload was very high during this period.", ("supervision_workload",)),
    ("The GP records did not show who held parental responsibility.", ("recording_systems",)),
    ("Staff had not received training on the escalation policy.", ("training_guidance",)),
    ("The father was never assessed by children's social care.", ("hidden_men",)),
    ("The case was closed after the family stopped engaging.", ("case_closure",)),
    ("The child was not spoken to alone by any professional.", ("voice_of_child",)),
    ("The nursery raised concerns about bruising on the child's arm.", ("physical_abuse",)),
    ("The mother was treated for postnatal depression.", ("parental_mental_health",)),
)

THEMES = (
    ("T0001", "Information sharing between agencies", "information_sharing", ["share", "information", "school"]),
    ("T0002", "Suicide and self-harm in young people", "child_mental_health", ["suicide", "self-harm", "camhs"]),
    ("T0003", "Housing moves", None, ["moved", "temporary", "flats"]),
)
THEME_OF_LABEL = {"information_sharing": "T0001", "child_mental_health": "T0002", "housing_poverty": "T0003"}


@dataclass
class ResearchStore:
    doc_ids: dict[str, str] = field(default_factory=dict)
    """Spec key -> doc_id."""
    sentences: int = 0


def _doc_id(key: str) -> str:
    return hashlib.sha256(f"research-test:{key}".encode()).hexdigest()


def filler_docs(n: int, seed: int = 0) -> list[DocSpec]:
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        picks = rnd.sample(FILLER_SENTENCES, 6)
        sents = tuple(S(1 + j // 3, "Findings", f"{text[:-1]} in review {i}.", labels, j == 5)
                      for j, (text, labels) in enumerate(picks))
        docs.append(DocSpec(f"filler{i}", f"Filler review {i}", rnd.choice(["SCR", "CSPR", "SAR"]),
                            2012 + i % 11, rnd.choice(["Northshire", "Eastvale", "Lakeside"]),
                            float(rnd.choice([1, 4, 9, 12])), "unknown", "serious harm", "maltreatment", sents))
    return docs


def build_research_store(conn, embedder=None, fillers: int = 20) -> ResearchStore:
    """Write the test documents (and their tags, themes and, with an embedder, vectors) into `conn`."""
    out = ResearchStore()
    specs = list(DOCS) + filler_docs(fillers)
    all_texts: list[str] = []
    conn.execute("BEGIN")
    for spec in specs:
        doc_id = _doc_id(spec.key)
        out.doc_ids[spec.key] = doc_id
        pages = max(s[0] for s in spec.sentences)
        conn.execute(
            "INSERT INTO documents(doc_id, path, source_format, title, review_type, year, area, subject_age,"
            " subject_age_text, outcome, cause, pages, sentences, size_bytes, ingested_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc_id, f"/reviews/{spec.key}.pdf", "pdf", spec.title, spec.review_type, spec.year, spec.area,
             spec.age, spec.age_text, spec.outcome, spec.cause, pages, len(spec.sentences), 1000,
             "2026-11-26T00:00:00+00:00"),
        )
        page_texts: dict[int, str] = {}
        for ordinal, (page, section, text, labels, lp) in enumerate(spec.sentences):
            start = len(page_texts.get(page, ""))
            page_texts[page] = page_texts.get(page, "") + text + " "
            sid = sentence_id(doc_id, ordinal)
            conn.execute(
                "INSERT INTO sentences(sentence_id, doc_id, ordinal, page, start, end, section, paragraph, text,"
                " text_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (sid, doc_id, ordinal, page, start, start + len(text), section, f"{page}.{ordinal + 1}", text,
                 text_hash(text)),
            )
            conn.execute(
                "INSERT INTO sentence_tagging(sentence_id, tagger_version, learning_point, learning_point_score,"
                " tagged_at) VALUES (?,?,?,?,?)", (sid, "test", int(lp), 0.9 if lp else 0.1, "2026-11-26"))
            for label in labels:
                kind = "learning_theme" if label in ("information_sharing", "risk_assessment", "service_access",
                                                     "case_closure", "professional_curiosity") else "risk_factor"
                conn.execute(
                    "INSERT INTO tags(sentence_id, label, kind, score, assertion, start, end, source, model_version)"
                    " VALUES (?,?,?,?,?,?,?,?,?)", (sid, label, kind, 0.9, "present", 0, 5, "rule", "test"))
            theme = next((THEME_OF_LABEL[l] for l in labels if l in THEME_OF_LABEL), None)
            if theme:
                _ensure_theme(conn, theme)
                conn.execute("INSERT INTO theme_members(sentence_id, theme_id, similarity) VALUES (?,?,?)",
                             (sid, theme, 0.8))
            all_texts.append(text)
            out.sentences += 1
        for page, text in page_texts.items():
            conn.execute("INSERT INTO pages(doc_id, page, text) VALUES (?,?,?)", (doc_id, page, text))
        if spec.key == "suicide16":
            conn.execute("INSERT INTO tags(sentence_id, label, kind, score, assertion, source, model_version)"
                         " VALUES (?,?,?,?,?,?,?)", (sentence_id(doc_id, 3), "domestic_abuse", "risk_factor",
                                                      0.7, "negated", "rule", "test"))
    conn.execute("COMMIT")
    _add_themes(conn)
    if embedder is not None:
        add_vectors(conn, embedder, all_texts)
    return out


def _ensure_theme(conn, theme_id: str) -> None:
    if conn.execute("SELECT 1 FROM themes WHERE theme_id = ?", (theme_id,)).fetchone():
        return
    for tid, name, label, keywords in THEMES:
        if tid == theme_id:
            conn.execute("INSERT INTO themes(theme_id, name, label, keywords_json, size, status, updated_at)"
                         " VALUES (?,?,?,?,0,'active','2026-11-26')", (tid, name, label, json.dumps(keywords)))


def _add_themes(conn) -> None:
    conn.execute("UPDATE themes SET size = (SELECT count(*) FROM theme_members m WHERE m.theme_id = themes.theme_id)")


def add_vectors(conn, embedder, texts) -> None:
    unique = list(dict.fromkeys(texts))
    vectors = embedder.embed(unique)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT OR REPLACE INTO embeddings(model, text_hash, dim, vector) VALUES (?,?,?,?)",
        [(embedder.name, text_hash(t), vectors.shape[1], vectors[i].astype("float32").tobytes())
         for i, t in enumerate(unique)],
    )
    conn.execute("COMMIT")


def research_settings(folder, embedder=None, fillers: int = 20):
    """Settings pointing at a new research store in `folder`, and what was written into it."""
    from pathlib import Path

    from pipeline.config import load_settings
    from pipeline.store import connect

    repo = Path(__file__).resolve().parents[2]
    folder = Path(folder)
    settings = load_settings(repo / "configs" / "settings.yaml").replace(
        store=str(folder / "scr.db"), out_dir=str(folder / "out"), inbox=str(folder / "inbox"))
    conn = connect(settings.store_path)
    try:
        built = build_research_store(conn, embedder, fillers=fillers)
    finally:
        conn.close()
    return settings, built
