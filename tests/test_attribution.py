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
