"""Alerts over HTTP: `/api/alerts` (JSON) and `/alerts.atom` (an Atom feed for feed readers)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from wirewatch.alerts.atom import alerts_atom
from wirewatch.alerts.match import utc_iso
from wirewatch.api.app import get_store
from wirewatch.store import Store

router = APIRouter()


@router.get("/api/alerts", summary="Alerts raised by watchlists, newest first, each citing its article and span")
def alerts(since: str | None = Query(None, max_length=40), limit: int = Query(200, ge=1, le=5000),
           store: Store = Depends(get_store)) -> dict[str, Any]:
    return {"alerts": store.list_alerts(since=utc_iso(since) if since else None, limit=limit), "since": since, "limit": limit}


@router.get("/alerts.atom", include_in_schema=False)
def alerts_feed(request: Request, limit: int = Query(100, ge=1, le=1000), store: Store = Depends(get_store)) -> Response:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    body = alerts_atom(store.list_alerts(limit=limit), str(request.base_url), now)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
