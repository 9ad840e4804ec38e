"""The per-article steps of a batch, before the write lock: extraction and geocoding, guarded.

Kept apart from the pipeline so a Dask worker (wirewatch.workers) imports only what it runs: no
store, stories or linking code. A bug that trips on one article costs that article only.
"""
from __future__ import annotations

from wirewatch import extract
from wirewatch.errors import WirewatchError
from wirewatch.model import Article, ArticleAnalysis, Rejection
from wirewatch.resolve.geocode import geocode_analyses
from wirewatch.resources import Resources


def _extract(articles: list[Article], resources: Resources) -> list[ArticleAnalysis]:
    analyses = list(extract.extract_batch(articles, resources))
    geocode_analyses(analyses, resources)
    return analyses


def extract_guarded(articles: list[Article], resources: Resources) -> tuple[list[ArticleAnalysis], list[Rejection]]:
    """Extract and geocode a batch; if a bug trips on one article, reject that article, not the run.

    After an unexpected exception the step is redone one article at a time, so only the articles
    that still fail are lost (as rejections naming the error, which make the exit status 1).
    `WirewatchError`s (a missing model, a busy store) are not about one article and still propagate.
    The two steps are the ones Dask workers run (wirewatch.workers): extraction chunk by chunk,
    geocoding over the whole batch (it weighs countries named across the batch).
    """
    analyses, rejected = extract_chunk(articles, resources)
    analyses, failed = geocode_batch(analyses, resources)
    return analyses, rejected + failed


def extract_chunk(articles: list[Article], resources: Resources) -> tuple[list[ArticleAnalysis], list[Rejection]]:
    """Run the extractors (spaCy included) on articles; each article's result depends on it alone."""
    try:
        return list(extract.extract_batch(articles, resources)), []
    except WirewatchError:
        raise
    except Exception:  # noqa: BLE001 - retried article by article below
        pass
    analyses: list[ArticleAnalysis] = []
    rejected: list[Rejection] = []
    for article in articles:
        try:
            analyses.extend(extract.extract_batch([article], resources))
        except WirewatchError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in an extractor: keep going, but say so
            rejected.append(_internal_error(article, exc))
    return analyses, rejected


def geocode_batch(analyses: list[ArticleAnalysis], resources: Resources) -> tuple[list[ArticleAnalysis], list[Rejection]]:
    """Geocode a whole batch in place; after a failure, redo each article alone from its text."""
    try:
        geocode_analyses(analyses, resources)
        return analyses, []
    except WirewatchError:
        raise
    except Exception:  # noqa: BLE001 - geocoding works in place: start each article again
        pass
    redone: list[ArticleAnalysis] = []
    rejected: list[Rejection] = []
    for analysis in analyses:
        try:
            redone.extend(_extract([analysis.article], resources))
        except WirewatchError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug in geocoding: keep going, but say so
            rejected.append(_internal_error(analysis.article, exc))
    return redone, rejected


def _internal_error(article: Article, exc: Exception) -> Rejection:
    line = article.extra.get("line") if isinstance(article.extra.get("line"), int) else None
    return Rejection(article.path or article.id, f"internal error while extracting: {type(exc).__name__}: {exc}",
                     line, article=article.id)
