"""Reading whole topics in tests, the way an auditor would: every partition from
its start to its current end, with a plain consumer."""

from __future__ import annotations

import json
from typing import Any

from services.shared.kafka import end_offsets, make_consumer
from services.shared.settings import SitrepSettings


async def read_topic(settings: SitrepSettings, topic: str) -> list[dict[str, Any]]:
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        ends = await end_offsets(consumer, topic)
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        out: list[dict[str, Any]] = []
        while any([await consumer.position(tp) < end for tp, end in ends.items()]):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                out.extend(json.loads(r.value) for r in records)
        return out
    finally:
        await consumer.stop()


async def total_records(settings: SitrepSettings, topic: str) -> int:
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        return sum((await end_offsets(consumer, topic)).values())
    finally:
        await consumer.stop()
