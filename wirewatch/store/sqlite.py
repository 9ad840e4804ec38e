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

import re
import sqlite3
import time
from pathlib import Path

from wirewatch.errors import StoreBusyError, StoreError
from wirewatch.store import codec, schema
from wirewatch.store.base import SearchHit
from wirewatch.store.sql import ARTICLE_SELECT, SQLStore, translated

DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another writer before giving up

# Marks around matched words in search snippets: control characters, absent from prose and left
# alone by HTML escaping, so a web page can escape the snippet first, then turn them into <mark>.
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"

_TITLE_WEIGHT = 4.0  # bm25 column weight of a title match relative to a body match
_WORD = re.compile(r"\w+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class SQLiteStore(SQLStore):
    """The default `Store`: a single SQLite file (or ":memory:") holding everything wirewatch keeps."""

    driver_errors = (sqlite3.Error,)
    driving_join = "CROSS JOIN"

    def __init__(self, path: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, synchronous: str = "NORMAL"):
        if synchronous.upper() not in {"NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.path = path
        self.busy_timeout = busy_timeout
        self._init_state()
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

    def _error(self, exc: BaseException, action: str) -> StoreError:
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            return StoreBusyError(self._busy_message())
        return StoreError(f"store {self.path}: {action} failed: {exc}")

    # --- what SQLStore needs ----------------------------------------------------------------
    def _begin_write(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def _begin_read(self) -> None:
        self._conn.execute("BEGIN")

    def _in_transaction(self) -> bool:
        return self._conn.in_transaction

    def _list_param(self, values: list[str]) -> tuple[str, str]:
        return "json_each(?) q", codec.dumps(values)

    def _weights_param(self, weights: dict[str, float]) -> tuple[str, list]:
        return "json_each(?) q", [codec.dumps(weights)]

    def _name_filter(self, name: str) -> tuple[str, list]:
        # Unicode-aware: LIKE folds ASCII case only, and aliases are stored JSON-escaped.
        folded = name.casefold()
        return ("(instr(ww_casefold(e.name), ?) OR EXISTS"
                " (SELECT 1 FROM json_each(e.aliases) WHERE instr(ww_casefold(value), ?)))", [folded, folded])

    # --- search ----------------------------------------------------------------------------
    @translated
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
            f"SELECT {ARTICLE_SELECT}, bm25(articles_fts, ?, 1.0) AS rank,"
            " snippet(articles_fts, 1, ?, ?, '…', 16)"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (_TITLE_WEIGHT, SNIPPET_OPEN, SNIPPET_CLOSE, match, limit),
        ).fetchall()
        n = len(codec.ARTICLE_COLUMNS)
        # bm25 is lower-is-better; SearchHit.score is higher-is-better.
        return [SearchHit(article=codec.article_from_row(r[:n]), snippet=r[n + 1], score=-r[n]) for r in rows]


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


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
