"""Actor edges: linked objects first, else entities named inside the claim; negations draw nothing."""
from __future__ import annotations

from wirewatch.model import Article, ArticleAnalysis, Attribution, Claim, Entity, Mention
from wirewatch.stories.graph import actor_edges

TEXT = "Velmar shelled Ostra on Monday, the ministry said. Velmar did not attack Dunmore. Velmar met Ostra."


def _entity(eid, name, etype, start):
    return Entity(id=eid, name=name, type=etype, mentions=[Mention("a1", start, start + len(name), name)])


def _analysis():
    velmar = _entity("E1", "Velmar", "organization", 0)
    velmar.mentions += [Mention("a1", 51, 57, "Velmar"), Mention("a1", 82, 88, "Velmar")]
    ostra = _entity("E2", "Ostra", "place", 15)
    ostra.mentions.append(Mention("a1", 93, 98, "Ostra"))
    ministry = _entity("E3", "the ministry", "organization", 32)
    dunmore = _entity("E4", "Dunmore", "place", 73)
    claims = [
        Claim("c1", "a1", TEXT[0:50], 0, 50, "ASSAULT", subject="E1", object="Ostra",
              attribution=Attribution("official", "the ministry", entity="E3")),
        Claim("c2", "a1", TEXT[51:81], 51, 81, "ASSAULT", subject="E1", object="E4", negated=True),
        Claim("c3", "a1", TEXT[82:99], 82, 99, "CONSULT", subject="E1", object="E2"),
    ]
    article = Article(id="a1", title="t", text=TEXT)
    return ArticleAnalysis(article=article, entities=[velmar, ostra, ministry, dunmore], claims=claims)


def test_edges_from_linked_object_and_from_entities_inside_the_claim():
    edges = [(e.source, e.target, e.claim.id) for e in actor_edges([_analysis()])]
    assert ("E1", "E2", "c1") in edges  # object written as words: the entity named in the span
    assert ("E1", "E2", "c3") in edges  # linked object
    assert not any(target == "E3" for _, target, _ in edges)  # the source of the claim is not a target
    assert not any(cid == "c2" for _, _, cid in edges)  # negated: no edge


def test_no_edge_without_an_entity_subject():
    analysis = _analysis()
    for claim in analysis.claims:
        claim.subject = "the army"
    assert actor_edges([analysis]) == []


def test_places_do_not_act_and_statements_are_not_acts():
    analysis = _analysis()
    analysis.claims[0].subject = "E2"  # a place as subject
    analysis.claims[2].predicate = "STATEMENT"
    assert actor_edges([analysis]) == []


def test_story_edges_group_claims_with_their_citations():
    from wirewatch.stories.graph import story_edges

    first = _analysis()
    text = "Velmar met Ostra again."
    second = ArticleAnalysis(
        article=Article(id="a2", title="t2", text=text),
        entities=[Entity(id="E1", name="Velmar", type="organization", mentions=[Mention("a2", 0, 6, "Velmar")]),
                  Entity(id="E2", name="Ostra", type="place", mentions=[Mention("a2", 11, 16, "Ostra")])],
        claims=[Claim("c9", "a2", text, 0, len(text), "CONSULT", subject="E1", object="E2", plover="CONSULT")],
    )
    edges = story_edges([first, second])
    top = edges[0]
    assert (top.source, top.target) == ("E1", "E2")
    assert top.count == 3 and top.articles == ["a1", "a2"]
    assert {c.id for c in top.claims} == {"c1", "c3", "c9"}
    assert dict(top.types())["CONSULT"] == 2


def test_a_place_acts_only_in_a_plover_event():
    text = "Velmar shelled Ostra. Velmar is a port near Ostra."
    velmar = Entity(id="P1", name="Velmar", type="place", mentions=[Mention("a1", 0, 6, "Velmar"), Mention("a1", 22, 28, "Velmar")])
    ostra = Entity(id="P2", name="Ostra", type="place", mentions=[Mention("a1", 15, 20, "Ostra"), Mention("a1", 44, 49, "Ostra")])
    claims = [Claim("c1", "a1", text[:21], 0, 21, "FIGHT", subject="P1", object="P2", plover="FIGHT"),
              Claim("c2", "a1", text[22:], 22, 50, "STATEMENT", subject="P1", object="P2")]
    analysis = ArticleAnalysis(article=Article(id="a1", title="t", text=text), entities=[velmar, ostra], claims=claims)
    assert [(e.source, e.target, e.claim.id) for e in actor_edges([analysis])] == [("P1", "P2", "c1")]


def test_reporters_told_are_no_target_unless_they_are_the_object():
    text = "The minister told reporters that the army had shelled Ostra. Police detained two reporters."
    minister = Entity(id="E1", name="minister", type="organization", mentions=[Mention("a1", 4, 12, "minister")])
    press = Entity(id="A1", name="reporters", type="group", sector="media",
                   mentions=[Mention("a1", 18, 27, "reporters"), Mention("a1", 81, 90, "reporters")])
    army = Entity(id="A2", name="army", type="organization", sector="military", mentions=[Mention("a1", 37, 41, "army")])
    ostra = Entity(id="P1", name="Ostra", type="place", mentions=[Mention("a1", 54, 59, "Ostra")])
    police = Entity(id="A3", name="Police", type="organization", sector="police", mentions=[Mention("a1", 61, 67, "Police")])
    claims = [Claim("c1", "a1", text[:60], 0, 60, "FIGHT", subject="A2", object="Ostra", plover="FIGHT",
                    attribution=Attribution("official", "The minister", entity="E1")),
              Claim("c2", "a1", text[61:], 61, 91, "COERCE", subject="A3", object="A1", plover="COERCE")]
    analysis = ArticleAnalysis(article=Article(id="a1", title="t", text=text), entities=[minister, press, army, ostra, police], claims=claims)
    assert sorted((e.source, e.target) for e in actor_edges([analysis])) == [("A2", "P1"), ("A3", "A1")]
