"""Stories stage: streaming clustering, syndication, corroboration, conflicts, snapshot, timeline, rendering."""
from __future__ import annotations

import pytest

from wirewatch.model import Article, ArticleAnalysis, Claim, Entity, Mention, Quantity
from wirewatch.resolve.linking import link_entities
from wirewatch.store import open_store
from wirewatch.stories import build_story, update_stories
from wirewatch.stories.conflicts import compatible, counted_key, number_conflicts
from wirewatch.stories.render import render_story

FLOOD = ("Floods swept through the river town of Orvika on Monday after the Selka dam overflowed, "
         "killing {n} people and forcing thousands from their homes, said regional governor Hanna Loviso. "
         "Rescue boats searched flooded streets near the Selka river and the dam operator blamed heavy rain.")
VOTE = ("Voters in Castellon-Mar elected Rufo Amendari as mayor on Sunday in a runoff marked by low turnout. "
        "Amendari promised to repair the harbour promenade and cut parking fees, his campaign office said.")


def _analysis(aid, title, text, outlet, published, names=(), claims=(), quantities=()):
    article = Article(id=aid, title=title, text=text, outlet=outlet, published=published)
    entities = []
    for i, (name, etype) in enumerate(names):
        start = text.index(name)
        entities.append(Entity(id=f"L{i}", name=name, type=etype,
                               mentions=[Mention(article=aid, start=start, end=start + len(name), text=name)]))
    a = ArticleAnalysis(article=article, entities=entities)
    for j, (fragment, predicate, extra) in enumerate(claims):
        start = text.index(fragment)
        a.claims.append(Claim(id=f"{aid}-c{j}", article=aid, text=fragment, start=start, end=start + len(fragment),
                              predicate=predicate, **extra))
    for j, (fragment, value, extra) in enumerate(quantities):
        start = text.index(fragment)
        a.quantities.append(Quantity(id=f"{aid}-q{j}", article=aid, text=fragment, start=start,
                                     end=start + len(fragment), value=value, **extra))
    return a


def _flood(aid, outlet, day, n=12, extra_text="", **kw):
    text = FLOOD.format(n=n) + extra_text
    return _analysis(aid, f"Orvika floods kill {n}", text, outlet, day,
                     names=[("Orvika", "place"), ("Hanna Loviso", "person"), ("Selka", "place")],
                     quantities=[(f"killing {n} people", n, {"counted": "people killed"})], **kw)


def _ingest(store, analyses):
    with store.transaction():
        link_entities(analyses, store)
        for a in analyses:
            store.add_analysis(a)
        return update_stories(analyses, store)


@pytest.fixture()
def store():
    with open_store(":memory:") as s:
        yield s


def test_reports_of_one_event_form_one_story_and_other_events_their_own(store):
    vote = _analysis("v1", "Amendari wins Castellon-Mar runoff", VOTE, "Coast Times", "2026-03-02",
                     names=[("Castellon-Mar", "place"), ("Rufo Amendari", "person")])
    _ingest(store, [_flood("f1", "River Post", "2026-03-02"), vote,
                    _flood("f2", "Valley Herald", "2026-03-03", n=14, extra_text=" Schools stayed closed.")])
    assert store.story_of_article("f1") == store.story_of_article("f2") != store.story_of_article("v1")
    assert store.counts()["stories"] == 2


def test_incremental_ingest_joins_an_existing_story_without_rebuilding_others(store):
    _ingest(store, [_flood("f1", "River Post", "2026-03-02")])
    first = store.story_of_article("f1")
    touched = _ingest(store, [_flood("f2", "Valley Herald", "2026-03-04", n=15, extra_text=" Aid arrived.")])
    assert [s.id for s in touched] == [first]
    assert store.get_story(first).articles == ["f1", "f2"]


def test_reports_far_apart_in_time_start_a_new_story(store):
    _ingest(store, [_flood("f1", "River Post", "2026-03-02")])
    _ingest(store, [_flood("f9", "River Post", "2026-09-20", n=3, extra_text=" A new storm hit.")])
    assert store.story_of_article("f1") != store.story_of_article("f9")


def test_syndicated_copy_is_marked_and_counts_once(store):
    claim = [("the dam operator blamed heavy rain", "statement", {})]
    wire = _flood("w1", "Northgate Wire", "2026-03-02", claims=claim)
    copy = _flood("c1", "Harbor Daily", "2026-03-02", extra_text=" Harbor Daily staff contributed.", claims=claim)
    other = _flood("o1", "Valley Herald", "2026-03-03", n=12, extra_text=" Officials opened three shelters in schools "
                   "and sports halls across the province while engineers inspected the cracked dam wall.", claims=claim)
    (story,) = _ingest(store, [wire, copy, other])
    assert store.get_article("c1").duplicate_of == "w1"
    assert store.get_article("o1").duplicate_of is None
    claims = {c.id: c for c in store.list_claims(story=story.id)}
    assert claims["w1-c0"].corroboration == 2  # the wire and its copy are one source, the Valley Herald another


def test_quantity_conflicts_respect_bounds_and_vague_figures():
    q = lambda value, **kw: Quantity(id="q", article="a", text="x", start=0, end=1, value=value, **kw)  # noqa: E731
    assert not compatible(q(37), q(41))
    assert compatible(q(37, low=37, high=None), q(41))  # "at least 37" allows 41
    assert compatible(q(None, low=24, high=99), q(41))  # "dozens"
    assert compatible(q(40, approximate=True), q(41))  # "about 40"
    assert counted_key(q(3, counted="people were killed")) == counted_key(q(4, counted="dead")) == "people killed"


def test_conflicting_death_tolls_listed_with_article_and_text(store):
    (story,) = _ingest(store, [_flood("f1", "River Post", "2026-03-02", n=37),
                               _flood("f2", "Valley Herald", "2026-03-02", n=41, extra_text=" Schools stayed closed.")])
    (conflict,) = [c for c in story.conflicts if c.kind == "number"]
    assert conflict.about == "people killed"
    assert {(v.value, v.article, v.text) for v in conflict.values} == {
        (37, "f1", "killing 37 people"), (41, "f2", "killing 41 people")}


def test_no_conflict_between_a_report_and_its_own_copy():
    a = _flood("w1", "Northgate Wire", "2026-03-02", n=37)
    b = _flood("w2", "Northgate Wire", "2026-03-02", n=41)  # same outlet correcting itself
    groups_of = {"w1": "w1", "w2": "w1"}
    assert number_conflicts(a.quantities + b.quantities, groups_of) == []


def test_denial_in_another_report_is_a_conflict():
    text_a = "Witnesses said soldiers fired on protesters outside the police station in Orvika."
    text_b = "The army denied that soldiers fired on protesters outside the police station."
    a = _analysis("a", "Shooting in Orvika", text_a, "River Post", "2026-03-02",
                  claims=[("soldiers fired on protesters outside the police station", "attack", {})])
    b = _analysis("b", "Army denies shooting", text_b, "Valley Herald", "2026-03-03",
                  claims=[("soldiers fired on protesters outside the police station", "attack", {"negated": True})])
    story = build_story("s", [a, b])
    (denial,) = [c for c in story.conflicts if c.kind == "denial"]
    assert {(v.value, v.article) for v in denial.values} == {("asserted", "a"), ("denied", "b")}


def test_snapshot_bullets_cite_every_supporting_report_and_keep_hedges():
    rain = ("the dam operator blamed heavy rain", "statement", {})
    hedge = ("Rescue boats searched flooded streets", "search", {"hedged": True, "hedges": ["reportedly"]})
    a = _flood("f1", "River Post", "2026-03-02", claims=[rain, hedge])
    b = _flood("f2", "Valley Herald", "2026-03-03", n=14, claims=[rain])
    b.article.text = b.article.text.replace("Rescue boats searched", "Rescue boats reportedly searched")
    b.claims.append(Claim(id="f2-h", article="f2", text="Rescue boats reportedly searched flooded streets",
                          start=b.article.text.index("Rescue boats reportedly"),
                          end=b.article.text.index("Rescue boats reportedly") + 48, predicate="search",
                          hedged=True, hedges=["reportedly"]))
    story = build_story("s", [a, b])
    assert 1 <= len(story.snapshot) <= 7
    # The clause alone is a fragment (lower-case opening), so the bullet quotes its whole sentence.
    (rain_bullet,) = [bl for bl in story.snapshot if "the dam operator blamed heavy rain" in bl.text]
    assert rain_bullet.text.startswith("Rescue boats searched") and rain_bullet.text.endswith("heavy rain.")
    assert rain_bullet.articles == ["f1", "f2"] and set(rain_bullet.claims) == {"f1-c0", "f2-c0"}
    assert rain_bullet.corroboration == 2
    hedged = [bl for bl in story.snapshot if bl.hedged]
    assert hedged and all("reportedly" in bl.text for bl in hedged)
    for bullet in story.snapshot:
        assert bullet.articles, "a bullet with no support is a bug"


def test_hedge_outside_the_clause_brings_in_the_whole_sentence():
    text = "According to unnamed sources, the minister will resign. Talks continue."
    a = _analysis("a", "Minister to go", text, "River Post", "2026-03-02",
                  claims=[("the minister will resign", "resign", {"hedged": True, "hedges": ["According to unnamed sources"]})])
    story = build_story("s", [a])
    assert story.snapshot[0].text == "According to unnamed sources, the minister will resign."


def test_story_without_claims_falls_back_to_cited_lead_sentences():
    story = build_story("s", [_flood("f1", "River Post", "2026-03-02")])
    assert story.snapshot[0].text.startswith("Floods swept through the river town of Orvika")
    assert story.snapshot[0].articles == ["f1"]


def test_timeline_orders_reports_and_dated_claims():
    a = _flood("f1", "River Post", "2026-03-03",
               claims=[("the dam operator blamed heavy rain", "statement", {"date": "2026-03-01"})])
    b = _flood("f2", "Valley Herald", "2026-03-02", n=14)
    story = build_story("s", [a, b])
    assert [(e.date, e.article, e.claim) for e in story.timeline] == [
        ("2026-03-01", "f1", "f1-c0"), ("2026-03-02", "f2", None), ("2026-03-03", "f1", None)]
    assert story.first_published == "2026-03-02" and story.last_published == "2026-03-03"


def test_render_story_shows_title_citations_conflicts_and_reports(store):
    (story,) = _ingest(store, [_flood("f1", "River Post", "2026-03-02", n=37),
                               _flood("f2", "Valley Herald", "2026-03-02", n=41, extra_text=" Schools \x1b[31mclosed.")])
    out = render_story(store.get_story(story.id), store)
    assert out.startswith("Orvika floods kill 37")
    assert "people killed" in out and "[1]" in out and "[2]" in out
    assert "River Post" in out and "Valley Herald" in out
    assert "\x1b" not in out  # article text cannot inject terminal escapes


def test_undated_article_takes_a_written_full_date_and_weeks_bucket_the_index():
    from datetime import date

    from wirewatch.stories.cluster import time_bucket
    from wirewatch.stories.features import date_in_text

    assert date_in_text("Updated: November 11, 2011 20:09 IST\nPirates were seized.") == date(2011, 11, 11)
    assert date_in_text("16 September 2013 Last updated at 12:42 GMT") == date(2013, 9, 16)
    assert date_in_text("He returned on Tuesday, in 2011.") is None
    assert time_bucket(date(2026, 3, 2)) == time_bucket(date(2026, 3, 8)) != time_bucket(date(2026, 3, 9))
    assert time_bucket(None) == "u"


def test_an_undated_report_still_finds_its_dated_story(store):
    _ingest(store, [_flood("f1", "River Post", "2026-03-02")])
    _ingest(store, [_flood("f2", "Valley Herald", None, n=14, extra_text=" Aid arrived.")])
    assert store.story_of_article("f1") == store.story_of_article("f2")


def test_shipped_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from wirewatch.stories.features import stop_words

    assert set(stop_words()) == set(ENGLISH_STOP_WORDS)
