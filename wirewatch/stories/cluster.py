"""Streaming story assignment: each arriving article joins its most similar recent story or starts one.

Candidates come from the store's inverted index over story features (top terms, entity ids, place
ids) within a time window, so the cost per article depends on the postings touched, not on how
many stories exist. Each candidate is then described against its centroid (kept in store state
"story:<id>") and the learned model of decide.py gives the probability that the article reports
the same event; the article joins the most probable story above `join_probability`, and every
other candidate above `bridge_probability` is merged into it (merge.py). `learned=False` keeps the
older hand-weighted rule (`score` over `threshold`, then `local_match`) for comparison.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from wirewatch.model import stable_id
from wirewatch.stories.decide import merge_model, pair_features
from wirewatch.stories.features import ArticleFeatures, centroid_cosine, cosine, parse_date

__all__ = ["ClusterParams", "Placement", "add_to_story", "assign_article", "candidates", "merge_centroids",
           "place_article", "save_centroid", "score"]

CENTROID_TERMS = 150  # terms kept per story centroid: bounded state whatever the story's size
CENTROID_KEYS = 40  # entity / place ids kept per story centroid
INDEX_TERMS = 25  # centroid terms posted to the inverted index
NORMED_VIEWS = ("terms", "entities", "places", "people", "title", "names", "person_names")
SMALL_VIEW_KEYS = 20  # headline words, figures, years and name words kept per story centroid
SMALL_VIEWS = ("title", "figures", "years", "names", "person_names", "counted")
MEMBERS = 10  # latest reports kept as term signatures, so a report can match one member closely
MEMBER_TERMS = 15  # terms per member signature


@dataclass(frozen=True)
class ClusterParams:
    """Weights of each view, the join threshold and the time window (documented in docs/stories.md)."""

    w_terms: float = 0.6
    w_entities: float = 0.1
    w_people: float = 0.2
    w_places: float = 0.1
    threshold: float = 0.26
    mismatch_penalty: float = 0.6
    window_days: int = 7  # stories whose last report is older than this are not candidates
    half_life_days: float = 7.0  # similarity halves for every this many days outside the story's span
    candidates: int = 8
    # Second pass (follow-ups a day or two later in other words): a dated article close in time to a
    # story joins it on shared specific names even below `threshold` (see `local_match`).
    local_gap_days: int = 3
    local_shared: int = 3
    local_min_terms: float = 0.1
    local_min_score: float = 0.15
    # The learned decision (decide.py): join the most probable story at or above `join_probability`;
    # merge in every other candidate at or above `bridge_probability` (the article bridges them).
    learned: bool = True
    join_probability: float | None = None  # None: the value chosen by CV on ECB+ train, kept in the model's meta
    bridge_probability: float | None = None
    model: object = field(default=None, compare=False, repr=False)  # None: the shipped model


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    return dict(sorted(vec.items(), key=lambda kv: -kv[1])[:n])


def score(features: ArticleFeatures, centroid: dict, params: ClusterParams) -> float:
    """Similarity of an article to a story centroid: weighted view cosines times a time decay.

    Views the article lacks (no entities found, no places) are left out and the remaining weights
    renormalised, so an article is not penalised for what extraction missed; a view the article has
    and the story lacks scores 0, which is evidence the events differ.
    """
    views = [(params.w_terms, "terms"), (params.w_entities, "entities"), (params.w_places, "places"),
             (params.w_people, "people")]
    total = weight = 0.0
    for w, view in views:
        if getattr(features, view):
            total += w * centroid_cosine(getattr(features, view), centroid, view)
            weight += w
    sim = total / weight if weight else 0.0
    # Same wording about other people in another place is another event (two floods, two arrests):
    # when both the people and the place views are present on both sides and share nothing, cut the score.
    disjoint = [bool(mine) and bool(theirs) and not (mine.keys() & theirs.keys())
                for mine, theirs in ((features.people, centroid.get("people", {})),
                                     (features.places, centroid.get("places", {})))]
    if all(disjoint):
        sim *= params.mismatch_penalty
    day = features.day
    first, last = parse_date(centroid.get("first")), parse_date(centroid.get("last"))
    if day and first and last:
        gap = max((first - day).days, (day - last).days, 0)
        sim *= 0.5 ** (gap / params.half_life_days)
    return sim


def local_match(features: ArticleFeatures, centroid: dict, params: ClusterParams, sim: float) -> bool:
    """Whether a near-threshold article belongs to a story it is close to in time and shares names with.

    Follow-ups a day or three later (new figures, an analysis piece, a tabloid retelling) reword the
    event, so their term cosine is low, but they name the same town, officials and organizations. Both
    sides must be dated and within `local_gap_days`, share at least `local_shared` specific names (places
    below country level, people, organizations), one of them a place, keep a minimum of common wording
    and a minimum score. Undated reports never take this path: without time, shared names alone cannot
    tell two events in one place apart.
    """
    day = features.day
    first, last = parse_date(centroid.get("first")), parse_date(centroid.get("last"))
    if day is None or first is None or last is None or sim < params.local_min_score:
        return False
    if max((first - day).days, (day - last).days, 0) > params.local_gap_days:
        return False
    shared = features.local & centroid.get("local", {}).keys()
    if len(shared) < params.local_shared or not shared & (features.places.keys() | centroid.get("places", {}).keys()):
        return False
    return cosine(features.terms, centroid.get("terms", {})) >= params.local_min_terms


def _add(into: dict[str, float], vec: dict[str, float]) -> None:
    for k, v in vec.items():
        into[k] = into.get(k, 0.0) + v


def _centroid_update(centroid: dict | None, features: ArticleFeatures) -> dict:
    """Add an article to a story centroid (summed unit vectors, truncated to bounded sizes)."""
    c = centroid or {"terms": {}, "entities": {}, "places": {}, "n": 0, "first": None, "last": None}
    c.setdefault("people", {})
    _add(c["people"], features.people)
    c["people"] = _top(c["people"], CENTROID_KEYS)
    _add(c["terms"], features.terms)
    _add(c["entities"], features.entities)
    _add(c["places"], features.places)
    c["terms"] = _top(c["terms"], CENTROID_TERMS)
    c["entities"] = _top(c["entities"], CENTROID_KEYS)
    c["places"] = _top(c["places"], CENTROID_KEYS)
    local = c.setdefault("local", {})
    _add(local, dict.fromkeys(sorted(features.local), 1.0))  # sorted: ties cut the same way in every process
    c["local"] = _top(local, 2 * CENTROID_KEYS)
    for view in SMALL_VIEWS:
        mine = getattr(features, view)
        _add(c.setdefault(view, {}), mine if isinstance(mine, dict) else dict.fromkeys(sorted(mine), 1.0))
        c[view] = _top(c[view], SMALL_VIEW_KEYS)
    signature = {k: round(v, 4) for k, v in _top(features.terms, MEMBER_TERMS).items()}
    c["members"] = (c.get("members", []) + [signature])[-MEMBERS:]
    c["n"] += 1
    if features.day is not None:
        iso = features.day.isoformat()
        c["first"] = min(c["first"] or iso, iso)
        c["last"] = max(c["last"] or iso, iso)
    _set_norms(c)
    return c


def _set_norms(c: dict) -> None:
    """Cache the norm of each weighted view (see features.centroid_cosine)."""
    c["norms"] = {view: round(math.sqrt(sum(v * v for v in c.get(view, {}).values())), 9) for view in NORMED_VIEWS}


def time_bucket(day: date | None) -> str:
    """The ISO week a date falls in ("2026w41"), or "u" for undated articles.

    Index keys carry the week of the story's latest report, and an article queries its own week and
    the one before: posting lists then hold only recent stories, so candidate lookup costs the same
    at 1,000 or 1,000,000 stored articles (for a steady stream).
    """
    if day is None:
        return "u"
    year, week, _ = day.isocalendar()
    return f"{year}w{week:02d}"


def _query_keys(features: ArticleFeatures, params: ClusterParams, undated_stories: bool = True) -> dict[str, float]:
    """Index keys an article looks up: its own and the neighbouring weeks plus undated stories.

    An undated article has no week to look in, so it searches every story ("all"); that lookup
    grows with the corpus, but only undated articles pay it. So does an article whose only date was
    read from its text: a URL's date or an "updated" stamp is not reliable enough to narrow the search.
    """
    keys = features.index_keys()
    if features.day is None or features.day_from_text:
        buckets = {"all"}
    else:
        # Weeks before and after: reports can arrive out of date order (a backlog ingested later).
        window = timedelta(days=params.window_days)
        buckets = {time_bucket(features.day + k * window) for k in (-1, 0, 1)}
        if undated_stories:
            buckets.add("u")
    return {f"{b}|{k}": v for b in buckets for k, v in keys.items()}


def _index_keys(centroid: dict) -> dict[str, float]:
    """A story's postings: under the week of its latest report (or "u" when it has no date) and "all"."""
    n = max(1, centroid["n"])
    keys = {f"t:{k}": v / n for k, v in _top(centroid["terms"], INDEX_TERMS).items()}
    keys.update({f"e:{k}": v / n for k, v in centroid["entities"].items()})
    keys.update({f"e:{k}": v / n for k, v in centroid["people"].items()})
    keys.update({f"p:{k}": v / n for k, v in centroid["places"].items()})
    buckets = {"all", time_bucket(parse_date(centroid.get("last")))}
    return {f"{b}|{k}": v for b in buckets for k, v in keys.items()}


def merge_centroids(centroids: list[dict]) -> dict:
    """One centroid for the union of several stories (views summed and truncated, span widened)."""
    out: dict = {"n": 0, "first": None, "last": None}
    for c in centroids:
        for view, keep in (("terms", CENTROID_TERMS), ("entities", CENTROID_KEYS), ("places", CENTROID_KEYS),
                           ("people", CENTROID_KEYS), ("local", 2 * CENTROID_KEYS),
                           *((view, SMALL_VIEW_KEYS) for view in SMALL_VIEWS)):
            _add(out.setdefault(view, {}), c.get(view, {}))
            out[view] = _top(out[view], keep)
        out["n"] += c.get("n", 0)
        out["members"] = (out.get("members", []) + c.get("members", []))[-MEMBERS:]
        for key, pick in (("first", min), ("last", max)):
            values = [v for v in (out[key], c.get(key)) if v]
            out[key] = pick(values) if values else None
        if "born" in c:
            out["born"] = min(out.get("born", c["born"]), c["born"])
    _set_norms(out)
    return out


def candidates(features: ArticleFeatures, store, params: ClusterParams = ClusterParams(),
               undated_stories: bool = True) -> list[tuple[str, dict]]:
    """The stories worth comparing an article with (index lookup), each with its centroid."""
    dated = features.day is not None and not features.day_from_text
    since = (features.day - timedelta(days=params.window_days)).isoformat() if dated else None
    query = _query_keys(features, params, undated_stories)
    out = []
    for story_id, _ in store.candidate_stories(query, limit=params.candidates, since=since):
        centroid = store.get_state(f"story:{story_id}")
        if centroid and "n" in centroid:
            out.append((story_id, centroid))
    return out


def add_to_story(story_id: str, centroid: dict | None, features: ArticleFeatures, store, born: int = 0) -> None:
    """Add an article to a story's centroid and index entry (a new story when `centroid` is None)."""
    centroid = _centroid_update(centroid, features)
    centroid.setdefault("born", born)
    save_centroid(story_id, centroid, store)


def save_centroid(story_id: str, centroid: dict, store) -> None:
    """Write a story's centroid state and its entry in the candidate index."""
    store.set_state(f"story:{story_id}", centroid)
    store.set_story_features(story_id, _index_keys(centroid), centroid["last"])


@dataclass
class Placement:
    """Where an article goes: an existing story (or None for a new one) and the stories it bridges."""

    story: str | None
    bridged: list[str] = field(default_factory=list)
    probability: float = 0.0


def place_article(features: ArticleFeatures, store, params: ClusterParams = ClusterParams(),
                  undated_stories: bool = True) -> Placement:
    """Decide which stored story an article joins and which others it bridges; writes nothing."""
    found = candidates(features, store, params, undated_stories)
    if not params.learned:
        return Placement(_heuristic_choice(features, found, params))
    model = params.model or merge_model()
    join = params.join_probability if params.join_probability is not None else model.meta.get("join_probability", 0.5)
    bridge = params.bridge_probability if params.bridge_probability is not None else model.meta.get("bridge_probability", join)
    scored = sorted(((model.probability(pair_features(features, c, score(features, c, params))), sid)
                     for sid, c in found), key=lambda t: (-t[0], t[1]))
    joined = [(p, sid) for p, sid in scored if p >= join]
    if not joined:
        return Placement(None, probability=scored[0][0] if scored else 0.0)
    return Placement(joined[0][1], [sid for p, sid in joined[1:] if p >= bridge], joined[0][0])


def _heuristic_choice(features: ArticleFeatures, found: list[tuple[str, dict]], params: ClusterParams) -> str | None:
    """The older rule: best weighted cosine over `threshold`, else a close-in-time `local_match`."""
    best_id, best = None, params.threshold
    near: list[tuple[float, str, dict]] = []  # below threshold: second-pass candidates
    for story_id, centroid in found:
        sim = score(features, centroid, params)
        if sim >= best:
            best_id, best = story_id, sim
        elif sim < params.threshold:
            near.append((sim, story_id, centroid))
    if best_id is None:
        for sim, story_id, centroid in sorted(near, key=lambda t: -t[0]):
            if local_match(features, centroid, params, sim):
                return story_id
    return best_id


def assign_article(features: ArticleFeatures, store, params: ClusterParams = ClusterParams(),
                   undated_stories: bool = True, born: int = 0) -> tuple[str, bool]:
    """Put one article in a story without merging any; return (story id, True when a new story was started).

    `undated_stories` says whether any story without dates exists (else dated articles skip that
    lookup). The centroid and index entry of the chosen story are updated at once, so the next
    article of the same batch can join it.
    """
    story_id = place_article(features, store, params, undated_stories).story
    centroid = store.get_state(f"story:{story_id}") if story_id else None
    created = story_id is None
    story_id = story_id or stable_id("s", features.article)
    add_to_story(story_id, centroid, features, store, born)
    return story_id, created
