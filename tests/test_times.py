"""Time expressions: found with exact spans, resolved against the publication date, put on claims."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.extract.times import date_claims, find_times, publication_date, resolve_time
from wirewatch.model import Claim

WED = dt.date(2026, 10, 14)  # a Wednesday


def by_text(times):
    return {t.text: t.date for t in times}


@pytest.fixture()
def analyse(nlp, make_article):
    def run(text, **meta):
        article = make_article("Headline", text, **meta)
        times = find_times(nlp(text), article)
        for t in times:
            assert t.text == text[t.start:t.end]
            assert t.article == article.id
        return article, times

    return run


def test_weekdays_resolve_on_or_before_publication_in_past_context():
    assert resolve_time("Tuesday", WED) == "2026-10-13"
    assert resolve_time("Wednesday", WED) == "2026-10-14"  # the day of publication itself
    assert resolve_time("Thursday", WED) == "2026-10-08"
    assert resolve_time("last Wednesday", WED) == "2026-10-07"
    # Future context moves an unqualified weekday forward; "next" always does.
    assert resolve_time("Thursday", WED, future=True) == "2026-10-15"
    assert resolve_time("next Tuesday", WED) == "2026-10-20"


def test_relative_periods():
    assert resolve_time("last week", WED) == "2026-10-05"  # that week's Monday
    assert resolve_time("this week", WED) == "2026-10-12"
    assert resolve_time("next month", WED) == "2026-11"
    assert resolve_time("last month", dt.date(2026, 1, 9)) == "2025-12"
    assert resolve_time("earlier this year", WED) == "2026"
    assert resolve_time("late last year", WED) == "2025"
    assert resolve_time("yesterday", WED) == "2026-10-13"
    assert resolve_time("two days ago", WED) == "2026-10-12"
    assert resolve_time("3 months ago", WED) == "2026-07"


def test_calendar_dates_and_years():
    assert resolve_time("2026-10-01", WED) == "2026-10-01"
    assert resolve_time("Oct. 12", WED) == "2026-10-12"
    assert resolve_time("Nov. 3", WED) == "2025-11-03"  # past by default: the last Nov. 3
    assert resolve_time("Nov. 3", WED, future=True) == "2026-11-03"
    assert resolve_time("12 October 2024", WED) == "2024-10-12"
    assert resolve_time("March 2001", WED) == "2001-03"
    assert resolve_time("mid-October", WED) == "2026-10"
    assert resolve_time("2019", WED) == "2019"
    assert resolve_time("2019", None) == "2019"


def test_unresolvable_expressions_stay_none():
    assert resolve_time("the 1990s", WED) is None
    assert resolve_time("2019-2020", WED) is None
    assert resolve_time("decades", WED) is None
    assert resolve_time("Tuesday", None) is None  # no publication date, nothing to count from
    assert resolve_time("Oct. 12", None) is None


def test_find_times_in_a_wire_report(analyse):
    text = ("DORVAN, Kestria (Northwind Wire) \u2014 Shelling hit the port on Tuesday, officials said, "
            "the heaviest since last week. The governor said in 2019 that the bridge, built in March 2001, "
            "would last. Talks will resume on Friday and again next month. Two days ago a convoy reached "
            "the town; yesterday it left. The council met on Oct. 12 and on 2026-10-01.")
    _, times = analyse(text, published="2026-10-14T08:00:00Z")
    got = by_text(times)
    assert got["Tuesday"] == "2026-10-13"
    assert got["last week"] == "2026-10-05"
    assert got["2019"] == "2019"
    assert got["March 2001"] == "2001-03"
    assert got["Friday"] == "2026-10-16"  # "will resume": the coming Friday
    assert got["next month"] == "2026-11"
    assert got["Two days ago"] == "2026-10-12"
    assert got["yesterday"] == "2026-10-13"
    assert got["Oct. 12"] == "2026-10-12"
    assert got["2026-10-01"] == "2026-10-01"
    assert [t.start for t in times] == sorted(t.start for t in times)


def test_feed_dates_and_datelines_give_the_base(analyse, make_article):
    _, times = analyse("Protesters gathered on Saturday outside the ministry.",
                       published="Mon, 02 Mar 2026 10:00:00 GMT")
    assert by_text(times)["Saturday"] == "2026-02-28"
    art, times = analyse("OSTRAVEN, Dec. 4, 2025 (Wire) \u2014 The strike began on Monday.")
    assert publication_date(art) == "2025-12-04"
    assert by_text(times)["Monday"] == "2025-12-01"
    assert publication_date(make_article("h", "No dateline here.")) is None


def test_without_a_publication_date_relative_times_stay_unresolved(analyse):
    _, times = analyse("The mayor resigned on Tuesday after the vote in 2021.")
    got = by_text(times)
    assert got["Tuesday"] is None
    assert got["2021"] == "2021"


def test_claims_get_the_most_specific_date_inside_them(analyse):
    text = "Earlier this year the mill closed. Workers marched on Tuesday in 2026. Talks continue."
    article, times = analyse(text, published="2026-10-14")
    spans = [(0, 33), (35, 69), (71, 85)]
    claims = [Claim(id=f"c{i}", article=article.id, text=text[s:e], start=s, end=e, predicate="other")
              for i, (s, e) in enumerate(spans)]
    date_claims(claims, times)
    assert claims[0].date == "2026"
    assert claims[1].date == "2026-10-13"  # the weekday beats the bare year
    assert claims[2].date is None


def test_find_times_speed_on_a_300_word_article(nlp, make_article):
    sentence = ("On Tuesday the council of Marrow said its budget, approved last week, would rise next "
                "month after a vote on Oct. 12; two days ago officials met, and in 2019 the plan began. ")
    text = sentence * 9  # ~300 words
    assert 280 <= len(text.split()) <= 330
    article = make_article("Budget", text, published="2026-10-14")
    doc = nlp(text)
    find_times(doc, article)  # warm dateparser's one-off start-up
    started = time.perf_counter()
    runs = 20
    for _ in range(runs):
        times = find_times(doc, article)
    per_article = (time.perf_counter() - started) / runs
    print(f"find_times: {per_article * 1000:.2f} ms per 300-word article (spaCy parse excluded)")
    assert len(times) >= 45
    assert per_article < 0.05


WORDS = ["on", "Tuesday", "last", "week", "next", "month", "in", "2019", "Oct.", "12", ",", "May", "may",
         "yesterday", "two", "days", "ago", "the", "1990s", "2026-10-14", "mid-", "March", "3", "\u2014", "."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.sampled_from([None, "2026-10-14", "garbage"]))
def test_spans_are_exact_and_dates_well_formed_on_any_text(words, published):
    from wirewatch.model import Article

    text = " ".join(words)
    article = Article(id="a", title="t", text=text, published=published)
    times = find_times(None, article)
    for t in times:
        assert t.text == text[t.start:t.end] and t.text.strip()
        assert t.date is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", t.date)
    assert all(a.end <= b.start for a, b in zip(times, times[1:]))  # no overlaps


def test_durations_and_ages_are_not_time_points(analyse):
    _, times = analyse('The 67-year-old farmer, jailed for 12 months under a 60-day order, said it would last "days, not weeks."',
                       published="2026-10-14")
    assert times == []


def test_scheduled_event_weekday_is_in_the_future(analyse):
    # Published on Tuesday 2026-09-15: the truce that "expires on Friday" ends on the 18th, while
    # the ambush "on Sunday" happened on the 13th.
    text = ("The ministry said it would not extend the truce when it expires on Friday. "
            "Gunmen ambushed a checkpoint on Sunday, officials said.")
    _, times = analyse(text, published="2026-09-15")
    dates = {t.text: t.date for t in times}
    assert dates["Friday"] == "2026-09-18"
    assert dates["Sunday"] == "2026-09-13"
