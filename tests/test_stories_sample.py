"""Stories on the shipped sample corpus: multi-outlet stories, syndicated copies, conflicts, cited bullets."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def ingested(resources):
    from wirewatch.pipeline import Wirewatch

    if not (SAMPLES / "MANIFEST.json").exists():
        pytest.skip("sample corpus not present")
    ww = Wirewatch(":memory:", resources=resources)
    ww.ingest([str(SAMPLES)])
    manifest = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
    gold_by_title = {m["title"]: m for m in manifest}
    yield ww.store, gold_by_title
    ww.close()


def _gold(store, gold_by_title, article_id):
    return gold_by_title[store.get_article(article_id).title]


def test_multi_outlet_stories_are_mostly_one_story_and_never_mixed(ingested):
    store, gold_by_title = ingested
    members = defaultdict(Counter)
    for story in store.list_stories():
        keys = Counter(_gold(store, gold_by_title, a)["story"] for a in story.articles)
        for key, n in keys.items():
            members[key][story.id] += n
        # Purity: at most one article of a story may be from another event.
        assert keys.most_common(1)[0][1] >= len(story.articles) - 1, keys
    for key, stories in members.items():
        total = sum(stories.values())
        if total >= 3:
            assert stories.most_common(1)[0][1] >= total - 2, (key, stories)


def test_syndicated_wire_copies_point_to_the_original(ingested):
    store, gold_by_title = ingested
    copies = [m for m in gold_by_title.values() if m.get("syndicated_from")]
    found = 0
    for story in store.list_stories():
        for aid in story.articles:
            article = store.get_article(aid)
            gold = gold_by_title[article.title]
            if gold.get("syndicated_from") and article.duplicate_of:
                original = store.get_article(article.duplicate_of)
                assert gold_by_title[original.title]["source"] == gold["syndicated_from"]
                found += 1
            elif not gold.get("syndicated_from"):
                assert article.duplicate_of is None, article.title
    assert found >= 1 and len(copies) >= found


def test_multi_outlet_stories_report_figure_conflicts_with_article_and_text(ingested):
    """Several multi-outlet stories disagree on a figure (barrels spilled, value stolen, daily cost)."""
    store, gold_by_title = ingested
    with_conflicts = 0
    for story in store.list_stories():
        conflicts = [c for c in story.conflicts if c.kind == "number"]
        with_conflicts += bool(conflicts)
        for c in conflicts:
            assert len({v.article for v in c.values}) >= 2, c  # a report never conflicts only with itself
            for v in c.values:
                assert v.article in story.articles
                assert v.text and v.text in store.get_article(v.article).text
    assert with_conflicts >= 3


def _stories_by_key(store, gold_by_title):
    out = {}
    for story in store.list_stories():
        keys = Counter(_gold(store, gold_by_title, a)["story"] for a in story.articles)
        key, n = keys.most_common(1)[0]
        if n >= 2 and (key not in out or len(story.articles) > len(out[key].articles)):
            out[key] = story
    return out


def _series(story, about):
    found = [f for f in story.figures if f.about == about]
    assert len(found) == 1, (story.title, [(f.about, f.kind) for f in story.figures])
    return found[0]


def test_figure_series_match_the_ground_truth_in_stories_md(ingested):
    """The "Figure series" section of samples/corpus/STORIES.md, checked where it names a kind."""
    store, gold_by_title = ingested
    stories = _stories_by_key(store, gold_by_title)
    number = lambda s: [c.about for c in s.conflicts if c.kind == "number"]  # noqa: E731

    latakia = stories["latakia-clashes"]
    toll = _series(latakia, "people killed")
    assert toll.kind == "revision" and toll.latest.value == 41
    firm = [v.value for v in toll.values if not v.hedged and v.change != "restated"]
    assert firm[0] == 37 and 41 in firm and 39 in firm
    assert any(v.hedged and v.value == 50 for v in toll.values)  # the activists' figure, unconfirmed
    assert _series(latakia, "soldiers killed").values[0].value == 9  # a subset, not a rival
    assert "people killed" not in number(latakia)
    assert not [c for c in latakia.conflicts if c.kind == "denial" and "truce" in c.about.casefold()]

    kharkiv = stories["kharkiv-missile-strike"]
    toll = _series(kharkiv, "people killed")
    assert toll.kind == "revision" and toll.latest.value == 11 and "people killed" not in number(kharkiv)
    assert _series(kharkiv, "homes without hot water").latest.value == 52000
    injured = _series(kharkiv, "people injured")
    assert injured.kind == "revision" and [v.value for v in injured.values] == [34, 40]

    fasher = _series(stories["el-fasher-displacement"], "people displaced")
    assert fasher.kind == "revision" and fasher.latest.value >= 18000
    assert all(v.value < 1_000_000 for v in fasher.values if isinstance(v.value, (int, float)))  # not the 2023 war total

    assert _series(stories["loreto-oil-spill"], "barrels").kind == "disagreement"
    assert "barrels" in number(stories["loreto-oil-spill"])
    assert _series(stories["paris-auction-theft"], "amount in EUR").kind == "disagreement"
    assert _series(stories["mombasa-port-strike"], "amount in USD").kind == "disagreement"
    assert "workers" not in number(stories["mombasa-port-strike"])  # 1,800 casual workers are a part
    tornado = stories["paris-texas-tornado"]
    assert _series(tornado, "homes").kind != "disagreement" and "homes" not in number(tornado)
    assert 11 not in [v.value for v in _series(tornado, "homes").values]  # uninhabitable homes are a subset


def test_every_bullet_is_supported_by_its_story_and_hedges_stay(ingested):
    store, _ = ingested
    for story in store.list_stories():
        assert 1 <= len(story.snapshot) <= 7
        claims = {c.id: c for c in store.list_claims(story=story.id)}
        for bullet in story.snapshot:
            assert bullet.articles and set(bullet.articles) <= set(story.articles)
            assert set(bullet.claims) <= set(claims)
            if bullet.claims and all(claims[c].hedged for c in bullet.claims):
                cues = {h.casefold() for c in bullet.claims for h in claims[c].hedges}
                assert not cues or any(cue in bullet.text.casefold() for cue in cues), bullet


def test_corroboration_counts_wire_copies_once(ingested):
    store, gold_by_title = ingested
    for story in store.list_stories():
        outlets_groups = set()
        for aid in story.articles:
            article = store.get_article(aid)
            outlets_groups.add(article.duplicate_of or article.outlet or aid)
        for claim in store.list_claims(story=story.id):
            assert claim.corroboration is not None
            assert 1 <= claim.corroboration <= len(outlets_groups)
