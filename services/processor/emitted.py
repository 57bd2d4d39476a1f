"""Which alerts are already on ``sitrep.alerts.v1``.

Delivery is at-least-once: after a worker dies, the events it folded but had
not committed are folded again by whoever takes its partitions, and their alerts
come out again with the same ids. Before a worker takes a partition it catches
up with the alerts topic and then drops any alert whose id is already there, so
subscribers see each alert once. The alerts topic is small next to the event
log (alerts are rare), so reading it is cheap; the reader keeps its position and
only reads what is new at each catch-up.
"""

from __future__ import annotations

import json
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition

from schemas.topics import ALERTS
from services.shared.kafka import end_offsets, make_consumer
from services.shared.settings import SitrepSettings

log = logging.getLogger(__name__)


class EmittedAlerts:
    def __init__(self, settings: SitrepSettings) -> None:
        self.settings = settings
        self.ids: set[str] = set()
        self._consumer: AIOKafkaConsumer | None = None
        self._assigned: set[TopicPartition] = set()

    def add(self, alert_id: str) -> bool:
        """Record an alert about to be published; False if it already was."""
        if alert_id in self.ids:
            return False
        self.ids.add(alert_id)
        return True

    async def catch_up(self) -> int:
        """Read every alert published since the last catch-up. Returns how many."""
        if self._consumer is None:
            self._consumer = make_consumer(self.settings)
            await self._consumer.start()
        consumer = self._consumer
        ends = await end_offsets(consumer, ALERTS.name)
        new = set(ends) - self._assigned
        if new:
            self._assigned |= new
            consumer.assign(list(self._assigned))
            await consumer.seek_to_beginning(*new)
        consumer.resume(*self._assigned)
        read = 0
        while any([await consumer.position(tp) < end for tp, end in ends.items()]):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    if record.key is not None and record.value is not None:
                        alert_id = _alert_id(record.value)
                        if alert_id:
                            self.ids.add(alert_id)
                            read += 1
        # Paused between catch-ups: otherwise the consumer keeps fetching in the
        # background, and a broker that answers empty fetches at once (noida)
        # turns that into a busy loop that takes a whole core.
        consumer.pause(*self._assigned)
        log.info("caught up with %s: %d new, %d known alert ids", ALERTS.name, read, len(self.ids))
        return read

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None


def _alert_id(value: bytes) -> str | None:
    # Only the id is needed; a full decode of every past alert would be wasted work.
    try:
        data = json.loads(value)
    except ValueError:
        return None
    alert_id = data.get("alert_id") if isinstance(data, dict) else None
    return alert_id if isinstance(alert_id, str) else None
