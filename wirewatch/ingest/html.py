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

from wirewatch.config import Limits
from wirewatch.ingest.text import build_article, iso_date, split_headline
from wirewatch.model import Article, Rejection

MAX_TRAFILATURA_DEPTH = 200  # lxml stops building the tree near 256 levels; stay below
# trafilatura takes ~3.5 s per MB of markup on this machine: larger pages (after dropping scripts
# and styles) are tag-stripped instead, so one page cannot stall a batch for long.
MAX_TRAFILATURA_CHARS = 2_500_000
MAX_ATTRIBUTE_CHARS = 10_000  # longer attribute values (inline data, attacks) are emptied first
MAX_META_CHARS = 1000  # metadata values longer than this are junk (or an attack), not a title

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
          "table", "tr", "section", "article", "header", "footer", "aside", "figure", "figcaption",
          "dd", "dt", "dl", "hr", "main", "nav", "form", "address", "details", "summary"}
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
_HOSTNAME = re.compile(r"^[\w-]+(\.[\w-]+)+$")  # trafilatura's last-resort site name
_SPACES = re.compile(r"[ \t\u00a0]+")

# An unclosed comment or script runs to the end of the input, as in a browser.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_INVISIBLE = re.compile(r"<(script|style|noscript|template|head|svg|math|iframe|object|title)\b[^<>]*>.*?(?:</\1\s*>|\Z)",
                        re.DOTALL | re.IGNORECASE)
_BREAK_TAG = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:%s)\b[^<>]*>" % "|".join(sorted(_BLOCK - {"br"})), re.IGNORECASE)
_ANY_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
_BLANKS = re.compile(r"\n{3,}")
# Scripts (except JSON-LD metadata), styles and inline SVG carry no article text but can be megabytes.
_NOT_TEXT = re.compile(r"<(script|style|svg|noscript)\b(?![^<>]*ld\+json)[^<>]*>.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HUGE_ATTRIBUTE = re.compile(r"""=\s*(?:"[^"<>]{%d,}"|'[^'<>]{%d,}')""" % (MAX_ATTRIBUTE_CHARS, MAX_ATTRIBUTE_CHARS))

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every page it finds thin


def html_to_text(markup: str) -> str:
    """Return the visible text of HTML (a page or a fragment), paragraphs separated by blank lines.

    Regular expressions only, each linear in the input: no tree is built, so hostile nesting,
    unclosed tags or millions of elements cost time proportional to their size and nothing more.
    """
    text = _COMMENT.sub(" ", markup)
    text = _INVISIBLE.sub(" ", text)
    text = _BREAK_TAG.sub("\n", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _ANY_TAG.sub("", text)
    text = htmllib.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


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
    extra = dict(extra or {})
    markup = _NOT_TEXT.sub(" ", _COMMENT.sub(" ", _HUGE_ATTRIBUTE.sub('=""', markup)))
    deep = nesting_depth(markup, MAX_TRAFILATURA_DEPTH) > MAX_TRAFILATURA_DEPTH
    huge = len(markup) > MAX_TRAFILATURA_CHARS
    extracted = None if deep or huge else _trafilatura(markup)
    if extracted:
        body = extracted["text"]
        title = _clean(extracted.get("title")) or fallback["title"]
        outlet = fallback["sitename"] or _clean(extracted.get("sitename"))
        author = _clean(extracted.get("author")) or fallback["author"]
        published = iso_date(fallback["date"]) or iso_date(extracted.get("date"))
        url = fallback["url"] or _clean(extracted.get("url"))  # rel=canonical before og:url
    else:
        if deep or huge:
            why = "nested too deep for the HTML parser" if deep else "too large for boilerplate removal"
            extra["extraction"] = f"plain tag strip (markup {why})"
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
    if (not outlet or _HOSTNAME.match(outlet)) and fallback["page_title"] and title:
        # "Headline | The Outlet" in <title> names the outlet when no og:site_name does
        suffix = _TITLE_SUFFIX.match(fallback["page_title"])
        if suffix and suffix.group(1).strip() == title:
            outlet = suffix.group(2).strip()
    yield build_article(path, title or "", body, limits, fmt="html", raw=raw, outlet=outlet,
                        author=author, published=published, url=url, extra=extra)
