"""``sitrep audit digest``: the event log's hash chains (``domain.digest``)
read from the broker, and a check of an earlier digest against the log now."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from aiokafka import TopicPartition

from domain.digest import Chain, PartitionDigest, root
from schemas.topics import EVENTS
from services.shared.kafka import end_offsets, make_consumer
from services.shared.settings import SitrepSettings
from services.shared.terminal import ProgressBar


@dataclass(frozen=True)
class LogDigest:
    topic: str
    partitions: list[PartitionDigest]

    @property
    def root(self) -> str:
        return root(self.partitions)

    def to_json(self) -> str:
        body = {
            "topic": self.topic,
            "root": self.root,
            "partitions": [asdict(p) for p in self.partitions],
        }
        return json.dumps(body, indent=2)

    @classmethod
    def from_json(cls, text: str) -> LogDigest:
        body = json.loads(text)
        return cls(body["topic"], [PartitionDigest(**p) for p in body["partitions"]])


async def digest_log(
    settings: SitrepSettings, topic: str = EVENTS.name, upto: dict[int, int] | None = None
) -> LogDigest:
    """The chain of every partition of ``topic`` over offsets [0, upto[p]) (the
    partition's end now, when ``upto`` is None; at most its end now, so a log
    that lost records gives a shorter chain, which ``compare`` reports)."""
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        ends = {tp.partition: end for tp, end in (await end_offsets(consumer, topic)).items()}
        limits = ends if upto is None else {p: min(n, ends.get(p, 0)) for p, n in upto.items()}
        bar = ProgressBar("digest", sum(limits.values()), "records")
        digests = []
        for partition in sorted(limits):
            tp = TopicPartition(topic, partition)
            chain = Chain(partition)
            if limits[partition] > 0:
                consumer.assign([tp])
                await consumer.seek_to_beginning(tp)
                while await consumer.position(tp) < limits[partition]:
                    batch = await consumer.getmany(tp, timeout_ms=1000, max_records=5000)
                    for record in batch.get(tp, []):
                        if record.offset >= limits[partition]:
                            break
                        chain.add(record.offset, record.key, record.value)
                        bar.advance()
            digests.append(chain.digest())
        bar.close()
        return LogDigest(topic, digests)
    finally:
        await consumer.stop()


def compare(earlier: LogDigest, now: LogDigest) -> list[str]:
    """What differs between an earlier digest and one recomputed over the same
    positions: nothing when the log was not rewritten."""
    lines = []
    if earlier.topic != now.topic:
        lines.append(f"topic: earlier {earlier.topic}, now {now.topic}")
    current = {d.partition: d for d in now.partitions}
    for before in earlier.partitions:
        after = current.get(before.partition)
        if after is None:
            lines.append(f"partition {before.partition}: gone")
        elif after.records != before.records:
            lines.append(
                f"partition {before.partition}: {after.records} records now, "
                f"{before.records} then: records were deleted"
            )
        elif after.head != before.head:
            lines.append(f"partition {before.partition}: the first {before.records} records were rewritten")
    return lines
