"""The JSON API in process: contract shapes, filters, JSON errors, docs without a CDN, guarded ingest."""
from __future__ import annotations

import json

import jsonschema
import pytest

from wirewatch.api.app import create_app
from wirewatch.model import Story

from tests.webdata import FLOOD_STORY, HARBOUR, HOSTILE_STORY, TROMSO, VALE, build_store, call, flood_articles

SCHEMA_PATH = __import__("pathlib").Path(__file__).resolve().parents[2] / "shared" / "contract" / "analysis.schema.json"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(str(tmp_path_factory.mktemp("api") / "hand.db"))


@pytest.fixture(scope="module")
def app(db):
    return create_app(db)


def _validate(**parts):
    """Validate API output against the contract by wrapping it in a contract document."""
    if not SCHEMA_PATH.exists():
        pytest.skip(f"contract schema not found at {SCHEMA_PATH}")
    doc = {"wirewatch_version": "test", "articles": [], "entities": [], "quantities": [], "claims": [], "stories": []}
    doc.update(parts)
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))


def test_stories_list_in_contract_shape(app):
    r = call(app, "GET", "/api/stories")
    assert r.status_code == 200
    stories = r.json()["stories"]
    assert {s["id"] for s in stories} == {FLOOD_STORY, HOSTILE_STORY}
    _validate(stories=stories)
    r = call(app, "GET", "/api/stories?limit=1&offset=1")
    assert len(r.json()["stories"]) == 1
    assert call(app, "GET", "/api/stories?limit=0").status_code == 422


def test_story_round_trips_the_model(app, db):
    r = call(app, "GET", f"/api/stories/{FLOOD_STORY}")
    assert r.status_code == 200
    story = Story.from_dict(r.json())
    assert story.title == "Floods cut roads near Tromso"
    assert [v.value for v in story.conflicts[0].values] == [120, 90]
    assert len(story.snapshot) == 2 and story.snapshot[0].claims


def test_unknown_ids_are_json_404(app):
    for url in ("/api/stories/nope", "/api/articles/nope", "/api/entities/nope", "/api/nothing-here"):
        r = call(app, "GET", url)
        assert r.status_code == 404, url
        assert r.headers["content-type"].startswith("application/json")
        assert "error" in r.json()


def test_article_analysis_offsets_and_contract(app):
    a1 = flood_articles()[0].article
    r = call(app, "GET", f"/api/articles/{a1.id}")
    assert r.status_code == 200
    data = r.json()
    text = data["article"]["text"]
    assert text == a1.text
    assert data["story"] == FLOOD_STORY
    for claim in data["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]
    for entity in data["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    _validate(articles=[data["article"]], entities=data["entities"], quantities=data["quantities"], claims=data["claims"])


def test_entity_with_claims_by_or_about_it(app):
    r = call(app, "GET", f"/api/entities/{VALE}")
    assert r.status_code == 200
    data = r.json()
    assert data["name"] == "Ingrid Vale" and "Mayor" in data["roles"]
    assert {m["article"] for m in data["mentions"]} == {a.article.id for a in flood_articles()}
    texts = {c["text"] for c in data["claims"]}
    assert "Mayor Ingrid Vale criticised the Harbour Authority on Tuesday." in texts
    assert "The Harbour Authority reportedly closed the port to Tromso shipping." not in texts
    harbour = call(app, "GET", f"/api/entities/{HARBOUR}").json()
    assert {c["predicate"] for c in harbour["claims"]} == {"CLOSE", "CRITICIZE"}
    _validate(entities=[{k: v for k, v in data.items() if k != "claims"}], claims=data["claims"])


def test_entities_filters(app):
    places = call(app, "GET", "/api/entities?type=place").json()["entities"]
    assert TROMSO in {e["id"] for e in places}
    assert all(e["type"] == "place" for e in places)
    named = call(app, "GET", "/api/entities?q=vale").json()["entities"]
    assert [e["id"] for e in named] == [VALE]


def test_claims_filter_by_story(app):
    claims = call(app, "GET", f"/api/claims?story={FLOOD_STORY}").json()["claims"]
    assert len(claims) == 4
    assert {c["article"] for c in claims} == {a.article.id for a in flood_articles()}


def test_search_finds_and_strips_markers(app):
    r = call(app, "GET", "/api/search", params={"q": "criticised"})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [h["article"]["title"] for h in results] == ["Mayor blames harbour chiefs"]
    assert "criticised" in results[0]["snippet"]
    assert not any(ord(ch) < 32 for ch in results[0]["snippet"])
    assert call(app, "GET", "/api/search").status_code == 422
    assert call(app, "GET", "/api/search?q=zzzqqqnothing").json()["results"] == []


def test_info_counts(app):
    data = call(app, "GET", "/api/info").json()
    assert data["counts"]["articles"] == 3 and data["counts"]["stories"] == 2
    assert data["allow_ingest"] is False


def test_openapi_published_and_docs_need_no_cdn(app):
    spec = call(app, "GET", "/api/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/entities/{entity_id}", "/api/articles/{article_id}",
                 "/api/search"):
        assert path in spec["paths"], path
    assert "/" not in spec["paths"]  # HTML pages stay out of the API document
    assert call(app, "GET", "/docs").status_code == 404
    assert call(app, "GET", "/redoc").status_code == 404
    page = call(app, "GET", "/api/docs")
    assert page.status_code == 200 and "/api/stories/{story_id}" in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text


def test_ingest_refused_without_flag(app):
    r = call(app, "POST", "/api/articles", json={"title": "T", "text": "Body text here."})
    assert r.status_code == 403
    assert "allow-ingest" in r.json()["error"]


@pytest.fixture(scope="module")
def ingest_app(tmp_path_factory):
    return create_app(build_store(str(tmp_path_factory.mktemp("ingest") / "ingest.db"), hostile=False), allow_ingest=True)


def test_ingest_limits_and_errors_are_json(ingest_app):
    from wirewatch.api import routes

    big = b'{"title": "x", "text": "' + b"a" * (routes.MAX_BODY_BYTES + 10) + b'"}'
    r = call(ingest_app, "POST", "/api/articles", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = call(ingest_app, "POST", "/api/articles", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    r = call(ingest_app, "POST", "/api/articles", json=[{"title": "Fine", "text": "A body."}, {"title": "No body"}])
    assert r.status_code == 422
    assert r.json()["records"][0]["record"] == 1 and "record 1" in r.json()["error"]
    r = call(ingest_app, "POST", "/api/articles", json={"title": "Blank", "text": "   "})
    assert r.status_code == 422 and "no body text" in r.json()["error"]
    r = call(ingest_app, "POST", "/api/articles", json={"title": "x", "text": "y", "url": 5})
    assert r.status_code == 422 and "'url'" in r.json()["error"]


def test_ingest_adds_an_article(ingest_app):
    record = {"title": "Ferry service resumes in Bergen", "outlet": "Fjord Times", "published": "2026-05-04",
              "url": "https://fjord.example/ferry",
              "text": "BERGEN, Norway - Ferry service resumed on Monday after a three-day storm, the operator Vestline said. "
                      "About 2,000 passengers had been stranded, officials said."}
    r = call(ingest_app, "POST", "/api/articles", json=record)
    assert r.status_code == 201, r.text
    added = r.json()["added"]
    assert len(added) == 1
    article = call(ingest_app, "GET", f"/api/articles/{added[0]}").json()["article"]
    assert article["outlet"] == "Fjord Times" and article["title"] == record["title"]
    again = call(ingest_app, "POST", "/api/articles", json=record)
    assert again.status_code == 201 and again.json()["added"] == [] and again.json()["duplicates"] == added
