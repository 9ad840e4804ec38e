"""The trained gazetteer-candidate ranker: which place a name means, and whether to trust it.

`scripts/train_geo_ranker.py` trains a binary classifier on LGL and GeoVirus (is this candidate
the annotated place?) over `place_features.FEATURES` and writes `data/geo_ranker.json`, scored
here in pure Python by `wirewatch.learned`. The model's `meta` holds the acceptance threshold
chosen at training time and the figures it was measured at. See docs/geocoding.md.
"""
from __future__ import annotations

from functools import lru_cache

from wirewatch.learned import LearnedModel, load_model
from wirewatch.resolve.gazetteer import Place
from wirewatch.resolve.place_features import RankContext, candidate_features

__all__ = ["ranker", "rank", "accept_threshold", "PRESELECT"]

# Candidates scored by the model, after a cheap cut by the hand prior: a name such as
# "Springfield" has dozens, and the trees cost ~0.1 ms per candidate.
PRESELECT = 10


@lru_cache(maxsize=1)
def ranker() -> LearnedModel:
    """The shipped model (read once per process; it is immutable)."""
    return load_model("wirewatch.resolve", "data/geo_ranker.json")


def accept_threshold(scanned: bool) -> float:
    """The lowest probability at which the best candidate is kept (higher for scanned names)."""
    meta = ranker().meta
    return float(meta.get("threshold_scan" if scanned else "threshold", 0.5))


def rank(candidates: list[Place], name: str, ctx: RankContext) -> list[tuple[float, Place]]:
    """(probability, place) for every candidate, best first."""
    model = ranker()
    rows = candidate_features(candidates, name, ctx)
    scored = [(model.probability(row), place) for row, place in zip(rows, candidates)]
    scored.sort(key=lambda sp: (-sp[0], -sp[1].population, sp[1].geonameid))
    return scored
