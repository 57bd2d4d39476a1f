"""The processor's two stages as plain code: raw records in, records out.

``PlaceStage`` folds ``sitrep.events.v1`` (keyed by place) into the control
view and publishes each changed ``ControlState`` to ``sitrep.control.v1``, each
new alert to ``sitrep.alerts.v1`` and what concerns a national capital to
``sitrep.capitals.v1``. ``CapitalStage`` folds that topic into one capital
watch per country and raises ``capital_threatened``. Neither knows faust: the
agents of ``services.processor.app`` hand them batches, in the fold process
(``services.processor.offload``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

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
from services.shared.clock import Clock, utc_now
from services.shared.codec import decode, encode
from services.shared.deadletter import dead_letter
from services.shared.kafka import make_producer
from services.shared.settings import ProcessorSettings, SitrepSettings

log = logging.getLogger(__name__)

# A list: aiokafka's record builder (C) takes no other sequence.
Headers = list[tuple[str, bytes]]
NO_HEADERS: Headers = []
BATCH_COMPLETE = (BATCH_COMPLETE_HEADER, b"1")
M = TypeVar("M", bound=BaseModel)


# One consumed record, as much of it as a stage needs: partition, offset, value.
# A plain tuple: batches of them cross a pipe (services.processor.offload), and
# plain tuples pickle several times faster than named ones.
Record = tuple[int, int, bytes | None]


class PartitionedView(Protocol):
    def is_loaded(self, partition: int) -> bool: ...
    async def load(self, partition: int, until: int) -> int: ...


class Outbox:
    """A stage's records on their way to the broker, in record batches.

    faust's ``Topic.send`` and aiokafka's ``send`` wrap every record in futures
    and callbacks, which cost more than folding the event did; here records are
    appended to one aiokafka ``BatchBuilder`` per topic partition (the partition
    aiokafka's default partitioner gives the key, as for any keyed producer) and
    each full batch is handed to the producer as a whole. ``flush`` returns once
    every record is on the broker and raises if any failed, so that no offset
    is acknowledged for a batch whose results were lost."""

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

    async def flush(self) -> asyncio.Future[Any]:
        """Hand every open batch to the producer. The future is done when all
        records so far are on the broker, and fails if any is not."""
        for topic, partition in list(self.open):
            await self._submit(topic, partition)
        pending, self.pending = self.pending, []
        return asyncio.gather(*pending)


class Stages:
    """Both stages of one processor worker, with the views of the partitions it
    holds and one outbox. ``fold_places`` and ``fold_capitals`` each fold one
    batch and hand its results to the producer; the future they return is done
    when those are on the broker. Folding the next batch need not wait for it."""

    def __init__(self, settings: ProcessorSettings, rules: AlertRules, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.rules = rules
        self.clock = clock
        self.places = ControlView(settings, rules)
        self.capitals = CapitalView(settings, rules)
        self.emitted = EmittedAlerts(settings)
        self.outbox = Outbox(settings)

    async def start(self) -> None:
        await self.outbox.start()

    async def stop(self) -> None:
        await self.outbox.stop()
        await self.emitted.stop()

    def forget(self, places: set[int], capitals: set[int]) -> None:
        """Partitions this worker no longer owns: another worker folds them now."""
        self.places.forget(places)
        self.capitals.forget(capitals)

    async def fold_places(self, batch: Sequence[Record]) -> asyncio.Future[Any]:
        """First stage, by place: the control view and every alert but
        capital_threatened; hands on what the second stage needs."""
        reached = {partition: offset + 1 for partition, offset, _ in batch}
        decoded = await self._decoded(EVENTS.name, batch, self.places, SituationEvent)
        for partition, folded in decoded.items():
            change = self.places.apply(partition, folded)
            # Which events each state reflects, for readers that want only
            # what changed since a position (GET /v1/control?since_position=);
            # the partition's last record of the batch also says that every
            # state of the batch is out (read-your-writes without waiting
            # for a commit: services/api/freshness.py).
            reflects = (EVENTS_POSITION_HEADER, f"{partition}:{reached[partition]}".encode())
            last = len(change.states) - 1
            for i, state in enumerate(change.states):
                headers = [reflects, BATCH_COMPLETE] if i == last else [reflects]
                await self.outbox.send(CONTROL.name, place_key(state.place), encode(state), headers)
            await self._publish(change.alerts)
            for signal in capital_signals(folded, change.states, self.rules):
                await self.outbox.send(CAPITALS.name, signal.country, encode(signal))
        return await self.outbox.flush()

    async def fold_capitals(self, batch: Sequence[Record]) -> asyncio.Future[Any]:
        """Second stage, by country: capital_threatened, judged against whoever
        holds the capital."""
        decoded = await self._decoded(CAPITALS.name, batch, self.capitals, CapitalSignal)
        for partition, signals in decoded.items():
            await self._publish(self.capitals.apply(partition, signals))
        return await self.outbox.flush()

    async def _decoded(
        self, topic: str, batch: Sequence[Record], stage: PartitionedView, model: type[M]
    ) -> dict[int, list[M]]:
        """The batch's records decoded and grouped by partition; a partition seen
        for the first time is rebuilt from its log first, and a record that does
        not decode goes to the dead-letter topic."""
        by_partition: dict[int, list[M]] = {}
        for partition, offset, value in batch:
            if not stage.is_loaded(partition):
                # Alerts first: whatever the previous owner of this partition
                # published must not go out a second time.
                await self.emitted.catch_up()
                await stage.load(partition, offset)
            try:
                by_partition.setdefault(partition, []).append(decode(value, model))
            except InputError as err:
                where = f"{topic}/{partition}/{offset}"
                letter = dead_letter(
                    where, "decode", err, value, self.clock(), topic=topic, partition=partition, offset=offset
                )
                await self.outbox.send(DEADLETTER.name, letter.source_id, encode(letter))
                log.warning("dead-lettered %s: %s", where, err)
        return by_partition

    async def _publish(self, produced: list[Alert]) -> None:
        now = self.clock()
        for alert in produced:
            if self.emitted.add(alert.alert_id):
                stamped = alert.model_copy(update={"emitted_at": now})
                await self.outbox.send(ALERTS.name, place_key(alert.place), encode(stamped))
