"""FollowTheMoney export: a story's (or the store's) actors, places, reports and claim relations
as FtM entities, one JSON object per line, so an investigator can load them into Aleph.

Mapping (FtM schemata of the `followthemoney` package, checked against its model when built):
- person -> Person; organization or group -> Organization, or PublicBody when it is a state
  institution (a generic agent of sector government, military, police, judiciary, legislature
  or intelligence); sector and wirewatch type go to `classification`, roles to `position`/`keywords`;
- place -> Address (name, coordinates, country);
- report -> Article (title, publisher, date, URL, author);
- each claim edge of the actor graph (wirewatch.stories.graph) -> UnknownLink from the acting
  entity to the acted-on one: `role` is the event type (PLOVER where coded), `summary` the claim's
  exact sentence, `proof` the Article it is cited from, `date` the event date, `description` who
  says so and how firmly; a negated claim is kept, marked "negated" in `status`;
- every entity mentioned in a report -> Documentation (entity, document), so Aleph shows where
  each actor is mentioned.
"""
from __future__ import annotations

import json

from wirewatch.errors import WirewatchError
from wirewatch.extract.attribution import STATE_SECTORS
from wirewatch.model import Claim, Entity
_PREFIX = "wirewatch-"


def _model():
    try:
        from followthemoney import model
    except ImportError as exc:  # an optional extra: say how to get it
        raise WirewatchError("the ftm export needs the followthemoney package: pip install 'wirewatch[ftm]'") from exc
    return model


def _ftm_id(kind: str, ref: str) -> str:
    return f"{_PREFIX}{kind}-{ref}"


def entity_schema(entity: Entity) -> str | None:
    """The FtM schema an entity maps to, None for types FtM has no place for ("other")."""
    if entity.type == "person":
        return "Person"
    if entity.type in ("organization", "group"):
        return "PublicBody" if entity.sector in STATE_SECTORS else "Organization"
    if entity.type == "place":
        return "Address"
    return None


def _entity_proxy(model, entity: Entity):
    schema = entity_schema(entity)
    if schema is None:
        return None
    proxy = model.make_entity(schema)
    proxy.id = _ftm_id("e", entity.id)
    if schema == "Address":
        proxy.add("full", entity.name)
        if entity.geo is not None:
            proxy.add("latitude", entity.geo.lat)
            proxy.add("longitude", entity.geo.lon)
            proxy.add("country", entity.geo.country)
    else:
        proxy.add("name", entity.name)
        proxy.add("alias", entity.aliases)
        proxy.add("country", entity.country)
        if schema == "Person":
            proxy.add("position", entity.roles)
        else:
            proxy.add("classification", [c for c in (entity.sector, entity.type) if c])
            proxy.add("keywords", entity.roles)
    return proxy


def _describe(claim: Claim) -> str:
    who = claim.attribution.kind + (f": {claim.attribution.source}" if claim.attribution.source else "")
    flags = [f for f, on in (("hedged", claim.hedged), ("negated", claim.negated)) if on]
    return f"attribution {who}" + (f"; {', '.join(flags)}" if flags else "") + (f"; hedges: {', '.join(claim.hedges)}" if claim.hedges else "")


def ftm_entities(selection) -> list[dict]:
    """FtM entities (as plain dicts, `proxy.to_dict()`) for an export `Selection`."""
    from wirewatch.stories.graph import actor_edges

    model = _model()
    out: list[dict] = []
    known: dict[str, object] = {}
    for entity in sorted(selection.entities.values(), key=lambda e: e.id):
        proxy = _entity_proxy(model, entity)
        if proxy is not None:
            known[entity.id] = proxy
            out.append(proxy.to_dict())
    for analysis in selection.analyses:
        article = analysis.article
        doc = model.make_entity("Article")
        doc.id = _ftm_id("a", article.id)
        doc.add("title", article.title)
        doc.add("publisher", article.outlet)
        doc.add("publishedAt", article.published)
        doc.add("sourceUrl", article.url)
        doc.add("author", article.author)
        out.append(doc.to_dict())
        for entity in analysis.entities:
            if entity.id not in known:
                continue
            link = model.make_entity("Documentation")
            link.id = _ftm_id("d", f"{article.id}-{entity.id}")
            link.add("document", doc.id)
            link.add("entity", _ftm_id("e", entity.id))
            link.add("role", "mentioned")
            out.append(link.to_dict())
    articles = selection.articles
    for edge in actor_edges(selection.analyses, include_negated=True):
        if edge.source not in known or edge.target not in known:
            continue
        claim = edge.claim
        article = articles.get(claim.article)
        link = model.make_entity("UnknownLink")
        link.id = _ftm_id("c", f"{claim.id}-{edge.target}")
        link.add("subject", _ftm_id("e", edge.source))
        link.add("object", _ftm_id("e", edge.target))
        link.add("role", claim.plover or claim.predicate)
        link.add("summary", claim.text)
        link.add("description", _describe(claim))
        link.add("date", claim.date)
        link.add("proof", _ftm_id("a", claim.article))
        link.add("status", "negated" if claim.negated else "asserted")
        if article is not None:
            link.add("publisher", article.outlet)
            link.add("sourceUrl", article.url)
        out.append(link.to_dict())
    return out


def to_ftm(selection) -> str:
    """FtM entities as JSON Lines (what `ftm` command-line tools and Aleph's loader read)."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in ftm_entities(selection))
