"""Places used as actors keep their country but are not literal map pins."""
from __future__ import annotations

from wirewatch.resolve.geocode import geocode_analyses
from wirewatch.resolve.metonymy import is_metonymic

from tests.geo_helpers import analysis_with


def _analysis(make_article, text, places):
    return analysis_with(make_article, text, [("place", p) for p in places], title="Metonymy test")


def _geo(analysis, name):
    return next(e.geo for e in analysis.entities if e.name == name)


def test_words_after_a_mention_decide():
    text = ("Moscow said on Friday it would respond. Beijing's foreign ministry declined. U.S. officials "
            "agreed. Rain fell on Lima.")
    assert is_metonymic(text, text.index("Moscow") + len("Moscow"))
    assert is_metonymic(text, text.index("Beijing") + len("Beijing"))
    assert is_metonymic(text, text.index("U.S.") + len("U.S."))
    assert not is_metonymic(text, text.index("Lima") + len("Lima"))


def test_a_capital_that_only_speaks_is_linked_but_not_a_pin(make_article, resources):
    text = ("Moscow has rejected the proposal, and Moscow warned of retaliation. Fighting went on near "
            "Donetsk, where shells hit a school in Ukraine's east.")
    a = _analysis(make_article, text, ["Moscow", "Donetsk", "Ukraine"])
    geocode_analyses([a], resources)
    moscow = _geo(a, "Moscow")
    assert moscow is not None and moscow.country == "RU" and moscow.literal is False
    assert _geo(a, "Donetsk").literal is True
    assert _geo(a, "Ukraine").literal is True  # "Ukraine's east" is a location


def test_one_literal_mention_keeps_the_pin(make_article, resources):
    text = "Tokyo said it would send aid. Later, heavy rain fell in Tokyo, flooding two districts."
    a = _analysis(make_article, text, ["Tokyo"])
    geocode_analyses([a], resources)
    assert _geo(a, "Tokyo").literal is True
