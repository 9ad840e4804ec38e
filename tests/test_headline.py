"""Headline check: the shipped clickbait model scores as trained, and the signals fire on loud
or overreaching headlines but stay silent on quiet ones."""
from __future__ import annotations

import json
from importlib import resources as importlib_resources

import pytest

from wirewatch.extract.headline import ClickbaitModel, check_headline, content_stems, headline_features, shouted_words
from wirewatch.model import Claim


@pytest.fixture(scope="module")
def model():
    return ClickbaitModel.load()


def claim(text, start, hedged=False, hedges=()):
    return Claim(id=f"c{start}", article="a1", text=text, start=start, end=start + len(text),
                 predicate="other", hedged=hedged, hedges=list(hedges))


def test_pure_python_scores_match_the_stored_sklearn_scores(model):
    doc = json.loads(importlib_resources.files("wirewatch.extract").joinpath("data/clickbait.json").read_text("utf-8"))
    assert len(doc["samples"]) >= 5
    for headline, expected in doc["samples"]:
        assert model.score(headline) == pytest.approx(expected, abs=1e-6)
    # The samples span the range, so the check covers both classes.
    scores = [s for _, s in doc["samples"]]
    assert min(scores) < 0.1 and max(scores) > 0.9


def test_model_file_is_small_and_carries_its_measured_accuracy():
    ref = importlib_resources.files("wirewatch.extract").joinpath("data/clickbait.json")
    assert len(ref.read_bytes()) < 2_000_000
    meta = json.loads(ref.read_text("utf-8"))["meta"]
    assert meta["heldout_accuracy"] > 0.9


def test_case_is_folded_so_caps_headlines_are_scored_on_their_words(model):
    assert headline_features("BORDER TOWN FALLS") == headline_features("Border town falls")
    assert model.score("REBELS SEIZE BORDER TOWN") == pytest.approx(model.score("Rebels seize border town"))


def test_listicles_score_high_and_news_headlines_low(model):
    assert model.score("23 Things Only Night Owls Will Understand") > 0.8
    assert model.score("Which Coastal Town Should You Retire In") > 0.8
    assert model.score("Militia withdraws from two villages after ceasefire talks") < 0.3
    assert model.score("Central bank holds rates as inflation eases") < 0.3


def test_quiet_headline_gets_no_signals(make_article, model):
    art = make_article("Port authority reopens northern terminal after repairs",
                       "The port authority of Velmora reopened its northern terminal on Monday after "
                       "three weeks of repairs, officials said.")
    result = check_headline(art, [claim("The port authority of Velmora reopened its northern terminal", 0)], model)
    assert result.signals == []
    assert result.sensational is False
    assert result.clickbait is not None and result.clickbait < 0.5


def test_shouted_word_makes_a_headline_sensational(make_article, model):
    art = make_article("Harbour Smuggling Ring EXPOSED",
                       "Customs officers in Dravik say they have identified a smuggling ring at the harbour.")
    result = check_headline(art, [], model)
    assert 'shouted word "EXPOSED"' in result.signals
    assert result.sensational


def test_acronyms_and_body_caps_are_not_shouting():
    body = "Officials from NATO met leaders of the KORVAN movement, known as KORVAN, on Friday."
    assert shouted_words("NATO Talks With KORVAN Leaders Resume", body) == []
    assert shouted_words("Talks COLLAPSE In Geneva", "Talks broke down in Geneva.") == ["COLLAPSE"]
    # A name the body writes normally is shouted, but the emphasis is the other words' to report.
    assert shouted_words("VELMORA HORROR: Bridge Falls", "A bridge fell in Velmora.") == ["HORROR"]
    # Short words and Roman numerals are not counted.
    assert shouted_words("Pope Leo XIV and the UN: WAR Looms", "The UN met.") == []
    # A headline set entirely in capitals is a style, not emphasis on one word.
    assert shouted_words("FLOODS CUT OFF MOUNTAIN VILLAGES", "Floods cut off villages.") == []


def test_loaded_words_clickbait_phrases_and_exclamations(make_article, model):
    art = make_article("Minister SLAMS critics in explosive interview!",
                       "The minister criticised opponents of the bill in an interview on Tuesday.")
    result = check_headline(art, [], model)
    assert any(s.startswith("loaded word") and "explosive" in s for s in result.signals)
    assert 'loaded word "SLAMS"' in result.signals
    assert "exclamation mark" in result.signals
    assert result.sensational

    bait = make_article("You won't believe what the council voted for?!", "The council voted to rename a street.")
    result = check_headline(bait, [], model)
    assert any(s.startswith("clickbait phrase") for s in result.signals)
    assert '"?!" in the headline' in result.signals
    assert result.sensational


def test_literal_explosives_are_not_loaded_language(make_article, model):
    art = make_article("Police defuse explosive device near market",
                       "Police defused an explosive device near the central market on Sunday.")
    result = check_headline(art, [], model)
    assert not any(s.startswith("loaded word") for s in result.signals)
    assert not result.sensational


def test_headline_states_as_fact_what_the_body_hedges(make_article, model):
    body = ("Exiled generals are reportedly plotting a coup in Ostrava, according to two officials. "
            "The generals allegedly hold funds abroad. The government declined to comment.")
    art = make_article("Exiled Generals Plotting Coup", body)
    claims = [
        claim("Exiled generals are reportedly plotting a coup in Ostrava", 0, True, ["reportedly"]),
        claim("The generals allegedly hold funds abroad", 88, True, ["allegedly"]),
        claim("The government declined to comment", 130),
    ]
    result = check_headline(art, claims, model)
    assert 'headline states as fact what the body hedges ("reportedly")' in result.signals
    assert result.sensational

    # The same headline with its own hedge is fine ...
    hedged = make_article("Exiled generals reportedly plotting coup", body)
    assert check_headline(hedged, claims, model).signals == []
    # ... and so is a flat headline over a body that states the same thing flatly.
    flat = [claim("Exiled generals are plotting a coup in Ostrava", 0)] + claims[1:]
    assert not any("hedges" in s for s in check_headline(art, flat, model).signals)


def test_headline_number_missing_from_body_is_reported_but_not_decisive(make_article, model):
    art = make_article("Storm leaves 40,000 without power",
                       "A storm left about 30,000 homes without power in the Kessin valley, the utility said.")
    result = check_headline(art, [], model)
    assert 'headline number "40,000" does not appear in the body' in result.signals
    assert not result.sensational
    same = make_article("Storm leaves 3 villages cut off", "Three villages were cut off by the storm.")
    assert check_headline(same, [], model).signals == []
    listed = make_article("Quake kills at least 9, injures 1,200", "The quake killed 9 people and injured 1,200.")
    assert check_headline(listed, [], model).signals == []
    # A feed entry with no body cannot contradict its headline's numbers.
    assert check_headline(make_article("Storm leaves 40,000 without power", ""), [], model).signals == []


def test_content_stems_meet_across_inflections():
    assert content_stems("plotting") == content_stems("plots") == content_stems("plot")
    assert content_stems("Loyalists' uprisings") == content_stems("loyalist uprising")
    assert content_stems("the plot of the") == content_stems("plot")  # stop words dropped


def test_hedge_mismatch_needs_most_topical_claims_hedged(make_article, model):
    art = make_article("Exiled Generals Plotting Coup", "body")
    lead = claim("Exiled generals are reportedly plotting a coup", 0, True, ["reportedly"])
    # Two firm statements of the same thing outvote one hedged lead ...
    firm = [claim("The exiled generals are plotting a coup, the minister said", 60),
            claim("Exiled generals plotting the coup met in Varn", 130)]
    assert not any("hedges" in s for s in check_headline(art, [lead, *firm], model).signals)
    # ... but passing mentions of one topic word do not vote.
    passing = [claim("The generals met on Friday", 60), claim("A coup would be costly", 100)]
    assert any("hedges" in s for s in check_headline(art, [lead, *passing], model).signals)


def test_attribution_alone_is_not_a_hedge_the_headline_drops(make_article, model):
    art = make_article("Thousands flee shelling around Kessin", "body")
    claims = [claim("An estimated 12,000 people have fled shelling around Kessin, according to aid officials", 0,
                    True, ["estimated", "according to"])]
    assert check_headline(art, claims, model).signals == []
    claims[0].hedges.append("may")
    assert any("hedges (\"may\")" in s for s in check_headline(art, claims, model).signals)
