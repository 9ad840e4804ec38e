"""Exports: JSON Lines analyses, CSV claims (formulas defused), GeoJSON places, GraphML actors (valid, escaped)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from wirewatch.errors import NotFoundError, WirewatchError
from wirewatch.export.formats import CSV_COLUMNS, defuse_cell, export_store
from wirewatch.ingest.ids import article_id
from wirewatch.model import Article, ArticleAnalysis, Attribution, Claim
from wirewatch.store import open_store

from tests.webdata import EVIL, FLOOD_STORY, HARBOUR, PAYLOADS, TROMSO, VALE, build_store, flood_articles

G = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_store(build_store(str(tmp_path_factory.mktemp("exp") / "hand.db")))
    yield s
    s.close()


def test_jsonl_one_analysis_per_line(store):
    lines = export_store(store, "jsonl").splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    flood_ids = {a.article.id for a in flood_articles()}
    for record in records:
        for claim in record["claims"]:
            assert record["article"]["text"][claim["start"]:claim["end"]] == claim["text"]
    assert {r["article"]["id"] for r in records if r["story"] == FLOOD_STORY} == flood_ids
    only = [json.loads(line) for line in export_store(store, "jsonl", story_id=FLOOD_STORY).splitlines()]
    assert {r["article"]["id"] for r in only} == flood_ids


def test_csv_claims_table(store):
    rows = list(csv.DictReader(io.StringIO(export_store(store, "csv", story_id=FLOOD_STORY))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == 4
    criticise = next(r for r in rows if r["predicate"] == "CRITICIZE")
    assert (criticise["subject"], criticise["object"], criticise["outlet"]) == ("Ingrid Vale", "Harbour Authority", "Northern Post")
    assert criticise["story"] == FLOOD_STORY and criticise["negated"] == "false"
    hedged = next(r for r in rows if r["predicate"] == "CLOSE")
    assert hedged["hedged"] == "true" and hedged["object"] == "Tromso"
    named = next(r for r in rows if r["predicate"] == "EVACUATE" and r["subject"] == "Ingrid Vale")
    assert (named["attribution_kind"], named["attribution_source"]) == ("named", "Mayor Ingrid Vale")


def test_csv_defuses_formulas(tmp_path):
    text = "=HYPERLINK(\"http://evil.example\",\"x\") was typed by someone."
    article = Article(id=article_id("Formula", text), title="Formula", text=text, outlet="+Plus Outlet")
    claim = Claim(id="cformula00000001", article=article.id, text=text, start=0, end=len(text), predicate="STATE",
                  subject="-2+3", object="@SUM(A1)", attribution=Attribution(kind="named", source="\t=cmd"))
    with open_store(str(tmp_path / "f.db")) as s:
        s.add_analysis(ArticleAnalysis(article=article, claims=[claim]))
        row = next(csv.DictReader(io.StringIO(export_store(s, "csv"))))
    assert row["text"].startswith("'=HYPERLINK")
    assert (row["subject"], row["object"], row["outlet"], row["attribution_source"]) == ("'-2+3", "'@SUM(A1)", "'+Plus Outlet", "'\t=cmd")
    assert defuse_cell("plain") == "plain" and defuse_cell(None) == "" and defuse_cell(-3) == "'-3"


def test_geojson_places(store):
    pytest.importorskip("wirewatch.export.geojson")
    doc = json.loads(export_store(store, "geojson", story_id=FLOOD_STORY))
    assert doc["type"] == "FeatureCollection"
    tromso = next(f for f in doc["features"] if f["properties"]["id"] == TROMSO)
    assert tromso["geometry"]["coordinates"] == pytest.approx([18.956, 69.6496])
    assert tromso["properties"]["article_count"] == 2


def test_graphml_is_valid_and_escaped(store):
    root = ET.fromstring(export_store(store, "graphml").encode("utf-8"))
    assert root.tag == f"{G}graphml"
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}
    graph = root.find(f"{G}graph")
    assert graph.get("edgedefault") == "directed"

    def data(el):
        return {keys[d.get("key")]: d.text for d in el.findall(f"{G}data")}

    nodes = {n.get("id"): data(n) for n in graph.findall(f"{G}node")}
    assert nodes[VALE]["name"] == "Ingrid Vale" and nodes[VALE]["type"] == "person"
    assert nodes[EVIL]["name"] == PAYLOADS[1] + " Mayor"  # markup survives as data, not as XML
    edges = {(e.get("source"), e.get("target"), data(e)["predicate"]) for e in graph.findall(f"{G}edge")}
    assert (VALE, HARBOUR, "CRITICIZE") in edges and (HARBOUR, TROMSO, "CLOSE") in edges
    for edge in graph.findall(f"{G}edge"):
        assert edge.get("source") in nodes and edge.get("target") in nodes


def test_errors(store):
    with pytest.raises(NotFoundError):
        export_store(store, "csv", story_id="no-such-story")
    with pytest.raises(WirewatchError):
        export_store(store, "xlsx")


def test_cli_export_writes_file(tmp_path, store):
    from click.testing import CliRunner

    from wirewatch.cli import main

    db = str(tmp_path / "cli.db")
    build_store(db)
    out = tmp_path / "claims.csv"
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--story", FLOOD_STORY, "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 4


def test_geojson_leaves_out_places_used_only_as_actors():
    from wirewatch.export.geojson import to_geojson
    from wirewatch.model import Entity, Geo, Mention

    moscow = Entity(id="p1", name="Moscow", type="place", geo=Geo(lat=55.75, lon=37.62, literal=False),
                    mentions=[Mention(article="a1", start=0, end=6, text="Moscow")])
    kyiv = Entity(id="p2", name="Kyiv", type="place", geo=Geo(lat=50.45, lon=30.52),
                  mentions=[Mention(article="a1", start=20, end=24, text="Kyiv")])
    names = [f["properties"]["name"] for f in to_geojson([moscow, kyiv], [])["features"]]
    assert names == ["Kyiv"]
