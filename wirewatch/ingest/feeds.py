"""RSS and Atom feed files: one article per entry, read with feedparser.

feedparser does not expand XML entities or fetch external ones, but a feed that declares
entities at all is either broken or an attack ("billion laughs", XXE), so it is refused before
parsing with a reason that says so. Entry bodies are HTML and go through the same stripper as
HTML fragments elsewhere; each article keeps its own entry's bytes as `raw`.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from wirewatch.config import Limits
from wirewatch.ingest.html import html_to_text
from wirewatch.ingest.text import build_article, iso_date
from wirewatch.model import Article, Rejection

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?[^\s>]+\s+(SYSTEM|PUBLIC)?", re.IGNORECASE)
_ENTRY_START = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(item|entry)[\s>/]")


def entity_problem(data: bytes) -> str | None:
    """Return why a feed's DOCTYPE is refused (entity declarations), or None when it has none."""
    doctype = _DOCTYPE.search(data)  # the whole input: a long comment first must not hide it
    if not doctype:
        return None
    end = data.find(b"]>", doctype.start())
    subset = data[doctype.start(): end if end != -1 else len(data)]
    entities = list(_ENTITY.finditer(subset))
    if not entities:
        return None
    if any(m.group(2) for m in entities):
        return ("feed declares external XML entities (XXE: <!ENTITY ... SYSTEM/PUBLIC>); refused "
                "so that no local file or URL is read")
    return (f"feed declares {len(entities)} XML entit{'y' if len(entities) == 1 else 'ies'} in its DOCTYPE; "
            "refused, as entity expansion can blow up memory ('billion laughs')")


def _entry_slices(data: bytes, count: int) -> list[tuple[int, int]] | None:
    """Byte ranges of each <item>/<entry> element, when they can be found unambiguously."""
    starts = [(m.start(), m.group(1)) for m in _ENTRY_START.finditer(data)]
    if len(starts) != count:
        return None
    ranges = []
    for start, tag in starts:
        close = re.compile(rb"</(?:[A-Za-z0-9_-]+:)?" + tag + rb"\s*>").search(data, start)
        if not close:
            return None
        ranges.append((start, close.end()))
    return ranges


def entry_text(entry) -> str:
    """The entry's fullest body (content:encoded / Atom content, else summary) as plain text."""
    candidates = [c for c in entry.get("content", []) if c.get("value")]
    if entry.get("summary"):
        candidates.append({"value": entry["summary"], "type": entry.get("summary_detail", {}).get("type", "text/html")})
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: len(c["value"]))
    return best["value"] if best.get("type") == "text/plain" else html_to_text(best["value"])


def read_feed(data: bytes, path: str, limits: Limits, extra: dict | None = None) -> Iterator[Article | Rejection]:
    """Read an RSS/Atom document: one article (or rejection) per entry, the channel as outlet."""
    import feedparser

    problem = entity_problem(data)
    if problem:
        yield Rejection(path, problem)
        return
    try:
        # A stream, never raw bytes or a str: feedparser would treat those as a file name or URL.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as err:  # noqa: BLE001 - third-party parser on untrusted input
        yield Rejection(path, f"not a readable feed ({type(err).__name__}: {err})")
        return
    if not parsed.entries:
        if parsed.get("version"):
            yield Rejection(path, "feed has no entries")
        else:
            cause = parsed.get("bozo_exception")
            yield Rejection(path, "not an RSS/Atom feed" + (f" ({cause})" if cause else ""))
        return
    outlet = parsed.feed.get("title") or None
    slices = _entry_slices(data, len(parsed.entries))
    for number, entry in enumerate(parsed.entries, start=1):
        line = None
        if slices:
            start, end = slices[number - 1]
            raw = data[start:end]
            line = data.count(b"\n", 0, start) + 1
        else:
            raw = json.dumps(entry, default=str, ensure_ascii=False).encode("utf-8")
        title = entry.get("title") or ""
        if entry.get("title_detail", {}).get("type") == "text/html":
            title = html_to_text(title)
        published = iso_date(entry.get("published")) or iso_date(entry.get("published_parsed")) \
            or iso_date(entry.get("updated")) or iso_date(entry.get("updated_parsed"))
        item = build_article(path, title, entry_text(entry), limits, fmt="feed", raw=raw, line=line,
                             outlet=outlet, author=entry.get("author"), url=entry.get("link"),
                             published=published, extra={**(extra or {}), "entry": number})
        if isinstance(item, Rejection):
            item.reason = f"entry {number}: {item.reason}"
        yield item
