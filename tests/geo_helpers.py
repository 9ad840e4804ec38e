"""Building geocoder inputs for tests: an article and its entities, every occurrence a mention."""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id


def analysis_with(make_article, text, spans, title="Test report", **meta) -> ArticleAnalysis:
    """An ArticleAnalysis whose entities are given as (type, surface) pairs, every occurrence a mention."""
    article = make_article(title, text, **meta)
    entities = []
    for kind, surface in spans:
        mentions = [Mention(article.id, m.start(), m.end(), surface) for m in re.finditer(re.escape(surface), text)]
        assert mentions, surface
        entities.append(Entity(id=stable_id("e", article.id, kind, surface), name=surface, type=kind, mentions=mentions))
    return ArticleAnalysis(article=article, entities=entities)
