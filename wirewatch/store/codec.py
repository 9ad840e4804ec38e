"""Conversions between model objects and the rows of the SQLite store, exact both ways.

JSON columns hold `to_dict()` output. Lone surrogates (possible in text decoded with
`surrogateescape`) survive because JSON is written ASCII-escaped; plain text columns reject them.
"""
from __future__ import annotations

import dataclasses

import json
from typing import Any

from wirewatch.model import Article, Entity, Geo, Headline

# Columns of `articles` a model `Article` is built from, in this order (raw last, optional).
ARTICLE_COLUMNS = ("id", "title", "text", "outlet", "published", "author", "url", "path", "language", "format", "meta")


def dumps(value: Any) -> str:
    """JSON for a column: compact, ASCII-escaped, and tolerant of stray non-JSON values in `extra`."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=_fallback)


def loads(text: str | None) -> Any:
    """Read a JSON column back (None stays None)."""
    return None if text is None else json.loads(text)


def _fallback(value: Any) -> Any:
    # Metadata from feeds can carry dates or bytes; keep a readable form rather than fail the batch.
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def article_row(article: Article) -> dict[str, Any]:
    """Column values for one article (without `seq`, `raw` and `ingested_at`)."""
    meta = {
        "cited_sources": list(article.cited_sources),
        "headline": article.headline.to_dict() if article.headline is not None else None,
        "duplicate_of": article.duplicate_of,
        "extra": article.extra,
    }
    return {
        "id": article.id, "title": article.title, "text": article.text, "outlet": article.outlet,
        "published": article.published, "author": article.author, "url": article.url, "path": article.path,
        "language": article.language, "format": article.format, "meta": dumps(meta),
    }


def article_from_row(row: tuple, raw: bytes | None = None) -> Article:
    """Build an `Article` from a row ordered as ARTICLE_COLUMNS."""
    values = dict(zip(ARTICLE_COLUMNS, row))
    meta = loads(values.pop("meta"))
    headline = meta.get("headline")
    return Article(
        **values,
        cited_sources=meta.get("cited_sources", []),
        headline=Headline.from_dict(headline) if headline is not None else None,
        duplicate_of=meta.get("duplicate_of"),
        extra=meta.get("extra", {}),
        raw=bytes(raw) if raw is not None else None,
    )


ENTITY_COLUMNS = ("id", "name", "type", "aliases", "roles", "geo", "country", "sector")


def entity_row(entity: Entity) -> tuple:
    """Column values for one entity, ordered as ENTITY_COLUMNS (mentions are stored apart)."""
    return (
        entity.id, entity.name, entity.type, dumps(list(entity.aliases)), dumps(list(entity.roles)),
        dumps(entity.geo.to_dict()) if entity.geo is not None else None, entity.country, entity.sector,
    )


def entity_from_row(row: tuple) -> Entity:
    """Build an `Entity` (without mentions) from a row ordered as ENTITY_COLUMNS."""
    entity_id, name, type_, aliases, roles, geo, country, sector = row
    return Entity(
        id=entity_id, name=name, type=type_, aliases=loads(aliases), roles=loads(roles),
        geo=Geo.from_dict(loads(geo)) if geo is not None else None, country=country, sector=sector,
    )


def merge_entity(old: Entity, new: Entity) -> Entity:
    """Merge what is known of one entity: aliases and roles unioned in order, the longer name wins.

    The losing name becomes an alias; the type stays unless it was the catch-all "other";
    geo and country are kept when the newcomer has none. A place written literally in any report
    ("in Moscow") stays a map pin even when a later report uses it only as an actor ("Moscow said").
    """
    geo = new.geo if new.geo is not None else old.geo
    if geo is not None and old.geo is not None and new.geo is not None and old.geo.literal != new.geo.literal:
        geo = dataclasses.replace(geo, literal=True)
    name = new.name if len(new.name) > len(old.name) else old.name
    losers = [n for n in (old.name, new.name) if n != name]
    aliases = list(dict.fromkeys([*old.aliases, *losers, *new.aliases]))
    if name != old.name:  # the new name was perhaps an alias before; don't list it twice
        aliases = [a for a in aliases if a != name]
    return Entity(
        id=old.id,
        name=name,
        type=new.type if old.type == "other" else old.type,
        aliases=aliases,
        roles=list(dict.fromkeys([*old.roles, *new.roles])),
        geo=geo,
        country=new.country if new.country is not None else old.country,
        sector=new.sector if new.sector is not None else old.sector,
    )
