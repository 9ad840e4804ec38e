"""Shared fixtures: one spaCy pipeline per test session, paths to the shipped sample corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def resources():
    """A `Resources` whose models load once for the whole session."""
    from wirewatch.resources import Resources

    return Resources()


@pytest.fixture(scope="session")
def nlp(resources):
    """The spaCy pipeline wirewatch uses."""
    return resources.nlp


@pytest.fixture()
def make_article():
    """Build an `Article` from a headline and body, with the id ingest would give it."""
    from wirewatch.ingest.ids import article_id
    from wirewatch.model import Article

    def build(title: str, text: str, **meta) -> Article:
        return Article(id=article_id(title, text), title=title, text=text, **meta)

    return build


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL server for the session (see tests/pgserver.py), stopped afterwards."""
    from tests.pgserver import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql): PostgreSQL tests skipped")
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture()
def pg_url(pg_server):
    """The URL of a fresh, empty store (its own schema) on the session's PostgreSQL server."""
    return pg_server.create_schema()


_PARENTS = {"articles", "entities", "stories"}  # emptied after the tables that point at them


@pytest.fixture(scope="session")
def _pg_shared_schema(pg_server):
    from wirewatch.store import open_store

    url = pg_server.create_schema()
    open_store(url).close()  # migrate once
    return url


@pytest.fixture()
def pg_empty_url(_pg_shared_schema):
    """A migrated store emptied for this test: cheaper than `pg_url` when the schema is not under test."""
    import psycopg

    with psycopg.connect(_pg_shared_schema, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'wirewatch_schema'")]
        # DELETE beats TRUNCATE on a handful of rows; the deferred story check allows any order.
        conn.execute("BEGIN; SET CONSTRAINTS ALL DEFERRED; "
                     + " ".join(f"DELETE FROM {t};" for t in sorted(tables, key=lambda t: t in _PARENTS)) + " COMMIT")
    return _pg_shared_schema
