"""The store interface: everything wirewatch keeps, behind one class a server database can implement.

Callers speak only model objects (wirewatch.model); SQL lives in the implementations.
Writes made inside `with store.transaction():` commit together or not at all, so a crash
never leaves half an article behind; writes outside a transaction commit one by one.
"""
from __future__ import annotations

import abc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Story


@dataclass
class SearchHit:
    """One full-text search result: the article and a short snippet around the match."""

    article: Article
    snippet: str
    score: float


STORY_ALIAS_PREFIX = "story-alias:"


class Store(abc.ABC):
    """Persistent home of articles, their extractions, linked entities and stories."""

    # --- lifecycle -------------------------------------------------------------------------
    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the store object is unusable afterwards."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes atomically (a write lock is held for the duration)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- articles and per-article extraction ------------------------------------------------
    @abc.abstractmethod
    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""

    @abc.abstractmethod
    def add_analysis(self, analysis: ArticleAnalysis) -> bool:
        """Store an article (with raw input), its mentions, quantities, claims and time expressions.

        Entity ids in `analysis` are global (already linked): mentions are stored under them, and
        each entity is upserted as by `upsert_entity`. Returns False, changing nothing, when the
        article is already stored.
        """

    @abc.abstractmethod
    def update_article(self, article: Article) -> None:
        """Rewrite an article's metadata (headline, duplicate_of, ...); text and raw never change."""

    @abc.abstractmethod
    def get_article(self, article_id: str, with_raw: bool = False) -> Article:
        """Return the stored article (text included); raise NotFoundError when absent."""

    @abc.abstractmethod
    def get_analysis(self, article_id: str) -> ArticleAnalysis:
        """Return the article with its entities (only this article's mentions), quantities, claims, times."""

    @abc.abstractmethod
    def list_articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles newest first by publication (then ingest order), without raw input."""

    @abc.abstractmethod
    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Every stored article's analysis, in ingest order (for exports and rebuilds)."""

    @abc.abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and bodies (FTS5 syntax; bad syntax falls back to words)."""

    # --- entities (linked across articles) -----------------------------------------------------
    @abc.abstractmethod
    def upsert_entity(self, entity: Entity) -> None:
        """Create or merge a global entity: aliases and roles are unioned, a longer name wins, geo kept if set.

        Mentions in `entity` are ignored here; they are stored by `add_analysis`.
        """

    @abc.abstractmethod
    def get_entity(self, entity_id: str) -> Entity:
        """The entity with every mention across articles; raise NotFoundError when absent."""

    @abc.abstractmethod
    def list_entities(self, type: str | None = None, name: str | None = None, limit: int | None = None) -> list[Entity]:
        """Entities ordered by mention count, optionally filtered by type and name substring (mentions omitted)."""

    @abc.abstractmethod
    def entity_mention_counts(self, entity_ids: list[str]) -> dict[str, int]:
        """Number of mentions of each entity id."""

    @abc.abstractmethod
    def add_entity_keys(self, entity_id: str, keys: list[str]) -> None:
        """Index an entity under matching keys (normalized names, surnames) for cross-article linking."""

    @abc.abstractmethod
    def entities_by_keys(self, keys: list[str]) -> dict[str, list[str]]:
        """Entity ids indexed under each key (keys with none are omitted)."""

    # --- claims -----------------------------------------------------------------------------
    @abc.abstractmethod
    def list_claims(self, entity: str | None = None, article: str | None = None, story: str | None = None) -> list[Claim]:
        """Claims filtered by the entity they are by or about (subject, object or attribution), article or story."""

    @abc.abstractmethod
    def update_claims(self, claims: list[Claim]) -> None:
        """Rewrite stored claims' derived fields (corroboration, date) by id."""

    # --- stories ----------------------------------------------------------------------------
    @abc.abstractmethod
    def save_story(self, story: Story) -> None:
        """Create or replace a story and its article membership."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story:
        """The story; raise NotFoundError when absent."""

    @abc.abstractmethod
    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, most recently published first."""

    @abc.abstractmethod
    def delete_story(self, story_id: str) -> None:
        """Remove a story (after it was merged into another)."""

    @abc.abstractmethod
    def story_of_article(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if any."""

    def alias_story(self, alias: str, story_id: str) -> None:
        """Record that story `alias` was merged into `story_id` (kept in stage state: any backend has it)."""
        self.set_state(f"{STORY_ALIAS_PREFIX}{alias}", {"story": story_id})

    def resolve_story(self, story_id: str) -> str | None:
        """The surviving id of a story merged away (following merges of merges), or None if never merged."""
        found = None
        for _ in range(100):  # a merge chain is short; the bound only guards against a corrupted cycle
            state = self.get_state(f"{STORY_ALIAS_PREFIX}{story_id}")
            if not state or state.get("story") in (None, story_id):
                return found
            found = story_id = state["story"]
        return found

    @abc.abstractmethod
    def set_story_features(self, story_id: str, features: dict[str, float], last_time: str | None) -> None:
        """Replace the story's entry in the candidate index: sparse feature weights and its latest date."""

    @abc.abstractmethod
    def candidate_stories(self, features: dict[str, float], limit: int = 20, since: str | None = None) -> list[tuple[str, float]]:
        """Stories sharing features with `features`, by summed weight products, best first.

        Only stories whose latest date is on or after `since` (ISO) are considered when given; the
        cost depends on the posting lists touched, not on the corpus size.
        """

    @abc.abstractmethod
    def get_state(self, key: str) -> dict | None:
        """Opaque JSON state kept for a stage (e.g. a story centroid), or None."""

    @abc.abstractmethod
    def set_state(self, key: str, value: dict) -> None:
        """Store opaque JSON state for a stage under `key`."""

    # --- alerts (issue 15) -------------------------------------------------------------------
    @abc.abstractmethod
    def add_alerts(self, alerts: list[dict]) -> list[dict]:
        """Store alerts (JSON objects with at least `id`, `watchlist`, `created`); return those that were new.

        An alert whose id is already stored is skipped, so raising it again changes nothing.
        """

    @abc.abstractmethod
    def list_alerts(self, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Alerts newest first, only those created at or after `since` (ISO 8601, UTC) when given."""

    # --- summary ----------------------------------------------------------------------------
    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Counts of `articles`, `entities`, `claims`, `stories` (and more keys if useful)."""
