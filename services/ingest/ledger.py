"""Which watched items are done, and which this worker may do.

Feed entries and watched files are *items*, each with a key (the page URL; a
file's URI with its size and mtime). When a worker has dealt with an item
(published it, found it a duplicate, or dead-lettered it) it writes a
``SeenItem`` keyed by the item to ``sitrep.ingest.seen.v1``. That topic is
both the durable memory (a restarted worker reads it back, so it fetches
nothing twice) and the way workers share the work: they form a consumer group
on it, and a worker deals only with items whose key falls in a partition the
group gave it, once it has read that partition to its end. Two workers on one
feed therefore never fetch the same entry, and a worker that takes over a
partition first learns everything its previous owner did.

The group never commits: every worker reads its partitions from the start on
each assignment (records are small: a key and an outcome).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.partitioner import murmur2

from schemas.ingest import Outcome, SeenItem
from schemas.topics import SEEN
from services.shared.clock import Clock
from services.shared.codec import encode, encode_key
from services.shared.kafka import end_offsets, make_consumer
from services.shared.settings import IngestSettings

log = logging.getLogger(__name__)

# A rebalance waits this long for every member to rejoin; a worker that was
# killed holds the group up this long at most (some brokers, the embedded one
# among them, wait it out rather than the shorter session timeout).
REBALANCE_TIMEOUT_S = 20.0
# How long a worker losing partitions lets its items in flight finish before
# cancelling them (well inside the rebalance timeout). A cancelled item is
# taken up again by the next owner; its article, if already published, is
# known by then and not published twice.
RELEASE_WAIT_S = 10.0

# Called with the partitions a rebalance takes away; returns once no work on
# their items is in flight, so the next owner cannot overlap with this one.
Release = Callable[[set[int]], Awaitable[None]]


def partition_of(key: str, partitions: int) -> int:
    """The partition of ``sitrep.ingest.seen.v1`` an item belongs to (Kafka's
    default partitioner, so any client writing by key agrees)."""
    return (int(murmur2(key.encode("utf-8"))) & 0x7FFFFFFF) % partitions


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.ledger.revoke({tp.partition for tp in revoked})

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        await self.ledger.assign(assigned)


class Ledger:
    def __init__(self, settings: IngestSettings, producer: AIOKafkaProducer, clock: Clock) -> None:
        self.settings = settings
        self.producer = producer
        self.clock = clock
        self.seen: set[str] = set()
        self.partitions = settings.partitions
        self.owned: set[int] = set()  # assigned to this worker
        self.ready: set[int] = set()  # assigned and read to the end: safe to work on
        self._catching_up: dict[TopicPartition, int] = {}
        self._release: Release | None = None
        self._reader: asyncio.Task[None] | None = None
        self.consumer: AIOKafkaConsumer = make_consumer(
            settings,
            group_id=settings.watch_group,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
            rebalance_timeout_ms=int(REBALANCE_TIMEOUT_S * 1000),
        )

    async def start(self, release: Release) -> None:
        self._release = release
        await self.consumer.start()
        self.partitions = len(await end_offsets(self.consumer, SEEN.name)) or self.partitions
        self.consumer.subscribe([SEEN.name], listener=_Rebalance(self))
        self._reader = asyncio.create_task(self._read(), name="ledger-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.consumer.stop()  # leaves the group: the others take over at once

    def may_take(self, key: str) -> bool:
        """Whether this worker should deal with ``key`` now: not seen, and in
        a partition it owns and has read to the end."""
        return key not in self.seen and partition_of(key, self.partitions) in self.ready

    def partition(self, key: str) -> int:
        return partition_of(key, self.partitions)

    async def record(
        self,
        key: str,
        source: str,
        outcome: Outcome,
        article_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        item = SeenItem(
            key=key,
            source=source,
            outcome=outcome,
            article_id=article_id,
            reason=reason,
            seen_at=self.clock(),
        )
        await self.producer.send_and_wait(
            SEEN.name, encode(item), key=encode_key(key), partition=self.partition(key)
        )
        self.seen.add(key)

    async def wait_ready(self, timeout_s: float) -> bool:
        """Wait until this worker owns some partitions, all read to the end."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            if self.owned and self.ready == self.owned:
                return True
            await asyncio.sleep(0.1)
        return False

    async def assign(self, assigned: list[TopicPartition]) -> None:
        ends = await self.consumer.end_offsets(assigned) if assigned else {}
        for tp in assigned:
            self.owned.add(tp.partition)
            if ends.get(tp, 0) == 0:
                self.ready.add(tp.partition)
            else:
                self._catching_up[tp] = ends[tp]
        log.info("ingest items: partitions %s of %s are this worker's", sorted(self.owned), SEEN.name)

    async def revoke(self, partitions: set[int]) -> None:
        self.ready -= partitions
        self.owned -= partitions
        self._catching_up = {
            tp: end for tp, end in self._catching_up.items() if tp.partition not in partitions
        }
        if self._release is not None:
            await self._release(partitions)

    async def _read(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if record.key is not None:
                        self.seen.add(record.key.decode("utf-8", "replace"))
            for tp, end in list(self._catching_up.items()):
                if await self.consumer.position(tp) >= end:
                    del self._catching_up[tp]
                    self.ready.add(tp.partition)
