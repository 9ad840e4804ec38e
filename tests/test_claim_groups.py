"""Claim groups, origins and independence on invented reports written for these tests.

Two invented stories: five outlets retelling, in their own words, one news agency's investigation
(they must form one claim group, with the agency as the origin of most retellings and one
independent origin), and three outlets quoting the death toll of a monitoring group (the monitor
is the origin of the tolls). Plus unit checks of the pure parts: features, online grouping,
credits, the wording, and dispute marking.
"""
from __future__ import annotations

import pytest

from wirewatch.learned import LogisticModel
from wirewatch.model import Article, ArticleAnalysis, Attribution, Claim, Entity, Mention, Quantity
from wirewatch.stories.claim_features import FEATURES, RunningIdf, claim_views, pair_features
from wirewatch.stories.claim_groups import GroupParams, default_model, group_claims
from wirewatch.stories.origins import credits, find_origins, independence_label

INVESTIGATION = [
    ("Baltic Wire", "2026-03-02T08:00:00Z",
     "Exiled generals fund armed network in Moldova's south, investigation finds",
     "CHISINAU — Two exiled generals, Viktor Stratan and Ion Ciobanu, are funnelling millions of dollars to "
     "about 20,000 former soldiers in southern Moldova, a Baltic Wire investigation found. The money is paid "
     "through shell companies in Odesa, according to bank records reviewed by the agency. Stratan and Ciobanu "
     "did not respond to requests for comment. The network runs nine command posts near Cahul, the "
     "records show."),
    ("The Evening Courier", "2026-03-02T14:00:00Z",
     "Generals in exile bankroll thousands of ex-soldiers, report says",
     "Viktor Stratan and Ion Ciobanu, two generals living in exile, have been channelling millions of dollars "
     "to some 20,000 former soldiers in the south of Moldova, according to an investigation by Baltic Wire. "
     "The report said the payments flow through front companies registered in Odesa. Moldova's interior "
     "ministry said it was studying the findings."),
    ("Danube Today", "2026-03-03T09:30:00Z",
     "Probe: exiled commanders pay 20,000 fighters in southern Moldova",
     "Exiled commanders Viktor Stratan and Ion Ciobanu are sending millions of dollars to roughly 20,000 "
     "former soldiers in southern Moldova, Baltic Wire reported on Monday. The agency's investigation traced "
     "the money to shell firms in Odesa. Local residents in Cahul said they had seen armed men training in "
     "the forests."),
    ("Carpathian Herald", "2026-03-03T11:00:00Z",
     "Stratan and Ciobanu accused of funding a shadow army",
     "A Baltic Wire investigation has found that Viktor Stratan and Ion Ciobanu, two generals who fled "
     "Moldova, are funnelling millions of dollars to an estimated 20,000 ex-soldiers in the country's south. "
     "The two men could not be reached. Opposition lawmakers demanded a parliamentary inquiry."),
    ("Prut Observer", "2026-03-04T07:15:00Z",
     "Millions flow from exiled generals to former soldiers",
     "Millions of dollars are being funnelled by exiled generals Viktor Stratan and Ion Ciobanu to about "
     "20,000 former soldiers in southern Moldova, as first reported by Baltic Wire. The payments go through "
     "companies in Odesa, the agency said. Moldova's president called the findings alarming."),
]

TOLLS = [
    ("Gulf Ledger", "2026-05-11T10:00:00Z", "Clashes in Deir Hafer kill at least 23, monitor says",
     "At least 23 people were killed in clashes between rival militias in Deir Hafer on Sunday, the Sahel "
     "Conflict Monitor said. The monitor said eight of the dead were civilians. Shops in the town stayed "
     "closed on Monday."),
    ("Red Sea Times", "2026-05-11T12:00:00Z", "Death toll in Deir Hafer fighting rises to 23",
     "The Sahel Conflict Monitor said 23 people had been killed in the fighting in Deir Hafer, including eight "
     "civilians. Rival militias exchanged mortar fire through the night, residents said."),
    ("Nile Dispatch", "2026-05-11T15:00:00Z", "Militia fighting in Deir Hafer: 23 dead",
     "Fighting between militias in Deir Hafer has killed 23 people, according to the Sahel Conflict Monitor, "
     "a monitoring group that tracks violence in the region. Eight of those killed were civilians, the "
     "group said. Aid agencies called for a ceasefire."),
]


def _articles(make_article, items):
    return [make_article(title, text, outlet=outlet, published=published) for outlet, published, title, text in items]


@pytest.fixture(scope="module")
def stories(resources):
    from tests.conftest import ROOT  # noqa: F401 - conftest is imported by pytest anyway
    from wirewatch.ingest.ids import article_id
    from wirewatch.pipeline import Wirewatch

    out = {}
    for name, items in (("investigation", INVESTIGATION), ("tolls", TOLLS)):
        ww = Wirewatch(":memory:", resources=resources)
        arts = [Article(id=article_id(t, x), title=t, text=x, outlet=o, published=p) for o, p, t, x in items]
        ww.ingest_articles(arts)
        out[name] = (ww.analysis(), [a.id for a in arts])
        ww.close()
    return out


def _lead_claims(analysis, ids, words):
    """The first claim of each article whose text holds all of `words` (case-folded)."""
    found = {}
    for claim in analysis.claims:
        if claim.article in ids and claim.article not in found and all(w in claim.text.casefold() for w in words):
            found[claim.article] = claim
    return found


def test_retellings_of_one_investigation_form_one_group_with_the_agency_as_origin(stories):
    analysis, ids = stories["investigation"]
    assert len(analysis.stories) == 1
    story = analysis.stories[0]
    leads = _lead_claims(analysis, ids, ["stratan", "million"])
    assert len(leads) >= 4, [c.text for c in analysis.claims]
    groups = [c.group for c in leads.values()]
    top = max(set(groups), key=groups.count)
    assert groups.count(top) >= 4, [(c.text, c.group) for c in leads.values()]
    origin = next((o for o in story.origins if "baltic wire" in o.name.casefold()), None)
    assert origin is not None, story.origins
    assert len(set(origin.articles) & set(ids[1:])) >= 3  # most retellings rely on it
    grouped = [c for c in leads.values() if c.group == top]
    assert all(c.corroboration >= 4 for c in grouped)
    assert all(c.independent <= 2 for c in grouped)  # one agency (plus at most one stray outlet), not five


def test_a_monitor_is_the_origin_of_the_tolls_several_outlets_quote(stories):
    analysis, ids = stories["tolls"]
    story = analysis.stories[0]
    monitor = next((o for o in story.origins if "sahel conflict monitor" in o.name.casefold()), None)
    assert monitor is not None, story.origins
    assert monitor.kind == "monitor"
    assert set(monitor.articles) == set(ids)
    assert monitor.entity  # linked to its entity
    tolls = [c for c in analysis.claims if "23" in c.text and c.attribution.kind != "none"]
    assert len({c.article for c in tolls}) == 3
    grouped = [c for c in tolls if c.group == tolls[0].group]
    assert len({c.article for c in grouped}) >= 2
    assert all(c.independent == 1 for c in grouped)  # every outlet quotes one monitor


def test_snapshot_says_outlets_and_origins(stories):
    analysis, _ = stories["investigation"]
    bullet = analysis.stories[0].snapshot[0]
    label = independence_label(bullet.corroboration, bullet.independent, bullet.origins)
    assert bullet.corroboration >= 4 and bullet.independent is not None
    assert label.startswith(f"{bullet.corroboration} outlets, {bullet.independent} origin")


def test_independence_label_wording():
    assert independence_label(7, 1, ["Reuters investigation"]) == "7 outlets, 1 origin: Reuters investigation"
    assert independence_label(3, 3, []) == "3 outlets, 3 origins"
    assert independence_label(1, 1, []) == "1 outlet"


def _analysis(aid, text, outlet, claims, entities=(), quantities=(), **meta):
    return ArticleAnalysis(article=Article(id=aid, title=f"t {aid}", text=text, outlet=outlet, **meta),
                           entities=list(entities), quantities=list(quantities), claims=list(claims))


def _claim(aid, cid, text, body, predicate="STATEMENT", **kw):
    start = body.index(text)
    return Claim(id=cid, article=aid, text=text, start=start, end=start + len(text), predicate=predicate, **kw)


def test_credits_find_agencies_not_people_or_the_outlet_itself():
    body = ("A Reuters investigation found that the plant leaked. According to AP, two workers died. "
            "John Smith reported the leak. Witnesses told Coast News that the alarm failed.")
    a = _analysis("a1", body, "Coast News", [],
                  entities=[Entity(id="p1", name="John Smith", type="person",
                                   mentions=[Mention("a1", body.index("John"), body.index("John") + 10, "John Smith")])])
    names = {c.org.casefold(): c for c in credits(a, {"coast news"})}
    assert "reuters" in names and names["reuters"].name == "Reuters investigation"
    assert "ap" in names and names["ap"].kind == "wire"
    assert "john smith" not in names and "coast news" not in names


def test_syndicated_copies_and_cited_reports_trace_to_one_origin():
    body = "Floods cut the road to Tarbes on Friday, officials said."
    original = _analysis("w1", body, "Pyrenees Wire", [_claim("w1", "c1", body, body)])
    copy = _analysis("w2", body, "Valley Post", [_claim("w2", "c2", body, body)], duplicate_of=None)
    copy.article.duplicate_of = "w1"
    body3 = "The road to Tarbes was closed by floods on Friday."
    citing = _analysis("w3", body3, "Summit Daily", [_claim("w3", "c3", body3, body3)])
    citing.article.cited_sources = ["t w1", "https://www.example-news.org/floods"]
    source_of = {"w1": "w1", "w2": "w1", "w3": "w3"}
    index = find_origins([original, copy, citing], source_of)
    roots = {c.id: index.roots(c, source_of) for a in (original, copy, citing) for c in a.claims}
    assert roots["c1"] == roots["c2"]  # a copy relies on its original
    assert roots["c1"] <= roots["c3"]  # a cited report of the story passes its origin on
    names = {o.name: o for o in index.origins}
    assert "Pyrenees Wire" in names and set(names["Pyrenees Wire"].articles) >= {"w1", "w2"}
    assert "example-news.org" in names  # a cited URL outside the story is named by its host


def test_denial_from_another_origin_marks_the_group_disputed():
    from wirewatch.stories.conflicts import denial_conflicts
    from wirewatch.stories.corroborate import mark_disputed

    b1 = "Soldiers fired on protesters outside the police station."
    b2 = "The army denied that soldiers fired on protesters outside the police station."
    c1 = _claim("d1", "k1", b1, b1, predicate="ASSAULT")
    c2 = _claim("d2", "k2", b2, b2, predicate="ASSAULT", negated=True,
                attribution=Attribution(kind="official", source="The army"))
    c1.group = c2.group = "g1"
    analyses = [_analysis("d1", b1, "One", [c1]), _analysis("d2", b2, "Two", [c2])]
    source_of = {"d1": "d1", "d2": "d2"}
    index = find_origins(analyses, source_of)
    conflicts = denial_conflicts([[c1, c2]], source_of)
    disputed = mark_disputed([[c1, c2]], conflicts, [], lambda c: index.roots(c, source_of))
    assert disputed == {"g1"} and conflicts[0].groups == ["g1"]


def test_clashing_figures_in_one_group_mark_it_disputed():
    from wirewatch.stories.corroborate import mark_disputed
    from wirewatch.model import Conflict, ConflictValue

    q1 = Quantity(id="q1", article="e1", text="37 people", start=0, end=9, value=37, counted="people killed")
    q2 = Quantity(id="q2", article="e2", text="41 people", start=0, end=9, value=41, counted="people killed")
    c1 = Claim(id="k1", article="e1", text="37 people were killed", start=0, end=21, predicate="KILL",
               quantities=["q1"], group="g")
    c2 = Claim(id="k2", article="e2", text="41 people were killed", start=0, end=21, predicate="KILL",
               quantities=["q2"], group="g")
    conflict = Conflict(about="people killed", values=[ConflictValue(37, "e1", quantity="q1"),
                                                       ConflictValue(41, "e2", quantity="q2")])
    same_origin = mark_disputed([[c1, c2]], [conflict], [q1, q2], lambda c: {"o:monitor"})
    assert same_origin == set()  # one origin revising itself is not a dispute between sources
    assert mark_disputed([[c1, c2]], [conflict], [q1, q2], lambda c: {c.article}) == {"g"}
    assert conflict.groups == ["g"]


def test_pair_features_see_shared_entities_figures_and_words():
    b1 = "Police arrested Tom Reed in Leeds after 3 people were stabbed."
    b2 = "Tom Reed was arrested in Leeds over the stabbing of 3 people."
    person = lambda aid, body: Entity(id="P", name="Tom Reed", type="person",  # noqa: E731
                                      mentions=[Mention(aid, body.index("Tom"), body.index("Tom") + 8, "Tom Reed")])
    qs = [Quantity(id=f"q{i}", article=a, text="3 people", start=b.index("3"), end=b.index("3") + 8, value=3,
                   counted="people stabbed") for i, (a, b) in enumerate((("x1", b1), ("x2", b2)))]
    a1 = _analysis("x1", b1, "A", [_claim("x1", "c1", b1, b1, predicate="COERCE", quantities=["q0"])],
                   entities=[person("x1", b1)], quantities=[qs[0]])
    a2 = _analysis("x2", b2, "B", [_claim("x2", "c2", b2, b2, predicate="COERCE", quantities=["q1"])],
                   entities=[person("x2", b2)], quantities=[qs[1]])
    idf = RunningIdf()
    views = []
    for a in (a1, a2):
        vs = claim_views(a)
        idf.add({w for v in vs for w in v.words})
        views += vs
    f = pair_features(views[1], views[0], idf)
    assert set(f) == set(FEATURES)
    assert f["shared_people"] == 1.0 and f["qty_agree"] == 1.0 and f["same_predicate"] == 1.0
    assert f["shared_events"] >= 1 and f["word_jaccard"] > 0.3 and f["same_article"] == 0.0


def test_grouping_is_online_and_keeps_groups_already_given():
    bodies = ["Storm floods Tarbes market.", "Tarbes market flooded by the storm.", "The storm floods the market in Tarbes."]
    analyses = [_analysis(f"s{i}", b, f"O{i}", [_claim(f"s{i}", f"c{i}", b, b)]) for i, b in enumerate(bodies)]
    always = LogisticModel(features=list(FEATURES), mean=[0.0] * len(FEATURES), scale=[1.0] * len(FEATURES),
                           coef=[0.0] * len(FEATURES), intercept=5.0)
    never = LogisticModel(features=list(FEATURES), mean=[0.0] * len(FEATURES), scale=[1.0] * len(FEATURES),
                          coef=[0.0] * len(FEATURES), intercept=-5.0)
    together = group_claims(analyses, always, GroupParams(threshold=0.5))
    assert len(set(together.values())) == 1
    apart = group_claims(analyses, never, GroupParams(threshold=0.5))
    assert len(set(apart.values())) == 3
    # A clause repeated word for word is the same statement whatever the model says.
    verbatim = [_analysis(f"v{i}", bodies[0], f"O{i}", [_claim(f"v{i}", f"w{i}", bodies[0], bodies[0])]) for i in range(2)]
    assert len(set(group_claims(verbatim, never, GroupParams(threshold=0.5)).values())) == 1
    # A report grouped when it arrived keeps its group when the story is rebuilt with more reports.
    analyses[0].claims[0].group = "gEARLIER"
    kept = group_claims(analyses, always, GroupParams(threshold=0.5))
    assert set(kept.values()) == {"gEARLIER"}


def test_shipped_model_records_how_it_was_trained():
    model = default_model()
    assert list(model.features) == list(FEATURES)
    assert 0.0 < model.meta["threshold"] < 1.0 and model.meta["linkage"] in ("max", "mean")
    assert model.meta["cv_by_topic"]["conll_f1"] > 0


def test_story_page_report_and_terminal_say_outlets_and_origins(resources):
    from wirewatch.export.report import render_report
    from wirewatch.ingest.ids import article_id
    from wirewatch.pipeline import Wirewatch
    from wirewatch.stories.render import render_story
    from wirewatch.web.views import story_view

    hostile = "<img src=x onerror=alert(1)>"
    with Wirewatch(":memory:", resources=resources) as ww:
        arts = [Article(id=article_id(t, x), title=t, text=x, outlet=o, published=p) for o, p, t, x in INVESTIGATION]
        arts[-1].cited_sources = [hostile]
        ww.ingest_articles(arts)
        story = ww.store.list_stories()[0]
        lead = story.snapshot[0]
        label = independence_label(lead.corroboration, lead.independent, lead.origins)
        assert "Baltic Wire investigation" in label and lead.independent < lead.corroboration
        view = story_view(ww.store, story.id)
        assert view.bullets[0].independence == label
        html = render_report(ww.store, story.id)
        from markupsafe import escape

        assert str(escape(label)) in html and "Origins:" in html
        assert hostile not in html and "&lt;img src=x" in html  # an origin named by article data is escaped
        assert label in " ".join(render_story(story, ww.store).split())  # wrapped at 88 columns


def test_snapshot_prefers_claims_with_more_independent_origins():
    from wirewatch.stories.snapshot import build_snapshot

    echo = "Rebels seized the northern border crossing at Kavala on Friday morning."
    known = "Floodwater cut the only road between Tarbes and Lourdes on Friday morning."
    analyses, groups = [], {"echo": [], "known": []}
    for i in range(3):
        body = f"{echo} {known}"
        a = _analysis(f"r{i}", body, f"Outlet {i}", [
            _claim(f"r{i}", f"e{i}", echo, body, predicate="ASSAULT", group="gecho", corroboration=3, independent=1),
            _claim(f"r{i}", f"k{i}", known, body, predicate="STATEMENT", group="gknown", corroboration=3,
                   independent=3)])
        analyses.append(a)
        groups["echo"].append(a.claims[0])
        groups["known"].append(a.claims[1])
    source_of = {a.article.id: a.article.id for a in analyses}
    bullets = build_snapshot(analyses, [groups["echo"], groups["known"]], source_of, {},
                             {"gecho": ["Kavala Wire"], "gknown": []})
    assert [b.group for b in bullets] == ["gknown", "gecho"]
    assert bullets[1].independent == 1 and bullets[1].origins == ["Kavala Wire"] and bullets[1].corroboration == 3
