"""Stories: group reports of the same events as they arrive, then corroborate, find conflicts, summarise.

`update_stories` is the pipeline stage: it places each new article in a story (streaming, see
cluster.py) and recomputes the derived parts of only the stories it touched.
"""
from __future__ import annotations

from wirewatch.errors import NotFoundError
from wirewatch.model import ArticleAnalysis, Story, stable_id
from wirewatch.stories.cluster import ClusterParams, Placement, add_to_story, place_article
from wirewatch.stories.claim_groups import assign_groups, same_event_type, with_kept_out_denials
from wirewatch.stories.conflicts import denial_conflicts
from wirewatch.stories.corroborate import corroborate, find_duplicates, mark_disputed, source_groups
from wirewatch.stories.features import DocFreq, article_features, raw_terms
from wirewatch.stories.figures import build_figures, figure_bullets
from wirewatch.stories.merge import merge_stories
from wirewatch.stories.origins import find_origins, independence
from wirewatch.stories.snapshot import MAX_BULLETS, MIN_BULLETS, build_snapshot, story_title
from wirewatch.stories.timeline import build_timeline

__all__ = ["update_stories", "refresh_story", "build_story", "ClusterParams"]

MAX_RECOMPUTE = 200  # a story's derived parts are built from its most recent reports only: bounded cost


def update_stories(analyses: list[ArticleAnalysis], store, params: ClusterParams = ClusterParams()) -> list[Story]:
    """Put each new (already stored, entity-linked) article in a story; rebuild and save the stories touched."""
    if not analyses:
        return []
    refresh_store = store
    store = _CentroidCache(store)
    df = DocFreq.load(store)
    touched: dict[str, list[ArticleAnalysis]] = {}
    placed: dict[str, str] = {}  # article id -> story, for this batch (the store learns it on save)
    for analysis in analyses:
        counts = raw_terms(analysis)
        df.add(counts.keys())
        features = article_features(analysis, df, counts)
        df.undated = df.undated or features.day is None
        placement = _copy_placement(analysis, placed, store) or place_article(
            features, store, params, undated_stories=df.undated)
        story_id = placement.story or stable_id("s", analysis.article.id)
        if placement.bridged:
            story_id = merge_stories([story_id, *placement.bridged], store)
            for other in (placement.story, *placement.bridged):
                if other != story_id:
                    touched.setdefault(story_id, []).extend(touched.pop(other, []))
        centroid = store.get_state(f"story:{story_id}") if placement.story else None
        add_to_story(story_id, centroid, features, store, born=df.n)
        touched.setdefault(story_id, []).append(analysis)
        placed[analysis.article.id] = story_id
    df.save(store)
    return [refresh_story(story_id, new, refresh_store) for story_id, new in touched.items()]


class _CentroidCache:
    """The store, with the story centroids one batch reads decoded once.

    Every report of a batch looks at the candidate stories of its week, mostly the same ones, and a
    centroid (hundreds of weighted terms) costs more to decode than to score. Writes go through to
    the store and replace the cached copy; the only code that changes a centroid in place
    (`cluster.add_to_story`) saves it at once, so the cache and the store never disagree.
    """

    _PREFIX = "story:"

    def __init__(self, store) -> None:
        self._store = store
        self._states: dict[str, dict | None] = {}

    def get_state(self, key: str) -> dict | None:
        if not key.startswith(self._PREFIX):
            return self._store.get_state(key)
        if key not in self._states:
            self._states[key] = self._store.get_state(key)
        return self._states[key]

    def set_state(self, key: str, value: dict) -> None:
        self._store.set_state(key, value)
        if key.startswith(self._PREFIX):
            self._states[key] = value

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def _copy_placement(analysis: ArticleAnalysis, placed: dict[str, str], store) -> Placement | None:
    """A syndicated copy goes where its first article went (whatever merges happened since)."""
    first = analysis.article.duplicate_of
    story_id = first and (placed.get(first) or store.story_of_article(first))
    if not story_id:
        return None
    story_id = store.resolve_story(story_id) or story_id
    return Placement(story_id) if store.get_state(f"story:{story_id}") else None


def refresh_story(story_id: str, new: list[ArticleAnalysis], store) -> Story:
    """Add `new` articles to a story and recompute its corroboration, conflicts, snapshot and timeline."""
    try:
        ids = list(store.get_story(story_id).articles)
    except NotFoundError:
        ids = []
    ids += [a.article.id for a in new if a.article.id not in ids]
    fresh = {a.article.id: a for a in new}
    analyses = [fresh.get(aid) or store.get_analysis(aid) for aid in ids[-MAX_RECOMPUTE:]]
    before = {a.article.id: a.article.duplicate_of for a in analyses}
    claims_before = {c.id: _fields(c) for a in analyses for c in a.claims}
    story = build_story(story_id, analyses)
    story.articles = ids
    store.save_story(story)
    # Only claims the rebuild changed (a new group, corroboration count...) are written back: the
    # story's older claims mostly keep theirs, and rewriting them all made refreshes grow with the story.
    store.update_claims([c for a in analyses for c in a.claims if _fields(c) != claims_before[c.id]])
    for a in analyses:
        if a.article.duplicate_of != before[a.article.id]:
            store.update_article(a.article)
    return story


def _fields(record) -> dict:
    """A record's fields as they stand (lists copied, so a change made in place shows too)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in vars(record).items()}


def build_story(story_id: str, analyses: list[ArticleAnalysis]) -> Story:
    """Build a story from its reports' analyses (pure: sets claim corroboration and article duplicate_of in place)."""
    duplicates = find_duplicates(analyses)
    groups_of = source_groups(analyses, duplicates)
    for a in analyses:
        a.article.duplicate_of = duplicates.get(a.article.id)
    claims = [c for a in analyses for c in a.claims]
    quantities = [q for a in analyses for q in a.quantities]
    groups = assign_groups(analyses)
    corroborate(groups, groups_of)
    origins = find_origins(analyses, groups_of)
    origin_names = independence(groups, origins, groups_of)
    dated = sorted(a.article.published for a in analyses if a.article.published)
    figures, number_conflicts = build_figures(analyses, groups_of, duplicates)
    disputes = with_kept_out_denials(analyses, groups)  # the groups, with denials grouping kept out
    conflicts = number_conflicts + denial_conflicts(same_event_type(disputes), groups_of)
    disputed = mark_disputed(disputes, conflicts, quantities, lambda c: origins.roots(c, groups_of))
    return Story(
        id=story_id,
        title=story_title(analyses),
        articles=[a.article.id for a in analyses],
        snapshot=_with_figures(figure_bullets(figures),
                               build_snapshot(analyses, groups, groups_of, duplicates, origin_names, disputed)),
        conflicts=conflicts,
        timeline=build_timeline(analyses, claims),
        outlets=list(dict.fromkeys(a.article.outlet for a in analyses if a.article.outlet)),
        first_published=dated[0] if dated else None,
        last_published=dated[-1] if dated else None,
        figures=figures,
        origins=origins.origins,
    )


def _with_figures(series_bullets: list, bullets: list) -> list:
    """The snapshot opens with its figure series, then as many statement bullets as still fit."""
    return series_bullets + bullets[:max(MIN_BULLETS, MAX_BULLETS - len(series_bullets))]
