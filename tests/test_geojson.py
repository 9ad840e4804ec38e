"""GeoJSON export: one Point per geocoded place, with mentions, linked claims and counts."""
from __future__ import annotations

import json

from wirewatch.export.geojson import to_geojson
from wirewatch.model import Article, Claim, Entity, Geo, Mention


def _fixture():
    a1 = Article(id="a1", title="Port shelled", text="Shells hit Varnport. Officials in Varnport denied it.")
    a2 = Article(id="a2", title="Aid arrives", text="Aid reached Varnport on Friday.")
    port = Entity(
        id="e-port", name="Varnport", type="place",
        mentions=[Mention("a1", 11, 19, "Varnport"), Mention("a1", 34, 42, "Varnport"), Mention("a2", 12, 20, "Varnport")],
        geo=Geo(lat=34.9, lon=35.9, country="SY", gazetteer_id="geonames:1", name="Varnport", feature="city", score=2.0),
    )
    nowhere = Entity(id="e-x", name="Xq", type="place", mentions=[Mention("a1", 0, 6, "Shells")], geo=None)
    person = Entity(id="e-p", name="Ola Brandt", type="person")
    claims = [
        Claim(id="c1", article="a1", text="Shells hit Varnport.", start=0, end=20, predicate="attack"),
        Claim(id="c2", article="a1", text="Officials in Varnport denied it.", start=21, end=53, predicate="deny"),
        Claim(id="c3", article="a2", text="Aid reached Varnport on Friday.", start=0, end=31, predicate="aid", object="e-port"),
        Claim(id="c4", article="a2", text="Unrelated claim.", start=40, end=56, predicate="say"),
        Claim(id="c5", article="a3", text="Supplies went to the port.", start=0, end=26, predicate="aid", subject="e-port"),
    ]
    return [port, nowhere, person], claims, [a1, a2]


def test_feature_collection_shape_and_counts():
    entities, claims, articles = _fixture()
    out = to_geojson(entities, claims, articles)
    json.dumps(out)  # serialisable as is
    assert out["type"] == "FeatureCollection"
    (feature,) = out["features"]  # ungeocoded places and non-places are left out
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.9, 34.9]}
    props = feature["properties"]
    assert props["id"] == "e-port" and props["country"] == "SY" and props["gazetteer_id"] == "geonames:1"
    assert props["mention_count"] == 3 and props["article_count"] == 2
    assert [m["start"] for m in props["mentions"]] == [11, 34, 12]
    assert {c["id"] for c in props["claims"]} == {"c1", "c2", "c3", "c5"}
    assert props["claim_count"] == 4
    assert [a["title"] for a in props["articles"]] == ["Port shelled", "Aid arrives"]


def test_empty_input_gives_an_empty_collection():
    assert to_geojson([], []) == {"type": "FeatureCollection", "features": []}


def test_without_articles_no_titles_are_added():
    entities, claims, _ = _fixture()
    props = to_geojson(entities, claims)["features"][0]["properties"]
    assert "articles" not in props
