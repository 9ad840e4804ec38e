"""Streets, buildings and facilities are placed at their town, approximately; institutions as actors are not."""
from __future__ import annotations

from wirewatch.resolve.facilities import facility_head
from wirewatch.resolve.geocode import geocode_analyses

from tests.geo_helpers import analysis_with


def _analysis(make_article, text, spans):
    return analysis_with(make_article, text, spans, title="Facility test")


def _entity(analysis, name):
    return next(e for e in analysis.entities if e.name == name)


def test_facility_heads():
    assert facility_head("Port of Rotterdam") == "port"
    assert facility_head("Dulles International Airport") == "airport"
    assert facility_head("Hoover Dam") == "dam"
    assert facility_head("Royal Street") == "street"
    assert facility_head("Airport") is None  # one word is never a facility
    assert facility_head("Rotterdam") is None


def test_port_of_rotterdam_is_at_rotterdam(make_article, resources):
    text = "Dockers at the Port of Rotterdam walked out on Monday, halting container traffic for a day."
    a = _analysis(make_article, text, [("place", "Port of Rotterdam")])
    geocode_analyses([a], resources)
    geo = _entity(a, "Port of Rotterdam").geo
    assert geo is not None and geo.country == "NL" and geo.feature == "facility" and geo.approximate
    assert abs(geo.lat - 51.92) < 0.2 and abs(geo.lon - 4.48) < 0.3


def test_a_dam_and_a_power_plant_named_after_a_city(make_article, resources):
    text = ("Engineers inspected the Mosul Dam after the floods, and the Kharkiv power plant, shelled twice "
            "this month, lost its last line, officials in Iraq and Ukraine said.")
    a = _analysis(make_article, text, [("place", "Mosul Dam"), ("place", "Iraq"), ("place", "Ukraine")])
    geocode_analyses([a], resources)
    dam = _entity(a, "Mosul Dam").geo
    assert dam.country == "IQ" and dam.feature == "facility" and abs(dam.lat - 36.3) < 0.5


def test_a_street_with_its_city_is_at_that_city(make_article, resources):
    text = ("Police closed Magnolia Street in Charleston, West Virginia, after the water main broke. "
            "Magnolia Street reopened on Friday.")
    a = _analysis(make_article, text, [("organization", "Magnolia Street"), ("place", "Charleston"),
                                       ("place", "West Virginia")])
    geocode_analyses([a], resources)
    street = _entity(a, "Magnolia Street")
    assert street.type == "place" and street.geo.approximate and street.geo.feature == "facility"
    assert street.geo.country == "US" and abs(street.geo.lat - 38.35) < 0.3


def test_a_street_named_after_a_town_is_not_in_that_town(make_article, resources):
    text = "HOUSTON — A car hit a cyclist on Dallas Avenue near downtown Houston late on Saturday, police said."
    a = _analysis(make_article, text, [("place", "Dallas Avenue"), ("place", "Houston")])
    geocode_analyses([a], resources)
    geo = _entity(a, "Dallas Avenue").geo
    assert geo is not None and abs(geo.lat - 29.76) < 0.3 and abs(geo.lon + 95.37) < 0.3  # Houston, not Dallas


def test_a_university_speaking_stays_an_organization(make_article, resources):
    text = "Cornell University said on Monday it would cut tuition, a move students in Ithaca welcomed."
    a = _analysis(make_article, text, [("organization", "Cornell University"), ("place", "Ithaca")])
    geocode_analyses([a], resources)
    university = _entity(a, "Cornell University")
    assert university.type == "organization" and university.geo is None


def test_a_hospital_written_as_a_place_is_placed(make_article, resources):
    text = "The boy was flown to Leeds General Infirmary Hospital, and later moved to a clinic in Leeds."
    a = _analysis(make_article, text, [("organization", "Leeds General Infirmary Hospital"), ("place", "Leeds")])
    geocode_analyses([a], resources)
    hospital = _entity(a, "Leeds General Infirmary Hospital")
    assert hospital.type == "place" and hospital.geo.country == "GB" and hospital.geo.approximate


def test_a_name_before_a_lower_case_facility_word_is_that_facility(make_article, resources):
    text = ("Shelling cut the last line to the Zaporizhzhia power plant on Friday, and ships queued at the "
            "Odesa port, Ukraine's grid operator said.")
    a = _analysis(make_article, text, [("person", "Zaporizhzhia"), ("place", "Odesa"), ("place", "Ukraine")])
    geocode_analyses([a], resources)
    plant, port = _entity(a, "Zaporizhzhia"), _entity(a, "Odesa")
    assert plant.type == "place" and plant.geo.country == "UA" and plant.geo.feature == "facility"
    assert port.geo.country == "UA" and port.geo.approximate and abs(port.geo.lat - 46.48) < 0.3


def test_generic_words_inside_a_name_are_no_town(make_article, resources):
    text = "Fans packed the stadium at Eastern Kentucky University on Saturday, and Virginia L. Lane sang."
    a = _analysis(make_article, text, [("organization", "Eastern Kentucky University"), ("person", "Virginia L. Lane")])
    geocode_analyses([a], resources)
    university = _entity(a, "Eastern Kentucky University")
    assert university.geo is None or university.geo.country == "US"  # never Ghana's Eastern region
    assert _entity(a, "Virginia L. Lane").type == "person"
