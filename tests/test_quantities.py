"""Quantities: values, ranges, approximation cues, vague amounts, units and counted nouns on invented text."""
from __future__ import annotations

import pytest

from wirewatch.extract.numbers import parse_number, parse_words
from wirewatch.extract.quantities import find_quantities

FLOOD = (
    "Officials said an estimated 12,500 residents were evacuated from Lornsby. "
    "At least 37 people were killed and more than 120 injured, while up to 4,000 homes lost power. "
    "The regional council released $2.4 million in emergency aid and the bank pledged €300m. "
    "Nearly 40% of the farmland lies under water, some 15 km from the coast. "
    "Between 30 and 40 villages were cut off; 50-60 boats and 200 to 300 volunteers joined the rescue. "
    "Dozens of roads were closed and tens of thousands of people slept in shelters. "
    "Fourteen schools and a dozen clinics shut on Oct. 12, 2019 at 10:30, the mayor said on 555-1234. "
)


@pytest.fixture(scope="module")
def quantities(nlp):
    from wirewatch.model import Article

    article = Article(id="a-flood", title="Floods", text=FLOOD)
    return article, find_quantities(nlp(FLOOD), article)


def by_text(quantities, text):
    found = [q for q in quantities if q.text == text]
    assert found, f"no quantity {text!r} in {[q.text for q in quantities]}"
    return found[0]


def test_spans_are_exact_and_ids_stable(quantities, nlp):
    article, qs = quantities
    assert qs
    for q in qs:
        assert q.text == article.text[q.start : q.end]
    again = find_quantities(nlp(article.text), article)
    assert [q.id for q in again] == [q.id for q in qs]
    assert len({q.id for q in qs}) == len(qs)


def test_estimated_value_with_counted_noun(quantities):
    q = by_text(quantities[1], "an estimated 12,500 residents")
    assert (q.value, q.approximate, q.low, q.high, q.counted) == (12500, True, None, None, "residents evacuated")


def test_bounds_from_cues_and_casualty_participles(quantities):
    qs = quantities[1]
    killed = by_text(qs, "At least 37 people")
    assert (killed.value, killed.low, killed.high, killed.approximate) == (37, 37, None, True)
    assert killed.counted == "people killed"
    homes = by_text(qs, "up to 4,000 homes")
    assert (homes.high, homes.low, homes.counted) == (4000, None, "homes")
    more = [q for q in qs if q.text.startswith("more than 120")][0]
    assert more.low == 120 and more.approximate


def test_money_and_percent(quantities):
    qs = quantities[1]
    aid = [q for q in qs if q.text.startswith("$2.4 million")][0]
    assert (aid.value, aid.unit, aid.counted) == (2_400_000, "USD", "emergency aid")
    eur = by_text(qs, "€300m")
    assert (eur.value, eur.unit) == (300_000_000, "EUR")
    pct = [q for q in qs if q.text.startswith("Nearly 40%")][0]
    assert (pct.value, pct.unit, pct.high, pct.approximate) == (40, "%", 40, True)
    assert pct.counted == "farmland"


def test_units(quantities):
    km = [q for q in quantities[1] if "15 km" in q.text][0]
    assert (km.value, km.unit, km.approximate) == (15, "km", True)


def test_ranges(quantities):
    qs = quantities[1]
    for text, low, high, counted in [
        ("Between 30 and 40 villages", 30, 40, "villages"),
        ("50-60 boats", 50, 60, "boats"),
        ("200 to 300 volunteers", 200, 300, "volunteers"),
    ]:
        q = by_text(qs, text)
        assert (q.value, q.low, q.high, q.approximate, q.counted) == (None, low, high, True, counted)


def test_vague_amounts_and_words(quantities):
    qs = quantities[1]
    dozens = by_text(qs, "Dozens of roads")
    assert (dozens.value, dozens.approximate, dozens.low, dozens.high, dozens.counted) == (None, True, 24, 99, "roads")
    tens = by_text(qs, "tens of thousands of people")
    assert (tens.value, tens.low, tens.high) == (None, 20_000, 99_999)
    assert by_text(qs, "Fourteen schools").value == 14
    assert by_text(qs, "a dozen clinics").value == 12


def test_dates_times_phone_numbers_are_not_quantities(quantities):
    texts = " | ".join(q.text for q in quantities[1])
    for bad in ("2019", "10:30", "555", "1234"):
        assert bad not in texts
    assert not any(q.value == 12 and "Oct" in FLOOD[q.start - 5 : q.start] for q in quantities[1])


def test_bare_vague_amount_counts_nothing(nlp, make_article):
    article = make_article("Cash", "The exiles are funnelling millions to recruit fighters in the hills.")
    (q,) = find_quantities(nlp(article.text), article)
    assert (q.text, q.value, q.approximate, q.counted) == ("millions", None, True, None)
    assert q.low == 2_000_000


def test_numbers_inside_names_and_ordinals_are_skipped(nlp, make_article):
    text = "The G8 met after Resolution 1441 passed; the first convoy of 9 trucks left."
    article = make_article("Names", text)
    qs = find_quantities(nlp(text), article)
    assert [q.text for q in qs] == ["9 trucks"]


@pytest.mark.parametrize("text,value", [
    ("50,000", 50000), ("3.5 million", 3_500_000), ("1.2bn", 1_200_000_000), ("twenty-one", 21),
    ("three hundred and five", 305), ("a dozen", 12), ("half", 0.5),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_parse_words_rejects_non_numbers():
    assert parse_words("many people") is None


@pytest.mark.parametrize("sentence,text,counted", [
    ("Officials in Durnholt say at least 14 people died in the blaze on Friday.",
     "at least 14 people died", "people killed"),
    ("The number of people killed in the Durnholt blaze rose to 17 on Saturday.", "17", "people killed"),
    ("The death toll from the Durnholt blaze climbed to 19, the fire chief said.", "19", "death toll"),
    ("Hospital staff put the death toll at 21.", "21", "death toll"),
    ("The Corvale monitor revised its death toll to at least 23 people on Sunday.",
     "at least 23 people", "death toll"),
    ("An estimated 9,000 people have fled Brask since the floods began.", "An estimated 9,000 people",
     "people displaced"),
    ("Two people were seen leaving the Durnholt warehouse.", "Two people", "people"),
    ("The figure rose to 30 on Saturday, the council said.", "30", None),  # a bare "figure" does not say what is counted
])
def test_counted_phrase_from_the_governing_verb_or_tally(nlp, make_article, sentence, text, counted):
    article = make_article("Durnholt", sentence)
    found = {q.text: q for q in find_quantities(nlp(sentence), article)}
    assert text in found, list(found)
    assert found[text].counted == counted
    q = found[text]
    assert sentence[q.start:q.end] == q.text
