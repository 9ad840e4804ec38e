"""The JSON API under /api: stories, entities, articles, claims and search in the contract's shapes.

Bodies are model `to_dict()` output (see ../shared/contract/analysis.schema.json); errors are
`{"error": message}` with a matching status. POST /api/articles exists only with `allow_ingest`.
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from wirewatch import __version__
from wirewatch.api.app import get_store
from wirewatch.config import Limits
from wirewatch.ingest.text import build_article, iso_date
from wirewatch.model import Article, Rejection
from wirewatch.store import Store, open_store
from wirewatch.stories.merge import surviving_story
from wirewatch.web.render import render
from wirewatch.web.views import snippet_plain

router = APIRouter(prefix="/api")

MAX_BODY_BYTES = 5 * 1024 * 1024  # one POST; bigger corpora go through `wirewatch ingest`
MAX_RECORDS = 1000
_FIELDS = ("title", "text", "url", "outlet", "published", "author")


@router.get("/info", summary="Version, counts and whether ingest is enabled")
def info(request: Request, store: Store = Depends(get_store)) -> dict[str, Any]:
    return {"wirewatch_version": __version__, "counts": store.counts(), "allow_ingest": request.app.state.allow_ingest}


@router.get("/stories", summary="Stories, most recently published first")
def stories(limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0),
            store: Store = Depends(get_store)) -> dict[str, Any]:
    found = store.list_stories(limit=limit, offset=offset)
    return {"stories": [s.to_dict() for s in found], "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", summary="One story: snapshot with citations, conflicts, timeline")
def story(story_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    # A story merged into another answers with the surviving story (its own id in the body).
    return surviving_story(store, story_id).to_dict()


@router.get("/stories/{story_id}/graph", summary="One story's actor graph: who acts on whom, with the claims that cite each edge")
def story_graph(story_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    from wirewatch.stories.graph import story_edges

    found = store.get_story(story_id)
    analyses = [store.get_analysis(a) for a in found.articles]
    names = {e.id: e.name for a in analyses for e in a.entities}
    edges = [{**e.to_dict(), "source_name": names.get(e.source), "target_name": names.get(e.target)} for e in story_edges(analyses)]
    return {"story": story_id, "edges": edges}


@router.get("/entities", summary="Entities by mention count, filtered by type and name")
def entities(type: str | None = Query(None, max_length=32), q: str | None = Query(None, max_length=200),
             limit: int = Query(100, ge=1, le=5000), store: Store = Depends(get_store)) -> dict[str, Any]:
    found = store.list_entities(type=type or None, name=q or None, limit=limit)
    return {"entities": [e.to_dict() for e in found]}


@router.get("/entities/{entity_id}", summary="One entity with every mention, and the claims by or about it")
def entity(entity_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    data = store.get_entity(entity_id).to_dict()
    data["claims"] = [c.to_dict() for c in store.list_claims(entity=entity_id)]
    return data


@router.get("/articles/{article_id}", summary="One article's analysis: article (with text), entities, quantities, claims, times")
def article(article_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    data = store.get_analysis(article_id).to_dict(with_text=True)
    data["story"] = store.story_of_article(article_id)
    return data


@router.get("/claims", summary="Claims filtered by entity, article or story")
def claims(entity: str | None = None, article: str | None = None, story: str | None = None,
           store: Store = Depends(get_store)) -> dict[str, Any]:
    return {"claims": [c.to_dict() for c in store.list_claims(entity=entity, article=article, story=story)]}


@router.get("/search", summary="Full-text search over titles and bodies")
def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200),
           store: Store = Depends(get_store)) -> dict[str, Any]:
    hits = store.search(q, limit=limit)
    return {"query": q, "results": [{"article": h.article.to_dict(), "snippet": snippet_plain(h.snippet), "score": h.score}
                                    for h in hits]}


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """A plain list of the endpoints from our OpenAPI document (no Swagger UI: it loads from a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            params = [p.get("name", "") for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params})
    return HTMLResponse(render("docs.html", title="HTTP API", endpoints=endpoints, allow_ingest=request.app.state.allow_ingest))


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _record_problem(index: int, record: Any) -> str | None:
    """Why a posted record cannot be an article, or None when it can."""
    if not isinstance(record, dict):
        return f"record {index}: expected an object with 'title' and 'text'"
    for name in ("title", "text"):
        if not isinstance(record.get(name), str):
            return f"record {index}: '{name}' must be a string"
    for name in _FIELDS[2:]:
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"record {index}: '{name}' must be a string or null"
    return None


def _build(records: list[dict]) -> tuple[list[Article], list[dict]]:
    limits = Limits()
    articles, problems = [], []
    for i, record in enumerate(records):
        raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
        meta = {k: record.get(k) for k in ("url", "outlet", "author") if record.get(k)}
        if record.get("published"):
            meta["published"] = iso_date(record["published"])
        built = build_article(f"http:record {i}", record["title"], record["text"], limits, fmt="jsonl", raw=raw, line=i, **meta)
        if isinstance(built, Rejection):
            problems.append({"record": i, "error": f"record {i}: {built.reason}"})
        else:
            articles.append(built)
    return articles, problems


def _ingest(request: Request, articles: list[Article]) -> dict[str, Any]:
    from wirewatch.pipeline import Wirewatch
    from wirewatch.resources import Resources

    if request.app.state.resources is None:
        request.app.state.resources = Resources()
    with Wirewatch(open_store(request.app.state.db_path), resources=request.app.state.resources) as ww:
        report = ww.ingest_articles(articles)
    return {"added": report.added, "duplicates": sorted(set(report.duplicates))}


@router.post("/articles", summary="Add articles (only when the server runs with --allow-ingest)", status_code=201,
             responses={403: {"description": "ingest disabled"}, 413: {"description": "body too large"},
                        400: {"description": "not JSON"}, 422: {"description": "a record is unusable"}})
async def add_articles(request: Request) -> JSONResponse:
    """Ingest one JSON object {title, text, url?, outlet?, published?, author?} or a list of them."""
    if not request.app.state.allow_ingest:
        return _error(403, "ingest over HTTP is disabled; start the server with --allow-ingest")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _error(413, f"body is over the {MAX_BODY_BYTES:,}-byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return _error(413, f"body is over the {MAX_BODY_BYTES:,}-byte limit")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return _error(400, f"body is not valid UTF-8 JSON: {exc}")
    records = payload if isinstance(payload, list) else [payload]
    if not records:
        return _error(422, "no records")
    if len(records) > MAX_RECORDS:
        return _error(413, f"{len(records)} records; at most {MAX_RECORDS} per request")
    problems = [{"record": i, "error": p} for i, r in enumerate(records) if (p := _record_problem(i, r))]
    if problems:
        return _error(422, problems[0]["error"], records=problems)
    articles, problems = _build(records)
    if problems:
        return _error(422, problems[0]["error"], records=problems)
    result = await run_in_threadpool(_ingest, request, articles)
    return JSONResponse(result, status_code=201)
