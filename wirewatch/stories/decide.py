"""The learned join decision: how likely an arriving report is about the same event as a story.

`pair_features` describes a (report, story centroid) pair with a few named numbers: cosines of the
term, headline, entity, people and place views, the specific names, figures and years both write,
how far apart the latest years each side writes are (when undated), the gap in days (with an
"undated" indicator, since many reports carry no date), the story's size,
the hand-weighted score of cluster.py, the counted figures that agree or clash and the headline
words old or new to the story. A classifier trained by `scripts/train_story_model.py` on ECB+
train and the sample corpus (join and bridge probabilities chosen by CV by topic on ECB+ train)
turns them into a probability; it ships as
`stories/data/story_merge.json` and is scored in pure Python by `wirewatch.learned`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from wirewatch.learned import LearnedModel, load_model
from wirewatch.stories.features import ArticleFeatures, centroid_cosine, parse_date

__all__ = ["FEATURES", "MODEL_RESOURCE", "merge_model", "pair_features"]

MODEL_RESOURCE = "data/story_merge.json"
MAX_GAP_DAYS = 60.0  # beyond two months every gap says the same: another event
FEATURES = [
    "terms", "title", "entities", "people", "places", "heuristic",
    "has_entities", "has_people", "has_places", "people_disjoint", "places_disjoint",
    "shared_local", "shared_figures", "figures_both", "shared_years", "years_disjoint",
    "undated", "gap_days", "log_size", "member_max", "member_mean",
    "names", "person_names", "person_names_disjoint",
    "counted_shared", "counted_clash", "headline_in_story", "headline_novel",
    "latest_year_gap", "latest_year_both",
]
MAX_YEAR_GAP = 5.0  # five years apart or fifty: another event


@lru_cache(maxsize=1)
def merge_model() -> LearnedModel:
    """The shipped join model (loaded once per process)."""
    return load_model("wirewatch.stories", MODEL_RESOURCE)


def _both(mine, theirs) -> bool:
    return bool(mine) and bool(theirs)


def _gap(features: ArticleFeatures, centroid: dict) -> float | None:
    day = features.day
    first, last = parse_date(centroid.get("first")), parse_date(centroid.get("last"))
    if day is None or first is None or last is None:
        return None
    return float(max((first - day).days, (day - last).days, 0))


def _cosine_to_unit(small: dict[str, float], unit: dict[str, float]) -> float:
    """Cosine of a short vector with a unit-length one (the article's terms): the hot loop, kept lean."""
    norm = math.sqrt(sum(v * v for v in small.values()))
    return sum(v * unit.get(k, 0.0) for k, v in small.items()) / norm if norm else 0.0


def _event_features(features: ArticleFeatures, centroid: dict) -> dict[str, float]:
    """What happened, told against the story: counted figures that agree or clash, headline words old or new.

    Two events of one kind read alike; what tells a report of the same event is that its counts
    agree with the story's (the same death toll) rather than clash, and that its headline words are
    already the story's (a new event brings new headline words).
    """
    counted = centroid.get("counted", {})
    clash = _things(counted) & _things(features.counted - counted.keys())
    # A count both give with the same value is agreement even when other values differ (a toll rises).
    agreed = _things(features.counted & counted.keys())
    words = features.title.keys()
    known = centroid.get("terms", {}).keys() | centroid.get("title", {}).keys()
    novel = sum(1 for w in words if w not in known)
    return {
        "counted_shared": math.log1p(len(agreed)),
        "counted_clash": float(bool(clash - agreed)),
        "headline_in_story": (len(words) - novel) / len(words) if words else 0.0,
        "headline_novel": math.log1p(novel),
    }


def _latest_year(mine: Iterable[str], theirs: Iterable[str], dated: bool) -> dict[str, float]:
    """How far apart the latest years each side writes are: when an undated report was written, roughly.

    Two events of one kind years apart (a team's two playoff-clinching wins, two deaths in one old
    scandal) share the older years both recall, so "any year in common" misleads; the latest year a
    text writes is the best clue to its own time. Publication dates say it better, so this is left
    at zero when both sides are dated.
    """
    none = {"latest_year_gap": 0.0, "latest_year_both": 0.0}
    if dated:
        return none
    # Digits only: centroids stored before numbers_in stopped reading "20.6" as a year may hold one.
    mine, theirs = [int(y) for y in mine if y.isdigit()], [int(y) for y in theirs if y.isdigit()]
    if not mine or not theirs:
        return none
    return {"latest_year_gap": min(float(abs(max(mine) - max(theirs))), MAX_YEAR_GAP), "latest_year_both": 1.0}


def _things(figures) -> set[str]:
    """What "thing=value" figure keys count, values dropped ("people killed=7" -> "people killed")."""
    return {f.split("=", 1)[0] for f in figures}


def pair_features(features: ArticleFeatures, centroid: dict, heuristic: float) -> dict[str, float]:
    """The named features of one report against one story centroid (the model's input)."""
    views = {name: (getattr(features, name), centroid.get(name, {}))
             for name in ("terms", "title", "entities", "people", "places", "names", "person_names")}
    out = {name: centroid_cosine(mine, centroid, name) for name, (mine, _) in views.items()}
    for name in ("entities", "people", "places"):
        mine, theirs = views[name]
        out[f"has_{name}"] = float(_both(mine, theirs))
    for name in ("people", "places", "person_names"):
        mine, theirs = views[name]
        out[f"{name}_disjoint"] = float(_both(mine, theirs) and not mine.keys() & theirs.keys())
    out["heuristic"] = heuristic
    out["shared_local"] = math.log1p(len(features.local & centroid.get("local", {}).keys()))
    figures = centroid.get("figures", {})
    out["shared_figures"] = math.log1p(len(features.figures & figures.keys()))
    out["figures_both"] = float(_both(features.figures, figures))
    years = centroid.get("years", {})
    out["shared_years"] = float(bool(features.years & years.keys()))
    out["years_disjoint"] = float(_both(features.years, years) and not features.years & years.keys())
    gap = _gap(features, centroid)
    out["undated"] = float(gap is None)
    out["gap_days"] = min(gap, MAX_GAP_DAYS) if gap is not None else 0.0
    out["log_size"] = math.log1p(centroid.get("n", 1))
    out.update(_latest_year(features.years, years.keys(), dated=gap is not None))
    out.update(_event_features(features, centroid))
    # The closest single report, not only the story's average: a story grows broad as it grows.
    members = [_cosine_to_unit(m, features.terms) for m in centroid.get("members", [])]
    out["member_max"] = max(members, default=0.0)
    out["member_mean"] = sum(members) / len(members) if members else 0.0
    return out
