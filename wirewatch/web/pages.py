"""The web UI's pages, rendered on the server so reading works with JavaScript off."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from wirewatch.api.app import get_store
from wirewatch.store import Store
from wirewatch.web import marks
from wirewatch.web.render import render
from wirewatch.web.views import EntityNames, Links, claim_view, article_markup, safe_url, snippet_markup, story_view

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
LINKS = Links()
MAX_LISTED = 500


def _page(template: str, **context) -> HTMLResponse:
    return HTMLResponse(render(template, links=LINKS, **context))


def _matches(story, q: str, outlet: str, min_size: int) -> bool:
    if len(story.articles) < min_size:
        return False
    if outlet and outlet not in story.outlets:
        return False
    if q:
        haystack = " ".join([story.title] + [b.text for b in story.snapshot]).casefold()
        return all(word in haystack for word in q.casefold().split())
    return True


@router.get("/")
def stories(q: str = Query("", max_length=200), outlet: str = Query("", max_length=200),
            min_size: int = Query(1, ge=1, le=10_000), store: Store = Depends(get_store)) -> HTMLResponse:
    """Stories newest first, with size, outlets and conflicts at a glance, and filters."""
    every = store.list_stories()
    outlets = sorted({o for s in every for o in s.outlets}, key=str.casefold)
    shown = [s for s in every if _matches(s, q.strip(), outlet, min_size)]
    return _page("stories.html", title="Stories", stories=shown[:MAX_LISTED], total=len(every), matched=len(shown),
                 outlets=outlets, q=q, outlet=outlet, min_size=min_size, counts=store.counts())


@router.get("/stories/{story_id}")
def story(story_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    """A story: snapshot with citations, claims, conflicts, actor graph, map and timeline.

    The id of a story merged into another redirects to the surviving story, so old links keep working.
    """
    survivor = store.resolve_story(story_id)
    if survivor and survivor != story_id:
        return RedirectResponse(LINKS.story(survivor), status_code=301)
    view = story_view(store, story_id, LINKS)
    return _page("story.html", title=view.story.title, view=view, report=False)


@router.get("/articles/{article_id}")
def article(article_id: str, request: Request, hl: str | None = Query(None, max_length=24),
            store: Store = Depends(get_store)) -> HTMLResponse:
    """An article with entities, quantities and claims marked; `hl=START-END` highlights a span."""
    analysis = store.get_analysis(article_id)
    highlight = marks.parse_range(hl, len(analysis.article.text))
    names = EntityNames(store, LINKS, {e.id: e for e in analysis.entities})
    claims = [claim_view(c, analysis.article, names, LINKS) for c in sorted(analysis.claims, key=lambda c: c.start)]
    story_id = store.story_of_article(article_id)
    return _page("article.html", title=analysis.article.title, analysis=analysis, article=analysis.article,
                 body=article_markup(analysis, LINKS, highlight), highlight=highlight, claims=claims, story_id=story_id,
                 url=safe_url(analysis.article.url), cited=[(s, safe_url(s)) for s in analysis.article.cited_sources])


@router.get("/entities")
def entities(q: str = Query("", max_length=200), type: str = Query("", max_length=32),
             store: Store = Depends(get_store)) -> HTMLResponse:
    """Entities by mention count, filtered by name and type."""
    found = store.list_entities(type=type or None, name=q.strip() or None, limit=MAX_LISTED)
    counts = store.entity_mention_counts([e.id for e in found])
    return _page("entities.html", title="Entities", entities=found, counts=counts, q=q, type=type)


@router.get("/entities/{entity_id}")
def entity(entity_id: str, store: Store = Depends(get_store)) -> HTMLResponse:
    """An entity: roles, aliases, places, and every claim by or about it across stories."""
    found = store.get_entity(entity_id)
    names = EntityNames(store, LINKS, {found.id: found})
    articles, story_of, claims = {}, {}, []
    for claim in store.list_claims(entity=entity_id):
        if claim.article not in articles:
            articles[claim.article] = store.get_article(claim.article)
            story_of[claim.article] = store.story_of_article(claim.article)
        claims.append(claim_view(claim, articles[claim.article], names, LINKS))
    mentioned = sorted({m.article for m in found.mentions})
    for article_id in mentioned:
        if article_id not in articles:
            articles[article_id] = store.get_article(article_id)
            story_of[article_id] = store.story_of_article(article_id)
    return _page("entity.html", title=found.name, entity=found, claims=claims, articles=articles, story_of=story_of,
                 mentioned=mentioned)


@router.get("/search")
def search(q: str = Query("", max_length=500), store: Store = Depends(get_store)) -> HTMLResponse:
    """Full-text search over titles and bodies."""
    hits = store.search(q, limit=50) if q.strip() else []
    results = [(h.article, snippet_markup(h.snippet)) for h in hits]
    return _page("search.html", title=f"Search: {q}" if q else "Search", q=q, results=results)
