"""The map page: ``GET /`` and its static assets under ``/static/``.

The page (``static/index.html``, ``map.js``, ``style.css``) reads only the
JSON API of this service, and the country outlines (``static/countries.json``,
made once by ``deploy/make_outlines.py``) ship in the package: nothing is
loaded from another host, so it works offline. Everything it shows from
articles goes into the page as text, never as markup, and the page's
Content-Security-Policy admits no inline script and no other origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

# The only files served, with their types: nothing else in the folder is reachable.
ASSETS: Final = {
    "map.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "countries.json": "application/json",
    "favicon.svg": "image/svg+xml",
}

CONTENT_SECURITY_POLICY: Final = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def page_router() -> APIRouter:
    """``GET /`` (the map page) and ``GET /static/{name}`` (its scripts, style and outlines)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def map_page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            media_type="text/html; charset=utf-8",
            headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
        )

    @router.get("/static/{name}")
    async def asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:
            raise HTTPException(404, f"no static file {name!r}")
        # no-cache: revalidated (ETag) on every load, so a new release is seen at once.
        return FileResponse(
            STATIC_DIR / name,
            media_type=media_type,
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
        )

    return router
