"""The claim groups and origins samples/corpus/STORIES.md states for the multi-report stories."""
from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def corpus(resources):
    from wirewatch.pipeline import Wirewatch

    if not (SAMPLES / "MANIFEST.json").exists():
        pytest.skip("sample corpus not present")
    ww = Wirewatch(":memory:", resources=resources)
    ww.ingest([str(SAMPLES)])
    analysis = ww.analysis()
    ww.close()
    manifest = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
    gold = {m["title"]: m for m in manifest}
    articles = {a.id: a for a in analysis.articles}
    return analysis, gold, articles


def _story(corpus, key):
    analysis, gold, articles = corpus
    best = max(analysis.stories, key=lambda s: sum(gold[articles[a].title]["story"] == key for a in s.articles))
    return best


def _origin(story, name):
    return next((o for o in story.origins if o.name.casefold() == name.casefold()), None)


def _sources(corpus, ids):
    _, gold, articles = corpus
    return {(gold[articles[a].title]["source"], gold[articles[a].title].get("index")) for a in ids}


def test_kharkiv_wire_story_is_the_origin_of_its_syndicated_copies(corpus):
    story = _story(corpus, "kharkiv-missile-strike")
    wire = _origin(story, "Northwind Wire")
    assert wire is not None and wire.kind == "wire", story.origins
    assert _sources(corpus, wire.articles) >= {("wire.jsonl", 3), ("harbor-herald_kharkiv-nine-killed.txt", None),
                                               ("civic-observer_kharkiv-missile-strike.html", None)}


def test_kharkiv_wire_lead_is_one_group_counted_as_one_origin(corpus):
    analysis, gold, articles = corpus
    lead = "A Russian missile struck a nine-story apartment building"
    claims = [c for c in analysis.claims if c.text.startswith(lead)]
    assert len({c.article for c in claims}) == 3  # the wire original and its two copies
    assert len({c.group for c in claims}) == 1
    # Three mastheads, one wire story: outlets fold copies (corroboration) and so do origins.
    assert {c.independent for c in claims} == {min(c.corroboration for c in claims)}
    group = [c for c in analysis.claims if c.group == claims[0].group]
    copies = [c for c in group if gold[articles[c.article].title].get("syndicated_from")]
    assert copies and all(c.independent <= c.corroboration for c in group)


def test_latakia_toll_monitor_is_an_origin(corpus):
    story = _story(corpus, "latakia-clashes")
    monitor = _origin(story, "Levant Monitoring Network") or _origin(story, "The Levant Monitoring Network")
    assert monitor is not None and monitor.kind == "monitor", story.origins
    assert monitor.entity
    assert _sources(corpus, monitor.articles) >= {("wire.jsonl", 0), ("feed.xml", 3)}
    army = next((o for o in story.origins if "army" in o.name.casefold().split()), None)
    assert army is not None and army.kind == "official", story.origins
    assert ("wire.jsonl", 0) in _sources(corpus, army.articles)


def test_kharkiv_defense_ministry_denial_has_one_origin(corpus):
    story = _story(corpus, "kharkiv-missile-strike")
    ministry = _origin(story, "Russia's Defense Ministry")
    assert ministry is not None and ministry.kind == "official"
    assert ("ledger-times_kharkiv-toll-rises.txt", None) in _sources(corpus, ministry.articles)


@pytest.mark.parametrize("key,citing,cited", [
    ("latakia-clashes", "ledger-times_analysis-syria-coast.txt",
     {("wire.jsonl", 0), ("meridian-post_latakia-hospital-toll.html", None), ("feed.xml", 3)}),
    ("el-fasher-displacement", "ledger-times_el-fasher-nears-20000.txt",
     {("frontline-dispatch_el-fasher-thousands-flee.txt", None), ("meridian-post_el-fasher-aid-convoy.html", None),
      ("wire.jsonl", 4)}),
    ("mombasa-port-strike", "civic-observer_mombasa-strike-suspended.txt",
     {("wire.jsonl", 1), ("feed.xml", 2), ("harbor-herald_mombasa-talks-open.html", None)}),
])
def test_a_sources_list_makes_the_cited_reports_origins_of_the_citing_one(corpus, key, citing, cited):
    story = _story(corpus, key)
    relied = set()
    for origin in story.origins:
        sources = _sources(corpus, origin.articles)
        if (citing, None) in sources:
            relied |= sources - {(citing, None)}
    assert cited <= relied, [(o.name, _sources(corpus, o.articles)) for o in story.origins]


def test_bullets_say_outlets_and_origins(corpus):
    analysis, _, _ = corpus
    for story in analysis.stories:
        for bullet in story.snapshot:
            if bullet.claims:
                assert bullet.independent is not None and 1 <= bullet.independent <= max(1, bullet.corroboration)
                assert bullet.group


def test_witness_accounts_of_the_shooting_share_a_group_and_so_do_the_army_denials(corpus):
    analysis, gold, articles = corpus
    def claims(outlet, *words):
        return [c for c in analysis.claims if articles[c.article].outlet == outlet
                and all(w in c.text.casefold() for w in words)]
    witnesses = claims("The Meridian Post", "witnesses", "fired") + claims("Northwind Wire", "opened fire", "crowd")
    assert len({c.article for c in witnesses}) == 2 and len({c.group for c in witnesses}) == 1, witnesses
    denials = claims("The Daily Clarion", "army has denied", "protesters") + claims("Northwind Wire", "army denied")
    assert len({c.article for c in denials}) == 2 and len({c.group for c in denials}) == 1, denials
    assert all(c.negated for c in denials)


def test_denial_conflicts_link_the_groups_they_dispute(corpus):
    analysis, _, _ = corpus
    story = _story(corpus, "el-fasher-displacement")
    denials = [c for c in story.conflicts if c.kind == "denial"]
    assert denials, story.conflicts
    groups = {c.id: c.group for c in analysis.claims}
    for conflict in denials:
        assert conflict.groups
        assert {groups[v.claim] for v in conflict.values} & set(conflict.groups)
    shown = [b for b in story.snapshot if b.group in {g for c in denials for g in c.groups}]
    assert all(b.disputed for b in shown)
