"""Sentence splitting on review prose, and de-hyphenation."""

from __future__ import annotations

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
