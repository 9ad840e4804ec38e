"""Stories merged after the fact: a bridging report folds two stories into the older; old ids keep working."""
from __future__ import annotations

import copy
import random
from dataclasses import replace

import pytest

from wirewatch.api.app import create_app
from wirewatch.errors import NotFoundError
from wirewatch.learned import LogisticModel
from wirewatch.resolve.linking import link_entities
from wirewatch.store import open_store
from wirewatch.stories import ClusterParams, update_stories
from wirewatch.stories.merge import merge_stories, surviving_story
from tests.test_stories_core import _analysis
from tests.test_stories_followups import _stream
from tests.webdata import call

# Two halves of one event with no content word in common, and a report that tells both.
HARBOUR = ("Dockers at the Pellmoor container harbour walked out over unpaid overtime, and cranes stood idle "
           "along the quay while shipping agents rerouted freighters northward.")
FERRY = ("Ferry passengers queued for hours at Quenwick terminal because ticket clerks joined a sympathy "
         "stoppage, leaving families stranded beside empty booths.")
BRIDGE = HARBOUR + " " + FERRY
# Joins when the term cosine reaches 0.3: enough to test merging mechanics without the shipped model.
TERMS_ONLY = LogisticModel(features=["terms"], mean=[0.0], scale=[1.0], coef=[40.0], intercept=-12.0)
BY_TERMS = replace(ClusterParams(), model=TERMS_ONLY, join_probability=0.5, bridge_probability=0.5)


def _three():
    return [_analysis("h1", "Pellmoor dockers strike", HARBOUR, "Quay Post", None),
            _analysis("f1", "Quenwick ferry queues", FERRY, "Ferry News", None),
            _analysis("b1", "Port and ferry stoppages spread", BRIDGE, "Wire", None)]


def test_a_bridging_report_merges_two_stories_into_the_older():
    store = open_store(":memory:")
    harbour, ferry, bridge = _three()
    _stream(store, [harbour, ferry], BY_TERMS)
    older, newer = store.story_of_article("h1"), store.story_of_article("f1")
    assert older != newer  # nothing in common: two stories
    _stream(store, [bridge], BY_TERMS)
    stories = store.list_stories()
    assert len(stories) == 1
    assert stories[0].id == older and set(stories[0].articles) == {"h1", "f1", "b1"}
    assert {store.story_of_article(a) for a in ("h1", "f1", "b1")} == {older}
    with pytest.raises(NotFoundError):
        store.get_story(newer)
    assert store.resolve_story(newer) == older and store.resolve_story(older) is None
    assert surviving_story(store, newer).id == older
    assert set(stories[0].outlets) == {"Quay Post", "Ferry News", "Wire"}


def test_merged_ids_keep_working_in_the_api_and_the_web(tmp_path):
    path = str(tmp_path / "merge.db")
    store = open_store(path)
    _stream(store, _three(), BY_TERMS)
    survivor = store.story_of_article("h1")
    gone = [s for s in _story_ids_created(store) if s != survivor]
    store.close()
    app = create_app(path)
    assert gone
    r = call(app, "GET", f"/api/stories/{gone[0]}")
    assert r.status_code == 200 and r.json()["id"] == survivor
    page = call(app, "GET", f"/stories/{gone[0]}")
    assert page.status_code == 301 and page.headers["location"] == f"/stories/{survivor}"
    assert call(app, "GET", f"/stories/{survivor}").status_code == 200
    assert call(app, "GET", "/api/stories/never-existed").status_code == 404


def _story_ids_created(store):
    """Every story id ever started: the stable id of each article's story when it was the first."""
    from wirewatch.model import stable_id

    return [stable_id("s", a) for a in ("h1", "f1", "b1") if store.get_state(f"story:{stable_id('s', a)}")]


def test_merge_chains_resolve_to_the_last_survivor():
    store = open_store(":memory:")
    for sid, born in (("sa", 1), ("sb", 2), ("sc", 3)):
        store.set_state(f"story:{sid}", {"n": 1, "born": born, "terms": {sid: 1.0}, "first": None, "last": None})
    assert merge_stories(["sc", "sb"], store) == "sb"
    assert merge_stories(["sb", "sa"], store) == "sa"
    assert store.resolve_story("sc") == "sa" and store.resolve_story("sb") == "sa"
    assert store.get_state("story:sa")["n"] == 3


def _partition(store, ids):
    groups = {}
    for aid in ids:
        groups.setdefault(store.story_of_article(aid), set()).add(aid)
    return sorted(sorted(g) for g in groups.values())


QUAKE = ("An earthquake of magnitude {m} struck the hill town of {town} before dawn on Monday, collapsing a school "
         "and dozens of houses, district governor {gov} said. The {org} said its teams were pulling survivors "
         "from the rubble in {town}. {extra}")
EVENTS = {
    "vardelo": dict(m="6.1", town="Vardelo", gov="Ilse Marant", org="Sunfield Relief Society", day="2026-04-06"),
    "kostrava": dict(m="5.4", town="Kostrava", gov="Piet Danvers", org="Northgate Aid Union", day="2026-05-19"),
}
STRIKE = ("Workers at the Korvane Motors plant in {town} stopped the assembly lines on {day_name} after the company "
          "announced {n} job cuts, union leader {leader} of the {union} said. {extra}")
EXTRAS = ["Residents gathered outside the town hall.", "Officials promised an inquiry within a week.",
          "Rain hampered the efforts through the afternoon."]


def _invented():
    out = []
    for key, ev in EVENTS.items():
        for i, extra in enumerate(EXTRAS):
            text = QUAKE.format(extra=extra, **ev)
            names = [(ev["town"], "place"), (ev["gov"], "person"), (ev["org"], "organization")]
            out.append(_analysis(f"{key}{i}", f"Quake hits {ev['town']}", text, f"Outlet {i}",
                                 f"{ev['day']}T0{i}:00:00Z", names=names))
    for i, (n, extra) in enumerate(zip(("1,500", "2,000", "1,500"), EXTRAS)):
        text = STRIKE.format(town="Halden", day_name="Tuesday", n=n, leader="Mara Stoyen", union="Metalworkers Union",
                             extra=extra)
        names = [("Halden", "place"), ("Mara Stoyen", "person"), ("Korvane Motors", "organization"),
                 ("Metalworkers Union", "organization")]
        out.append(_analysis(f"layoff{i}", "Korvane Motors to cut jobs in Halden", text, f"Paper {i}",
                             f"2026-06-0{2 + i % 2}T09:00:00Z", names=names))
    return out


def test_invented_reports_end_in_the_same_partition_in_any_order():
    base = _invented()
    ids = [a.article.id for a in base]
    store = open_store(":memory:")
    batch = copy.deepcopy(base)
    with store.transaction():  # everything at once, in one batch
        link_entities(batch, store)
        for a in batch:
            store.add_analysis(a)
        update_stories(batch, store)
    expected = _partition(store, ids)
    assert expected == [sorted(i for i in ids if i.startswith(k)) for k in ("kostrava", "layoff", "vardelo")]
    _assert_same_in_shuffled_orders(base, ids, expected, 5)


def _assert_same_in_shuffled_orders(analyses, ids, expected, orders):
    for seed in range(orders):
        order = copy.deepcopy(analyses)
        random.Random(seed).shuffle(order)
        store = open_store(":memory:")
        _stream(store, order)
        assert _partition(store, ids) == expected, seed


@pytest.fixture(scope="module")
def sample_analyses(resources):
    from tests.conftest import SAMPLES
    from wirewatch.ingest import expand_paths, read_path
    from wirewatch.model import Article
    from wirewatch.pipeline import extract_guarded

    if not (SAMPLES / "MANIFEST.json").exists():
        pytest.skip("sample corpus not present")
    articles = [a for p in expand_paths([str(SAMPLES)]) for a in read_path(p) if isinstance(a, Article)]
    return extract_guarded(articles, resources)[0]


def test_sample_corpus_partition_is_the_same_in_shuffled_orders(sample_analyses):
    import json

    from tests.conftest import SAMPLES
    from wirewatch.pipeline import Wirewatch

    gold_of = {m["title"].strip(): m["story"] for m in json.loads((SAMPLES / "MANIFEST.json").read_text("utf-8"))}
    ids = [a.article.id for a in sample_analyses]
    gold = {}
    for a in sample_analyses:
        gold.setdefault(gold_of[a.article.title.strip()], set()).add(a.article.id)
    expected = sorted(sorted(g) for g in gold.values())
    with Wirewatch(":memory:") as ww:  # everything at once, through the pipeline
        ww.ingest([str(SAMPLES)])
        assert _partition(ww.store, ids) == expected
    _assert_same_in_shuffled_orders(sample_analyses, ids, expected, 3)
