"""The PostgreSQL store passes the same contract tests as the SQLite store, plus its own checks.

Every test of tests/test_store.py that takes the `store` fixture runs again here against a
fresh database on a throw-away server (tests/pgserver.py).
"""
from __future__ import annotations

import inspect

import pytest

from tests import test_store as sqlite_tests
from wirewatch.errors import StoreError
from wirewatch.model import Entity
from wirewatch.store import open_store
from wirewatch.store.postgres import PostgresStore, redacted, websearch_query

# Checks of SQLite internals (query plans, the file itself) have PostgreSQL twins below instead.
_SQLITE_ONLY = {"test_candidate_lookup_reads_posting_lists_through_the_index"}

for _name, _test in vars(sqlite_tests).items():
    if _name.startswith("test_") and _name not in _SQLITE_ONLY and "store" in inspect.signature(_test).parameters:
        globals()[_name] = _test


@pytest.fixture()
def store(pg_empty_url):
    with open_store(pg_empty_url) as s:
        assert isinstance(s, PostgresStore)
        yield s


def test_reopening_keeps_data_and_schema_version(pg_url):
    with open_store(pg_url) as store:
        store.upsert_entity(Entity(id="E1", name="Kel Varro", type="person"))
    with open_store(pg_url) as store:
        assert store.get_entity("E1").name == "Kel Varro"


def test_newer_schema_is_refused(pg_url):
    open_store(pg_url).close()
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE wirewatch_schema SET version = 99")
    with pytest.raises(StoreError, match="newer wirewatch"):
        open_store(pg_url)


def test_foreign_database_is_refused(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE articles (x int)")
    with pytest.raises(StoreError, match="did not make"):
        open_store(pg_url)


def test_a_migration_finishing_while_another_opener_looks_is_not_a_foreign_schema(pg_url, monkeypatch):
    """Two writers opening a fresh database at once: the one that finds no schema, then sees the
    other's tables appear before it takes the lock, must not call them foreign (seen in CI)."""
    from wirewatch.store import pg_schema

    real = pg_schema.schema_version
    raced: list[bool] = []

    def other_writer_migrates_meanwhile(conn) -> int:
        version = real(conn)
        if version == 0 and not raced:
            raced.append(True)
            open_store(pg_url).close()  # the other writer: migrates the whole schema now
        return version

    monkeypatch.setattr(pg_schema, "schema_version", other_writer_migrates_meanwhile)
    with open_store(pg_url) as store:
        assert raced and store.counts()["articles"] == 0


def test_unreachable_server_is_a_clear_error():
    from tests.pgserver import free_port

    with pytest.raises(StoreError, match="cannot open store postgresql://u:\\*\\*\\*@127.0.0.1"):
        open_store(f"postgresql://u:secret@127.0.0.1:{free_port()}/nothing")


def test_password_never_shown():
    assert redacted("postgresql://ana:pw@db.example:5432/news") == "postgresql://ana:***@db.example:5432/news"
    assert redacted("postgresql://ana@db.example/news") == "postgresql://ana@db.example/news"


def test_fts5_style_queries_translate():
    assert websearch_query("bridge AND storm") == "bridge storm"
    assert websearch_query("Zürich NOT fire") == "zurich -fire"
    assert websearch_query('"Velmora bridge" OR ferry') == '"velmora bridge" or ferry'
    assert websearch_query("AND") == "" and websearch_query("*") == ""


def test_candidate_lookup_uses_the_feature_index(store):
    conn = store._conn
    conn.execute("INSERT INTO story_features (feature, story_id, weight)"
                 " SELECT 'word:w' || i, 's' || (i % 5000), 1.0 FROM generate_series(1, 50000) i")
    conn.execute("ANALYZE story_features")
    plan = " | ".join(r[0] for r in conn.execute(
        "EXPLAIN SELECT sf.story_id, SUM(sf.weight * q.value) FROM unnest(CAST(? AS text[]), CAST(? AS float8[]))"
        " AS q(key, value) JOIN story_features sf ON sf.feature = q.key GROUP BY sf.story_id",
        (["word:w1", "word:w2"], [1.0, 1.0])))
    assert "story_features_pkey" in plan and "Seq Scan on story_features" not in plan
