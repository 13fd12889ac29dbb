"""Sentence splitting on review prose, and de-hyphenation."""

from __future__ import annotations

import pytest

from pipeline.ingest.paragraphs import Dehyphenator
from pipeline.ingest.sentences import split_sentences


def _sents(text: str) -> list[str]:
    return [text[s.start:s.end].strip() for s in split_sentences([text])[0]]


def test_abbreviations_and_references_do_not_end_sentences():
    text = ("The GP, Dr. Shah, saw her at 10.30am, e.g. for a review. The plan followed para. 3.4 of the "
            "guidance, i.e. the local procedure. It is recorded as no. 12 in the chronology.")
    assert _sents(text) == [
        "The GP, Dr. Shah, saw her at 10.30am, e.g. for a review.",
        "The plan followed para. 3.4 of the guidance, i.e. the local procedure.",
        "It is recorded as no. 12 in the chronology.",
    ]


def test_pseudonyms_with_a_letter_end_sentences():
    text = "The nurse saw Mother and Child A. The youth worker then visited Adult B. He was not at home."
    assert _sents(text) == ["The nurse saw Mother and Child A.", "The youth worker then visited Adult B.",
                            "He was not at home."]


def test_dehyphenation_keeps_real_compounds():
    d = Dehyphenator("a multi-agency meeting and a child-centred plan were agreed")
    assert d.join("the safe-", "guarding team") == "the safeguarding team"
    assert d.join("a multi-", "agency meeting") == "a multi-agency meeting"
    assert d.join("was child-", "centred") == "was child-centred"
    assert d.join("the refer-", "ral was") == "the referral was"


def test_list_markers_open_the_sentence_after_them():
    text = ("The care was good. ii. The trust did not act. iii. Staff were not trained.\n"
            "She was married with one son.\n\nii.) On 21 July she was discharged.\n\nxxxiv.) She had leave.\n"
            "The vehicle was old. IV. Witnesses were surprised.\n(b) The road was unlit. A. The first concern.")
    assert _sents(text) == [
        "The care was good.", "ii. The trust did not act.", "iii. Staff were not trained.",
        "She was married with one son.", "ii.) On 21 July she was discharged.", "xxxiv.) She had leave.",
        "The vehicle was old.", "IV. Witnesses were surprised.", "(b) The road was unlit.", "A. The first concern.",
    ]


def test_words_made_of_roman_letters_are_not_markers():
    from pipeline.ingest.sentences import is_list_marker

    assert all(is_list_marker(m) for m in ("ii.", "xxxiv.)", "iv)", "(b)", "4.", "(2).", "XIV."))
    assert not any(is_list_marker(w) for w in ("mix.", "civil.", "did.", "Yes.", "i.e.", "e.g.", "Hon.", "xl."))
    text = "They did not mix. The dose was low. It was i.e. too little. He lives in a civil. Area."
    assert _sents(text)[:2] == ["They did not mix.", "The dose was low."]


def test_a_marker_with_nothing_after_it_is_no_sentence():
    from pipeline.ingest.sentences import Segment, make_sentence

    text = "The concerns are these. xii."
    spans = split_sentences([text])[0]
    made = [make_sentence(i, text, s, [Segment(0, 1, 0, len(text))], None, None, "body") for i, s in enumerate(spans)]
    assert [s.text for s in made if s is not None] == ["The concerns are these."]


def test_rt_hon_does_not_end_a_sentence():
    text = "This report is being sent to: Rt. Hon. Grant Shapps MP, Secretary of State. He replied."
    assert _sents(text) == ["This report is being sent to: Rt. Hon. Grant Shapps MP, Secretary of State.",
                            "He replied."]


@pytest.mark.real
def test_real_reports_have_no_bare_list_markers(pfd_jsonl):
    """On the real coroners' reports: no sentence is a bare list marker, none ends on the marker of the next
    item ("... discharged. ii."), and numbered items keep their numeral ("ii. The trust ...")."""
    import json
    import re

    from pipeline.ingest.sentences import is_list_marker

    trailing = re.compile(r"[.!?)]\s+\(?(?:x{0,3}(?:ix|iv|v?i{1,3}|v)|x{1,3})[.)]{1,2}$", re.IGNORECASE)
    bodies = []
    for line in pfd_jsonl.read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        bodies += [report[f] for f in ("investigation", "circumstances", "concerns") if (report.get(f) or "").strip()]
    split = [[body[s.start:s.end].strip() for s in spans] for body, spans in zip(bodies, split_sentences(bodies))]
    sentences = [s for texts in split for s in texts]
    assert len(sentences) > 10_000
    # a marker closing a text has no item after it there; make_sentence drops it (tested above)
    assert [s for texts in split for s in texts[:-1] if is_list_marker(s)] == []
    assert [s[-60:] for s in sentences if trailing.search(s)] == []
    assert sum(1 for s in sentences if re.match(r"(?:x{0,3}(?:ix|iv|v?i{1,3}|v)|x{1,3})\.\)? [A-Z]", s)) > 20


def test_list_items_start_sentences_and_openers_move_forward():
    """Each item of a list opens its own sentence, lettered or bracketed, after a colon or a full stop; an
    opening bracket or quote spaCy leaves at the end of a sentence starts the next one, and a marker left
    alone by that move goes along."""
    text = ("The panel found the following:\n(a) the health visitor did not see the baby;\n(b) the GP was not told.\n"
            "The refuge was full. b) The IDVA was on leave. (2) Since then the service has grown.\n"
            "2. \u2018The nurse should have called\u2019, the witness said.")
    assert _sents(text) == [
        "The panel found the following:",
        "(a) the health visitor did not see the baby;",
        "(b) the GP was not told.",
        "The refuge was full.",
        "b) The IDVA was on leave.",
        "(2) Since then the service has grown.",
        "2. \u2018The nurse should have called\u2019, the witness said.",
    ]
    # not list items: a reference inside a line, "i.e.", and a word that merely looks like a numeral
    assert _sents("He relied on rule 35 (2) and on the policy, i.e. the one from 2019. It was civil.") == [
        "He relied on rule 35 (2) and on the policy, i.e. the one from 2019.", "It was civil."]
