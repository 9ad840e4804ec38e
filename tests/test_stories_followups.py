"""Stories: follow-ups days later in other words join their story on shared names and time (second pass)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from wirewatch.model import Geo
from wirewatch.resolve.linking import link_entities
from wirewatch.store import open_store
from wirewatch.stories import update_stories
from wirewatch.stories.cluster import ClusterParams, _centroid_update, local_match
from wirewatch.stories.features import DocFreq, article_features, raw_terms
from tests.test_stories_core import _analysis

QUAKE = ("An earthquake of magnitude 6.1 struck the hill town of Vardelo in Kessar district before dawn on "
         "Monday, collapsing a school and dozens of houses, district governor Ilse Marant said. The Sunfield "
         "Relief Society said its teams were pulling survivors from the rubble in Vardelo and nearby Lindow. "
         "Seismologist Tomas Brekke of the National Seismic Institute said the quake was shallow.")
FOLLOWUP = ("Two days after the earthquake, families in Vardelo are sleeping in tents on the football pitch as aftershocks rattle "
            "Kessar. Ilse Marant promised prefabricated classrooms before winter, while the Sunfield Relief Society "
            "appealed for blankets. Teacher Dario Venkel said pupils from Talvik and Ostrena walk two hours to "
            "lessons, and engineer Mira Oskarsen of the Highland Roads Agency warned that landslides still "
            "block the mountain road to Brenmoor.")
OTHER = ("A heatwave pushed temperatures past 41 degrees in the port city of Almerco on Wednesday, and the "
         "water utility run by Piet Danvers rationed supply to coastal suburbs for a third day.")
SHARED_NAMES = [("Vardelo", "place"), ("Kessar", "place"), ("Ilse Marant", "person"),
                ("Sunfield Relief Society", "organization")]
QUAKE_NAMES = SHARED_NAMES + [("Lindow", "place"), ("Tomas Brekke", "person"),
                              ("National Seismic Institute", "organization")]
FOLLOWUP_NAMES = SHARED_NAMES + [("Dario Venkel", "person"), ("Talvik", "place"), ("Ostrena", "place"),
                                ("Mira Oskarsen", "person"), ("Highland Roads Agency", "organization"),
                                ("Brenmoor", "place")]


def _geo(analysis, **ids):
    """Geocode the test places by hand (a town or district; the country is not a shared name)."""
    for entity in analysis.entities:
        if entity.name in ids:
            feature, gid = ids[entity.name]
            entity.geo = Geo(lat=0.0, lon=0.0, country="ZZ", gazetteer_id=gid, feature=feature)
    return analysis


def _quake(aid, outlet, day, text, title, names=QUAKE_NAMES):
    return _geo(_analysis(aid, title, text, outlet, day, names=names),
                Vardelo=("city", "g:1"), Kessar=("admin2", "g:2"), Almerco=("city", "g:9"))


RULE = replace(ClusterParams(), learned=False)  # the hand-weighted rule these tests describe
FIRST_PASS_ONLY = replace(RULE, local_shared=99)  # no story has 99 names: second pass off


def _stream(store, analyses, params=ClusterParams()):
    """Link, store and place articles one at a time, as the pipeline does."""
    for a in analyses:
        with store.transaction():
            link_entities([a], store)
            store.add_analysis(a)
            update_stories([a], store, params)


def _first():
    return _quake("q1", "Hill Gazette", "2026-04-06", QUAKE, "Quake collapses school in Vardelo")


def _followup(aid="q2", day="2026-04-08", text=FOLLOWUP):
    return _quake(aid, "Plains Daily", day, text, "Tents and aftershocks: life after the quake", names=FOLLOWUP_NAMES)


@pytest.mark.parametrize("params,joins", [(FIRST_PASS_ONLY, False), (RULE, True), (ClusterParams(), True)])
def test_follow_up_in_other_words_joins_on_shared_names_when_close_in_time(params, joins):
    """The follow-up scores under the join threshold (first pass alone splits it); the second pass places it."""
    with open_store(":memory:") as store:
        _stream(store, [_first(), _followup()], params)
        assert (store.story_of_article("q2") == store.story_of_article("q1")) is joins


@pytest.mark.parametrize("params,joins", [(RULE, False), (ClusterParams(), True)])
def test_follow_up_six_days_later(params, joins):
    """The rule's second pass stops at 3 days; the learned decision weighs the names against the gap and joins."""
    late = _followup("q3", "2026-04-12")  # six days after the story's last report
    with open_store(":memory:") as store:
        _stream(store, [_first(), late], params)
        assert (store.story_of_article("q3") == store.story_of_article("q1")) is joins


def test_same_kind_of_event_elsewhere_a_month_later_stays_apart():
    text = FOLLOWUP.replace("Vardelo", "Osterby").replace("Kessar", "Lunmark").replace("Ilse Marant", "Hedda Vos")
    other = _quake("q4", "Plains Daily", "2026-05-09", text, "Tents and aftershocks: life after the quake",
                   names=[(n.replace("Vardelo", "Osterby").replace("Kessar", "Lunmark").replace("Ilse Marant", "Hedda Vos"), t)
                          for n, t in FOLLOWUP_NAMES])
    with open_store(":memory:") as store:
        _stream(store, [_first(), other])
        assert store.story_of_article("q4") != store.story_of_article("q1")


def test_second_pass_needs_dates_shared_names_and_a_shared_place():
    """Shared names alone never decide: without a date, or without a common place, no second-pass join."""
    df = DocFreq()
    first, later = _first(), _followup()
    with open_store(":memory:") as store:  # global entity ids, as in the pipeline
        link_entities([first, later], store)
    for a in (first, later):
        df.add(raw_terms(a).keys())
    centroid = _centroid_update(None, article_features(first, df))
    features = article_features(later, df)
    params = ClusterParams()
    assert local_match(features, centroid, params, 0.2)
    assert not local_match(replace(features, day=None), centroid, params, 0.2)
    assert not local_match(features, centroid, params, 0.1)  # under the score floor
    two = replace(params, local_shared=2)
    no_place = replace(features, local=features.local - features.places.keys())  # still a person and an org
    assert len(no_place.local & centroid["local"].keys()) == 2
    assert not local_match(no_place, centroid, two, 0.2)


@pytest.mark.parametrize("params", [RULE, ClusterParams()])
def test_same_week_report_sharing_only_the_country_stays_apart(params):
    other = _quake("h1", "Coast Times", "2026-04-07", OTHER, "Almerco rations water in heatwave",
                   names=[("Almerco", "place"), ("Piet Danvers", "person")])
    with open_store(":memory:") as store:
        _stream(store, [_first(), other], params)
        assert store.story_of_article("h1") != store.story_of_article("q1")
