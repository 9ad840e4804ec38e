"""Paragraph breaks, sentence-final line ends and bullets start sentences before the parser runs."""
from __future__ import annotations


def _sentences(nlp, text):
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_heading_is_not_glued_to_the_next_sentence(nlp):
    text = "Harbour Talks Stall\n\nUnion leaders walked out of the meeting on Friday, officials said."
    assert _sentences(nlp, text)[0] == "Harbour Talks Stall"


def test_bullets_are_one_sentence_each(nlp):
    text = "Key points\n\n  • Ferries stopped running.\n  • Two piers were closed by the coast guard.\n"
    sents = _sentences(nlp, text)
    assert "• Ferries stopped running." in sents
    assert "• Two piers were closed by the coast guard." in sents


def test_hard_wrapped_line_does_not_split_a_sentence(nlp):
    text = "The mayor of the coastal town said that repairs to the\nsea wall would begin next month."
    assert len(_sentences(nlp, text)) == 1


def test_component_runs_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("wirewatch_paragraphs") < names.index("parser")
