"""The map page's HTTP side, without a browser: what is served, with which headers,
and that nothing in it points at another host (tests/e2e/test_map_page.py runs it)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from services.api.page import ASSETS, STATIC_DIR, page_router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(page_router())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://page") as client:
        yield client


async def test_the_page_has_a_strict_content_security_policy_and_no_inline_script(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    html = response.text
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/map.js" defer>']
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


async def test_the_page_and_its_assets_refer_to_no_other_host(client: httpx.AsyncClient) -> None:
    html = (await client.get("/")).text
    for reference in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert reference.startswith("/static/"), reference
    script = (STATIC_DIR / "map.js").read_text(encoding="utf-8")
    addresses = set(re.findall(r"https?://[^\s'\"`)]+", script))
    assert addresses <= {"http://www.w3.org/2000/svg"}, addresses  # the SVG namespace, never fetched
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script
    assert "url(" not in (STATIC_DIR / "style.css").read_text(encoding="utf-8")


async def test_only_the_listed_assets_are_served(client: httpx.AsyncClient) -> None:
    for name, media_type in ASSETS.items():
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].split(";")[0] == media_type.split(";")[0]
    for name in ["index.html", "page.py", "..%2Fpage.py", "nothing.js"]:
        assert (await client.get(f"/static/{name}")).status_code == 404, name


def test_the_outlines_ship_with_the_package_and_stay_small() -> None:
    path = STATIC_DIR / "countries.json"
    assert path.stat().st_size < 300_000
    outlines = json.loads(path.read_text(encoding="utf-8"))
    assert "Natural Earth" in outlines["source"] and "public domain" in outlines["license"]
    names = {country["name"] for country in outlines["countries"]}
    assert len(names) > 150 and {"Syria", "Ukraine", "Sudan", "Dem. Rep. Congo"} <= names
    syria = next(c for c in outlines["countries"] if c["name"] == "Syria")
    lons, lats = syria["rings"][0][0::2], syria["rings"][0][1::2]
    assert 35 < min(lons) < 36.5 and 42 < max(lons) < 43 and 32 < min(lats) < 33 and 37 < max(lats) < 37.6
