"""Geocoding in context: variants, adjacency, priors, demonyms, NER-missed places and guards."""
from __future__ import annotations

import pytest

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id
from wirewatch.resolve.geocode import geocode_analyses

from tests.geo_helpers import analysis_with


def _analysis(make_article, text, spans, **meta):
    return analysis_with(make_article, text, spans, **meta)


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
    text = ("Talks were held in Tripoli on Monday. Lebanon's army deployed around the port, "
            "and Beirut sent ministers north.")
    steered = _analysis(make_article, text, [("place", "Tripoli"), ("place", "Lebanon"), ("place", "Beirut")])
    geocode_analyses([steered], resources)
    assert _place(steered, "Tripoli").geo.country == "LB"


def test_nearby_places_break_a_tie(make_article, resources):
    # The ranker learned that a country named elsewhere is weak evidence on its own (in LGL and
    # GeoVirus the largest namesake is often still right); another place nearby is strong.
    plain = _analysis(make_article, "Flooding closed roads across Hyderabad on Monday.", [("place", "Hyderabad")])
    geocode_analyses([plain], resources)
    text = "Flooding closed roads across Hyderabad on Monday, and rain was forecast for Karachi."
    steered = _analysis(make_article, text, [("place", "Hyderabad"), ("place", "Karachi")])
    geocode_analyses([steered], resources)
    assert plain.entities[0].geo.country == "IN"
    assert _place(steered, "Hyderabad").geo.country == "PK"


def test_place_named_organization_is_retyped(make_article, resources):
    a = _analysis(make_article, "Cyprus rejected the proposal.", [("organization", "Cyprus")])
    geocode_analyses([a], resources)
    assert a.entities[0].type == "place" and a.entities[0].geo.country == "CY"


def test_dateline_cut_at_the_abbreviation_dot_is_joined(make_article, resources):
    # The NER splits "ST. LOUIS" at the dot; "ST" alone must not become a town named "ST".
    text = "ST. LOUIS — Firefighters in the city put out a warehouse blaze on Monday."
    a = _analysis(make_article, text, [("place", "ST"), ("place", "LOUIS")])
    geocode_analyses([a], resources)
    places = [e for e in a.entities if e.type == "place"]
    assert [e.name for e in places] == ["ST. LOUIS"]
    geo = places[0].geo
    assert geo.country == "US" and abs(geo.lat - 38.6) < 0.3
    assert (places[0].mentions[0].start, places[0].mentions[0].end) == (0, 9)


def test_new_york_is_the_city_unless_the_state_is_named(make_article, resources):
    a = _analysis(make_article, "Tenants in New York marched on Tuesday.", [("place", "New York")])
    geocode_analyses([a], resources)
    assert _place(a, "New York").geo.feature == "city" and abs(_place(a, "New York").geo.lat - 40.7) < 0.2
    b = _analysis(make_article, "Farmers in New York State marched on Tuesday.", [("place", "New York State")])
    geocode_analyses([b], resources)
    assert _place(b, "New York State").geo.feature == "admin1"


def test_a_governorate_named_after_its_city_yields_to_the_city(make_article, resources):
    a = _analysis(make_article, "Shelling resumed in Aleppo overnight.", [("place", "Aleppo")])
    geocode_analyses([a], resources)
    assert _place(a, "Aleppo").geo.feature == "city"


@pytest.mark.parametrize(("name", "country"), [("Rajasthan", "IN"), ("British Columbia", "CA"), ("Limpopo", "ZA"),
                                               ("North Darfur", "SD")])
def test_provinces_outside_the_us_are_geocoded(make_article, resources, name, country):
    a = _analysis(make_article, f"Heavy rain flooded farms across {name} this week, the agency said.", [("place", name)])
    geocode_analyses([a], resources)
    geo = _place(a, name).geo
    assert geo is not None and geo.country == country and geo.feature == "admin1"


def test_oaxaca_state_names_the_region(make_article, resources):
    a = _analysis(make_article, "An earthquake shook Oaxaca State on Friday.", [("place", "Oaxaca State")])
    geocode_analyses([a], resources)
    assert _place(a, "Oaxaca State").geo.feature == "admin1" and _place(a, "Oaxaca State").geo.country == "MX"


def test_a_generic_region_name_needs_its_country(make_article, resources):
    # "West Coast" is a New Zealand region, but nothing here says New Zealand.
    a = _analysis(make_article, "Storms battered the West Coast on Monday.", [("place", "West Coast")])
    geocode_analyses([a], resources)
    assert _place(a, "West Coast").geo is None


def test_contractions_titles_and_codes_are_not_places(make_article, resources):
    text = "I'd rather wait, Ms Varga told the Sen committee. I'll call the IoT team."
    a = _analysis(make_article, text, [])
    geocode_analyses([a], resources)
    assert [e.name for e in a.entities if e.type == "place"] == []


def test_acronym_place_is_found_although_us_is_a_word(make_article, resources):
    text = "The US and its partners asked us to wait, a spokesman for Halden Varn said."
    a = _analysis(make_article, text, [("person", "Halden Varn")])
    geocode_analyses([a], resources)
    assert _place(a, "US").geo.country == "US"


@pytest.mark.parametrize(("text", "name", "country"), [
    ("PLEASANTON, Calif.--(Wire)-- A maker of cold-chain sensors said on Monday it had raised funds.", "PLEASANTON", "US"),
    ("Muscat: The third edition of the book fair closed on Sunday.", "Muscat", "OM"),
    ("A PARANAQUE court on Friday sentenced five men for smuggling.", "PARANAQUE", "PH"),
])
def test_datelines_and_capitalized_towns_the_ner_missed(make_article, resources, text, name, country):
    a = _analysis(make_article, text, [])
    geocode_analyses([a], resources)
    assert _place(a, name).geo.country == country


def test_town_tagged_as_an_organization_is_a_place_after_in(make_article, resources):
    text = "Doctors in Montpellier said the patient was stable. France has three such units. Renvale said profits rose."
    a = _analysis(make_article, text, [("organization", "Montpellier"), ("place", "France"), ("organization", "Renvale")])
    geocode_analyses([a], resources)
    assert _place(a, "Montpellier").geo.country == "FR"
    # An organization that is never written as a place stays one.
    b = _analysis(make_article, "Toyota said profits rose in Japan.", [("organization", "Toyota"), ("place", "Japan")])
    geocode_analyses([b], resources)
    assert next(e for e in b.entities if e.name == "Toyota").type == "organization"


def test_glued_place_names_are_split_and_streets_are_not(make_article, resources):
    text = "Ministers from Greece Italy met; trade across Asia-Pacific slowed. Barges sailed the Mississippi River."
    a = _analysis(make_article, text, [("place", "Greece Italy"), ("place", "Asia-Pacific"), ("place", "Mississippi River")])
    geocode_analyses([a], resources)
    places = {e.name: e for e in a.entities if e.type == "place"}
    assert {"Greece", "Italy", "Asia", "Pacific", "Mississippi River"} <= set(places)
    assert "Greece Italy" not in places and places["Italy"].geo.country == "IT"
    italy = places["Italy"].mentions[0]
    assert text[italy.start:italy.end] == "Italy"
    assert places["Mississippi River"].geo is None  # a river, not the state


def test_a_region_named_in_the_article_steers_a_town(make_article, resources):
    plain = _analysis(make_article, "Officials in Springfield said the budget passed.", [("place", "Springfield")])
    geocode_analyses([plain], resources)
    text = "Officials in Springfield said the budget passed. Lawmakers across Illinois cheered."
    steered = _analysis(make_article, text, [("place", "Springfield"), ("place", "Illinois")])
    geocode_analyses([steered], resources)
    assert plain.entities[0].geo.gazetteer_id != _place(steered, "Springfield").geo.gazetteer_id
    assert _place(steered, "Springfield").geo.country == "US" and abs(_place(steered, "Springfield").geo.lat - 39.8) < 0.3


def test_a_small_town_is_found_in_a_region_the_article_names(make_article, resources):
    text = "Storms hit Riverdale overnight, and crews in Riverdale worked until dawn. New Jersey declared an emergency."
    a = _analysis(make_article, text, [("place", "New Jersey")])
    geocode_analyses([a], resources)
    riverdale = _place(a, "Riverdale")
    assert riverdale.geo.country == "US" and len(riverdale.mentions) == 2
    assert abs(riverdale.geo.lat - 41.0) < 0.2  # the New Jersey one, not Georgia's larger Riverdale
    # Without the region, a town this small is not taken from capitalization alone.
    b = _analysis(make_article, "Storms hit Riverdale overnight.", [])
    geocode_analyses([b], resources)
    assert not [e for e in b.entities if e.type == "place"]


def test_further_mentions_join_an_ner_place_despite_a_mistagged_person(make_article, resources):
    text = "Tickets sold in Brisbane won. Staff at Brisbane Fuel Stop cheered; Brisbane is quiet, Mara Oduya said."
    article = make_article("Test report", text)
    first = text.index("Brisbane")
    place = Entity(id="p1", name="Brisbane", type="place", mentions=[Mention(article.id, first, first + 8, "Brisbane")])
    glued = text.index("Brisbane Fuel Stop")
    person = Entity(id="p2", name="Brisbane Fuel Stop", type="person",
                    mentions=[Mention(article.id, glued, glued + 18, "Brisbane Fuel Stop")])
    mara = text.index("Mara Oduya")
    other = Entity(id="p3", name="Mara Oduya", type="person", mentions=[Mention(article.id, mara, mara + 10, "Mara Oduya")])
    a = ArticleAnalysis(article=article, entities=[place, person, other])
    geocode_analyses([a], resources)
    assert [m.start for m in place.mentions] == [first, text.index("Brisbane is")]
    assert place.geo.country == "AU"


def test_a_county_takes_its_state_from_the_qualifier(make_article, resources):
    # Not the most populous Orange County (California's): the qualifier decides.
    text = "Floods closed roads in Orange County, N.Y., on Monday, forcing evacuations."
    a = _analysis(make_article, text, [("place", "Orange County"), ("place", "N.Y.")])
    geocode_analyses([a], resources)
    geo = _place(a, "Orange County").geo
    assert geo.feature == "admin2" and geo.country == "US" and abs(geo.lat - 41.4) < 0.4


def test_a_town_in_the_article_puts_its_region_in_context(make_article, resources):
    plain = _analysis(make_article, "Police in Suffolk County searched the dunes.", [("place", "Suffolk County")])
    geocode_analyses([plain], resources)
    text = "Police in Suffolk County searched the dunes; detectives from Albany joined them."
    steered = _analysis(make_article, text, [("place", "Suffolk County"), ("place", "Albany")])
    geocode_analyses([steered], resources)
    geo = _place(steered, "Suffolk County").geo
    assert geo.feature == "admin2" and abs(geo.lat - 40.8) < 0.3  # Long Island, New York
    assert plain.entities[0].geo.gazetteer_id != geo.gazetteer_id


@pytest.mark.parametrize(("text", "inner", "longer", "country"), [
    ("Relief flights reached the U.S. Virgin Islands on Friday.", "U.S.", "U.S. Virgin Islands", "VI"),
    ("Fighting spread across South Sudan this week.", "Sudan", "South Sudan", "SS"),
])
def test_a_place_inside_a_longer_place_name_is_widened(make_article, resources, text, inner, longer, country):
    a = _analysis(make_article, text, [("place", inner)])
    geocode_analyses([a], resources)
    assert [e.name for e in a.entities if e.type == "place"] == [longer]
    assert _place(a, longer).geo.country == country
    m = _place(a, longer).mentions[0]
    assert text[m.start:m.end] == longer


def test_the_same_place_named_otherwise_in_the_article_decides(make_article, resources):
    plain = _analysis(make_article, "Farmers across Washington lost crops to the frost.", [("place", "Washington")])
    geocode_analyses([plain], resources)
    assert plain.entities[0].geo.country == "US"  # the capital or the state: the corpora disagree
    text = "Farmers across Washington lost crops to the frost, growers in Yakima, Wash., said."
    steered = _analysis(make_article, text, [("place", "Washington"), ("place", "Yakima"), ("place", "Wash.")])
    geocode_analyses([steered], resources)
    geo = _place(steered, "Washington").geo
    assert geo.feature == "admin1" and geo.country == "US" and geo.lon < -115


def test_a_qualified_mention_of_another_place_splits_off(make_article, resources):
    text = ("Farmers across Washington lost crops, growers in Yakima, Wash., said. "
            "Officials in Washington, D.C., promised aid to Washington growers.")
    a = _analysis(make_article, text, [("place", "Washington"), ("place", "Yakima"), ("place", "Wash."), ("place", "D.C.")])
    geocode_analyses([a], resources)
    washingtons = [e for e in a.entities if e.type == "place" and e.name == "Washington"]
    assert len(washingtons) == 2 and len({e.id for e in washingtons}) == 2
    by_feature = {e.geo.feature: e for e in washingtons}
    assert set(by_feature) == {"admin1", "capital"}
    (capital_mention,) = by_feature["capital"].mentions
    assert text[capital_mention.end:capital_mention.end + 6] == ", D.C."
    assert len(by_feature["admin1"].mentions) == 2


def test_a_possessive_names_the_place_itself(make_article, resources):
    text = "Peru's environment agency fined the operator; Peru has seen three spills."
    a = _analysis(make_article, text, [("place", "Peru's"), ("place", "Peru")])
    geocode_analyses([a], resources)
    assert _place(a, "Peru's").geo.country == "PE"


def test_possessive_is_not_a_longer_place_name(resources):
    from wirewatch.extract import extract_batch
    from wirewatch.model import Article

    text = "Oil fouled a river in Peru's Loreto region. Officials in Peru said the spill was large. Peru's government said so."
    [analysis] = list(extract_batch([Article(id="a-poss", title="Spill", text=text)], resources))
    geocode_analyses([analysis], resources)
    names = {e.name for e in analysis.entities if e.type == "place"}
    assert "Peru" in names and not any(n.endswith("'s") for n in names)


def test_a_town_the_ner_called_an_organization_is_placed_by_its_neighbours(make_article, resources):
    text = ("Traffic backed up for miles between Manassas and Centreville after the crash, and drivers in "
            "Centreville waited two hours.")
    a = _analysis(make_article, text, [("place", "Manassas"), ("organization", "Centreville")])
    geocode_analyses([a], resources)
    town = next(e for e in a.entities if e.name == "Centreville")
    assert town.type == "place" and town.geo.country == "US" and abs(town.geo.lat - 38.84) < 0.3


def test_a_company_named_after_a_nearby_town_stays_a_company(make_article, resources):
    text = "Toyota said output at its plants around Nagoya would resume on Monday; Toyota shares rose."
    a = _analysis(make_article, text, [("organization", "Toyota"), ("place", "Nagoya")])
    geocode_analyses([a], resources)
    company = next(e for e in a.entities if e.name == "Toyota")
    assert company.type == "organization" and company.geo is None
