"""The trained candidate ranker: its features, the shipped model, and choices it makes in context."""
from __future__ import annotations

from wirewatch.resolve.gazetteer import Place
from wirewatch.resolve.geocode import geocode_analyses, preselect
from wirewatch.resolve.place_features import FEATURES, RankContext, candidate_features
from wirewatch.resolve.place_ranker import accept_threshold, rank, ranker

from tests.geo_helpers import analysis_with


def _analysis(make_article, text, places):
    return analysis_with(make_article, text, [("place", p) for p in places], title="Ranker test")


def _geo(analysis, name):
    return next(e.geo for e in analysis.entities if e.type == "place" and e.name == name)


def _place(gid, name, country, feature="city", population=10_000, lat=0.0, lon=0.0, admin1=None):
    return Place(gid, name, lat, lon, country, feature, population, admin1)


def test_the_shipped_model_and_the_feature_function_agree_on_columns():
    model = ranker()
    assert model.features == FEATURES
    assert 0.0 < accept_threshold(False) <= accept_threshold(True) < 1.0
    assert model.meta.get("trained_on", "").startswith("LGL")


def test_features_read_qualifiers_context_and_name_match():
    texas = _place(1, "Texas", "US", "admin1", 29_000_000, 31.0, -99.0, "TX")
    paris_fr = _place(2, "Paris", "FR", "capital", 2_100_000, 48.85, 2.35, "11")
    paris_tx = _place(3, "Paris", "US", "city", 25_000, 33.66, -95.55, "TX")
    ctx = RankContext(qualifiers=[texas], article_countries={"US": 2})
    fr, tx = candidate_features([paris_fr, paris_tx], "Paris", ctx)
    assert tx["qualifier_contains"] == 1.0 and fr["qualifier_conflict"] == 1.0
    assert tx["article_country"] > 0 and fr["article_country"] == 0
    assert fr["name_exact"] == 1.0 and fr["pop_rank0"] == 1.0 and tx["pop_gap"] > 1.5
    abbreviation = candidate_features([texas], "TX", RankContext())[0]
    assert abbreviation["name_abbreviation"] == 1.0


def test_other_places_readings_pull_a_town_towards_them():
    near = _place(1, "Decatur", "US", lat=34.6, lon=-86.98)
    far = _place(2, "Decatur", "US", lat=39.84, lon=-88.95, population=70_000)
    ctx = RankContext(other_points=[[(34.73, -86.59), (45.0, -120.0)], [(33.52, -86.80)]])
    near_row, far_row = candidate_features([near, far], "Decatur", ctx)
    assert near_row["near_readings_share"] == 1.0 and far_row["near_readings_share"] == 0.0
    assert near_row["log_min_reading_km"] < far_row["log_min_reading_km"]


def test_ranking_follows_the_qualifier_over_size():
    # preselect sets the hand-set score, one of the ranker's features, as at run time
    texas = _place(1, "Texas", "US", "admin1", 29_000_000, 31.0, -99.0, "TX")
    paris_fr = _place(2, "Paris", "FR", "capital", 2_100_000, 48.85, 2.35, "11")
    paris_tx = _place(3, "Paris", "US", "city", 25_000, 33.66, -95.55, "TX")
    plain, with_texas = RankContext(), RankContext(qualifiers=[texas], article_countries={"US": 1})
    alone = rank(preselect([paris_fr, paris_tx], "Paris", plain), "Paris", plain)
    qualified = rank(preselect([paris_fr, paris_tx], "Paris", with_texas), "Paris", with_texas)
    assert alone[0][1].country == "FR"
    assert qualified[0][1].country == "US"
    assert all(0.0 <= p <= 1.0 for p, _ in alone + qualified)


def test_a_small_town_follows_the_towns_around_it(make_article, resources):
    text = ("Tornado sirens sounded across north Alabama on Tuesday. Crews from Huntsville and Athens "
            "cleared trees in Decatur, and schools in Madison stayed shut, Alabama officials said.")
    a = _analysis(make_article, text, ["Alabama", "Huntsville", "Athens", "Decatur", "Madison"])
    geocode_analyses([a], resources)
    for name in ("Athens", "Decatur", "Madison"):
        geo = _geo(a, name)
        assert geo is not None and geo.country == "US" and 33.5 < geo.lat < 35.5 and -88.5 < geo.lon < -85.5, name


def test_the_same_name_goes_abroad_with_its_country(make_article, resources):
    text = "Thousands marched in Athens on Sunday against the new pension law, Greek unions said, as Greece's parliament met."
    a = _analysis(make_article, text, ["Athens", "Greece"])
    geocode_analyses([a], resources)
    assert _geo(a, "Athens").country == "GR"


def test_geo_score_is_the_rankers_probability(make_article, resources):
    a = _analysis(make_article, "Ministers met in Nairobi and Mombasa to discuss the drought in Kenya.",
                  ["Nairobi", "Mombasa", "Kenya"])
    geocode_analyses([a], resources)
    for name in ("Nairobi", "Mombasa", "Kenya"):
        geo = _geo(a, name)
        assert geo.country == "KE" and 0.0 < geo.score <= 1.0 and geo.literal and not geo.approximate
