"""HTML pages: main text and metadata via trafilatura, with a safe fallback for hostile markup.

trafilatura drops navigation and boilerplate and reads title, site name, date, author and the
canonical URL. lxml (under it) silently gives up on documents nested deeper than ~255 levels, and
such pages are a known way to attack parsers, so deep pages skip trafilatura and go to a flat,
streaming tag stripper (`html_to_text`), which also turns feed entry HTML into text.
"""
from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from wirewatch.config import Limits
from wirewatch.ingest.text import build_article, iso_date, split_headline
from wirewatch.model import Article, Rejection

MAX_TRAFILATURA_DEPTH = 200  # lxml stops building the tree near 256 levels; stay below
MAX_META_CHARS = 1000  # metadata values longer than this are junk (or an attack), not a title

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
          "table", "tr", "section", "article", "header", "footer", "aside", "figure", "figcaption",
          "dd", "dt", "dl", "hr", "main", "nav", "form", "address", "details", "summary"}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen", "command"}
# [^<>] (not [^>]) keeps the scan linear: an unclosed tag ends at the next "<", not at the end of input.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]{0,40})[^<>]*?(/?)>")
_META = re.compile(r"<meta\b[^<>]{0,3000}>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TITLE = re.compile(r"<title\b[^>]{0,500}>(.{0,2000}?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]{0,500}>(.{0,4000}?)</h1>", re.IGNORECASE | re.DOTALL)
_CANONICAL = re.compile(r"<link\b[^>]{0,2000}?rel\s*=\s*[\"']?canonical[^>]{0,2000}>", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"^(.{10,}?)\s+[|–—-]\s+([^|–—]{2,60})$")
_SPACES = re.compile(r"[ \t\u00a0]+")

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every page it finds thin


class _TextCollector(HTMLParser):
    """Collect visible text, with a paragraph break at block elements; no tree, so no depth limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP and tag not in _VOID:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the visible text of HTML (a page or a fragment), paragraphs separated by blank lines."""
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
    except Exception:  # noqa: BLE001 - HTMLParser on hostile input: keep what was collected
        pass
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def nesting_depth(markup: str, cap: int) -> int:
    """Return how deep elements nest (stopping once past `cap`), by a linear scan of the tags."""
    depth = deepest = 0
    for match in _TAG.finditer(markup):
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if tag in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > cap:
                    break
    return deepest


def _meta_tags(markup: str) -> dict[str, str]:
    """Read <meta property|name=... content=...> pairs from the page head."""
    found: dict[str, str] = {}
    for tag in _META.finditer(markup[:200_000]):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag.group())}
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key and "content" in attrs and key not in found:
            found[key] = htmllib.unescape(attrs["content"]).strip()
    return found


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACES.sub(" ", value).strip()
    return value if value and len(value) <= MAX_META_CHARS else None


def _fallback_metadata(markup: str) -> dict[str, str | None]:
    """Title, site, author, date and URL read straight from meta tags, for when trafilatura cannot run."""
    meta = _meta_tags(markup)
    h1 = _H1.search(markup[:500_000])
    title_tag = _TITLE.search(markup[:200_000])
    canonical = _CANONICAL.search(markup[:200_000])
    canonical_url = None
    if canonical:
        href = re.search(r"href\s*=\s*[\"']?([^\"'\s>]+)", canonical.group(), re.IGNORECASE)
        canonical_url = href.group(1) if href else None
    return {
        "title": _clean(meta.get("og:title")) or _clean(h1 and html_to_text(h1.group(1)))
        or _clean(title_tag and htmllib.unescape(title_tag.group(1))),
        "sitename": _clean(meta.get("og:site_name")),
        "author": _clean(meta.get("author") or meta.get("article:author")),
        "date": meta.get("article:published_time") or meta.get("date") or meta.get("pubdate"),
        "url": _clean(canonical_url) or _clean(meta.get("og:url")),
        "page_title": _clean(title_tag and htmllib.unescape(title_tag.group(1))),
    }


def _trafilatura(markup: str) -> dict | None:
    """Run trafilatura's extraction; None when it finds nothing or fails."""
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True)
    except Exception:  # noqa: BLE001 - third-party parser on untrusted input: fall back, never crash
        return None
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return data if (data.get("text") or "").strip() else None


def read_html(markup: str, path: str, limits: Limits, raw: bytes | None, extra: dict | None = None) -> Iterator[Article | Rejection]:
    """Read one HTML page into an article: main text without boilerplate, plus its metadata."""
    fallback = _fallback_metadata(markup)
    deep = nesting_depth(markup, MAX_TRAFILATURA_DEPTH) > MAX_TRAFILATURA_DEPTH
    extracted = None if deep else _trafilatura(markup)
    extra = dict(extra or {})
    if extracted:
        body = extracted["text"]
        title = _clean(extracted.get("title")) or fallback["title"]
        outlet = _clean(extracted.get("sitename")) or fallback["sitename"]
        author = _clean(extracted.get("author")) or fallback["author"]
        published = iso_date(fallback["date"]) or iso_date(extracted.get("date"))
        url = _clean(extracted.get("url")) or fallback["url"]
    else:
        if deep:
            extra["extraction"] = "plain text strip (markup nested too deep for the HTML parser)"
        body = html_to_text(markup)
        title, author, outlet, url = fallback["title"], fallback["author"], fallback["sitename"], fallback["url"]
        published = iso_date(fallback["date"])
    if title and body.lstrip().startswith(title):
        # trafilatura (and the stripper) repeat the <h1> headline as the first line of the text
        first, _, rest = body.lstrip().partition("\n")
        if first.strip() == title:
            body = rest
    if not title:
        title, body = split_headline(body)
    if not outlet and fallback["page_title"] and title:
        # "Headline | The Outlet" in <title> names the outlet when no og:site_name does
        suffix = _TITLE_SUFFIX.match(fallback["page_title"])
        if suffix and suffix.group(1).strip() == title:
            outlet = suffix.group(2).strip()
    yield build_article(path, title or "", body, limits, fmt="html", raw=raw, outlet=outlet,
                        author=author, published=published, url=url, extra=extra)
