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
