"""Alerts as an Atom feed (RFC 4287), so any feed reader can subscribe to a watchlist's findings.

Everything in an alert comes from untrusted article text: the document is built with ElementTree,
which escapes text and attribute values, never by pasting strings into XML.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

from wirewatch import __version__

ATOM = "http://www.w3.org/2005/Atom"


def alerts_atom(alerts: list[dict], base_url: str, updated: str) -> bytes:
    """The Atom document for `alerts` (newest first); links point into the web UI at `base_url`."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", f"{base}/alerts.atom")
    _text(feed, "title", "wirewatch alerts")
    _text(feed, "updated", alerts[0]["created"] if alerts else updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/alerts.atom", type="application/atom+xml")
    _text(feed, "generator", "wirewatch").set("version", __version__)
    for alert in alerts:
        article = alert.get("article") or {}
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:wirewatch:alert:{alert['id']}")
        _text(entry, "title", alert.get("summary") or article.get("title") or alert["id"])
        _text(entry, "updated", alert["created"])
        if article.get("published"):
            _text(entry, "published", article["published"])
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=f"{base}/articles/{quote(article.get('id', ''), safe='')}")
        if _http(article.get("url")):
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=article["url"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert["watchlist"])
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", article.get("outlet") or "unknown outlet")
        span = alert.get("span") or {}
        _text(entry, "summary", f"[{alert['watchlist']}] {alert.get('kind', 'article')} in "
                                f"{article.get('title', '')!r}: “{span.get('text', '')}” "
                                f"({span.get('field', 'text')} {span.get('start')}-{span.get('end')})")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _xml_safe(str(value))
    return element


def _xml_safe(value: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (escaping cannot save them)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or " " <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
                   or ch >= "\U00010000")


def _http(url: object) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))
