"""The alert feed as a subscriber at a terminal sees it: which alerts are
wanted (``AlertFilter``), and following ``sitrep.alerts.v1`` live
(``follow_alerts``) until Ctrl-C.

Following uses a plain consumer: no group, nothing committed, every partition
assigned, positioned at the end (or the start) of each. Delivery is
at-least-once, so alerts already shown are dropped by ``alert_id``.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from aiokafka.errors import KafkaConnectionError

from domain.errors import BrokerUnavailable, InputError
from schemas.alert import Alert
from schemas.topics import ALERTS
from services.alerts.filter import AlertFilter
from services.shared.codec import decode
from services.shared.kafka import end_offsets, make_consumer
from services.shared.settings import SitrepSettings

POLL_MS = 250  # how long one fetch may wait: also the longest a stop request waits
REMEMBERED_IDS = 100_000  # alert ids kept to drop redelivered alerts


class SeenIds:
    """The latest ``limit`` alert ids, oldest forgotten first."""

    def __init__(self, limit: int = REMEMBERED_IDS) -> None:
        self.limit = limit
        self._ids: dict[str, None] = {}

    def first_time(self, alert_id: str) -> bool:
        if alert_id in self._ids:
            return False
        self._ids[alert_id] = None
        if len(self._ids) > self.limit:
            del self._ids[next(iter(self._ids))]
        return True


async def any_reachable(bootstrap: str, timeout_s: float = 5.0) -> bool:
    """Whether any ``host:port`` of ``bootstrap`` accepts a TCP connection."""
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            connecting = asyncio.open_connection(host.strip("[]"), int(port))
            _, writer = await asyncio.wait_for(connecting, timeout_s)
        except (OSError, TimeoutError, ValueError):
            continue
        writer.close()
        return True
    return False


async def follow_alerts(
    settings: SitrepSettings,
    wanted: AlertFilter,
    show: Callable[[Alert], None],
    stop: asyncio.Event,
    *,
    from_start: bool = False,
    on_ready: Callable[[], None] = lambda: None,
    on_skipped: Callable[[str], None] = lambda _: None,
) -> int:
    """Call ``show`` with each new wanted alert of ``sitrep.alerts.v1`` until
    ``stop`` is set; returns how many were shown. ``on_ready`` is called once the
    consumer stands at its start positions: anything published after that is seen.
    ``on_skipped`` hears about records that are not alerts."""
    bootstrap = settings.resolve_bootstrap()
    if not await any_reachable(bootstrap):
        # Said here, plainly: aiokafka would log each refused connection as an error.
        raise BrokerUnavailable(f"cannot reach Kafka at {bootstrap}; is Sitrep still running?")
    consumer = make_consumer(settings)  # no group_id: a plain reader, nothing committed
    try:
        await consumer.start()
    except KafkaConnectionError as err:
        await consumer.stop()
        raise BrokerUnavailable(f"cannot reach Kafka at {bootstrap}: {err}") from err
    shown = 0
    seen = SeenIds()
    try:
        ends = await end_offsets(consumer, ALERTS.name)
        if not ends:
            raise BrokerUnavailable(f"{ALERTS.name} does not exist on {bootstrap}; is Sitrep running there?")
        consumer.assign(list(ends))
        for tp, end in ends.items():
            consumer.seek(tp, 0 if from_start else end)
        on_ready()
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=POLL_MS)
            for tp, records in sorted(batch.items(), key=lambda item: item[0].partition):
                for record in records:
                    try:
                        alert = decode(record.value, Alert)
                    except InputError as err:
                        on_skipped(f"{tp.topic}/{tp.partition}@{record.offset}: {err}")
                        continue
                    if seen.first_time(alert.alert_id) and wanted.matches(alert):
                        show(alert)
                        shown += 1
    finally:
        await consumer.stop()
    return shown


async def follow_until_interrupted(
    settings: SitrepSettings,
    wanted: AlertFilter,
    show: Callable[[Alert], None],
    *,
    from_start: bool = False,
    on_ready: Callable[[], None] = lambda: None,
    on_skipped: Callable[[str], None] = lambda _: None,
) -> int:
    """``follow_alerts`` until SIGINT (Ctrl-C) or SIGTERM, which end it cleanly:
    the fetch in progress finishes, the consumer closes, the count is returned."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        return await follow_alerts(
            settings, wanted, show, stop, from_start=from_start, on_ready=on_ready, on_skipped=on_skipped
        )
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
