"""The story page draws the actor graph's edges and lists each with the claims that cite it
(sample corpus through the real pipeline, and a hand-built store)."""
from __future__ import annotations

import re

from wirewatch.api.app import create_app
from wirewatch.store import open_store
from wirewatch.stories.graph import story_edges

from tests.webdata import FLOOD_STORY, biggest_story, build_store, call, corpus_db


def test_biggest_sample_story_has_cited_edges_between_actors():
    path = corpus_db()
    story = biggest_story(path)
    store = open_store(path)
    try:
        analyses = [store.get_analysis(a) for a in story.articles]
    finally:
        store.close()
    edges = story_edges(analyses)
    assert sum(e.count for e in edges) >= 3
    kinds = {e.type for a in analyses for e in a.entities if e.id in {x.source for x in edges}}
    assert kinds <= {"person", "organization", "group", "place"}
    # generic agents ("the army", "protesters") are among the actors
    sectors = {e.sector for a in analyses for e in a.entities if e.id in {x.source for x in edges} | {x.target for x in edges}}
    assert sectors - {None}
    html = call(create_app(path), "GET", f"/stories/{story.id}").text
    assert "No claim links two actors yet" not in html
    listed = html[html.index('<ul class="edges">'):]
    listed = listed[:listed.index("</ul>")]
    hrefs = re.findall(r'href="([^"]+)"', listed)
    assert len(hrefs) >= 3 and all(h.startswith("/articles/") and "?hl=" in h for h in hrefs)  # the cited span
    graph = html[html.index('<svg class="graph"'):]
    graph = graph[:graph.index("</svg>")]
    assert '<a href="' in graph and 'class="edge"' in graph


def test_edges_link_to_their_claims_in_a_hand_built_store(tmp_path):
    app = create_app(build_store(str(tmp_path / "hand.db")))
    html = call(app, "GET", f"/stories/{FLOOD_STORY}").text
    assert '<ul class="edges">' in html
    item = re.search(r'<li><span class="edge-who">([^<]*)</span>', html)
    assert item and "→" in item.group(1)


def test_agent_entity_page_shows_its_sector():
    path = corpus_db()
    store = open_store(path)
    try:
        agent = next(e for e in store.list_entities() if e.sector and e.id.startswith("A"))
    finally:
        store.close()
    html = call(create_app(path), "GET", f"/entities/{agent.id}").text
    assert "<dt>Sector</dt>" in html and agent.sector in html


def test_api_story_graph_lists_edges_with_citing_claims():
    path = corpus_db()
    story = biggest_story(path)
    data = call(create_app(path), "GET", f"/api/stories/{story.id}/graph").json()
    assert data["story"] == story.id and len(data["edges"]) >= 3
    store = open_store(path)
    try:
        texts = {a: store.get_article(a).text for a in story.articles}
    finally:
        store.close()
    for edge in data["edges"]:
        assert edge["source_name"] and edge["target_name"] and edge["count"] == len(edge["claims"])
        for claim in edge["claims"]:
            assert texts[claim["article"]][claim["start"]:claim["end"]] == claim["text"]
