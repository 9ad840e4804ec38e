"""Generic actors ("the army", "protesters") as sector-typed, country-scoped agent entities,
on invented reports."""
from __future__ import annotations

from wirewatch.extract.agents import agent_table, find_agents, sector_of
from wirewatch.extract.claims import find_claims

SYRIA = (
    "Syrian security forces clashed with gunmen near Baniyas on Friday. Residents said the army shelled "
    "two villages overnight, and hospital officials reported 14 wounded. A doctor at the clinic said the "
    "protesters had dispersed."
)
PERU = "Peruvian police detained dozens of protesters in Cusco on Monday, and the army sealed the main road."


def _agents(nlp, make_article, text):
    article = make_article("t", text)
    doc = nlp(text)
    return article, doc, {e.name.lower(): e for e in find_agents(doc, article, [])}


def test_table_is_derived_from_the_phoenix_dictionary():
    table = agent_table()
    assert len(table) > 2000
    assert table["police"] == "police" and table["army"] == "military" and table["protester"] == "opposition"


def test_sector_of_phrases():
    assert sector_of(["security", "force"])[1] == "police"
    assert sector_of(["hospital", "official"]) == ("hospital official", "medical")
    assert sector_of(["union", "leader"])[1] == "labour"
    assert sector_of(["people"]) is None and sector_of(["weather"]) is None


def test_generic_actors_with_sector_and_country(nlp, make_article):
    _, _, agents = _agents(nlp, make_article, SYRIA)
    expected = {"syrian security forces": "police", "gunmen": "armed group", "residents": "civilians",
                "army": "military", "hospital officials": "medical", "protesters": "opposition"}
    for name, sector in expected.items():
        assert name in agents, sorted(agents)
        assert agents[name].sector == sector, name
        assert agents[name].country == "SY", name
    assert "doctor" not in agents  # one unnamed person is no actor entity
    for entity in agents.values():
        for m in entity.mentions:
            assert SYRIA[m.start : m.end] == m.text


def test_same_kind_in_two_countries_gets_two_ids(nlp, make_article):
    _, _, syria = _agents(nlp, make_article, SYRIA)
    _, _, peru = _agents(nlp, make_article, PERU)
    assert peru["peruvian police"].country == "PE" and peru["army"].country == "PE"
    assert syria["army"].id != peru["army"].id
    assert syria["protesters"].id != peru["protesters"].id
    # the same agent in another report about the same country keeps the same id
    _, _, again = _agents(nlp, make_article, "In Latakia, the army said it had retaken a Syrian checkpoint.")
    assert again["army"].id == syria["army"].id


def test_agents_are_claim_actors(nlp, make_article):
    article, doc, agents = _agents(nlp, make_article, PERU)
    claims = find_claims(doc, article, list(agents.values()), [])
    detained = next(c for c in claims if "detained" in c.text)
    assert detained.subject == agents["peruvian police"].id
    assert detained.object == agents["protesters"].id


def test_named_entities_keep_their_words(nlp, make_article):
    text = "The Metropolitan Police said officers arrested two men."
    article = make_article("t", text)
    from wirewatch.model import Entity, Mention

    met = Entity(id="E1", name="Metropolitan Police", type="organization", mentions=[Mention(article.id, 4, 23, "Metropolitan Police")])
    agents = find_agents(nlp(text), article, [met])
    assert all(not (m.start < 23 and 4 < m.end) for e in agents for m in e.mentions)


def test_named_institutions_get_a_sector_and_keep_name_linking(nlp, make_article):
    from wirewatch.extract.agents import is_generic_agent
    from wirewatch.model import Entity, Mention

    text = "The Kessar Police said the Varno Dockworkers Union had called a strike."
    article = make_article("t", text)
    police = Entity(id="e1", name="Kessar Police", type="organization", mentions=[Mention(article.id, 4, 17, "Kessar Police")])
    union = Entity(id="e2", name="Varno Dockworkers Union", type="organization", mentions=[Mention(article.id, 27, 50, "Varno Dockworkers Union")])
    agents = find_agents(nlp(text), article, [police, union])
    assert police.sector == "police" and union.sector == "labour"
    assert not is_generic_agent(police) and all(is_generic_agent(a) for a in agents)


def test_event_nouns_and_one_persons_role_are_no_agents(nlp, make_article):
    text = "Exiles are plotting new uprisings, a former spy chief said, as the insurgency spread."
    _, _, agents = _agents(nlp, make_article, text)
    assert "uprisings" not in agents and "insurgency" not in agents and "spy chief" not in agents
    assert "exiles" in agents


def test_armed_and_masked_men_are_an_armed_group_plain_men_are_not(nlp, make_article):
    text = "Three masked men forced a service door, and armed men later attacked a checkpoint. Two men were arrested."
    _, _, agents = _agents(nlp, make_article, text)
    assert agents["masked men"].sector == "armed group" and agents["armed men"].sector == "armed group"
    assert "men" not in agents
