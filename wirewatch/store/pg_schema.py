"""The PostgreSQL schema as an ordered list of migrations, applied under an advisory lock.

The same tables as the SQLite schema (store/schema.py), spelled for PostgreSQL: an identity
column for ingest order, BYTEA for raw input, a weighted tsvector with a GIN index for full-text
search, and every text column in the "C" collation so ordering (entity names, dates, ids) is the
same byte order as SQLite's whatever the database locale. The version lives in
`wirewatch_schema`; migration N runs with the version bump in one transaction (PostgreSQL DDL is
transactional), so a crash mid-migration leaves the previous version. Append; never edit one.
"""
from __future__ import annotations

from wirewatch.errors import StoreError

# One lock key for every wirewatch writer on a database: writers take turns, as with SQLite's
# write lock, so linking and story clustering always see every earlier batch. Readers never wait.
WRITE_LOCK_KEY = 0x77697265  # "wire"

_T = 'TEXT COLLATE "C"'

_CORE = f"""
CREATE TABLE wirewatch_schema (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
CREATE TABLE articles (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id {_T} NOT NULL UNIQUE,
    title {_T} NOT NULL,
    text {_T} NOT NULL,
    outlet {_T}, published {_T}, author {_T}, url {_T}, path {_T}, language {_T},
    format {_T} NOT NULL,
    meta {_T} NOT NULL,
    raw BYTEA,
    ingested_at {_T} NOT NULL,
    search TSVECTOR NOT NULL           -- title (weight A) and body (D), case- and accent-folded
);
CREATE INDEX articles_published ON articles(published, seq);
CREATE INDEX articles_search ON articles USING GIN (search);

CREATE TABLE entities (
    id {_T} PRIMARY KEY,
    name {_T} NOT NULL,
    type {_T} NOT NULL,
    aliases {_T} NOT NULL,
    roles {_T} NOT NULL,
    geo {_T},
    country {_T},
    mention_count INTEGER NOT NULL DEFAULT 0,
    names_folded {_T} NOT NULL DEFAULT ''   -- casefolded name and aliases, one a line, for name filters
);
CREATE INDEX entities_by_count ON entities(mention_count DESC, name);

CREATE TABLE article_entities (
    article_id {_T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id {_T} NOT NULL REFERENCES entities(id),
    ord INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id);

CREATE TABLE mentions (
    article_id {_T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id {_T} NOT NULL REFERENCES entities(id),
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text {_T} NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id, ord);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quantities (
    id {_T} NOT NULL,
    article_id {_T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    data {_T} NOT NULL
);
CREATE INDEX quantities_article ON quantities(article_id, ord);
CREATE INDEX quantities_id ON quantities(id);

CREATE TABLE claims (
    id {_T} NOT NULL,
    article_id {_T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    subject {_T},
    object {_T},
    attribution_entity {_T},
    data {_T} NOT NULL
);
CREATE INDEX claims_article ON claims(article_id, ord);
CREATE INDEX claims_id ON claims(id);
CREATE INDEX claims_subject ON claims(subject);
CREATE INDEX claims_object ON claims(object);
CREATE INDEX claims_attribution ON claims(attribution_entity);

CREATE TABLE times (
    article_id {_T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    data {_T} NOT NULL
);
CREATE INDEX times_article ON times(article_id, ord);

CREATE TABLE entity_keys (
    key {_T} NOT NULL,
    entity_id {_T} NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
);

CREATE TABLE stories (
    id {_T} PRIMARY KEY,
    title {_T} NOT NULL,
    last_published {_T},
    data {_T} NOT NULL
);
CREATE INDEX stories_recent ON stories(last_published DESC, id);

-- The article check waits for COMMIT, so a stage may save a story before its articles.
CREATE TABLE story_articles (
    story_id {_T} NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id {_T} NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ord INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id, ord);

CREATE TABLE state (
    key {_T} PRIMARY KEY,
    value {_T} NOT NULL
);

CREATE TABLE story_features (
    feature {_T} NOT NULL,
    story_id {_T} NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (feature, story_id)
);
CREATE INDEX story_features_story ON story_features(story_id);
CREATE TABLE story_last (
    story_id {_T} PRIMARY KEY,
    last_time {_T}
);
"""

# 2: alerts raised by watchlists (SQLite migration 4).
_ALERTS = f"""
CREATE TABLE alerts (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id {_T} NOT NULL UNIQUE,
    watchlist {_T} NOT NULL,
    created_at {_T} NOT NULL,
    data {_T} NOT NULL
);
CREATE INDEX alerts_created ON alerts(created_at, seq);
"""

# 3: the sector of generic agents ("the army", "protesters"; SQLite migration 5).
_ENTITY_SECTOR = f"""
ALTER TABLE entities ADD COLUMN sector {_T};
"""

MIGRATIONS: list[str] = [_CORE, _ALERTS, _ENTITY_SECTOR]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn) -> int:
    """The version recorded in the database (0 when wirewatch never ran there)."""
    if conn.execute("SELECT to_regclass('wirewatch_schema')").fetchone()[0] is None:
        return 0
    row = conn.execute("SELECT version FROM wirewatch_schema WHERE id = 1").fetchone()
    return row[0] if row else 0


def migrate(conn, name: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`, one migration per transaction; return the version reached.

    `conn` is the store's `?`-placeholder connection in autocommit mode. Safe when several
    processes open a fresh database at once: the version is re-read under the write lock.
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name} was made by a newer wirewatch (schema version {version}; this version reads up to "
            f"{SCHEMA_VERSION}): upgrade wirewatch or use another --db"
        )
    while version < target:
        # A session lock taken before BEGIN: the transaction then starts after any other
        # migrator's commit, so its catalog lookups see the tables that one made.
        conn.execute("SELECT pg_advisory_lock(?)", (WRITE_LOCK_KEY,))
        try:
            conn.execute("BEGIN")
            try:
                version = schema_version(conn)  # another process may have migrated while we waited
                # Checked here, under the lock: outside it, a migrator committing between our two
                # lookups looks like a foreign `articles` table with no wirewatch version.
                if version == 0 and conn.execute("SELECT to_regclass('articles')").fetchone()[0] is not None:
                    raise StoreError(f"{name} already has an `articles` table that wirewatch did not make; "
                                     "use another database")
                if version < target:
                    conn.execute(MIGRATIONS[version])
                    version += 1
                    conn.execute(
                        "INSERT INTO wirewatch_schema (id, version) VALUES (1, ?)"
                        " ON CONFLICT (id) DO UPDATE SET version = excluded.version", (version,)
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("SELECT pg_advisory_unlock(?)", (WRITE_LOCK_KEY,))
    return version
