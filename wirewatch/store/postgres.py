"""The shared store: a PostgreSQL database that several ingesting processes and servers use at once.

Selected by a URL, `--db postgresql://USER@HOST:PORT/DBNAME` (or `$WIREWATCH_DB`); psycopg 3
speaks to it. The SQL is SQLStore's (store/sql.py), sent through a connection that rewrites `?`
placeholders; what PostgreSQL spells differently lives here: list parameters as arrays,
full-text search over a weighted tsvector with a GIN index, case-folded entity names.

Concurrency: writers take turns on one transaction-scoped advisory lock (the analogue of SQLite's
write lock), waiting up to `busy_timeout` seconds before `StoreBusyError`; so linking and story
clustering always see every batch committed before theirs. Readers use REPEATABLE READ read-only
snapshots and never wait. Crash safety: a killed process's open transaction is rolled back by
the server; everything committed stays.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from wirewatch.errors import StoreBusyError, StoreError
from wirewatch.model import Entity
from wirewatch.store import codec, pg_schema
from wirewatch.store.base import SearchHit
from wirewatch.store.sql import ARTICLE_SELECT, SQLStore, translated

URL_SCHEMES = ("postgresql://", "postgres://")
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"  # the same marks as the SQLite store's snippets
_RANK_WEIGHTS = "'{0.25, 0, 0, 1}'"  # ts_rank weights {D, C, B, A}: a title (A) match counts 4x a body (D) one
_HEADLINE = f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=16, MinWords=6, MaxFragments=1"
_SEARCH_DOC = "setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'D')"
_FTS_WORDS = re.compile(r'"[^"]*"?|\S+')


def is_server_url(path: str | None) -> bool:
    """True when a --db value names a PostgreSQL server rather than an SQLite file."""
    return bool(path) and path.startswith(URL_SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password, fit for messages and `wirewatch info`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[-1]}"))


def fold(text: str) -> str:
    """Case- and accent-folded text, as the search index holds it ("Zürich" -> "zurich")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1024)
def _placeholders(sql: str) -> str:
    """`?` placeholders outside quotes become psycopg's `%s`; a literal `%` is doubled."""
    out, quote = [], None
    for ch in sql:
        if quote:
            out.append(ch)
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        else:
            out.append("%s" if ch == "?" else "%%" if ch == "%" else ch)
    return "".join(out)


class _Connection:
    """A psycopg connection used like sqlite3's: `execute`/`executemany` with `?` placeholders."""

    def __init__(self, raw):
        self.raw = raw

    def execute(self, sql: str, params: Any = None):
        cursor = self.raw.cursor()
        if params is None or len(params) == 0:
            cursor.execute(sql)
        else:
            cursor.execute(_placeholders(sql), params)
        return cursor

    def executemany(self, sql: str, rows):
        cursor = self.raw.cursor()
        rows = list(rows)
        if rows:
            cursor.executemany(_placeholders(sql), rows)
        return cursor

    def close(self) -> None:
        self.raw.close()


class PostgresStore(SQLStore):
    """A `Store` in a PostgreSQL database, shared safely by several processes."""

    def __init__(self, url: str, busy_timeout: float = 30.0, **_ignored):
        import psycopg

        self.driver_errors = (psycopg.Error,)
        self.url = url
        self.path = redacted(url)
        self.busy_timeout = busy_timeout
        self._init_state()
        self._conn = None
        self._pipeline = self._pipeline_cm = None
        try:
            raw = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="wirewatch")
        except psycopg.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {str(exc).strip()}") from exc
        self._conn = _Connection(raw)
        try:
            self._conn.execute(f"SET lock_timeout = {int(busy_timeout * 1000):d}")
            encoding = raw.info.encoding
            if encoding.lower().replace("-", "") != "utf8":
                raise StoreError(f"cannot open store {self.path}: the database encoding is {encoding}, not UTF8")
            pg_schema.migrate(self._conn, self.path)
        except psycopg.Error as exc:
            self._conn.close()
            self._conn = None
            raise self._error(exc, "open") from exc
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # --- errors ----------------------------------------------------------------------------
    def _error(self, exc: BaseException, action: str) -> StoreError:
        from psycopg import errors

        if isinstance(exc, (errors.LockNotAvailable, errors.DeadlockDetected, errors.SerializationFailure)):
            return StoreBusyError(
                f"store {self.path} is busy: another process held its write lock for more than "
                f"{self.busy_timeout:g} s (is another wirewatch ingest running?); retry when it has finished"
            )
        return StoreError(f"store {self.path}: {action} failed: {str(exc).strip()}")

    # --- what SQLStore needs ----------------------------------------------------------------
    def _begin_write(self) -> None:
        # Pipeline mode: writes go out without waiting for their results (a read waits for
        # everything before it), so a batch costs a round trip per read, not per statement.
        self._pipeline_cm = self._conn.raw.pipeline()
        self._pipeline = self._pipeline_cm.__enter__()
        self._conn.execute("BEGIN")
        self._conn.execute("SELECT pg_advisory_xact_lock(?)", (pg_schema.WRITE_LOCK_KEY,))
        self._sync()  # holding the lock (or a busy error) before the block runs

    def _commit_write(self) -> None:
        self._state_cache.clear()
        self._conn.execute("COMMIT")
        self._end_pipeline()

    def _abort_write(self) -> None:
        self._state_cache.clear()
        try:
            self._end_pipeline()
        except self.driver_errors:
            pass  # the statement that failed was reported already
        self._rollback()

    def _end_pipeline(self) -> None:
        manager, self._pipeline, self._pipeline_cm = self._pipeline_cm, None, None
        if manager is not None:
            manager.__exit__(None, None, None)

    def _sync(self) -> None:
        if self._pipeline is not None:
            self._pipeline.sync()

    def _begin_read(self) -> None:
        self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def _in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.raw.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR)

    def _list_param(self, values: list[str]) -> tuple[str, Any]:
        return "unnest(CAST(? AS text[])) WITH ORDINALITY AS q(value, key)", list(values)

    def _weights_param(self, weights: dict[str, float]) -> tuple[str, list]:
        return ("unnest(CAST(? AS text[]), CAST(? AS float8[])) AS q(key, value)",
                [list(weights), list(weights.values())])

    def _insert_article(self, row: dict[str, Any]) -> None:
        columns = [*row, "search"]
        self._conn.execute(
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))}, {_SEARCH_DOC})",
            (*row.values(), fold(row["title"]), fold(row["text"])),
        )

    def _article_updated(self, article_id: str) -> None:
        title, text = self._conn.execute("SELECT title, text FROM articles WHERE id = ?", (article_id,)).fetchone()
        self._conn.execute(f"UPDATE articles SET search = {_SEARCH_DOC} WHERE id = ?", (fold(title), fold(text), article_id))

    def _entity_extra(self, entity: Entity) -> dict[str, Any]:
        return {"names_folded": "\n".join(n.casefold() for n in (entity.name, *entity.aliases))}

    def _name_filter(self, name: str) -> tuple[str, list]:
        return "strpos(e.names_folded, ?) > 0", [name.casefold()]

    # --- search ----------------------------------------------------------------------------
    @translated
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search, best first; titles weigh more. FTS5-style AND/OR/NOT and "phrases" work."""
        words = websearch_query(query)
        if not words:
            return []
        n = len(codec.ARTICLE_COLUMNS)
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT {ARTICLE_SELECT}, hit.rank, ts_headline('simple', a.text, hit.q, ?) FROM ("
                f" SELECT a.seq, ts_rank(CAST({_RANK_WEIGHTS} AS float4[]), a.search, q) AS rank, q"
                " FROM articles a, websearch_to_tsquery('simple', ?) q WHERE a.search @@ q"
                " ORDER BY rank DESC, a.seq LIMIT ?) hit JOIN articles a ON a.seq = hit.seq"
                " ORDER BY hit.rank DESC, a.seq",
                (_HEADLINE, words, limit),
            ).fetchall()
        return [SearchHit(article=codec.article_from_row(r[:n]), snippet=r[n + 1], score=float(r[n])) for r in rows]


def websearch_query(query: str) -> str:
    """An FTS5-style query as `websearch_to_tsquery` input: folded, AND dropped, NOT as `-`, NEAR dropped."""
    out = []
    for token in _FTS_WORDS.findall(query):
        if token in ("AND", "NEAR") or token.startswith("NEAR("):
            continue
        out.append("-" if token == "NOT" else fold(token))
    while out and out[-1] in ("or", "-"):  # a dangling operator ("velmora OR") is ignored
        out.pop()
    while out and out[0] == "or":
        out.pop(0)
    text = " ".join(out).replace("- ", "-")
    return text if re.search(r"\w", text) else ""
