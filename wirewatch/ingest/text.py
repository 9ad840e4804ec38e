"""Plain-text articles, and the text clean-up every reader shares before offsets are fixed.

A text file's first non-empty line is its headline and the rest its body. A trailing "Sources:"
block is a list of citations, not reporting, so it moves to `cited_sources`. `build_article` is
the one place where any reader's title and body become an `Article`: it normalizes characters,
splits off sources, applies the length limit and derives the id, so every format behaves alike.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from wirewatch.config import Limits
from wirewatch.ingest.ids import article_id
from wirewatch.model import Article, Rejection

MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a headline
MAX_GIVEN_TITLE_CHARS = 1000  # titles from metadata or records are cut here (deterministically)
MAX_SOURCE_LINE_CHARS = 300  # citation lines are titles or URLs; longer means body text
MAX_SOURCE_LINES = 60

# C0 controls except \t and \n, DEL, C1 controls, lone surrogates (JSON "\ud800" escapes): never
# meaningful in news text and some (NUL, surrogates) break storage or display.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff]")
# Line-breaking characters other than \n become \n, so line-based rules see them.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_SOURCE_LABEL = re.compile(
    r"^[ \t#*_>]*(sources?|references?|citations?|sources? cited|works cited)[ \t*_]*:?[ \t*_]*$",
    re.IGNORECASE,
)
_SOURCE_INLINE = re.compile(r"^[ \t*_]*(sources?|references?)[ \t*_]*:[ \t*_]*(\S.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·–—▪◦‣]+|\[\d+\]|\(?\d{1,3}[.)\]])\s*")
_BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|and))*)\s*(?:[,|].*)?$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
# Labelled header lines right under the headline ("Outlet: Ledger Times"), as news-archive text
# exports write them; each label maps to the Article field it fills.
_LABELLED = re.compile(r"^\s*(outlet|publication|publisher|source|author|byline|url|link)\s*:\s*(\S.{0,200})$", re.IGNORECASE)
_LABEL_FIELD = {"outlet": "outlet", "publication": "outlet", "publisher": "outlet", "source": "outlet",
                "author": "author", "byline": "author", "url": "url", "link": "url"}
_DATE_PREFIX = re.compile(r"^\s*(?:published|posted|updated|date)\s*:?\s*", re.IGNORECASE)
_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y",
    "%B %d %Y", "%A, %B %d, %Y", "%A %d %B %Y", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
)


def normalize_text(text: str) -> str:
    """Make newlines `\\n` and drop control characters, so offsets mean the same thing everywhere."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def iso_date(value: Any) -> str | None:
    """Return `value` (ISO, RFC 2822, "March 5, 2024", a datetime, a struct_time) as ISO 8601, else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "tm_year"):  # time.struct_time, as feedparser gives, always UTC
        try:
            return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
        except (TypeError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    raw = _DATE_PREFIX.sub("", value.strip())
    if not raw or len(raw) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return parsed.date().isoformat() if len(raw) <= 10 else parsed.isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return parsed.date().isoformat() if "%H" not in fmt else parsed.isoformat()
    return None


def strip_blank_edges(text: str) -> str:
    """Drop whitespace-only lines at the start and all trailing whitespace; keep everything else."""
    match = re.match(r"(?:[ \t]*\n)*", text)
    return text[match.end():].rstrip() if match else text.rstrip()


def split_sources(body: str) -> tuple[str, list[str]]:
    """Split a trailing "Sources:"/"References:" block off `body`; return (body, cited sources).

    The block is a line that is only the label, followed to the end by short lines (titles or
    URLs, bulleted or numbered or not). A single last line "Source: X" counts too.
    """
    lines = body.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:
        return body, []
    last = content[-1]
    inline = _SOURCE_INLINE.match(lines[last])
    if inline and len(inline.group(2)) <= MAX_SOURCE_LINE_CHARS and not _SOURCE_LABEL.match(lines[last]):
        rest = "\n".join(lines[:last])
        return strip_blank_edges(rest), [inline.group(2).strip(" *_")]
    for i in reversed(content[-(MAX_SOURCE_LINES + 1):]):
        if _SOURCE_LABEL.match(lines[i]):
            cited = [_BULLET.sub("", lines[j]).strip() for j in content if j > i]
            cited = [c for c in cited if c]
            head = strip_blank_edges("\n".join(lines[:i]))
            if cited and head:
                return head, cited
            return body, []
        if len(lines[i].strip()) > MAX_SOURCE_LINE_CHARS:
            break
    return body, []


def split_headline(text: str) -> tuple[str, str]:
    """Return (headline, body): the first non-empty line and the rest, blank edges removed.

    A first line too long for a headline is the start of the body: the title is then its opening
    words and the body keeps every character.
    """
    text = strip_blank_edges(text)
    first, _, rest = text.partition("\n")
    title = _MARKDOWN_HEADING.sub("", first).strip()
    if len(title) <= MAX_TITLE_CHARS:
        return title, strip_blank_edges(rest)
    cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] if " " in title[:MAX_TITLE_CHARS] else title[:80]
    return cut.rstrip(" ,;:") + "…", text


def read_header(body: str) -> tuple[str, dict[str, str]]:
    """Take a header from the first lines of `body`: a byline ("By NAME"), a date line, labelled lines.

    Labelled lines are "Outlet:", "Publication:", "Source:", "Author:", "URL:" followed by a value.
    """
    meta: dict[str, str] = {}
    lines = body.split("\n")
    taken = 0
    for i, line in enumerate(lines[:6]):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) > 80:
            break
        byline = _BYLINE.match(stripped)
        labelled = _LABELLED.match(stripped)
        if labelled and _LABEL_FIELD[labelled.group(1).lower()] not in meta:
            meta[_LABEL_FIELD[labelled.group(1).lower()]] = labelled.group(2).strip()
        elif byline and "author" not in meta:
            meta["author"] = byline.group(1)
        elif "published" not in meta and (date := iso_date(stripped)):
            meta["published"] = date
        else:
            break
        taken = i + 1
    if not taken:
        return body, {}
    return strip_blank_edges("\n".join(lines[taken:])), meta


def build_article(path: str, title: str, body: str, limits: Limits, *, fmt: str, raw: bytes | None,
                  line: int | None = None, cited: list[str] | None = None, **meta: Any) -> Article | Rejection:
    """Normalize a title and body into an `Article`, or a `Rejection` saying why it cannot be used."""
    title = normalize_text(title).replace("\n", " ").strip()
    if len(title) > MAX_GIVEN_TITLE_CHARS:
        title = title[:MAX_GIVEN_TITLE_CHARS - 1].rstrip() + "…"
    body = strip_blank_edges(normalize_text(body))
    body, found = split_sources(body)
    sources = [normalize_text(s).strip() for s in (cited or [])] + found
    if not body.strip():
        return Rejection(path, "no body text" + (" after the headline" if title else ""), line)
    if len(body) > limits.max_article_chars:
        return Rejection(path, f"article body is {len(body):,} characters, over the "
                               f"{limits.max_article_chars:,}-character limit (WIREWATCH_MAX_ARTICLE_CHARS)", line)
    if not title:
        title, _ = split_headline(body)
    extra = meta.pop("extra", None) or {}
    fields = {k: (normalize_text(v).strip() or None) if isinstance(v, str) else v for k, v in meta.items()}
    return Article(id=article_id(title, body, fields.get("outlet"), fields.get("url")), title=title, text=body, path=path, format=fmt,
                   cited_sources=list(dict.fromkeys(sources)), extra=extra, raw=raw, **fields)


def read_text(text: str, path: str, limits: Limits, raw: bytes | None, extra: dict | None = None) -> Iterator[Article | Rejection]:
    """Read a plain-text article: headline line, optional byline/date lines, body, sources block."""
    title, body = split_headline(text)
    body, meta = read_header(body)
    yield build_article(path, title, body, limits, fmt="text", raw=raw, extra=extra, **meta)
