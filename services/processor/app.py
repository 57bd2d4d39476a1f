"""The stream processor: a faust app with two agents, one per stage of the fold.

The first folds ``sitrep.events.v1`` (keyed by place) into the control view,
publishing each changed ``ControlState`` to the compacted ``sitrep.control.v1``,
each new alert to ``sitrep.alerts.v1``, and what concerns a national capital to
``sitrep.capitals.v1`` (keyed by country). The second folds that topic into one
capital watch per country and raises ``capital_threatened`` when a force
hostile to the capital's holder is near (``domain.capitals``). No worker holds
a global map: each stage scales out by its own partitions.

The agents only iterate: each batch's records go to the worker's fold process
(``services.processor.offload``), which runs both stages
(``services.processor.stages``), and the batch's events are acknowledged when
it says their results are on the broker, so faust commits nothing unfolded.

Delivery is at-least-once: an event re-delivered after a crash folds to the same
state (the fold is idempotent), and its alerts carry the same deterministic ids,
so subscribers can drop repeats.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust

from domain.alert_rules import AlertRules
from schemas.topics import CAPITALS, EVENTS
from services.processor.offload import FoldProcess, Stage
from services.processor.stages import Record
from services.shared.settings import ProcessorSettings

log = logging.getLogger(__name__)

# Batches handed to the fold process and not yet acknowledged, per agent: the
# next batch is read while earlier ones are folded and their results flushed,
# which is what lets the two processes overlap. During a rebalance faust waits
# until they are all acknowledged.
IN_FLIGHT = 4


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


def create_app(settings: ProcessorSettings, rules: AlertRules) -> faust.App:
    app = faust_app(settings, settings.processor_group)
    events = app.topic(
        EVENTS.name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    capitals = app.topic(
        CAPITALS.name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    fold = FoldProcess(settings, rules, on_gone=app.crash)

    async def stop_fold_process(sender: Any, **kwargs: Any) -> None:
        await fold.stop()

    # After faust's consumer has stopped: nothing more is handed over.
    app.on_before_shutdown.connect(stop_fold_process)  # type: ignore[arg-type]

    async def on_revoked(sender: Any, revoked: set[Any], **kwargs: Any) -> None:
        await fold.forget(
            {tp.partition for tp in revoked if tp.topic == EVENTS.name},
            {tp.partition for tp in revoked if tp.topic == CAPITALS.name},
        )

    # faust's annotation of receivers is narrower than the way it calls them.
    app.on_partitions_revoked.connect(on_revoked)  # type: ignore[arg-type]

    async def hand_over(stream: Any, stage: Stage) -> None:
        """Iterate ``stream`` in batches, hand each to the fold process, and
        acknowledge its events (in order) once it is folded and published."""
        folded: asyncio.Queue[tuple[asyncio.Future[None], list[Any]]] = asyncio.Queue(IN_FLIGHT - 1)

        async def acknowledge() -> None:
            while True:
                done, batch = await folded.get()
                await done  # raises if the fold process failed: the agent stops
                for event in batch:
                    await stream.ack(event)

        await fold.start()  # once, by whichever agent runs first
        acker = asyncio.create_task(acknowledge())
        try:
            async for batch in stream.noack().take_events(
                settings.batch_size, within=settings.batch_within_s
            ):
                records: list[Record] = [(m.partition, m.offset, m.value) for m in (e.message for e in batch)]
                done = await fold.fold(stage, records)
                await folded.put((done, batch))
                if acker.done():
                    acker.result()  # re-raise why it stopped
        finally:
            acker.cancel()

    # Concurrency 1: with more, faust can commit an offset past an event another
    # coroutine has not folded yet (faust issue 606).
    @app.agent(events, concurrency=1)
    async def fold_events(stream: Any) -> None:
        """First stage, by place: the control view and every alert but
        capital_threatened; hands on what the second stage needs."""
        await hand_over(stream, "places")

    @app.agent(capitals, concurrency=1)
    async def watch_capitals(stream: Any) -> None:
        """Second stage, by country: capital_threatened, judged against whoever
        holds the capital."""
        await hand_over(stream, "capitals")

    return app
