"""Entity extraction on short invented news paragraphs and on the seed article."""
from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.extract.entities import find_entities
from wirewatch.model import stable_id

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_8469186f6885d44f.txt"


def entities_of(nlp, make_article, text: str, title: str = "Test report"):
    """Run `find_entities` and check the invariants every result must hold."""
    article = make_article(title, text)
    entities = find_entities(nlp(article.text), article, None)
    ids = [e.id for e in entities]
    assert len(ids) == len(set(ids)), "one entity per distinct id"
    for e in entities:
        assert e.type in ("person", "organization", "group", "place", "other")
        assert e.id == stable_id("e", article.id, e.type, e.name)
        assert e.mentions, e
        for m in e.mentions:
            assert m.article == article.id
            assert article.text[m.start:m.end] == m.text
    return entities


def by_name(entities, name):
    """The entity called `name` (canonical name or alias), failing clearly if absent."""
    for e in entities:
        if e.name == name or name in e.aliases:
            return e
    raise AssertionError(f"{name!r} not among {[(e.name, e.type) for e in entities]}")


def names_of(entities, kind):
    return {e.name for e in entities if e.type == kind}


FLOODS = (
    "Governor Tomas Reyes of Valdera Province said on Monday that the flooding had displaced 3,000 "
    "families. Reyes, a former engineer, blamed the National Water Agency for delays. Interior "
    "Minister Lucia Brandt said the army would help. Brandt did not give a timeline."
)

CLASHES = (
    "Leaders of the Druze community met in Beirut on Tuesday after Kurdish fighters clashed with "
    "militants near Aleppo. The United Nations called for calm, and the UN envoy, Dr. Petra "
    "Lindqvist, urged talks. Many Kurds fled to Turkey, according to the Kurdish Red Crescent."
)

DETENTION = (
    "Billionaire Victor Olenko, who controls a shipping empire, was detained in Odesa, prosecutors "
    "said. Maj. Gen. Ivan Dorosh, the former head of military intelligence, denied any role. The "
    "Ministry of Defence and the Liberation Front for Greater Mirovia both declined to comment. "
    "Olenko's lawyer, Sofia van der Berg, said her client was innocent. Van der Berg spoke in Kyiv."
)


def test_places_people_and_an_agency(nlp, make_article):
    ents = entities_of(nlp, make_article, FLOODS)
    assert {"Tomas Reyes", "Lucia Brandt"} <= names_of(ents, "person")
    assert "Valdera Province" in names_of(ents, "place")
    assert "National Water Agency" in names_of(ents, "organization")
    # The bare, generic "the army" is not an entity; titles never enter names.
    assert not any(e.name.lower() in ("army", "the army") for e in ents)
    assert not any(e.name.startswith(("Governor", "Interior")) for e in ents)


def test_group_words_are_groups_never_people(nlp, make_article):
    ents = entities_of(nlp, make_article, CLASHES)
    groups = {e.name for e in ents if e.type == "group"}
    assert "Druze" in groups
    kurdish = [e for e in ents if e.type == "group" and "kurd" in e.name.lower()]
    assert kurdish, groups
    persons = names_of(ents, "person")
    assert not any(word in p for p in persons for word in ("Druze", "Kurd"))
    assert persons == {"Petra Lindqvist"}
    assert {"Beirut", "Aleppo", "Turkey"} <= names_of(ents, "place")
    assert "Kurdish Red Crescent" in names_of(ents, "organization")
    # A group mention covers the group word; the "X community" phrase is kept as an alias.
    druze = by_name(ents, "Druze")
    assert druze.mentions[0].text == "Druze"
    assert "Druze community" in druze.aliases


def test_acronym_folds_into_its_organization(nlp, make_article):
    un = by_name(entities_of(nlp, make_article, CLASHES), "United Nations")
    assert un.type == "organization"
    assert "UN" in un.aliases
    assert [m.text for m in un.mentions] == ["United Nations", "UN"]


def test_rule_organizations_and_particles(nlp, make_article):
    ents = entities_of(nlp, make_article, DETENTION)
    orgs = names_of(ents, "organization")
    assert "Ministry of Defence" in orgs
    assert "Liberation Front for Greater Mirovia" in orgs
    # A place inside an organization's name is part of that name, not a separate place.
    assert "Greater Mirovia" not in names_of(ents, "place") and "Mirovia" not in names_of(ents, "place")
    berg = by_name(ents, "Sofia van der Berg")
    assert berg.type == "person"
    assert "Van der Berg" in berg.aliases
    assert {"Odesa", "Kyiv"} <= names_of(ents, "place")


def test_determiners_and_possessives_stay_out_of_spans(nlp, make_article):
    text = "The Popular Front said the Northern Alliance's leaders met in Lagos. Lagos's governor declined to comment."
    ents = entities_of(nlp, make_article, text)
    for e in ents:
        for m in e.mentions:
            assert not m.text.lower().startswith("the ")
            assert not m.text.endswith(("'s", "’s", "'"))
    assert "Lagos" in names_of(ents, "place")
    assert len(by_name(ents, "Lagos").mentions) == 2


def test_months_and_days_are_not_people(nlp, make_article):
    text = "May was the deadliest month, officials said. On Friday, rebels attacked a convoy near Goma."
    ents = entities_of(nlp, make_article, text)
    assert not any(e.name in ("May", "Friday") for e in ents)


def test_heading_words_are_not_read_as_names(nlp, make_article):
    text = (
        "Rebel Commanders Regroup\n\nRebel commanders met near Goma on Sunday, said Colonel Jean Tshala, "
        "a regional army spokesman. Tshala said the commanders regroup every month."
    )
    ents = entities_of(nlp, make_article, text)
    persons = names_of(ents, "person")
    assert persons == {"Jean Tshala"}
    assert not any("Rebel" in e.name or "Commanders" in e.name for e in ents)


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_seed_article(nlp, make_article):
    raw = SEED.read_text(encoding="utf-8")
    title, _, body = raw.partition("\n")
    ents = entities_of(nlp, make_article, body.strip("\n"), title=title)
    persons = {e.name: e for e in ents if e.type == "person"}
    expected = {
        "Kamal Hassan": "Maj. Gen.",
        "Rami Makhlouf": "billionaire",
        "Ahmed al-Sharaa": "President",
        "Khaled al-Ahmad": "former Assad insider",
    }
    for name, role in expected.items():
        assert name in persons, sorted(persons)
        assert role in persons[name].roles, (name, persons[name].roles)
    shami = persons["Ahmed al-Shami"]
    assert {"Governor of Tartous", "Governor"} & set(shami.roles), shami.roles
    # Short forms fold into the full name.
    assert "Makhlouf" in persons["Rami Makhlouf"].aliases
    assert "Hassan" in persons["Kamal Hassan"].aliases
    assert "Al-Shami" in shami.aliases
    assert not any(name in persons for name in ("Makhlouf", "Hassan", "Al-Shami", "Alawite"))
    alawite = [e for e in ents if "Alawite" in e.name or "Alawite" in " ".join(e.aliases)]
    assert alawite and all(e.type == "group" for e in alawite)
    assert {"Syria", "Russia", "Moscow"} <= names_of(ents, "place")
    # Demonym-led institutions are organizations tied to their country.
    government = by_name(ents, "Syrian government")
    assert government.type == "organization" and government.country == "SY"


def test_repairs_from_context(nlp, make_article):
    text = (
        "NAIROBI, Kenya — Lucía Valdivia, president of the national port authority, said on Monday "
        "that Transport Minister Óscar Paredes would visit. Valdivia said talks would resume in "
        "Nueva Esperanza. Halyna Petrenko, 67, a retired teacher who lives nearby, said she was afraid."
    )
    ents = entities_of(nlp, make_article, text)
    valdivia = by_name(ents, "Lucía Valdivia")
    assert valdivia.type == "person"
    assert "president of the national port authority" in valdivia.roles
    assert [m.text for m in valdivia.mentions] == ["Lucía Valdivia", "Valdivia"]
    assert "Transport Minister" in by_name(ents, "Óscar Paredes").roles
    assert "retired teacher" in by_name(ents, "Halyna Petrenko").roles
    assert by_name(ents, "NAIROBI").type == "place"


SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "corpus"


@pytest.mark.skipif(not (SAMPLES / "STORIES.md").exists(), reason="sample corpus not present")
def test_sample_corpus_people_and_roles(nlp):
    """Every person in the corpus ground truth is found, by full name, with a role, in the
    articles that name them (measured 95/95 found, 93/95 with a role; ages are not roles)."""
    import re

    from wirewatch.ingest import read_path
    from wirewatch.model import Article

    people = [m.group(1) for line in (SAMPLES / "STORIES.md").read_text(encoding="utf-8").splitlines()
              if (m := re.match(r"\| ([^|]+?) \| [^|]+? \| [a-z-]+ \|", line)) and m.group(1) != "person"]
    assert len(people) > 30
    pairs = found = with_role = 0
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".md", ".json"):
            continue
        for article in read_path(str(path)):
            if not isinstance(article, Article):
                continue
            entities = find_entities(nlp(article.text), article, None)
            for m in (m for e in entities for m in e.mentions):
                assert article.text[m.start:m.end] == m.text
            persons = {e.name: e for e in entities if e.type == "person"}
            for name in people:
                if name in article.text:
                    pairs += 1
                    found += name in persons
                    with_role += bool(name in persons and persons[name].roles)
    assert pairs >= 80
    assert found / pairs >= 0.95, (found, pairs)
    assert with_role / pairs >= 0.9, (with_role, pairs)


def test_types_from_the_words_around_a_name(nlp, make_article):
    """Kind nouns, company descriptions, datelines and coordination decide what a name names,
    whatever type the model gave it."""
    text = (
        "VARNOSK, Belmaria — Oil from a broken pipeline reached the Tuvarra river on Sunday, and "
        "shops in the Kelvash district stayed shut. Residents of the village of Ormtafel said "
        "fish were dying. The operator, Drovik, refused to comment. Sabine Roux, a "
        "spokeswoman for the regional government, said engineers from Varnosk and Kelmir were on "
        "their way. Vellard Fontaine-Ruys, a family-run auction house, said it would hold a "
        "charity sale. Harbor Lanterns, which runs the ferries, cancelled crossings."
    )
    ents = entities_of(nlp, make_article, text)
    assert by_name(ents, "Tuvarra").type == "place"
    assert by_name(ents, "Kelvash").type == "place"
    assert by_name(ents, "Ormtafel").type == "place"
    assert by_name(ents, "Drovik").type == "organization"
    assert by_name(ents, "Belmaria").type == "place"
    assert by_name(ents, "Kelmir").type == "place"
    assert by_name(ents, "Vellard Fontaine-Ruys").type == "organization"
    assert by_name(ents, "Varnosk").type == "place"
    assert by_name(ents, "Sabine Roux").type == "person"


def test_codes_captions_and_descriptions_are_not_names(nlp, make_article):
    text = (
        "Map showing the coast and the islands.\n\n"
        "Forecasters rated the storm an EF3 after a survey. Thieves took a pair of Art Nouveau "
        "silver brooches. Fighting continued in the hills east of Marvola, and Italian officials "
        "urged calm while European governments said little."
    )
    ents = entities_of(nlp, make_article, text)
    names = {e.name for e in ents}
    assert not {"Map", "EF3", "Art Nouveau", "hills east", "European"} & names, names


def test_a_place_modifying_a_company_noun_stays_a_place(nlp, make_article):
    text = ("Thieves raided a posh Lisbon auction house on Monday. It is the third theft to hit Lisbon "
            "this year, and former Kremlin adviser Oleg Varin said more would follow.")
    ents = entities_of(nlp, make_article, text)
    assert by_name(ents, "Lisbon").type == "place"
    kremlin = [e for e in ents if e.name == "Kremlin"]
    assert all(e.roles == [] for e in kremlin)  # "former" describes Varin, not the Kremlin
