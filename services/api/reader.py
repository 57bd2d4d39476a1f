"""The API's view reader: tails ``sitrep.control.v1``, ``sitrep.alerts.v1``,
``sitrep.events.v1`` and ``sitrep.articles.v1`` from their start into memory.

Every API replica reads every partition (no consumer group), so any replica can
answer for any place. Readiness means "caught up with the control topic as it
stood when this reader started, and still moving".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from domain.errors import InputError
from domain.ids import place_key
from schemas.alert import Alert
from schemas.article import Article
from schemas.control import ControlState
from schemas.event import SituationEvent
from schemas.topics import ALERTS, ARTICLES, BATCH_COMPLETE_HEADER, CONTROL, EVENTS, EVENTS_POSITION_HEADER
from services.api.eventlog import EventLog
from services.shared.codec import decode
from services.shared.kafka import end_offsets, make_consumer, record_time
from services.shared.positions import Positions
from services.shared.settings import SitrepSettings

log = logging.getLogger(__name__)

STALL_AFTER_S = 30.0


@dataclass(frozen=True, slots=True)
class LoggedAlert:
    """An alert where it first appeared on ``sitrep.alerts.v1`` (a repeat of the
    same ``alert_id`` later in the log is not logged again)."""

    alert: Alert
    partition: int
    offset: int


@dataclass
class ReaderHealth:
    caught_up: bool = False
    last_poll_monotonic: float = 0.0
    rejected: int = 0
    error: str | None = None
    positions: dict[str, int] = field(default_factory=dict)


class ViewReader:
    def __init__(self, settings: SitrepSettings) -> None:
        self.settings = settings
        self.control: dict[str, ControlState] = {}
        # place key -> (partition of sitrep.events.v1, offset) its state reflects, from
        # the record's header; None for a record without one.
        self.control_reflects: dict[str, tuple[int, int] | None] = {}
        self.alerts: dict[str, Alert] = {}
        self.alert_log: list[LoggedAlert] = []  # in the order read
        # topic -> batches taken in: a cheap "has anything changed" for caches (ETags)
        self.versions: dict[str, int] = dict.fromkeys(
            (CONTROL.name, ALERTS.name, EVENTS.name, ARTICLES.name), 0
        )
        self._alert_arrived = asyncio.Event()
        # events partition -> offset: every event before it is reflected in
        # ``control``, as the processor's batch-complete records say.
        self.records_reflect: Positions = {}
        self._control_arrived = asyncio.Event()
        self.log = EventLog()
        self.health = ReaderHealth()
        self._targets: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        consumer = make_consumer(self.settings)
        await consumer.start()
        self._consumer = consumer
        tps: list[TopicPartition] = []
        for topic in (CONTROL.name, ALERTS.name, EVENTS.name, ARTICLES.name):
            ends = await end_offsets(consumer, topic)
            tps.extend(ends)
            if topic == CONTROL.name:
                self._targets = {tp: end for tp, end in ends.items() if end > 0}
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        self.health.caught_up = not self._targets
        self.health.last_poll_monotonic = time.monotonic()
        self._task = asyncio.create_task(self._run(), name="view-reader")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    @property
    def ready(self) -> bool:
        stalled = time.monotonic() - self.health.last_poll_monotonic > STALL_AFTER_S
        running = self._task is not None and not self._task.done()
        return self.health.caught_up and running and not stalled

    async def _run(self) -> None:
        assert self._consumer is not None
        consumer = self._consumer
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=500, max_records=5000)
                for tp, records in batch.items():
                    for record in records:
                        self._take(record)
                    self.health.positions[f"{tp.topic}/{tp.partition}"] = records[-1].offset + 1
                    self.versions[tp.topic] += 1
                if any(tp.topic == CONTROL.name for tp in batch):
                    self._control_arrived.set()
                    self._control_arrived = asyncio.Event()
                if any(tp.topic == ALERTS.name for tp in batch):
                    # Wake every waiter (the SSE streams), then arm a fresh event.
                    self._alert_arrived.set()
                    self._alert_arrived = asyncio.Event()
                self.health.last_poll_monotonic = time.monotonic()
                if not self.health.caught_up:
                    positions = {tp: await consumer.position(tp) for tp in self._targets}
                    self.health.caught_up = all(positions[tp] >= end for tp, end in self._targets.items())
        except asyncio.CancelledError:
            raise
        except Exception as err:  # surfaced by /readyz; the process stays up to say so
            self.health.error = f"{type(err).__name__}: {err}"
            log.exception("view reader stopped")

    def _take(self, record: ConsumerRecord[bytes, bytes]) -> None:
        topic, value = record.topic, record.value
        try:
            if topic == CONTROL.name:
                state = decode(value, ControlState)
                key = place_key(state.place)
                self.control[key] = state
                reflects = reflected_position(record)
                self.control_reflects[key] = reflects
                if reflects is not None and reflects[0] == record.partition and completes_batch(record):
                    # Same partition number in both topics: the batch's states are all read.
                    partition, offset = reflects
                    self.records_reflect[partition] = max(self.records_reflect.get(partition, 0), offset)
            elif topic == ALERTS.name:
                alert = decode(value, Alert)
                if alert.alert_id not in self.alerts:
                    self.alerts[alert.alert_id] = alert
                    self.alert_log.append(LoggedAlert(alert, record.partition, record.offset))
            elif topic == EVENTS.name:
                event = decode(value, SituationEvent)
                self.log.add(event, record.partition, record.offset, record_time(record.timestamp))
            else:
                self.log.add_article(decode(value, Article))
        except InputError as err:
            self.health.rejected += 1
            log.warning("skipped a record on %s: %s", topic, err)

    def control_arrival(self) -> asyncio.Event:
        """An event set once the next batch of control records has been taken in."""
        return self._control_arrived

    def alert_arrival(self) -> asyncio.Event:
        """An event set once the next batch of alert records has been taken in."""
        return self._alert_arrived

    def positions_of_alerts(self) -> Positions:
        return self.positions_of(ALERTS.name)

    def changed_since(self, key: str, since: Positions) -> bool:
        """Whether the place's state may have changed after the view reflected
        ``since`` (positions on sitrep.events.v1): its record reflects events at
        or past ``since`` in its partition, or does not say which."""
        reflects = self.control_reflects.get(key)
        if reflects is None:
            return True
        partition, offset = reflects
        return offset > since.get(partition, 0)

    def has_read(self, topic: str, ends: dict[int, int]) -> bool:
        """Whether this reader has taken in ``topic`` up to ``ends`` (partition -> offset)."""
        positions = self.health.positions
        return all(end == 0 or positions.get(f"{topic}/{p}", 0) >= end for p, end in ends.items())

    def positions_of(self, topic: str) -> dict[int, int]:
        prefix = f"{topic}/"
        return {int(k[len(prefix) :]): n for k, n in self.health.positions.items() if k.startswith(prefix)}

    def alerts_newest_first(self) -> list[Alert]:
        return sorted(
            self.alerts.values(),
            key=lambda a: (a.occurred_at, a.emitted_at or a.occurred_at, a.alert_id),
            reverse=True,
        )


def reflected_position(record: ConsumerRecord[bytes, bytes]) -> tuple[int, int] | None:
    """The events position a control record's header names, if it names one."""
    for name, value in record.headers or ():
        if name == EVENTS_POSITION_HEADER:
            partition, _, offset = value.decode("ascii", "replace").partition(":")
            if partition.isdigit() and offset.isdigit():
                return int(partition), int(offset)
    return None


def completes_batch(record: ConsumerRecord[bytes, bytes]) -> bool:
    return any(name == BATCH_COMPLETE_HEADER for name, _ in record.headers or ())
