"""Stories merged after the fact: a report that bridges two stories makes them one.

Streaming assignment sees reports one at a time, so two reports of one event can start two stories
(a backlog arriving out of order, a first report in other words). When a later report is likely
to belong to both, `merge_stories` folds them into the oldest (the story created first): centroids
and index entries are combined, the articles move, and every other id is kept as an alias
(`store.alias_story`), so links to it keep working (the web page redirects, the API answers with
the surviving story).
"""
from __future__ import annotations

from wirewatch.errors import NotFoundError
from wirewatch.model import Story
from wirewatch.stories.cluster import merge_centroids, save_centroid

__all__ = ["merge_stories", "surviving_story"]


def merge_stories(story_ids: list[str], store) -> str:
    """Merge the given stories into the oldest one and return its id (one id: nothing to do)."""
    ids = list(dict.fromkeys(story_ids))
    states = {sid: store.get_state(f"story:{sid}") or {} for sid in ids}
    survivor = min(ids, key=lambda sid: (states[sid].get("born", 0), sid))
    absorbed = [sid for sid in ids if sid != survivor]
    if not absorbed:
        return survivor
    save_centroid(survivor, merge_centroids([states[sid] for sid in ids]), store)
    records = {}
    for sid in ids:
        try:
            records[sid] = store.get_story(sid)
        except NotFoundError:  # started in the batch being stored: no record yet
            continue
    if records:
        story = records.get(survivor) or Story(id=survivor, title="", articles=[])
        story.articles = list(dict.fromkeys(a for sid in ids if sid in records for a in records[sid].articles))
        store.save_story(story)
    for sid in absorbed:
        store.delete_story(sid)
        store.set_state(f"story:{sid}", {"merged_into": survivor})
        store.alias_story(sid, survivor)
    return survivor


def surviving_story(store, story_id: str) -> Story:
    """The story with this id, or the one it was merged into; NotFoundError when neither exists."""
    try:
        return store.get_story(story_id)
    except NotFoundError:
        survivor = store.resolve_story(story_id)
        if survivor is None:
            raise
        return store.get_story(survivor)
