"""``GET /v1/alerts/stream``: new alerts as Server-Sent Events, resumable.

Each event's ``id`` is a position on ``sitrep.alerts.v1`` (partition -> the
offset after the last alert the stream has passed). A client that reconnects
with it as ``Last-Event-ID`` (browsers' ``EventSource`` does so by itself) gets
every alert after it and none twice; the ``position`` of ``GET /v1/alerts``
works the same way, so a client can list, then stream, without a gap. Without
one the stream starts at the alerts that arrive from now on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from services.alerts.filter import AlertFilter
from services.api.reader import LoggedAlert, ViewReader
from services.shared.positions import Positions, encode_position

KEEPALIVE_S = 15.0
RETRY_MS = 3000  # how soon a browser reconnects after the stream drops


def sse_event(logged: LoggedAlert, event_id: str) -> bytes:
    # The JSON encoding has no raw newline, so it fits on one data: line.
    data = logged.alert.model_dump_json()
    return f"event: alert\nid: {event_id}\ndata: {data}\n\n".encode()


async def alert_events(
    reader: ViewReader,
    wanted: AlertFilter,
    after: Positions | None,
    stopping: Callable[[], bool],
    keepalive_s: float = KEEPALIVE_S,
) -> AsyncIterator[bytes]:
    """The stream's bytes: a retry hint, the alerts logged after ``after`` (all
    of them from now on when it is None), then each new one as it is read."""
    yield f"retry: {RETRY_MS}\n\n".encode()
    log = reader.alert_log
    if after is None:
        position: Positions = reader.positions_of_alerts()
        sent = len(log)
    else:
        position = dict(after)
        sent = 0
    while not stopping():
        # Taken before the scan: a batch read while this generator is suspended
        # in a yield below sets it, so the next wait returns at once.
        arrival = reader.alert_arrival()
        # Everything logged up to now: a resumed stream's backlog, then each new batch.
        upto = len(log)
        for logged in log[sent:upto]:
            if logged.offset < position.get(logged.partition, 0):
                continue  # the client has it
            position[logged.partition] = logged.offset + 1
            if wanted.matches(logged.alert):
                yield sse_event(logged, encode_position(position))
        sent = upto
        try:
            await asyncio.wait_for(arrival.wait(), timeout=keepalive_s)
        except TimeoutError:
            yield b": keepalive\n\n"  # proxies and clients see the connection is alive
