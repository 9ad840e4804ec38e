"""The `Store` implementation both SQL backends share: statements and model conversions.

A backend (SQLite, PostgreSQL) subclasses `SQLStore` and supplies the connection, the commands
that open a write or a read transaction and error translation (see store/sql_tx.py), and the few
statements the engines spell differently (list parameters, full-text search, case-folded name
filters). Everything else is written once here, in SQL both engines accept: `?` placeholders
(the PostgreSQL connection rewrites them), `ON CONFLICT` upserts, no engine-specific functions.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from wirewatch.errors import NotFoundError
from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Mention, Quantity, Story, TimeExpression
from wirewatch.store import codec
from wirewatch.store.sql_tx import SQLTransactions, translated

__all__ = ["SQLStore", "translated", "ARTICLE_SELECT", "ENTITY_SELECT", "limit_clause"]

PAGE = 200  # articles per read snapshot when iterating over the whole store
ARTICLE_SELECT = ", ".join(f"a.{c}" for c in codec.ARTICLE_COLUMNS)
ENTITY_SELECT = ", ".join(f"e.{c}" for c in codec.ENTITY_COLUMNS)
COUNTED_TABLES = ("articles", "entities", "claims", "stories", "quantities", "mentions", "times")
_NO_LIMIT = 2**63 - 1  # OFFSET needs a LIMIT in SQLite, and PostgreSQL has no LIMIT -1


class SQLStore(SQLTransactions):
    """A `Store` over one DB-API connection whose `execute` takes `?` placeholders."""

    def _list_param(self, values: list[str]) -> tuple[str, Any]:
        """A FROM item `q` with columns `key` (position, ascending) and `value`, and its parameter."""
        raise NotImplementedError

    def _weights_param(self, weights: dict[str, float]) -> tuple[str, list]:
        """A FROM item `q` with columns `key` (feature) and `value` (weight), and its parameters."""
        raise NotImplementedError

    # How a list parameter `q` joins the table it looks up: SQLite needs CROSS JOIN to keep `q`
    # as the outer loop (one index probe per value); PostgreSQL plans that by itself.
    driving_join = "JOIN"

    def _insert_article(self, row: dict[str, Any]) -> None:
        self._conn.execute(
            f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        )

    def _entity_extra(self, entity: Entity) -> dict[str, Any]:
        """Backend-only entity columns derived from the model (e.g. folded names), by column."""
        return {}

    def _name_filter(self, name: str) -> tuple[str, list]:
        """A WHERE condition on `e` matching a substring of the name or an alias, ignoring case."""
        raise NotImplementedError

    def search(self, query: str, limit: int = 20):  # pragma: no cover - every backend overrides it
        raise NotImplementedError

    # --- articles ------------------------------------------------------------------------
    @translated
    def has_article(self, article_id: str) -> bool:
        with self._snapshot() as conn:
            return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    @translated
    def add_analysis(self, analysis: ArticleAnalysis) -> bool:
        article = analysis.article
        with self.transaction():
            conn = self._conn
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                return False
            row = codec.article_row(article)
            row["raw"] = article.raw
            row["ingested_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self._insert_article(row)
            self._add_entities(article.id, analysis.entities)
            conn.executemany(
                "INSERT INTO quantities (id, article_id, ord, data) VALUES (?, ?, ?, ?)",
                [(q.id, article.id, i, codec.dumps(q.to_dict())) for i, q in enumerate(analysis.quantities)],
            )
            conn.executemany(
                "INSERT INTO claims (id, article_id, ord, subject, object, attribution_entity, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(c.id, article.id, i, c.subject, c.object, attributed(c), codec.dumps(c.to_dict()))
                 for i, c in enumerate(analysis.claims)],
            )
            conn.executemany(
                "INSERT INTO times (article_id, ord, data) VALUES (?, ?, ?)",
                [(article.id, i, codec.dumps(t.to_dict())) for i, t in enumerate(analysis.times)],
            )
        return True

    def _add_entities(self, article_id: str, entities: list[Entity]) -> None:
        """Upsert the article's entities and store its mentions, in a few statements per article."""
        conn = self._conn
        self._upsert_many(entities)
        links, mentions, counts = [], [], {}
        seen: set[str] = set()
        for position, entity in enumerate(entities):
            # Two local entities linked to one global id: the first position keeps the order.
            if entity.id not in seen:
                seen.add(entity.id)
                links.append((article_id, entity.id, position))
            for m in entity.mentions:
                mentions.append((article_id, entity.id, len(mentions), m.start, m.end, m.text))
            if entity.mentions:
                counts[entity.id] = counts.get(entity.id, 0) + len(entity.mentions)
        conn.executemany("INSERT INTO article_entities (article_id, entity_id, ord) VALUES (?, ?, ?)", links)
        conn.executemany(
            'INSERT INTO mentions (article_id, entity_id, ord, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)', mentions
        )
        conn.executemany("UPDATE entities SET mention_count = mention_count + ? WHERE id = ?",
                         [(n, entity_id) for entity_id, n in counts.items()])

    @translated
    def update_article(self, article: Article) -> None:
        row = codec.article_row(article)
        del row["text"]
        article_id = row.pop("id")
        with self.transaction():
            cursor = self._conn.execute(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?", (*row.values(), article_id)
            )
            self._sync()
            if cursor.rowcount == 0:
                raise NotFoundError(f"no article {article_id!r} in {self.path}")
            self._article_updated(article_id)

    def _article_updated(self, article_id: str) -> None:
        """Hook: refresh what a backend derives from an article's metadata (its search index)."""

    @translated
    def get_article(self, article_id: str, with_raw: bool = False) -> Article:
        with self._snapshot() as conn:
            return self._article(conn, article_id, with_raw)

    def _article(self, conn, article_id: str, with_raw: bool = False) -> Article:
        raw_column = ", a.raw" if with_raw else ""
        row = conn.execute(f"SELECT {ARTICLE_SELECT}{raw_column} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in {self.path}")
        return codec.article_from_row(row[: len(codec.ARTICLE_COLUMNS)], row[-1] if with_raw else None)

    @translated
    def get_analysis(self, article_id: str) -> ArticleAnalysis:
        with self._snapshot() as conn:
            return self._analysis(conn, self._article(conn, article_id))

    def _analysis(self, conn, article: Article) -> ArticleAnalysis:
        aid = (article.id,)
        # Every query goes out before any result is read: one round trip in PostgreSQL's pipeline.
        entity_rows = conn.execute(
            f"SELECT {ENTITY_SELECT} FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
            " WHERE ae.article_id = ? ORDER BY ae.ord", aid)
        mention_rows = conn.execute(
            'SELECT entity_id, start, "end", text FROM mentions WHERE article_id = ? ORDER BY ord', aid)
        quantity_rows = conn.execute("SELECT data FROM quantities WHERE article_id = ? ORDER BY ord", aid)
        claim_rows = conn.execute("SELECT data FROM claims WHERE article_id = ? ORDER BY ord", aid)
        time_rows = conn.execute("SELECT data FROM times WHERE article_id = ? ORDER BY ord", aid)
        entities = [codec.entity_from_row(row) for row in entity_rows.fetchall()]
        by_id = {e.id: e for e in entities}
        for entity_id, start, end, text in mention_rows.fetchall():
            by_id[entity_id].mentions.append(Mention(article=article.id, start=start, end=end, text=text))
        return ArticleAnalysis(
            article=article,
            entities=entities,
            quantities=[Quantity.from_dict(codec.loads(d)) for (d,) in quantity_rows.fetchall()],
            claims=[claim_from(d) for (d,) in claim_rows.fetchall()],
            times=[TimeExpression.from_dict(codec.loads(d)) for (d,) in time_rows.fetchall()],
        )

    @translated
    def list_articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT {ARTICLE_SELECT} FROM articles a"
                f" ORDER BY a.published IS NULL, a.published DESC, a.seq DESC{limit_clause(limit, offset)}",
            ).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Every analysis in ingest order, read in pages so no lock is held while the caller works."""
        last = 0
        while True:
            try:
                with self._snapshot() as conn:
                    rows = conn.execute(
                        f"SELECT a.seq, {ARTICLE_SELECT} FROM articles a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                        (last, PAGE),
                    ).fetchall()
                    page = [self._analysis(conn, codec.article_from_row(r[1:])) for r in rows]
            except self.driver_errors as exc:
                raise self._error(exc, "iter_analyses") from exc
            if not rows:
                return
            last = rows[-1][0]
            yield from page

    # --- entities --------------------------------------------------------------------------
    @translated
    def upsert_entity(self, entity: Entity) -> None:
        with self.transaction():
            self._upsert_many([entity])

    def _upsert_many(self, entities: list[Entity]) -> None:
        """Create or merge entities (in list order, so a repeated id merges twice) with one read."""
        if not entities:
            return
        conn = self._conn
        ids = list(dict.fromkeys(e.id for e in entities))
        source, param = self._list_param(ids)
        current = {
            row[0]: codec.entity_from_row(row) for row in conn.execute(
                f"SELECT {ENTITY_SELECT} FROM {source} {self.driving_join} entities e ON e.id = q.value", (param,))
        }
        stored = dict(current)
        for entity in entities:
            old = current.get(entity.id)
            current[entity.id] = codec.merge_entity(old, entity) if old is not None else _bare(entity)
        extra_columns = list(self._entity_extra(entities[0]))
        new = [e for i, e in current.items() if i not in stored]
        changed = [e for i, e in current.items() if i in stored and e != stored[i]]
        if new:
            columns = [*codec.ENTITY_COLUMNS, *extra_columns]
            conn.executemany(
                f"INSERT INTO entities ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [(*codec.entity_row(e), *self._entity_extra(e).values()) for e in new],
            )
        if changed:
            columns = [*codec.ENTITY_COLUMNS[1:], *extra_columns]
            conn.executemany(
                f"UPDATE entities SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                [(*codec.entity_row(e)[1:], *self._entity_extra(e).values(), e.id) for e in changed],
            )

    @translated
    def get_entity(self, entity_id: str) -> Entity:
        with self._snapshot() as conn:
            row = conn.execute(f"SELECT {ENTITY_SELECT} FROM entities e WHERE e.id = ?", (entity_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no entity {entity_id!r} in {self.path}")
            entity = codec.entity_from_row(row)
            entity.mentions = [
                Mention(article=a, start=s, end=e, text=t) for a, s, e, t in conn.execute(
                    'SELECT m.article_id, m.start, m."end", m.text FROM mentions m JOIN articles a ON a.id = m.article_id'
                    " WHERE m.entity_id = ? ORDER BY a.seq, m.ord", (entity_id,))
            ]
        return entity

    @translated
    def list_entities(self, type: str | None = None, name: str | None = None, limit: int | None = None) -> list[Entity]:
        """Entities by mention count; `name` matches a substring of the name or an alias, ignoring case."""
        where, params = [], []
        if type is not None:
            where.append("e.type = ?")
            params.append(type)
        if name:
            condition, values = self._name_filter(name)
            where.append(condition)
            params += values
        sql = f"SELECT {ENTITY_SELECT} FROM entities e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY e.mention_count DESC, e.name, e.id{limit_clause(limit)}"
        with self._snapshot() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [codec.entity_from_row(r) for r in rows]

    @translated
    def entity_mention_counts(self, entity_ids: list[str]) -> dict[str, int]:
        """Mentions of each id (0 for ids not stored)."""
        counts = dict.fromkeys(entity_ids, 0)
        if not entity_ids:
            return counts
        source, param = self._list_param(list(entity_ids))
        with self._snapshot() as conn:
            counts.update(conn.execute(
                f"SELECT e.id, e.mention_count FROM {source} {self.driving_join} entities e ON e.id = q.value", (param,)
            ).fetchall())
        return counts

    @translated
    def add_entity_keys(self, entity_id: str, keys: list[str]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO entity_keys (key, entity_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(k, entity_id) for k in keys],
            )

    @translated
    def entities_by_keys(self, keys: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if not keys:
            return found
        source, param = self._list_param(list(keys))
        with self._snapshot() as conn:
            for key, entity_id in conn.execute(
                f"SELECT k.key, k.entity_id FROM {source} {self.driving_join} entity_keys k ON k.key = q.value"
                " ORDER BY q.key, k.entity_id", (param,)
            ):
                found.setdefault(key, []).append(entity_id)
        return found

    # --- claims ----------------------------------------------------------------------------
    @translated
    def list_claims(self, entity: str | None = None, article: str | None = None, story: str | None = None) -> list[Claim]:
        """Claims in ingest order, filtered by every criterion given."""
        where, params = [], []
        if entity is not None:
            where.append("(c.subject = ? OR c.object = ? OR c.attribution_entity = ?)")
            params += [entity] * 3
        if article is not None:
            where.append("c.article_id = ?")
            params.append(article)
        if story is not None:
            where.append("c.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            params.append(story)
        sql = "SELECT c.data FROM claims c JOIN articles a ON a.id = c.article_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._snapshot() as conn:
            rows = conn.execute(sql + " ORDER BY a.seq, c.ord", params).fetchall()
        return [claim_from(d) for (d,) in rows]

    @translated
    def update_claims(self, claims: list[Claim]) -> None:
        with self.transaction():
            self._conn.executemany(
                "UPDATE claims SET subject = ?, object = ?, attribution_entity = ?, data = ? WHERE id = ?",
                [(c.subject, c.object, attributed(c), codec.dumps(c.to_dict()), c.id) for c in claims],
            )

    # --- stories ---------------------------------------------------------------------------
    @translated
    def save_story(self, story: Story) -> None:
        """Create or replace a story; an article named here leaves any other story it was in."""
        with self.transaction():
            conn = self._conn
            conn.execute(
                "INSERT INTO stories (id, title, last_published, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " last_published = excluded.last_published, data = excluded.data",
                (story.id, story.title, story.last_published, codec.dumps(story.to_dict())),
            )
            conn.execute("DELETE FROM story_articles WHERE story_id = ?", (story.id,))
            conn.executemany(
                "INSERT INTO story_articles (story_id, article_id, ord) VALUES (?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, ord = excluded.ord",
                [(story.id, a, i) for i, a in enumerate(dict.fromkeys(story.articles))],
            )

    @translated
    def get_story(self, story_id: str) -> Story:
        with self._snapshot() as conn:
            row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no story {story_id!r} in {self.path}")
        return Story.from_dict(codec.loads(row[0]))

    @translated
    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        with self._snapshot() as conn:
            rows = conn.execute(
                "SELECT data FROM stories ORDER BY last_published IS NULL, last_published DESC, id"
                + limit_clause(limit, offset),
            ).fetchall()
        return [Story.from_dict(codec.loads(d)) for (d,) in rows]

    @translated
    def delete_story(self, story_id: str) -> None:
        with self.transaction():
            for table in ("story_features", "story_last", "story_articles"):
                self._conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))
            self._conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    @translated
    def story_of_article(self, article_id: str) -> str | None:
        with self._snapshot() as conn:
            row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    @translated
    def set_story_features(self, story_id: str, features: dict[str, float], last_time: str | None) -> None:
        with self.transaction():
            conn = self._conn
            conn.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_features (feature, story_id, weight) VALUES (?, ?, ?)",
                [(f, story_id, float(w)) for f, w in features.items()],
            )
            conn.execute(
                "INSERT INTO story_last (story_id, last_time) VALUES (?, ?)"
                " ON CONFLICT (story_id) DO UPDATE SET last_time = excluded.last_time", (story_id, last_time)
            )

    @translated
    def candidate_stories(self, features: dict[str, float], limit: int = 20, since: str | None = None) -> list[tuple[str, float]]:
        """Stories sharing features, best first; a story without any date passes the `since` filter.

        The query features drive the join, so each lookup reads one posting list through the
        (feature, story_id) primary key.
        """
        # Non-finite weights are not JSON SQLite can read, and would swamp every score anyway.
        features = {k: float(v) for k, v in features.items() if math.isfinite(v)}
        if not features:
            return []
        source, params = self._weights_param(features)
        sql = (f"SELECT sf.story_id, SUM(sf.weight * q.value) AS score"
               f" FROM {source} {self.driving_join} story_features sf ON sf.feature = q.key")
        if since is not None:
            sql += " JOIN story_last sl ON sl.story_id = sf.story_id WHERE (sl.last_time IS NULL OR sl.last_time >= ?)"
            params = [*params, since]
        sql += " GROUP BY sf.story_id ORDER BY score DESC, sf.story_id LIMIT ?"
        with self._snapshot() as conn:
            return [(s, float(w)) for s, w in conn.execute(sql, (*params, limit))]

    @translated
    def get_state(self, key: str) -> dict | None:
        with self._snapshot() as conn:
            if self._depth and key in self._state_cache:
                return codec.loads(self._state_cache[key])
            row = conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
            if self._depth:
                self._state_cache[key] = row[0] if row else None
        return codec.loads(row[0]) if row else None

    @translated
    def set_state(self, key: str, value: dict) -> None:
        text = codec.dumps(value)
        with self.transaction():
            self._conn.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, text),
            )
            self._state_cache[key] = text

    # --- alerts ----------------------------------------------------------------------------
    @translated
    def add_alerts(self, alerts: list[dict]) -> list[dict]:
        added = []
        with self.transaction():
            for alert in alerts:
                # RETURNING says whether the row is new (rowcount is not known yet in a pipeline).
                inserted = self._conn.execute(
                    "INSERT INTO alerts (id, watchlist, created_at, data) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (id) DO NOTHING RETURNING id",
                    (alert["id"], alert["watchlist"], alert["created"], codec.dumps(alert)),
                ).fetchone()
                if inserted is not None:
                    added.append(alert)
        return added

    @translated
    def list_alerts(self, since: str | None = None, limit: int | None = None) -> list[dict]:
        sql, params = "SELECT data FROM alerts", []
        if since is not None:
            sql += " WHERE created_at >= ?"
            params.append(since)
        sql += " ORDER BY seq DESC" + limit_clause(limit)
        with self._snapshot() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [codec.loads(d) for (d,) in rows]

    # --- summary ---------------------------------------------------------------------------
    @translated
    def counts(self) -> dict[str, int]:
        """Row counts from one snapshot: articles, entities, claims, stories, quantities, mentions, times."""
        with self._snapshot() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}


def _bare(entity: Entity) -> Entity:
    """The entity as its row stores it (mentions live in their own table)."""
    return codec.entity_from_row(codec.entity_row(entity))


def limit_clause(limit: int | None, offset: int = 0) -> str:
    """` LIMIT n OFFSET m` from trusted integers (both engines read it; no limit means all rows)."""
    clause = f" LIMIT {int(limit):d}" if limit is not None else (f" LIMIT {_NO_LIMIT:d}" if offset else "")
    return clause + (f" OFFSET {int(offset):d}" if offset else "")


def claim_from(data: str) -> Claim:
    """A claim from its stored JSON."""
    return Claim.from_dict(codec.loads(data))


def attributed(claim: Claim) -> str | None:
    """The entity a claim is attributed to, copied into its own column for filtering."""
    return claim.attribution.entity if claim.attribution is not None else None
