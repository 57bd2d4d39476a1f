"""The state service as its users poll it, on the embedded broker with the real
processor: ETags and 304s, changes since a position, filters and cursors, the
alert stream, posting articles, auth, metrics, errors, the OpenAPI document."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.api.context import POSITION_HEADER
from services.ingest.runner import ingest_targets
from services.shared.settings import SitrepSettings
from tests.conftest import SEED
from tests.integration.conftest import serve_api
from tests.integration.test_pipeline import PUBLISHED, by_name, folded
from tests.waiting import eventually

# Short reports about places the other tests of the session do not touch.
VUHLEDAR = (
    "Russian forces captured the town of Vuhledar in eastern Ukraine on Wednesday, the Ukrainian "
    "military said, after a months-long siege."
)
WAD_MADANI = (
    "Sudan's army said on Tuesday it had recaptured the city of Wad Madani from the Rapid Support "
    "Forces after weeks of fighting."
)
RUBAYA = (
    "M23 rebels seized the town of Rubaya in eastern Congo on Tuesday, residents said, after "
    "government troops withdrew from the area."
)
GERMAN = (
    "Die Rebellen haben am Donnerstag nach schweren Kämpfen die syrische Stadt Hama vollständig "
    "eingenommen, sagte ein Sprecher der Gruppe am Abend."
)


async def post_text(http: httpx.AsyncClient, text: str, **query: str) -> httpx.Response:
    params = {"published_at": "2024-10-03T12:00:00Z", **query}
    return await http.post(
        "/v1/articles", content=text.encode(), params=params, headers={"content-type": "text/plain"}
    )


async def seeded(kafka_settings: SitrepSettings, http: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The seed article ingested and folded; the places of the view."""
    await ingest_targets(kafka_settings, [SEED], PUBLISHED)

    async def hama_held() -> list[dict[str, Any]] | None:
        places: list[dict[str, Any]] = (await http.get("/v1/control")).json()["places"]
        hama = by_name(places, "Hama")
        return places if hama is not None and hama["status"] == "held" else None

    return await eventually(hama_held, 90, "Hama held")


# --- polling --------------------------------------------------------------------------------------


async def test_an_unchanged_view_answers_304_and_a_change_a_new_etag(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)
    first = await http.get("/v1/control")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = await http.get("/v1/control", headers={"If-None-Match": etag})
    if again.status_code == 200:  # the view moved in between (another test's events): once more
        etag = again.headers["etag"]
        again = await http.get("/v1/control", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    # Another URL is another answer: the same positions, a different ETag.
    other = await http.get("/v1/control", params={"country": "SY"})
    assert other.status_code == 200 and other.headers["etag"] != etag
    # A waiting read checks in its handler, once it has waited.
    position = first.json()["position"]
    waited = await http.get(
        "/v1/control", params={"min_position": position}, headers={"If-None-Match": '"stale"'}
    )
    assert waited.status_code == 200 and waited.headers["etag"]

    posted = await post_text(http, VUHLEDAR)
    assert posted.status_code == 202, posted.text
    fresh = await http.get("/v1/control", params={"min_position": posted.json()["position"], "wait_s": 30})
    assert fresh.status_code == 200
    changed = await http.get("/v1/control", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert by_name(changed.json()["places"], "Vuhledar") is not None


async def test_an_unchanged_view_is_served_from_its_encoding_plain_or_gzipped(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)

    async def twice() -> tuple[httpx.Response, httpx.Response] | None:
        plain = await http.get("/v1/control", headers={"Accept-Encoding": "identity"})
        zipped = await http.get("/v1/control", headers={"Accept-Encoding": "gzip"})
        return (plain, zipped) if plain.headers["etag"] == zipped.headers["etag"] else None

    plain, zipped = await eventually(twice, 30, "two answers at the same position")
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and "accept-encoding" in zipped.headers["vary"]
    assert zipped.content == plain.content  # httpx inflates it
    assert zipped.headers[POSITION_HEADER] == plain.headers[POSITION_HEADER] == plain.json()["position"]


async def test_since_position_returns_only_the_places_that_changed(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)
    before = (await http.get("/v1/control")).json()
    posted = await post_text(http, WAD_MADANI)
    assert posted.status_code == 202, posted.text
    after = await http.get(
        "/v1/control",
        params={
            "since_position": before["position"],
            "min_position": posted.json()["position"],
            "wait_s": 30,
        },
    )
    assert after.status_code == 200, after.text
    changed = after.json()
    names = {folded(p["place"]["name"]) for p in changed["places"]}
    assert any(n.startswith("wadm") for n in names), names
    assert changed["count"] < before["count"] + 1, "since_position returned the whole view"
    assert "hama" not in names
    # Asking again from the new position: nothing has changed since.
    quiet = await http.get("/v1/control", params={"since_position": changed["position"]})
    assert all(folded(p["place"]["name"]) != "hama" for p in quiet.json()["places"])


async def test_filters_and_cursor_pages_cover_the_view_once(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)
    hts = await http.get("/v1/control", params={"controller": "Hayat Tahrir al-Sham", "status": ["held"]})
    places = hts.json()["places"]
    assert by_name(places, "Hama") is not None
    assert all(p["controller"]["name"] == "Hayat Tahrir al-Sham" and p["status"] == "held" for p in places)
    assert all(
        p["place"]["country"] == "SY" for p in (await http.get("/v1/control?country=SY")).json()["places"]
    )
    around_hama = (await http.get("/v1/control", params={"bbox": "36.5,34.9,37.0,35.4"})).json()["places"]
    assert [folded(p["place"]["name"])[:4] for p in around_hama] == ["hama"]
    elsewhere = (await http.get("/v1/control", params={"bbox": "-10,40,0,45"})).json()["places"]
    assert by_name(elsewhere, "Hama") is None
    bad = await http.get("/v1/control", params={"bbox": "1,2,3"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "query.bbox"

    everything = (await http.get("/v1/control", params={"country": "SY"})).json()
    paged: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"country": "SY", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await http.get("/v1/control", params=params)).json()
        paged += [p["place"]["id"] or p["place"]["name"] for p in page["places"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == [p["place"]["id"] or p["place"]["name"] for p in everything["places"]]
    assert len(paged) == len(set(paged)) and len(paged) >= 3
    junk = await http.get("/v1/control", params={"cursor": "not-a-cursor"})
    assert junk.status_code == 400 and junk.json()["error"] == "invalid_request"


async def test_alerts_list_filters_and_pages_newest_first(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)

    async def listed() -> list[dict[str, Any]] | None:
        alerts: list[dict[str, Any]] = (await http.get("/v1/alerts", params={"limit": 1000})).json()["alerts"]
        return alerts if any(a["kind"] == "capital_threatened" for a in alerts) else None

    alerts = await eventually(listed, 90, "the seed article's alerts")
    keys = [(a["occurred_at"], a["emitted_at"], a["alert_id"]) for a in alerts]
    assert keys == sorted(keys, reverse=True)
    critical = (await http.get("/v1/alerts", params={"min_severity": "critical"})).json()["alerts"]
    assert critical and all(a["severity"] == "critical" for a in critical)
    changes = (await http.get("/v1/alerts", params={"kind": "control_changed"})).json()["alerts"]
    assert changes and all(a["kind"] == "control_changed" for a in changes)
    first = (await http.get("/v1/alerts", params={"limit": 1})).json()
    second = (await http.get("/v1/alerts", params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert first["alerts"][0]["alert_id"] != second["alerts"][0]["alert_id"]


async def test_a_place_history_pages_oldest_first(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    places = await seeded(kafka_settings, http)
    hama = by_name(places, "Hama")
    assert hama is not None
    whole = (await http.get(f"/v1/control/{hama['place']['id']}/history")).json()
    pages: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await http.get(f"/v1/control/{hama['place']['id']}/history", params=params)).json()
        pages += page["changes"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [c["change"] for c in pages] == [c["change"] for c in whole["changes"]]
    bad = await http.get(f"/v1/control/{hama['place']['id']}/history", params={"cursor": "WyJ4Il0"})
    assert bad.status_code == 400


# --- the alert stream -----------------------------------------------------------------------------


async def sse_events(
    api_url: str, params: dict[str, Any], headers: dict[str, str] | None = None
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(id, alert) of each alert event of a stream, as a browser would read them."""
    async with (
        httpx.AsyncClient(base_url=api_url, timeout=httpx.Timeout(10, read=60)) as client,
        client.stream("GET", "/v1/alerts/stream", params=params, headers=headers or {}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line == "":
                if fields.get("event") == "alert":
                    yield fields["id"], json.loads(fields["data"])
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")


async def test_the_alert_stream_delivers_new_alerts_and_resumes_after_last_event_id(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient, api_url: str
) -> None:
    await seeded(kafka_settings, http)
    listed = (await http.get("/v1/alerts", params={"limit": 1000})).json()
    seen_before = {a["alert_id"] for a in listed["alerts"]}
    received: list[tuple[str, dict[str, Any]]] = []

    async def follow() -> None:
        async for item in sse_events(api_url, {"kind": "control_changed"}):
            received.append(item)

    stream = asyncio.create_task(follow())
    try:
        await asyncio.sleep(0.5)  # connected: the stream starts at what arrives from now on
        assert (await post_text(http, RUBAYA)).status_code == 202

        async def rubaya() -> bool:
            return any(folded(a["place"]["name"]).startswith("rubaya") for _, a in received)

        await eventually(rubaya, 60, "Rubaya's control_changed on the stream")
    finally:
        stream.cancel()
    assert all(a["kind"] == "control_changed" for _, a in received)
    assert not {a["alert_id"] for _, a in received} & seen_before, "the stream repeated a listed alert"

    # Resuming from the list's position gives what came after it, each alert once.
    resumed: list[tuple[str, dict[str, Any]]] = []

    async def resume() -> None:
        async for item in sse_events(api_url, {}, {"Last-Event-ID": listed["position"]}):
            resumed.append(item)

    stream = asyncio.create_task(resume())
    try:

        async def caught_up() -> bool:
            return {a["alert_id"] for _, a in received} <= {a["alert_id"] for _, a in resumed}

        await eventually(caught_up, 30, "the resumed stream to replay the alerts after the list")
    finally:
        stream.cancel()
    ids = [a["alert_id"] for _, a in resumed]
    assert len(ids) == len(set(ids)) and not set(ids) & seen_before
    # Resuming from the last id received: nothing more to replay.
    last_id = resumed[-1][0]
    tail: list[tuple[str, dict[str, Any]]] = []

    async def resume_at_end() -> None:
        async for item in sse_events(api_url, {}, {"Last-Event-ID": last_id}):
            tail.append(item)

    stream = asyncio.create_task(resume_at_end())
    await asyncio.sleep(1.0)
    stream.cancel()
    assert not {a["alert_id"] for _, a in tail} & set(ids)
    bad = await http.get("/v1/alerts/stream", headers={"Last-Event-ID": "nonsense!"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_request"


# --- posting articles -----------------------------------------------------------------------------


async def test_posting_an_article_is_idempotent_and_readable_at_its_position(
    processor: Path, http: httpx.AsyncClient
) -> None:
    envelope = {
        "text": VUHLEDAR + " Ukrainian troops withdrew to new positions west of the town.",
        "title": "Vuhledar falls",
        "url": "https://example.org/vuhledar",
        "published_at": "2024-10-03T12:00:00Z",
        "country_hint": "UA",
    }
    first = await http.post("/v1/articles", json=envelope)
    assert first.status_code == 202, first.text
    body = first.json()
    assert body["duplicate"] is False and body["events"] >= 1
    assert first.headers["location"] == f"/v1/articles/{body['article_id']}"
    assert first.headers[POSITION_HEADER] == body["position"]
    again = await http.post("/v1/articles", json=envelope)
    assert again.status_code == 202 and again.json()["duplicate"] is True
    assert again.json()["article_id"] == body["article_id"]
    view = await http.get("/v1/control", params={"min_position": body["position"], "wait_s": 30})
    assert view.status_code == 200 and by_name(view.json()["places"], "Vuhledar") is not None

    async def article_read() -> dict[str, Any] | None:
        found = await http.get(body["status_url"])
        return found.json() if found.status_code == 200 else None

    detail = await eventually(article_read, 30, "the posted article on GET /v1/articles/{id}")
    assert detail["article"]["title"] == "Vuhledar falls" and detail["events"]


@pytest.mark.parametrize(
    ("content_type", "body", "status", "field"),
    [
        ("application/json", b'{"text": "', 422, "body"),
        ("application/json", b'{"title": "no text"}', 422, "text"),
        ("application/json", b'{"text": "x", "published_at": "yesterday"}', 422, "published_at"),
        ("application/json", b'{"text": "x", "country_hint": "Syria"}', 422, "country_hint"),
        ("application/json", b'{"text": "x", "colour": "red"}', 422, "colour"),
        ("application/json", b'{"text": "   "}', 422, "text"),
        ("text/plain", b"", 422, "text"),
        ("text/plain", b"\x00\x01\x02\x03binary\xff\xfe" * 40, 422, "body"),
        ("text/plain", "Les rebelles ont pris Hama jeudi, a déclaré l'armée.".encode("latin-1"), 422, "body"),
        ("text/plain", GERMAN.encode(), 422, "text"),
        ("image/png", b"\x89PNG\r\n", 415, None),
    ],
)
async def test_a_bad_article_is_refused_with_its_reason(
    http: httpx.AsyncClient, content_type: str, body: bytes, status: int, field: str | None
) -> None:
    response = await http.post("/v1/articles", content=body, headers={"content-type": content_type})
    assert response.status_code == status, response.text
    error = response.json()
    assert set(error) == {"error", "detail"} and "Traceback" not in response.text
    if field is not None:
        assert any(f["field"].split(".")[-1] == field for f in error["detail"]), error


async def test_a_body_over_the_limit_is_refused_with_413(kafka_settings: SitrepSettings) -> None:
    async with (
        serve_api(kafka_settings, api_max_body_bytes=4096) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        big = ("The army said it held the town of Hama on Monday. " * 200).encode()
        response = await client.post("/v1/articles", content=big, headers={"content-type": "text/plain"})
        assert response.status_code == 413 and "4,096" in response.json()["detail"]

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: cut off while reading
            for _ in range(10):
                yield b"x" * 1000

        streamed = await client.post("/v1/articles", content=chunks(), headers={"content-type": "text/plain"})
        assert streamed.status_code == 413


async def test_a_token_guards_writes_and_optionally_reads(kafka_settings: SitrepSettings) -> None:
    async with (
        serve_api(kafka_settings, api_token="s3cret") as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        anonymous = await client.post("/v1/articles", json={"text": RUBAYA})
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
        assert anonymous.json()["error"] == "unauthorized"
        wrong = await client.post(
            "/v1/articles", json={"text": RUBAYA}, headers={"Authorization": "Bearer no"}
        )
        assert wrong.status_code == 401
        right = await client.post(
            "/v1/articles", json={"text": RUBAYA}, headers={"Authorization": "Bearer s3cret"}
        )
        assert right.status_code == 202, right.text
        assert (await client.get("/v1/control")).status_code == 200  # reads stay open
    async with (
        serve_api(kafka_settings, api_token="s3cret", api_token_for_reads=True) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        assert (await client.get("/v1/control")).status_code == 401
        assert (
            await client.get("/v1/control", headers={"Authorization": "Bearer s3cret"})
        ).status_code == 200
        assert (await client.get("/healthz")).status_code == 200


# --- metrics, errors, documentation ---------------------------------------------------------------


def samples(text: str, name: str) -> dict[str, float]:
    """Every sample of a metric family in a Prometheus exposition: labels -> value."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            found[series[len(name) :]] = float(value)
    return found


async def test_metrics_count_the_pipeline_and_the_requests(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await seeded(kafka_settings, http)
    await http.get("/v1/control")

    async def exposition() -> str | None:
        text = (await http.get("/metrics")).text
        folded_total = samples(text, "sitrep_events_folded_total").get("", 0)
        return text if folded_total > 0 else None

    text = await eventually(exposition, 30, "events folded in /metrics")
    assert samples(text, "sitrep_articles_ingested_total")[""] >= 1
    assert (
        samples(text, "sitrep_events_parsed_total")[""] >= samples(text, "sitrep_events_folded_total")[""] > 0
    )
    assert any("control_changed" in k for k in samples(text, "sitrep_alerts_emitted_total"))
    assert any('topic="sitrep.events.v1"' in k for k in samples(text, "sitrep_consumer_lag"))
    assert "" in samples(text, "sitrep_dead_letters_total")
    latency = samples(text, "sitrep_http_request_duration_seconds_count")
    assert any('route="/v1/control"' in k and 'status="200"' in k for k in latency), latency


async def test_errors_are_json_without_stack_traces(http: httpx.AsyncClient) -> None:
    missing = await http.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    place = await http.get("/v1/control/geonames:1")
    assert place.status_code == 404 and "geonames:1" in place.json()["detail"]
    wrong_method = await http.delete("/v1/control")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"
    bad_query = await http.get("/v1/control", params={"limit": "many"})
    assert bad_query.status_code == 422 and bad_query.json()["detail"][0]["field"] == "query.limit"


async def test_every_route_is_documented_with_an_example(http: httpx.AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]

    def has_example(node: Any) -> bool:
        if isinstance(node, dict):
            if "example" in node or "examples" in node:
                return True
            ref = node.get("$ref")
            if isinstance(ref, str) and has_example(schemas[ref.rsplit("/", 1)[-1]]):
                return True
            return any(has_example(v) for k, v in node.items() if k in ("content", "schema") or "/" in k)
        return False

    for path, operations in document["paths"].items():
        assert path.startswith("/v1/") or path in ("/healthz", "/readyz", "/metrics"), path
        for method, operation in operations.items():
            ok = operation["responses"].get("200") or operation["responses"].get("202")
            assert ok is not None and has_example(ok), f"{method.upper()} {path} has no example"
    assert (await http.get("/docs")).status_code == 200
