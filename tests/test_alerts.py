"""Watchlists and alerts (issue 15): each criterion on invented reports, conflicts, the CLI, the
JSON and Atom endpoints, and webhook delivery with retries."""
from __future__ import annotations

import json

import feedparser
import httpx
import pytest
from click.testing import CliRunner

from tests.newssite import Server
from wirewatch.alerts.watchlists import Watchlist, WatchlistError, add_watchlist, gazetteer_lookup, list_watchlists, remove_watchlist
from wirewatch.alerts.webhook import deliver, post_alert, queue
from wirewatch.cli import main

FERRY_A = ("Ferry capsizes off Lesbos, 14 dead",
           "A ferry carrying migrants capsized off the Greek island of Lesbos on Friday, killing 14 people, the Greek "
           "coastguard said.\nRescuers pulled 40 survivors from the sea, the coastguard said, and the search for "
           "missing passengers continued overnight.\nCoastguard spokesman Nikos Alexiou said the boat had left the "
           "Turkish coast before dawn.", "Aegean Daily")
FERRY_B = ("Lesbos ferry disaster: 21 killed as boat capsizes",
           "A boat carrying migrants capsized off Lesbos on Friday, killing 21 people, according to Greek officials.\n"
           "The Greek coastguard said 40 survivors were rescued from the water near the island.\nCoastguard spokesman "
           "Nikos Alexiou told reporters the boat had left the Turkish coast before dawn.", "Mediterranean Wire")
FARMERS = ("Farmers protest in Lyon over fuel prices",
           "Hundreds of farmers protested in Lyon on Saturday against rising fuel prices, blocking roads with tractors, "
           "police said.\nAgriculture minister Claire Dubois said the government would meet farm unions next week.",
           "Rhone Post")


@pytest.fixture()
def ww(tmp_path, resources):
    from wirewatch.pipeline import Wirewatch

    with Wirewatch(str(tmp_path / "w.db"), resources=resources) as opened:
        yield opened


def _ingest(ww, make_article, *reports):
    articles = [make_article(t, x, outlet=o, published="2026-11-20") for t, x, o in reports]
    return ww.ingest_articles(articles)


def _cited(ww, alert) -> str:
    article = ww.store.get_article(alert["article"]["id"])
    span = alert["span"]
    return (article.title if span["field"] == "title" else article.text)[span["start"]:span["end"]]


def test_each_criterion_fires_on_what_it_names_only(ww, make_article):
    for wl in [Watchlist("survivors", text="survivors"), Watchlist("alexiou", entity="Alexiou"),
               Watchlist("protests", event="PROTEST"), Watchlist("france", near={"name": "Paris", "km": 500}),
               Watchlist("athens", near={"name": "Athens", "km": 100}),
               Watchlist("dubois-protest", entity="Claire Dubois", event="PROTEST")]:
        add_watchlist(ww.store, wl, place_lookup=gazetteer_lookup)
    report = _ingest(ww, make_article, FERRY_A, FARMERS)
    fired = {(a["watchlist"], a["article"]["title"]) for a in report.alerts}
    assert fired == {("survivors", FERRY_A[0]), ("alexiou", FERRY_A[0]), ("protests", FARMERS[0]),
                     ("france", FARMERS[0])}  # Lesbos is ~300 km from Athens; Dubois is not the protester
    by_list = {a["watchlist"]: a for a in report.alerts}
    assert _cited(ww, by_list["survivors"]) == "survivors"
    assert _cited(ww, by_list["alexiou"]) == "Nikos Alexiou"
    assert _cited(ww, by_list["france"]) == "Lyon"
    protest = by_list["protests"]
    assert protest["kind"] == "claim" and protest["claim"]["predicate"] in ("PROTEST", "STRIKE")
    assert _cited(ww, protest).startswith("Hundreds of farmers protested in Lyon")
    assert [a["id"] for a in ww.store.list_alerts()] == [a["id"] for a in reversed(report.alerts)]  # newest first
    # ingesting the same reports again raises nothing new
    again = _ingest(ww, make_article, FERRY_A, FARMERS)
    assert again.alerts == [] and len(ww.store.list_alerts()) == 4


def test_a_conflict_in_a_story_raises_an_alert_citing_the_new_side(ww, make_article):
    add_watchlist(ww.store, Watchlist("toll", text="people"))
    _ingest(ww, make_article, FERRY_A)
    report = _ingest(ww, make_article, FERRY_B)
    conflicts = [a for a in report.alerts if a["kind"] == "conflict"]
    assert len(conflicts) == 1, report.alerts
    [conflict] = conflicts
    assert conflict["conflict"]["about"] == "people killed"
    assert sorted(v["value"] for v in conflict["conflict"]["values"]) == [14, 21]
    assert conflict["article"]["title"] == FERRY_B[0] and _cited(ww, conflict) == "21 people"
    assert conflict["story"] == ww.store.story_of_article(conflict["article"]["id"])


def test_title_only_match_cites_the_title(ww, make_article):
    add_watchlist(ww.store, Watchlist("killed", text="killed"))
    report = _ingest(ww, make_article, FERRY_B)
    [alert] = report.alerts
    assert alert["span"]["field"] == "title" and _cited(ww, alert) == "killed"


def test_watchlist_validation(ww):
    with pytest.raises(WatchlistError, match="unknown event type 'PARTY'"):
        add_watchlist(ww.store, Watchlist("x", event="party"))
    with pytest.raises(WatchlistError, match="needs at least one of"):
        add_watchlist(ww.store, Watchlist("x"))
    with pytest.raises(WatchlistError, match="not in the gazetteer"):
        add_watchlist(ww.store, Watchlist("x", near={"name": "Qqzzyx Nowhere", "km": 5}), place_lookup=gazetteer_lookup)
    add_watchlist(ww.store, Watchlist("x", text="grain"))
    with pytest.raises(WatchlistError, match="exists"):
        add_watchlist(ww.store, Watchlist("x", text="wheat"))
    remove_watchlist(ww.store, "x")
    with pytest.raises(WatchlistError, match="no watchlist named 'x'"):
        remove_watchlist(ww.store, "x")
    assert list_watchlists(ww.store) == []


def test_cli_watchlist_and_alerts(tmp_path):
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    (tmp_path / "farmers.txt").write_text(f"{FARMERS[0]}\n\n{FARMERS[1]}\n")
    assert runner.invoke(main, ["watchlist", "add", "lyon", "--near", "Lyon", "--km", "30", "--db", db]).exit_code == 0
    added = runner.invoke(main, ["watchlist", "add", "fuel", "--text", "fuel prices", "--db", db])
    assert added.exit_code == 0 and "words 'fuel prices'" in added.output
    bad = runner.invoke(main, ["watchlist", "add", "z", "--near", "Lyon", "--db", db])
    assert bad.exit_code == 2 and "--near and --km go together" in bad.output
    bad = runner.invoke(main, ["watchlist", "add", "z", "--event", "PICNIC", "--db", db])
    assert bad.exit_code == 1 and "unknown event type 'PICNIC'" in bad.output
    listed = runner.invoke(main, ["watchlist", "list", "--db", db])
    assert "lyon: within 30 km of Lyon, FR" in listed.output and "fuel: words 'fuel prices'" in listed.output
    ingested = runner.invoke(main, ["ingest", str(tmp_path / "farmers.txt"), "--db", db])
    assert ingested.exit_code == 0 and "2 new alerts" in ingested.stderr
    alerts = json.loads(runner.invoke(main, ["alerts", "--json", "--db", db]).stdout)
    assert {a["watchlist"] for a in alerts} == {"lyon", "fuel"}
    assert {a["watchlist"]: a["span"]["text"] for a in alerts} == {"lyon": "Lyon", "fuel": "fuel prices"}
    assert json.loads(runner.invoke(main, ["alerts", "--json", "--since", "2999-01-01", "--db", db]).stdout) == []
    text = runner.invoke(main, ["alerts", "--db", db]).output
    assert "[fuel] article: Farmers protest in Lyon over fuel prices" in text and "fuel prices" in text
    assert runner.invoke(main, ["alerts", "--since", "yesterday", "--db", db]).exit_code == 2
    late = runner.invoke(main, ["watchlist", "add", "tractors", "--text", "tractors", "--db", db])
    assert late.exit_code == 0 and "alerts for stored" not in late.stderr  # new reporting only, by default
    backfill = runner.invoke(main, ["watchlist", "add", "farm", "--text", "farm unions", "--existing", "--db", db])
    assert backfill.exit_code == 0 and "1 alerts for stored articles" in backfill.stderr
    alerts = json.loads(runner.invoke(main, ["alerts", "--json", "--db", db]).stdout)
    assert sorted(a["watchlist"] for a in alerts) == ["farm", "fuel", "lyon"]
    assert runner.invoke(main, ["watchlist", "remove", "fuel", "--db", db]).exit_code == 0
    assert "fuel" not in runner.invoke(main, ["watchlist", "list", "--db", db]).output


def test_api_alerts_json_and_atom(ww, make_article):
    import asyncio

    from wirewatch.api.app import create_app

    add_watchlist(ww.store, Watchlist("script", text="protested"))
    hostile = ("<script>alert(1)</script> Farmers & bakers", FARMERS[1].replace("Hundreds", "<b>Hundreds</b>"), "R&D <Post>")
    _ingest(ww, make_article, hostile)
    app = create_app(ww.store.path)

    async def fetch():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wire.test") as client:
            return (await client.get("/api/alerts"), await client.get("/api/alerts?since=2999-01-01"),
                    await client.get("/api/alerts?since=soon"), await client.get("/alerts.atom"), await client.get("/"))

    listed, none, bad, atom, home = asyncio.run(fetch())
    assert '<link rel="alternate" type="application/atom+xml" title="wirewatch alerts" href="/alerts.atom">' in home.text
    [alert] = listed.json()["alerts"]
    assert alert["watchlist"] == "script" and alert["span"]["text"] == "protested"
    assert none.json()["alerts"] == [] and bad.status_code == 400 and "ISO 8601" in bad.json()["error"]
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in atom.content  # escaped, never markup
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo and parsed.feed.title == "wirewatch alerts"
    [entry] = parsed.entries
    assert "<script>alert(1)</script> Farmers & bakers" in entry.title
    assert entry.link == f"http://wire.test/articles/{alert['article']['id']}"
    assert entry.author == "R&D <Post>" and "protested" in entry.summary


def test_webhook_retries_then_delivers_and_keeps_what_it_could_not(ww):
    alert = {"id": "al1", "watchlist": "w", "created": "2026-12-01T00:00:00+00:00", "summary": "w: x"}
    with Server() as server:
        url = server.base + "/hook"
        server.site.post_status = [500, 503, 200]
        assert post_alert(url, alert, timeout=5, retries=3, sleep=lambda s: None) is None
        assert [json.loads(p) for p in server.site.posts] == [alert]
        assert server.site.log[-1][2]["Content-Type"] == "application/json"
        server.site.post_status = [200, 500, 500]  # al1 goes through, al2 fails twice: the receiver is down
        queue(ww.store, [alert, {**alert, "id": "al2"}, {**alert, "id": "al3"}])
        queue(ww.store, [alert])  # queued twice, sent once
        messages = []
        assert deliver(ww.store, url, timeout=5, retries=1, report=messages.append, sleep=lambda s: None) == 1
        assert messages == [f"webhook {url}: alert al2 not delivered (HTTP 500); 1 more held back; "
                            "will retry after the next poll"]
        assert deliver(ww.store, url, timeout=5, retries=1, sleep=lambda s: None) == 2  # al2 and al3, in order
        assert deliver(ww.store, url, timeout=5, sleep=lambda s: None) == 0
    # the first al1 was the post_alert call above
    assert [json.loads(p)["id"] for p in server.site.posts] == ["al1", "al1", "al2", "al3"]
