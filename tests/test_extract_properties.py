"""Property tests of the whole extraction on hostile, news-like text: it fails only with WirewatchError,
every span indexes the article text exactly, ids are stable, and the store gives the analysis back.

Text is drawn from a news alphabet (letters, digits, punctuation, curly and straight quotes,
newlines, currency signs, Hebrew and Arabic letters, control and bidi characters, emoji with
joiners) and from templated news sentences with invented names cut into random fragments, so
both the parser's happy paths and its edge cases are hit. The example budget is fixed.
"""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.errors import WirewatchError
from wirewatch.extract import extract_batch
from wirewatch.ingest.ids import article_id
from wirewatch.model import Article, ArticleAnalysis
from wirewatch.store import open_store

BUDGET = settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

NEWS_CHARS = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-–—()[]/%&'\"“”‘’«»\n\n\t"
    "$€£¥₹ שלום עולם مرحبا بالعالم \x00\x01\x07\x0b\x0c\x1b\x7f\x85\u200b\u200e\u200f\u202e\u2028\ufeff"
    "😀🔥🇺🇦👨‍👩‍👧"
)
NAMES = ["Ilse Brenner", "Rafiq Haddad", "Odette Moreau", "the Arnsby Council", "Vellon Police", "General Tomas Rask"]
PLACES = ["Lennmouth", "Corrow", "Kelby Bridge", "Ostmark", "Tel Aviv", "Kharkiv"]
TEMPLATES = [
    "{name} said {n} people were killed in {place} on {day}.",
    "At least {n} soldiers were deployed near {place}, officials said on {day}.",
    "\"We will not negotiate,\" {name} told reporters in {place}.",
    "{name} denied that troops had entered {place}, according to a statement.",
    "Police arrested about {n} protesters in {place} last {day}, a source said.",
    "The {place} fund lost ${n} million, or {m}%, in the quarter, {name} reported.",
    "Between {m} and {n} homes may have been damaged in {place}, {name} reportedly said.",
    "On March {m}, 2024, {name} signed a deal worth €{n}bn with {place}.",
]
DAYS = ["Monday", "Tuesday", "Friday", "Sunday", "3 March", "last week", "yesterday"]

noise = st.text(alphabet=NEWS_CHARS, max_size=120)
sentence = st.builds(
    lambda t, name, place, day, n, m: t.format(name=name, place=place, day=day, n=n, m=m),
    st.sampled_from(TEMPLATES), st.sampled_from(NAMES), st.sampled_from(PLACES), st.sampled_from(DAYS),
    st.sampled_from(["3", "12", "1,200", "four", "dozens of", "2.5", "-7", "10 000", "9" * 40]),
    st.integers(0, 99),
)


@st.composite
def cut(draw, strategy):
    """A value of `strategy`, sometimes truncated at a random point (as scraped text often is)."""
    value = draw(strategy)
    if value and draw(st.booleans()):
        value = value[: draw(st.integers(0, len(value)))]
    return value


bodies = st.lists(st.one_of(cut(sentence), noise), min_size=1, max_size=8).map(
    lambda parts: " ".join(parts)).filter(lambda body: body.strip())
titles = st.one_of(st.sampled_from(["", "Breaking", "Clashes in Corrow"]), cut(sentence), noise)


def build(title: str, body: str) -> Article:
    return Article(id=article_id(title, body), title=title, text=body, outlet="Test Wire",
                   published="2024-03-10T09:00:00Z")


def analyse(resources, articles: list[Article]) -> list[ArticleAnalysis] | None:
    """Run the full extraction; None when it refused with a WirewatchError (the only allowed failure)."""
    try:
        return list(extract_batch(articles, resources))
    except WirewatchError:
        return None


def check_spans(analysis: ArticleAnalysis) -> None:
    text, aid = analysis.article.text, analysis.article.id
    for entity in analysis.entities:
        for m in entity.mentions:
            assert m.article == aid and 0 <= m.start <= m.end <= len(text) and text[m.start:m.end] == m.text, m
    for item in [*analysis.quantities, *analysis.claims, *analysis.times]:
        assert item.article == aid, item
        assert 0 <= item.start <= item.end <= len(text) and text[item.start:item.end] == item.text, item
    quantity_ids = {q.id for q in analysis.quantities}
    for claim in analysis.claims:
        assert set(claim.quantities) <= quantity_ids, claim  # a claim cites only this article's quantities


def ids_of(analysis: ArticleAnalysis) -> list[str]:
    return ([e.id for e in analysis.entities] + [q.id for q in analysis.quantities]
            + [c.id for c in analysis.claims])


@BUDGET
@given(title=titles, body=bodies)
def test_extraction_is_safe_exact_stable_and_round_trips(resources, title, body):
    first = analyse(resources, [build(title, body)])
    if first is None:
        return
    (analysis,) = first
    check_spans(analysis)

    again = analyse(resources, [build(title, body)])
    assert again is not None, "the same article failed the second time"
    assert ids_of(again[0]) == ids_of(analysis)  # ids are stable
    assert again[0].to_dict() == analysis.to_dict()  # and so is everything else

    with open_store(":memory:") as store:
        with store.transaction():
            assert store.add_analysis(copy.deepcopy(analysis))
        assert store.get_analysis(analysis.article.id).to_dict() == analysis.to_dict()


@settings(BUDGET, max_examples=20)  # each example extracts 2-4 articles twice: half the budget keeps the time equal
@given(bodies=st.lists(bodies, min_size=2, max_size=4, unique=True))
def test_batch_extraction_equals_one_by_one(resources, bodies):
    """An article's analysis does not depend on what else is in its batch (so batch size is only a knob)."""
    articles = [build(f"Report {i}", body) for i, body in enumerate(bodies)]
    together = analyse(resources, articles)
    if together is None:
        return
    alone = [analyse(resources, [build(f"Report {i}", body)]) for i, body in enumerate(bodies)]
    for analysis, single in zip(together, alone):
        assert single is not None
        check_spans(analysis)
        assert analysis.to_dict() == single[0].to_dict()
