"""Transactions both SQL stores share: the write lock, savepoints, read snapshots, error translation.

A backend supplies the commands (`_begin_write`, `_begin_read`, `_in_transaction`) and turns its
driver's errors into StoreError (`_error`, `driver_errors`); `transaction()` and `_snapshot()` are
written once here. Writes inside `transaction()` hold the backend's write lock until COMMIT; a
nested block is a savepoint; reads outside a transaction run in one snapshot per call.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wirewatch.errors import StoreError
from wirewatch.store.base import Store


def translated(method):
    """Turn the driver's errors raised by a store method into StoreError / StoreBusyError."""

    @functools.wraps(method)
    def wrapper(self: "SQLTransactions", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except self.driver_errors as exc:
            raise self._error(exc, method.__name__) from exc
        except UnicodeEncodeError as exc:  # a lone surrogate in a text column
            raise StoreError(f"{self.path}: {method.__name__}: text is not valid Unicode ({exc.reason})") from exc

    return wrapper


class SQLTransactions(Store):
    """Transaction handling over one DB-API connection; `SQLStore` adds the tables."""

    driver_errors: tuple[type[BaseException], ...] = ()
    path: str
    _conn: Any

    def _init_state(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0  # nesting level of transaction()
        # Stage state (JSON text by key) read or written inside the current write transaction:
        # under the write lock nobody else changes it, so it need not be read twice.
        self._state_cache: dict[str, str | None] = {}

    # --- what a backend supplies --------------------------------------------------------------
    def _error(self, exc: BaseException, action: str) -> StoreError:
        """The StoreError (or StoreBusyError) that reports a driver error."""
        return StoreError(f"store {self.path}: {action} failed: {exc}")

    def _begin_write(self) -> None:
        """Start a transaction holding the store's write lock (writers take turns)."""
        raise NotImplementedError

    def _begin_read(self) -> None:
        """Start a read-only transaction: one committed snapshot for several statements."""
        raise NotImplementedError

    def _in_transaction(self) -> bool:
        raise NotImplementedError

    # --- lifecycle -------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._conn is None:
            raise StoreError(f"store {self.path} is closed")

    def close(self) -> None:
        """Release the connection (a still-open transaction is rolled back)."""
        with self._lock:
            if self._conn is not None:
                try:
                    self._rollback()
                    self._conn.close()
                finally:
                    self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically under the write lock, or roll back when the block raises.

        Nested use is a savepoint: an inner block that raises undoes only its own writes.
        """
        with self._lock:
            self._check_open()
            if self._depth:
                yield from self._savepoint()
                return
            try:
                self._begin_write()
            except self.driver_errors as exc:
                self._abort_write()
                raise self._error(exc, "begin") from exc
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._abort_write()
                raise
            self._depth = 0
            try:
                self._commit_write()
            except self.driver_errors as exc:
                self._abort_write()
                raise self._error(exc, "commit") from exc

    def _commit_write(self) -> None:
        self._state_cache.clear()
        self._conn.execute("COMMIT")

    def _abort_write(self) -> None:
        self._state_cache.clear()
        self._rollback()

    def _sync(self) -> None:
        """Hook: wait for statements sent ahead (PostgreSQL pipelines a transaction's writes)."""

    def _savepoint(self) -> Iterator[None]:
        name = f"ww{self._depth}"
        self._conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            # A statement of the block may have failed unseen (PostgreSQL pipelines writes):
            # collect that first, then undo the block.
            self._sync_quietly()
            self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self._state_cache.clear()
            raise
        finally:
            self._depth -= 1
            self._conn.execute(f"RELEASE SAVEPOINT {name}")

    def _sync_quietly(self) -> None:
        try:
            self._sync()
        except self.driver_errors:
            pass  # already reported by the statement that failed

    def _rollback(self) -> None:
        try:
            if self._in_transaction():
                self._conn.execute("ROLLBACK")
        except self.driver_errors:
            pass  # a broken connection has no transaction left to undo

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """Run several reads against one committed state (a read transaction unless writing)."""
        with self._lock:
            self._check_open()
            if self._depth:
                yield self._conn
                return
            self._begin_read()
            try:
                yield self._conn
            finally:
                if self._in_transaction():
                    self._conn.execute("COMMIT")
