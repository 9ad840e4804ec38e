"""Attribution and negation on stance verbs, multi-sentence quotes, denials, relative clauses
and modal hedges, on sentences written for these tests."""
from __future__ import annotations

import pytest

from wirewatch.extract.claims import find_claims
from wirewatch.extract.quotes import quote_spans
from wirewatch.model import Entity, Mention


def _claims(nlp, make_article, text, entities=()):
    return find_claims(nlp(text), make_article("x", text), list(entities), [])


def _one(claims, words):
    found = [c for c in claims if words in c.text]
    assert found, [c.text for c in claims]
    return found[0]


@pytest.mark.parametrize("verb", ["states", "asserts", "acknowledges", "maintains", "insists", "contends", "reaffirms"])
def test_stance_speech_verbs_give_named_attribution(nlp, make_article, verb):
    text = f"Olga Ferreira {verb} that the bridge at Dunmore is unsafe."
    claim = _one(_claims(nlp, make_article, text), "bridge")
    assert claim.attribution.kind == "named" and claim.attribution.source == "Olga Ferreira"
    assert claim.text.startswith("the bridge") or claim.text == text  # the framing verb is no claim of its own


def test_short_name_the_tagger_misses_is_named_through_its_entity(nlp, make_article):
    text = "Finance Minister Petra Lund spoke in Varno. Lund states that the government is ready to support the region."
    start = text.index("Petra Lund")
    person = Entity(id="E1", name="Petra Lund", type="person", mentions=[Mention("x", start, start + 10, "Petra Lund")])
    claim = _one(_claims(nlp, make_article, text, [person]), "government")
    assert claim.attribution.kind == "named" and claim.attribution.entity == "E1"


def test_quote_over_several_sentences_goes_to_the_speaker_named_after(nlp, make_article):
    text = ('"We have waited for months. Nobody has told us anything. The gates stay shut," '
            "said Anna Berg, a crane operator at the plant.")
    claims = _claims(nlp, make_article, text)
    for words in ("waited for months", "Nobody has told", "gates stay shut"):
        assert _one(claims, words).attribution.source.startswith("Anna Berg"), words


def test_quote_after_a_colon_goes_to_the_speaker_named_before(nlp, make_article):
    text = 'The harbour master said: "The pier collapsed at noon. Two boats sank."'
    claims = _claims(nlp, make_article, text)
    assert _one(claims, "boats sank").attribution.kind != "none"


def test_unclosed_and_paragraph_crossing_quotes_are_not_spans():
    text = 'He said "yes. \n\nThen "no" came'
    assert [text[a:b] for a, b in quote_spans(text)] == ['"no"']
    assert quote_spans("“One. Two.” and “three”") == [(0, 11), (16, 23)]


@pytest.mark.parametrize("text,inner", [
    ("Officials at the plant, however, denied that talks had collapsed.", "talks had collapsed"),
    ("The company confirmed the layoffs but denied that any further cuts were planned.", "further cuts"),
    ("The army rejected claims that soldiers had fired on the crowd.", "soldiers had fired"),
    ("The ministry dismissed reports that the dam had cracked.", "the dam had cracked"),
])
def test_denials_negate_the_denied_clause(nlp, make_article, text, inner):
    claim = _one(_claims(nlp, make_article, text), inner)
    assert claim.negated and claim.attribution.kind != "none"


def test_a_speech_verb_coordinated_with_a_denial_is_not_denied(nlp, make_article):
    text = "Management denied that talks had collapsed and said negotiations would resume next week."
    claims = _claims(nlp, make_article, text)
    resume = _one(claims, "negotiations would resume")
    assert not resume.negated and resume.attribution.source == "Management"
    assert _one(claims, "talks had collapsed").negated


@pytest.mark.parametrize("text,words,predicate", [
    ("Police, who detained two protesters outside the gates on Wednesday, said the square was calm.", "detained two protesters", "COERCE"),
    ("Villagers sheltered a reporter who had been attacked by a mob near the market.", "attacked by a mob", None),
    ("The militia, which shelled the village on Monday, withdrew before dawn.", "shelled the village", "FIGHT"),
])
def test_claims_in_relative_clauses(nlp, make_article, text, words, predicate):
    claim = _one(_claims(nlp, make_article, text), words)
    assert claim.plover is not None
    if predicate:
        assert claim.plover == predicate


def test_relative_clause_of_a_description_or_anonymity_is_no_claim(nlp, make_article):
    text = "Diplomats who asked not to be named said the embassy will close."
    assert len(_claims(nlp, make_article, text)) == 1


@pytest.mark.parametrize("text", [
    "The closure could affect as many as 2,000 employees, a union representing the workers said.",
    "The plan may cost up to 300 jobs, the company said on Friday.",
    "The union said the closure could affect as many as 2,000 employees.",
])
def test_modal_hedges_survive_with_attribution(nlp, make_article, text):
    claims = _claims(nlp, make_article, text)
    claim = max(claims, key=lambda c: c.end - c.start)
    assert claim.hedged and set(claim.hedges) & {"could", "may"}
    assert claim.attribution.kind in ("named", "anonymous", "official")


def test_a_quotation_after_an_attributed_one_keeps_the_speaker(nlp, make_article):
    text = '"We will rebuild every house," the mayor said. "But it will take years, and we need help from the capital."'
    claims = _claims(nlp, make_article, text)
    assert _one(claims, "take years").attribution.source == "the mayor"
    assert _one(claims, "need help").attribution.source == "the mayor"


def test_a_quotation_after_other_text_does_not_inherit(nlp, make_article):
    text = '"The dam held," the engineer said. Later that night, heavy rain returned to the valley. "We are ready for anything."'
    claims = _claims(nlp, make_article, text)
    assert _one(claims, "ready for anything").attribution.kind == "none"


@pytest.mark.parametrize("text,kind", [
    ("Aid agencies warned that thousands could starve if the blockade continues.", "anonymous"),  # not a state's agencies
    ("The opposition said the government had not released political prisoners.", "named"),       # one organization
    ("The ministry said the road was closed.", "official"),
])
def test_institution_sources_by_sector(nlp, make_article, text, kind):
    claim = _one(_claims(nlp, make_article, text), text.split()[-2])
    assert claim.attribution.kind == kind


def test_a_negated_speech_verb_hedges_its_clause_instead_of_negating_it(nlp, make_article):
    text = "Officials would not confirm that the general had fled the capital."
    claim = _one(_claims(nlp, make_article, text), "fled")
    assert not claim.negated and claim.hedged and "not confirm" in claim.hedges
    text = "The ministry did not deny that the convoy had been attacked."
    assert not _one(_claims(nlp, make_article, text), "attacked").negated
