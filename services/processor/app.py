"""The stream processor: a faust app with two agents, one per stage of the fold.

The first folds ``sitrep.events.v1`` (keyed by place) into the control view,
publishing each changed ``ControlState`` to the compacted ``sitrep.control.v1``,
each new alert to ``sitrep.alerts.v1``, and what concerns a national capital to
``sitrep.capitals.v1`` (keyed by country). The second folds that topic into one
capital watch per country and raises ``capital_threatened`` when a force
hostile to the capital's holder is near (``domain.capitals``). No worker holds
a global map: each stage scales out by its own partitions.

Delivery is at-least-once: an event re-delivered after a crash folds to the same
state (the fold is idempotent), and its alerts carry the same deterministic ids,
so subscribers can drop repeats.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import faust
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.producer.message_accumulator import BatchBuilder
from pydantic import BaseModel

from domain.alert_rules import AlertRules
from domain.capitals import capital_signals
from domain.errors import InputError
from domain.ids import place_key
from schemas.alert import Alert
from schemas.capital import CapitalSignal
from schemas.event import SituationEvent
from schemas.topics import (
    ALERTS,
    BATCH_COMPLETE_HEADER,
    CAPITALS,
    CONTROL,
    DEADLETTER,
    EVENTS,
    EVENTS_POSITION_HEADER,
)
from services.processor.emitted import EmittedAlerts
from services.processor.view import CapitalView, ControlView
from services.shared.codec import decode, encode
from services.shared.deadletter import dead_letter
from services.shared.kafka import make_producer
from services.shared.settings import ProcessorSettings, SitrepSettings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# A list: aiokafka's record builder (C) takes no other sequence.
Headers = list[tuple[str, bytes]]
NO_HEADERS: Headers = []
BATCH_COMPLETE = (BATCH_COMPLETE_HEADER, b"1")
M = TypeVar("M", bound=BaseModel)


class PartitionedView(Protocol):
    def is_loaded(self, partition: int) -> bool: ...
    async def load(self, partition: int, until: int) -> int: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """One agent's records on their way to the broker, in record batches.

    faust's ``Topic.send`` and aiokafka's ``send`` wrap every record in futures
    and callbacks, which cost more than folding the event did; here records are
    appended to one aiokafka ``BatchBuilder`` per topic partition (the partition
    aiokafka's default partitioner gives the key, as for any keyed producer) and
    each full batch is handed to the producer as a whole. ``flush`` returns once
    every record is on the broker and raises if any failed, so that faust never
    commits the offsets of a batch whose results were lost."""

    def __init__(self, settings: SitrepSettings) -> None:
        self.producer = make_producer(settings)
        self.partitioner = DefaultPartitioner()
        self.partitions: dict[str, list[int]] = {}
        self.open: dict[tuple[str, int], BatchBuilder] = {}
        self.pending: list[asyncio.Future[Any]] = []

    async def start(self) -> None:
        await self.producer.start()

    async def stop(self) -> None:
        await self.producer.stop()

    async def send(self, topic: str, key: str, value: bytes, headers: Headers = NO_HEADERS) -> None:
        raw_key = key.encode()
        partitions = self.partitions.get(topic)
        if partitions is None:
            partitions = self.partitions[topic] = sorted(await self.producer.partitions_for(topic))
        partition: int = self.partitioner(raw_key, partitions, partitions)
        batch = self.open.get((topic, partition))
        if batch is None:
            batch = self.open[(topic, partition)] = self.producer.create_batch()
        if batch.append(key=raw_key, value=value, timestamp=None, headers=headers) is None:  # full
            await self._submit(topic, partition)
            batch = self.open[(topic, partition)] = self.producer.create_batch()
            if batch.append(key=raw_key, value=value, timestamp=None, headers=headers) is None:
                raise ValueError(f"a record of {len(value)} bytes does not fit in a batch for {topic}")

    async def _submit(self, topic: str, partition: int) -> None:
        batch = self.open.pop((topic, partition))
        self.pending.append(await self.producer.send_batch(batch, topic, partition=partition))

    async def flush(self) -> None:
        for topic, partition in list(self.open):
            await self._submit(topic, partition)
        pending, self.pending = self.pending, []
        await asyncio.gather(*pending)


def faust_broker_url(bootstrap: str) -> str:
    return ";".join(f"kafka://{host.strip()}" for host in bootstrap.split(",") if host.strip())


def faust_app(settings: ProcessorSettings, app_id: str, **extra: Any) -> faust.App:
    """A faust app configured as the processor's (the benchmark's bare faust
    agent uses it too, so both are measured alike)."""
    options: dict[str, Any] = {}
    if settings.kafka_sasl_mechanism and settings.kafka_sasl_password is not None:
        options["broker_credentials"] = faust.SASLCredentials(
            username=settings.kafka_sasl_username,
            password=settings.kafka_sasl_password.get_secret_value(),
            mechanism=settings.kafka_sasl_mechanism,
        )
    return faust.App(
        app_id,
        broker=faust_broker_url(settings.resolve_bootstrap()),
        store="memory://",
        autodiscover=False,
        web_enabled=False,
        # Topics are created explicitly, with the right partition counts, before
        # the worker starts; faust declaring them itself races (PartitionsMismatch).
        topic_allow_declare=False,
        topic_disable_leader=True,
        topic_partitions=settings.partitions,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_commit_interval=settings.commit_interval_s,
        producer_acks=-1,
        **options,
        **extra,
    )


def create_app(settings: ProcessorSettings, rules: AlertRules, clock: Clock = utc_now) -> faust.App:
    app = faust_app(settings, settings.processor_group)
    events = app.topic(
        EVENTS.name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    capitals = app.topic(
        CAPITALS.name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    deadletters = app.topic(DEADLETTER.name, key_serializer="raw", value_serializer="raw")
    view = ControlView(settings, rules)
    watches = CapitalView(settings, rules)
    emitted = EmittedAlerts(settings)

    async def on_revoked(sender: Any, revoked: set[Any], **kwargs: Any) -> None:
        view.forget({tp.partition for tp in revoked if tp.topic == EVENTS.name})
        watches.forget({tp.partition for tp in revoked if tp.topic == CAPITALS.name})

    # faust's annotation of receivers is narrower than the way it calls them.
    app.on_partitions_revoked.connect(on_revoked)  # type: ignore[arg-type]

    async def decoded(batch: list[Any], stage: PartitionedView, model: type[M]) -> dict[int, list[M]]:
        """The batch's records decoded and grouped by partition; a partition seen
        for the first time is rebuilt from its log first, and a record that does
        not decode goes to the dead-letter topic."""
        by_partition: dict[int, list[M]] = {}
        for record in batch:
            message = record.message
            if not stage.is_loaded(message.partition):
                # Alerts first: whatever the previous owner of this partition
                # published must not go out a second time.
                await emitted.catch_up()
                await stage.load(message.partition, message.offset)
            try:
                by_partition.setdefault(message.partition, []).append(decode(message.value, model))
            except InputError as err:
                letter = dead_letter(
                    f"{message.topic}/{message.partition}/{message.offset}",
                    "decode",
                    err,
                    message.value,
                    clock(),
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                )
                await deadletters.send(key=letter.source_id.encode(), value=encode(letter))
                log.warning(
                    "dead-lettered %s/%d/%d: %s", message.topic, message.partition, message.offset, err
                )
        return by_partition

    async def publish(outbox: Outbox, produced: list[Alert]) -> None:
        now = clock()
        for alert in produced:
            if emitted.add(alert.alert_id):
                stamped = alert.model_copy(update={"emitted_at": now})
                await outbox.send(ALERTS.name, place_key(alert.place), encode(stamped))

    # Concurrency 1: with more, faust can commit an offset past an event another
    # coroutine has not folded yet (faust issue 606).
    @app.agent(events, concurrency=1)
    async def fold_events(stream: Any) -> None:
        """First stage, by place: the control view and every alert but
        capital_threatened; hands on what the second stage needs."""
        outbox = Outbox(settings)
        await outbox.start()
        try:
            async for batch in stream.take_events(settings.batch_size, within=settings.batch_within_s):
                reached = {record.message.partition: record.message.offset + 1 for record in batch}
                for partition, folded in (await decoded(batch, view, SituationEvent)).items():
                    change = view.apply(partition, folded)
                    # Which events each state reflects, for readers that want only
                    # what changed since a position (GET /v1/control?since_position=);
                    # the partition's last record of the batch also says that every
                    # state of the batch is out (read-your-writes without waiting
                    # for a commit: services/api/freshness.py).
                    reflects = (EVENTS_POSITION_HEADER, f"{partition}:{reached[partition]}".encode())
                    last = len(change.states) - 1
                    for i, state in enumerate(change.states):
                        headers = [reflects, BATCH_COMPLETE] if i == last else [reflects]
                        await outbox.send(CONTROL.name, place_key(state.place), encode(state), headers)
                    await publish(outbox, change.alerts)
                    for signal in capital_signals(folded, change.states, rules):
                        await outbox.send(CAPITALS.name, signal.country, encode(signal))
                await outbox.flush()
        finally:
            await outbox.stop()

    @app.agent(capitals, concurrency=1)
    async def watch_capitals(stream: Any) -> None:
        """Second stage, by country: capital_threatened, judged against whoever
        holds the capital."""
        outbox = Outbox(settings)
        await outbox.start()
        try:
            async for batch in stream.take_events(settings.batch_size, within=settings.batch_within_s):
                for partition, signals in (await decoded(batch, watches, CapitalSignal)).items():
                    await publish(outbox, watches.apply(partition, signals))
                await outbox.flush()
        finally:
            await outbox.stop()

    return app
