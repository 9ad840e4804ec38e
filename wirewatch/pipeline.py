"""The pipeline end to end: ingest -> extract -> resolve -> stories -> store.

`Wirewatch` is the library object a program holds: a store plus the resources that fill it.
`analyze` runs the same pipeline into a throw-away in-memory store and returns the contract
document, so `wirewatch analyze` and `wirewatch ingest` can never drift apart.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from wirewatch.alerts.match import raise_alerts
from wirewatch.config import Limits, busy_timeout
from wirewatch.extract_steps import extract_guarded
from wirewatch.ingest import expand_paths, read_path
from wirewatch.ingest.ids import body_key, legacy_article_id
from wirewatch.model import Analysis, Article, ArticleAnalysis, Entity, Rejection
from wirewatch.resolve.linking import link_entities
from wirewatch.resources import Resources
from wirewatch.store import Store, open_store
from wirewatch.stories import update_stories

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    """What one ingest run did: ids added, ids already stored, inputs rejected (with reasons)."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)  # raised by watchlists for the articles added


def process_batch(articles: list[Article], store: Store, resources: Resources,
                  extracted: tuple[list[ArticleAnalysis], list[Rejection]] | None = None,
                  ) -> tuple[list[str], list[Rejection], list[dict]]:
    """Extract, geocode, link and cluster a batch of new articles, then store it in one transaction.

    Extraction runs before the write lock is taken, so readers and other writers wait only for
    the short linking/story step; `extracted` is that step's result when workers already ran it.
    Watchlist alerts are raised in the same transaction, so a crash never keeps an article without
    its alerts. Returns the ids added, the articles rejected and the new alerts.
    """
    analyses, rejected = extracted if extracted is not None else extract_guarded(articles, resources)
    with store.transaction():
        added = store_analyses(analyses, store)
        alerts = raise_alerts(store, added)
    return added, rejected, alerts


def store_analyses(analyses: list[ArticleAnalysis], store: Store) -> list[str]:
    """Link, store and cluster extracted analyses in one transaction (nested in the caller's, if any).

    Returns the ids added; articles already stored are skipped.
    """
    added: list[str] = []
    with store.transaction():
        fresh = [a for a in analyses if not store.has_article(a.article.id)]
        link_entities(fresh, store)
        for analysis in fresh:
            mark_copy(analysis.article, store)
            if store.add_analysis(analysis):
                added.append(analysis.article.id)
        update_stories(fresh, store)
    return added


def mark_copy(article: Article, store: Store) -> None:
    """Point a syndicated copy (a stored article's body from another outlet or URL) at the first one.

    The copy stays its own article: it is stored, listed and cited, and counts once with the
    first for corroboration. A new body is remembered for the copies that may follow.
    """
    key = f"body:{body_key(article.text)}"
    first = store.get_state(key)
    if first and first.get("article") != article.id and store.has_article(first["article"]):
        article.duplicate_of = first["article"]
    else:
        store.set_state(key, {"article": article.id})


def _already_stored(article: Article, store: Store) -> str | None:
    """The stored id of an exact repeat (same outlet, URL and body), also one stored under an older id."""
    if store.has_article(article.id):
        return article.id
    legacy = legacy_article_id(article.title, article.text)
    if legacy != article.id and store.has_article(legacy):
        stored = store.get_article(legacy)
        if (stored.outlet, stored.url) == (article.outlet, article.url):
            return legacy
    return None


def _batches(items: Iterable[Article], limits: Limits) -> Iterator[list[Article]]:
    """Group articles into batches bounded both in count and in characters held in memory."""
    batch: list[Article] = []
    chars = 0
    for article in items:
        batch.append(article)
        chars += len(article.text)
        if len(batch) >= limits.batch_size or chars >= limits.max_batch_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


class Wirewatch:
    """A store and the pipeline that fills it; the Python API's main object."""

    def __init__(self, db: str | Store | None = None, resources: Resources | None = None, limits: Limits | None = None,
                 extractor=None):
        self.store = db if isinstance(db, Store) else open_store(db, busy_timeout=busy_timeout())
        self.resources = resources or Resources()
        self.limits = limits or Limits()
        # Runs extraction elsewhere (wirewatch.workers.DaskExtractor): `map(batches)` yields
        # (batch, extract_guarded result) in input order. None: in this process.
        self.extractor = extractor
        self.after_batch: Callable[[IngestReport], None] | None = None  # progress display hook

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> "Wirewatch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ingest(self, paths: Iterable[str], progress: Progress | None = None) -> IngestReport:
        """Read files, directories or "-" (stdin) and store every usable article; report the rest."""
        files = expand_paths(paths)
        report = IngestReport()

        def articles() -> Iterator[Article]:
            for path in files:
                for item in read_path(path, self.limits):
                    if isinstance(item, Rejection):
                        report.rejected.append(item)
                    else:
                        yield item
                if progress:
                    progress(1)

        return self.ingest_articles(articles(), report)

    def ingest_articles(self, articles: Iterable[Article], report: IngestReport | None = None) -> IngestReport:
        """Store `Article` objects not stored yet, batch by batch; add what happened to `report`."""
        report = report if report is not None else IngestReport()
        seen: set[str] = set()

        def fresh() -> Iterator[Article]:
            for article in articles:
                stored = article.id if article.id in seen else _already_stored(article, self.store)
                if stored:
                    report.duplicates.append(stored)
                else:
                    seen.add(article.id)
                    yield article

        batches = _batches(fresh(), self.limits)
        extracted = self.extractor.map(batches) if self.extractor is not None else ((b, None) for b in batches)
        for batch, result in extracted:
            added, rejected, alerts = process_batch(batch, self.store, self.resources, result)
            report.alerts.extend(alerts)
            report.added.extend(added)
            report.rejected.extend(rejected)
            done = set(added) | {r.article for r in rejected}
            # Stored meanwhile by a concurrent writer: already there, not lost.
            report.duplicates.extend(a.id for a in batch if a.id not in done)
            if self.after_batch is not None:
                self.after_batch(report)
        return report

    def analysis(self, article_ids: list[str] | None = None) -> Analysis:
        """Build the contract document for the given articles (default: all), from the store."""
        wanted = set(article_ids) if article_ids is not None else None
        result = Analysis()
        # Each entity with its mentions in the wanted articles, gathered as the analyses go by (in
        # ingest order, as `get_entity` lists them) instead of one query per entity afterwards.
        entities: dict[str, Entity] = {}
        for item in self.store.iter_analyses():
            if wanted is not None and item.article.id not in wanted:
                continue
            result.articles.append(item.article)
            result.quantities.extend(item.quantities)
            result.claims.extend(item.claims)
            result.times.extend(item.times)
            for entity in item.entities:
                if entity.id in entities:
                    entities[entity.id].mentions.extend(entity.mentions)
                else:
                    entities[entity.id] = entity
        if article_ids is not None:
            order = {aid: i for i, aid in enumerate(article_ids)}
            result.articles.sort(key=lambda a: order.get(a.id, len(order)))
        result.entities.extend(entities.values())
        for story in self.store.list_stories():
            if wanted is None or wanted.intersection(story.articles):
                result.stories.append(story)
        return result


def analyze_with(ww: Wirewatch, paths: Iterable[str], progress: Progress | None = None) -> tuple[Analysis, IngestReport]:
    """Ingest `paths` into `ww` and return the contract document for exactly those inputs."""
    report = ww.ingest(paths, progress=progress)
    ids = list(dict.fromkeys(report.added + report.duplicates))
    result = ww.analysis(ids)
    result.rejections = report.rejected
    return result, report


def analyze(paths: Iterable[str], resources: Resources | None = None, limits: Limits | None = None,
            progress: Progress | None = None) -> tuple[Analysis, IngestReport]:
    """Analyse inputs without a persistent store; return the contract document and what was rejected."""
    with Wirewatch(":memory:", resources=resources, limits=limits) as ww:
        return analyze_with(ww, paths, progress)
