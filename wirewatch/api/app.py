"""The FastAPI application: web pages, the JSON API, static files, security headers and error shapes.

Read-only by default; `allow_ingest` enables POST /api/articles. Each request opens its own store
connection, so requests never share a SQLite transaction across threads.
"""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from wirewatch import __version__
from wirewatch.errors import NotFoundError, StoreBusyError, WirewatchError
from wirewatch.store import Store, open_store
from wirewatch.web.render import STATIC, render

# No inline script or style anywhere the app serves: everything comes from /static.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding the CSP and friends to every response, errors and static files included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def get_store(request: Request) -> Iterator[Store]:
    """FastAPI dependency: a store connection for this request, closed afterwards."""
    store = open_store(request.app.state.db_path)
    try:
        yield store
    finally:
        store.close()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _error(request: Request, status: int, message: str, extra: dict | None = None) -> HTMLResponse | JSONResponse:
    if _is_api(request):
        return JSONResponse({"error": message, **(extra or {})}, status_code=status)
    return HTMLResponse(render("error.html", status=status, message=message, title=f"Error {status}"), status_code=status)


def create_app(db_path: str, allow_ingest: bool = False) -> FastAPI:
    """Build the app over the store at `db_path`; ingest over HTTP only when `allow_ingest`."""
    from wirewatch.api.alerts import router as alerts_router
    from wirewatch.api.routes import router as api_router
    from wirewatch.web.pages import router as page_router

    app = FastAPI(title="wirewatch", version=__version__, openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  description="Stories, entities, claims and articles from a wirewatch store, in the shapes of "
                              "the analysis contract (analysis.schema.json).")
    app.state.db_path = db_path
    app.state.allow_ingest = allow_ingest
    app.state.resources = None  # NLP models, loaded on the first HTTP ingest only

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return _error(request, 404, str(exc) or "not found")

    @app.exception_handler(StoreBusyError)
    async def busy(request: Request, exc: StoreBusyError):
        return _error(request, 503, "the store is busy; try again")

    @app.exception_handler(WirewatchError)
    async def wirewatch_error(request: Request, exc: WirewatchError):
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "not found"
        response = _error(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        details = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return _error(request, 422, "invalid request", {"details": details})

    app.include_router(api_router)
    app.include_router(alerts_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders)
    return app
