"""Pair features of the learned linker: name similarity, context, co-occurrence, bounded profiles."""
from __future__ import annotations

import pytest

from wirewatch.resolve.link_features import (
    FEATURES, MAX_NAMES, MAX_TERMS, Mention, Profile, jaro_winkler, pair_features, update_profile,
)


def _mention(*names, family="person", etype="person", terms=None, neighbours=(), roles=(), gaz=None):
    return Mention(names=list(names), family=family, type=etype, gaz=gaz, roles=list(roles),
                   terms=dict(terms or {}), neighbours=set(neighbours))


def _profile(*names, family="person", **kw):
    profile = Profile(id="E1", family=family)
    update_profile(profile, _mention(*names, family=family, etype=kw.pop("etype", family), **kw))
    return profile


def test_jaro_winkler_ranks_a_misspelling_above_a_different_name():
    assert jaro_winkler("duncan rait", "duncan rait") == 1.0
    assert jaro_winkler("duncan raite", "duncan rait") > 0.95
    assert jaro_winkler("duncan rait", "hugh jackman") < 0.6
    assert jaro_winkler("", "x") == 0.0
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.961, abs=0.001)  # the textbook example


def test_name_features_for_surname_initial_acronym_and_clashing_given_names():
    surname = pair_features(_mention("cheeks"), _profile("maurice cheeks"), 1, False)
    assert surname["surname_only"] == 1.0 and surname["last_equal"] == 1.0 and surname["exact"] == 0.0
    initial = pair_features(_mention("m cheeks"), _profile("maurice cheeks"), 1, False)
    assert initial["given"] == 1.0
    clash = pair_features(_mention("hafez makhlouf"), _profile("rami makhlouf"), 1, False)
    assert clash["given"] == -1.0
    acronym = pair_features(_mention("ama", family="org", etype="organization"),
                            _profile("american medical association", family="org"), 1, False)
    assert acronym["acronym"] == 1.0
    assert set(surname) == set(FEATURES)


def test_context_and_cooccurrence_follow_the_report_the_entity_was_seen_in():
    known = _profile("ahmed", terms={"flood": 0.8, "dam": 0.6}, neighbours={"place:sennar"})
    same_story = pair_features(_mention("ahmed", terms={"flood": 0.7, "dam": 0.7}, neighbours={"place:sennar"}),
                               known, 1, False)
    other_story = pair_features(_mention("ahmed", terms={"election": 0.9, "ballot": 0.4}, neighbours={"org:fifa"}),
                                known, 1, False)
    assert same_story["context"] > 0.9 and other_story["context"] == 0.0
    assert same_story["cooccur_frac"] == 1.0 and other_story["cooccur_frac"] == 0.0


def test_places_with_different_gazetteer_ids_are_flagged():
    paris_fr = _profile("paris", family="place", gaz="2988507")
    feats = pair_features(_mention("paris", family="place", etype="place", gaz="4717560"), paris_fr, 1, False)
    assert feats["gaz_diff"] == 1.0 and feats["gaz_same"] == 0.0


def test_profiles_stay_bounded_however_often_an_entity_is_seen():
    profile = Profile(id="E1", family="person")
    for i in range(200):
        update_profile(profile, _mention(f"name {i}", terms={f"t{i}": 1.0, "common": 1.0}, neighbours={f"n{i}"}))
    assert len(profile.names) == MAX_NAMES and len(profile.terms) == MAX_TERMS
    assert "common" in profile.terms and profile.docs == 200
    restored = Profile.from_state("E1", profile.to_state())
    assert restored.names == profile.names and restored.docs == 200
