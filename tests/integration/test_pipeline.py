"""ingest → sitrep.events.v1 → processor (faust) → control/alerts topics → API,
on the embedded broker, with the seed article."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from schemas.alert import Alert
from schemas.topics import ALERTS, ARTICLES, DEADLETTER, EVENTS
from services.ingest.runner import ingest_targets
from services.shared.kafka import make_producer, total_records
from services.shared.settings import SitrepSettings
from tests.conftest import SEED, SEED_PUBLISHED
from tests.topics import read_topic
from tests.waiting import eventually

PUBLISHED = datetime.fromisoformat(SEED_PUBLISHED.replace("Z", "+00:00"))


def folded(name: str) -> str:
    """Compare names without case, accents or punctuation ("Dara" for Daraa)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii() and c.isalnum()).lower()


def by_name(places: list[dict[str, Any]], prefix: str) -> dict[str, Any] | None:
    return next((p for p in places if folded(p["place"]["name"]).startswith(folded(prefix))), None)


async def test_seed_article_alerts_reach_a_plain_subscriber(
    kafka_settings: SitrepSettings, processor: Path
) -> None:
    subscriber = AIOKafkaConsumer(
        ALERTS.name,
        bootstrap_servers=kafka_settings.resolve_bootstrap(),
        group_id=f"test-subscriber-{uuid.uuid4()}",
        auto_offset_reset="earliest",
    )
    await subscriber.start()
    try:
        summary = await ingest_targets(kafka_settings, [SEED], PUBLISHED)
        assert not summary.failures
        received: list[Alert] = []

        async def wanted() -> bool:
            batch = await subscriber.getmany(timeout_ms=500)
            received.extend(Alert.model_validate_json(r.value) for rs in batch.values() for r in rs)
            seen = {(a.kind, folded(a.place.name)[:4], a.actor.name if a.actor else None) for a in received}
            return (
                {
                    ("control_changed", "hama", "Hayat Tahrir al-Sham"),
                    ("control_changed", "dara", "Southern Operations Room"),
                }
                <= seen
                and any(
                    a.kind == "claim_unconfirmed" and folded(a.place.name).startswith("zak") for a in received
                )
                and any(a.kind == "capital_threatened" and a.place.name == "Damascus" for a in received)
            )

        await eventually(wanted, 90, "the seed article's alerts (see processor log: " + str(processor) + ")")
        assert len({a.alert_id for a in received}) == len(received), "an alert reached the subscriber twice"
    finally:
        await subscriber.stop()


async def test_api_shows_the_view_after_the_seed_article(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient
) -> None:
    await ingest_targets(kafka_settings, [SEED], PUBLISHED)

    async def view() -> list[dict[str, Any]] | None:
        places: list[dict[str, Any]] = (await http.get("/v1/control")).json()["places"]
        hama, daraa = by_name(places, "Hama"), by_name(places, "Dar")
        if (
            hama
            and daraa
            and by_name(places, "Zak")
            and by_name(places, "Homs")
            and by_name(places, "Damascus")
        ):
            return places
        return None

    places = await eventually(view, 90, "Hama, Daraa, Zakyah, Homs and Damascus in /v1/control")
    hama = by_name(places, "Hama")
    assert hama and hama["status"] == "held" and hama["controller"]["name"] == "Hayat Tahrir al-Sham"
    daraa = by_name(places, "Dar")
    assert daraa and daraa["status"] == "held" and daraa["controller"]["name"] == "Southern Operations Room"
    zakyah = by_name(places, "Zak")
    assert zakyah and zakyah["status"] == "claimed"
    homs = by_name(places, "Homs")
    assert homs and homs["status"] == "threatened"
    damascus = by_name(places, "Damascus")
    assert damascus and damascus["status"] == "threatened"
    assert damascus["controller"]["id"] == "sy-gov"

    detail = (await http.get(f"/v1/control/{hama['place']['id']}")).json()
    assert detail["state"]["controller"]["id"] == "hts"
    assert any("Hama" in e["evidence"]["sentence"] for e in detail["supporting_events"])
    assert all(e["event_id"] in detail["state"]["supporting_event_ids"] for e in detail["supporting_events"])
    assert (await http.get("/v1/control/geonames:0")).status_code == 404

    alerts = (await http.get("/v1/alerts")).json()["alerts"]
    assert alerts, "no alerts listed"
    times = [a["occurred_at"] for a in alerts]
    assert times == sorted(times, reverse=True), "alerts are not newest first"
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.get("/readyz")).status_code == 200

    async def processor_caught_up() -> dict[str, Any] | None:
        progress: dict[str, Any] = (await http.get("/readyz")).json()["processor"]
        return progress if progress["lag"] == 0 and progress["partitions"] else None

    progress = await eventually(processor_caught_up, 60, "the processor's committed lag to reach 0")
    assert not progress["stalled"] and progress["group"] == "sitrep-processor"


async def test_reingesting_publishes_nothing_new(kafka_settings: SitrepSettings) -> None:
    await ingest_targets(kafka_settings, [SEED], PUBLISHED)
    before = (
        await total_records(kafka_settings, ARTICLES.name),
        await total_records(kafka_settings, EVENTS.name),
    )
    summary = await ingest_targets(kafka_settings, [SEED], PUBLISHED)
    after = (
        await total_records(kafka_settings, ARTICLES.name),
        await total_records(kafka_settings, EVENTS.name),
    )
    assert summary.published == 0 and summary.duplicates == 1
    assert after == before


async def test_bad_inputs_are_dead_lettered_and_the_rest_goes_on(
    kafka_settings: SitrepSettings, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes(
        "Rebels entered Goma, the capital of North Kivu. Caf\xe9".encode("latin-1")
    )
    (tmp_path / "no_text.json").write_text(json.dumps({"title": "no text here"}))
    (tmp_path / "good.txt").write_text(
        f"Bad-input neighbour {uuid.uuid4()}: rebels captured the city of Idlib on Monday, residents said."
    )
    summary = await ingest_targets(kafka_settings, [tmp_path], PUBLISHED)
    assert summary.published == 1
    assert len(summary.failures) == 4
    letters = {Path(d["source_id"]).name: d for d in await read_topic(kafka_settings, DEADLETTER.name)}
    assert "empty" in letters["empty.txt"]["error"]
    assert "binary" in letters["binary.txt"]["error"] and letters["binary.txt"]["input_encoding"] == "base64"
    assert "UTF-8" in letters["latin1.txt"]["error"]
    assert "'text'" in letters["no_text.json"]["error"]


async def test_malformed_records_on_the_event_topic_are_dead_lettered(
    kafka_settings: SitrepSettings, processor: Path, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    marker = f"garbage-{uuid.uuid4()}"
    producer = make_producer(kafka_settings)
    await producer.start()
    try:
        await producer.send_and_wait(EVENTS.name, b"{not json " + marker.encode(), key=b"x")
        await producer.send_and_wait(
            EVENTS.name, json.dumps({"schema_version": 99, "m": marker}).encode(), key=b"x"
        )
    finally:
        await producer.stop()

    async def both_dead_lettered() -> list[dict[str, Any]] | None:
        found = [d for d in await read_topic(kafka_settings, DEADLETTER.name) if marker in d["input"]]
        return found if len(found) == 2 else None

    found = await eventually(both_dead_lettered, 60, "two dead letters from the processor")
    reasons = " | ".join(d["error"] for d in found)
    assert "not JSON" in reasons and "schema_version 99 is not supported" in reasons
    assert all(d["stage"] == "decode" and d["topic"] == EVENTS.name for d in found)

    # Nothing else stopped: an article ingested after the garbage is still folded.
    article = tmp_path / "after.txt"
    article.write_text(
        f"Report {marker}: Syrian rebels captured the town of Saraqib in Idlib province on Tuesday, "
        "a war monitor said."
    )
    await ingest_targets(kafka_settings, [article], PUBLISHED)

    async def saraqib() -> bool:
        places = (await http.get("/v1/control")).json()["places"]
        return by_name(places, "Saraqib") is not None

    await eventually(saraqib, 60, "Saraqib folded after the malformed records")
