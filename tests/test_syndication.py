"""Syndicated copies are their own articles (duplicate_of the first, counted once, outlet listed); exact repeats are not."""
from __future__ import annotations

import json

from wirewatch.ingest.ids import article_id, body_key, legacy_article_id
from wirewatch.model import Article, Headline
from wirewatch.pipeline import Wirewatch, analyze
from wirewatch.stories.titles import is_loud, story_title
from tests.test_stories_core import _analysis

WIRE_BODY = ("Engineers closed the Brask river bridge on Thursday after inspectors found cracks in two of its "
             "steel supports, the regional transport office said. Traffic between Oldmere and Castow was "
             "diverted through Fennick, adding about forty minutes to the journey. The office said repairs "
             "would take at least six weeks and cost 3.2 million crowns.")


def _record(outlet, url, title="Brask bridge closed after cracks found", body=WIRE_BODY, published="2026-03-05T10:00:00Z"):
    return {"title": title, "text": body, "outlet": outlet, "url": url, "published": published}


def _write(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_ids_depend_on_outlet_and_url_and_fall_back_to_the_old_id():
    assert article_id("T", "Body") == legacy_article_id("T", "Body")
    assert article_id("T", "Body", "Wire", "https://w.example/1") != article_id("T", "Body", "Paper", "https://w.example/1")
    assert article_id("T", "Body", "Wire", "https://w.example/1") != article_id("T", "Body", "Wire", "https://w.example/2")
    assert article_id("T", "Body", "Wire", "u") == article_id("T", " body ", "wire", "u")  # case/space folded
    assert body_key("A  body") == body_key("a body") != body_key("another body")


def test_a_copy_from_another_outlet_is_kept_marked_and_counted_once(tmp_path):
    src = _write(tmp_path / "wire.jsonl", [
        _record("Northwind Wire", "https://wire.example/brask"),
        _record("Valley Courier", "https://courier.example/news/brask", title="Cracks shut Brask bridge",
                published="2026-03-05T14:00:00Z"),
        _record("Northwind Wire", "https://wire.example/brask"),  # an exact repeat
    ])
    with Wirewatch(":memory:") as ww:
        report = ww.ingest([src])
        assert len(report.added) == 2 and len(set(report.duplicates)) == 1
        first, copy = (ww.store.get_article(a) for a in report.added)
        assert (first.outlet, copy.outlet) == ("Northwind Wire", "Valley Courier")
        assert copy.duplicate_of == first.id and first.duplicate_of is None
        story = ww.store.get_story(ww.store.story_of_article(first.id))
        assert set(story.articles) == {first.id, copy.id}
        assert story.outlets == ["Northwind Wire", "Valley Courier"]
        for claim in ww.store.list_claims(story=story.id):  # one source, whatever the copies
            assert claim.corroboration <= 1, claim
        again = ww.ingest([src])
        assert again.added == [] and set(again.duplicates) == {first.id, copy.id}


def test_analyze_keeps_the_copy(tmp_path):
    src = _write(tmp_path / "two.jsonl", [_record("Northwind Wire", "https://wire.example/brask"),
                                          _record("Harbour Times", "https://harbour.example/brask")])
    result, report = analyze([src])
    assert [a.outlet for a in result.articles] == ["Northwind Wire", "Harbour Times"]
    assert result.articles[1].duplicate_of == result.articles[0].id
    assert report.duplicates == []


def test_an_article_stored_under_its_old_id_is_already_stored(tmp_path):
    src = _write(tmp_path / "one.jsonl", [_record("Northwind Wire", "https://wire.example/brask")])
    with Wirewatch(":memory:") as ww:
        report = ww.ingest([src])
        stored = ww.store.get_analysis(report.added[0])
        legacy = legacy_article_id(stored.article.title, stored.article.text)
        assert legacy != stored.article.id
        # Re-key it as an earlier version would have stored it.
        other = Wirewatch(":memory:")
        stored.article.id = legacy
        for part in stored.claims + stored.quantities + stored.times:
            part.article = legacy
        for entity in stored.entities:
            for mention in entity.mentions:
                mention.article = legacy
        with other.store.transaction():
            other.store.add_analysis(stored)
        again = other.ingest([src])
        assert again.added == [] and again.duplicates == [legacy]
        other.close()


def _titled(aid, title, text, day, clickbait=None, sensational=False):
    a = _analysis(aid, title, text, "Outlet " + aid, day)
    a.article.headline = Headline(text=title, sensational=sensational, clickbait=clickbait)
    return a


BODY = ("The Brask river bridge between Oldmere and Castow was closed on Thursday after inspectors found cracks "
        "in two steel supports; repairs will take six weeks.")


def test_title_is_the_most_informative_calm_headline():
    loud = _titled("a1", "You won't BELIEVE what inspectors found under this bridge!", BODY, "2026-03-05", clickbait=0.97)
    vague = _titled("a2", "Bridge closed", BODY, "2026-03-05")
    full = _titled("a3", "Brask river bridge between Oldmere and Castow closed after cracks found", BODY, "2026-03-06")
    assert story_title([loud, vague, full]) == full.article.title
    assert story_title([loud, vague]) == "Bridge closed"  # the earliest loud one is never preferred to a calm one
    assert story_title([loud]) == loud.article.title  # no other: the loud one it is


def test_loudness_signals():
    assert is_loud(Article(id="x", title="Calm", text="", headline=Headline(text="Calm", sensational=True)))
    assert is_loud(Article(id="x", title="Calm", text="", headline=Headline(text="Calm", clickbait=0.8)))
    assert is_loud(Article(id="x", title="HORROR at the port", text=""))
    assert is_loud(Article(id="x", title="Port strike ends!", text=""))
    assert not is_loud(Article(id="x", title="NATO and EU ministers meet in Oslo", text=""))
    assert not is_loud(Article(id="x", title="Port strike ends", text="", headline=Headline(text="x", clickbait=0.2)))
