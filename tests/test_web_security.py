"""Hostile input stays inert: everything escaped, a strict CSP on every response, no file outside static."""
from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from wirewatch.api.app import CSP, create_app
from wirewatch.web.views import safe_url

from tests.webdata import EVIL, FLOOD_STORY, HOSTILE_STORY, PAYLOADS, build_store, call, hostile_analysis

EXPECTED_CSP = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(build_store(str(tmp_path_factory.mktemp("sec") / "hostile.db")))


def hostile_pages() -> list[str]:
    aid = hostile_analysis().article.id
    return ["/", f"/stories/{HOSTILE_STORY}", f"/articles/{aid}", f"/articles/{aid}?hl=0-20", f"/entities/{EVIL}",
            "/entities", "/search?q=Officials", "/search?q=" + "%3Cscript%3E", f"/stories/{FLOOD_STORY}"]


class _Elements(HTMLParser):
    """Every element the browser would build: (tag, attributes)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def test_payloads_never_appear_unescaped(app):
    for url in hostile_pages():
        r = call(app, "GET", url)
        assert r.status_code == 200, url
        html = r.text
        for payload in PAYLOADS:
            assert payload not in html, (url, payload)
        parser = _Elements()
        parser.feed(html)
        for tag, attrs in parser.elements:
            assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
            assert not any(attrs.get(k, "").strip().lower().startswith("javascript:") for k in ("href", "src", "action")), (url, attrs)
            assert tag not in ("img", "iframe", "object", "embed", "style", "textarea"), (url, tag)
            if tag == "svg":
                assert attrs.get("class") in ("graph", "map"), (url, attrs)  # only the SVG we draw
            if tag == "script":
                assert attrs == {"src": "/static/app.js", "defer": ""}, (url, attrs)  # no inline script
            assert "style" not in attrs, (url, tag)  # CSP forbids inline style; we use none


def test_hostile_data_is_shown_as_text(app):
    aid = hostile_analysis().article.id
    html = call(app, "GET", f"/articles/{aid}").text
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html
    assert "&lt;svg onload=" in html  # the outlet name, escaped
    assert "javascript:alert(2)" in html and 'href="javascript:alert(2)"' not in html  # cited source shown, not linked
    assert ">original</a>" not in html  # the javascript: url is not linked


def test_safe_url_only_http():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "//evil.example/x",
                "/relative", "http://", "https://x.example/\"onmouseover=alert(1)", "vbscript:msgbox(1)", None, ""):
        assert safe_url(bad) is None, bad


def test_security_headers_on_every_kind_of_response(app):
    for url, status in (("/", 200), ("/api/stories", 200), ("/static/style.css", 200), ("/nope", 404),
                        ("/api/nope", 404), ("/api/search", 422), ("/api/openapi.json", 200)):
        r = call(app, "GET", url)
        assert r.status_code == status, url
        assert set(p.strip() for p in r.headers["content-security-policy"].split(";")) == EXPECTED_CSP, url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert set(p.strip() for p in CSP.split(";")) == EXPECTED_CSP


async def _raw_get(app, raw_path: str) -> tuple[int, bytes]:
    """GET with the path exactly as a server would decode it (no client-side dot-segment cleanup)."""
    path, _, query = raw_path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(path), "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    messages = []
    sent_request = asyncio.Event()
    never = asyncio.Event()

    async def receive():
        if not sent_request.is_set():
            sent_request.set()
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()  # the client stays connected; the response task cancels this wait
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, body


@pytest.mark.parametrize("path", [
    "/static/../../etc/passwd",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%5c..%5c..%5cetc%5cpasswd",
    "/static/..\\..\\..\\etc\\passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/../templates/base.html",
    "/static/../render.py",
    "/static/....//....//etc/passwd",
    "/articles/..%2f..%2f..%2fetc%2fpasswd",
])
def test_no_file_outside_static(app, path):
    status, body = asyncio.run(_raw_get(app, path))
    assert status == 404, (path, status)
    assert b"root:" not in body and b"{% extends" not in body and b"import" not in body


def test_static_still_serves_its_own_files(app):
    status, body = asyncio.run(_raw_get(app, "/static/app.js"))
    assert status == 200 and b"use strict" in body


def test_server_binds_localhost_by_default():
    from wirewatch.cli import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
