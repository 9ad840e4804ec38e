"""Join features of a report against a story: counted figures and headline words."""
from __future__ import annotations

from wirewatch.model import Article, ArticleAnalysis, Quantity
from wirewatch.stories.cluster import _centroid_update, merge_centroids
from wirewatch.stories.decide import FEATURES, pair_features
from wirewatch.stories.counted import counted_figures
from wirewatch.stories.features import DocFreq, article_features

QUAKE = ("A strong earthquake shook the hill town of Varesk before dawn on Tuesday, killing {n} people "
         "and flattening dozens of houses, the provincial governor said. Rescue teams search the rubble "
         "as aftershocks rattled the valley, and families spent the night in tents pitched on the "
         "football pitch beside the old market hall. Schools in the district will stay closed for a week while "
         "engineers inspect the damage, officials added later in the day.")
TRIAL = ("A court in Lindmar sentenced the former harbour director Osk Pellen to six years in prison on "
         "Tuesday for taking bribes from shipping firms, prosecutors said.")


def _analysis(aid: str, title: str, text: str, quantities=()) -> ArticleAnalysis:
    a = ArticleAnalysis(article=Article(id=aid, title=title, text=text))
    for j, (fragment, value, counted) in enumerate(quantities):
        start = text.index(fragment)
        a.quantities.append(Quantity(id=f"{aid}-q{j}", article=aid, text=fragment, start=start,
                                     end=start + len(fragment), value=value, counted=counted))
    return a


def _quake(aid: str, n: int, title: str = "Earthquake kills villagers in Varesk") -> ArticleAnalysis:
    text = QUAKE.format(n=n)
    return _analysis(aid, title, text, quantities=[(f"killing {n} people", float(n), "people killed")])


def _story(*analyses: ArticleAnalysis) -> dict:
    df, centroid = DocFreq(), None
    for a in analyses:
        df.add(["x"])
        centroid = _centroid_update(centroid, article_features(a, df))
    return centroid


def _pair(report: ArticleAnalysis, centroid: dict) -> dict[str, float]:
    df = DocFreq()
    df.add(["x"])
    return pair_features(article_features(report, df), centroid, 0.0)


def test_counted_figures_key_what_is_counted_with_its_value():
    assert counted_figures(_quake("q1", 12)) == frozenset({"people killed=12"})
    unnamed = _analysis("t", "t", TRIAL, quantities=[("six years", 6.0, None)])
    assert counted_figures(unnamed) == frozenset()


def test_same_toll_agrees_another_toll_clashes_and_no_toll_says_nothing():
    story = _story(_quake("q1", 12), _quake("q2", 12))
    same = _pair(_quake("q3", 12), story)
    assert same["counted_shared"] > 0 and same["counted_clash"] == 0.0
    other = _pair(_quake("q4", 40), story)
    assert other["counted_shared"] == 0.0 and other["counted_clash"] == 1.0
    trial = _pair(_analysis("t", "Harbour director jailed", TRIAL), story)
    assert trial["counted_shared"] == 0.0 and trial["counted_clash"] == 0.0


def test_a_rising_toll_that_also_repeats_the_earlier_figure_is_not_a_clash():
    story = _story(_quake("q1", 12))
    text = QUAKE.format(n=19) + " An earlier count had put the dead at 12 people."
    revised = _analysis("q5", "Varesk quake toll rises", text,
                        quantities=[("killing 19 people", 19.0, "people killed"), ("12 people", 12.0, "people killed")])
    feats = _pair(revised, story)
    assert feats["counted_clash"] == 0.0 and feats["counted_shared"] > 0


def test_headline_words_already_in_the_story_or_novel():
    story = _story(_quake("q1", 12))
    follow = _pair(_quake("q2", 12, title="Varesk earthquake: rescue teams search rubble"), story)
    assert follow["headline_in_story"] == 1.0 and follow["headline_novel"] == 0.0
    trial = _pair(_analysis("t", "Harbour director jailed for bribes", TRIAL), story)
    assert trial["headline_in_story"] == 0.0 and trial["headline_novel"] > 1.0
    assert set(follow) == set(FEATURES)


def test_merged_centroids_keep_counted_figures():
    merged = merge_centroids([_story(_quake("q1", 12)), _story(_quake("q2", 15))])
    assert set(merged["counted"]) == {"people killed=12", "people killed=15"}


GAME = ("The Harbor City Hawks clinched a playoff berth with a {score} win over the {rival} on Sunday, "
        "the Hawks' sixth straight victory. Quarterback Dale Marrow threw for 260 yards and two "
        "touchdowns, and coach Ines Borrow said the team was ready. The Hawks last won the title in 1998, "
        "a season the city still celebrates. {season}")


def _game(aid: str, season: str, score: str = "27-20", rival: str = "Rivertown Owls") -> ArticleAnalysis:
    return _analysis(aid, f"Hawks clinch playoff berth with {score} win", GAME.format(score=score, rival=rival,
                                                                                       season=season))


def test_numbers_with_a_decimal_point_are_not_years():
    from wirewatch.stories.features import numbers_in

    figures, years = numbers_in("A magnitude 20.6 reading in 2009, 1,998 homes and 19.95 dollars.")
    assert years == {"2009"}
    assert {"20.6", "1998", "19.95"} <= figures


def test_latest_years_apart_tell_two_undated_events_that_share_an_old_year():
    story = _story(_game("g1", "It was the team's best season since 2004."))
    later = _pair(_game("g2", "It was the team's best season since 2008."), story)
    assert later["shared_years"] == 1.0  # both recall 1998: "any year in common" says nothing here
    assert later["latest_year_both"] == 1.0 and later["latest_year_gap"] == 4.0
    same = _pair(_game("g3", "It was the team's best season since 2004."), story)
    assert same["latest_year_gap"] == 0.0 and same["latest_year_both"] == 1.0
    none = _pair(_analysis("t", "Harbour director jailed", TRIAL), story)
    assert none["latest_year_gap"] == 0.0 and none["latest_year_both"] == 0.0


def test_latest_year_is_left_to_publication_dates_when_both_sides_are_dated():
    dated = [_game(f"d{k}", "It was the team's best season since 2004.") for k in range(2)]
    dated[0].article.published = "2026-01-04"
    dated[1].article.published = "2026-01-05"
    dated[1].article.text = dated[1].article.text.replace("2004", "2011")
    feats = _pair(dated[1], _story(dated[0]))
    assert feats["undated"] == 0.0 and feats["latest_year_gap"] == 0.0 and feats["latest_year_both"] == 0.0


def test_a_centroid_stored_with_a_decimal_taken_for_a_year_is_still_read():
    story = _story(_game("g1", "It was the team's best season since 2004."))
    story["years"]["20.6"] = 1.0  # what numbers_in wrote before it required digits
    assert _pair(_game("g2", "It was the team's best season since 2008."), story)["latest_year_gap"] == 4.0


def test_the_shipped_model_weighs_a_later_year_against_the_same_event():
    from wirewatch.stories.decide import merge_model

    story = _story(_game("g1", "It was the team's best season since 2004."),
                   _game("g2", "It was the team's best season since 2004."))
    model = merge_model()

    def odds(season: str) -> float:
        p = model.probability(_pair(_game("g3", season), story))
        return p / (1.0 - p)

    # Word for word the same report but for its latest year: the odds of "same event" fall with the gap.
    same, next_year, years_on = (odds(f"It was the team's best season since {y}.") for y in (2004, 2005, 2009))
    assert same > next_year > years_on
    assert years_on < same / 3
