"""Figure series on invented reports run through the real extractor: rising tolls are revisions, not
conflicts; a company's and a union's job-cut figures disagree; subsets, per-city figures, zeros and
unrelated percentages never stand beside the toll."""
from __future__ import annotations

import pytest

from wirewatch.model import Article, Claim, Quantity
from wirewatch.stories import build_story
from wirewatch.stories.conflicts import contradicts, denial_conflicts, number_conflicts


@pytest.fixture(scope="module")
def ww(resources):
    from wirewatch.pipeline import Wirewatch

    pipeline = Wirewatch(":memory:", resources=resources)
    yield pipeline
    pipeline.close()


def _story(ww, reports):
    """Analyse invented reports (outlet, published, title, text) and build one story from them."""
    articles = [Article(id=f"t{abs(hash((o, d, t))) % 10**12}", title=t, text=x, outlet=o, published=d)
                for o, d, t, x in reports]
    ww.ingest_articles(articles)
    analyses = [ww.store.get_analysis(a.id) for a in articles]
    return build_story("s-test", analyses), {a.id: a for a in articles}


def _series(story, about):
    matches = [f for f in story.figures if f.about == about]
    assert len(matches) == 1, [(f.about, f.kind) for f in story.figures]
    return matches[0]


FLOOD = [
    ("Ebro Courier", "2026-04-06T09:00:00+00:00", "Floods kill 12 in Spain's Ebro valley",
     "ZARAGOZA, Spain — At least 12 people were killed when floods swept through towns in the Ebro valley "
     "on Monday, regional officials said. Rescue teams searched for people missing near the river."),
    ("Valley Times", "2026-04-07T10:30:00+00:00", "Ebro valley flood toll rises to 19",
     "ZARAGOZA, Spain — The death toll from floods in the Ebro valley rose to 19 on Tuesday, the regional "
     "government said, as rescue teams reached villages cut off by the river."),
    ("Northgate Wire", "2026-04-08T08:15:00+00:00", "Ebro floods: toll climbs to 27",
     "ZARAGOZA, Spain — The number of people killed by floods in Spain's Ebro valley has climbed to 27, "
     "emergency services said on Wednesday. Hundreds of homes remain under water."),
]

QUAKE = [
    ("Anatolia Herald", "2026-02-10T07:00:00+00:00", "Earthquake kills 40 in eastern Turkey",
     "MALATYA, Turkey — A powerful earthquake killed 40 people in eastern Turkey on Tuesday, the disaster "
     "agency said, including 14 children. In the town of Darende, 9 people were killed when a school collapsed."),
    ("Bosphorus Daily", "2026-02-11T12:00:00+00:00", "Turkey quake: toll passes 60",
     "MALATYA, Turkey — At least 65 people died in Tuesday's earthquake in eastern Turkey, the disaster agency "
     "said on Wednesday, as rescuers pulled survivors from collapsed buildings in Malatya province."),
    ("Levant Wire", "2026-02-12T16:00:00+00:00", "Eastern Turkey quake toll reaches 112",
     "MALATYA, Turkey — The death toll from the earthquake in eastern Turkey stood at 112 on Thursday, the "
     "disaster agency said. About 0 fighters were involved, a local official joked, and rescuers kept digging."),
]

LAYOFF = [
    ("Motor Trade News", "2026-05-04T09:00:00+00:00", "Brightwell Motors to cut 1,500 jobs",
     "DETROIT — Brightwell Motors said on Monday it would cut 1,500 jobs at its plants in Michigan as demand "
     "for its sedans falls. The company said the cuts would be completed by the end of the year."),
    ("Labor Ledger", "2026-05-05T11:00:00+00:00", "Union says Brightwell cuts will cost 2,000 jobs",
     "DETROIT — The United Auto Workers union said on Tuesday that 2,000 jobs would be lost at Brightwell "
     "Motors plants in Michigan and vowed to fight the cuts. The union won 62% of the vote in a strike ballot, "
     "and members are demanding a 9% pay rise."),
]


def test_rising_flood_toll_is_one_revision_series_with_the_latest_value_and_no_conflict(ww):
    story, _ = _story(ww, FLOOD)
    toll = _series(story, "people killed")
    assert toll.kind == "revision" and not toll.downward
    assert [v.value for v in toll.values if not v.hedged] == [12, 19, 27]
    assert toll.latest.value == 27 and toll.latest.outlet == "Northgate Wire"
    assert [v.date for v in toll.values] == ["2026-04-06", "2026-04-07", "2026-04-08"]
    assert not [c for c in story.conflicts if c.kind == "number"]
    # The snapshot opens with the series, every value cited.
    first = story.snapshot[0]
    assert first.text.startswith("People killed (revised over time; latest 27)")
    assert set(first.articles) == {v.article for v in toll.values}


def test_rising_quake_toll_keeps_subsets_and_a_town_apart(ww):
    story, _ = _story(ww, QUAKE)
    toll = _series(story, "people killed")
    assert toll.kind == "revision"
    assert toll.latest.value == 112
    assert [v.value for v in toll.values] == [40, 65, 112]
    abouts = {f.about for f in story.figures}
    assert not any("fighter" in a for a in abouts)  # "0 fighters" counts nothing
    town = [f for f in story.figures if f.scope.get("where") == "Darende"]
    assert town and town[0].values[0].value == 9  # a per-town figure is its own series
    assert not [c for c in story.conflicts if c.kind == "number"]


def test_company_and_union_job_cut_figures_a_day_apart_disagree(ww):
    story, _ = _story(ww, LAYOFF)
    jobs = _series(story, "jobs")
    assert jobs.kind == "disagreement"
    assert [(v.value, v.date) for v in jobs.values] == [(1500, "2026-05-04"), (2000, "2026-05-05")]
    (conflict,) = [c for c in story.conflicts if c.kind == "number"]
    assert conflict.about == "jobs" and sorted(v.value for v in conflict.values) == [1500, 2000]
    # a vote share and a pay rise are both percentages, never one conflict
    assert not any(f.about.startswith("%") and len(f.values) > 1 for f in story.figures)


def test_toll_revised_down_is_flagged_and_same_day_rivals_disagree(ww):
    story, _ = _story(ww, [
        ("Harbour Post", "2026-06-01T08:00:00+00:00", "Ferry sinks off Lesbos",
         "MYTILENE, Greece — Thirty people died when a ferry sank off the island of Lesbos on Monday, the coast guard said."),
        ("Aegean Times", "2026-06-02T08:00:00+00:00", "Lesbos ferry toll lowered",
         "MYTILENE, Greece — The coast guard said on Tuesday that 24 people died when the ferry sank off Lesbos, "
         "after some victims had been counted twice."),
    ])
    toll = _series(story, "people killed")
    assert toll.kind == "revision" and toll.downward
    assert toll.values[-1].change == "down" and toll.latest.value == 24
    rivals, _ = _story(ww, [
        ("Harbour Post", "2026-06-01T08:00:00+00:00", "Ferry sinks off Lesbos",
         "MYTILENE, Greece — Thirty people died when a ferry sank off the island of Lesbos on Monday, the coast guard said."),
        ("Island Voice", "2026-06-01T20:00:00+00:00", "Survivors describe Lesbos sinking",
         "MYTILENE, Greece — Forty-five people died when a ferry sank off Lesbos on Monday, fishermen who joined "
         "the search said."),
    ])
    assert _series(rivals, "people killed").kind == "disagreement"
    assert [c.about for c in rivals.conflicts if c.kind == "number"] == ["people killed"]


def test_figures_survive_the_store_and_the_contract_keys():
    from wirewatch.model import FigureSeries, FigureValue, Story

    value = FigureValue(value=37, article="a", outlet="Wire", date="2026-09-15", source="monitor", text="at least 37",
                        quantity="q1", low=37.0)
    story = Story(id="s", title="t", articles=["a"],
                  figures=[FigureSeries(about="people killed", kind="revision", values=[value], latest=value)])
    back = Story.from_dict(story.to_dict())
    assert back.figures == story.figures
    data = story.to_dict()["figures"][0]
    assert {"about", "kind", "values", "latest"} <= set(data) and data["values"][0]["outlet"] == "Wire"
    assert "latest" not in FigureSeries(about="x", kind="agreement", values=[value]).to_dict()


def _claim(cid, article, text, predicate="STATEMENT", negated=False, subject=None, obj=None):
    return Claim(id=cid, article=article, text=text, start=0, end=len(text), predicate=predicate, negated=negated,
                 subject=subject, object=obj)


def test_denial_needs_the_same_predicate_on_the_same_object():
    expired = _claim("c1", "a", "The truce with armed groups east of Latakia expired on Friday.", subject="The truce")
    not_extend = _claim("c2", "b", "The ministry said it would not extend a local truce with armed groups east of Latakia",
                        negated=True, obj="a local truce")
    assert not contradicts(expired, not_extend)
    assert denial_conflicts([[expired, not_extend]], {"a": "a", "b": "b"}) == []
    blocked = _claim("c3", "a", "road convoys had been blocked by the paramilitary", "PROTEST", subject="road convoys")
    denied = _claim("c4", "b", "his forces had blocked the convoy", "PROTEST", negated=True, obj="the convoy")
    (conflict,) = denial_conflicts([[blocked, denied]], {"a": "a", "b": "b"})
    assert {v.value for v in conflict.values} == {"asserted", "denied"}
    operated = _claim("c5", "a", "The pipeline is operated by Amazonia Crudo.", obj="The pipeline")
    unconfirmed = _claim("c6", "b", "The operator has not confirmed the figure.", negated=True, obj="the figure")
    assert not contradicts(operated, unconfirmed)


def _q(qid, article, text, value, counted=None, unit=None, **kw):
    return Quantity(id=qid, article=article, text=text, start=0, end=len(text), value=value, counted=counted,
                    unit=unit, **kw)


def test_number_conflicts_skip_zeros_bare_percentages_and_subsets():
    groups = {"a": "a", "b": "b"}
    assert number_conflicts([_q("q1", "a", "0 fighters", 0, "fighters"), _q("q2", "b", "40 fighters", 40, "fighters")],
                            groups) == []
    assert number_conflicts([_q("q1", "a", "62%", 62, unit="%"), _q("q2", "b", "9%", 9, unit="%")], groups) == []
    assert number_conflicts([_q("q1", "a", "nine soldiers killed", 9, "soldiers killed"),
                             _q("q2", "b", "37 people killed", 37, "people killed")], groups) == []
    (conflict,) = number_conflicts([_q("q1", "a", "37 people killed", 37, "people killed"),
                                    _q("q2", "b", "41 people killed", 41, "people killed")], groups)
    assert conflict.about == "people killed"


EVIL = '<script>alert(1)</script>'


def _figure_store(path: str) -> str:
    """Two hand-built reports whose figure series carry hostile text, saved in a store at `path`."""
    from wirewatch.model import ArticleAnalysis, FigureSeries, FigureValue, Story
    from wirewatch.store import open_store

    texts = {"fa": f"At least 12 people were killed, {EVIL} officials said.", "fb": "The toll rose to 19 on Tuesday."}
    analyses = []
    for aid, day in (("fa", "2026-04-06"), ("fb", "2026-04-07")):
        article = Article(id=aid, title=f"Flood {aid}", text=texts[aid], outlet=f"Outlet {EVIL}", published=day)
        figure = "At least 12 people" if aid == "fa" else "19"
        start = texts[aid].index(figure)
        analyses.append(ArticleAnalysis(article=article, quantities=[
            _q(f"q-{aid}", aid, figure, 12 if aid == "fa" else 19, "people killed", low=12 if aid == "fa" else None)]))
        analyses[-1].quantities[0].start, analyses[-1].quantities[0].end = start, start + len(figure)
    values = [FigureValue(value=12, article="fa", outlet=f"Outlet {EVIL}", date="2026-04-06", source=EVIL,
                          text="At least 12 people", quantity="q-fa", low=12.0),
              FigureValue(value=19, article="fb", outlet="Valley Times", date="2026-04-07", source="officials",
                          text="19", quantity="q-fb", change="up")]
    story = Story(id="sfig", title="Flood toll", articles=["fa", "fb"],
                  figures=[FigureSeries(about=f"people killed {EVIL}", kind="revision", values=values, latest=values[1],
                                        scope={"who": "people", "what": "killed"})])
    store = open_store(path)
    try:
        for a in analyses:
            store.add_analysis(a)
        store.save_story(story)
    finally:
        store.close()
    return path


def test_story_page_and_report_draw_each_series_as_escaped_svg_without_script(tmp_path):
    from wirewatch.api.app import create_app
    from wirewatch.export.report import render_report
    from wirewatch.store import open_store

    from tests.webdata import call

    db = _figure_store(str(tmp_path / "fig.db"))
    html = call(create_app(db), "GET", "/stories/sfig").text
    section = html[html.index('id="figures-h"'):html.index('id="conflicts-h"')]
    assert '<svg class="figure-chart"' in section and section.count('class="pt"') == 2
    assert "Latest: <strong>19</strong>" in section and "revised up" in section
    assert "/articles/fb?hl=" in section  # each value links to its sentence
    assert EVIL not in html and "&lt;script&gt;" in section
    with open_store(db) as store:
        report = render_report(store, "sfig")
    assert '<svg class="figure-chart"' in report and "#q-q-fb" in report
    assert EVIL not in report and "<script" not in report.casefold()


def test_terminal_story_lists_each_value_with_day_source_and_citation(tmp_path):
    from wirewatch.store import open_store
    from wirewatch.stories.render import render_story

    db = _figure_store(str(tmp_path / "fig.db"))
    with open_store(db) as store:
        text = render_story(store.get_story("sfig"), store)
    block = text[text.index("Figures over time"):]
    assert "revised over time; latest 19 [2]" in block
    assert "2026-04-06 12+ [1]" in block and "2026-04-07 19 [2] officials (up)" in block
    assert "\x1b" not in text


def test_a_bare_number_hit_by_a_casualty_verb_counts_people(nlp, make_article):
    from wirewatch.extract.quantities import find_quantities

    article = make_article("Strike", "A missile hit the depot, killing at least nine people and wounding 34, officials "
                                     "said. Medics said 12 died overnight. The firm said 3 were hired.")
    found = {q.text: q.counted for q in find_quantities(nlp(article.text), article)}
    assert found["34"] == "people wounded" and found["12"] == "people killed"
    assert found["3"] is None  # hiring is not a casualty


LANDSLIDE_AND_HEAT = {
 "landslide": [
  ("Andes Post", "2026-03-02T06:00:00+00:00", "Landslide buries homes in Peru's Cusco region",
   "CUSCO, Peru — A landslide buried dozens of homes in a village in Peru's Cusco region on Sunday night, killing at least 8 people, the regional civil defense office said on Monday. Rescuers were searching for 20 people reported missing."),
  ("Lima Observer", "2026-03-03T14:00:00+00:00", "Cusco landslide death toll climbs to 21",
   "CUSCO, Peru — The death toll from a landslide in Peru's Cusco region has climbed to 21, officials said on Tuesday, as rescuers dug through mud with their hands. Another 15 people remain missing."),
  ("Northwind Wire", "2026-03-04T09:30:00+00:00", "Peru landslide: 34 dead, search scaled back",
   "CUSCO, Peru (Northwind Wire) — Thirty-four people are now confirmed dead after a landslide in Peru's Cusco region, the civil defense office said on Wednesday. Authorities said the search for the last missing would be scaled back."),
 ],
 "heatwave": [
  ("Delhi Daily", "2026-05-20T08:00:00+00:00", "Heatwave kills 45 across northern India",
   "NEW DELHI — Scorching temperatures have killed 45 people across northern India this week, health officials said on Wednesday. In the city of Lucknow alone, 12 people died of heatstroke."),
  ("Ganges Times", "2026-05-21T08:00:00+00:00", "India heatwave deaths rise to 67",
   "NEW DELHI — Deaths from the heatwave sweeping northern India rose to 67 on Thursday, according to the health ministry, as temperatures topped 47 degrees Celsius. Hospitals in Lucknow reported 19 deaths."),
 ],
}


def test_worded_tolls_and_a_city_count_inside_a_national_toll(ww):
    """'Thirty-four people are now confirmed dead', 'deaths ... rose to 67'; 'in Lucknow alone' and
    'hospitals in Lucknow reported' make a city series, not a downward revision of the national toll."""
    slide, _ = _story(ww, LANDSLIDE_AND_HEAT["landslide"])
    toll = _series(slide, "people killed")
    assert toll.kind == "revision" and [v.value for v in toll.values] == [8, 21, 34] and toll.latest.value == 34
    heat, _ = _story(ww, LANDSLIDE_AND_HEAT["heatwave"])
    national = _series(heat, "people killed")
    assert national.kind == "revision" and not national.downward and national.latest.value == 67
    city = _series(heat, "people killed in Lucknow")
    assert [v.value for v in city.values] == [12, 19]
    assert not [c for c in heat.conflicts if c.kind == "number"]


# Written before the code was run on them (a held-out batch): 3 of 5 came out right at first; "lost
# their lives", "bringing the death toll to 18" and a part larger than its total were then added as
# general rules. Each entry: reports, the series expected, its kind, its latest value.
HELD_OUT = {
 "wildfire": ([
  ("Athens Courier", "2026-08-03T07:00:00+00:00", "Greek wildfires kill five",
   "ATHENS — Wildfires raging near the Greek city of Patras have killed five people, the fire service said on Monday, as strong winds fanned the flames."),
  ("Aegean Wire", "2026-08-04T09:00:00+00:00", "Greece fire deaths reach nine",
   "ATHENS — The number of dead from wildfires near Patras rose to nine on Tuesday, the fire service said, after two firefighters were found in a burned-out truck."),
  ("Hellenic Times", "2026-08-05T18:00:00+00:00", "Patras fires: 14 dead",
   "PATRAS, Greece — At least 14 people have lost their lives in the wildfires around Patras, officials said on Wednesday, making it the deadliest fire season in a decade."),
 ], "people killed", "revision", 14),
 "collapse": ([
  ("Lagos Mirror", "2026-07-01T10:00:00+00:00", "Building collapse in Lagos kills 11",
   "LAGOS, Nigeria — A six-story building under construction collapsed in the Ikoyi district of Lagos on Wednesday, killing 11 people, emergency officials said."),
  ("West Africa Post", "2026-07-02T12:00:00+00:00", "Lagos collapse toll rises to 18",
   "LAGOS, Nigeria — Rescuers recovered more bodies from the rubble of a collapsed building in Lagos on Thursday, bringing the death toll to 18, the state emergency agency said."),
  ("Niger Delta News", "2026-07-03T08:00:00+00:00", "Lagos collapse: search ends",
   "LAGOS, Nigeria — The death toll from the collapse of a building in Lagos now stands at 23, the emergency agency said on Friday, as the search for survivors ended."),
 ], "people killed", "revision", 23),
 "steel": ([
  ("Business Daily", "2026-09-07T09:00:00+00:00", "Orion Steel to cut 1,500 jobs",
   "SHEFFIELD, England — Orion Steel said on Monday it would cut 1,500 jobs at its plants in northern England, blaming high energy costs."),
  ("Workers Weekly", "2026-09-08T09:00:00+00:00", "Union says Orion job cuts will hit 2,000",
   "SHEFFIELD, England — The steelworkers' union said on Tuesday that 2,000 jobs would go at Orion Steel's plants in northern England, far more than the company has admitted."),
 ], "jobs", "disagreement", None),
 "evac": ([
  ("Gulf Coast News", "2026-10-12T06:00:00+00:00", "Thousands evacuated as river floods Houston suburbs",
   "HOUSTON — About 5,000 people were evacuated from suburbs west of Houston on Monday as the Brazos River burst its banks, county officials said."),
  ("Texas Ledger", "2026-10-13T06:00:00+00:00", "Brazos flooding: 12,000 now evacuated",
   "HOUSTON — More than 12,000 people have been evacuated from their homes west of Houston as the Brazos River kept rising on Tuesday, county officials said."),
 ], "people displaced", "revision", 12000),
 "protest": ([
  ("Capital Times", "2026-11-20T20:00:00+00:00", "Three dead in Nairobi protest, police say",
   "NAIROBI, Kenya — Three people were killed during clashes between police and protesters in Nairobi on Friday, a police spokesman said."),
  ("Kenya Voice", "2026-11-20T22:00:00+00:00", "Organizers say 11 killed in Nairobi crackdown",
   "NAIROBI, Kenya — Eleven protesters were killed by police in Nairobi on Friday, the organizers of the march said, accusing officers of firing live rounds."),
 ], None, None, None),
}


# A second held-out batch: the overnight flood toll came out right at first; the mine's toll "revised
# down to four" after "six miners" was missed (a part that is the whole toll, "down to") and then fixed.
# A forecast hedged with "could" ("tariffs could cost 12 billion euros") still counts as unconfirmed.
HELD_OUT.update({
 "flood52": ([
  ("Balkan Daily", "2026-01-12T18:00:00+00:00", "Floods in Bosnia kill 37",
   "SARAJEVO, Bosnia and Herzegovina — Flash floods and landslides have killed 37 people in central Bosnia, the civil protection agency said on Monday, with dozens more still unaccounted for."),
  ("Sarajevo Times", "2026-01-13T07:00:00+00:00", "Bosnia flood toll rises to 52 overnight",
   "SARAJEVO, Bosnia and Herzegovina — The death toll from flash floods in central Bosnia rose overnight to 52 from 37, the civil protection agency said on Tuesday, as rescuers reached the worst-hit villages near Jablanica. In Jablanica alone, 19 people were killed."),
 ], "people killed", "revision", 52),
 "mine": ([
  ("Andean Mining", "2026-02-03T09:00:00+00:00", "Mine blast in Chile kills 6",
   "SANTIAGO, Chile — An explosion at a copper mine in northern Chile killed six miners on Tuesday, the mining ministry said. The company, Norte Cobre, said 42 workers were evacuated safely."),
  ("Pacific Wire", "2026-02-04T09:00:00+00:00", "Chile mine toll revised down to 4",
   "SANTIAGO, Chile — Chile's mining ministry revised the death toll from an explosion at a copper mine in the north down to four on Wednesday, saying two miners initially reported dead had been found alive."),
 ], "people killed", "revision", 4),
})


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_batch_series_kinds_and_latest_values(ww, name):
    reports, about, kind, latest = HELD_OUT[name]
    story, _ = _story(ww, reports)
    if name == "protest":  # police: 3 people killed; organizers: 11 protesters killed, the same evening
        total = _series(story, "people killed")
        assert total.kind == "disagreement"
        (conflict,) = [c for c in story.conflicts if c.kind == "number"]
        assert sorted(v.value for v in conflict.values) == [3, 11]
        return
    series = _series(story, about)
    assert series.kind == kind
    if latest is not None:
        assert series.latest.value == latest
    numbers = [c.about for c in story.conflicts if c.kind == "number"]
    assert numbers == ([about] if kind == "disagreement" else [])


def test_a_lone_victim_group_is_the_toll_and_a_revision_down_is_flagged(ww):
    story, _ = _story(ww, HELD_OUT["mine"][0])
    toll = _series(story, "people killed")
    assert toll.downward and [v.change for v in toll.values] == [None, "down"]


def test_an_adjective_between_number_and_noun_makes_a_part_not_a_rival(ww):
    story, _ = _story(ww, [
        ("Port News", "2026-09-22T09:00:00+00:00", "Dockworkers strike in Durban",
         "DURBAN, South Africa — More than 5,000 workers walked off the job at the port of Durban on Tuesday, "
         "the dockworkers' union said."),
        ("Cape Ledger", "2026-09-22T18:00:00+00:00", "Durban strike: casual staff join",
         "DURBAN, South Africa — About 1,800 casual workers joined the strike at the port of Durban on Tuesday, "
         "the port authority said."),
    ])
    assert not [c for c in story.conflicts if c.kind == "number"]
    assert not any({v.value for v in f.values} == {5000, 1800} for f in story.figures)


def test_a_long_series_bullet_keeps_first_and_latest_figures_and_cites_every_report():
    from wirewatch.model import FigureSeries, FigureValue
    from wirewatch.stories.figures import figure_bullets

    values = [FigureValue(value=10 + 5 * i, article=f"a{i}", outlet=f"Outlet {i}", date=f"2026-01-{i + 1:02d}",
                          source="officials", text=str(10 + 5 * i), change="up" if i else None) for i in range(10)]
    series = FigureSeries(about="people killed", kind="revision", values=values, latest=values[-1],
                          scope={"who": "people", "what": "killed"})
    (bullet,) = figure_bullets([series])
    assert bullet.text.startswith("People killed (revised over time; latest 55): 10 (Thu 1 Jan")
    assert "5 more" in bullet.text and bullet.text.rstrip(")").endswith("Outlet 9")
    assert bullet.articles == [f"a{i}" for i in range(10)]


def test_a_wire_update_that_changes_the_toll_is_kept_while_a_reprint_adds_nothing(ww):
    body = ("NAIROBI, Kenya — A bus plunged into a ravine near the town of Narok on Saturday, killing {n} passengers, "
            "police said. The bus was travelling from Nairobi to the Maasai Mara with about 60 people on board, "
            "and rescuers worked through the night to reach survivors trapped in the wreckage below the road, "
            "where the driver appeared to have lost control on a sharp bend in heavy rain.")
    story, _ = _story(ww, [
        ("Rift Wire", "2026-07-11T08:00:00+00:00", "Bus crash in Kenya kills 14", body.format(n=14)),
        ("Valley Herald", "2026-07-11T09:00:00+00:00", "Kenya bus crash kills 14", body.format(n=14)),
        ("Rift Wire", "2026-07-12T08:00:00+00:00", "Kenya bus crash toll rises to 21", body.format(n=21)),
    ])
    toll = _series(story, "passengers killed")
    assert [v.value for v in toll.values] == [14, 21] and toll.kind == "revision" and toll.latest.value == 21


def test_the_figure_a_toll_rose_from_is_not_a_revision_down(ww):
    story, _ = _story(ww, [
        ("Delta Post", "2026-08-20T09:00:00+00:00", "Dhaka factory fire toll rises",
         "DHAKA, Bangladesh — The death toll from a fire at a garment factory in Dhaka rose to 52 from 37 on "
         "Thursday, the fire service said, as firefighters searched the burned upper floors."),
        ("Bengal Times", "2026-08-20T19:00:00+00:00", "Dhaka fire: 52 dead",
         "DHAKA, Bangladesh — Fifty-two people were killed in the fire at a garment factory in Dhaka, the fire "
         "service said on Thursday, making it the deadliest factory fire in the city in a decade."),
    ])
    toll = _series(story, "people killed")
    assert [v.value for v in toll.values] == [52, 52] and toll.kind == "agreement" and not toll.downward


BOTH_SIDES = [
    ("Harbour Gazette", "2026-06-02T08:00:00+00:00", "Police accused of firing on dockers' march in Velmora",
     "VELMORA — Witnesses said police fired tear gas and rubber bullets at striking dockers marching to the port "
     "gates in Velmora on Monday. The interior ministry denied that police had fired on the marchers and said "
     "officers had only cleared the road."),
    ("Coastal Ledger", "2026-06-02T11:00:00+00:00", "Witnesses say police fired on Velmora dock march",
     "VELMORA — Police fired tear gas and rubber bullets at hundreds of striking dockers marching to the port "
     "gates in Velmora on Monday, several witnesses said. Two marchers were treated in hospital."),
    ("Northgate Wire", "2026-06-03T07:30:00+00:00", "Ministry denies police fired on Velmora dockers",
     "VELMORA — The interior ministry on Tuesday denied that police had fired tear gas or rubber bullets at "
     "striking dockers in Velmora, saying officers had only cleared a blocked road near the port gates."),
]


def test_a_denial_kept_out_of_its_group_by_a_two_sided_report_is_still_a_conflict(ww):
    story, articles = _story(ww, BOTH_SIDES)
    outlet = {a.id: a.outlet for a in articles.values()}
    values = [(v.value, outlet[v.article]) for c in story.conflicts if c.kind == "denial" for v in c.values]
    assert ("denied", "Northgate Wire") in values
    assert any(kind == "asserted" and source in ("Harbour Gazette", "Coastal Ledger") for kind, source in values)


def test_denials_grouping_kept_apart_join_the_group_they_deny():
    # A report giving both sides keeps the denials of other reports out of the witnesses' group (one
    # claim per report and group); the denial check must still see them together.
    from wirewatch.model import ArticleAnalysis
    from wirewatch.stories.claim_groups import with_kept_out_denials

    def report(aid, text, negated=False, group="g1"):
        article = Article(id=aid, title="Velmora march", text=text, outlet=aid)
        claim = Claim(id=f"c-{aid}", article=aid, text=text, start=0, end=len(text), predicate="ASSAULT",
                      negated=negated, group=group)
        return ArticleAnalysis(article=article, claims=[claim])

    witnesses = [report("a1", "police fired tear gas at striking dockers marching to the port gates in Velmora"),
                 report("a2", "police fired tear gas at the striking dockers near the port gates of Velmora")]
    denial = report("a3", "the ministry denied that police had fired tear gas at striking dockers in Velmora",
                    negated=True, group="g2")
    unrelated = report("a4", "the ministry did not extend the fishing season off Velmora", negated=True, group="g3")
    analyses = witnesses + [denial, unrelated]
    groups = [[a.claims[0] for a in witnesses], denial.claims, unrelated.claims]
    extended = with_kept_out_denials(analyses, groups)
    assert [c.id for c in extended[0]] == ["c-a1", "c-a2", "c-a3"]
    assert extended[1:] == groups[1:] and [c.id for c in groups[0]] == ["c-a1", "c-a2"]  # the groups stay as they were


def test_a_story_without_denials_keeps_its_groups_as_they_are():
    from wirewatch.stories.claim_groups import with_kept_out_denials

    claims = [Claim(id=f"c{i}", article=f"a{i}", text="troops fired on protesters", start=0, end=26,
                    predicate="ASSAULT", group="g1") for i in range(2)]
    groups = [claims]
    assert with_kept_out_denials([], groups) is groups
