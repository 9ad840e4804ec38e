"""The HTTP side of wirewatch: the web UI and the JSON API in one FastAPI application."""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(db_path: str, allow_ingest: bool = False):
    """Build the application (see wirewatch.api.app.create_app)."""
    from wirewatch.api.app import create_app as _create

    return _create(db_path, allow_ingest=allow_ingest)
