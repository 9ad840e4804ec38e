"""Content-derived article ids: the same article ingested twice gets the same id.

An article is its headline and body as published by one outlet at one address: the same body from
another outlet or at another URL (a syndicated copy) is a different article, stored on its own and
marked `duplicate_of` the first (see `body_key`). Only an exact repeat gets the same id.
"""
from __future__ import annotations

import re
import unicodedata

from wirewatch.model import stable_id

_SPACE = re.compile(r"\s+")


def normalize_for_id(text: str) -> str:
    """Fold the differences that do not make a different article: Unicode form, case, spacing."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(title: str, text: str, outlet: str | None = None, url: str | None = None) -> str:
    """Return the stable id of an article with this headline and body, from this outlet and URL.

    Without outlet and URL the id is the one earlier versions gave (headline and body only), so a
    store made by them still recognises its articles.
    """
    if not outlet and not url:
        return stable_id("a", normalize_for_id(title), normalize_for_id(text))
    return stable_id("a", normalize_for_id(title), normalize_for_id(text), normalize_for_id(outlet or ""),
                     (url or "").strip())


def legacy_article_id(title: str, text: str) -> str:
    """The id earlier versions gave any article with this headline and body (outlet and URL ignored)."""
    return article_id(title, text)


def body_key(text: str) -> str:
    """A key shared by every copy of one body text, whatever its headline, outlet or URL."""
    return stable_id("b", normalize_for_id(text))
