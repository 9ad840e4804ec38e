"""Roles and titles attached to people, in each shape news prose uses."""
from __future__ import annotations

import pytest

from tests.test_entities import by_name, entities_of
from wirewatch.extract.roles import add_role, clean_role

STRIKE = (
    "Amina Haddad, chairman of the dockworkers' union, said the strike in Rotterdam would continue. "
    "Her brother Yusuf Haddad, a nurse at the city hospital, disagreed."
)


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        ("Governor Tomas Reyes of Valdera Province said the dam held.", "Tomas Reyes", "Governor of Valdera Province"),
        ("Interior Minister Lucia Brandt said the army would help.", "Lucia Brandt", "Interior Minister"),
        ("The talks were led by President Ines Carvalho in Lisbon.", "Ines Carvalho", "President"),
        ("Maj. Gen. Ivan Dorosh denied any role in the raid.", "Ivan Dorosh", "Maj. Gen."),
        ("Prosecutors said Col. Hassan bin Salim ordered the arrests.", "Hassan bin Salim", "Col."),
        ("Critics of Prime Minister Jean-Paul Mbeki marched in Kinshasa.", "Jean-Paul Mbeki", "Prime Minister"),
    ],
)
def test_title_before_name(nlp, make_article, text, person, role):
    entity = by_name(entities_of(nlp, make_article, text), person)
    assert entity.type == "person"
    assert role in entity.roles, entity.roles
    # The title is a role, never part of the name or of a mention span.
    assert all(not m.text.startswith(role.split()[0]) for m in entity.mentions)


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        ("The firm was bought by billionaire Victor Olenko last year.", "Victor Olenko", "billionaire"),
        ("The company was sold to the billionaire Victor Olenko.", "Victor Olenko", "billionaire"),
        ("The envoy met former rebel commander Idris Kaba in Juba.", "Idris Kaba", "former rebel commander"),
        ("Billionaire Victor Olenko was detained in Odesa on Tuesday.", "Victor Olenko", "billionaire"),
    ],
)
def test_descriptor_before_name(nlp, make_article, text, person, role):
    entity = by_name(entities_of(nlp, make_article, text), person)
    assert role in entity.roles, entity.roles


def test_appositives_after_and_before_the_name(nlp, make_article):
    ents = entities_of(nlp, make_article, STRIKE)
    assert "chairman of the dockworkers' union" in by_name(ents, "Amina Haddad").roles
    assert "nurse at the city hospital" in by_name(ents, "Yusuf Haddad").roles
    text = "Olenko's lawyer, Sofia van der Berg, said her client was innocent."
    assert "Olenko's lawyer" in by_name(entities_of(nlp, make_article, text), "Sofia van der Berg").roles


def test_appositive_stops_before_a_clause(nlp, make_article):
    text = "Maj. Gen. Ivan Dorosh, the former head of military intelligence, denied any role."
    roles = by_name(entities_of(nlp, make_article, text), "Ivan Dorosh").roles
    assert "former head of military intelligence" in roles
    assert not any("denied" in r for r in roles)


def test_appositive_of_a_place_is_not_the_persons(nlp, make_article):
    text = "Governor Tomas Reyes of Valdera, a coastal province, said the dam held."
    roles = by_name(entities_of(nlp, make_article, text), "Tomas Reyes").roles
    assert "Governor of Valdera" in roles
    assert not any("coastal" in r for r in roles)


def test_roles_from_all_mentions_merge_on_the_person(nlp, make_article):
    text = (
        "Tomas Reyes, a former engineer, took office in May. Governor Reyes said on Monday that "
        "the flooding had displaced 3,000 families."
    )
    reyes = by_name(entities_of(nlp, make_article, text), "Tomas Reyes")
    assert "former engineer" in reyes.roles
    assert "Governor" in reyes.roles
    assert len(reyes.mentions) == 2


def test_no_role_from_a_verb_or_a_determiner(nlp, make_article):
    text = "On Monday police arrested Victor Olenko. The court freed Olenko the next day."
    olenko = by_name(entities_of(nlp, make_article, text), "Victor Olenko")
    assert olenko.roles == []


def test_role_strings_are_trimmed_and_deduplicated():
    roles: list[str] = []
    for role in ("Governor,", "  governor ", "chairman of the union.", "Maj. Gen.", ""):
        add_role(roles, role)
    assert roles == ["Governor", "chairman of the union", "Maj. Gen."]
    assert clean_role("“a nurse”") == "a nurse"


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        # The small model tags these agent nouns as a verb or an adjective right before the name.
        ("The villa on the lake was sold to billionaire Jonas Whitfield last year.", "Jonas Whitfield", "billionaire"),
        ("Police questioned activist Tomas Brenner on Monday.", "Tomas Brenner", "activist"),
        # A role opening the sentence before a titled name, which the parser leaves unattached.
        ("Villagers blamed the militia. A militia spokesman, Lt. Col. Dario Venn, denied the accusation.",
         "Dario Venn", "militia spokesman"),
    ],
)
def test_descriptors_the_tagger_misreads(nlp, make_article, text, person, role):
    entity = by_name(entities_of(nlp, make_article, text), person)
    assert entity.type == "person"
    assert role in entity.roles, entity.roles


def test_verb_before_name_is_not_a_role(nlp, make_article):
    entity = by_name(entities_of(nlp, make_article, "The board agreed to meet Jonas Whitfield on Monday."), "Jonas Whitfield")
    assert entity.roles == []
