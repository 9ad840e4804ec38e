"""The whole pipeline on the shipped sample corpus, checked against its ground truth (MANIFEST.json).

The corpus is analysed once per session; each test looks at one promise the product makes:
the contract shape, exact spans, stories that match the manifest, conflicts, cited bullets.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from tests.conftest import SAMPLES, SHARED

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="session")
def corpus_analysis(resources):
    from wirewatch.pipeline import analyze

    result, report = analyze([str(SAMPLES)], resources=resources)
    return result, report


@pytest.fixture(scope="session")
def manifest():
    return json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))


def _key(article) -> tuple[str, int | None]:
    """Manifest key of an article: its file name and, for multi-record files, the record index."""
    name = article.path.rsplit("/", 1)[-1]
    for field in ("line", "record", "entry"):  # ingest numbers records from 1
        if field in article.extra:
            return name, article.extra[field] - 1
    return name, None


def test_every_sample_is_ingested_without_rejection(corpus_analysis, manifest):
    result, report = corpus_analysis
    assert report.rejected == []
    assert len(result.articles) == len(manifest)


def test_output_follows_the_contract(corpus_analysis):
    schema_path = SHARED / "contract" / "analysis.schema.json"
    if not schema_path.exists():
        pytest.skip(f"{schema_path} not present")
    result, _ = corpus_analysis
    jsonschema.validate(result.to_dict(with_text=True), json.loads(schema_path.read_text()))


def test_every_span_indexes_the_article_text(corpus_analysis):
    result, _ = corpus_analysis
    texts = {a.id: a.text for a in result.articles}
    checked = 0
    for entity in result.entities:
        for m in entity.mentions:
            assert texts[m.article][m.start:m.end] == m.text
            checked += 1
    for item in [*result.quantities, *result.claims]:
        assert texts[item.article][item.start:item.end] == item.text
        checked += 1
    assert checked > 500


def test_cited_sources_yield_no_claims(corpus_analysis):
    result, _ = corpus_analysis
    citing = [a for a in result.articles if a.cited_sources]
    assert len(citing) >= 3
    for article in citing:
        for source in article.cited_sources:
            assert source not in article.text
            assert not any(source in c.text for c in result.claims if c.article == article.id)


def test_stories_match_the_manifest(corpus_analysis, manifest):
    """Pairwise precision and recall of 'same story' decisions against the manifest's story keys."""
    result, _ = corpus_analysis
    gold_of = {}
    for entry in manifest:
        gold_of[(entry["source"], entry.get("index"))] = entry["story"]
    story_of = {aid: s.id for s in result.stories for aid in s.articles}
    articles = result.articles
    tp = fp = fn = 0
    for i, a in enumerate(articles):
        for b in articles[i + 1:]:
            same_gold = gold_of[_key(a)] == gold_of[_key(b)]
            same_pred = story_of[a.id] == story_of[b.id]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    assert precision >= 0.9, f"pairwise precision {precision:.2f}"
    assert recall >= 0.8, f"pairwise recall {recall:.2f}"


def test_multi_outlet_stories_report_numeric_conflicts(corpus_analysis, manifest):
    result, _ = corpus_analysis
    outlets = defaultdict(set)
    for entry in manifest:
        outlets[entry["story"]].add(entry["outlet"])
    multi = sum(1 for v in outlets.values() if len(v) >= 3)
    with_conflicts = [s for s in result.stories if any(c.kind == "number" for c in s.conflicts)]
    # A rising toll is a revision, not a conflict: figures that move or disagree show as series.
    moving = [s for s in result.stories if any(f.kind != "agreement" for f in s.figures)]
    assert len(moving) >= multi // 2 and len(with_conflicts) >= 3
    for story in with_conflicts:
        disagreeing = {f.about for f in story.figures if f.kind == "disagreement"}
        assert {c.about for c in story.conflicts if c.kind == "number"} <= disagreeing
    ids = {a.id for a in result.articles}
    for story in with_conflicts:
        for conflict in story.conflicts:
            assert len({str(v.value) for v in conflict.values}) >= 2
            assert all(v.article in ids for v in conflict.values)


def test_every_bullet_cites_articles_of_its_story(corpus_analysis):
    result, _ = corpus_analysis
    claims = {c.id: c for c in result.claims}
    bullets = 0
    for story in result.stories:
        assert story.snapshot, f"story {story.title!r} has no snapshot"
        assert len(story.snapshot) <= 7
        for bullet in story.snapshot:
            bullets += 1
            assert bullet.articles, f"unsupported bullet {bullet.text!r}"
            assert set(bullet.articles) <= set(story.articles)
            for claim_id in bullet.claims:
                assert claims[claim_id].article in bullet.articles
    assert bullets >= len(result.stories)


def test_syndicated_copies_are_marked(corpus_analysis, manifest):
    result, _ = corpus_analysis
    syndicated = {(e["source"], e.get("index")) for e in manifest if e.get("syndicated_from")}
    marked = {_key(a) for a in result.articles if a.duplicate_of}
    assert syndicated and syndicated <= marked


def test_loud_headlines_are_flagged(corpus_analysis):
    result, _ = corpus_analysis
    flagged = [a for a in result.articles if a.headline and a.headline.sensational]
    assert len(flagged) >= 4
    assert all(a.headline.signals for a in flagged)
    calm = [a for a in result.articles if a.headline and not a.headline.sensational]
    assert len(calm) >= len(result.articles) // 2


def test_places_are_geocoded_into_the_right_countries(corpus_analysis):
    result, _ = corpus_analysis
    countries = Counter(e.geo.country for e in result.entities if e.type == "place" and e.geo)
    for country in ("SY", "UA", "SD", "KE", "PE", "FR", "US"):
        assert countries[country] > 0, f"no place geocoded in {country}"
