"""What to watch: feed URLs given directly, in an OPML file, or in a text file of URLs; and feed entries.

`feed_urls` turns the command's SOURCE arguments into feed URLs (with a problem per unusable
source); `feed_entries` reads a fetched RSS/Atom document into `Entry`s, the items a poll
fetches. XML entity declarations are refused as `wirewatch ingest` refuses them.
"""
from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from urllib.parse import urljoin, urlsplit

from wirewatch.ingest.feeds import entity_problem, entry_text
from wirewatch.ingest.html import html_to_text
from wirewatch.ingest.sources import binary_kind, decode
from wirewatch.ingest.text import iso_date

MAX_SOURCE_FILE_BYTES = 5 * 1024 * 1024
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class SourceProblem(Exception):
    """A SOURCE argument that cannot be watched, with the reason."""


@dataclass
class Entry:
    """One feed item: the page to fetch and what the feed itself says about it."""

    url: str
    feed: str
    title: str = ""
    text: str = ""  # the entry's own body as plain text: the fallback when the page is unusable
    published: str | None = None
    author: str | None = None
    outlet: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Entry":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if data.get(k) is not None})


def is_url(value: str) -> bool:
    """True for an absolute http(s) URL."""
    return bool(_URL.match(value.strip()))


def feed_urls(source: str) -> list[str]:
    """The feed URLs a SOURCE names: itself when a URL, else those listed in an OPML or text file."""
    if is_url(source):
        return [source.strip()]
    if not os.path.isfile(source):
        raise SourceProblem("not an http(s) URL and no such file" if not os.path.exists(source) else "not a regular file")
    if os.path.getsize(source) > MAX_SOURCE_FILE_BYTES:
        raise SourceProblem(f"over the {MAX_SOURCE_FILE_BYTES:,}-byte limit for a list of feeds")
    with open(source, "rb") as handle:
        data = handle.read()
    kind = binary_kind(data)
    if kind:
        raise SourceProblem(f"binary file ({kind}), not a list of feeds")
    text, _ = decode(data)
    if text.lstrip().startswith("<"):  # OPML (any other XML is reported as not OPML)
        urls = _opml_urls(data)
    else:
        urls = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not is_url(line):
                raise SourceProblem(f"line {number}: {line[:100]!r} is not an http(s) URL")
            urls.append(line)
    if not urls:
        raise SourceProblem("lists no feeds")
    return list(dict.fromkeys(urls))


def _opml_urls(data: bytes) -> list[str]:
    problem = entity_problem(data)
    if problem:
        raise SourceProblem(problem.replace("feed declares", "OPML file declares"))
    try:
        root = ET.parse(io.BytesIO(data)).getroot()
    except ET.ParseError as exc:
        raise SourceProblem(f"not readable OPML ({exc})") from None
    urls = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            if not is_url(url):
                raise SourceProblem(f"outline {outline.get('text') or outline.get('title') or url!r}: "
                                    f"{url[:100]!r} is not an http(s) URL")
            urls.append(url)
    return urls


def feed_entries(data: bytes, feed_url: str) -> list[Entry]:
    """The items of a fetched RSS/Atom document, with absolute page URLs; raise SourceProblem if unreadable."""
    import feedparser

    problem = entity_problem(data)
    if problem:
        raise SourceProblem(problem)
    kind = binary_kind(data)
    if kind:
        raise SourceProblem(f"not a feed but binary content ({kind})")
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - third-party parser on untrusted input
        raise SourceProblem(f"not a readable feed ({type(exc).__name__}: {exc})") from None
    if not parsed.entries and not parsed.get("version"):
        cause = parsed.get("bozo_exception")
        raise SourceProblem("not an RSS/Atom feed" + (f" ({cause})" if cause else ""))
    outlet = parsed.feed.get("title") or None
    entries = []
    for item in parsed.entries:
        link = (item.get("link") or "").strip()
        if not link and is_url(item.get("id") or ""):
            link = item["id"].strip()
        if not link:
            continue
        try:
            link = urljoin(feed_url, link)
            if urlsplit(link).scheme.lower() not in ("http", "https"):
                continue
        except ValueError:  # "http://[::1": a broken link is one unusable item, not a broken feed
            continue
        title = item.get("title") or ""
        if item.get("title_detail", {}).get("type") == "text/html":
            title = html_to_text(title)
        published = iso_date(item.get("published")) or iso_date(item.get("published_parsed")) \
            or iso_date(item.get("updated")) or iso_date(item.get("updated_parsed"))
        entries.append(Entry(url=link, feed=feed_url, title=title.strip(), text=entry_text(item),
                             published=published, author=item.get("author") or None, outlet=outlet))
    unique: dict[str, Entry] = {}
    for entry in entries:
        unique.setdefault(entry.url, entry)  # the same link twice in one feed is one item
    return list(unique.values())
