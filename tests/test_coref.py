"""In-article coreference: short forms join the full name they stand for, and only that one."""
from __future__ import annotations

from tests.test_entities import by_name, entities_of
from wirewatch.extract.coref import AMBIGUOUS_WINDOW, NameMention, cluster_mentions


def _clusters(mentions):
    """Clusters as sets of the mentions' texts, with the final kinds."""
    return [(c.kind, [" ".join(mentions[i].words) for i in c.members]) for c in cluster_mentions(mentions)]


def test_surname_and_particle_forms_fold_into_the_full_name():
    mentions = [
        NameMention("person", ("Rami", "Makhlouf"), start=0, sent=0),
        NameMention("person", ("Ahmed", "al-Shami"), start=20, sent=1),
        NameMention("person", ("Makhlouf",), start=40, sent=2),
        NameMention("person", ("Al-Shami",), start=60, sent=3),
        NameMention("person", ("Shami",), start=80, sent=4),
        NameMention("person", ("Sofia", "van", "der", "Berg"), start=100, sent=5),
        NameMention("person", ("Van", "der", "Berg"), start=120, sent=6),
    ]
    clusters = _clusters(mentions)
    assert ("person", ["Rami Makhlouf", "Makhlouf"]) in clusters
    assert ("person", ["Ahmed al-Shami", "Al-Shami", "Shami"]) in clusters
    assert ("person", ["Sofia van der Berg", "Van der Berg"]) in clusters
    assert len(clusters) == 3


def test_surname_tagged_as_a_place_becomes_the_person_but_countries_do_not():
    mentions = [
        NameMention("person", ("Mira", "Jordan"), start=0),
        NameMention("person", ("Idris", "Kaba"), start=10),
        NameMention("place", ("Kaba",), start=30),
        NameMention("place", ("Jordan",), start=50, protected=True),
    ]
    clusters = _clusters(mentions)
    assert ("person", ["Idris Kaba", "Kaba"]) in clusters
    assert ("place", ["Jordan"]) in clusters
    assert mentions[2].kind == "person" and mentions[3].kind == "place"


def test_shared_surname_links_to_the_nearest_preceding_full_name():
    mentions = [
        NameMention("person", ("Amina", "Haddad"), start=0, sent=0, para=0),
        NameMention("person", ("Yusuf", "Haddad"), start=50, sent=1, para=0),
        NameMention("person", ("Haddad",), start=100, sent=2, para=0),
        NameMention("person", ("Amina", "Haddad"), start=150, sent=3, para=1),
        NameMention("person", ("Haddad",), start=200, sent=4, para=1),
    ]
    clusters = _clusters(mentions)
    assert ("person", ["Amina Haddad", "Amina Haddad", "Haddad"]) in clusters
    assert ("person", ["Yusuf Haddad", "Haddad"]) in clusters


def test_shared_surname_far_from_any_full_name_stays_unlinked():
    far = AMBIGUOUS_WINDOW + 2
    mentions = [
        NameMention("person", ("Amina", "Haddad"), start=0, sent=0, para=0),
        NameMention("person", ("Yusuf", "Haddad"), start=50, sent=1, para=0),
        NameMention("person", ("Haddad",), start=500, sent=1 + far, para=4),
    ]
    clusters = _clusters(mentions)
    assert ("person", ["Haddad"]) in clusters
    assert len(clusters) == 3


def test_unique_surname_links_even_before_the_full_name():
    mentions = [
        NameMention("person", ("Tshala",), start=0, sent=0),
        NameMention("person", ("Jean", "Tshala"), start=500, sent=20, para=5),
    ]
    assert _clusters(mentions) == [("person", ["Jean Tshala", "Tshala"])]


def test_middle_initial_joins_the_longer_name():
    mentions = [
        NameMention("person", ("George", "W.", "Bush"), start=0),
        NameMention("person", ("George", "Bush"), start=10),
        NameMention("person", ("Laura", "Bush"), start=20),
    ]
    clusters = _clusters(mentions)
    assert ("person", ["George W. Bush", "George Bush"]) in clusters
    assert ("person", ["Laura Bush"]) in clusters


def test_acronym_joins_the_one_organization_it_spells():
    mentions = [
        NameMention("organization", ("World", "Food", "Programme"), start=0),
        NameMention("organization", ("WFP",), start=30),
        NameMention("organization", ("NATO",), start=60),
    ]
    clusters = _clusters(mentions)
    assert ("organization", ["World Food Programme", "WFP"]) in clusters
    assert ("organization", ["NATO"]) in clusters


def test_same_surname_pair_in_an_article(nlp, make_article):
    text = (
        "Amina Haddad, chairman of the dockworkers' union, said the strike in Rotterdam would "
        "continue. Her brother Yusuf Haddad, a nurse at the city hospital, disagreed. Haddad told "
        "reporters the walkout was hurting patients. Amina Haddad rejected that view."
    )
    ents = entities_of(nlp, make_article, text)
    amina, yusuf = by_name(ents, "Amina Haddad"), by_name(ents, "Yusuf Haddad")
    assert amina is not yusuf
    assert [m.text for m in amina.mentions] == ["Amina Haddad", "Amina Haddad"]
    # The bare "Haddad" follows Yusuf's full name most closely.
    assert [m.text for m in yusuf.mentions] == ["Yusuf Haddad", "Haddad"]


def test_title_and_surname_fold_into_the_full_name(nlp, make_article):
    text = (
        "Governor Tomas Reyes of Valdera Province said the flooding had displaced 3,000 families. "
        "Reyes, a former engineer, blamed the National Water Agency. Later, Governor Reyes toured "
        "the shelters."
    )
    reyes = by_name(entities_of(nlp, make_article, text), "Tomas Reyes")
    assert [m.text for m in reyes.mentions] == ["Tomas Reyes", "Reyes", "Reyes"]
    assert "Reyes" in reyes.aliases
    assert reyes.type == "person"


def test_title_picks_among_people_sharing_a_surname():
    mentions = [
        NameMention("person", ("Yusuf", "Haddad"), start=0, sent=0, title="Colonel"),
        NameMention("person", ("Amina", "Haddad"), start=50, sent=1),
        NameMention("person", ("Haddad",), start=100, sent=2, title="Colonel"),
        NameMention("person", ("Haddad",), start=150, sent=3),
    ]
    clusters = _clusters(mentions)
    # The title decides over recency; without a title the nearest full name wins.
    assert ("person", ["Yusuf Haddad", "Haddad"]) in clusters
    assert ("person", ["Amina Haddad", "Haddad"]) in clusters


def test_title_and_surname_in_an_article(nlp, make_article):
    text = (
        "Colonel Yusuf Haddad, an army spokesman, said troops had withdrawn. Amina Haddad, a nurse "
        "at the city hospital, said 40 people had been admitted. \"We did not fire,\" Colonel Haddad said."
    )
    ents = entities_of(nlp, make_article, text)
    yusuf, amina = by_name(ents, "Yusuf Haddad"), by_name(ents, "Amina Haddad")
    assert [m.text for m in yusuf.mentions] == ["Yusuf Haddad", "Haddad"]
    assert [m.text for m in amina.mentions] == ["Amina Haddad"]
    assert "Colonel" in yusuf.roles and "army spokesman" in yusuf.roles
