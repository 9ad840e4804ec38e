"""The mailed report: one self-contained HTML file, no script, no network, every citation resolves inside it."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from wirewatch.export.report import write_report
from wirewatch.store import open_store

from tests.webdata import FLOOD_STORY, HOSTILE_STORY, PAYLOADS, build_store, corpus_db


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])


def check_self_contained(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    assert "<script" not in html.lower()
    csp = [a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]
    for tag, attrs in parser.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "script"), tag
        assert "src" not in attrs and not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)  # no remote CSS resources
    for href in parser.hrefs:
        if href.startswith("#"):
            assert href[1:] in parser.ids, f"dangling in-file link {href}"
        else:
            assert href.startswith(("https://", "http://")), href  # only the reports' own original links
    return parser


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(str(tmp_path_factory.mktemp("rep") / "hand.db"))


def test_one_story_report(db, tmp_path):
    out = tmp_path / "story.html"
    with open_store(db) as store:
        write_report(store, str(out), story_id=FLOOD_STORY)
    html = out.read_text(encoding="utf-8")
    parser = check_self_contained(html)
    assert "<title>Floods cut roads near Tromso</title>" in html
    assert "Mayor Ingrid Vale said 120 homes were evacuated." in html
    assert '<svg class="graph"' in html and '<svg class="map"' in html
    cites = [h for h in parser.hrefs if h.startswith("#c-")]
    assert len(cites) >= 3
    assert HOSTILE_STORY not in html


def test_all_stories_report_escapes_hostile_data(db, tmp_path):
    out = tmp_path / "all.html"
    with open_store(db) as store:
        write_report(store, str(out))
    html = out.read_text(encoding="utf-8")
    check_self_contained(html)
    assert f'id="s-{FLOOD_STORY}"' in html and f'id="s-{HOSTILE_STORY}"' in html
    for payload in PAYLOADS:
        assert payload not in html
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html


def test_unknown_story_leaves_no_file(db, tmp_path):
    from wirewatch.errors import NotFoundError

    out = tmp_path / "none.html"
    with open_store(db) as store, pytest.raises(NotFoundError):
        write_report(store, str(out), story_id="nope")
    assert not out.exists() and not list(tmp_path.glob(".wirewatch-report-*"))


@pytest.mark.slow
def test_corpus_report_like_make_demo(tmp_path):
    from click.testing import CliRunner

    from wirewatch.cli import main

    out = tmp_path / "demo-report.html"
    result = CliRunner().invoke(main, ["report", "--all", "--db", corpus_db(), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    parser = check_self_contained(html)
    with open_store(corpus_db()) as store:
        stories = store.list_stories()
        articles = store.counts()["articles"]
    assert sum(1 for i in parser.ids if i.startswith("s-") and not i.endswith("-h")) == len(stories)
    assert sum(1 for i in parser.ids if i.startswith("a-")) == articles
    assert len(html) < 5_000_000
