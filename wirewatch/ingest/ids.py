"""Content-derived article ids: the same article ingested twice gets the same id."""
from __future__ import annotations

import re
import unicodedata

from wirewatch.model import stable_id

_SPACE = re.compile(r"\s+")


def normalize_for_id(text: str) -> str:
    """Fold the differences that do not make a different article: Unicode form, case, spacing."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(title: str, text: str) -> str:
    """Return the stable id of an article with this headline and body."""
    return stable_id("a", normalize_for_id(title), normalize_for_id(text))
