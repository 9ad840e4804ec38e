"""Who acts on whom: the actor edges a set of claims supports, for graphs and exports.

A claim whose subject is an actor (a person, organization or group, including generic agents
such as "the army" or "protesters"; a place only for a PLOVER event, as event data codes
"Russia attacked ..." as the state acting) and whose predicate is an act (not a bare STATEMENT
or ASSESSment of how things are) acts on its linked object; when the object is not an entity,
it acts on the entities named inside the claim's own span (a strike "on Kharkiv", a deal "with
the union"), leaving out the subject itself, whoever the claim is attributed to and the press it
is told to. Negated claims
draw no edge unless asked for (an export keeps them, flagged): the event is said not to happen.
"""
from __future__ import annotations

from dataclasses import dataclass

from wirewatch.model import ArticleAnalysis, Claim

ACTOR_TYPES = frozenset({"person", "organization", "group"})
NOT_AN_ACT = frozenset({"STATEMENT", "ASSESS"})


@dataclass(frozen=True)
class ActorEdge:
    """One claim's link from the acting entity to an entity it acts on."""

    source: str
    target: str
    claim: Claim


def actor_edges(analyses: list[ArticleAnalysis], include_negated: bool = False) -> list[ActorEdge]:
    """Every actor edge in these articles, in article and claim order."""
    edges: list[ActorEdge] = []
    for analysis in analyses:
        spans = [(m.start, m.end, e.id) for e in analysis.entities for m in e.mentions
                 if m.article == analysis.article.id]
        known = {e.id for e in analysis.entities}
        actors = {e.id for e in analysis.entities if e.type in ACTOR_TYPES}
        places = {e.id for e in analysis.entities if e.type == "place"}
        audience = {e.id for e in analysis.entities if e.sector == "media"}
        for claim in analysis.claims:
            if (claim.negated and not include_negated) or claim.predicate in NOT_AN_ACT:
                continue
            if claim.subject not in actors and not (claim.subject in places and claim.plover):
                continue
            if claim.object in known and claim.object != claim.subject:
                targets = [claim.object]
            else:
                # reporters named in the sentence are the audience of its speech verb ("told
                # reporters that ..."), not who the act is done to: only a linked object makes them a target
                skip = {claim.subject, claim.attribution.entity} | audience
                targets = list(dict.fromkeys(eid for start, end, eid in sorted(spans)
                                             if claim.start <= start and end <= claim.end and eid not in skip))
            edges.extend(ActorEdge(claim.subject, target, claim) for target in targets)
    return edges


@dataclass
class StoryEdge:
    """All claims by which one actor acts on another in a story: counts by event type, and the
    claims (each a citation: article and exact span) that say so."""

    source: str
    target: str
    claims: list[Claim]

    @property
    def count(self) -> int:
        return len(self.claims)

    @property
    def articles(self) -> list[str]:
        """The reports that carry this edge, in claim order, once each."""
        return list(dict.fromkeys(c.article for c in self.claims))

    def to_dict(self) -> dict:
        """The edge for the JSON API: ends, counts by type, and each citing claim's span."""
        return {
            "source": self.source, "target": self.target, "count": self.count, "articles": self.articles,
            "types": dict(self.types()),
            "claims": [{"id": c.id, "article": c.article, "start": c.start, "end": c.end, "text": c.text,
                        "predicate": c.predicate, "plover": c.plover, "date": c.date, "place": c.place,
                        "attribution": c.attribution.to_dict(), "hedged": c.hedged} for c in self.claims],
        }

    def types(self) -> list[tuple[str, int]]:
        """Event types on this edge (PLOVER where coded, else the predicate), most frequent first."""
        counts: dict[str, int] = {}
        for claim in self.claims:
            kind = claim.plover or claim.predicate
            counts[kind] = counts.get(kind, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def story_edges(analyses: list[ArticleAnalysis]) -> list[StoryEdge]:
    """The story's actor graph: one edge per (actor, acted-on) pair with its cited claims,
    most cited first (then by source and target id, so the order is stable)."""
    grouped: dict[tuple[str, str], list[Claim]] = {}
    for edge in actor_edges(analyses):
        claims = grouped.setdefault((edge.source, edge.target), [])
        if all(c.id != edge.claim.id for c in claims):
            claims.append(edge.claim)
    edges = [StoryEdge(s, t, claims) for (s, t), claims in grouped.items()]
    return sorted(edges, key=lambda e: (-e.count, e.source, e.target))
