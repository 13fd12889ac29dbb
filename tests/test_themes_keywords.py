"""Theme keywords leave out stop words, months, numbers, people's names and words spread over every theme."""

from __future__ import annotations

from pathlib import Path

from pipeline.themes.keywords import KeywordRules, keyword_rules, proper_names, read_word_list, theme_keywords

REPO = Path(__file__).resolve().parents[1]


def _rules(settings) -> KeywordRules:
    return keyword_rules(settings)


def test_stop_list_file_is_read_with_comments(tmp_path):
    path = tmp_path / "stop.txt"
    path.write_text("# months\nJanuary\n\nreport  # the report's own word\n", encoding="utf-8")
    assert read_word_list(path) == {"january", "report"}
    assert read_word_list(tmp_path / "missing.txt") == frozenset()


def test_names_are_words_capitalised_mid_sentence():
    texts = ["The social worker visited Andrew at home.", "Police spoke to Andrew and his mother.",
             "Andrew was seen by the GP.", "The Police were called."]
    names = proper_names(texts, domain=frozenset({"police"}))
    assert "andrew" in names
    assert "police" not in names and "gp" not in names and "social" not in names


def test_keywords_drop_months_numbers_names_and_generic_words(settings):
    themes = {}
    for i, topic in enumerate(["domestic abuse perpetrator partner", "information shared agencies records",
                               "alcohol misuse drinking relapse", "sleep infant cot mattress",
                               "discharge hospital ward bed"]):
        themes[i] = [f"On 3 January 2021 the coroner heard evidence that {topic} concerned Andrew Dodds in this report."
                     for _ in range(10)] + [f"In March the inquest found {topic} for Mr Smith at the hearing."] * 5
    keywords = theme_keywords(themes, rules=_rules(settings))
    banned = {"january", "march", "2021", "coroner", "evidence", "report", "inquest", "andrew", "dodds", "smith",
              "concern", "hearing", "find"}
    for key, words in keywords.items():
        assert words, key
        flat = {w for term in words for w in term.split()}
        assert not flat & banned, (key, words)
    assert {"domestic", "abuse", "perpetrator", "partner"} & {w for t in keywords[0] for w in t.split()}
    assert any("information" in t or "share" in t for t in keywords[1])


def test_a_word_in_every_theme_is_generic_only_with_enough_themes():
    topics = ["school attendance", "hospital discharge", "alcohol relapse", "cot mattress", "police custody"]
    many = {i: [f"family {t} plan"] * 4 for i, t in enumerate(topics)}
    assert all("family" not in words and "plan" not in words for words in theme_keywords(many).values())
    few = {i: many[i] for i in (0, 1)}
    assert any("family" in term for term in theme_keywords(few)[0])
