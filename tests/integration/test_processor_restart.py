"""The restart path: a processor that stops and starts again rebuilds its view
from sitrep.events.v1 and carries on from where it was, emitting no alert twice.
Runs on a broker of its own so no other processor shares the partitions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from schemas.topics import ALERTS, CONTROL
from services.ingest.runner import ingest_targets
from services.shared.settings import SitrepSettings
from tests.conftest import SEED, SEED_PUBLISHED
from tests.integration.conftest import broker_settings, start_processor, stop_process
from tests.integration.test_pipeline import folded
from tests.topics import read_topic
from tests.waiting import eventually

FOLLOW_UP = {
    "text": "Syrian rebels led by Hayat Tahrir al-Sham captured the city of Homs late on Saturday after "
    "government troops withdrew, the Syrian Observatory for Human Rights said.",
    "published_at": "2024-12-08T06:00:00Z",
}


@pytest.fixture
async def own_settings(tmp_path: Path) -> AsyncIterator[SitrepSettings]:
    async with broker_settings(tmp_path) as settings:
        yield settings


async def latest_control(settings: SitrepSettings, name: str) -> dict[str, Any] | None:
    states = [
        s for s in await read_topic(settings, CONTROL.name) if folded(s["place"]["name"]).startswith(name)
    ]
    return max(states, key=lambda s: s["version"]) if states else None


async def test_a_restarted_processor_rebuilds_its_view_from_the_log(
    own_settings: SitrepSettings, tmp_path: Path
) -> None:
    log = tmp_path / "processor.log"
    first = start_processor(own_settings, log)
    try:
        await ingest_targets(
            own_settings, [SEED], datetime.fromisoformat(SEED_PUBLISHED.replace("Z", "+00:00"))
        )

        async def homs_threatened() -> dict[str, Any] | None:
            state = await latest_control(own_settings, "homs")
            return state if state and state["status"] == "threatened" else None

        before = await eventually(homs_threatened, 90, f"Homs threatened (log: {log})")
    finally:
        assert stop_process(first) == 0, log.read_text()
    alerts_before = await read_topic(own_settings, ALERTS.name)

    second = start_processor(own_settings, log)
    try:
        follow_up = tmp_path / "homs.json"
        follow_up.write_text(json.dumps(FOLLOW_UP))
        await ingest_targets(own_settings, [follow_up], None)

        async def homs_taken() -> dict[str, Any] | None:
            state = await latest_control(own_settings, "homs")
            return state if state and state["status"] == "held" else None

        after = await eventually(homs_taken, 90, f"Homs held after the restart (log: {log})")
    finally:
        stop_process(second)

    assert after["controller"]["id"] == "hts"
    assert after["previous_controller"]["id"] == "sy-gov"
    # The new state was folded on top of the history, not from scratch: every
    # event the first processor saw is still counted.
    assert after["version"] == before["version"] + 2
    alerts_after = await read_topic(own_settings, ALERTS.name)
    ids = [a["alert_id"] for a in alerts_after]
    assert len(ids) == len(set(ids)), "an alert was emitted twice across the restart"
    new = [a for a in alerts_after if a["alert_id"] not in {b["alert_id"] for b in alerts_before}]
    assert any(a["kind"] == "control_changed" and folded(a["place"]["name"]) == "homs" for a in new)
