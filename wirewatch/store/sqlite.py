"""The embedded store: one SQLite file in WAL mode, with foreign keys and FTS5 full-text search.

Crash safety: every write runs in a transaction (the caller's `transaction()` or one per call),
and WAL makes a commit atomic, so a killed process leaves the last committed state. With
`synchronous=NORMAL` (the default) a power cut may drop the last few commits but never corrupts
the file; pass `synchronous="FULL"` to make each commit durable at the cost of an fsync.

Concurrency: readers never block in WAL mode and see one committed snapshot per call. Writers
serialize on SQLite's write lock: `BEGIN IMMEDIATE` waits up to `busy_timeout` seconds, then
raises `StoreBusyError`. One `SQLiteStore` may be shared by threads; its calls take turns.
"""
from __future__ import annotations

import functools
import math
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from wirewatch.errors import NotFoundError, StoreBusyError, StoreError
from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Mention, Quantity, Story, TimeExpression
from wirewatch.store import codec, schema
from wirewatch.store.base import SearchHit, Store

DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another writer before giving up

# Marks around matched words in search snippets: control characters, absent from prose and left
# alone by HTML escaping, so a web page can escape the snippet first, then turn them into <mark>.
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"

_TITLE_WEIGHT = 4.0  # bm25 column weight of a title match relative to a body match
_PAGE = 200  # articles per read snapshot when iterating over the whole store
_ARTICLE_SELECT = ", ".join(f"a.{c}" for c in codec.ARTICLE_COLUMNS)
_ENTITY_SELECT = ", ".join(f"e.{c}" for c in codec.ENTITY_COLUMNS)
_WORD = re.compile(r"\w+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def _translated(method):
    """Turn sqlite3 errors raised by a store method into StoreError / StoreBusyError."""

    @functools.wraps(method)
    def wrapper(self: "SQLiteStore", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._error(exc, method.__name__) from exc
        except UnicodeEncodeError as exc:  # a lone surrogate in a text column
            raise StoreError(f"{self.path}: {method.__name__}: text is not valid Unicode ({exc.reason})") from exc

    return wrapper


class SQLiteStore(Store):
    """The default `Store`: a single SQLite file (or ":memory:") holding everything wirewatch keeps."""

    def __init__(self, path: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, synchronous: str = "NORMAL"):
        if synchronous.upper() not in {"NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.path = path
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._depth = 0  # nesting level of transaction()
        try:
            # isolation_level=None: autocommit; we issue BEGIN/COMMIT ourselves.
            self._conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        try:
            self._configure(synchronous.upper())
            schema.migrate(self._conn, path)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise StoreBusyError(self._busy_message()) from exc
            raise StoreError(f"cannot open store {path}: not a wirewatch store ({exc})") from exc
        except BaseException:
            self._conn.close()
            raise

    def _configure(self, synchronous: str) -> None:
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("ww_casefold", 1, _casefold, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000):d}")
        # The first read is what detects a file that is not a database.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if self.path != ":memory:":
            mode = self._enable_wal()
            if mode.lower() != "wal":
                raise StoreError(f"cannot open store {self.path}: WAL mode refused (journal mode is {mode})")
        conn.execute(f"PRAGMA synchronous = {synchronous}")

    def _enable_wal(self) -> str:
        """Switch to WAL, retrying while another process creates or converts the same file.

        Changing the journal mode needs an exclusive lock, and SQLite reports "database is locked"
        for it at once, without its busy handler, when a second process opens a brand-new file at
        the same moment; so we wait here, up to the busy timeout, as every other write does.
        """
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                return self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    # --- errors ----------------------------------------------------------------------------
    def _busy_message(self) -> str:
        return (
            f"store {self.path} is busy: another process held its write lock for more than "
            f"{self.busy_timeout:g} s (is another wirewatch ingest running?); retry when it has finished"
        )

    def _error(self, exc: sqlite3.Error, action: str) -> StoreError:
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            return StoreBusyError(self._busy_message())
        return StoreError(f"store {self.path}: {action} failed: {exc}")

    # --- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Release the connection (a still-open transaction is rolled back)."""
        with self._lock:
            if self._conn is not None:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                self._conn.close()
                self._conn = None  # type: ignore[assignment]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises.

        Nested use is a savepoint: an inner block that raises undoes only its own writes.
        """
        with self._lock:
            if self._conn is None:
                raise StoreError(f"store {self.path} is closed")
            if self._depth:
                yield from self._savepoint()
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc, "begin") from exc
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self._error(exc, "commit") from exc

    def _savepoint(self) -> Iterator[None]:
        name = f"ww{self._depth}"
        self._conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            raise
        finally:
            self._depth -= 1
            self._conn.execute(f"RELEASE {name}")

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Run several reads against one committed state (a read transaction unless writing)."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"store {self.path} is closed")
            if self._depth:
                yield self._conn
                return
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    # --- articles ------------------------------------------------------------------------
    @_translated
    def has_article(self, article_id: str) -> bool:
        with self._snapshot() as conn:
            return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    @_translated
    def add_analysis(self, analysis: ArticleAnalysis) -> bool:
        article = analysis.article
        with self.transaction():
            conn = self._conn
            if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                return False
            row = codec.article_row(article)
            row["raw"] = article.raw
            row["ingested_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            conn.execute(
                f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
            )
            self._add_entities(article.id, analysis.entities)
            conn.executemany(
                "INSERT INTO quantities (id, article_id, ord, data) VALUES (?, ?, ?, ?)",
                [(q.id, article.id, i, codec.dumps(q.to_dict())) for i, q in enumerate(analysis.quantities)],
            )
            conn.executemany(
                "INSERT INTO claims (id, article_id, ord, subject, object, attribution_entity, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(c.id, article.id, i, c.subject, c.object, _attributed(c), codec.dumps(c.to_dict()))
                 for i, c in enumerate(analysis.claims)],
            )
            conn.executemany(
                "INSERT INTO times (article_id, ord, data) VALUES (?, ?, ?)",
                [(article.id, i, codec.dumps(t.to_dict())) for i, t in enumerate(analysis.times)],
            )
        return True

    def _add_entities(self, article_id: str, entities: list[Entity]) -> None:
        conn = self._conn
        ord_ = 0
        for position, entity in enumerate(entities):
            self._upsert(entity)
            # Two local entities linked to one global id: the first position keeps the order.
            conn.execute(
                "INSERT OR IGNORE INTO article_entities (article_id, entity_id, ord) VALUES (?, ?, ?)",
                (article_id, entity.id, position),
            )
            rows = [(article_id, entity.id, ord_ + i, m.start, m.end, m.text) for i, m in enumerate(entity.mentions)]
            ord_ += len(rows)
            conn.executemany(
                'INSERT INTO mentions (article_id, entity_id, ord, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)', rows
            )
            if rows:
                conn.execute("UPDATE entities SET mention_count = mention_count + ? WHERE id = ?", (len(rows), entity.id))

    @_translated
    def update_article(self, article: Article) -> None:
        row = codec.article_row(article)
        del row["text"]
        article_id = row.pop("id")
        with self.transaction():
            cursor = self._conn.execute(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?", (*row.values(), article_id)
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"no article {article_id!r} in {self.path}")

    @_translated
    def get_article(self, article_id: str, with_raw: bool = False) -> Article:
        with self._snapshot() as conn:
            return self._article(conn, article_id, with_raw)

    def _article(self, conn: sqlite3.Connection, article_id: str, with_raw: bool = False) -> Article:
        raw_column = ", a.raw" if with_raw else ""
        row = conn.execute(f"SELECT {_ARTICLE_SELECT}{raw_column} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in {self.path}")
        return codec.article_from_row(row[: len(codec.ARTICLE_COLUMNS)], row[-1] if with_raw else None)

    @_translated
    def get_analysis(self, article_id: str) -> ArticleAnalysis:
        with self._snapshot() as conn:
            return self._analysis(conn, self._article(conn, article_id))

    def _analysis(self, conn: sqlite3.Connection, article: Article) -> ArticleAnalysis:
        aid = (article.id,)
        entities = [
            codec.entity_from_row(row) for row in conn.execute(
                f"SELECT {_ENTITY_SELECT} FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
                " WHERE ae.article_id = ? ORDER BY ae.ord", aid)
        ]
        by_id = {e.id: e for e in entities}
        for entity_id, start, end, text in conn.execute(
            'SELECT entity_id, start, "end", text FROM mentions WHERE article_id = ? ORDER BY ord', aid
        ):
            by_id[entity_id].mentions.append(Mention(article=article.id, start=start, end=end, text=text))
        return ArticleAnalysis(
            article=article,
            entities=entities,
            quantities=[Quantity.from_dict(codec.loads(d)) for (d,) in conn.execute(
                "SELECT data FROM quantities WHERE article_id = ? ORDER BY ord", aid)],
            claims=[_claim(d) for (d,) in conn.execute("SELECT data FROM claims WHERE article_id = ? ORDER BY ord", aid)],
            times=[TimeExpression.from_dict(codec.loads(d)) for (d,) in conn.execute(
                "SELECT data FROM times WHERE article_id = ? ORDER BY ord", aid)],
        )

    @_translated
    def list_articles(self, limit: int | None = None, offset: int = 0) -> list[Article]:
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT {_ARTICLE_SELECT} FROM articles a"
                " ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset),
            ).fetchall()
        return [codec.article_from_row(r) for r in rows]

    def iter_analyses(self) -> Iterator[ArticleAnalysis]:
        """Every analysis in ingest order, read in pages so no lock is held while the caller works."""
        last = 0
        while True:
            try:
                with self._snapshot() as conn:
                    rows = conn.execute(
                        f"SELECT a.seq, {_ARTICLE_SELECT} FROM articles a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                        (last, _PAGE),
                    ).fetchall()
                    page = [self._analysis(conn, codec.article_from_row(r[1:])) for r in rows]
            except sqlite3.Error as exc:
                raise self._error(exc, "iter_analyses") from exc
            if not rows:
                return
            last = rows[-1][0]
            yield from page

    @_translated
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search, best first; titles weigh more. Invalid FTS5 syntax falls back to words."""
        if not query.strip():
            return []
        with self._snapshot() as conn:
            try:
                return self._search(conn, query, limit)
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise
            # Dangling operators ("velmora OR") caused the error; search the other words.
            words = _WORD.findall(query)
            words = [w for w in words if w not in _OPERATORS] or words
            if not words:
                return []
            return self._search(conn, " ".join(f'"{w}"' for w in words), limit)

    def _search(self, conn: sqlite3.Connection, match: str, limit: int) -> list[SearchHit]:
        rows = conn.execute(
            f"SELECT {_ARTICLE_SELECT}, bm25(articles_fts, ?, 1.0) AS rank,"
            " snippet(articles_fts, 1, ?, ?, '…', 16)"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (_TITLE_WEIGHT, SNIPPET_OPEN, SNIPPET_CLOSE, match, limit),
        ).fetchall()
        n = len(codec.ARTICLE_COLUMNS)
        # bm25 is lower-is-better; SearchHit.score is higher-is-better.
        return [SearchHit(article=codec.article_from_row(r[:n]), snippet=r[n + 1], score=-r[n]) for r in rows]

    # --- entities --------------------------------------------------------------------------
    @_translated
    def upsert_entity(self, entity: Entity) -> None:
        with self.transaction():
            self._upsert(entity)

    def _upsert(self, entity: Entity) -> None:
        conn = self._conn
        row = conn.execute(f"SELECT {', '.join(codec.ENTITY_COLUMNS)} FROM entities WHERE id = ?", (entity.id,)).fetchone()
        if row is None:
            conn.execute(
                f"INSERT INTO entities ({', '.join(codec.ENTITY_COLUMNS)}) VALUES ({', '.join('?' * len(codec.ENTITY_COLUMNS))})",
                codec.entity_row(entity),
            )
            return
        old = codec.entity_from_row(row)
        merged = codec.merge_entity(old, entity)
        if merged != old:
            conn.execute(
                "UPDATE entities SET name = ?, type = ?, aliases = ?, roles = ?, geo = ?, country = ?, sector = ? WHERE id = ?",
                (*codec.entity_row(merged)[1:], entity.id),
            )

    @_translated
    def get_entity(self, entity_id: str) -> Entity:
        with self._snapshot() as conn:
            row = conn.execute(f"SELECT {_ENTITY_SELECT} FROM entities e WHERE e.id = ?", (entity_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no entity {entity_id!r} in {self.path}")
            entity = codec.entity_from_row(row)
            entity.mentions = [
                Mention(article=a, start=s, end=e, text=t) for a, s, e, t in conn.execute(
                    'SELECT m.article_id, m.start, m."end", m.text FROM mentions m JOIN articles a ON a.id = m.article_id'
                    " WHERE m.entity_id = ? ORDER BY a.seq, m.ord", (entity_id,))
            ]
        return entity

    @_translated
    def list_entities(self, type: str | None = None, name: str | None = None, limit: int | None = None) -> list[Entity]:
        """Entities by mention count; `name` matches a substring of the name or an alias, ignoring case."""
        where, params = [], []
        if type is not None:
            where.append(f"e.type = ?{len(params) + 1}")
            params.append(type)
        if name:
            # Unicode-aware: LIKE folds ASCII case only, and aliases are stored JSON-escaped.
            n = len(params) + 1
            where.append(f"(instr(ww_casefold(e.name), ?{n}) OR EXISTS"
                         f" (SELECT 1 FROM json_each(e.aliases) WHERE instr(ww_casefold(value), ?{n})))")
            params.append(name.casefold())
        sql = f"SELECT {_ENTITY_SELECT} FROM entities e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY e.mention_count DESC, e.name, e.id LIMIT ?{len(params) + 1}"
        with self._snapshot() as conn:
            rows = conn.execute(sql, (*params, -1 if limit is None else limit)).fetchall()
        return [codec.entity_from_row(r) for r in rows]

    @_translated
    def entity_mention_counts(self, entity_ids: list[str]) -> dict[str, int]:
        """Mentions of each id (0 for ids not stored)."""
        counts = dict.fromkeys(entity_ids, 0)
        with self._snapshot() as conn:
            counts.update(conn.execute(
                "SELECT id, mention_count FROM entities WHERE id IN (SELECT value FROM json_each(?))",
                (codec.dumps(list(entity_ids)),),
            ).fetchall())
        return counts

    @_translated
    def add_entity_keys(self, entity_id: str, keys: list[str]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)", [(k, entity_id) for k in keys]
            )

    @_translated
    def entities_by_keys(self, keys: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        with self._snapshot() as conn:
            for key, entity_id in conn.execute(
                "SELECT k.key, k.entity_id FROM json_each(?) q CROSS JOIN entity_keys k ON k.key = q.value"
                " ORDER BY q.key, k.entity_id", (codec.dumps(list(keys)),)
            ):
                found.setdefault(key, []).append(entity_id)
        return found

    # --- claims ----------------------------------------------------------------------------
    @_translated
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
        return [_claim(d) for (d,) in rows]

    @_translated
    def update_claims(self, claims: list[Claim]) -> None:
        with self.transaction():
            self._conn.executemany(
                "UPDATE claims SET subject = ?, object = ?, attribution_entity = ?, data = ? WHERE id = ?",
                [(c.subject, c.object, _attributed(c), codec.dumps(c.to_dict()), c.id) for c in claims],
            )

    # --- stories ---------------------------------------------------------------------------
    @_translated
    def save_story(self, story: Story) -> None:
        """Create or replace a story; an article named here leaves any other story it was in."""
        with self.transaction():
            conn = self._conn
            conn.execute(
                "INSERT INTO stories (id, title, last_published, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
                " last_published = excluded.last_published, data = excluded.data",
                (story.id, story.title, story.last_published, codec.dumps(story.to_dict())),
            )
            conn.execute("DELETE FROM story_articles WHERE story_id = ?", (story.id,))
            conn.executemany(
                "INSERT OR REPLACE INTO story_articles (story_id, article_id, ord) VALUES (?, ?, ?)",
                [(story.id, a, i) for i, a in enumerate(dict.fromkeys(story.articles))],
            )

    @_translated
    def get_story(self, story_id: str) -> Story:
        with self._snapshot() as conn:
            row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no story {story_id!r} in {self.path}")
        return Story.from_dict(codec.loads(row[0]))

    @_translated
    def list_stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        with self._snapshot() as conn:
            rows = conn.execute(
                "SELECT data FROM stories ORDER BY last_published IS NULL, last_published DESC, id LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset),
            ).fetchall()
        return [Story.from_dict(codec.loads(d)) for (d,) in rows]

    @_translated
    def delete_story(self, story_id: str) -> None:
        with self.transaction():
            for table in ("story_features", "story_last", "story_articles"):
                self._conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))
            self._conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    @_translated
    def story_of_article(self, article_id: str) -> str | None:
        with self._snapshot() as conn:
            row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    @_translated
    def set_story_features(self, story_id: str, features: dict[str, float], last_time: str | None) -> None:
        with self.transaction():
            conn = self._conn
            conn.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_features (feature, story_id, weight) VALUES (?, ?, ?)",
                [(f, story_id, float(w)) for f, w in features.items()],
            )
            conn.execute("INSERT OR REPLACE INTO story_last (story_id, last_time) VALUES (?, ?)", (story_id, last_time))

    @_translated
    def candidate_stories(self, features: dict[str, float], limit: int = 20, since: str | None = None) -> list[tuple[str, float]]:
        """Stories sharing features, best first; a story without any date passes the `since` filter.

        The query features drive the join (CROSS JOIN fixes the loop order), so each lookup reads
        one posting list through the (feature, story_id) primary key.
        """
        # Non-finite weights are not JSON SQLite can read, and would swamp every score anyway.
        features = {k: float(v) for k, v in features.items() if math.isfinite(v)}
        if not features:
            return []
        sql = (
            "SELECT sf.story_id, SUM(sf.weight * q.value) AS score"
            " FROM json_each(?) q CROSS JOIN story_features sf ON sf.feature = q.key"
        )
        params: list = [codec.dumps(features)]
        if since is not None:
            sql += " JOIN story_last sl ON sl.story_id = sf.story_id WHERE (sl.last_time IS NULL OR sl.last_time >= ?)"
            params.append(since)
        sql += " GROUP BY sf.story_id ORDER BY score DESC, sf.story_id LIMIT ?"
        with self._snapshot() as conn:
            return [(s, float(w)) for s, w in conn.execute(sql, (*params, limit))]

    @_translated
    def get_state(self, key: str) -> dict | None:
        with self._snapshot() as conn:
            row = conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return codec.loads(row[0]) if row else None

    @_translated
    def set_state(self, key: str, value: dict) -> None:
        with self.transaction():
            self._conn.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, codec.dumps(value)))

    # --- alerts ----------------------------------------------------------------------------
    @_translated
    def add_alerts(self, alerts: list[dict]) -> list[dict]:
        added = []
        with self.transaction():
            for alert in alerts:
                cursor = self._conn.execute(
                    "INSERT INTO alerts (id, watchlist, created_at, data) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (id) DO NOTHING",
                    (alert["id"], alert["watchlist"], alert["created"], codec.dumps(alert)),
                )
                if cursor.rowcount:
                    added.append(alert)
        return added

    @_translated
    def list_alerts(self, since: str | None = None, limit: int | None = None) -> list[dict]:
        sql, params = "SELECT data FROM alerts", []
        if since is not None:
            sql += " WHERE created_at >= ?"
            params.append(since)
        sql += " ORDER BY seq DESC LIMIT ?"
        with self._snapshot() as conn:
            rows = conn.execute(sql, (*params, -1 if limit is None else limit)).fetchall()
        return [codec.loads(d) for (d,) in rows]

    # --- summary ---------------------------------------------------------------------------
    @_translated
    def counts(self) -> dict[str, int]:
        """Row counts from one snapshot: articles, entities, claims, stories, quantities, mentions, times."""
        tables = ("articles", "entities", "claims", "stories", "quantities", "mentions", "times")
        with self._snapshot() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _claim(data: str) -> Claim:
    return Claim.from_dict(codec.loads(data))


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _attributed(claim: Claim) -> str | None:
    return claim.attribution.entity if claim.attribution is not None else None


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def ensure_parent(path: str) -> None:
    """Create the directory a store file goes in, naming it when that fails."""
    if path == ":memory:":
        return
    try:
        Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the directory for store {path}: {exc.strerror or exc}") from exc
