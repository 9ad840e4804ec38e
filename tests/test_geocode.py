"""Geocoding in context: variants, adjacency, priors, demonyms, NER-missed places and guards."""
from __future__ import annotations

import re

import pytest

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id
from wirewatch.resolve.geocode import geocode_analyses


def _analysis(make_article, text, spans, **meta):
    """An ArticleAnalysis whose entities are given as {(type, surface), ...}, every occurrence a mention."""
    article = make_article("Test report", text, **meta)
    entities = []
    for kind, surface in spans:
        mentions = [Mention(article.id, m.start(), m.end(), surface) for m in re.finditer(re.escape(surface), text)]
        assert mentions, surface
        entities.append(Entity(id=stable_id("e", article.id, kind, surface), name=surface, type=kind, mentions=mentions))
    return ArticleAnalysis(article=article, entities=entities)


def _place(analysis, name):
    return next(e for e in analysis.entities if e.type == "place" and e.name == name)


@pytest.mark.parametrize("spelling", ["Tartous", "Tartus", "Ţarţūs"])
def test_spellings_of_one_port_land_on_the_same_place(make_article, resources, spelling):
    text = f"Gunboats were seen off {spelling} on Sunday, residents of the port told reporters."
    a = _analysis(make_article, text, [("place", spelling)])
    geocode_analyses([a], resources)
    geo = _place(a, spelling).geo
    assert geo is not None and geo.country == "SY" and abs(geo.lat - 34.89) < 0.2 and abs(geo.lon - 35.89) < 0.2


def test_paris_next_to_texas_is_in_the_united_states(make_article, resources):
    a = _analysis(make_article, "Storms flooded streets in Paris, Texas, overnight.", [("place", "Paris"), ("place", "Texas")])
    geocode_analyses([a], resources)
    assert _place(a, "Paris").geo.country == "US"
    assert _place(a, "Texas").geo.feature == "admin1"


def test_paris_alone_is_the_french_capital(make_article, resources):
    a = _analysis(make_article, "Ministers met in Paris to discuss the grain corridor.", [("place", "Paris")])
    geocode_analyses([a], resources)
    geo = _place(a, "Paris").geo
    assert geo.country == "FR" and geo.feature == "capital"


def test_dateline_steers_an_ambiguous_city(make_article, resources):
    text = "PARIS, Texas — Officials in Paris said the water plant had reopened."
    a = _analysis(make_article, text, [("place", "Paris")])
    geocode_analyses([a], resources)
    assert _place(a, "Paris").geo.country == "US"


def test_countries_and_capitals_resolve(make_article, resources):
    text = "Syria asked Russia for help; envoys flew from Moscow to the coast."
    a = _analysis(make_article, text, [("place", "Syria"), ("place", "Russia"), ("place", "Moscow")])
    geocode_analyses([a], resources)
    assert _place(a, "Syria").geo.country == "SY" and _place(a, "Syria").geo.feature == "country"
    assert _place(a, "Russia").geo.country == "RU"
    assert _place(a, "Moscow").geo.country == "RU"


def test_demonym_group_gets_a_country_and_is_not_a_place(make_article, resources):
    text = "Syrian officials denied the report issued by the Varnel Institute."
    a = _analysis(make_article, text, [("group", "Syrian")])
    geocode_analyses([a], resources)
    group = next(e for e in a.entities if e.type == "group")
    assert group.country == "SY" and group.geo is None
    assert not [e for e in a.entities if e.type == "place"]


def test_common_words_are_not_places(make_article, resources):
    text = "Mobile phones were banned at the hearing. Reading the ruling aloud, the clerk paused. Nice weather helped."
    a = _analysis(make_article, text, [])
    geocode_analyses([a], resources)
    assert [e.name for e in a.entities if e.type == "place"] == []


def test_missed_places_are_found_with_exact_spans(make_article, resources):
    text = "Convoys left Aleppo before dawn and reached the outskirts of Homs by noon, said Dorvan Keel."
    a = _analysis(make_article, text, [("person", "Dorvan Keel")])
    geocode_analyses([a], resources)
    places = {e.name: e for e in a.entities if e.type == "place"}
    assert set(places) == {"Aleppo", "Homs"}
    for entity in places.values():
        assert entity.geo.country == "SY"
        for m in entity.mentions:
            assert text[m.start:m.end] == m.text
        assert entity.id == stable_id("e", a.article.id, "place", entity.name)


def test_person_names_and_titles_are_not_places(make_article, resources):
    text = "Gen. Aleppo spoke first. Later Damascus Brandt, an aide, met Marta Brandt and Brandt's lawyer."
    a = _analysis(make_article, text, [("person", "Marta Brandt")])
    geocode_analyses([a], resources)
    assert [e.name for e in a.entities if e.type == "place"] == []


def test_a_tiny_place_is_not_picked_for_a_name_alone(make_article, resources):
    # Several villages share this name: with no context the geocoder must not guess one.
    a = _analysis(make_article, "The council of Hennersdorf met on Friday.", [("place", "Hennersdorf")])
    geocode_analyses([a], resources)
    assert _place(a, "Hennersdorf").geo is None
    # The same name with its country in the article is credible.
    text = "The council of Hennersdorf met on Friday, the second such meeting in Austria this year."
    b = _analysis(make_article, text, [("place", "Hennersdorf"), ("place", "Austria")])
    geocode_analyses([b], resources)
    assert _place(b, "Hennersdorf").geo.country == "AT"


def test_article_countries_break_a_tie(make_article, resources):
    plain = _analysis(make_article, "Talks were held in Tripoli on Monday.", [("place", "Tripoli")])
    geocode_analyses([plain], resources)
    assert plain.entities[0].geo.country == "LY"
    text = "Talks were held in Tripoli on Monday, the second round hosted by Lebanon."
    steered = _analysis(make_article, text, [("place", "Tripoli"), ("place", "Lebanon")])
    geocode_analyses([steered], resources)
    assert _place(steered, "Tripoli").geo.country == "LB"


def test_story_context_breaks_a_tie(make_article, resources):
    text = "Flooding closed roads across Hyderabad on Monday."
    plain = _analysis(make_article, text, [("place", "Hyderabad")])
    geocode_analyses([plain], resources)
    steered = _analysis(make_article, text, [("place", "Hyderabad")])
    geocode_analyses([steered], resources, context={"countries": {"PK": 3}})
    assert plain.entities[0].geo.country == "IN"
    assert steered.entities[0].geo.country == "PK"


def test_place_named_organization_is_retyped(make_article, resources):
    a = _analysis(make_article, "Cyprus rejected the proposal.", [("organization", "Cyprus")])
    geocode_analyses([a], resources)
    assert a.entities[0].type == "place" and a.entities[0].geo.country == "CY"
