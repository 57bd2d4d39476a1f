"""Is the processor keeping up? Watched from the broker's side.

The processor commits its positions on ``sitrep.events.v1`` and
``sitrep.capitals.v1`` (its two stages) under its consumer group; comparing
those commits with the topics' end offsets gives its lag, and
commits that stop moving while events wait give a stall. Faust consumers can
stall silently after a rebalance or a broker restart, and the API is where a
user looks, so the API reports it (``/readyz``, ``sitrep status``). Watching the
group rather than asking the processor works however many replicas there are
and wherever they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from schemas.topics import CAPITALS, DEADLETTER, EVENTS
from services.shared.kafka import end_offsets, make_admin, make_consumer
from services.shared.settings import SitrepSettings

log = logging.getLogger(__name__)


@dataclass
class ProcessorProgress:
    group: str
    lag: int | None = None
    partitions: dict[str, dict[str, int]] = field(default_factory=dict)  # "topic/partition" -> positions
    last_progress_monotonic: float = field(default_factory=time.monotonic)
    error: str | None = None
    stall_after_s: float = 30.0
    dead_letters: int | None = None  # records on sitrep.deadletter.v1

    @property
    def stalled(self) -> bool:
        """Events are waiting and the committed position has not moved for a while."""
        waited = time.monotonic() - self.last_progress_monotonic
        return bool(self.lag) and waited > self.stall_after_s

    def as_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "lag": self.lag,
            "stalled": self.stalled,
            "seconds_since_progress": round(time.monotonic() - self.last_progress_monotonic, 1),
            "partitions": self.partitions,
            "error": self.error,
            "dead_letters": self.dead_letters,
        }


class ProcessorWatcher:
    def __init__(
        self, settings: SitrepSettings, interval_s: float = 2.0, stall_after_s: float = 30.0
    ) -> None:
        self.settings = settings
        self.interval_s = interval_s
        self.progress = ProcessorProgress(settings.processor_group, stall_after_s=stall_after_s)
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._committed_total = -1

    async def start(self) -> None:
        self._admin = make_admin(self.settings)
        await self._admin.start()
        self._consumer = make_consumer(self.settings)
        await self._consumer.start()
        await self.poll()
        self._task = asyncio.create_task(self._run(), name="processor-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()
        if self._admin is not None:
            await self._admin.close()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            await self.poll()

    def committed(self, topic: str) -> dict[int, int]:
        """The group's committed offsets on ``topic`` as of the last ``poll``."""
        prefix = f"{topic}/"
        return {
            int(name[len(prefix) :]): p["committed"]
            for name, p in self.progress.partitions.items()
            if name.startswith(prefix)
        }

    async def end_positions(self, topic: str) -> dict[int, int]:
        assert self._consumer is not None
        return {tp.partition: end for tp, end in (await end_offsets(self._consumer, topic)).items()}

    async def poll(self) -> None:
        assert self._admin is not None and self._consumer is not None
        try:
            committed = await self._admin.list_consumer_group_offsets(self.progress.group)
            # Both stages: the events the first has not folded, and the capital
            # signals the second has not.
            ends = {
                **await end_offsets(self._consumer, EVENTS.name),
                **await end_offsets(self._consumer, CAPITALS.name),
            }
            dead = await end_offsets(self._consumer, DEADLETTER.name)
        except Exception as err:  # reported, not raised: the API keeps serving
            self.progress.error = f"{type(err).__name__}: {err}"
            return
        partitions: dict[str, dict[str, int]] = {}
        for tp, end in sorted(ends.items()):
            meta = committed.get(tp)
            position = meta.offset if meta is not None and meta.offset >= 0 else 0
            partitions[f"{tp.topic}/{tp.partition}"] = {
                "committed": position,
                "end": end,
                "lag": max(end - position, 0),
            }
        total = sum(p["committed"] for p in partitions.values())
        if total != self._committed_total:
            self._committed_total = total
            self.progress.last_progress_monotonic = time.monotonic()
        self.progress.partitions = partitions
        self.progress.lag = sum(p["lag"] for p in partitions.values())
        self.progress.dead_letters = sum(dead.values())
        self.progress.error = None
