"""The derived CAMEO/PLOVER event lexicon and its matching on the dependency parse."""
from __future__ import annotations

import pytest

from wirewatch.extract.claims import find_claims
from wirewatch.extract.events import event_lexicon, match
from wirewatch.extract.predicates import PLOVER_TYPES

from tests.conftest import SHARED


def _head(nlp, text):
    doc = nlp(text)
    return next(t for t in doc if t.dep_ == "ROOT")


def test_table_names_its_source_and_licence_and_uses_plover_types():
    lex = event_lexicon()
    assert "PETRARCH2" in lex["_source"] and "PLOVER" in lex["_source"] and "CC BY-SA" in lex["_licence"]
    assert len(lex["verbs"]) > 1000
    assert {c[0] for c in lex["codes"].values()} <= set(PLOVER_TYPES) | {""}


@pytest.mark.parametrize("text,key,plover", [
    ("The two sides held talks in Geneva.", "obj talks", "CONSULT"),          # light verb + object head
    ("Farmers staged a protest outside parliament.", "obj protest", "PROTEST"),
    ("The ministry imposed a curfew on the district.", "obj curfew", "COERCE"),
    ("The rebels shelled the airport.", "", "FIGHT"),                          # the verb alone
    ("Protesters put up barricades on the highway.", "prt up obj barricade", "PROTEST"),  # particle + object
])
def test_match_on_the_parse(nlp, text, key, plover):
    found = match(_head(nlp, text))
    assert found is not None and found.plover == plover, found
    if key is not None:
        assert found.key == key


def test_compound_of_the_object_matches_like_the_pattern_start(nlp):
    # "(FROM BORDER)" matches "from the border region"
    found = match(_head(nlp, "Troops withdrew from the border region."))
    assert found.plover == "RETREAT" and found.key.startswith("prep from")


def test_a_verb_the_lexicon_does_not_know_is_silent(nlp):
    assert match(_head(nlp, "The committee frobnicated the budget.")) is None


@pytest.mark.parametrize("text,plover", [
    ("The envoy urged both sides to return to talks.", "DEMAND"),       # "urge" is not in CAMEO: hand rule
    ("The court decided to allow the candidate to run.", "CONCEDE"),    # aspect verb passes its complement through
])
def test_hand_rules_only_where_the_lexicon_is_silent(nlp, make_article, text, plover):
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert claim.plover == plover


def test_claims_carry_mode_and_context(nlp, make_article):
    text = "The army declared a ceasefire in the north."
    (claim,) = find_claims(nlp(text), make_article("x", text), [], [])
    assert claim.plover == "RETREAT" and claim.event_context == "military"


def test_rebuilding_the_table_from_the_dictionaries_gives_the_shipped_one(tmp_path):
    data = SHARED / "data" / "eventdata"
    if not (data / "CAMEO.2.0.txt").exists():
        pytest.skip(f"event-data dictionaries not present at {data}")
    import json

    from scripts.build_event_lexicon import build

    assert build(data)["verbs"] == json.loads(json.dumps(event_lexicon()["verbs"]))
