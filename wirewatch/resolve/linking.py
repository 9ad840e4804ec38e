"""Cross-article entity linking (placeholder until the linking stage lands: exact-name keys)."""
from __future__ import annotations

from wirewatch.model import ArticleAnalysis, stable_id


def link_entities(analyses: list[ArticleAnalysis], store) -> None:
    """Give every local entity a global id and rewrite claim references to it."""
    for analysis in analyses:
        mapping = {}
        for entity in analysis.entities:
            global_id = stable_id("E", entity.type, entity.name.casefold())
            mapping[entity.id] = global_id
            entity.id = global_id
        for claim in analysis.claims:
            claim.subject = mapping.get(claim.subject, claim.subject)
            claim.object = mapping.get(claim.object, claim.object)
