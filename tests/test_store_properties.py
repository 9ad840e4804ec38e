"""Property tests: whatever Unicode, numbers and metadata an article carries, the store gives it back exactly."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.model import (
    Article, ArticleAnalysis, Attribution, Claim, Entity, Headline, Mention, Quantity, Story, TimeExpression,
)
from wirewatch.store import open_store

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode except lone surrogates (not text; a decoder never produces them), NUL included.
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
short = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
maybe = st.none() | short
numbers = st.floats(allow_nan=False)  # NaN != NaN would make equality meaningless; infinities are kept
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | numbers | short,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(short, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def analyses(draw) -> ArticleAnalysis:
    article_id = draw(st.text("abcdef0123456789", min_size=1, max_size=16))
    body = draw(text)
    article = Article(
        id=article_id, title=draw(text), text=body, outlet=draw(maybe), published=draw(maybe), author=draw(maybe),
        url=draw(maybe), path=draw(maybe), language=draw(maybe), format=draw(st.sampled_from(["text", "html", "jsonl", "feed"])),
        cited_sources=draw(st.lists(short, max_size=3)),
        headline=draw(st.none() | st.builds(Headline, text=short, sensational=st.booleans(),
                                             signals=st.lists(short, max_size=2), clickbait=st.none() | numbers)),
        duplicate_of=draw(maybe),
        extra=draw(st.dictionaries(short, json_values, max_size=4)),
        raw=draw(st.none() | st.binary(max_size=200)),
    )

    def span():
        start = draw(st.integers(0, len(body)))
        end = draw(st.integers(start, len(body)))
        return start, end, body[start:end]

    entities = []
    for i in range(draw(st.integers(0, 3))):
        mentions = [Mention(article_id, *span()) for _ in range(draw(st.integers(0, 3)))]
        entities.append(Entity(id=f"E{i}", name=draw(short), type=draw(st.sampled_from(["person", "place", "other"])),
                               aliases=draw(st.lists(short, max_size=2, unique=True)), roles=draw(st.lists(short, max_size=2, unique=True)),
                               mentions=mentions, country=draw(maybe)))
    quantities = []
    for i in range(draw(st.integers(0, 3))):
        start, end, qtext = span()
        quantities.append(Quantity(id=f"q{i}", article=article_id, text=qtext, start=start, end=end,
                                   value=draw(st.none() | numbers), approximate=draw(st.booleans()),
                                   low=draw(st.none() | numbers), high=draw(st.none() | numbers), unit=draw(maybe),
                                   counted=draw(maybe)))
    claims = []
    for i in range(draw(st.integers(0, 3))):
        start, end, ctext = span()
        claims.append(Claim(
            id=f"{article_id}-c{i}", article=article_id, text=ctext, start=start, end=end, predicate=draw(short),
            subject=draw(st.none() | st.sampled_from([e.id for e in entities] or ["words"])), object=draw(maybe),
            quantities=[q.id for q in quantities[: draw(st.integers(0, len(quantities)))]],
            attribution=Attribution(kind=draw(st.sampled_from(["none", "named", "anonymous"])), source=draw(maybe),
                                    entity=draw(maybe)),
            hedged=draw(st.booleans()), negated=draw(st.booleans()), hedges=draw(st.lists(short, max_size=2)),
            corroboration=draw(st.none() | st.integers(0, 9)), date=draw(maybe),
        ))
    times = [TimeExpression(article_id, *span(), date=draw(maybe)) for _ in range(draw(st.integers(0, 2)))]
    return ArticleAnalysis(article=article, entities=entities, quantities=quantities, claims=claims, times=times)


@SETTINGS
@given(analyses())
def test_analysis_round_trip_is_exact(analysis):
    expected = copy.deepcopy(analysis)
    with open_store(":memory:") as store:
        assert store.add_analysis(analysis)
        assert store.get_article(expected.article.id, with_raw=True) == expected.article
        expected.article.raw = None
        assert store.get_analysis(expected.article.id) == expected
        assert list(store.iter_analyses()) == [expected]
        assert store.list_claims(article=expected.article.id) == expected.claims
        assert store.add_analysis(analysis) is False


@SETTINGS
@given(analyses(), short)
def test_search_never_raises_and_finds_stored_words(analysis, query):
    with open_store(":memory:") as store:
        store.add_analysis(analysis)
        store.search(query)  # any query string: hits or none, never an error
        words = [w for w in analysis.article.text.split() if w.isalnum() and w.isascii()]
        if words:
            assert [h.article.id for h in store.search(words[0])] == [analysis.article.id]


@SETTINGS
@given(st.lists(st.builds(Story, id=short, title=text, articles=st.just([]), outlets=st.lists(short, max_size=3),
                          first_published=maybe, last_published=maybe), max_size=4, unique_by=lambda s: s.id))
def test_story_round_trip_is_exact(stories):
    with open_store(":memory:") as store:
        for story in stories:
            store.save_story(story)
        for story in stories:
            assert store.get_story(story.id) == story
        assert sorted(s.id for s in store.list_stories()) == sorted(s.id for s in stories)
