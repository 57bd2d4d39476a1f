"""The one place Kafka clients are made: connection and security settings,
explicit topic creation, and the offset arithmetic readers need."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from schemas.topics import TOPICS, TopicSpec
from services.shared.settings import SitrepSettings

log = logging.getLogger(__name__)


def connection_options(settings: SitrepSettings) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bootstrap_servers": settings.resolve_bootstrap(),
        "client_id": settings.kafka_client_id,
        "security_protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_sasl_mechanism:
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        if settings.kafka_sasl_password is not None:
            options["sasl_plain_password"] = settings.kafka_sasl_password.get_secret_value()
    return options


def make_producer(settings: SitrepSettings, **overrides: Any) -> AIOKafkaProducer:
    # Idempotence stops a retried send from writing a record twice; acks=all is
    # what idempotence requires anyway.
    options = {"enable_idempotence": True, "acks": "all", "linger_ms": 5, **overrides}
    return AIOKafkaProducer(**connection_options(settings), **options)


def make_consumer(settings: SitrepSettings, *topics: str, **overrides: Any) -> AIOKafkaConsumer:
    options = {"auto_offset_reset": "earliest", "enable_auto_commit": False, **overrides}
    return AIOKafkaConsumer(*topics, **connection_options(settings), **options)


def make_admin(settings: SitrepSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**connection_options(settings))


def topic_specs(settings: SitrepSettings) -> list[TopicSpec]:
    """Every topic Sitrep uses, with the partition count from settings."""
    return [
        TopicSpec(s.name, s.key, s.value, s.cleanup_policy, s.retention_ms, settings.partitions)
        for s in TOPICS
    ]


async def ensure_topics(settings: SitrepSettings, extra: Iterable[TopicSpec] = ()) -> list[str]:
    """Create every topic that does not exist yet, with its partitions and cleanup
    policy. Done explicitly, before any client starts: auto-creation races faust
    and gives the wrong partition count (``PartitionsMismatch``). Returns the
    names created."""
    admin = make_admin(settings)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [s for s in [*topic_specs(settings), *extra] if s.name not in existing]
        created: list[str] = []
        for spec in wanted:
            topic = NewTopic(
                spec.name, spec.partitions, settings.replication_factor, topic_configs=spec.config
            )
            try:
                await admin.create_topics([topic])
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass  # another process won the race: same definition, nothing to do
        if created:
            log.info("created topics: %s", ", ".join(created))
        return created
    finally:
        await admin.close()


async def end_offsets(consumer: AIOKafkaConsumer, topic: str) -> dict[TopicPartition, int]:
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        await consumer._client.force_metadata_update()  # metadata may lag a just-created topic
        partitions = consumer.partitions_for_topic(topic) or set()
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    result: dict[TopicPartition, int] = await consumer.end_offsets(tps)
    return result


def record_time(timestamp_ms: int) -> datetime:
    """A record's timestamp (ms since the epoch, set by its producer) as a datetime."""
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC)


async def total_records(settings: SitrepSettings, topic: str) -> int:
    """How many records ``topic`` holds now (the sum of its end offsets)."""
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        return sum((await end_offsets(consumer, topic)).values())
    finally:
        await consumer.stop()


async def group_lag(settings: SitrepSettings, group: str, topic: str) -> int:
    """Records of ``topic`` that consumer group ``group`` has not committed yet."""
    admin = make_admin(settings)
    consumer = make_consumer(settings)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        ends = await end_offsets(consumer, topic)
    finally:
        await consumer.stop()
        await admin.close()
    lag = 0
    for tp, end in ends.items():
        meta = committed.get(tp)
        lag += max(end - (meta.offset if meta is not None and meta.offset >= 0 else 0), 0)
    return lag


async def read_to_end(settings: SitrepSettings, topic: str) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record of ``topic``, from the start of each partition to its end as
    it stood when called, with a plain consumer (no group, nothing committed)."""
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        ends = await end_offsets(consumer, topic)
        pending = {tp: end for tp, end in ends.items() if end > 0}
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        while pending:
            for tp, records in (await consumer.getmany(*pending, timeout_ms=1000)).items():
                for record in records:
                    if record.offset < pending.get(tp, 0):
                        yield record
                if tp in pending and await consumer.position(tp) >= pending[tp]:
                    del pending[tp]
    finally:
        await consumer.stop()
