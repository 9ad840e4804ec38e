"""Predicate lexicon rules: phrasal verbs, light verbs, control and aspect verbs, reported modals."""
from __future__ import annotations

import pytest

from wirewatch.extract.claims import find_claims
from wirewatch.extract.predicates import EXTENSION_TYPES, PLOVER_TYPES, lexicon, plover_type

CASES = [
    ("The two governments held talks in Varno on Friday.", "CONSULT"),
    ("Soldiers beat up three detainees in the barracks.", "ASSAULT"),
    ("The union threatened to block the port.", "THREATEN"),
    ("The court decided to allow the opposition candidate to run.", "CONCEDE"),
    ("Farmers staged demonstrations outside parliament.", "PROTEST"),
    # the CAMEO->PLOVER crosswalk codes imposing sanctions (CAMEO 163) as COERCE
    ("The government imposed sanctions on the mining company.", "COERCE"),
    ("Prosecutors launched an investigation into the contracts.", "INVESTIGATE"),
    ("The exiles funnelled money to the militia.", "FUND"),
    ("Gunmen killed four guards at the depot.", "KILL"),
    ("The ministry said the rebels must release the hostages.", "DEMAND"),
    ("The rebels said they would free the hostages.", "AGREE"),
    ("Residents evacuated the coastal villages.", "EVACUATE"),
    ("The mayor thanked the volunteers for their patience.", "SUPPORT"),  # CAMEO 051 praise
    ("The mayor said the bridge was old.", "STATEMENT"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_predicate(nlp, make_article, text, expected):
    claims = find_claims(nlp(text), make_article("x", text), [], [])
    assert claims and claims[0].predicate == expected


def test_lexicon_uses_only_documented_types():
    known = set(PLOVER_TYPES) | set(EXTENSION_TYPES)
    lex = lexicon()
    for table in ("verbs", "phrasal", "nouns", "control_verbs"):
        assert set(lex[table].values()) <= known, table


def test_plover_mapping_for_scoring():
    assert plover_type("KILL") == "ASSAULT"
    assert plover_type("SUPPORT", negated=True) == "REJECT"
    assert plover_type("FIGHT") == "FIGHT"


@pytest.mark.parametrize("text,expected", [
    ("A rocket struck the school on Monday.", "FIGHT"),  # CAMEO 190 conventional force
    ("Dockers struck over pay on Monday.", "STRIKE"),
    ("A tornado struck the town on Tuesday night.", "STATEMENT"),
    ("Port workers downed tools on Monday.", "STRIKE"),
    ("The ministry gave no figures for the dead.", "STATEMENT"),
    ("The rebels launched drones at the airport.", "FIGHT"),
])
def test_strikes_attacks_and_statements(nlp, make_article, text, expected):
    from wirewatch.extract.claims import find_claims

    claims = find_claims(nlp(text), make_article("x", text), [], [])
    assert claims and claims[0].predicate == expected, [(c.text, c.predicate) for c in claims]
