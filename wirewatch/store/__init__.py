"""Where wirewatch keeps everything: the `Store` interface, the embedded SQLite store and the shared PostgreSQL one.

`open_store()` is the one way in; SQL lives only in this package.
"""
from __future__ import annotations

from wirewatch.config import default_db_path
from wirewatch.store.base import SearchHit, Store
from wirewatch.store.postgres import is_server_url
from wirewatch.store.sqlite import DEFAULT_BUSY_TIMEOUT, SNIPPET_CLOSE, SNIPPET_OPEN, SQLiteStore, ensure_parent

__all__ = ["Store", "SearchHit", "SQLiteStore", "open_store", "SNIPPET_OPEN", "SNIPPET_CLOSE"]


def open_store(path: str | None = None, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, synchronous: str = "NORMAL") -> Store:
    """Open (creating and migrating as needed) the store at `path`.

    None means `$WIREWATCH_DB`, else the per-user data directory; ":memory:" gives a throw-away
    store; a `postgresql://USER@HOST:PORT/DBNAME` URL opens a PostgreSQL store (`synchronous`
    is then the server's business). A writer waits up to `busy_timeout` seconds for another one
    before `StoreBusyError`.
    """
    path = path or default_db_path()
    if is_server_url(path):
        from wirewatch.store.postgres import PostgresStore

        return PostgresStore(path, busy_timeout=busy_timeout)
    ensure_parent(path)
    return SQLiteStore(path, busy_timeout=busy_timeout, synchronous=synchronous)
