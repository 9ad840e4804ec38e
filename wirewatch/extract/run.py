"""Run every extractor over parsed articles: entities with roles, quantities, claims, times, headline.

`extract_batch` is the one place that runs spaCy (`nlp.pipe`) and decides batching; each
extractor is a plain function of (doc, article, ...) that knows nothing of scheduling.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from wirewatch.model import Article, ArticleAnalysis
from wirewatch.resources import Resources

from wirewatch.extract.actors import link_claim_actors
from wirewatch.extract.agents import find_agents
from wirewatch.extract.claims import find_claims
from wirewatch.extract.entities import find_entities
from wirewatch.extract.headline import check_headline
from wirewatch.extract.quantities import find_quantities
from wirewatch.extract.times import date_claims, find_times


def extract_article(doc, article: Article, resources: Resources) -> ArticleAnalysis:
    """Extract everything from one parsed article; `doc` is `resources.nlp(article.text)`."""
    entities = find_entities(doc, article, resources)
    entities += find_agents(doc, article, entities)
    quantities = find_quantities(doc, article)
    claims = find_claims(doc, article, entities, quantities)
    link_claim_actors(doc, article, claims, entities)
    times = find_times(doc, article)
    date_claims(claims, times)
    article.headline = check_headline(article, claims, resources.headline_model)
    return ArticleAnalysis(article=article, entities=entities, quantities=quantities, claims=claims, times=times)


def extract_batch(articles: Iterable[Article], resources: Resources, batch_size: int = 32) -> Iterator[ArticleAnalysis]:
    """Parse articles with spaCy in batches and yield one `ArticleAnalysis` per article, in order."""
    articles = list(articles)
    docs = resources.nlp.pipe((a.text for a in articles), batch_size=batch_size)
    for article, doc in zip(articles, docs):
        yield extract_article(doc, article, resources)
