"""The SQLite store: exact round trips, idempotent adds, entity merging, search, filters, schema versions."""
from __future__ import annotations

import copy
import sqlite3

import pytest

from wirewatch.errors import NotFoundError, StoreError
from wirewatch.model import (
    Article, ArticleAnalysis, Attribution, Bullet, Claim, Conflict, ConflictValue, Entity, Geo, Headline, Mention,
    Quantity, Story, TimeExpression, TimelineEntry,
)
from wirewatch.store import SNIPPET_CLOSE, SNIPPET_OPEN, open_store
from wirewatch.store import schema


@pytest.fixture()
def store(tmp_path):
    with open_store(str(tmp_path / "ww.db")) as s:
        yield s


def span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def analysis_of(article_id: str, title: str, text: str, people: dict[str, str], **meta) -> ArticleAnalysis:
    """An analysis with one mention per named entity, one claim by the first entity, one quantity."""
    article = Article(id=article_id, title=title, text=text, **meta)
    entities = []
    for entity_id, name in people.items():
        s, e = span(text, name)
        entities.append(Entity(id=entity_id, name=name, type="person", mentions=[Mention(article_id, s, e, name)]))
    first = next(iter(people))
    claims = [Claim(id=f"{article_id}-c0", article=article_id, text=text[:20], start=0, end=20, predicate="say",
                    subject=first, attribution=Attribution(kind="named", source=people[first], entity=first))]
    return ArticleAnalysis(article=article, entities=entities, claims=claims)


def rich_analysis() -> ArticleAnalysis:
    text = ("Harbour officials in Port Aldren said about 1,200 containers were stuck on Monday, "
            "while Mirela Tosk of the Dockworkers Union denied any strike.")
    aid = "art-rich"
    article = Article(
        id=aid, title="Port Aldren jammed", text=text, outlet="Coastal Ledger", published="2024-03-04",
        author="Ana Brel", url="https://ledger.example/port", path="in/port.txt", format="text",
        cited_sources=["Harbour authority statement"],
        headline=Headline(text="Port Aldren jammed", sensational=True, signals=["jammed"], clickbait=0.4),
        extra={"section": "Business", "tags": ["ports", "labour"], "nested": {"n": 1.5, "ok": True, "none": None}},
        raw=b"\xef\xbb\xbfPort Aldren jammed\n\n" + text.encode() + b"\x00\xff",
    )
    s, e = span(text, "Port Aldren")
    place = Entity(id="E-aldren", name="Port Aldren", type="place", aliases=["Aldren"], roles=[],
                   mentions=[Mention(aid, s, e, "Port Aldren")],
                   geo=Geo(lat=54.5, lon=-3.25, country="GB", gazetteer_id="g123", name="Port Aldren",
                           feature="PPL", score=0.9))
    s, e = span(text, "Mirela Tosk")
    person = Entity(id="E-tosk", name="Mirela Tosk", type="person", roles=["union spokeswoman"],
                    mentions=[Mention(aid, s, e, "Mirela Tosk")])
    s, e = span(text, "Dockworkers Union")
    union = Entity(id="E-union", name="Dockworkers Union", type="organization", mentions=[Mention(aid, s, e, "Dockworkers Union")])
    s, e = span(text, "about 1,200")
    qty = Quantity(id="q-1", article=aid, text="about 1,200", start=s, end=e, value=1200.0, approximate=True,
                   low=1100.0, high=1300.0, unit=None, counted="containers")
    claims = [
        Claim(id="c-1", article=aid, text=text[:80], start=0, end=80, predicate="be stuck", subject="containers",
              quantities=["q-1"], attribution=Attribution(kind="official", source="Harbour officials"),
              hedged=True, hedges=["about"], date="2024-03-04"),
        Claim(id="c-2", article=aid, text="denied any strike", start=text.index("denied"), end=len(text) - 1,
              predicate="strike", subject="E-union", object=None, negated=True,
              attribution=Attribution(kind="named", source="Mirela Tosk", entity="E-tosk"), corroboration=2),
    ]
    s, e = span(text, "Monday")
    times = [TimeExpression(article=aid, start=s, end=e, text="Monday", date="2024-03-04")]
    return ArticleAnalysis(article=article, entities=[place, person, union], quantities=[qty], claims=claims, times=times)


def without_raw(analysis: ArticleAnalysis) -> ArticleAnalysis:
    copied = copy.deepcopy(analysis)
    copied.article.raw = None
    return copied


# --- round trips -----------------------------------------------------------------------------
def test_article_round_trip_is_exact_with_and_without_raw(store):
    analysis = rich_analysis()
    assert store.add_analysis(copy.deepcopy(analysis))
    stored = store.get_article("art-rich", with_raw=True)
    assert stored == analysis.article
    assert Article.from_dict(stored.to_dict()).to_dict() == analysis.article.to_dict()
    assert store.get_article("art-rich").raw is None


def test_analysis_round_trip_is_exact(store):
    analysis = rich_analysis()
    store.add_analysis(copy.deepcopy(analysis))
    assert store.get_analysis("art-rich") == without_raw(analysis)
    assert [a.article.id for a in store.iter_analyses()] == ["art-rich"]
    assert next(iter(store.iter_analyses())) == without_raw(analysis)


def test_headline_none_stays_none(store):
    store.add_analysis(ArticleAnalysis(article=Article(id="a", title="T", text="body")))
    assert store.get_article("a").headline is None


def test_story_round_trip_is_exact(store):
    for i in range(3):
        store.add_analysis(analysis_of(f"a{i}", f"Title {i}", f"Report number {i} by Kel Varro.", {"E-kel": "Kel Varro"}))
    story = Story(
        id="s-1", title="Ferry dispute", articles=["a0", "a2"],
        snapshot=[Bullet(text="Ferries halted.", articles=["a0", "a2"], claims=["a0-c0"], hedged=True, corroboration=2)],
        conflicts=[Conflict(about="passengers stranded", kind="number", values=[
            ConflictValue(value=300, article="a0", text="300 passengers", quantity="q-x"),
            ConflictValue(value=450.5, article="a2", text="450 passengers", claim="a2-c0")])],
        timeline=[TimelineEntry(date="2024-01-02", article="a0", claim="a0-c0", text="Ferries halted")],
        outlets=["Ledger", "Courier"], first_published="2024-01-02", last_published="2024-01-05",
    )
    store.save_story(story)
    assert store.get_story("s-1") == story
    assert store.list_stories() == [story]
    assert store.story_of_article("a2") == "s-1"
    assert store.story_of_article("a1") is None
    with pytest.raises(NotFoundError):
        store.get_story("nope")


def test_missing_things_raise_not_found(store):
    for call in (lambda: store.get_article("x"), lambda: store.get_analysis("x"), lambda: store.get_entity("x"),
                 lambda: store.update_article(Article(id="x", title="t", text="t"))):
        with pytest.raises(NotFoundError):
            call()


# --- adds, updates, entities -----------------------------------------------------------------
def test_add_is_idempotent(store):
    analysis = rich_analysis()
    assert store.add_analysis(copy.deepcopy(analysis)) is True
    before = store.counts()
    changed = copy.deepcopy(analysis)
    changed.claims.append(Claim(id="c-extra", article="art-rich", text="x", start=0, end=1, predicate="x"))
    assert store.add_analysis(changed) is False
    assert store.counts() == before
    assert before == {"articles": 1, "entities": 3, "claims": 2, "stories": 0, "quantities": 1, "mentions": 3, "times": 1}
    assert store.has_article("art-rich") and not store.has_article("other")


def test_update_article_rewrites_metadata_but_not_text(store):
    store.add_analysis(rich_analysis())
    article = store.get_article("art-rich", with_raw=True)
    article.duplicate_of = "art-0"
    article.headline = Headline(text=article.title, sensational=False)
    article.text = "tampered"
    article.raw = b"tampered"
    store.update_article(article)
    stored = store.get_article("art-rich", with_raw=True)
    assert stored.duplicate_of == "art-0" and stored.headline == Headline(text=article.title)
    assert stored.text == rich_analysis().article.text and stored.raw == rich_analysis().article.raw


def test_upsert_entity_merges(store):
    store.upsert_entity(Entity(id="E1", name="Tosk", type="person", aliases=["M. Tosk"], roles=["spokeswoman"]))
    store.upsert_entity(Entity(id="E1", name="Mirela Tosk", type="person", aliases=["Tosk", "Mira"],
                               roles=["union leader", "spokeswoman"], geo=Geo(lat=1.0, lon=2.0)))
    entity = store.get_entity("E1")
    assert entity.name == "Mirela Tosk"
    assert entity.aliases == ["M. Tosk", "Tosk", "Mira"]
    assert entity.roles == ["spokeswoman", "union leader"]
    assert entity.geo == Geo(lat=1.0, lon=2.0)
    # A shorter name does not replace the longer one but becomes an alias; geo survives a None.
    store.upsert_entity(Entity(id="E1", name="Mira T.", type="person", geo=None))
    entity = store.get_entity("E1")
    assert entity.name == "Mirela Tosk" and entity.aliases[-1] == "Mira T." and entity.geo == Geo(lat=1.0, lon=2.0)


def test_entities_across_articles(store):
    store.add_analysis(analysis_of("a1", "One", "Kel Varro met Ida Rusk.", {"E-kel": "Kel Varro", "E-ida": "Ida Rusk"}))
    store.add_analysis(analysis_of("a2", "Two", "Later Kel Varro left.", {"E-kel": "Kel Varro"}))
    kel = store.get_entity("E-kel")
    assert [(m.article, m.text) for m in kel.mentions] == [("a1", "Kel Varro"), ("a2", "Kel Varro")]
    assert [e.id for e in store.list_entities()] == ["E-kel", "E-ida"]
    assert [e.id for e in store.list_entities(name="rusk")] == ["E-ida"]
    assert store.list_entities(type="place") == []
    assert store.list_entities(name="%") == [] and store.list_entities(name="_") == []  # no wildcards
    assert [e.id for e in store.list_entities(type="person", name="KEL", limit=1)] == ["E-kel"]
    assert store.entity_mention_counts(["E-kel", "E-ida", "E-none"]) == {"E-kel": 2, "E-ida": 1, "E-none": 0}
    # Per-article analysis carries only that article's mentions.
    assert [m.article for m in store.get_analysis("a2").entities[0].mentions] == ["a2"]


def test_entity_name_filter_folds_unicode_case_and_reads_aliases(store):
    store.upsert_entity(Entity(id="E-z", name="Zürich Council", type="organization", aliases=["Stadtrat_Zürich"]))
    store.upsert_entity(Entity(id="E-o", name="Öland Ferries", type="organization"))
    assert [e.id for e in store.list_entities(name="ZÜRICH")] == ["E-z"]
    assert [e.id for e in store.list_entities(name="stadtrat_")] == ["E-z"]  # alias, "_" taken literally
    assert [e.id for e in store.list_entities(name="öland")] == ["E-o"]


def test_entity_keys(store):
    store.upsert_entity(Entity(id="E1", name="Kel Varro", type="person"))
    store.upsert_entity(Entity(id="E2", name="Ada Varro", type="person"))
    store.add_entity_keys("E1", ["kel varro", "varro"])
    store.add_entity_keys("E2", ["ada varro", "varro"])
    store.add_entity_keys("E2", ["varro"])  # repeated keys are harmless
    assert store.entities_by_keys(["varro", "kel varro", "nobody"]) == {"varro": ["E1", "E2"], "kel varro": ["E1"]}


# --- search ----------------------------------------------------------------------------------
def test_search_ranks_title_matches_first_and_marks_snippets(store):
    store.add_analysis(analysis_of("body", "Weather report", "Rain fell. The Velmora bridge closed after the storm.",
                                   {"E1": "Velmora"}))
    store.add_analysis(analysis_of("title", "Velmora bridge reopens", "Engineers said repairs are done at last.",
                                   {"E2": "Engineers"}))
    store.add_analysis(analysis_of("none", "Unrelated", "Nothing about bridges here from Ida Rusk.", {"E3": "Ida Rusk"}))
    hits = store.search("velmora")
    assert [h.article.id for h in hits] == ["title", "body"]
    assert hits[0].score > hits[1].score
    assert f"{SNIPPET_OPEN}Velmora{SNIPPET_CLOSE}" in hits[1].snippet
    assert [h.article.id for h in store.search("bridge AND storm")] == ["body"]
    assert store.search("velmora", limit=1)[0].article.id == "title"


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "foo:", "velmora OR", "(", "NEAR(", "*", "title:", '"', "bridge -"])
def test_hostile_search_syntax_does_not_raise(store, query):
    store.add_analysis(analysis_of("a", "Velmora bridge", "The bridge in Velmora closed.", {"E": "Velmora"}))
    hits = store.search(query)
    words = {w.lower() for w in query.replace('"', " ").split()}
    if words & {"velmora", "bridge"}:
        assert [h.article.id for h in hits] == ["a"]
    else:
        assert hits == []


def test_search_sees_accents_folded_and_empty_query(store):
    store.add_analysis(analysis_of("a", "Café Zürich fire", "Fire at the café.", {"E": "Fire"}))
    assert [h.article.id for h in store.search("zurich")] == ["a"]
    assert store.search("   ") == []


# --- claims ----------------------------------------------------------------------------------
def test_list_claims_filters(store):
    rich = rich_analysis()
    store.add_analysis(rich)
    store.add_analysis(analysis_of("a2", "Two", "Kel Varro said the Dockworkers Union lied.", {"E-kel": "Kel Varro"}))
    store.save_story(Story(id="s", title="s", articles=["a2"]))
    # c-2 is about E-union (subject) and by E-tosk (attribution entity).
    assert [c.id for c in store.list_claims(entity="E-union")] == ["c-2"]
    assert [c.id for c in store.list_claims(entity="E-tosk")] == ["c-2"]
    assert [c.id for c in store.list_claims(entity="E-kel")] == ["a2-c0"]
    assert [c.id for c in store.list_claims(article="art-rich")] == ["c-1", "c-2"]
    assert [c.id for c in store.list_claims(story="s")] == ["a2-c0"]
    assert store.list_claims(entity="E-kel", article="art-rich") == []
    assert [c.id for c in store.list_claims()] == ["c-1", "c-2", "a2-c0"]
    assert store.list_claims(article="art-rich") == rich.claims


def test_update_claims_rewrites_derived_fields(store):
    store.add_analysis(rich_analysis())
    claim = store.list_claims(article="art-rich")[0]
    claim.corroboration, claim.date = 3, "2024-03-05"
    store.update_claims([claim])
    assert store.list_claims(article="art-rich")[0] == claim


# --- stories ---------------------------------------------------------------------------------
def test_stories_order_membership_and_delete(store):
    for i in range(3):
        store.add_analysis(analysis_of(f"a{i}", "t", f"Text {i} Kel Varro", {"E": "Kel Varro"}))
    store.save_story(Story(id="old", title="old", articles=["a0", "a1"], last_published="2024-01-01"))
    store.save_story(Story(id="new", title="new", articles=["a2"], last_published="2024-02-01"))
    store.save_story(Story(id="undated", title="u", articles=[]))
    assert [s.id for s in store.list_stories()] == ["new", "old", "undated"]
    assert [s.id for s in store.list_stories(limit=1, offset=1)] == ["old"]
    # Saving a story that names a1 moves a1 into it.
    store.save_story(Story(id="new", title="new", articles=["a2", "a1"], last_published="2024-02-01"))
    assert store.story_of_article("a1") == "new"
    store.set_story_features("old", {"f": 1.0}, "2024-01-01")
    store.delete_story("old")
    assert [s.id for s in store.list_stories()] == ["new", "undated"]
    assert store.story_of_article("a0") is None
    assert store.candidate_stories({"f": 1.0}) == []
    assert store.counts()["stories"] == 2


def test_story_of_unknown_article_fails_at_commit(store):
    with pytest.raises(StoreError):
        store.save_story(Story(id="s", title="s", articles=["ghost"]))
    assert store.list_stories() == []


def test_candidate_stories_scores_and_since(store):
    store.set_story_features("s-a", {"ent:kel": 2.0, "word:ferry": 1.0}, "2024-05-01")
    store.set_story_features("s-b", {"word:ferry": 3.0}, "2023-01-01")
    store.set_story_features("s-c", {"word:strike": 1.0}, None)
    got = store.candidate_stories({"ent:kel": 1.0, "word:ferry": 0.5, "word:nothing": 9.0})
    assert got == [("s-a", 2.5), ("s-b", 1.5)]
    assert store.candidate_stories({"word:ferry": 1.0}, since="2024-01-01") == [("s-a", 1.0)]
    assert store.candidate_stories({"word:strike": 1.0}, since="2024-01-01") == [("s-c", 1.0)]  # undated passes
    assert store.candidate_stories({"word:ferry": 1.0}, limit=1) == [("s-b", 3.0)]
    store.set_story_features("s-b", {"word:other": 1.0}, "2024-06-01")  # replaces the old entry
    assert store.candidate_stories({"word:ferry": 1.0}) == [("s-a", 1.0)]
    assert store.candidate_stories({}) == []
    assert store.candidate_stories({"ent:kel": float("inf"), "word:nothing": float("nan")}) == []


def test_candidate_lookup_reads_posting_lists_through_the_index(store):
    # The query plan must search story_features by feature, not scan it: cost ~ posting lists touched.
    conn = store._conn
    plan = " | ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT sf.story_id, SUM(sf.weight * q.value) FROM json_each(?) q"
        " CROSS JOIN story_features sf ON sf.feature = q.key GROUP BY sf.story_id", ("{}",)))
    assert "SEARCH sf USING PRIMARY KEY (feature=?)" in plan and "SCAN sf" not in plan


def test_state(store):
    assert store.get_state("centroids") is None
    store.set_state("centroids", {"s": [0.1, 0.2], "n": 2})
    store.set_state("centroids", {"s": [0.3], "n": 3})
    assert store.get_state("centroids") == {"s": [0.3], "n": 3}


# --- transactions ----------------------------------------------------------------------------
def test_transaction_rolls_back_everything_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_analysis(rich_analysis())
            store.set_state("k", {"v": 1})
            raise RuntimeError("boom")
    assert store.counts()["articles"] == 0 and store.get_state("k") is None
    assert store.counts()["entities"] == 0


def test_nested_transaction_failure_undoes_only_the_inner_block(store):
    with store.transaction():
        store.add_analysis(analysis_of("a1", "One", "Kel Varro spoke.", {"E": "Kel Varro"}))
        with pytest.raises(ValueError):
            with store.transaction():
                store.add_analysis(analysis_of("a2", "Two", "Ida Rusk spoke.", {"E2": "Ida Rusk"}))
                raise ValueError
    assert store.has_article("a1") and not store.has_article("a2")


def test_list_articles_newest_first(store):
    store.add_analysis(ArticleAnalysis(article=Article(id="old", title="t", text="x", published="2024-01-01")))
    store.add_analysis(ArticleAnalysis(article=Article(id="undated", title="t", text="x")))
    store.add_analysis(ArticleAnalysis(article=Article(id="new", title="t", text="x", published="2024-02-01")))
    store.add_analysis(ArticleAnalysis(article=Article(id="new2", title="t", text="x", published="2024-02-01")))
    assert [a.id for a in store.list_articles()] == ["new2", "new", "old", "undated"]
    assert [a.id for a in store.list_articles(limit=2, offset=1)] == ["new", "old"]
    assert all(a.raw is None for a in store.list_articles())


# --- files, versions, migrations -------------------------------------------------------------
def test_store_file_is_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "sub" / "dir" / "ww.db"  # parent directories are created
    with open_store(str(path)) as store:
        store.add_analysis(rich_analysis())
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()


def test_default_path_comes_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "env" / "store.db"
    monkeypatch.setenv("WIREWATCH_DB", str(target))
    with open_store() as store:
        store.set_state("k", {})
    assert target.exists()


def test_memory_store_is_throwaway():
    with open_store(":memory:") as store:
        store.add_analysis(rich_analysis())
        assert store.counts()["articles"] == 1
    with open_store(":memory:") as store:
        assert store.counts()["articles"] == 0


def test_not_a_database_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database.\n" * 200)
    with pytest.raises(StoreError, match="notes.db"):
        open_store(str(path))
    assert path.read_bytes().startswith(b"These are my notes")  # untouched


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a wirewatch store"):
        open_store(str(path))


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer wirewatch"):
        open_store(str(path))


def test_old_schema_is_migrated_keeping_data(tmp_path):
    # A store left at schema version 1 (before full-text search) with one article in it.
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert schema.migrate(conn, str(path), target=1) == 1
    conn.execute(
        "INSERT INTO articles (id, title, text, format, meta, ingested_at) VALUES (?, ?, ?, ?, ?, ?)",
        ("old-1", "Velmora flood", "Water rose in Velmora.", "text", "{}", "2024-01-01T00:00:00+00:00"),
    )
    conn.close()
    with open_store(str(path)) as store:
        assert [h.article.id for h in store.search("velmora")] == ["old-1"]  # back-filled index
        store.set_story_features("s", {"f": 1.0}, None)  # version-3 table exists
        assert store.get_article("old-1").cited_sources == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()


def test_closed_store_refuses_use(tmp_path):
    store = open_store(str(tmp_path / "c.db"))
    store.close()
    with pytest.raises(StoreError):
        store.counts()


def test_a_place_written_literally_once_stays_a_map_pin(tmp_path):
    from wirewatch.model import Geo

    with open_store(str(tmp_path / "pins.db")) as store:
        literal = Entity(id="p1", name="Moscow", type="place", geo=Geo(lat=55.75, lon=37.62, country="RU"))
        actor = Entity(id="p1", name="Moscow", type="place", geo=Geo(lat=55.75, lon=37.62, country="RU", literal=False))
        store.upsert_entity(literal)
        store.upsert_entity(actor)  # "Moscow said ..." in a later report
        assert store.get_entity("p1").geo.literal is True
        store.upsert_entity(Entity(id="p2", name="Kyiv", type="place", geo=Geo(lat=50.45, lon=30.52, literal=False)))
        assert store.get_entity("p2").geo.literal is False
