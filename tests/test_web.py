"""Web pages in process: content is in the HTML itself (JavaScript off), citations land on the cited span."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from wirewatch.api.app import create_app
from wirewatch.web import marks
from wirewatch.web.geoshapes import decode_countries
from wirewatch.web.svg import MapPoint, map_svg

from tests.webdata import (FLOOD_STORY, HARBOUR, HOSTILE_STORY, TROMSO, VALE, biggest_story, build_store, call,
                           corpus_db, flood_articles)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(build_store(str(tmp_path_factory.mktemp("web") / "hand.db")))


class _Marks(HTMLParser):
    """Collect the text inside <mark id="hl">, the hrefs of links and the ids/labels of form fields."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.hl = ""
        self.links: list[str] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark" and a.get("id") == "hl":
            self.depth = 1
        elif self.depth:
            self.depth += 1
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.inputs.append(a.get("id", ""))
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.hl += data


def parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    return p


def test_stories_list_newest_first_with_filters(app):
    html = call(app, "GET", "/").text
    assert html.index(f"/stories/{HOSTILE_STORY}") < html.index(f"/stories/{FLOOD_STORY}")  # April before March
    assert "2 reports" in html and "1 conflict" in html and "Lakeside Courier" in html
    only = call(app, "GET", "/", params={"outlet": "Northern Post"}).text
    assert "Floods cut roads near Tromso" in only and f"/stories/{HOSTILE_STORY}" not in only
    assert f"/stories/{HOSTILE_STORY}" not in call(app, "GET", "/", params={"min_size": 2}).text
    words = call(app, "GET", "/", params={"q": "tromso floods"}).text
    assert f"/stories/{FLOOD_STORY}" in words and f"/stories/{HOSTILE_STORY}" not in words
    assert "1 of 2 stories shown" in words


def test_story_page_has_everything_without_javascript(app):
    r = call(app, "GET", f"/stories/{FLOOD_STORY}")
    assert r.status_code == 200
    html = r.text
    for text in ("Mayor Ingrid Vale said 120 homes were evacuated.", "homes evacuated", "2026-03-03"):
        assert text in html
    # claims with badges: attribution, hedged, corroboration
    assert "named: Mayor Ingrid Vale" in html and 'class="badge hedged"' in html and "2 outlets" in html
    # conflicts side by side
    sides = re.findall(r'<p class="value">([^<]*)</p>', html)
    assert sides == ["120", "90"]
    # the graph: three actors and at least one arrow between them; the map: a pin for Tromso
    graph = html[html.index('<svg class="graph"'):]
    graph = graph[:graph.index("</svg>")]
    for name in ("Ingrid Vale", "Harbour Authority", "Tromso"):
        assert name in graph
    assert graph.count("<line") >= 2 and 'marker-end="url(#arrow)"' in graph
    svg_map = html[html.index('<svg class="map"'):]
    assert 'class="pin"' in svg_map[:svg_map.index("</svg>")]
    assert f'href="/entities/{TROMSO}"' in svg_map


def test_citations_open_the_article_at_the_cited_span(app):
    html = call(app, "GET", f"/stories/{FLOOD_STORY}").text
    cites = re.findall(r'<a class="cite" href="([^"]+)"', html)
    assert len(cites) == 3  # bullet 1: two outlets; bullet 2: one
    claims = {c.id: c for a in flood_articles() for c in a.claims}
    for href in cites:
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        assert parts.fragment == "hl"
        start, end = map(int, parts.query.split("=")[1].split("-"))
        page = call(app, "GET", href.split("#")[0])
        assert page.status_code == 200
        highlighted = parse(page.text).hl
        expected = next(c.text for c in claims.values() if (c.start, c.end) == (start, end) and c.article in parts.path)
        assert highlighted == expected


def test_article_page_marks_entities_quantities_claims(app):
    a1 = flood_articles()[0].article
    html = call(app, "GET", f"/articles/{a1.id}").text
    assert f'<a class="ent ent-person" href="/entities/{VALE}"' in html
    assert f'<a class="ent ent-organization" href="/entities/{HARBOUR}"' in html
    assert '<span class="qty" title="120 homes">120 homes</span>' in html
    assert '<span class="claim hedged"' in html
    assert 'href="https://courier.example/floods" rel="noopener noreferrer nofollow"' in html
    assert 'id="hl"' not in html
    for bad in ("5-2", "0-99999", "abc", "-1-3", "1-"):
        assert 'id="hl"' not in call(app, "GET", f"/articles/{a1.id}", params={"hl": bad}).text


def test_entity_page_roles_aliases_and_claims_across_stories(app):
    html = call(app, "GET", f"/entities/{VALE}").text
    assert "Mayor" in html and "Vale" in html
    assert "Mayor Ingrid Vale criticised the Harbour Authority on Tuesday." in html
    assert "Mayor Ingrid Vale said 120 homes were evacuated." in html
    assert "2 reports" in html
    listing = call(app, "GET", "/entities", params={"type": "place"}).text
    assert f"/entities/{TROMSO}" in listing and f"/entities/{VALE}" not in listing


def test_search_page_marks_matches(app):
    html = call(app, "GET", "/search", params={"q": "criticised"}).text
    assert "<mark>criticised</mark>" in html
    assert "Mayor blames harbour chiefs" in html
    assert "0 results" in call(app, "GET", "/search", params={"q": "zzzqqq"}).text


def test_html_errors_and_basic_accessibility(app):
    r = call(app, "GET", "/stories/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    for url in ("/", f"/stories/{FLOOD_STORY}", "/entities", "/search?q=mayor", f"/entities/{VALE}"):
        html = call(app, "GET", url).text
        assert '<html lang="en">' in html and 'class="skip" href="#main"' in html and 'id="main"' in html
        assert 'name="viewport"' in html
        p = parse(html)
        assert p.inputs and all(i and i in p.labels for i in p.inputs), (url, p.inputs, p.labels)


def test_marks_nest_and_escape():
    text = "a <b> c & d"
    spans = [[marks.Span(0, 5, "<i>", "</i>")], [marks.Span(2, 7, "<u>", "</u>"), marks.Span(2, 5, "<s>", "</s>")]]
    out = marks.render(text, spans)
    assert out == "<i>a <s>&lt;b&gt;</s></i> c &amp; d"  # <u> crossed <i>'s end and was dropped
    assert marks.parse_range("3-7", 10) == (3, 7)
    assert marks.parse_range("7-3", 10) is None and marks.parse_range("3-11", 10) is None


def test_topojson_decoding_and_grid_fallback():
    topology = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [10, 20]},
                "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "Squareland"}},
                    {"type": "Polygon", "arcs": [[~1, ~0]], "id": "2", "properties": {"name": "Reversed"}}]}}}
    first, second = decode_countries(topology)
    assert first.name == "Squareland"
    assert list(first.rings[0]) == [(10, 20), (12, 20), (12, 22), (10, 22), (10, 20)]
    assert list(second.rings[0]) == list(reversed(first.rings[0]))
    assert first.bbox == (10, 20, 12, 22)
    svg = map_svg([MapPoint(label="<b>", lat=21, lon=11)], [first])
    assert 'class="land"' in svg and "&lt;b&gt;" in svg
    grid = map_svg([MapPoint(label="x", lat=21, lon=11)], [])
    assert 'class="grid"' in grid and 'class="land"' not in grid


@pytest.mark.slow
def test_corpus_biggest_story_citations_resolve():
    db = corpus_db()
    app = create_app(db)
    story = biggest_story(db)
    html = call(app, "GET", f"/stories/{story.id}").text
    assert story.snapshot, "the biggest story has a snapshot"
    for bullet in story.snapshot:
        assert str(escape(bullet.text)) in html
    cites = [h.replace("&amp;", "&") for h in re.findall(r'<a class="cite" href="([^"]+)"', html)]
    assert cites
    checked = 0
    for href in cites:
        if "?hl=" not in href:
            continue
        page = call(app, "GET", href.split("#")[0])
        assert page.status_code == 200
        assert parse(page.text).hl.strip(), href
        checked += 1
    assert checked >= 1
    assert call(app, "GET", "/").text.count('class="story-card"') == len(call(app, "GET", "/api/stories?limit=1000").json()["stories"])


def test_marks_points_land_inside_nesting():
    out = marks.render("abcdef", [[marks.Span(1, 4, "<i>", "</i>")]], points=[(2, "<p1/>"), (0, "<p0/>"), (6, "<p6/>")])
    assert out == "<p0/>a<i>b<p1/>cd</i>ef<p6/>"
