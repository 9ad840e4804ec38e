"""Attribution kinds and sources on invented sentences, one per kind."""
from __future__ import annotations

import pytest

from wirewatch.extract.claims import find_claims

CASES = [
    ("Minister Halvor Brenne said the bridge would close on Monday.", "named", "Minister Halvor Brenne"),
    ("According to Ilse Marov, the convoy reached Tesk before dawn.", "named", "Ilse Marov"),
    ("Officials said the dam had been repaired.", "official", "Officials"),
    ("The ministry said 40 soldiers were wounded.", "official", "The ministry"),
    ("Police said the suspects fled the city.", "official", "Police"),
    ("Sources said the company paid the militia.", "anonymous", "Sources"),
    ("Two people familiar with the talks said the rebels rejected the plan.", "anonymous", "Two people familiar with the talks"),
    ("Diplomats who asked not to be named said the embassy will close.", "anonymous", "Diplomats"),
    ("According to sources, the rebels seized the port.", "anonymous", "sources"),
    ("Documents show the firm funded the militia.", "document", "Documents"),
    ("Bank records seen by the newspaper show that the firm paid the militia.", "document", "Bank records"),
    ("Media reports said the general had fled.", "report", "Media reports"),
    ("The general has reportedly fled the capital.", "report", None),
    ("The river flooded the valley on Tuesday.", "none", None),
]


@pytest.mark.parametrize("text,kind,source", CASES)
def test_attribution_kind_and_source(nlp, make_article, text, kind, source):
    article = make_article("x", text)
    claims = find_claims(nlp(text), article, [], [])
    assert len(claims) == 1, [c.text for c in claims]
    (claim,) = claims
    assert claim.attribution.kind == kind
    assert claim.attribution.source == source
    assert claim.text == text.rstrip() and claim.text == article.text[claim.start : claim.end]


def test_reported_kinds_are_hedged(nlp, make_article):
    for text in ("Media reports said the general had fled.", "The general has reportedly fled the capital."):
        (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
        assert claim.hedged


def test_named_speaker_frames_without_own_statement_claim(nlp, make_article):
    text = "Ilse Marov said the convoy reached Tesk."
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert claim.predicate != "STATEMENT" or claim.subject == "the convoy"
    assert claim.subject == "the convoy"


MORE_CASES = [
    # a described but unnamed person is anonymous; a name in apposition makes the source named
    ("A former customs officer told lawmakers that the depot had been emptied.", "anonymous", "A former customs officer"),
    ("His lawyer, Tomas Varga, said the contracts were legal.", "named", "His lawyer, Tomas Varga"),
    ("Former army insider Dario Mensk testified that the unit had kept a list of names.", "named", "Former army insider Dario Mensk"),
    # a state institution is official even when its name is given; a definite organization is named
    ("Veldan's Interior Ministry said the border would reopen on Friday.", "official", "Veldan's Interior Ministry"),
    ("The company said the pipeline had been shut.", "named", "The company"),
    ("A regional trade group said exports had fallen.", "anonymous", "A regional trade group"),
    # anonymity next to the source, not in its phrase
    ("Two police officers, speaking on condition of anonymity, said the suspects had fled.", "anonymous", "Two police officers"),
    # a pronoun that speaks stands for someone
    ("It said the convoy had reached the camp.", "named", "It"),
    # people described by a demonym are not a name
    ("Many Kessari families say they were forced to leave.", "anonymous", "Many Kessari families"),
    ("Customs data show that exports fell by half in March.", "document", "Customs data"),
]


@pytest.mark.parametrize("text,kind,source", MORE_CASES)
def test_attribution_kinds_of_described_and_named_sources(nlp, make_article, text, kind, source):
    article = make_article("x", text)
    claims = find_claims(nlp(text), article, [], [])
    assert len(claims) == 1, [c.text for c in claims]
    assert (claims[0].attribution.kind, claims[0].attribution.source) == (kind, source)


@pytest.mark.parametrize("text,source", [
    ("TESKOVA, Veldania — A senior diplomat told reporters on Monday that the embassy would close.", "A senior diplomat"),
    ("KARSK (Northwind Wire) — Hospital officials in Karsk said on Monday that 12 people were killed.", "Hospital officials in Karsk"),
])
def test_a_dateline_is_never_the_source(nlp, make_article, text, source):
    article = make_article("x", text)
    (claim,) = find_claims(nlp(text), article, [], [])
    assert claim.attribution.source == source
    assert not claim.text.startswith(("TESKOVA", "KARSK"))
    assert claim.text == article.text[claim.start : claim.end]


def test_a_parenthetical_speaker_frames_the_clause(nlp, make_article):
    text = "A second shell damaged the water plant, Mayor Ilse Marov said, leaving 3,000 homes dry."
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert (claim.attribution.kind, claim.attribution.source) == ("named", "Mayor Ilse Marov")


def test_quoted_as_saying_is_named_and_hedged(nlp, make_article):
    text = "One farmer, Pavel Drogan, was quoted as saying the soldiers burned his barn."
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert claim.attribution.kind == "named" and "Pavel Drogan" in claim.attribution.source
    assert claim.hedged and "quoted as saying" in claim.hedges


def test_a_relative_clause_speech_verb_does_not_take_the_attribution(nlp, make_article):
    text = "Ruben Ostrander, who said he worked at the mine for ten years, testified that managers had hidden the leak."
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert claim.attribution.source == "Ruben Ostrander"
    assert claim.subject == "managers"
