"""The SQLite schema as an ordered list of migrations, and the checks made when a file is opened.

The schema version lives in `PRAGMA user_version`: version N means the first N migrations ran.
Each migration runs with the version bump inside one write transaction, so a crash mid-migration
leaves the previous version intact. Append new migrations; never edit a released one.
"""
from __future__ import annotations

import sqlite3

from wirewatch.errors import StoreError

# 1: the tables every stage writes. JSON columns hold model `to_dict()` output; a few fields are
# copied into plain columns only where SQL must filter, join or sort on them.
_CORE = """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- ingest order; also the full-text rowid
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    outlet TEXT, published TEXT, author TEXT, url TEXT, path TEXT, language TEXT,
    format TEXT NOT NULL,
    meta TEXT NOT NULL,                      -- cited_sources, headline, duplicate_of, extra
    raw BLOB,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published, seq);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    roles TEXT NOT NULL,
    geo TEXT,
    country TEXT,
    mention_count INTEGER NOT NULL DEFAULT 0   -- kept by add_analysis; orders entity lists cheaply
);
CREATE INDEX entities_by_count ON entities(mention_count DESC, name);

-- Which entities an article names, in the order its analysis listed them.
CREATE TABLE article_entities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    ord INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities(entity_id);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id, ord);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quantities (
    id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX quantities_article ON quantities(article_id, ord);
CREATE INDEX quantities_id ON quantities(id);

CREATE TABLE claims (
    id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    subject TEXT,
    object TEXT,
    attribution_entity TEXT,
    data TEXT NOT NULL
);
CREATE INDEX claims_article ON claims(article_id, ord);
CREATE INDEX claims_id ON claims(id);
CREATE INDEX claims_subject ON claims(subject);
CREATE INDEX claims_object ON claims(object);
CREATE INDEX claims_attribution ON claims(attribution_entity);

CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX times_article ON times(article_id, ord);

CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    last_published TEXT,
    data TEXT NOT NULL
);
CREATE INDEX stories_recent ON stories(last_published DESC, id);

-- An article belongs to one story at most. The article check is deferred to COMMIT so a stage
-- may save a story before or after the articles it names within one transaction.
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    ord INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id, ord);

CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# 2: full-text index over titles and bodies, kept in sync by triggers. External content: the
# text is stored once (in `articles`), the index only holds tokens. Backfills existing rows.
_FULL_TEXT = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
"""

# 3: the story candidate index: posting lists feature -> (story, weight), and each story's
# latest date for the `since` filter. The primary key makes a lookup cost one posting list.
_STORY_INDEX = """
CREATE TABLE story_features (
    feature TEXT NOT NULL,
    story_id TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (feature, story_id)
) WITHOUT ROWID;
CREATE INDEX story_features_story ON story_features(story_id);
CREATE TABLE story_last (
    story_id TEXT PRIMARY KEY,
    last_time TEXT
) WITHOUT ROWID;
"""

# 4: alerts raised by watchlists (issue 15). `seq` orders them as raised; the id, derived from the
# watchlist and what matched, makes raising the same alert twice a no-op.
_ALERTS = """
CREATE TABLE alerts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    watchlist TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX alerts_created ON alerts(created_at, seq);
"""

# 5: generic agents ("the army", "protesters") carry a sector (extract/agents.py).
_ENTITY_SECTOR = """
ALTER TABLE entities ADD COLUMN sector TEXT;
"""

MIGRATIONS: list[str] = [_CORE, _FULL_TEXT, _STORY_INDEX, _ALERTS, _ENTITY_SECTOR]
SCHEMA_VERSION = len(MIGRATIONS)

_OUR_TABLES = {"articles", "entities", "stories", "state"}


def _statements(script: str) -> list[str]:
    """Split a migration into statements (`executescript` would commit our transaction)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete statement in migration: {current[:60]!r}")
    return statements


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`, one migration per transaction; return the version reached.

    `conn` must be in autocommit mode (isolation_level=None). Safe when several processes open a
    fresh file at once: the version is re-read under the write lock.
    """
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was made by a newer wirewatch (schema version {version}; this version reads up to "
            f"{SCHEMA_VERSION}): upgrade wirewatch or use another --db"
        )
    if version == 0 and _foreign_tables(conn):
        raise StoreError(f"{path} is an SQLite database but not a wirewatch store; use another --db")
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)  # another process may have migrated while we waited
            if version < target:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _foreign_tables(conn: sqlite3.Connection) -> bool:
    """True when an unversioned file already holds tables that are not ours."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(names) and not names <= _OUR_TABLES | {"sqlite_sequence"}
