"""Scaling out and failing over: two processor workers in one group give the
same view and alerts as one worker; when one stops, the other takes its
partitions over; a worker that crashes before committing publishes no alert
twice when its events are folded again; and a worker whose fold process dies
stops rather than sit on its partitions.

The embedded broker (noida-db 0.2.3) never expires the session of a member that
died without leaving its group, so a crashed worker's partitions are not handed
over until the broker restarts (real Kafka hands them over after the session
timeout). The crash test therefore restarts the broker, as `sitrep run` does."""

from __future__ import annotations

import json
import os
import signal
from datetime import datetime
from pathlib import Path
from typing import Any

from schemas.topics import ALERTS, CONTROL, EVENTS
from services.ingest.runner import ingest_targets
from services.shared.broker import EmbeddedBroker
from services.shared.kafka import (
    ensure_topics,
    group_lag,
    make_producer,
    total_records,
)
from services.shared.settings import SitrepSettings
from tests.conftest import SEED, SEED_PUBLISHED
from tests.integration.conftest import broker_settings, start_processor, stop_process
from tests.integration.test_pipeline import folded
from tests.topics import read_topic
from tests.waiting import eventually

PUBLISHED = datetime.fromisoformat(SEED_PUBLISHED.replace("Z", "+00:00"))
FOLLOW_UP = {
    "text": "Syrian rebels led by Hayat Tahrir al-Sham captured the city of Homs late on Saturday after "
    "government troops withdrew, the Syrian Observatory for Human Rights said.",
    "published_at": "2024-12-08T06:00:00Z",
}


def latest_states(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The compacted view: the last state per place (the highest version)."""
    latest: dict[str, dict[str, Any]] = {}
    for state in records:
        key = state["place"]["id"] or state["place"]["name"]
        if key not in latest or state["version"] >= latest[key]["version"]:
            latest[key] = state
    return latest


async def settled(settings: SitrepSettings, events: int) -> tuple[dict[str, Any], set[str]]:
    """Wait until every event is folded and the outputs stop changing."""
    assert await total_records(settings, EVENTS.name) == events
    previous: list[Any] = []

    async def stable() -> tuple[dict[str, Any], set[str]] | None:
        states = latest_states(await read_topic(settings, CONTROL.name))
        alert_ids = [a["alert_id"] for a in await read_topic(settings, ALERTS.name)]
        assert len(alert_ids) == len(set(alert_ids)), "an alert was published twice"
        folded_events = sum(s["version"] for s in states.values())
        snapshot = (states, set(alert_ids))
        done = folded_events == events and previous == [snapshot]
        previous[:] = [snapshot]
        progress[:] = [f"{folded_events} of {events} events folded, {len(alert_ids)} alerts"]
        return snapshot if done else None

    progress: list[str] = []
    try:
        return await eventually(stable, 90, "the processor to fold every event", interval_s=1.0)
    except AssertionError as err:
        raise AssertionError(f"{err}: {progress}") from None


async def test_two_workers_match_one_and_take_over_from_each_other(tmp_path: Path) -> None:
    follow_up = tmp_path / "homs.json"
    follow_up.write_text(json.dumps(FOLLOW_UP))

    async with broker_settings(tmp_path / "one") as one:
        worker = start_processor(one, tmp_path / "one.log")
        try:
            summary = await ingest_targets(one, [SEED], PUBLISHED)
            expected_states, expected_alerts = await settled(one, summary.events)
        finally:
            stop_process(worker)

    async with broker_settings(tmp_path / "two") as two:
        log = tmp_path / "two.log"
        workers = [start_processor(two, log), start_processor(two, log)]
        try:
            summary = await ingest_targets(two, [SEED], PUBLISHED)
            states, alerts = await settled(two, summary.events)
            assert states == expected_states
            assert alerts == expected_alerts

            # One worker stops; the other rebuilds its partitions from the log.
            assert stop_process(workers[0]) == 0
            more = await ingest_targets(two, [follow_up], None)
            states, _ = await settled(two, summary.events + more.events)
            homs = next(s for s in states.values() if folded(s["place"]["name"]) == "homs")
            assert homs["status"] == "held" and homs["controller"]["id"] == "hts", log.read_text()[-3000:]

            # Every partition, whoever owned it, is now worked by the survivor: a
            # record on each one is consumed and committed.
            producer = make_producer(two)
            await producer.start()
            try:
                for partition in range(two.partitions):
                    await producer.send_and_wait(EVENTS.name, b"not an event", key=b"x", partition=partition)
            finally:
                await producer.stop()
            await eventually(lambda: group_caught_up(two), 90, "the survivor to commit every partition")
        finally:
            for worker in workers:
                stop_process(worker)


async def test_a_crash_before_commit_publishes_no_alert_twice(tmp_path: Path) -> None:
    broker = EmbeddedBroker(tmp_path / "broker")
    await broker.start()
    settings = SitrepSettings(kafka_bootstrap=broker.bootstrap, data_dir=tmp_path)
    log = tmp_path / "processor.log"
    try:
        await ensure_topics(settings)
        # Commits held back for an hour: when the worker dies, nothing it folded is committed.
        crashing = start_processor(settings, log, {"SITREP_COMMIT_INTERVAL_S": "3600"})
        summary = await ingest_targets(settings, [SEED], PUBLISHED)
        _, alerts = await settled(settings, summary.events)
        crashing.send_signal(signal.SIGKILL)
        crashing.wait()

        broker.stop()
        broker = EmbeddedBroker(tmp_path / "broker", port=broker.port)
        await broker.start()
        worker = start_processor(settings, log)
        try:
            # Every event is folded again from the start; every alert it produces
            # is already on the topic and must not be published a second time.
            await eventually(lambda: group_caught_up(settings), 90, f"the new worker to commit (log: {log})")
            after = [a["alert_id"] for a in await read_topic(settings, ALERTS.name)]
            assert len(after) == len(set(after)), "an alert was published twice after the crash"
            assert set(after) == alerts
        finally:
            stop_process(worker)
    finally:
        broker.stop()


async def test_a_worker_whose_fold_process_dies_stops_and_its_successor_loses_nothing(
    tmp_path: Path,
) -> None:
    follow_up = tmp_path / "homs.json"
    follow_up.write_text(json.dumps(FOLLOW_UP))
    async with broker_settings(tmp_path) as settings:
        log = tmp_path / "processor.log"
        worker = start_processor(settings, log)
        try:
            summary = await ingest_targets(settings, [SEED], PUBLISHED)
            _, alerts = await settled(settings, summary.events)
            (fold_process,) = children_of(worker.pid)
            os.kill(fold_process, signal.SIGKILL)
            # A worker without its fold process would hold its partitions and fold
            # nothing; it stops instead, with an error, for its supervisor to restart.
            assert worker.wait(timeout=30) != 0
            assert "the fold process exited" in log.read_text()
        finally:
            stop_process(worker)

        successor = start_processor(settings, log)
        try:
            more = await ingest_targets(settings, [follow_up], None)
            states, after = await settled(settings, summary.events + more.events)
            homs = next(s for s in states.values() if folded(s["place"]["name"]) == "homs")
            assert homs["status"] == "held" and homs["controller"]["id"] == "hts"
            assert alerts < after  # settled() has checked that none came out twice
        finally:
            stop_process(successor)


def children_of(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


async def group_caught_up(settings: SitrepSettings) -> bool:
    return await group_lag(settings, settings.processor_group, EVENTS.name) == 0
