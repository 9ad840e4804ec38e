"""GeoJSON export: one Point feature per geocoded place, with its mentions and the claims made there.

A pure function over model objects, so the CLI, the API and the web map all share it. A claim
belongs to a place when its span contains a mention of the place, or when its subject or
object is the place's entity id.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirewatch.model import Article, Claim, Entity

__all__ = ["to_geojson"]


def to_geojson(entities: Iterable[Entity], claims: Iterable[Claim], articles: Iterable[Article] | None = None) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of the geocoded place entities.

    Each feature's properties: id, name, country, gazetteer_id, feature, mention_count,
    article_count, mentions (article, start, end, text), claims (id, article, text),
    claim_count; with `articles`, also the titles of the articles that mention the place.
    Places without coordinates are left out; coordinates are [lon, lat] as GeoJSON requires.
    """
    claims = list(claims)
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article, []).append(claim)
    titles = {a.id: a.title for a in articles} if articles is not None else None
    features = []
    for entity in entities:
        if entity.type != "place" or entity.geo is None or not entity.geo.literal:
            continue  # metonymic places ("Moscow said") are linked entities, not points on a map
        linked: dict[str, Claim] = {}
        for mention in entity.mentions:
            for claim in by_article.get(mention.article, ()):
                if claim.start <= mention.start and mention.end <= claim.end:
                    linked.setdefault(claim.id, claim)
        for claim in claims:
            if entity.id in (claim.subject, claim.object):
                linked.setdefault(claim.id, claim)
        article_ids = sorted({m.article for m in entity.mentions})
        properties: dict[str, Any] = {
            "id": entity.id,
            "name": entity.name,
            "country": entity.geo.country,
            "gazetteer_id": entity.geo.gazetteer_id,
            "feature": entity.geo.feature,
            "mention_count": len(entity.mentions),
            "article_count": len(article_ids),
            "mentions": [
                {"article": m.article, "start": m.start, "end": m.end, "text": m.text}
                for m in sorted(entity.mentions, key=lambda m: (m.article, m.start))
            ],
            "claims": [
                {"id": c.id, "article": c.article, "text": c.text}
                for c in sorted(linked.values(), key=lambda c: (c.article, c.start))
            ],
            "claim_count": len(linked),
        }
        if titles is not None:
            properties["articles"] = [{"id": a, "title": titles.get(a)} for a in article_ids]
        features.append(
            {
                "type": "Feature",
                "id": entity.id,
                "geometry": {"type": "Point", "coordinates": [entity.geo.lon, entity.geo.lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
